//! What decides a run's outcome besides the web itself: the ruleset (its text is stored with the
//! run), the crawl budget after the command line's overrides, which councils, and the civicscan
//! version. All of it is stored when a run starts, and `--resume` restores all of it from the
//! database; a flag given again at resume must agree with what the run started with, or the
//! resume is refused naming both values (a resumed run that quietly forgot `--allow-private`
//! once failed every remaining page and was scored as if sound).

use serde::{Deserialize, Serialize};

use super::SurveyError;
use crate::render::RenderMode;
use crate::ruleset::{self, CrawlBudget, Ruleset};
use crate::sites::{Selection, Site};
use crate::store::RunInfo;

/// Crawl settings given on the command line, over the ruleset's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CrawlOverrides {
    /// Allow private and loopback addresses (`--allow-private`; the demo web, tests).
    pub allow_private: bool,
    /// A contact e-mail sent in the `From` header (`--contact-email`).
    pub contact_email: Option<String>,
    /// Pages per site at most (`--max-pages`).
    pub max_pages: Option<usize>,
    /// Requests per second per host (`--rate`).
    pub rate: Option<f64>,
    /// A folder to write every exchange into as WARC files (`--warc`).
    pub warc: Option<String>,
    /// Web archives to answer the survey from instead of the web (`--from-warc`, `--as-of`).
    pub replay: Option<ReplaySettings>,
    /// Which pages to render in a browser (`--render`); `None` when not given (a new survey
    /// then renders none).
    pub render: Option<RenderMode>,
}

/// A survey answered from web archives: which, and as of when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplaySettings {
    /// WARC files, CDX indexes and folders of them, as given.
    pub paths: Vec<String>,
    /// The date whose captures are wanted (`--as-of`), as given; the newest capture when none.
    #[serde(default)]
    pub as_of: Option<String>,
}

impl ReplaySettings {
    /// The as-of date as a timestamp.
    pub fn as_of(&self) -> Result<Option<jiff::Timestamp>, SurveyError> {
        self.as_of.as_deref().map(parse_as_of).transpose()
    }
}

/// Reads `--as-of`: a date (`2019-05-04`, midnight UTC), a WARC date
/// (`2019-05-04T10:00:00Z`) or a CDX timestamp (`20190504`, `20190504100000`).
pub fn parse_as_of(s: &str) -> Result<jiff::Timestamp, SurveyError> {
    if let Ok(d) = s.trim().parse::<jiff::civil::Date>() {
        if let Ok(t) = d.to_zoned(jiff::tz::TimeZone::UTC) {
            return Ok(t.timestamp());
        }
    }
    crate::warc::record::parse_date(s).ok_or_else(|| {
        SurveyError::BadFlag(format!(
            "--as-of {s}: not a date (give 2019-05-04, 2019-05-04T10:00:00Z or 20190504100000)"
        ))
    })
}

impl CrawlOverrides {
    /// Refuses values that cannot be meant: a rate of zero would never fetch, and zero pages
    /// would survey nothing.
    pub fn validate(&self) -> Result<(), SurveyError> {
        if let Some(r) = self.rate
            && !(r.is_finite() && r > 0.0 && r <= 1000.0)
        {
            return Err(SurveyError::BadFlag(format!(
                "--rate {r}: requests per second per host must be more than 0 and at most 1000 \
                 (0.5 is one request every two seconds)"
            )));
        }
        if self.max_pages == Some(0) {
            return Err(SurveyError::BadFlag(
                "--max-pages 0: a survey needs at least one page per site (the home page)".into(),
            ));
        }
        if self.warc.is_some() && self.replay.is_some() {
            return Err(SurveyError::BadFlag(
                "--warc with --from-warc: a survey answered from archives fetches nothing to archive"
                    .into(),
            ));
        }
        if let Some(r) = &self.replay {
            if r.paths.is_empty() {
                return Err(SurveyError::BadFlag(
                    "--from-warc: name at least one WARC file, CDX index or folder".into(),
                ));
            }
            r.as_of()?;
        }
        if let Some(email) = &self.contact_email
            && !looks_like_email(email)
        {
            return Err(SurveyError::BadFlag(format!(
                "--contact-email {email}: not an e-mail address (it is sent in the From header)"
            )));
        }
        Ok(())
    }

