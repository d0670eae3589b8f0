//! The survey pipeline: for every site, crawl → parse and audit each page → store it; then run the
//! site searches, assess tasks, coverage and digital indicators, and store the assessment; finally
//! score the run.
//!
//! This module only wires the stages together (each stage owns its logic). It owns the order of
//! writes that makes a run resumable: a page is stored with its findings as it arrives, a site's
//! assessment is stored before the site counts as done, and the run is marked finished last.

pub mod check;
mod cpu;
mod duties;
mod handler;
pub mod progress;
pub mod render;
pub mod runs;
pub mod settings;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::audit::a11y::{self, Outcome};
use crate::audit::{
    self, A11ySummary, CrawlSummary, PageRecord, SearchRecord, SiteAssessment, SiteFacts,
};
use crate::crawl::{
    CrawlConfig, Crawler, FetchKind, PageKind, PageOutcome, Resume, SiteCrawlReport, Source,
    StopSignal,
};
use crate::ruleset::Ruleset;
use crate::sites::{Selection, Site};
use crate::store::{
    RunId, RunInfo, SiteStatus, Store, StoreError, StoreWriter, Write, WriterConfig, WriterStats,
};
use futures::StreamExt;

pub use check::{CheckError, CheckOutcome, CheckRequest, check};
pub use handler::SurveyHandler;
pub use progress::{Progress, ProgressMode};
pub use settings::{CrawlOverrides, ReplaySettings, ResumeChecks, RunSettings};

/// How a survey runs.
#[derive(Debug, Clone, Default)]
pub struct SurveyOptions {
    /// Crawl flags from the command line: applied to a new run, checked against a resumed one.
    pub overrides: CrawlOverrides,
    /// The sites file the councils came from, recorded with a new run.
    pub sites_file: Option<String>,
    /// Which councils of that file, recorded with a new run.
    pub selection: Selection,
    /// Start a new run even though the database holds an unfinished one (`--new`).
    pub beside_unfinished: bool,
    /// What started the run, recorded with it (the demo's seed and size).
    pub origin: serde_json::Value,
    /// How progress is shown.
    pub progress: ProgressMode,
    /// Raised (on Ctrl-C) to stop cleanly: the pages in hand are finished and stored, no site is
    /// assessed half-crawled, and the run is left unfinished for `--resume`.
    pub stop: StopSignal,
    /// The browser for `--render` (`--chromium`; else `$CIVICSCAN_CHROMIUM`, else on `PATH`).
    pub chromium: Option<std::path::PathBuf>,
    /// Without a browser, go on with the static checks only, recording why nothing was
    /// rendered (`civicscan check` when `--render` was not given), instead of refusing to start.
    pub render_optional: bool,
}

impl SurveyOptions {
    /// Options for surveying sites on loopback or private addresses (tests, the demo web).
    pub fn allowing_private() -> SurveyOptions {
        SurveyOptions {
            overrides: CrawlOverrides {
                allow_private: true,
                ..Default::default()
            },
            ..Default::default()
        }
    }
}

