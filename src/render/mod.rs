//! The render stage: pages loaded in a real browser (Debian's `chromium`, headless) for what
//! only a browser can tell — the DOM after scripts, and measurements of the rendered page
//! (keyboard focus, layout at 320 CSS px, text spacing, target sizes).
//!
//! One [`Renderer`] per run starts one browser and renders up to `tabs` pages at once, each in
//! a fresh tab within a time budget. A browser that crashes or stops answering is killed and
//! started again for the next page; the page it was rendering gets a [`RenderError`] (the
//! caller keeps the page's static findings and records why). Every request the page makes
//! is paused by the browser (the DevTools `Fetch` domain) and answered through a [`Source`]:
//! in a survey that is the crawler, so each request obeys robots.txt and the per-host limiter
//! like any other; images, fonts and media are refused without a request (no rendered check
//! needs their pixels, and they would spend a council's request budget). WebSockets are
//! blocked.
//!
//! What it does not do: decide anything. [`checks`] turns a [`RenderedPage`]'s measurements
//! into findings; the static rules run on its DOM like on any other page.

mod cdp;
pub mod checks;
mod page;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use url::Url;

pub use cdp::CdpError;
pub use page::{FocusStop, Measurements, PhaseTimes, RenderedPage};

/// Which pages a run renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum RenderMode {
    /// None: the static checks only.
    #[default]
    Off,
    /// The key pages: the home page, each task page and each page with a form.
    Key,
    /// Every HTML page.
    All,
}

impl RenderMode {
    /// The name used on the command line and in stored settings.
    pub fn as_str(self) -> &'static str {
        match self {
            RenderMode::Off => "off",
            RenderMode::Key => "key",
            RenderMode::All => "all",
        }
    }
}

/// The environment variable naming the browser.
pub const CHROMIUM_ENV: &str = "CIVICSCAN_CHROMIUM";

/// Finds the browser: the path given, else `$CIVICSCAN_CHROMIUM`, else the first on `PATH` of
/// `chromium-headless-shell` (Debian's headless-only build of the same engine, without the
/// browser's window code: on the render bench it renders the demo's key pages 1.8× as fast,
/// with identical findings), `chromium`, `chromium-browser`, `google-chrome` and
/// `google-chrome-stable`.
pub fn find_chromium(given: Option<&Path>) -> Result<PathBuf, RenderError> {
    if let Some(p) = given {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(RenderError::NoBrowser(format!(
                "{}: no such file (from --chromium)",
                p.display()
            )))
        };
    }
    if let Some(p) = std::env::var_os(CHROMIUM_ENV).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(RenderError::NoBrowser(format!(
                "{}: no such file (from ${CHROMIUM_ENV})",
                p.display()
            )))
        };
    }
    let names = [
        "chromium-headless-shell",
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err(RenderError::NoBrowser(format!(
        "none of {} is on PATH; install Debian's browser with `apt-get install chromium-headless-shell` (or `chromium`), or name it with --chromium PATH or ${CHROMIUM_ENV}",
        names.join(", ")
    )))
}

/// Why a page was not rendered. The page keeps its static findings; this is recorded beside
/// them.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RenderError {
    /// No browser to render with.
    #[error("no browser: {0}")]
    NoBrowser(String),
    /// The browser failed (crashed, hung, or refused a command).
    #[error("{0}")]
    Browser(#[from] CdpError),
    /// The page did not finish within its time budget.
    #[error("{url}: not rendered within {ms} ms")]
    Budget {
        /// The page.
        url: String,
        /// The budget.
        ms: u128,
    },
    /// The page's own document could not be loaded.
    #[error("{url}: {message}")]
    Load {
        /// The page.
        url: String,
        /// What went wrong.
        message: String,
    },
}

/// A response to one of the browser's requests.
#[derive(Debug, Clone, Default)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// Headers worth passing on (Content-Type, Location).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// Why a request was not answered.
#[derive(Debug, Clone)]
pub enum Refusal {
    /// Not fetched on purpose (robots.txt, a host given up, out of scope): the browser sees
    /// it blocked.
    Blocked(String),
    /// Fetching failed (timeout, refused, DNS): the browser sees a network failure.
    Failed(String),
}

/// Where the browser's requests are answered from: the crawler in a survey (polite), files in
/// tests.
pub trait Source: Send + Sync {
    /// Answers one GET request.
    fn get(&self, url: Url) -> BoxFuture<'_, Result<Response, Refusal>>;
}

