//! robots.txt per RFC 9309, parsed with texting_robots for the product token `civicscan`.
//!
//! Fetched once per authority before any other request to it and cached for the run (re-fetched
//! when older than 24 hours, §2.4). Up to 5 redirects are followed and the rules apply to the
//! original authority (§2.3.1.2); the first 500 KiB are parsed (§2.5). Status handling (§2.3.1):
//! 2xx obey, 4xx allow everything ("unavailable"), 5xx or a network error disallow everything
//! ("unreachable"); like 429, an unreachable robots.txt is retried later rather than cached for
//! the whole run.

use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use reqwest::header;
use texting_robots::Robot;
use tokio::time::Instant;
use url::Url;

use super::http::{Want, is_redirect};
use super::limiter::Politeness;
use super::types::FetchError;
use super::url_norm::authority;

/// The product token matched against `User-agent` lines.
pub const PRODUCT_TOKEN: &str = "civicscan";
/// Bytes of robots.txt parsed at most (RFC 9309 §2.5).
pub const MAX_ROBOTS_BYTES: u64 = 500 * 1024;
/// Redirects followed for robots.txt (RFC 9309 §2.3.1.2 asks for at least five).
pub const MAX_ROBOTS_REDIRECTS: u32 = 5;
/// How long a fetched robots.txt is trusted (RFC 9309 §2.4).
pub const ROBOTS_MAX_AGE: Duration = Duration::from_secs(24 * 3600);
/// How long an unreachable robots.txt blocks the host before it is tried again.
pub const UNREACHABLE_RETRY: Duration = Duration::from_secs(60);

/// What fetching robots.txt came to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RobotsOutcome {
    /// 2xx: the rules are obeyed.
    Obeyed {
        /// The status.
        status: u16,
    },
    /// 4xx: no rules, everything allowed.
    Unavailable {
        /// The status.
        status: u16,
    },
    /// 5xx, 429 or a network error: everything disallowed until it is fetched again.
    Unreachable {
        /// What went wrong.
        reason: String,
    },
    /// A survey answered from web archives that hold no robots.txt: everything allowed.
    NotArchived,
}

/// The robots.txt of one authority.
#[derive(Debug)]
pub struct Robots {
    /// How the fetch went.
    pub outcome: RobotsOutcome,
    robot: Option<Robot>,
    /// The Crawl-delay for our group, uncapped.
    pub crawl_delay: Option<Duration>,
    /// `Sitemap:` lines, resolved.
    pub sitemaps: Vec<Url>,
    fetched_at: Instant,
}

impl Robots {
    /// Builds the rules from a response status and body (already capped at 500 KiB).
    pub fn from_response(robots_url: &Url, status: u16, body: &[u8]) -> Self {
        let fetched_at = Instant::now();
        match status {
            200..=299 => match Robot::new(PRODUCT_TOKEN, body) {
                Ok(robot) => Robots {
                    outcome: RobotsOutcome::Obeyed { status },
                    crawl_delay: robot.delay.filter(|d| d.is_finite() && *d > 0.0).map(|d| {
                        Duration::from_millis((f64::from(d.min(86_400.0)) * 1000.0).round() as u64)
                    }),
                    sitemaps: robot
                        .sitemaps
                        .iter()
                        .filter_map(|s| robots_url.join(s).ok())
                        .collect(),
                    robot: Some(robot),
                    fetched_at,
                },
                // texting_robots is forgiving and rarely fails; an unparseable file says nothing.
                Err(_) => Self::allow_all(status),
            },
            429 => Self::unreachable(format!("robots.txt answered {status}")),
            400..=499 => Self::allow_all(status),
            _ => Self::unreachable(format!("robots.txt answered {status}")),
        }
    }

    fn allow_all(status: u16) -> Self {
        Robots {
            outcome: RobotsOutcome::Unavailable { status },
            robot: None,
            crawl_delay: None,
            sitemaps: Vec::new(),
            fetched_at: Instant::now(),
        }
    }

    /// robots.txt is not in the archives a survey is answered from: allow everything.
    pub fn not_archived() -> Self {
        Robots {
            outcome: RobotsOutcome::NotArchived,
            robot: None,
            crawl_delay: None,
            sitemaps: Vec::new(),
            fetched_at: Instant::now(),
        }
    }

    /// robots.txt could not be fetched: disallow everything for now.
    pub fn unreachable(reason: String) -> Self {
        Robots {
            outcome: RobotsOutcome::Unreachable { reason },
            robot: None,
            crawl_delay: None,
            sitemaps: Vec::new(),
            fetched_at: Instant::now(),
        }
    }