/// Why a survey could not run.
#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Scoring the run failed.
    #[error("cannot score the run: {0}")]
    Score(String),
    /// A council's survey stopped without finishing (a bug: its task panicked).
    #[error("the survey of {slug} stopped unexpectedly: {message}")]
    Council {
        /// The council.
        slug: String,
        /// What stopped it.
        message: String,
    },
    /// The crawler could not be set up.
    #[error("cannot start the crawler: {0}")]
    Crawler(String),
    /// A web archive could not be read (`--from-warc`) or written (`--warc`).
    #[error("{0}")]
    Archive(String),
    /// A command-line value that cannot be meant.
    #[error("{0}")]
    BadFlag(String),
    /// `--render` asked for a browser that cannot be started.
    #[error(
        "--render {mode}: cannot render pages, {why}; survey without rendering with --render off"
    )]
    NoBrowser {
        /// The mode asked for.
        mode: &'static str,
        /// Why.
        why: String,
    },
    /// `--ruleset` at resume names a different ruleset from the run's.
    #[error(
        "--ruleset {given} (sha256 {given_hash}) is not the ruleset run {run} started with \
         ({stored}, sha256 {stored_hash}); resume without --ruleset (the run keeps its own) or \
         start a new run with --new"
    )]
    RulesetChanged {
        /// The run.
        run: RunId,
        /// The file given.
        given: String,
        /// Its hash, shortened.
        given_hash: String,
        /// The run's ruleset.
        stored: String,
        /// Its hash, shortened.
        stored_hash: String,
    },
    /// The run's ruleset is not stored and cannot be found.
    #[error(
        "run {run} used the ruleset {source_name} (sha256 {hash}), which this database does not \
         hold and which no longer matches the file; pass that ruleset with --ruleset"
    )]
    RulesetMissing {
        /// The run.
        run: RunId,
        /// Where it came from.
        source_name: String,
        /// Its hash, shortened.
        hash: String,
    },
    /// The run's stored settings cannot be read.
    #[error("run {run}: cannot read its stored settings: {message}")]
    StoredSettings {
        /// The run.
        run: RunId,
        /// Why.
        message: String,
    },
    /// A flag given at resume contradicts the run's stored value.
    #[error(
        "{flag} {given} contradicts run {run}, which started with {stored}; resume without the \
         flag (the run keeps its settings) or start a new run with --new"
    )]
    ResumeConflict {
        /// The run.
        run: RunId,
        /// The flag.
        flag: String,
        /// The value given now.
        given: String,
        /// The value the run started with.
        stored: String,
    },
    /// The run was started by another civicscan version.
    #[error(
        "run {run} was started by civicscan {stored}, this is {current}: one run's councils must \
         all be judged by the same version; finish it with civicscan {stored}, or start a new run \
         with --new"
    )]
    VersionChanged {
        /// The run.
        run: RunId,
        /// The version that started it.
        stored: String,
        /// This version.
        current: String,
    },
    /// A new run was asked for beside an unfinished one.
    #[error(
        "{db}: run {run} is unfinished ({done} of {total} councils done); continue it with \
         `{resume}`, or start another run beside it with --new"
    )]
    UnfinishedRun {
        /// The database.
        db: String,
        /// The unfinished run.
        run: RunId,
        /// Its councils done.
        done: u64,
        /// Its councils.
        total: u64,
        /// The command that resumes it.
        resume: String,
    },
    /// `--resume` was asked for, but there is nothing to resume.
    #[error("{0}: no unfinished run to resume")]
    NothingToResume(String),
    /// The survey was stopped before every site was assessed; the run can be resumed.
    #[error(
        "interrupted: run {run} stopped after finishing the pages in hand ({pages} pages stored, \
         {pending} councils still to do); continue it with `{resume}`"
    )]
    Interrupted {
        /// The run, left unfinished.
        run: RunId,
        /// Pages stored in this invocation.
        pages: u64,
        /// Sites not assessed yet.
        pending: usize,
        /// The exact command that resumes it.
        resume: String,
    },
}

/// The command that resumes the unfinished run in `db`: everything else is stored with the run.
pub fn resume_command(db: &str) -> String {
    format!("civicscan survey --resume --db {}", shell_quote(db))
}

/// Quotes a word for a POSIX shell when it needs it.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=+,@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// What a survey did.
#[derive(Debug, Clone)]
pub struct SurveyOutcome {
    /// The run.
    pub run: RunId,
    /// Sites assessed in this invocation.
    pub sites_assessed: usize,
    /// Sites skipped because a resumed run had already assessed them.
    pub sites_skipped: usize,
    /// Sites that could not be surveyed in this invocation, with the reason.
    pub failures: Vec<(String, String)>,
    /// Pages stored in this invocation.
    pub pages: u64,
    /// The whole run's councils, pages and failures (earlier invocations included).
    pub counts: crate::store::RunCounts,
    /// What was read from or written to web archives, one line each (with any warnings).
    pub archive: Vec<String>,
    /// What the browser rendered (`--render`), one line; none without rendering.
    pub render: Option<String>,
    /// Why no page was rendered although rendering was asked for (no browser, for `check`).
    pub render_skipped: Option<String>,
    /// What the store's writer did in this invocation: pages, batches, its queue.
    pub store: WriterStats,
}

impl SurveyOutcome {
    /// Whether every council of the run was surveyed.
    pub fn all_surveyed(&self) -> bool {
        self.counts.sites_failed == 0
    }

    /// Whether no council of the run could be surveyed.
    pub fn none_surveyed(&self) -> bool {
        self.counts.sites > 0 && self.counts.sites_failed >= self.counts.sites
    }
}

impl std::fmt::Display for SurveyOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.counts;
        write!(
            f,
            "run {}: {} of {} councils surveyed, {} pages stored ({} failed)",
            self.run,
            c.sites - c.sites_failed,
            c.sites,
            c.pages,
            c.pages_failed
        )?;
        if self.sites_skipped > 0 {
            write!(
                f,
                "; {} councils were done before resuming",
                self.sites_skipped
            )?;
        }
        if !self.failures.is_empty() {
            write!(f, "\n{} not surveyed:", self.failures.len())?;
            for (slug, reason) in &self.failures {
                write!(f, "\n  {slug}: {reason}")?;
            }
        }
        for line in &self.archive {
            write!(f, "\n{line}")?;
        }
        if let Some(line) = &self.render {
            write!(f, "\n{line}")?;
        }
        if let Some(why) = &self.render_skipped {
            write!(f, "\nrendering skipped, static checks only: {why}")?;
        }
        write!(f, "\n{}", self.store)
    }
}

