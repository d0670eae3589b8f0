//! `civicscan demo`: serve the demo web on loopback, survey it with the default ruleset, write
//! the database and the report, and measure the survey against the web's ground truth.
//!
//! This is the only place the demo touches the pipeline; the survey and the report run exactly as
//! they do for real councils (same crawler, same politeness, same store), except that private
//! addresses are allowed (the demo web is on loopback) and the per-host rate is raised, since
//! nobody else's server is being asked.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Accuracy, DemoError, ServeOptions, serve};
use crate::report::{self, ReportError, ReportSummary};
use crate::ruleset::{self, Ruleset};
use crate::store::{Store, StoreError};
use crate::survey::{self, SurveyError, SurveyOptions, SurveyOutcome};

/// Requests per second per demo host: fast, since the demo web is ours and on loopback.
pub const DEMO_RATE: f64 = 50.0;

/// What `civicscan demo` is asked for.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The generator's seed.
    pub seed: u64,
    /// How many councils.
    pub councils: usize,
    /// Where the database and the report go (`survey.db` and `report/` inside).
    pub out: PathBuf,
    /// The ruleset (the built-in one by default).
    pub ruleset: Option<Ruleset>,
    /// Requests per second per host.
    pub rate: f64,
    /// How the survey's progress is shown.
    pub progress: crate::survey::ProgressMode,
    /// The date pages are fresh or stale against (today by default).
    pub today: Option<jiff::civil::Date>,
    /// Which pages the survey renders in a browser (`--render`; none by default).
    pub render: crate::render::RenderMode,
    /// Add the scripted council ([`super::scripted`]) to the generated ones.
    pub scripted: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: super::DEFAULT_SEED,
            councils: super::DEFAULT_COUNCILS,
            out: PathBuf::from("civicscan-demo"),
            ruleset: None,
            rate: DEMO_RATE,
            progress: crate::survey::ProgressMode::Quiet,
            today: None,
            render: crate::render::RenderMode::Off,
            scripted: false,
        }
    }
}

/// Why the demo could not run.
#[derive(Debug, thiserror::Error)]
pub enum DemoRunError {
    /// The demo web could not be served.
    #[error(transparent)]
    Serve(#[from] DemoError),
    /// The survey failed.
    #[error(transparent)]
    Survey(#[from] SurveyError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The report failed.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The output folder could not be made.
    #[error("{path}: cannot create the demo folder: {source}")]
    Io {
        /// The folder.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

/// Where the time went.
#[derive(Debug, Clone, Copy, Default)]
pub struct DemoTimings {
    /// Generating and serving the web.
    pub serve: Duration,
    /// Surveying it (crawl, audit, store, assessment, scores).
    pub survey: Duration,
    /// Writing the report.
    pub report: Duration,
}

/// What the demo did.
#[derive(Debug, Clone)]
pub struct DemoOutcome {
    /// The councils surveyed, as served.
    pub sites: Vec<crate::sites::Site>,
    /// The survey.
    pub survey: SurveyOutcome,
    /// The report.
    pub report: ReportSummary,
    /// The survey against the ground truth.
    pub accuracy: Accuracy,
    /// The database.
    pub db: PathBuf,
    /// Where the time went.
    pub timings: DemoTimings,
}

/// Runs the demo end to end.
pub async fn run_demo(opts: &DemoOptions) -> Result<DemoOutcome, DemoRunError> {
    let started = Instant::now();
    std::fs::create_dir_all(&opts.out).map_err(|source| DemoRunError::Io {
        path: opts.out.display().to_string(),
        source,
    })?;
    let mut rules = opts.ruleset.clone().unwrap_or_else(ruleset::builtin);
    if opts.rate.is_finite() && opts.rate > 0.0 {
        rules.crawl.requests_per_second = opts.rate;
    }
    let today = opts.today.unwrap_or_else(|| jiff::Zoned::now().date());
    let mut web = super::generate_with(&rules, opts.seed, opts.councils, 0, today);
    if opts.scripted {
        web.add_scripted(&rules);
    }
    let served = serve(web, ServeOptions::default()).await?;
    let serve_time = started.elapsed();

    let db = opts.out.join("survey.db");
    let store = Store::open(&db)?;
    let mut origin = serde_json::json!({
        "demo": true,
        "seed": opts.seed,
        "councils": opts.councils,
    });
    if opts.scripted {
        origin["scripted"] = serde_json::Value::Bool(true);
    }
    let options = SurveyOptions {
        overrides: survey::CrawlOverrides {
            allow_private: true,
            render: Some(opts.render),
            ..Default::default()
        },
        // The demo's database collects one run per demo; an interrupted one is not resumed.
        beside_unfinished: true,
        origin,
        progress: opts.progress,
        ..Default::default()
    };
    let rules = Arc::new(rules);
    let survey_started = Instant::now();
    let sites = served.sites();
    let result = survey::survey(&sites, rules.clone(), store, &options).await;
    let truth = served.web.truth();
    served.shutdown().await;
    let outcome = result?;
    let survey_time = survey_started.elapsed();

    let report_started = Instant::now();
    // The survey has scored the run and stored the scores.
    let store = Store::open(&db)?;
    let summary = report::render(&store, outcome.run, &rules, &opts.out.join("report"))?;
    let report_time = report_started.elapsed();

    let assessments = store.assessments(outcome.run)?;
    let findings = report::findings_by_site(&store, outcome.run, &assessments)?;
    let accuracy = super::verify(&truth, &assessments, &findings);
    Ok(DemoOutcome {
        sites,
        survey: outcome,
        report: summary,
        accuracy,
        db,
        timings: DemoTimings {
            serve: serve_time,
            survey: survey_time,
            report: report_time,
        },
    })
}
