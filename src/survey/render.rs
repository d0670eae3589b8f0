//! The survey's render stage (`--render key|all`): which pages go to the browser, the browser's
//! requests answered through the run's crawler on behalf of the council (so robots.txt, the
//! per-host limiter and `--warc` apply to them as to the crawl), and a tally for the outcome.
//!
//! A page is rendered in the handler, after its static parse: its rendered findings replace
//! the static ones, and a page that cannot be rendered keeps its static findings with the
//! reason in its facts ([`Rendering::NotRendered`]). A council's scripts and stylesheets are
//! asked of the crawler once per council crawl, not once per page: the answers are kept until
//! the council's crawl ends (up to [`CACHE_BYTES`] a council and [`CACHE_BYTES_ALL`] for every
//! council in flight at once), since each page opens in a fresh tab with nothing cached.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use url::Url;

use crate::audit::a11y::{Finding, SiteCss};
use crate::audit::tasks::site::is_transaction_form;
use crate::crawl::{Crawler, Page};
use crate::page::{PageFacts, Rendering};
use crate::render::{
    self, Refusal, RenderError, RenderMode, RenderOptions, Renderer, Response, Source,
};
use crate::ruleset::Ruleset;
use crate::sites::Site;

use super::cpu::CpuPool;

/// The most bytes of a council's scripts and stylesheets kept for its other pages.
pub const CACHE_BYTES: usize = 8 << 20;

/// The most bytes kept for all councils together: a national run crawls hundreds at once.
pub const CACHE_BYTES_ALL: usize = 96 << 20;

/// Reasons of pages not rendered kept for the outcome's summary.
const REASONS_KEPT: usize = 3;

/// Finds and starts the browser for `mode` (none for `off`), so that a missing or broken one is
/// known before a run begins.
pub fn start_browser(
    mode: RenderMode,
    chromium: Option<&Path>,
) -> Result<Option<Renderer>, RenderError> {
    if mode == RenderMode::Off {
        return Ok(None);
    }
    let path = render::find_chromium(chromium)?;
    Renderer::start(RenderOptions::new(path)).map(Some)
}

/// The render stage of one run.
pub struct RenderStage {
    mode: RenderMode,
    renderer: Renderer,
    crawler: Arc<Crawler>,
    runtime: tokio::runtime::Handle,
    /// Answers to the browser's requests, by council, while the council is crawled, and the
    /// bytes they hold together.
    cache: Mutex<(usize, HashMap<String, SiteCache>)>,
    rendered: AtomicU64,
    not_rendered: AtomicU64,
    reasons: Mutex<Vec<String>>,
}

#[derive(Default)]
struct SiteCache {
    bytes: usize,
    answers: HashMap<Url, Result<Response, Refusal>>,
}

/// A page as the browser left it, audited.
pub struct RenderedAudit {
    /// The facts of the DOM after scripts, its links and forms that the page as served lacks
    /// marked as built by script.
    pub facts: PageFacts,
    /// The rendered findings (each marked rendered).
    pub findings: Vec<Finding>,
    /// The page as rendered.
    pub page: render::RenderedPage,
}

impl RenderStage {
    /// The stage for a run, with the browser from [`start_browser`]. Must be created inside the
    /// tokio runtime.
    pub fn new(mode: RenderMode, renderer: Renderer, crawler: Arc<Crawler>) -> RenderStage {
        RenderStage {
            mode,
            renderer,
            crawler,
            runtime: tokio::runtime::Handle::current(),
            cache: Mutex::new((0, HashMap::new())),
            rendered: AtomicU64::new(0),
            not_rendered: AtomicU64::new(0),
            reasons: Mutex::new(Vec::new()),
        }
    }

    /// Which pages it renders.
    pub fn mode(&self) -> RenderMode {
        self.mode
    }

    /// The browser (for measuring its memory).
    pub fn renderer(&self) -> &Renderer {
        &self.renderer
    }

    /// Whether `page` (with its static `facts`) is rendered: every HTML page with `all`; with
    /// `key`, the home page, a page the ruleset recognises as a task's, and a page with a form
    /// to fill in (not a site search).
    pub fn wants(
        &self,
        site: Option<&Site>,
        page: &Page,
        facts: &PageFacts,
        ruleset: &Ruleset,
    ) -> bool {
        match self.mode {
            RenderMode::Off => false,
            RenderMode::All => true,
            RenderMode::Key => {
                is_home(site, page)
                    || facts
                        .forms
                        .iter()
                        .any(|f| is_transaction_form(f, &ruleset.navigation))
                    || !crate::audit::tasks::classify(&page.final_url, facts, ruleset)
                        .tasks
                        .is_empty()
            }
        }
    }

