//! `civicscan check`: one council checking its own site. Surveys the one site into its own
//! database (so a council's checks never mix with a national run), then prints a terminal
//! summary and writes the single-council report, beside the national averages when a survey
//! database is given and holds a run.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use url::Url;

use super::{SurveyError, SurveyOptions, SurveyOutcome, survey};
use crate::audit::SiteAssessment;
use crate::report::{self, ReportError};
use crate::ruleset::Ruleset;
use crate::sites::{CouncilType, Site};
use crate::store::{Store, StoreError};

/// What `civicscan check` is asked for.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    /// The council's home page.
    pub homepage: Url,
    /// Its council type; when not given, the council is looked up by its home page in the
    /// national database's run and in the built-in register.
    pub council_type: Option<CouncilType>,
    /// Its name (from the register, else the host name, when not given).
    pub name: Option<String>,
    /// Where the check's database (`check.db`) and report (`index.html`) go.
    pub out: PathBuf,
    /// A national survey database, for the averages; skipped when absent or empty.
    pub national_db: Option<PathBuf>,
}

/// Why a check could not run.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The home page is not an http(s) URL with a host.
    #[error("{0}: not an http or https URL with a host name")]
    BadUrl(String),
    /// No type was given and the council is not in the register.
    #[error(
        "{0}: not a council in the register, so give its type with --type (CC county, SD shire \
         district, MD metropolitan district, EU English unitary, LB London borough, SU Scottish, \
         WU Welsh, NI Northern Ireland district)"
    )]
    UnknownType(String),
    /// The survey failed.
    #[error(transparent)]
    Survey(#[from] SurveyError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The report failed.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The survey stored no assessment (a bug, or the database was changed under us).
    #[error("{0}: the check stored no assessment")]
    NoAssessment(String),
    /// The output folder could not be made.
    #[error("{path}: cannot create the folder: {source}")]
    Io {
        /// The folder.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

/// What the check found and wrote.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    /// The survey of the one site.
    pub survey: SurveyOutcome,
    /// Its assessment.
    pub assessment: SiteAssessment,
    /// The terminal summary.
    pub summary: String,
    /// The report written.
    pub report: PathBuf,
    /// The check's database.
    pub db: PathBuf,
    /// How many councils the national averages come from (0: none).
    pub national_councils: usize,
    /// The council's own earlier result in the national run, left out of the comparison.
    pub left_out: Option<String>,
}

/// A slug for a council known only by its home page: its host, without `www.`, dots as dashes.
pub fn slug_for(url: &Url) -> String {
    let host = url.host_str().unwrap_or("site");
    let host = host.strip_prefix("www.").unwrap_or(host);
    host.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// A hint for a check whose site could not be surveyed, when the reason suggests one.
pub fn hint_for(homepage: &Url, reason: &str) -> Option<String> {
    if reason.contains("private address") {
        return Some(format!(
            "{} is a private or loopback address; civicscan refuses those unless given              --allow-private (for a test or intranet site)",
            homepage.host_str().unwrap_or_default()
        ));
    }
    if reason.contains("robots.txt") {
        return Some(
            "the site's robots.txt does not let civicscan in; ask the web team to allow it              (user agent `civicscan`)"
                .into(),
        );
    }
    None
}

/// What a check is compared with.
#[derive(Default)]
struct National {
    /// The national run's scores, without the checked council's own.
    scores: Vec<crate::score::SiteScore>,
    /// The checked council's name in the national run, when it was there (left out).
    left_out: Option<String>,
}

/// The national scores of the newest finished run in `db`, without the checked council's own
/// (matched by its home page's host), so a council is never compared with itself.
fn national(db: &Path, ruleset: &Ruleset, homepage: &Url) -> Result<National, CheckError> {
    if !db.exists() {
        return Ok(National::default());
    }
    let store = Store::open(db)?;
    let Some(run) = store.latest_finished_run()? else {
        return Ok(National::default());
    };
    let own = store
        .sites(run.id)?
        .into_iter()
        .map(|(s, _)| s)
        .find(|s| same_site(&s.homepage, homepage))
        .map(|s| (s.name, s.slug));
    let scores = report::national_scores(&store, run.id, ruleset)?
        .into_iter()
        .filter(|s| own.as_ref().is_none_or(|(_, slug)| *slug != s.slug))
        .collect();
    Ok(National {
        scores,
        left_out: own.map(|(name, _)| name),
    })
}

/// Whether two home pages are the same site: the host without `www.`, and the port.
fn same_site(a: &Url, b: &Url) -> bool {
    let host = |u: &Url| {
        u.host_str()
            .unwrap_or_default()
            .trim_start_matches("www.")
            .to_ascii_lowercase()
    };
    host(a) == host(b) && a.port_or_known_default() == b.port_or_known_default()
}

/// The council being checked: from the register (the national database's run, else the
/// built-in register) when its home page is there, with what was given on top.
fn council(request: &CheckRequest) -> Result<Site, CheckError> {
    let url = &request.homepage;
    let from_db = match &request.national_db {
        Some(db) if db.exists() => {
            let store = Store::open(db)?;
            match store.latest_finished_run()? {
                Some(run) => store
                    .sites(run.id)?
                    .into_iter()
                    .map(|(s, _)| s)
                    .find(|s| same_site(&s.homepage, url)),
                None => None,
            }
        }
        _ => None,
    };
    let known = from_db.or_else(|| {
        crate::sites::register()
            .into_iter()
            .find(|s| same_site(&s.homepage, url))
    });
    let mut site = match (known, request.council_type) {
        (Some(mut s), given) => {
            s.council_type = given.unwrap_or(s.council_type);
            s.homepage = url.clone();
            s
        }
        (None, Some(t)) => {
            let host = url.host_str().unwrap_or_default().to_string();
            Site::new(&slug_for(url), &host, t, url.clone())
        }
        (None, None) => return Err(CheckError::UnknownType(url.to_string())),
    };
    // The check's own database keys the council by its host, whatever the register calls it.
    site.slug = slug_for(url);
    if let Some(name) = &request.name {
        site.name = name.clone();
    }
    Ok(site)
}

/// Checks one council's site.
pub async fn check(
    request: &CheckRequest,
    ruleset: Arc<Ruleset>,
    options: &SurveyOptions,
) -> Result<CheckOutcome, CheckError> {
    let url = &request.homepage;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(CheckError::BadUrl(url.to_string()));
    }
    let site = council(request)?;
    let slug = site.slug.clone();

    std::fs::create_dir_all(&request.out).map_err(|source| CheckError::Io {
        path: request.out.display().to_string(),
        source,
    })?;
    let db = request.out.join("check.db");
    // Each check is a new run in the check's own database; an interrupted check is not resumed
    // (a check is one council, minutes long) but left beside the new one.
    let options = SurveyOptions {
        beside_unfinished: true,
        ..options.clone()
    };
    let outcome = survey(
        std::slice::from_ref(&site),
        ruleset.clone(),
        Store::open(&db)?,
        &options,
    )
    .await?;

    let store = Store::open(&db)?;
    let assessment = store
        .assessments(outcome.run)?
        .into_iter()
        .find(|a| a.site.slug == slug)
        .ok_or_else(|| CheckError::NoAssessment(db.display().to_string()))?;
    let findings = store.findings(outcome.run, &slug)?;
    let titles = report::page_titles(&store, outcome.run, &slug)?;
    let National {
        scores: national,
        left_out,
    } = match &request.national_db {
        Some(path) => national(path, &ruleset, &request.homepage)?,
        None => National::default(),
    };
    let pages = store.page_log(outcome.run)?;
    let settings = store.run(outcome.run)?.settings;
    let report = report::render_single(
        &report::SingleCouncil {
            assessment: &assessment,
            findings: &findings,
            titles: &titles,
            pages: &pages,
            run_settings: Some(&settings),
        },
        &ruleset,
        &national,
        &request.out,
    )?;
    let summary = report::terminal_summary(&assessment, &ruleset, &national);
    Ok(CheckOutcome {
        survey: outcome,
        assessment,
        summary,
        report,
        db,
        national_councils: national.len(),
        left_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_site_is_matched_by_host_without_www_and_by_port() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(same_site(
            &u("https://www.kent.gov.uk/"),
            &u("https://kent.gov.uk/residents")
        ));
        assert!(same_site(
            &u("http://127.0.0.2:8080/"),
            &u("http://127.0.0.2:8080/x")
        ));
        assert!(!same_site(
            &u("http://127.0.0.2:8080/"),
            &u("http://127.0.0.2:8081/")
        ));
        assert!(!same_site(
            &u("https://www.kent.gov.uk/"),
            &u("https://www.medway.gov.uk/")
        ));
    }

    #[test]
    fn a_council_in_the_national_run_or_the_register_needs_no_type() {
        let dir = std::env::temp_dir().join(format!("civicscan-check-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("national.db");
        let _ = std::fs::remove_file(&db);
        let mut store = Store::open(&db).unwrap();
        let mut ashford = Site::new(
            "ashford",
            "Ashford Borough Council",
            CouncilType::SD,
            Url::parse("http://127.0.0.9:8080/").unwrap(),
        );
        ashford.parent_slug = Some("kent".into());
        let run = store
            .begin_run(
                &crate::ruleset::builtin(),
                &serde_json::json!({}),
                &[ashford],
            )
            .unwrap();
        store.finish_run(run).unwrap();
        let request = |url: &str, t: Option<CouncilType>| CheckRequest {
            homepage: Url::parse(url).unwrap(),
            council_type: t,
            name: None,
            out: dir.clone(),
            national_db: Some(db.clone()),
        };
        let site = council(&request("http://127.0.0.9:8080/", None)).unwrap();
        assert_eq!(
            (site.name.as_str(), site.council_type, site.slug.as_str()),
            ("Ashford Borough Council", CouncilType::SD, "127-0-0-9")
        );
        // The built-in register knows every council by its home page.
        let register = crate::sites::register();
        let kent = register
            .iter()
            .find(|s| s.slug == "kent")
            .expect("Kent is registered");
        let site = council(&request(kent.homepage.as_str(), None)).unwrap();
        assert_eq!(
            (site.name.as_str(), site.council_type),
            (kent.name.as_str(), CouncilType::CC)
        );
        // A type given wins; an unknown site without one is an error.
        let site = council(&request("http://127.0.0.9:8080/", Some(CouncilType::EU))).unwrap();
        assert_eq!(site.council_type, CouncilType::EU);
        assert!(matches!(
            council(&request("http://127.0.0.10/", None)),
            Err(CheckError::UnknownType(_))
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn slugs_come_from_the_host() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            slug_for(&u("https://www.example.gov.uk/")),
            "example-gov-uk"
        );
        assert_eq!(slug_for(&u("http://127.0.0.1:8080/")), "127-0-0-1");
        assert_eq!(
            slug_for(&u("https://Bins.Council.GOV.uk/x")),
            "bins-council-gov-uk"
        );
    }
}