/// Surveys `sites` with `ruleset` (the command line's crawl flags in `options` applied over it)
/// into `store` as a new run.
pub async fn survey(
    sites: &[Site],
    ruleset: Arc<Ruleset>,
    mut store: Store,
    options: &SurveyOptions,
) -> Result<SurveyOutcome, SurveyError> {
    options.overrides.validate()?;
    if !options.beside_unfinished
        && let Some(info) = store.unfinished_run()?
    {
        let counts = store.run_counts(info.id)?;
        return Err(SurveyError::UnfinishedRun {
            db: store.path().to_string(),
            run: info.id,
            done: counts.sites_done,
            total: counts.sites,
            resume: resume_command(store.path()),
        });
    }
    let mut rules = (*ruleset).clone();
    rules.crawl = options.overrides.apply(&ruleset.crawl);
    let mut settings = RunSettings::new(&rules.crawl, &options.overrides);
    settings.sites_file = options.sites_file.clone();
    settings.selection = options.selection.clone();
    settings.origin = options.origin.clone();
    // Read before the run begins, so an archive that cannot be read leaves no run behind.
    let replay = open_replay(settings.replay.as_ref())?;
    // Likewise the browser: a survey asked to render does not begin without one.
    let browser = match render::start_browser(settings.render, options.chromium.as_deref()) {
        Ok(b) => b,
        Err(e) if options.render_optional => {
            settings.render_skipped = Some(e.to_string());
            None
        }
        Err(e) => {
            return Err(SurveyError::NoBrowser {
                mode: settings.render.as_str(),
                why: e.to_string(),
            });
        }
    };
    let json = serde_json::to_value(&settings).unwrap_or_default();
    let run = store.begin_run(&rules, &json, sites)?;
    run_survey(
        run,
        Arc::new(rules),
        &settings,
        store,
        options,
        replay,
        browser,
    )
    .await
}

/// The web archives a run is answered from, read (scanned, or their CDX indexes) once.
fn open_replay(
    replay: Option<&ReplaySettings>,
) -> Result<Option<Arc<crate::crawl::archive::Replay>>, SurveyError> {
    let Some(r) = replay else { return Ok(None) };
    let paths: Vec<std::path::PathBuf> = r.paths.iter().map(std::path::PathBuf::from).collect();
    let replay = crate::crawl::archive::Replay::open(&paths, r.as_of()?)
        .map_err(|e| SurveyError::Archive(format!("--from-warc: {e}")))?;
    if replay.summary().captures == 0 {
        return Err(SurveyError::Archive(format!(
            "--from-warc {}: no captures of web pages in these archives",
            r.paths.join(" ")
        )));
    }
    Ok(Some(Arc::new(replay)))
}

/// Continues the newest unfinished run exactly as it was started: its stored ruleset, crawl
/// budget, flags and councils. What `checks` carries (flags, `--ruleset`, councils given again)
/// must agree with the stored run.
pub async fn resume(
    store: Store,
    options: &SurveyOptions,
    checks: &ResumeChecks,
) -> Result<SurveyOutcome, SurveyError> {
    options.overrides.validate()?;
    let info = store
        .unfinished_run()?
        .ok_or_else(|| SurveyError::NothingToResume(store.path().to_string()))?;
    let (ruleset, settings) = resumable(&store, &info, checks)?;
    let replay = open_replay(settings.replay.as_ref())?;
    let browser = render::start_browser(settings.render_mode(), options.chromium.as_deref())
        .map_err(|e| SurveyError::NoBrowser {
            mode: settings.render.as_str(),
            why: format!("{e} (run {} renders its pages)", info.id),
        })?;
    run_survey(
        info.id,
        Arc::new(ruleset),
        &settings,
        store,
        options,
        replay,
        browser,
    )
    .await
}

/// The ruleset and settings to continue `info` with, after checking what was given again.
fn resumable(
    store: &Store,
    info: &RunInfo,
    checks: &ResumeChecks,
) -> Result<(Ruleset, RunSettings), SurveyError> {
    let current = env!("CARGO_PKG_VERSION");
    if info.civicscan_version != current {
        return Err(SurveyError::VersionChanged {
            run: info.id,
            stored: info.civicscan_version.clone(),
            current: current.to_string(),
        });
    }
    let settings = RunSettings::of_run(info)?;
    settings.check_resume(info.id, &checks.overrides)?;
    let mut ruleset = settings::stored_ruleset(info)?;
    if let Some(given) = &checks.ruleset
        && given.hash != info.ruleset_hash
    {
        return Err(SurveyError::RulesetChanged {
            run: info.id,
            given: given.source.clone(),
            given_hash: settings::short_hash(&given.hash),
            stored: info.ruleset_source.clone(),
            stored_hash: settings::short_hash(&info.ruleset_hash),
        });
    }
    let stored: Vec<Site> = store.sites(info.id)?.into_iter().map(|(s, _)| s).collect();
    checks.check_councils(info.id, &settings, &stored)?;
    ruleset.crawl = settings.budget(&ruleset);
    Ok((ruleset, settings))
}

