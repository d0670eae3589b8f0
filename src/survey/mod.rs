//! The survey pipeline: for every site, crawl → parse and audit each page → store it; then run the
//! site searches, assess tasks, coverage and digital indicators, and store the assessment; finally
//! score the run.
//!
//! This module only wires the stages together (each stage owns its logic). It owns the order of
//! writes that makes a run resumable: a page is stored with its findings as it arrives, a site's
//! assessment is stored before the site counts as done, and the run is marked finished last.

pub mod check;
mod duties;
mod handler;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::audit::a11y::{self, Outcome};
use crate::audit::{self, A11ySummary, PageRecord, SearchRecord, SiteAssessment, SiteFacts};
use crate::crawl::{CrawlConfig, Crawler, FetchKind, PageKind, Resume, StopSignal};
use crate::ruleset::Ruleset;
use crate::sites::Site;
use crate::store::{RunId, SiteStatus, Store, StoreError};
use futures::StreamExt;

pub use check::{CheckError, CheckOutcome, CheckRequest, check};
pub use handler::SurveyHandler;

/// How a survey runs.
#[derive(Debug, Clone, Default)]
pub struct SurveyOptions {
    /// Continue the newest unfinished run instead of starting a new one.
    pub resume: bool,
    /// Allow private and loopback addresses (tests and the demo web).
    pub allow_private: bool,
    /// A contact e-mail sent in the `From` header.
    pub contact_email: Option<String>,
    /// Show a progress display on a terminal.
    pub progress: bool,
    /// Settings recorded with the run (flags and the like).
    pub settings: serde_json::Value,
    /// Raised (on Ctrl-C) to stop cleanly: the pages in hand are finished and stored, no site is
    /// assessed half-crawled, and the run is left unfinished for `--resume`.
    pub stop: StopSignal,
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
    /// The crawler could not be set up.
    #[error("cannot start the crawler: {0}")]
    Crawler(String),
    /// The ruleset differs from the one the resumed run started with.
    #[error("run {run} started with a different ruleset ({ruleset}); resume it with the same file")]
    RulesetChanged {
        /// The run.
        run: RunId,
        /// The ruleset it used.
        ruleset: String,
    },
    /// `--resume` was asked for, but there is nothing to resume.
    #[error("{0}: no unfinished run to resume")]
    NothingToResume(String),
    /// The survey was stopped before every site was assessed; the run can be resumed.
    #[error(
        "interrupted: run {run} stopped after finishing the pages in hand ({pages} pages stored, {pending} councils still to do); continue it with `civicscan survey --resume`"
    )]
    Interrupted {
        /// The run, left unfinished.
        run: RunId,
        /// Pages stored in this invocation.
        pages: u64,
        /// Sites not assessed yet.
        pending: usize,
    },
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
    /// Sites that could not be surveyed, with the reason.
    pub failures: Vec<(String, String)>,
    /// Pages stored in this invocation.
    pub pages: u64,
}

impl std::fmt::Display for SurveyOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "run {}: {} councils surveyed, {} pages stored",
            self.run, self.sites_assessed, self.pages
        )?;
        if self.sites_skipped > 0 {
            write!(f, ", {} already done before resuming", self.sites_skipped)?;
        }
        if !self.failures.is_empty() {
            write!(f, "\n{} could not be surveyed:", self.failures.len())?;
            for (slug, reason) in &self.failures {
                write!(f, "\n  {slug}: {reason}")?;
            }
        }
        Ok(())
    }
}

