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
    /// Its council type.
    pub council_type: CouncilType,
    /// Its name (the host name when not given).
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
    let slug = slug_for(url);
    let name = request
        .name
        .clone()
        .unwrap_or_else(|| url.host_str().unwrap_or_default().to_string());
    let site = Site::new(&slug, &name, request.council_type, url.clone());

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
    let report = report::render_single(
        &assessment,
        &findings,
        &titles,
        &pages,
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