/// Surveys the councils of `run` not done yet.
async fn run_survey(
    run: RunId,
    ruleset: Arc<Ruleset>,
    settings: &RunSettings,
    store: Store,
    options: &SurveyOptions,
    replay: Option<Arc<crate::crawl::archive::Replay>>,
    browser: Option<crate::render::Renderer>,
) -> Result<SurveyOutcome, SurveyError> {
    let run_sites = store.sites(run)?;
    let db_path = store.path().to_string();
    let store = Arc::new(Mutex::new(store));
    // Every write of the run from here until it is scored goes through the writer.
    let writer = Arc::new(StoreWriter::start(&store, run, WriterConfig::default())?);

    let mut config = CrawlConfig::from_budget(&ruleset.crawl);
    config.allow_private = settings.allow_private;
    config.from_email = settings.contact_email.clone();
    config.priority_patterns = priority_patterns(&ruleset);
    config.stop = options.stop.clone();
    let mut archive = Vec::new();
    let mut recorder = None;
    if let Some(replay) = replay {
        let s = replay.summary();
        archive.push(format!(
            "answered from web archives: {} captures of {} URLs in {} WARC files",
            s.captures, s.urls, s.files
        ));
        archive.extend(s.warnings.iter().map(|w| format!("warning: {w}")));
        config.source = Source::Archive(replay);
    } else if let Some(dir) = &settings.warc {
        let r = Arc::new(start_recorder(dir, run, &db_path, &ruleset, &config)?);
        config.source = Source::Recorded(Arc::clone(&r));
        recorder = Some(r);
    }
    let interval = config.interval();
    let crawler = Arc::new(Crawler::new(config).map_err(|e| SurveyError::Crawler(e.to_string()))?);

    let todo: Vec<(Site, SiteStatus)> = run_sites
        .iter()
        .filter(|(_, status)| *status != SiteStatus::Done)
        .cloned()
        .collect();
    let skipped = run_sites.len() - todo.len();
    let progress = Progress::new(
        options.progress,
        run_sites.len() as u64,
        skipped as u64,
        crawler.stats(),
        progress::Pace {
            max_pages: ruleset.crawl.max_pages as u64,
            interval,
        },
    );
    let render = browser.map(|b| {
        Arc::new(render::RenderStage::new(
            settings.render_mode(),
            b,
            crawler.clone(),
        ))
    });
    let mut handler = SurveyHandler::new(
        run,
        store.clone(),
        writer.clone(),
        ruleset.clone(),
        crawler.clone(),
        &run_sites,
        progress.clone(),
    );
    if let Some(r) = &render {
        handler = handler.with_render(r.clone());
    }
    let handler = Arc::new(handler);
    let display = tokio::spawn(progress.clone().run(options.stop.clone()));

    // Every site at once, up to what the open-files limit allows (each keeps a connection to
    // its host); the crawler's global cap bounds requests in flight and grows with the work, and
    // per-host limiters keep each council's rate. (Capping sites at a fixed request cap instead
    // left every council past the 64th waiting for a whole earlier one: twice the politeness
    // bound at 100 councils, see benches/crawl.rs.) A site in flight holds about 70 KB.
    let sites_at_once = todo.len().min(crawler.sites_at_once()).max(1);
    let shared = Arc::new(Shared {
        run,
        store: store.clone(),
        writer: writer.clone(),
        ruleset: ruleset.clone(),
        crawler: crawler.clone(),
        handler: handler.clone(),
        finishing: Arc::new(tokio::sync::Semaphore::new(finishing_slots())),
        store_calls: tokio::sync::Semaphore::new(finishing_slots()),
    });
    let results: Vec<Result<Option<SiteDone>, SurveyError>> = futures::stream::iter(todo)
        .map(|(site, status)| {
            let shared = shared.clone();
            let progress = progress.clone();
            let slug = site.slug.clone();
            // Each council a task of its own, run by the runtime's workers, rather than polled
            // with every other council inside this one future on the thread that drives it.
            let council = tokio::spawn(async move {
                let began = Instant::now();
                let started = status != SiteStatus::Pending;
                let assessment = survey_site(&site, started, &shared).await?;
                Ok(assessment.map(|a| {
                    progress.council_done(&a, began.elapsed());
                    SiteDone {
                        slug: a.site.slug,
                        failure: a.failure,
                    }
                }))
            });
            async move {
                council.await.unwrap_or_else(|e| {
                    Err(SurveyError::Council {
                        slug,
                        message: e.to_string(),
                    })
                })
            }
        })
        .buffer_unordered(sites_at_once)
        .collect()
        .await;
    display.abort();
    progress.finish();
    // Everything handed to the writer is committed before the run is scored or left for
    // `--resume` (a stopped run keeps every page it finished).
    let store_stats = writer.close();
    if let Some(r) = &recorder {
        let summary = r.finish().await.map_err(|why| {
            SurveyError::Archive(format!(
                "{why}; run {run} stopped: continue it with `{}` once the archive can be written",
                resume_command(&db_path)
            ))
        })?;
        archive.push(format!(
            "web archive: {} exchanges, {:.1} MB in {} files in {}",
            summary.exchanges,
            summary.bytes as f64 / 1e6,
            summary.files.len(),
            settings.warc.as_deref().unwrap_or_default()
        ));
    }

    let mut failures = Vec::new();
    let mut assessed = 0;
    let mut pending = 0;
    for r in results {
        let Some(a) = r? else {
            pending += 1;
            continue;
        };
        assessed += 1;
        if let Some(reason) = a.failure {
            failures.push((a.slug, reason));
        }
    }
    if pending > 0 {
        return Err(SurveyError::Interrupted {
            run,
            pages: store_stats.pages,
            pending,
            resume: resume_command(&db_path),
        });
    }
    let mut store = lock(&store);
    crate::score::score_and_record(&mut store, run, &ruleset)
        .map_err(|e| SurveyError::Score(e.to_string()))?;
    store.finish_run(run)?;
    let counts = store.run_counts(run)?;
    drop(store);
    Ok(SurveyOutcome {
        run,
        sites_assessed: assessed,
        sites_skipped: skipped,
        failures,
        pages: store_stats.pages,
        counts,
        archive,
        render: render.as_ref().map(|r| r.summary()),
        render_skipped: settings.render_skipped.clone(),
        store: store_stats,
    })
}

