//! The crawl stage: fetch a council's pages politely and hand each one on.
//!
//! [`Crawler::crawl_site`] starts at a site's home page and fetches pages best-first (links
//! matching the ruleset's task and service patterns first), handing each [`Page`] to a
//! [`PageHandler`] on a blocking thread as it arrives; the handler parses and audits it and returns
//! the links to follow. One [`Crawler`] is shared by every site of a run, so per-host politeness
//! holds across councils that share platforms:
//!
//! - robots.txt per RFC 9309 ([`robots`]), Crawl-delay honoured up to a cap;
//! - one request per interval per host (`governor`, burst 1), concurrency 1 per host (2 while the
//!   host is slower than its interval), a global cap on requests in flight ([`limiter`]);
//! - Retry-After on 429/503, bounded retries with exponential backoff and jitter, hosts that keep
//!   failing given up with the reason recorded ([`fetch`]);
//! - scope by registrable domain plus service portals, URL normalisation and a guard against
//!   endless URL spaces ([`url_norm`]); sitemaps ([`sitemap`]); charsets ([`charset`]);
//! - no connections to private addresses unless allowed ([`guard`]);
//! - budgets per site (pages, depth, bytes, time) and resume from an earlier run ([`Resume`]).
//!
//! What it does not do: parse pages (the handler does), run JavaScript, store anything, or draw
//! progress (it exposes [`CrawlStats`] for the caller to render).
//!
//! ```no_run
//! use std::sync::Arc;
//! use civicscan::crawl::{CrawlConfig, CrawlError, Crawler, Discovered, Page, PageHandler, Resume};
//!
//! struct Audit; // the pipeline's handler: parse, audit, store, return the links
//! impl PageHandler for Audit {
//!     fn handle(&self, _site: &str, _page: &Page) -> Discovered {
//!         Discovered::default()
//!     }
//! }
//!
//! async fn survey(
//!     ruleset: &civicscan::ruleset::Ruleset,
//!     sites: Vec<civicscan::sites::Site>,
//! ) -> Result<(), CrawlError> {
//!     let mut config = CrawlConfig::from_budget(&ruleset.crawl);
//!     config.from_email = Some("survey@example.org".into());
//!     config.priority_patterns = vec![r"(?i)\bbins?\b".into()];
//!     let crawler = Arc::new(Crawler::new(config)?);
//!     let handler: Arc<dyn PageHandler> = Arc::new(Audit);
//!     // One task per site so sites crawl in parallel on all worker threads.
//!     let tasks: Vec<_> = sites
//!         .into_iter()
//!         .map(|site| {
//!             let (crawler, handler) = (Arc::clone(&crawler), Arc::clone(&handler));
//!             tokio::spawn(async move { crawler.crawl_site(&site, handler, Resume::none()).await })
//!         })
//!         .collect();
//!     for task in tasks {
//!         if let Ok(report) = task.await {
//!             println!("{}: {} pages", report.site_slug, report.pages);
//!         }
//!     }
//!     Ok(())
//! }
//! ```

pub mod charset;
mod config;
pub mod fetch;
pub mod frontier;
pub mod guard;
mod http;
pub mod limiter;
pub mod robots;
mod site;
pub mod sitemap;
pub mod stream;
pub mod url_norm;

pub use config::{CrawlConfig, CrawlError, StopSignal};
pub use fetch::{Crawler, FetchKind};
pub use frontier::Link;
pub use robots::RobotsOutcome;
pub use site::{Budgets, CrawlStats, Resume, SiteCrawlReport, StatsSnapshot};
pub use stream::ChannelHandler;

use serde::{Deserialize, Serialize};
use url::Url;

/// What kind of body a page has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// HTML, decoded into [`Page::body`].
    Html,
    /// A document (PDF, Word, …): type, size and status recorded, body not kept.
    Document,
    /// Anything else, or a failed fetch.
    Other,
}

/// One fetched URL.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page {
    /// The URL requested (normalised).
    pub url: Url,
    /// The URL finally served, after redirects.
    pub final_url: Url,
    /// HTTP status of the final response; 0 when no response came.
    pub status: u16,
    /// The Content-Type header, if any.
    pub content_type: Option<String>,
    /// What kind of body it has.
    pub kind: PageKind,
    /// Bytes read (after decompression), at most the budget.
    pub bytes: u64,
    /// Whether the body was cut off at the size budget.
    pub truncated: bool,
    /// The body's declared length, when given.
    pub content_length: Option<u64>,
    /// Milliseconds from sending the request to the first byte of the response.
    pub ttfb_ms: u32,
    /// Clicks from the home page (0 for the home page; sitemap URLs count as one below their parent).
    pub depth: u32,
    /// The page whose link led here, for click paths.
    pub referrer: Option<Url>,
    /// The text of that link.
    pub link_text: Option<String>,
    /// Redirects followed, in order (each a URL that answered 3xx).
    pub redirects: Vec<Url>,
    /// When it was fetched, as Unix milliseconds.
    pub fetched_at_ms: i64,
    /// The ETag header, for conditional requests next time.
    pub etag: Option<String>,
    /// The Last-Modified header, for conditional requests next time.
    pub last_modified: Option<String>,
    /// The decoded HTML, for [`PageKind::Html`] only.
    pub body: Option<String>,
    /// Why the fetch failed, when it did (timeout, refused, too many redirects, …).
    pub error: Option<String>,
}

/// What the crawler needs back from a page to go on crawling.
#[derive(Debug, Clone, Default)]
pub struct Discovered {
    /// Links to consider, with their text, in document order.
    pub links: Vec<(Url, String)>,
    /// The page asked for its links not to be followed (`<meta name=robots content=nofollow>`);
    /// links with `rel=nofollow` should already be left out of `links`.
    pub nofollow: bool,
}

/// Called for every page the crawler fetches, on a blocking thread, never on the I/O threads.
pub trait PageHandler: Send + Sync + 'static {
    /// Processes a page (parse, audit, store) and returns the links found on it.
    fn handle(&self, site_slug: &str, page: &Page) -> Discovered;

    /// Stored validators for `url`, if the pipeline has fetched it before: the crawler then sends
    /// a conditional request, and a 304 arrives as a [`Page`] with status 304 and no body (the
    /// handler reuses its stored page). Called on the I/O threads, so it must be quick.
    fn validators(&self, _site_slug: &str, _url: &Url) -> Option<Validators> {
        None
    }
}

impl<T: PageHandler + ?Sized> PageHandler for std::sync::Arc<T> {
    fn handle(&self, site_slug: &str, page: &Page) -> Discovered {
        (**self).handle(site_slug, page)
    }

    fn validators(&self, site_slug: &str, url: &Url) -> Option<Validators> {
        (**self).validators(site_slug, url)
    }
}

/// Validators stored from an earlier fetch of a URL, for a conditional request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// Sent as `If-None-Match`.
    pub etag: Option<String>,
    /// Sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
}
