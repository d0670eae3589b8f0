//! The crawl stage: fetch a council's pages politely and hand each one on.
//!
//! (Being built under issue 3: robots.txt, sitemaps, per-host rate limits, retries, budgets,
//! scope, charsets, the private-address guard and resume.) This file fixes the contract the other
//! stages rely on: [`Page`] is what a fetch produces, and [`PageHandler`] is how the survey
//! pipeline parses and audits each page off the I/O threads and tells the crawler which links to
//! follow.

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
}