/// Starts writing the run's web archive into `dir`, each file's `warcinfo` naming the run.
fn start_recorder(
    dir: &str,
    run: RunId,
    db: &str,
    ruleset: &Ruleset,
    config: &CrawlConfig,
) -> Result<crate::crawl::archive::Recorder, SurveyError> {
    let mut rc = crate::crawl::archive::RecorderConfig::new(std::path::Path::new(dir));
    rc.info = vec![
        ("isPartOf".into(), format!("civicscan run {run} of {db}")),
        ("civicscan-run".into(), run.to_string()),
        ("civicscan-database".into(), db.to_string()),
        (
            "ruleset".into(),
            format!("{} {}", ruleset.name, ruleset.edition),
        ),
        ("ruleset-sha256".into(), ruleset.hash.clone()),
        ("http-header-user-agent".into(), config.user_agent()),
    ];
    if let Some(from) = &config.from_email {
        rc.info.push(("http-header-from".into(), from.clone()));
    }
    crate::crawl::archive::Recorder::start(rc, config.stop.clone())
        .map_err(|e| SurveyError::Archive(format!("--warc: {e}")))
}

/// Every task and service pattern: links that match are crawled first.
fn priority_patterns(ruleset: &Ruleset) -> Vec<String> {
    let mut out = Vec::new();
    for t in &ruleset.tasks {
        out.extend(t.patterns.iter().cloned());
        out.extend(t.url_patterns.iter().cloned());
        out.extend(t.landing_patterns.iter().cloned());
    }
    for s in &ruleset.services {
        out.extend(s.patterns.iter().cloned());
    }
    out.extend(ruleset.navigation.a_to_z_link.iter().cloned());
    out.extend(ruleset.navigation.accessibility_statement.iter().cloned());
    out.into_iter().map(|r| r.as_str().to_string()).collect()
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll back).
    store.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs a call to the store's writer (which waits while its queue is full, or for a commit)
/// off the async threads, within `slots`: a thousand councils starting, or finishing their
/// crawls, at once each held a blocking thread waiting for the writer (tokio's 512 in all).
async fn blocking<T: Send + 'static>(
    writer: &Arc<StoreWriter>,
    slots: &tokio::sync::Semaphore,
    f: impl FnOnce(&StoreWriter) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, SurveyError> {
    let w = Arc::clone(writer);
    // Never closed; were it, the call would go on without a slot.
    let _slot = slots.acquire().await.ok();
    tokio::task::spawn_blocking(move || f(&w))
        .await
        .map_err(|e| {
            SurveyError::Store(StoreError::Writer {
                path: writer.path().to_string(),
                message: format!("a call to the store's writer failed: {e}"),
            })
        })?
        .map_err(SurveyError::from)
}

/// Runs a read of the store off the async threads: it waits for the store's lock, and reading a
/// site's pages decompresses every page's facts (a megabyte or two), which on an I/O thread
/// held up the requests of every other council scheduled there.
async fn read<T: Send + 'static>(
    store: &Arc<Mutex<Store>>,
    f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, SurveyError> {
    let s = Arc::clone(store);
    tokio::task::spawn_blocking(move || f(&lock(&s)))
        .await
        .map_err(|e| {
            // Only after a panic in the read, so waiting for the lock here costs nothing.
            SurveyError::Store(StoreError::Writer {
                path: lock(store).path().to_string(),
                message: format!("a read of the store failed: {e}"),
            })
        })?
        .map_err(SurveyError::from)
}

/// A council done in this invocation, as the survey's outcome needs it: the rest of its
/// assessment is in the store (a run of thousands of councils keeps no assessments in memory).
struct SiteDone {
    slug: String,
    failure: Option<String>,
}

