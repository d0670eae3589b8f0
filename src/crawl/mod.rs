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
pub use fetch::{Crawler, FetchError, FetchKind};
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

/// How a fetch ended, in the categories a surveyor reads failures by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageOutcome {
    /// A 2xx or 3xx answer (including 304 Not Modified), read whole.
    Ok,
    /// Read, but cut off at the size budget.
    TooBig,
    /// HTTP 4xx.
    ClientError,
    /// HTTP 5xx.
    ServerError,
    /// No complete response within the request timeout.
    Timeout,
    /// The connection was refused (by the server, or by the private-address guard).
    Refused,
    /// Another connection or protocol failure: DNS, TLS, a reset, a redirect loop.
    Network,
    /// Not fetched: robots.txt disallows it, could not be read, or the host was given up.
    NotAllowed,
}

impl PageOutcome {
    /// Every outcome, in the order reports list them.
    pub const ALL: [PageOutcome; 8] = [
        PageOutcome::Ok,
        PageOutcome::TooBig,
        PageOutcome::ClientError,
        PageOutcome::ServerError,
        PageOutcome::Timeout,
        PageOutcome::Refused,
        PageOutcome::Network,
        PageOutcome::NotAllowed,
    ];

    /// The name stored in the database and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            PageOutcome::Ok => "ok",
            PageOutcome::TooBig => "too_big",
            PageOutcome::ClientError => "http_4xx",
            PageOutcome::ServerError => "http_5xx",
            PageOutcome::Timeout => "timeout",
            PageOutcome::Refused => "refused",
            PageOutcome::Network => "network",
            PageOutcome::NotAllowed => "not_allowed",
        }
    }

    /// The outcome a stored name stands for.
    pub fn parse(s: &str) -> Option<PageOutcome> {
        PageOutcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            PageOutcome::Ok => "fetched",
            PageOutcome::TooBig => "too big (cut off)",
            PageOutcome::ClientError => "HTTP 4xx",
            PageOutcome::ServerError => "HTTP 5xx",
            PageOutcome::Timeout => "timed out",
            PageOutcome::Refused => "refused",
            PageOutcome::Network => "network error",
            PageOutcome::NotAllowed => "not allowed (robots.txt or host given up)",
        }
    }

    /// Whether the page failed (anything but read, whole or cut off).
    pub fn is_failure(self) -> bool {
        !matches!(self, PageOutcome::Ok | PageOutcome::TooBig)
    }
}

impl Page {
    /// How this fetch ended. Decided from the status and the crawler's own error messages
    /// (see [`fetch::FetchError`]; a test pins each message to its outcome).
    pub fn outcome(&self) -> PageOutcome {
        if let Some(error) = &self.error {
            // An HTTP error status carries a message too; the status decides.
            if self.status == 0 || self.status < 400 {
                return error_outcome(error);
            }
        }
        match self.status {
            500.. => PageOutcome::ServerError,
            400..=499 => PageOutcome::ClientError,
            0 => PageOutcome::Network,
            _ if self.truncated => PageOutcome::TooBig,
            _ => PageOutcome::Ok,
        }
    }
}

fn error_outcome(error: &str) -> PageOutcome {
    // Messages name the URL first, and URLs carry no spaces: the phrases below cannot come
    // from a URL. Given-up hosts and robots.txt come first, since their reasons quote the
    // failure that led to them ("… last: timed out").
    let e = error.to_ascii_lowercase();
    if e.contains(": host given up (")
        || e.contains(" disallowed by robots.txt")
        || e.contains(" robots.txt unreachable (")
    {
        PageOutcome::NotAllowed
    } else if e.contains(" timed out") {
        PageOutcome::Timeout
    } else if e.contains("private address") || e.contains("connection refused") {
        PageOutcome::Refused
    } else {
        PageOutcome::Network
    }
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

#[cfg(test)]
mod tests {
    use super::fetch::FetchError;
    use super::*;

    fn failed(error: &str, status: u16) -> Page {
        let url = Url::parse("https://www.example.gov.uk/bins").unwrap();
        Page {
            url: url.clone(),
            final_url: url,
            status,
            content_type: None,
            kind: PageKind::Other,
            bytes: 0,
            truncated: false,
            content_length: None,
            ttfb_ms: 0,
            depth: 1,
            referrer: None,
            link_text: None,
            redirects: Vec::new(),
            fetched_at_ms: 0,
            etag: None,
            last_modified: None,
            body: None,
            error: (!error.is_empty()).then(|| error.to_string()),
        }
    }

    #[test]
    fn every_fetch_error_message_maps_to_its_outcome() {
        let url = Url::parse("https://www.example.gov.uk/timed-out/robots.txt").unwrap();
        let cases = [
            (
                FetchError::Timeout {
                    url: url.clone(),
                    ms: 20_000,
                },
                PageOutcome::Timeout,
            ),
            (
                FetchError::Private {
                    url: url.clone(),
                    detail: "127.0.0.1".into(),
                },
                PageOutcome::Refused,
            ),
            (
                FetchError::Network {
                    url: url.clone(),
                    detail: "error sending request: tcp connect error: Connection refused (os error 111)".into(),
                },
                PageOutcome::Refused,
            ),
            (
                FetchError::Network {
                    url: url.clone(),
                    detail: "dns error: failed to lookup address".into(),
                },
                PageOutcome::Network,
            ),
            (
                FetchError::Disallowed { url: url.clone() },
                PageOutcome::NotAllowed,
            ),
            (
                FetchError::RobotsUnreachable {
                    url: url.clone(),
                    reason: "timed out after 20000 ms".into(),
                },
                PageOutcome::NotAllowed,
            ),
            (
                FetchError::HostGivenUp {
                    url: url.clone(),
                    reason: "5 failed requests in a row, last: x: timed out after 20000 ms".into(),
                },
                PageOutcome::NotAllowed,
            ),
        ];
        for (error, outcome) in cases {
            let message = error.to_string();
            assert_eq!(failed(&message, 0).outcome(), outcome, "{message}");
        }
    }

    #[test]
    fn the_status_decides_for_http_errors_and_cut_pages_are_too_big() {
        assert_eq!(failed("", 200).outcome(), PageOutcome::Ok);
        assert_eq!(failed("", 304).outcome(), PageOutcome::Ok);
        assert_eq!(
            failed("x: HTTP 404", 404).outcome(),
            PageOutcome::ClientError
        );
        assert_eq!(
            failed("x: HTTP 503", 503).outcome(),
            PageOutcome::ServerError
        );
        let mut cut = failed("", 200);
        cut.truncated = true;
        assert_eq!(cut.outcome(), PageOutcome::TooBig);
        assert!(!PageOutcome::TooBig.is_failure() && PageOutcome::Timeout.is_failure());
        for o in PageOutcome::ALL {
            assert_eq!(PageOutcome::parse(o.as_str()), Some(o));
        }
    }
}