/// Surveys `sites` with `ruleset` into `store`.
pub async fn survey(
    sites: &[Site],
    ruleset: Arc<Ruleset>,
    store: Store,
    options: &SurveyOptions,
) -> Result<SurveyOutcome, SurveyError> {
    let mut store = store;
    let run = if options.resume {
        let info = store
            .unfinished_run()?
            .ok_or_else(|| SurveyError::NothingToResume(store.path().to_string()))?;
        if info.ruleset_hash != ruleset.hash {
            return Err(SurveyError::RulesetChanged {
                run: info.id,
                ruleset: info.ruleset_source,
            });
        }
        info.id
    } else {
        store.begin_run(&ruleset, &options.settings, sites)?
    };
    let run_sites = store.sites(run)?;
    let store = Arc::new(Mutex::new(store));

    let mut config = CrawlConfig::from_budget(&ruleset.crawl);
    config.allow_private = options.allow_private;
    config.from_email = options.contact_email.clone();
    config.priority_patterns = priority_patterns(&ruleset);
    config.stop = options.stop.clone();
    let crawler = Arc::new(Crawler::new(config).map_err(|e| SurveyError::Crawler(e.to_string()))?);

    let handler = Arc::new(SurveyHandler::new(
        run,
        store.clone(),
        ruleset.clone(),
        crawler.clone(),
        &run_sites,
    ));
    let progress = Progress::new(options.progress, run_sites.len() as u64);

    let todo: Vec<Site> = run_sites
        .iter()
        .filter(|(_, status)| *status != SiteStatus::Done)
        .map(|(site, _)| site.clone())
        .collect();
    let skipped = run_sites.len() - todo.len();
    progress.skip(skipped as u64);

    // All sites run at once; the crawler's global cap bounds requests in flight, and per-host
    // limiters keep each council's rate. (Capping sites at the global request cap instead left
    // every council past the 64th waiting for a whole earlier one: twice the politeness bound at
    // 100 councils, see benches/crawl.rs.)
    let sites_at_once = todo.len().max(1);
    let results: Vec<Result<Option<SiteAssessment>, SurveyError>> = futures::stream::iter(todo)
        .map(|site| {
            let store = store.clone();
            let ruleset = ruleset.clone();
            let crawler = crawler.clone();
            let handler = handler.clone();
            let progress = progress.clone();
            async move {
                let assessment = survey_site(&site, run, store, ruleset, crawler, handler).await;
                progress.site_done(&site.slug);
                assessment
            }
        })
        .buffer_unordered(sites_at_once)
        .collect()
        .await;
    progress.finish();

    let mut failures = Vec::new();
    let mut assessed = 0;
    let mut pending = 0;
    for r in results {
        let Some(a) = r? else {
            pending += 1;
            continue;
        };
        assessed += 1;
        if let Some(reason) = &a.failure {
            failures.push((a.site.slug.clone(), reason.clone()));
        }
    }
    if pending > 0 {
        return Err(SurveyError::Interrupted {
            run,
            pages: handler.pages_stored(),
            pending,
        });
    }
    let mut store = lock(&store);
    crate::report::score_and_record(&mut store, run, &ruleset)
        .map_err(|e| SurveyError::Score(e.to_string()))?;
    store.finish_run(run)?;
    drop(store);
    Ok(SurveyOutcome {
        run,
        sites_assessed: assessed,
        sites_skipped: skipped,
        failures,
        pages: handler.pages_stored(),
    })
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

async fn survey_site(
    site: &Site,
    run: RunId,
    store: Arc<Mutex<Store>>,
    ruleset: Arc<Ruleset>,
    crawler: Arc<Crawler>,
    handler: Arc<SurveyHandler>,
) -> Result<Option<SiteAssessment>, SurveyError> {
    // Stopped: a site not started stays pending; one stopped mid-crawl keeps its stored pages
    // and is not assessed, so a resumed run finishes it as if it had never been interrupted.
    if crawler.config().stop.is_stopped() {
        return Ok(None);
    }
    lock(&store).start_site(run, &site.slug)?;
    let stored = lock(&store).pages(run, &site.slug)?;
    let mut resume = Resume::none();
    for p in &stored {
        resume.add_page(&p.page, &SurveyHandler::discovered(p.facts.as_ref()));
    }
    let report = crawler.crawl_site(site, handler.clone(), resume).await;
    if report.stopped {
        return Ok(None);
    }

    let mut facts = SiteFacts {
        site: site.clone(),
        pages: site_pages(&store, run, &site.slug)?,
        searches: Vec::new(),
    };

    // The site's own search, through the crawler so politeness applies.
    let searches = audit::tasks::search_requests(&facts, &ruleset);
    if !searches.is_empty() {
        // The searches wait on the host's rate limit for seconds, and every council finishes
        // its crawl at about the same time: holding every page's facts meanwhile made the
        // survey's peak memory grow with pages per site (benches/crawl.rs). Read them again after.
        facts.pages = Vec::new();
        for (term, url) in searches {
            let page = crawler.fetch(site, url.clone(), FetchKind::Html).await;
            let results = handler.facts_of(&page).map(|f| PageRecord {
                page: strip_body(page),
                facts: Some(f),
            });
            facts.searches.push(SearchRecord { term, url, results });
        }
        facts.pages = site_pages(&store, run, &site.slug)?;
    }

    let today = jiff::Zoned::now().date();
    let failure = report.failure.clone().or_else(|| {
        (!facts
            .pages
            .iter()
            .any(|p| p.page.kind == PageKind::Html && p.page.status < 400))
        .then(|| "no HTML page could be fetched".to_string())
    });
    let tasks = if failure.is_some() {
        Vec::new()
    } else {
        audit::tasks::assess(&facts, &ruleset, today)
    };
    let coverage = audit::coverage::assess(&facts, &ruleset);
    let mut digital = audit::digital::assess(&facts, &ruleset);
    if failure.is_none() {
        duties::check(
            &facts,
            &tasks,
            &ruleset,
            &crawler,
            &handler,
            today,
            &mut digital,
        )
        .await;
    }
    let findings = lock(&store).findings(run, &site.slug)?;
    let a11y = summarise_a11y(&facts, &tasks, &findings, &ruleset);
    let assessment = SiteAssessment {
        site: site.clone(),
        pages_fetched: facts.pages.len() as u32,
        failure,
        tasks,
        coverage,
        digital,
        a11y,
    };
    lock(&store).record_assessment(run, &assessment)?;
    Ok(Some(assessment))
}

/// A site's stored pages with their facts, in fetch order.
fn site_pages(
    store: &Mutex<Store>,
    run: RunId,
    slug: &str,
) -> Result<Vec<PageRecord>, SurveyError> {
    Ok(lock(store)
        .pages(run, slug)?
        .into_iter()
        .map(|p| PageRecord {
            page: p.page,
            facts: p.facts,
        })
        .collect())
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

/// The progress display: sites done of all, on a terminal only.
#[derive(Clone)]
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(show: bool, sites: u64) -> Progress {
        let bar = show.then(|| {
            let bar = indicatif::ProgressBar::new(sites);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} sites {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            bar
        });
        Progress { bar }
    }

    fn skip(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }

    fn site_done(&self, slug: &str) {
        if let Some(b) = &self.bar {
            b.set_message(format!("last: {slug}"));
            b.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