/// End-of-site work at once at most (reading a council's stored facts back, a megabyte or two,
/// and assessing them): twice the cores. Councils of a run finish their crawls at about the same
/// time, and each holding its facts at once made the survey's memory peak at the end.
fn finishing_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) * 2
}

/// An extra page fetched after the crawl (a site search, a page for the duty checks), parsed
/// off the async threads, without its body.
async fn fetch_extra(
    crawler: &Crawler,
    handler: &Arc<SurveyHandler>,
    finishing: &tokio::sync::Semaphore,
    site: &Site,
    url: url::Url,
) -> (crate::crawl::Page, Option<crate::page::PageFacts>) {
    let page = Box::pin(crawler.fetch(site, url, FetchKind::Html)).await;
    let h = Arc::clone(handler);
    // Never closed; were it, the page would be parsed without a slot.
    let _slot = finishing.acquire().await.ok();
    handler
        .cpu()
        .spawn(move || {
            let facts = h.facts_of(&page);
            (strip_body(page), facts)
        })
        .await
}

/// What every council of a run shares.
struct Shared {
    run: RunId,
    /// For reads; every write goes through `writer`.
    store: Arc<Mutex<Store>>,
    writer: Arc<StoreWriter>,
    ruleset: Arc<Ruleset>,
    crawler: Arc<Crawler>,
    handler: Arc<SurveyHandler>,
    /// Slots for end-of-site work ([`finishing_slots`]).
    finishing: Arc<tokio::sync::Semaphore>,
    /// Slots for calls that wait for the store's writer ([`blocking`]) or for its lock (the
    /// resume read at a council's start), as many.
    store_calls: tokio::sync::Semaphore,
}

/// Surveys one council; `started` says whether an earlier invocation started its crawl (only
/// then can pages of it be stored already).
async fn survey_site(
    site: &Site,
    started: bool,
    shared: &Shared,
) -> Result<Option<SiteAssessment>, SurveyError> {
    let Shared {
        run,
        store,
        writer,
        crawler,
        handler,
        store_calls,
        ..
    } = shared;
    let run = *run;
    // Stopped: a site not started stays pending; one stopped mid-crawl keeps its stored pages
    // and is not assessed, so a resumed run finishes it as if it had never been interrupted.
    if crawler.config().stop.is_stopped() {
        return Ok(None);
    }
    let slug = site.slug.clone();
    blocking(writer, store_calls, move |w| {
        w.write(Write::StartSite { slug })
    })
    .await?;
    // Pages of an earlier invocation: committed before this one began.
    let resume = if started {
        let _slot = store_calls.acquire().await.ok();
        let slug = site.slug.clone();
        read(store, move |s| {
            let mut resume = Resume::none();
            for p in s.pages(run, &slug)? {
                resume.add_page(&p.page, &SurveyHandler::discovered(p.facts.as_ref()));
            }
            Ok(resume)
        })
        .await?
    } else {
        Resume::none()
    };
    // Boxed: the crawl's state is the bulk of this future, and a council waiting for its end-of-site
    // work should not keep room for it (a thousand councils finish their crawls together).
    let report = Box::pin(crawler.crawl_site(site, handler.clone(), resume)).await;
    // The end-of-site work in its own box too: a council being crawled does not keep room for
    // the state of its assessment.
    Box::pin(assess_site(site, report, shared)).await
}