    /// Whether `url` may be fetched.
    pub fn allowed(&self, url: &Url) -> bool {
        match (&self.outcome, &self.robot) {
            (RobotsOutcome::Unreachable { .. }, _) => url.path() == "/robots.txt",
            (_, Some(robot)) => robot.allowed(url.as_str()),
            (_, None) => true,
        }
    }

    /// Whether the copy should be fetched again.
    pub fn is_stale(&self) -> bool {
        let max_age = match self.outcome {
            RobotsOutcome::Unreachable { .. } => UNREACHABLE_RETRY,
            _ => ROBOTS_MAX_AGE,
        };
        self.fetched_at.elapsed() > max_age
    }
}

/// The robots.txt of every authority seen in a run, fetched once each (and again when stale).
#[derive(Debug)]
pub(crate) struct RobotsCache {
    /// One slot per authority; the async mutex makes concurrent sites wait for the one fetch
    /// rather than start their own.
    slots: DashMap<String, Arc<tokio::sync::Mutex<Option<Arc<Robots>>>>>,
    /// The longest Crawl-delay applied to a host's interval.
    crawl_delay_cap: Duration,
}

impl RobotsCache {
    /// An empty cache; a Crawl-delay raises its host's interval up to `crawl_delay_cap`.
    pub(crate) fn new(crawl_delay_cap: Duration) -> Self {
        RobotsCache {
            slots: DashMap::new(),
            crawl_delay_cap,
        }
    }

    /// The robots.txt rules for `url`'s authority, fetched through `polite` on first use and
    /// cached; a Crawl-delay raises the host's interval.
    pub(crate) async fn get(&self, polite: &Politeness, url: &Url) -> Arc<Robots> {
        let host = polite.host(url);
        let slot = Arc::clone(
            self.slots
                .entry(authority(url))
                .or_insert_with(|| Arc::new(tokio::sync::Mutex::new(None)))
                .value(),
        );
        let mut slot = slot.lock().await;
        if let Some(r) = slot.as_ref().filter(|r| !r.is_stale()) {
            return Arc::clone(r);
        }
        let robots = Arc::new(Box::pin(fetch_robots(polite, url)).await);
        if let Some(delay) = robots.crawl_delay {
            host.raise_interval(delay.min(self.crawl_delay_cap));
        }
        *slot = Some(Arc::clone(&robots));
        robots
    }
}

async fn fetch_robots(polite: &Politeness, url: &Url) -> Robots {
    let mut robots_url = url.clone();
    robots_url.set_path("/robots.txt");
    robots_url.set_query(None);
    robots_url.set_fragment(None);
    let mut hop = robots_url.clone();
    for _ in 0..=MAX_ROBOTS_REDIRECTS {
        match polite.request(&hop, Want::Robots, None).await {
            // The archive's own crawler decided what to capture: with no robots.txt among its
            // captures, a replay does not make one up.
            Err(FetchError::NotArchived { .. }) => return Robots::not_archived(),
            Err(e) => return Robots::unreachable(e.to_string()),
            Ok(ex) => {
                let next = is_redirect(ex.status)
                    .then(|| ex.header(header::LOCATION))
                    .flatten()
                    .and_then(|loc| hop.join(&loc).ok());
                match next {
                    Some(next) => hop = next,
                    // Rules apply to the original authority even after a redirect.
                    None => return Robots::from_response(&robots_url, ex.status, &ex.body),
                }
            }
        }
    }
    // RFC 9309 §2.3.1.2: after too many redirects the file may be taken as unavailable.
    Robots::from_response(&robots_url, 404, b"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn obeys_our_group_and_reads_delay_and_sitemaps() {
        let body = b"User-agent: *\nDisallow: /\n\nUser-agent: civicscan\nDisallow: /private\nCrawl-delay: 2\nSitemap: /sm.xml\n";
        let base = url("https://a.gov.uk/robots.txt");
        let r = Robots::from_response(&base, 200, body);
        assert!(r.allowed(&url("https://a.gov.uk/bins")));
        assert!(!r.allowed(&url("https://a.gov.uk/private/x")));
        assert_eq!(r.crawl_delay, Some(Duration::from_secs(2)));
        assert_eq!(r.sitemaps, vec![url("https://a.gov.uk/sm.xml")]);
    }

    #[test]
    fn client_errors_allow_all_and_server_errors_disallow_all() {
        let base = url("https://a.gov.uk/robots.txt");
        let page = url("https://a.gov.uk/x");
        assert!(Robots::from_response(&base, 404, b"").allowed(&page));
        assert!(!Robots::from_response(&base, 503, b"").allowed(&page));
        assert!(!Robots::from_response(&base, 429, b"").allowed(&page));
    }
}
