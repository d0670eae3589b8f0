//! Web archives, beside the wire at the bottom of the crawl's stack: the [`Recorder`] keeps every
//! exchange the wire makes as WARC records, one file per council (`--warc DIR`), and [`Replay`]
//! answers a survey's requests from WARC files or a CDX index instead of the network
//! (`--from-warc`). Both sit below the limiter, robots.txt, scope and budgets, which a replay
//! therefore shares with a live crawl: only where the answers come from differs.
//!
//! Which council an exchange belongs to is the task's ([`for_site`]): a council's crawl and the
//! extra fetches made for it run inside its scope, so the wire needs no site passed down.

mod recorder;
mod replay;

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use jiff::Timestamp;
use reqwest::header::HeaderMap;
use url::Url;

pub use recorder::{Recorder, RecorderConfig, RecorderSummary};
pub use replay::{Replay, ReplaySummary};

use super::types::FetchError;

tokio::task_local! {
    static SITE: Arc<str>;
}

/// Runs `f` as part of the council `slug`'s crawl: what it fetches is archived in its file.
pub(crate) async fn for_site<F: Future>(slug: &str, f: F) -> F::Output {
    SITE.scope(Arc::from(slug), f).await
}

/// The council whose crawl is running, if any.
fn current_site() -> Option<Arc<str>> {
    SITE.try_with(Arc::clone).ok()
}

/// Why an archive could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// A file or folder could not be used.
    #[error("{path}: {message}")]
    File {
        /// The file or folder.
        path: String,
        /// Why.
        message: String,
    },
    /// A CDX index has a line that cannot be used.
    #[error(transparent)]
    Cdx(#[from] crate::warc::cdx::CdxError),
}

/// One exchange as the wire saw it, for the recorder.
#[derive(Debug)]
pub(crate) struct Capture {
    /// When the request started.
    pub started: Timestamp,
    /// The URL requested.
    pub url: Url,
    /// The headers sent (the client adds `Host`).
    pub request: HeaderMap,
    /// The response, as far as it came.
    pub response: Option<CapturedResponse>,
    /// Why the exchange failed, when it did.
    pub error: Option<FetchError>,
}

/// A response as received: headers before any decoding, the body's bytes as they came.
#[derive(Debug)]
pub(crate) struct CapturedResponse {
    pub status: u16,
    pub version: reqwest::Version,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// `WARC-Truncated` reason when the body is not whole: `length`, `time`, `disconnect`.
    pub truncated: Option<&'static str>,
    pub remote: Option<std::net::IpAddr>,
}

/// The names used in the `metadata` records civicscan writes, read back by [`Replay`].
mod fields {
    /// The kind of a failed exchange: `timeout`, `network` or `private`.
    pub const FETCH_ERROR: &str = "fetch-error";
    /// The failed exchange's detail.
    pub const ERROR_DETAIL: &str = "error-detail";
    /// The timeout that ran out, in milliseconds.
    pub const TIMEOUT_MS: &str = "timeout-ms";
    /// The crawl's message for the failure.
    pub const ERROR_MESSAGE: &str = "error-message";
    /// A URL not fetched, and why (`not-fetched: REASON URL`).
    pub const NOT_FETCHED: &str = "not-fetched";
}