/// Settings of a renderer.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The browser executable.
    pub chromium: PathBuf,
    /// Pages rendered at once (tabs).
    pub tabs: usize,
    /// The most one page may take, from opening its tab to its last measurement.
    pub page_budget: Duration,
    /// The most one protocol command may wait before the browser counts as hung.
    pub command_timeout: Duration,
    /// How many Tab presses the keyboard walk makes at most.
    pub max_tab_stops: usize,
}

impl RenderOptions {
    /// Four tabs (while one waits for its page to go quiet, the others use the cores; 4 render
    /// about a third more pages a second than 2 on two cores, for ~40 MB more), 20 s a page,
    /// 10 s a command, 60 tab stops.
    pub fn new(chromium: PathBuf) -> RenderOptions {
        RenderOptions {
            chromium,
            tabs: 4,
            page_budget: Duration::from_secs(20),
            command_timeout: Duration::from_secs(10),
            max_tab_stops: 60,
        }
    }
}

/// One browser and its pool of tabs.
pub struct Renderer {
    opts: RenderOptions,
    browser: Mutex<Option<Arc<cdp::Connection>>>,
    tabs: Semaphore,
    /// Tabs that rendered a page cleanly and wait for the next one (opening a tab and setting
    /// it up costs more than navigating one).
    idle: Mutex<Vec<page::Tab>>,
    opened: std::sync::atomic::AtomicU32,
    restarts: std::sync::atomic::AtomicU32,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("chromium", &self.opts.chromium)
            .field("tabs", &self.opts.tabs)
            .finish()
    }
}

impl Renderer {
    /// Starts the browser (so a missing or broken one is an error before any page).
    pub fn start(opts: RenderOptions) -> Result<Renderer, RenderError> {
        let conn = cdp::Connection::launch(&opts.chromium)?;
        Ok(Renderer {
            tabs: Semaphore::new(opts.tabs.max(1)),
            browser: Mutex::new(Some(conn)),
            idle: Mutex::new(Vec::new()),
            opened: Default::default(),
            opts,
            restarts: Default::default(),
        })
    }