    /// The ruleset's crawl budget with these overrides applied.
    pub fn apply(&self, budget: &CrawlBudget) -> CrawlBudget {
        let mut b = budget.clone();
        if let Some(n) = self.max_pages {
            b.max_pages = n;
        }
        if let Some(r) = self.rate {
            b.requests_per_second = r;
        }
        b
    }
}

fn looks_like_email(s: &str) -> bool {
    let Some((user, domain)) = s.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && domain.contains('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Everything stored with a run besides the ruleset and the councils (which have columns of
/// their own), as the `runs.settings` JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    /// The sites file the councils were read from, as given.
    #[serde(default)]
    pub sites_file: Option<String>,
    /// Which councils of that file.
    #[serde(default)]
    pub selection: Selection,
    /// Whether private and loopback addresses were allowed.
    #[serde(default)]
    pub allow_private: bool,
    /// The contact e-mail sent in the `From` header.
    #[serde(default)]
    pub contact_email: Option<String>,
    /// Pages per site at most, as in force (also in `crawl`; kept for readers of the database).
    #[serde(default)]
    pub max_pages: Option<usize>,
    /// Requests per second per host, as in force (also in `crawl`).
    #[serde(default)]
    pub requests_per_second: Option<f64>,
    /// The whole crawl budget in force: the ruleset's after the overrides. Runs stored before
    /// civicscan kept it have none.
    #[serde(default)]
    pub crawl: Option<CrawlBudget>,
    /// What started the run, when not a plain survey (the demo records its seed here).
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub origin: serde_json::Value,
    /// The folder every exchange was written to as WARC files (`--warc`), as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warc: Option<String>,
    /// The web archives the run was answered from instead of the web (`--from-warc`): a resumed
    /// run is answered from them again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<ReplaySettings>,
    /// Which pages were rendered in a browser (`--render`): a resumed run renders the same.
    #[serde(default, skip_serializing_if = "is_off")]
    pub render: RenderMode,
    /// Why no page was rendered although `render` asked for some (`civicscan check` goes on
    /// without a browser, saying so); a resumed run renders none either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render_skipped: Option<String>,
}

fn is_off(mode: &RenderMode) -> bool {
    *mode == RenderMode::Off
}

impl RunSettings {
    /// The settings of a new run: `budget` is the crawl budget in force.
    pub fn new(budget: &CrawlBudget, overrides: &CrawlOverrides) -> RunSettings {
        RunSettings {
            sites_file: None,
            selection: Selection::default(),
            allow_private: overrides.allow_private,
            contact_email: overrides.contact_email.clone(),
            max_pages: Some(budget.max_pages),
            requests_per_second: Some(budget.requests_per_second),
            crawl: Some(budget.clone()),
            origin: serde_json::Value::Null,
            warc: overrides.warc.clone(),
            replay: overrides.replay.clone(),
            render: overrides.render.unwrap_or_default(),
            render_skipped: None,
        }
    }

    /// The pages this run renders: none when rendering was skipped.
    pub fn render_mode(&self) -> RenderMode {
        if self.render_skipped.is_some() {
            RenderMode::Off
        } else {
            self.render
        }
    }

    /// Reads a run's stored settings.
    pub fn of_run(info: &RunInfo) -> Result<RunSettings, SurveyError> {
        serde_json::from_value(info.settings.clone()).map_err(|e| SurveyError::StoredSettings {
            run: info.id,
            message: e.to_string(),
        })
    }

    /// Checks the flags given at resume against these stored settings: a flag given again must
    /// have the value the run started with.
    pub fn check_resume(&self, run: i64, given: &CrawlOverrides) -> Result<(), SurveyError> {
        let conflict = |flag: &str, given: String, stored: String| SurveyError::ResumeConflict {
            run,
            flag: flag.to_string(),
            given,
            stored,
        };
        if given.allow_private && !self.allow_private {
            return Err(conflict(
                "--allow-private",
                "given".into(),
                "not given".into(),
            ));
        }
        if let Some(email) = &given.contact_email
            && self.contact_email.as_ref() != Some(email)
        {
            return Err(conflict(
                "--contact-email",
                email.clone(),
                self.contact_email.clone().unwrap_or_else(|| "none".into()),
            ));
        }
        if let (Some(n), Some(stored)) = (given.max_pages, self.max_pages)
            && n != stored
        {
            return Err(conflict("--max-pages", n.to_string(), stored.to_string()));
        }
        if let (Some(r), Some(stored)) = (given.rate, self.requests_per_second)
            && (r - stored).abs() > 1e-9
        {
            return Err(conflict("--rate", r.to_string(), stored.to_string()));
        }
        if let Some(dir) = &given.warc
            && self.warc.as_ref() != Some(dir)
        {
            let stored = self.warc.clone().unwrap_or_else(|| "no --warc".into());
            return Err(conflict("--warc", dir.clone(), stored));
        }
        if let Some(r) = &given.replay
            && self.replay.as_ref() != Some(r)
        {
            let show = |r: Option<&ReplaySettings>| match r {
                None => "the web (no --from-warc)".to_string(),
                Some(r) => match &r.as_of {
                    Some(d) => format!("{} as of {d}", r.paths.join(" ")),
                    None => r.paths.join(" "),
                },
            };
            return Err(conflict(
                "--from-warc",
                show(Some(r)),
                show(self.replay.as_ref()),
            ));
        }
        if let Some(mode) = given.render
            && mode != self.render
        {
            return Err(conflict(
                "--render",
                mode.as_str().into(),
                self.render.as_str().into(),
            ));
        }
        Ok(())
    }

    /// The crawl budget to resume with: the stored one, or (for runs stored before civicscan
    /// kept it) the ruleset's with the stored page and rate settings.
    pub fn budget(&self, ruleset: &Ruleset) -> CrawlBudget {
        if let Some(b) = &self.crawl {
            return b.clone();
        }
        CrawlOverrides {
            max_pages: self.max_pages,
            rate: self.requests_per_second,
            ..Default::default()
        }
        .apply(&ruleset.crawl)
    }
}

/// The ruleset a run started with (see [`ruleset::of_stored_run`]).
pub fn stored_ruleset(info: &RunInfo) -> Result<Ruleset, SurveyError> {
    ruleset::of_stored_run(
        info.ruleset_text.as_deref(),
        &info.ruleset_source,
        &info.ruleset_hash,
    )
    .map_err(|e| SurveyError::StoredSettings {
        run: info.id,
        message: format!("its stored ruleset no longer validates: {e}"),
    })?
    .ok_or_else(|| SurveyError::RulesetMissing {
        run: info.id,
        source_name: info.ruleset_source.clone(),
        hash: short_hash(&info.ruleset_hash),
    })
}

/// The first 12 hex digits of a hash, as messages show it.
pub fn short_hash(hash: &str) -> String {
    hash.chars().take(12).collect()
}

/// What `--resume` was given besides crawl flags, to check against the stored run.
#[derive(Debug, Clone, Default)]
pub struct ResumeChecks {
    /// The crawl flags given.
    pub overrides: CrawlOverrides,
    /// A ruleset given with `--ruleset`: it must be the one the run started with.
    pub ruleset: Option<Ruleset>,
    /// A sites file given with `--sites` (its name and every council in it): with the run's
    /// selection applied it must list the run's councils.
    pub sites_file: Option<(String, Vec<Site>)>,
    /// `--only`/`--type`/`--nation` given: they must be the run's.
    pub selection: Option<Selection>,
}

impl ResumeChecks {
    /// Checks the councils given again against the run's: its `settings` and `stored` sites.
    pub fn check_councils(
        &self,
        run: i64,
        settings: &RunSettings,
        stored: &[Site],
    ) -> Result<(), SurveyError> {
        if let Some(selection) = &self.selection
            && *selection != settings.selection
        {
            let flags = |s: &Selection| {
                if s.is_all() {
                    "no selection".to_string()
                } else {
                    s.flags()
                }
            };
            return Err(SurveyError::ResumeConflict {
                run,
                flag: "the selection".into(),
                given: flags(selection),
                stored: flags(&settings.selection),
            });
        }
        if let Some((file, all)) = &self.sites_file {
            let given = settings.selection.apply(all.clone(), file).map_err(|e| {
                SurveyError::ResumeConflict {
                    run,
                    flag: format!("--sites {file}"),
                    given: e.to_string(),
                    stored: format!("{} councils", stored.len()),
                }
            })?;
            check_sites(run, file, &given, stored)?;
        }
        Ok(())
    }
}

/// Checks that `given` councils (from `file`) are the run's (`stored`), in any order.
fn check_sites(run: i64, file: &str, given: &[Site], stored: &[Site]) -> Result<(), SurveyError> {
    let key = |s: &Site| (s.slug.clone(), s.homepage.to_string());
    let mut a: Vec<_> = given.iter().map(key).collect();
    let mut b: Vec<_> = stored.iter().map(key).collect();
    a.sort();
    b.sort();
    if a == b {
        return Ok(());
    }
    let missing = b.iter().find(|k| !a.contains(k));
    let extra = a.iter().find(|k| !b.contains(k));
    let detail = match (extra, missing) {
        (Some((slug, url)), _) => format!("`{slug}` ({url}) is not in the run"),
        (None, Some((slug, url))) => format!("the run's `{slug}` ({url}) is not among them"),
        (None, None) => "they differ".into(),
    };
    Err(SurveyError::ResumeConflict {
        run,
        flag: format!("--sites {file}"),
        given: format!("({} councils: {detail})", given.len()),
        stored: format!("{} councils", stored.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> RunSettings {
        let mut budget = ruleset::builtin().crawl;
        budget.max_pages = 20;
        RunSettings::new(
            &budget,
            &CrawlOverrides {
                allow_private: true,
                max_pages: Some(20),
                ..Default::default()
            },
        )
    }

    #[test]
    fn flags_repeated_at_resume_must_agree_with_the_run() {
        let s = stored();
        assert!(s.check_resume(3, &CrawlOverrides::default()).is_ok());
        let same = CrawlOverrides {
            allow_private: true,
            max_pages: Some(20),
            ..Default::default()
        };
        assert!(s.check_resume(3, &same).is_ok());
        let more = CrawlOverrides {
            max_pages: Some(30),
            ..Default::default()
        };
        assert_eq!(
            s.check_resume(3, &more).unwrap_err().to_string(),
            "--max-pages 30 contradicts run 3, which started with 20; resume without the flag \
             (the run keeps its settings) or start a new run with --new"
        );
    }

    #[test]
    fn allow_private_given_to_a_run_that_refused_private_addresses_is_a_conflict() {
        let mut s = stored();
        s.allow_private = false;
        let e = s
            .check_resume(
                4,
                &CrawlOverrides {
                    allow_private: true,
                    ..Default::default()
                },
            )
            .unwrap_err();
        assert!(
            e.to_string().starts_with(
                "--allow-private given contradicts run 4, which started with not given"
            ),
            "{e}"
        );
    }

    #[test]
    fn settings_round_trip_and_old_settings_still_read() {
        let s = stored();
        let json = serde_json::to_value(&s).unwrap();
        let back: RunSettings = serde_json::from_value(json).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.budget(&ruleset::builtin()).max_pages, 20);
        let old: RunSettings = serde_json::from_value(serde_json::json!({
            "max_pages": 20, "requests_per_second": 2.0, "allow_private": true
        }))
        .unwrap();
        let budget = old.budget(&ruleset::builtin());
        assert_eq!((budget.max_pages, budget.requests_per_second), (20, 2.0));
    }

    #[test]
    fn a_replayed_run_is_stored_as_replayed_and_resumes_from_the_same_archives() {
        let replay = ReplaySettings {
            paths: vec!["archive".into(), "more/index.cdx".into()],
            as_of: Some("2019-05-04".into()),
        };
        let given = CrawlOverrides {
            replay: Some(replay.clone()),
            ..Default::default()
        };
        let s = RunSettings::new(&ruleset::builtin().crawl, &given);
        let back: RunSettings = serde_json::from_value(serde_json::to_value(&s).unwrap()).unwrap();
        assert_eq!(back.replay.as_ref(), Some(&replay));
        // Resuming without the flag keeps the archives; the same flag agrees; another differs.
        assert!(back.check_resume(5, &CrawlOverrides::default()).is_ok());
        assert!(back.check_resume(5, &given).is_ok());
        let other = CrawlOverrides {
            replay: Some(ReplaySettings {
                as_of: None,
                ..replay
            }),
            ..Default::default()
        };
        let e = back.check_resume(5, &other).unwrap_err().to_string();
        assert!(
            e.starts_with("--from-warc archive more/index.cdx contradicts run 5, which started with archive more/index.cdx as of 2019-05-04"),
            "{e}"
        );
        // A run of the live web does not become a replay at resume.
        let live = stored();
        let e = live.check_resume(6, &given).unwrap_err().to_string();
        assert!(
            e.contains("which started with the web (no --from-warc)"),
            "{e}"
        );
    }

    #[test]
    fn the_render_mode_is_kept_with_the_run_and_a_different_one_at_resume_is_refused() {
        let key = CrawlOverrides {
            render: Some(RenderMode::Key),
            ..Default::default()
        };
        let s = RunSettings::new(&ruleset::builtin().crawl, &key);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["render"], "key");
        let back: RunSettings = serde_json::from_value(json).unwrap();
        assert_eq!(back.render_mode(), RenderMode::Key);
        assert!(back.check_resume(7, &CrawlOverrides::default()).is_ok());
        assert!(back.check_resume(7, &key).is_ok());
        let off = CrawlOverrides {
            render: Some(RenderMode::Off),
            ..Default::default()
        };
        assert_eq!(
            back.check_resume(7, &off).unwrap_err().to_string(),
            "--render off contradicts run 7, which started with key; resume without the flag \
             (the run keeps its settings) or start a new run with --new"
        );
        // A run without rendering stores no render setting at all (older runs read as off).
        let plain = serde_json::to_value(stored()).unwrap();
        assert!(plain.get("render").is_none(), "{plain}");
        let old: RunSettings = serde_json::from_value(plain).unwrap();
        assert_eq!(old.render_mode(), RenderMode::Off);
        // A check that went on without a browser renders nothing when continued either.
        let skipped = RunSettings {
            render_skipped: Some("no browser".into()),
            ..back
        };
        assert_eq!(skipped.render_mode(), RenderMode::Off);
    }

    #[test]
    fn as_of_dates_read_in_three_forms() {
        let t = |s| parse_as_of(s).unwrap().to_string();
        assert_eq!(t("2019-05-04"), "2019-05-04T00:00:00Z");
        assert_eq!(t("2019-05-04T10:00:00Z"), "2019-05-04T10:00:00Z");
        assert_eq!(t("20190504100000"), "2019-05-04T10:00:00Z");
        assert!(parse_as_of("last spring").is_err());
    }

    #[test]
    fn nonsense_flags_are_refused_with_the_flag_named() {
        for (o, starts) in [
            (
                CrawlOverrides {
                    rate: Some(0.0),
                    ..Default::default()
                },
                "--rate 0:",
            ),
            (
                CrawlOverrides {
                    rate: Some(f64::NAN),
                    ..Default::default()
                },
                "--rate NaN:",
            ),
            (
                CrawlOverrides {
                    max_pages: Some(0),
                    ..Default::default()
                },
                "--max-pages 0:",
            ),
            (
                CrawlOverrides {
                    contact_email: Some("web team".into()),
                    ..Default::default()
                },
                "--contact-email web team:",
            ),
        ] {
            let e = o.validate().unwrap_err().to_string();
            assert!(e.starts_with(starts), "{e}");
        }
    }
}
