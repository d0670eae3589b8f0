//! The types every layer of the crawl shares: what a fetch produces ([`Page`]), what the
//! pipeline hands back ([`Discovered`], [`PageHandler`], [`Validators`]), a link waiting to be
//! fetched ([`Link`]), why a request failed ([`FetchError`]) and the run's counters
//! ([`CrawlStats`]). Defined here, below every other file of `crawl`, so the layers above
//! (wire → limiter → robots → fetch → site) import downwards only.

use std::sync::atomic::{AtomicU64, Ordering};

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
    /// The handler could not handle the page yet: it needs these (its stylesheets) first. The
    /// crawl fetches them without holding a blocking thread, hands each to
    /// [`PageHandler::supply`] and then the page to [`PageHandler::handle`] again, once; the
    /// rest of this value is ignored.
    pub fetch_first: Vec<Url>,
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

    /// Whether the crawl may run the handler on a council's pages one at a time, in the order
    /// they were started, while the council's other pages wait (which makes the order pages are
    /// stored in independent of timing). A handler that itself requests the council's host (a
    /// browser rendering the page) says no: it would wait for host slots held by fetches that
    /// are not read while it runs.
    fn handles_in_order(&self) -> bool {
        true
    }

    /// A resource the handler asked for in [`Discovered::fetch_first`], fetched through the
    /// crawler (politeness, robots.txt and budgets applied; a failure is a [`Page`] with an
    /// error). Called on a blocking thread, before the page is handed over again.
    fn supply(&self, _site_slug: &str, _url: &Url, _resource: Page) {}
}

impl<T: PageHandler + ?Sized> PageHandler for std::sync::Arc<T> {
    fn handle(&self, site_slug: &str, page: &Page) -> Discovered {
        (**self).handle(site_slug, page)
    }

    fn validators(&self, site_slug: &str, url: &Url) -> Option<Validators> {
        (**self).validators(site_slug, url)
    }

    fn handles_in_order(&self) -> bool {
        (**self).handles_in_order()
    }

    fn supply(&self, site_slug: &str, url: &Url, resource: Page) {
        (**self).supply(site_slug, url, resource)
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

/// A URL waiting to be fetched, with how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The normalised URL.
    pub url: Url,
    /// Clicks from the home page.
    pub depth: u32,
    /// The page that linked here.
    pub referrer: Option<Url>,
    /// The link's text.
    pub link_text: Option<String>,
}

/// Why a request produced no usable response.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    /// No complete response within the request timeout.
    #[error("{url}: timed out after {ms} ms")]
    Timeout {
        /// The URL.
        url: Url,
        /// The timeout.
        ms: u128,
    },
    /// The address is private, loopback, link-local or metadata, and that is not allowed.
    #[error("{url}: refused to connect to a private address ({detail})")]
    Private {
        /// The URL.
        url: Url,
        /// Which address or name.
        detail: String,
    },
    /// Connecting or reading failed.
    #[error("{url}: {detail}")]
    Network {
        /// The URL.
        url: Url,
        /// What happened.
        detail: String,
    },
    /// robots.txt disallows the URL (or robots.txt was unreachable).
    #[error("{url}: disallowed by robots.txt")]
    Disallowed {
        /// The URL.
        url: Url,
    },
    /// robots.txt could not be fetched, so nothing on the host may be (RFC 9309 §2.3.1.4).
    #[error("{url}: not fetched, robots.txt unreachable ({reason})")]
    RobotsUnreachable {
        /// The URL.
        url: Url,
        /// Why robots.txt was unreachable.
        reason: String,
    },
    /// A survey answered from web archives: the archives hold no capture of the URL.
    #[error("{url}: not archived")]
    NotArchived {
        /// The URL.
        url: Url,
    },
    /// The host failed too often and was given up.
    #[error("{url}: host given up ({reason})")]
    HostGivenUp {
        /// The URL.
        url: Url,
        /// Why the host was given up.
        reason: String,
    },
}

impl FetchError {
    pub(crate) fn is_transient(&self) -> bool {
        matches!(
            self,
            FetchError::Timeout { .. } | FetchError::Network { .. }
        )
    }
}

/// Counters shared with the caller's progress display; all relaxed atomics.
#[derive(Debug, Default)]
pub struct CrawlStats {
    /// Sites whose crawl has started and not finished.
    pub sites_in_flight: AtomicU64,
    /// Sites finished.
    pub sites_done: AtomicU64,
    /// Pages fetched and handed on.
    pub pages: AtomicU64,
    /// Pages that failed (no response, or HTTP 4xx/5xx).
    pub errors: AtomicU64,
    /// Body bytes read.
    pub bytes: AtomicU64,
    /// Requests retried.
    pub retries: AtomicU64,
    /// Links not fetched because robots.txt disallows them.
    pub robots_blocked: AtomicU64,
}

/// A copy of [`CrawlStats`] at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatsSnapshot {
    /// See [`CrawlStats::sites_in_flight`].
    pub sites_in_flight: u64,
    /// See [`CrawlStats::sites_done`].
    pub sites_done: u64,
    /// See [`CrawlStats::pages`].
    pub pages: u64,
    /// See [`CrawlStats::errors`].
    pub errors: u64,
    /// See [`CrawlStats::bytes`].
    pub bytes: u64,
    /// See [`CrawlStats::retries`].
    pub retries: u64,
    /// See [`CrawlStats::robots_blocked`].
    pub robots_blocked: u64,
}

impl CrawlStats {
    /// The counters now.
    pub fn snapshot(&self) -> StatsSnapshot {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        StatsSnapshot {
            sites_in_flight: get(&self.sites_in_flight),
            sites_done: get(&self.sites_done),
            pages: get(&self.pages),
            errors: get(&self.errors),
            bytes: get(&self.bytes),
            retries: get(&self.retries),
            robots_blocked: get(&self.robots_blocked),
        }
    }

    pub(crate) fn add_retry(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }
}