    /// Times the browser was started again after a crash or hang.
    pub fn restarts(&self) -> u32 {
        self.restarts.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Tabs opened so far (a tab renders page after page while nothing goes wrong in it).
    pub fn tabs_opened(&self) -> u32 {
        self.opened.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The browser's process id (its helpers are its children), for measuring memory.
    pub fn browser_pid(&self) -> Option<u32> {
        self.browser.lock().ok()?.as_ref()?.pid()
    }

    /// The live browser, started again when the last one has gone.
    fn connection(&self) -> Result<Arc<cdp::Connection>, RenderError> {
        let mut slot = self
            .browser
            .lock()
            .map_err(|_| RenderError::Browser(CdpError::Gone))?;
        if let Some(c) = slot.as_ref().filter(|c| c.is_alive()) {
            return Ok(Arc::clone(c));
        }
        if slot.take().is_some() {
            self.restarts
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let c = cdp::Connection::launch(&self.opts.chromium)?;
        *slot = Some(Arc::clone(&c));
        Ok(c)
    }

    /// Kills `conn` if it is still the browser in use (it hung), so the next page starts a new
    /// one.
    fn discard(&self, conn: &Arc<cdp::Connection>) {
        conn.kill();
        if let Ok(mut slot) = self.browser.lock()
            && slot.as_ref().is_some_and(|c| Arc::ptr_eq(c, conn))
        {
            *slot = None;
            self.restarts
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Renders `url`, whose document is `html` (already fetched: the browser gets it from
    /// here, not from the network), answering every other request through `source`.
    pub async fn render(
        &self,
        url: &Url,
        html: &str,
        source: &dyn Source,
    ) -> Result<RenderedPage, RenderError> {
        let _permit = self
            .tabs
            .acquire()
            .await
            .map_err(|_| RenderError::Browser(CdpError::Gone))?;
        let conn = self.connection()?;
        let opened = std::time::Instant::now();
        let mut tab = match self.idle_tab(&conn) {
            Some(t) => t,
            None => match page::Tab::open(&conn, &self.opts).await {
                Ok(t) => {
                    self.opened
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    t
                }
                Err(e) => {
                    self.discard(&conn);
                    return Err(e.into());
                }
            },
        };
        let tab_ms = opened.elapsed().as_secs_f64() * 1000.0;
        let work = tab.render(url, html, source, &self.opts);
        let result = match tokio::time::timeout(self.opts.page_budget, work).await {
            Ok(r) => r.map(|mut p| {
                p.timings.tab_ms = tab_ms;
                p
            }),
            Err(_) => Err(RenderError::Budget {
                url: url.to_string(),
                ms: self.opts.page_budget.as_millis(),
            }),
        };
        // A tab whose page was measured to the end is kept for the next page once that page
        // is left inert (so none of its script runs meanwhile); any other is closed.
        let parked = result.is_ok() && tab.park().await.is_ok();
        if parked {
            self.idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(tab);
        } else if tab.close().await.is_err() || matches!(result, Err(RenderError::Browser(_))) {
            // A tab that cannot be closed, or a command unanswered, means a hung browser.
            self.discard(&conn);
        }
        result
    }

    /// An idle tab of the browser `conn`; tabs of a browser since replaced are dropped.
    fn idle_tab(&self, conn: &Arc<cdp::Connection>) -> Option<page::Tab> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        idle.retain(|t| t.belongs_to(conn));
        idle.pop()
    }
}

/// The survey's source: every request through the crawler (robots.txt, the per-host limiter,
/// the private-address guard), so rendering is as polite as crawling. Only the headers the
/// browser needs are passed on; text bodies keep their bytes and their declared charset.
#[derive(Debug, Clone)]
pub struct CrawlerSource {
    /// The run's crawler.
    pub crawler: Arc<crate::crawl::Crawler>,
}

/// Response headers worth passing to the browser.
const PASSED_HEADERS: &[&str] = &["content-type", "location", "content-language"];

impl Source for CrawlerSource {
    fn get(&self, url: Url) -> BoxFuture<'_, Result<Response, Refusal>> {
        Box::pin(async move { answer(self.crawler.fetch_resource(&url).await) })
    }
}

/// The browser's answer to a request the crawler made for it: the response with the headers
/// the browser needs, blocked when the crawl would not fetch the URL (robots.txt, a host given
/// up, a private address), failed when fetching failed.
pub fn answer(
    fetched: Result<crate::crawl::Resource, crate::crawl::FetchError>,
) -> Result<Response, Refusal> {
    use crate::crawl::FetchError;
    match fetched {
        Ok(r) => Ok(Response {
            status: r.status,
            headers: r
                .headers
                .into_iter()
                .filter(|(k, _)| PASSED_HEADERS.contains(&k.as_str()))
                .collect(),
            body: r.body,
        }),
        Err(
            e @ (FetchError::Disallowed { .. }
            | FetchError::RobotsUnreachable { .. }
            | FetchError::HostGivenUp { .. }
            | FetchError::Private { .. }),
        ) => Err(Refusal::Blocked(e.to_string())),
        Err(e) => Err(Refusal::Failed(e.to_string())),
    }
}

/// The render stage for `civicscan audit --render all`: a browser, a crawler to answer it
/// (robots.txt and the per-host rate apply) and a runtime of their own.
pub struct AuditRenderer {
    rt: tokio::runtime::Runtime,
    renderer: Renderer,
    source: CrawlerSource,
    settings: crate::ruleset::AccessibilitySettings,
}

impl AuditRenderer {
    /// Finds and starts the browser.
    pub fn start(
        chromium: Option<&Path>,
        budget: &crate::ruleset::CrawlBudget,
        allow_private: bool,
        settings: crate::ruleset::AccessibilitySettings,
    ) -> Result<AuditRenderer, RenderError> {
        let path = find_chromium(chromium)?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| RenderError::NoBrowser(e.to_string()))?;
        let mut config = crate::crawl::CrawlConfig::from_budget(budget);
        config.allow_private = allow_private;
        let crawler = rt
            .block_on(async { crate::crawl::Crawler::new(config) })
            .map_err(|e| RenderError::NoBrowser(e.to_string()))?;
        let renderer = rt.block_on(async { Renderer::start(RenderOptions::new(path)) })?;
        Ok(AuditRenderer {
            rt,
            renderer,
            source: CrawlerSource {
                crawler: Arc::new(crawler),
            },
            settings,
        })
    }

    /// Renders and audits one page.
    pub fn audit(
        &self,
        url: &Url,
        html: &str,
        css: &crate::audit::a11y::SiteCss,
    ) -> Result<
        (
            Vec<crate::audit::a11y::Finding>,
            Vec<crate::audit::a11y::Cut>,
        ),
        String,
    > {
        let page = self
            .rt
            .block_on(self.renderer.render(url, html, &self.source))
            .map_err(|e| e.to_string())?;
        Ok(checks::audit(&page, css, &self.settings, false))
    }
}