    /// Renders `page` (its HTML body as fetched, whose facts are `served`) for the council
    /// `slug`, reads its facts again from the DOM after scripts and audits it. Called on a
    /// blocking thread, which waits for the browser; the parse and audit of the rendered DOM
    /// run on the survey's `cpu` pool, like every other page's (so each regex keeps its match
    /// caches for the pool's few threads only). The outcome is tallied.
    pub(crate) fn render(
        &self,
        slug: &str,
        page: &Page,
        served: &PageFacts,
        css: &SiteCss,
        ruleset: &Arc<Ruleset>,
        cpu: &CpuPool,
    ) -> Result<RenderedAudit, RenderError> {
        let source = CouncilSource { stage: self, slug };
        let body = page.body.as_deref().unwrap_or_default();
        let result = self
            .runtime
            .block_on(self.renderer.render(&page.final_url, body, &source));
        match result {
            Ok(rendered) => {
                self.rendered.fetch_add(1, Ordering::Relaxed);
                let (url, served, css, ruleset) = (
                    page.final_url.clone(),
                    served.clone(),
                    css.clone(),
                    Arc::clone(ruleset),
                );
                Ok(cpu.run(move || {
                    let (findings, _) =
                        render::checks::audit(&rendered, &css, &ruleset.accessibility, false);
                    let mut facts = crate::page::ParsedPage::parse(url, &rendered.html).facts();
                    facts.mark_from_script(&served);
                    facts.rendering = Some(Rendering::Rendered {
                        scripts_missing: rendered.scripts_missing,
                    });
                    RenderedAudit {
                        facts,
                        findings,
                        page: rendered,
                    }
                }))
            }
            Err(e) => {
                self.not_rendered.fetch_add(1, Ordering::Relaxed);
                let mut reasons = self.reasons.lock().unwrap_or_else(|e| e.into_inner());
                if reasons.len() < REASONS_KEPT {
                    reasons.push(e.to_string());
                }
                Err(e)
            }
        }
    }

    /// Lets go of a council's cached answers once its crawl is over.
    pub fn forget_site(&self, slug: &str) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(site) = cache.1.remove(slug) {
            cache.0 -= site.bytes;
        }
    }

    /// One line for the survey's outcome.
    pub fn summary(&self) -> String {
        let rendered = self.rendered.load(Ordering::Relaxed);
        let failed = self.not_rendered.load(Ordering::Relaxed);
        let mut line = format!(
            "rendered in the browser ({} pages): {rendered} pages",
            self.mode.as_str()
        );
        if self.renderer.restarts() > 0 {
            line.push_str(&format!(
                " (the browser was restarted {} times)",
                self.renderer.restarts()
            ));
        }
        if failed > 0 {
            let reasons = self.reasons.lock().unwrap_or_else(|e| e.into_inner());
            line.push_str(&format!(
                "; {failed} could not be rendered and keep their static findings (e.g. {})",
                reasons.join("; ")
            ));
        }
        line
    }
}

/// Whether `page` is the council's home page (or where it redirected).
fn is_home(site: Option<&Site>, page: &Page) -> bool {
    page.depth == 0 && page.referrer.is_none()
        || site.is_some_and(|s| s.homepage == page.url || s.homepage == page.final_url)
}

/// The browser's requests for one council's page, answered by the run's crawler (and the
/// council's cache).
struct CouncilSource<'a> {
    stage: &'a RenderStage,
    slug: &'a str,
}

impl Source for CouncilSource<'_> {
    fn get(&self, url: Url) -> BoxFuture<'_, Result<Response, Refusal>> {
        Box::pin(async move {
            let cached = self
                .stage
                .cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .1
                .get(self.slug)
                .and_then(|c| c.answers.get(&url).cloned());
            if let Some(answer) = cached {
                return answer;
            }
            let answer =
                render::answer(self.stage.crawler.fetch_resource_for(self.slug, &url).await);
            // Kept: what the council answered (an error status too) and what the crawl would
            // not fetch; a failure is tried again for the next page.
            if !matches!(answer, Err(Refusal::Failed(_))) {
                let size = answer.as_ref().map_or(0, |r| r.body.len()) + url.as_str().len();
                let mut cache = self.stage.cache.lock().unwrap_or_else(|e| e.into_inner());
                let (all, sites) = &mut *cache;
                let site = sites.entry(self.slug.to_string()).or_default();
                if site.bytes + size <= CACHE_BYTES
                    && *all + size <= CACHE_BYTES_ALL
                    && !site.answers.contains_key(&url)
                {
                    site.bytes += size;
                    *all += size;
                    site.answers.insert(url, answer.clone());
                }
            }
            answer
        })
    }
}