/// A council's work after its crawl: its site searches and the legal duties' extra pages,
/// then the assessment from its stored pages.
async fn assess_site(
    site: &Site,
    report: SiteCrawlReport,
    shared: &Shared,
) -> Result<Option<SiteAssessment>, SurveyError> {
    let Shared {
        run,
        store,
        writer,
        ruleset,
        crawler,
        handler,
        finishing,
        store_calls,
    } = shared;
    let run = *run;
    if report.stopped {
        handler.forget_site(&site.slug);
        return Ok(None);
    }

    // The council's stylesheets are not needed after its crawl, unless task pages are rendered
    // after it: let go now, not after waiting for an end-of-site slot (councils finish their
    // crawls at about the same time, and every one waiting held its parsed stylesheets).
    if !handler.renders_key_pages() {
        handler.forget_site(&site.slug);
    }
    blocking(writer, store_calls, StoreWriter::flush).await?;
    // Held while the council's facts are in memory, let go while it waits on its host. (The
    // semaphore is never closed; were it, the work would go on without a slot.)
    let mut permit = finishing.clone().acquire_owned().await.ok();
    let mut facts = SiteFacts {
        site: site.clone(),
        pages: site_pages(store, run, &site.slug).await?,
        searches: Vec::new(),
    };

    // The site's own search, through the crawler so politeness applies.
    let searches = audit::tasks::search_requests(&facts, ruleset);
    if !searches.is_empty() {
        // The searches wait on the host's rate limit for seconds, and every council finishes
        // its crawl at about the same time: holding every page's facts meanwhile made the
        // survey's peak memory grow with pages per site (benches/crawl.rs). Read them again after.
        facts.pages = Vec::new();
        drop(permit.take());
        for (term, url) in searches {
            let (page, parsed) = fetch_extra(crawler, handler, finishing, site, url.clone()).await;
            let results = parsed.map(|f| PageRecord {
                facts: Some(audit::tasks::search_results_facts(f, &page.final_url)),
                page,
            });
            facts.searches.push(SearchRecord { term, url, results });
        }
        permit = finishing.clone().acquire_owned().await.ok();
        facts.pages = site_pages(store, run, &site.slug).await?;
    }

    // A survey answered from archives judges dates as of the home page's capture.
    let today = match facts.pages.first() {
        Some(home) if crawler.config().replaying() => {
            jiff::Timestamp::from_millisecond(home.page.fetched_at_ms)
                .map(|t| t.to_zoned(jiff::tz::TimeZone::system()).date())
                .unwrap_or_else(|_| jiff::Zoned::now().date())
        }
        _ => jiff::Zoned::now().date(),
    };
    let crawl = crawl_summary(&report, &facts.pages);
    let failure = report
        .failure
        .clone()
        .or_else(|| {
            (!facts
                .pages
                .iter()
                .any(|p| p.page.kind == PageKind::Html && p.page.status < 400))
            .then(|| "no HTML page could be fetched".to_string())
        })
        .or_else(|| unreadable(&crawl));
    let (facts, tasks) = if failure.is_some() {
        (facts, Vec::new())
    } else {
        let r = ruleset.clone();
        handler
            .cpu()
            .spawn(move || {
                let tasks = audit::tasks::assess(&facts, &r, today);
                (facts, tasks)
            })
            .await
    };
    // With `--render key`, every task page taken is rendered, whether or not the crawl took
    // it for a key page.
    if handler.renders_key_pages() {
        for url in tasks.iter().filter_map(|t| t.page_url.as_deref()) {
            let Ok(url) = url::Url::parse(url) else {
                continue;
            };
            let (h, slug) = (handler.clone(), site.slug.clone());
            let _ = tokio::task::spawn_blocking(move || h.render_task_page(&slug, &url)).await;
        }
    }
    handler.forget_site(&site.slug);
    let task_pages: Vec<String> = tasks.iter().filter_map(|t| t.page_url.clone()).collect();
    let check_duties = failure.is_none();
    let r = ruleset.clone();
    let (mut facts, coverage, mut digital, extra_urls) = handler
        .cpu()
        .spawn(move || {
            let coverage = audit::coverage::assess(&facts, &r);
            let digital = audit::digital::assess(&facts, &r);
            let extra = if check_duties {
                audit::duties::extra_fetches(&facts, &task_pages, &r)
            } else {
                Vec::new()
            };
            (facts, coverage, digital, extra)
        })
        .await;
    if check_duties {
        // The legal duties may need a few pages the crawl did not reach: fetched through the
        // crawler (robots.txt, the host's rate, budgets), the facts let go meanwhile as above.
        let mut extra = Vec::new();
        if !extra_urls.is_empty() {
            facts.pages = Vec::new();
            drop(permit.take());
            for url in extra_urls {
                if crawler.config().stop.is_stopped() {
                    break;
                }
                let (page, parsed) = fetch_extra(crawler, handler, finishing, site, url).await;
                extra.push(PageRecord {
                    page,
                    facts: parsed,
                });
            }
            permit = finishing.clone().acquire_owned().await.ok();
            facts.pages = site_pages(store, run, &site.slug).await?;
        }
        let (r, t) = (ruleset.clone(), tasks.clone());
        (facts, digital) = handler
            .cpu()
            .spawn(move || {
                duties::assess(&facts, &extra, &t, &r, today, &mut digital);
                (facts, digital)
            })
            .await;
    }
    let slug = site.slug.clone();
    let findings = read(store, move |s| s.findings(run, &slug)).await?;
    let (r, t) = (ruleset.clone(), tasks.clone());
    let (facts, a11y) = handler
        .cpu()
        .spawn(move || {
            let a11y = summarise_a11y(&facts, &t, &findings, &r);
            (facts, a11y)
        })
        .await;
    let pages_fetched = facts.pages.len() as u32;
    drop(facts);
    drop(permit);
    let assessment = SiteAssessment {
        site: site.clone(),
        pages_fetched,
        failure,
        tasks,
        coverage,
        digital,
        a11y,
        crawl,
    };
    let write = Write::Assessment(Box::new(assessment.clone()));
    blocking(writer, store_calls, move |w| w.write_and_wait(write)).await?;
    Ok(Some(assessment))
}

