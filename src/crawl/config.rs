//! Crawl settings: the ruleset's [`CrawlBudget`] plus what only the caller knows (contact details,
//! whether private addresses are allowed, priority patterns, resolver overrides).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::ruleset::CrawlBudget;

/// Everything that can go wrong building a [`super::Crawler`]. Fetch failures are not errors:
/// they are recorded in [`super::Page::error`] and the crawl goes on.
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// A priority pattern is not a valid regex.
    #[error("priority pattern `{pattern}` is not a valid regex: {source}")]
    Pattern {
        /// The pattern.
        pattern: String,
        /// Why.
        #[source]
        source: regex::Error,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
    /// A header value (contact URL or e-mail) is not valid in an HTTP header.
    #[error("`{0}` cannot be sent in an HTTP header")]
    Header(String),
}

/// How the crawler behaves. Build with [`CrawlConfig::from_budget`] and adjust the fields.
#[derive(Debug, Clone)]
pub struct CrawlConfig {
    /// Budgets and politeness from the ruleset.
    pub budget: CrawlBudget,
    /// A URL describing the survey, named in the User-Agent.
    pub contact_url: String,
    /// An e-mail address sent as the `From` header (RFC 9110 §10.1.2), when configured.
    pub from_email: Option<String>,
    /// Allow connections to private, loopback and link-local addresses (tests and the demo).
    pub allow_private: bool,
    /// Private addresses allowed one by one even without `allow_private` (a local mirror);
    /// every other private address stays refused.
    pub allow_addresses: Vec<std::net::IpAddr>,
    /// Regexes over link text and URLs; matching links are fetched first.
    pub priority_patterns: Vec<String>,
    /// Host names resolved to fixed addresses instead of DNS (the demo web, tests). Still guarded.
    pub resolve: HashMap<String, SocketAddr>,
    /// The first retry's backoff; it doubles per retry, with jitter.
    pub retry_base: Duration,
    /// The longest backoff between retries.
    pub max_backoff: Duration,
    /// The longest Retry-After waited for; a longer one fails the request instead of stalling.
    pub max_retry_after: Duration,
    /// Failed requests in a row after which a host is given up for the run.
    pub host_failure_limit: u32,
    /// URLs of one shape (digits folded) queued per site at most: stops calendar-style traps.
    pub max_urls_per_pattern: usize,
    /// Pages of one site in flight at once (each host still gets 1–2).
    pub site_concurrency: usize,
    /// Whether to read sitemaps (robots.txt `Sitemap:` lines and `/sitemap.xml`).
    pub read_sitemaps: bool,
    /// Raised to stop the crawl cleanly (Ctrl-C): no new pages start, pages in flight finish.
    pub stop: StopSignal,
    /// Where answers come from: the web (and whether it is archived as it is crawled), or web
    /// archives.
    pub source: Source,
}

/// Where a crawl's answers come from.
#[derive(Debug, Clone, Default)]
pub enum Source {
    /// The web.
    #[default]
    Web,
    /// The web, every exchange also written to a web archive (`--warc`).
    Recorded(Arc<super::archive::Recorder>),
    /// Web archives, and no network at all (`--from-warc`): no politeness waits, one page of a
    /// site at a time (so a replay's order is the same every time), sitemaps read first.
    Archive(Arc<super::archive::Replay>),
}

/// A request to stop crawling: no new pages are taken, the pages in hand are finished and handed
/// on. Clones share one signal; it cannot be lowered again.
#[derive(Debug, Clone)]
pub struct StopSignal(Arc<watch::Sender<bool>>);

impl Default for StopSignal {
    fn default() -> Self {
        StopSignal(Arc::new(watch::Sender::new(false)))
    }
}

impl StopSignal {
    /// A signal not raised yet.
    pub fn new() -> Self {
        StopSignal::default()
    }

    /// Raises the signal.
    pub fn stop(&self) {
        self.0.send_replace(true);
    }

    /// Whether the signal was raised.
    pub fn is_stopped(&self) -> bool {
        *self.0.borrow()
    }

    /// Waits until the signal is raised.
    pub async fn stopped(&self) {
        // The sender lives in `self`, so the channel cannot close while this waits.
        let _ = self.0.subscribe().wait_for(|stopped| *stopped).await;
    }
}

impl CrawlConfig {
    /// Settings from a ruleset's crawl budget, with polite defaults for the rest.
    pub fn from_budget(budget: &CrawlBudget) -> Self {
        CrawlConfig {
            budget: budget.clone(),
            contact_url: env!("CARGO_PKG_REPOSITORY").to_string(),
            from_email: None,
            allow_private: false,
            allow_addresses: Vec::new(),
            priority_patterns: Vec::new(),
            resolve: HashMap::new(),
            retry_base: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            host_failure_limit: 5,
            max_urls_per_pattern: 50,
            site_concurrency: 4,
            read_sitemaps: true,
            stop: StopSignal::new(),
            source: Source::Web,
        }
    }

    /// Whether the crawl is answered from web archives.
    pub fn replaying(&self) -> bool {
        matches!(self.source, Source::Archive(_))
    }

    /// The interval between requests to one host before any Crawl-delay.
    pub fn interval(&self) -> Duration {
        Duration::from_secs_f64(1.0 / self.budget.requests_per_second.max(1e-6))
    }

    /// Which addresses the crawler may connect to.
    pub fn address_policy(&self) -> super::guard::AddressPolicy {
        super::guard::AddressPolicy {
            allow_private: self.allow_private,
            allowed: self.allow_addresses.clone(),
        }
    }

    /// The honest User-Agent: product token, version and contact URL.
    pub fn user_agent(&self) -> String {
        format!(
            "civicscan/{} (+{}; survey of UK council websites)",
            env!("CARGO_PKG_VERSION"),
            self.contact_url
        )
    }
}