/// A council's pages by outcome and what its crawl left out.
fn crawl_summary(report: &SiteCrawlReport, pages: &[PageRecord]) -> CrawlSummary {
    let mut summary = CrawlSummary {
        robots_blocked: report.robots_blocked as u32,
        traps_skipped: report.traps_skipped as u32,
        host_given_up: report.host_given_up.clone(),
        ..Default::default()
    };
    for p in pages {
        *summary
            .pages_by_outcome
            .entry(p.page.outcome().as_str().to_string())
            .or_insert(0) += 1;
    }
    let b = &report.budgets;
    for (hit, name) in [
        (b.pages, "pages"),
        (b.depth, "depth"),
        (b.time, "time"),
        (b.bytes, "bytes"),
    ] {
        if hit {
            summary.budgets_hit.push(name.to_string());
        }
    }
    summary
}

/// Why a council whose home page answered still cannot be judged: when most of its pages could
/// not be read at all (timeouts, refused or dropped connections, a host given up), a score would
/// judge the survey's luck, not the site. A council's own broken links (HTTP 4xx) and server
/// errors are part of the site and do not count here.
fn unreadable(crawl: &CrawlSummary) -> Option<String> {
    let total: u32 = crawl.pages_by_outcome.values().sum();
    let lost: Vec<(PageOutcome, u32)> = [
        PageOutcome::Timeout,
        PageOutcome::Refused,
        PageOutcome::Network,
        PageOutcome::NotAllowed,
        PageOutcome::NotArchived,
    ]
    .into_iter()
    .map(|o| (o, crawl.pages(o)))
    .filter(|(_, n)| *n > 0)
    .collect();
    let lost_total: u32 = lost.iter().map(|(_, n)| n).sum();
    if total < 4 || lost_total * 2 <= total {
        return None;
    }
    let kinds: Vec<String> = lost
        .iter()
        .map(|(o, n)| format!("{n} {}", o.label()))
        .collect();
    Some(format!(
        "{lost_total} of {total} pages could not be read ({})",
        kinds.join(", ")
    ))
}

/// A site's stored pages with their facts, in fetch order.
async fn site_pages(
    store: &Arc<Mutex<Store>>,
    run: RunId,
    slug: &str,
) -> Result<Vec<PageRecord>, SurveyError> {
    let slug = slug.to_string();
    read(store, move |s| {
        Ok(s.pages(run, &slug)?
            .into_iter()
            .map(|p| PageRecord {
                page: p.page,
                facts: p.facts,
            })
            .collect())
    })
    .await
}

fn strip_body(mut page: crate::crawl::Page) -> crate::crawl::Page {
    page.body = None;
    page
}

/// Counts findings by impact, overall and on the key pages (the home page and key tasks' pages).
fn summarise_a11y(
    facts: &SiteFacts,
    tasks: &[audit::tasks::TaskResult],
    findings: &[(String, a11y::Finding)],
    ruleset: &Ruleset,
) -> A11ySummary {
    let mut key_pages: Vec<String> = facts
        .pages
        .iter()
        .take(1)
        .map(|p| p.page.url.to_string())
        .collect();
    for t in tasks {
        if ruleset.task(&t.task).is_some_and(|task| task.key)
            && let Some(url) = &t.page_url
        {
            key_pages.push(url.clone());
            if let Some(p) = facts
                .pages
                .iter()
                .find(|p| p.page.final_url.as_str() == url)
            {
                key_pages.push(p.page.url.to_string());
            }
        }
    }
    let mut s = A11ySummary {
        pages_audited: facts.pages.iter().filter(|p| p.facts.is_some()).count() as u32,
        ..Default::default()
    };
    let mut failing_pages: HashMap<&str, ()> = HashMap::new();
    for (page, f) in findings {
        if f.outcome == Outcome::CantTell {
            s.cant_tell += 1;
            continue;
        }
        // Only failed WCAG criteria count against the site (score and pass alike).
        if !f.is_wcag_failure() {
            s.best_practice += 1;
            continue;
        }
        failing_pages.insert(page.as_str(), ());
        let key = key_pages.iter().any(|k| k == page);
        match f.impact {
            a11y::Impact::Critical => {
                s.critical += 1;
                s.key_page_critical += u32::from(key);
            }
            a11y::Impact::Serious => {
                s.serious += 1;
                s.key_page_serious += u32::from(key);
            }
            a11y::Impact::Moderate => s.moderate += 1,
            a11y::Impact::Minor => s.minor += 1,
        }
    }
    s.pages_without_failures = s.pages_audited.saturating_sub(failing_pages.len() as u32);
    let statement = &ruleset.navigation.accessibility_statement;
    let summaries: Vec<a11y::PageSummary> = facts
        .pages
        .iter()
        .filter_map(|p| {
            let f = p.facts.as_ref()?;
            Some(a11y::PageSummary {
                url: p.page.final_url.clone(),
                title: f.title.clone(),
                links_to_statement: f.links.iter().any(|l| {
                    statement
                        .iter()
                        .any(|r| r.is_match(&l.text) || r.is_match(l.href.path()))
                }),
            })
        })
        .collect();
    s.site_findings = a11y::site_findings(&summaries, &ruleset.accessibility);
    s
}
