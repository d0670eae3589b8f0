//! Fetching: one polite request (robots.txt, host limiter, global cap, retries), redirects
//! followed one hop at a time (each hop guarded and rate-limited), and the body read up to its
//! budget and turned into a [`Page`].

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::Rng;
use regex::RegexSet;
use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use super::charset;
use super::config::{CrawlConfig, CrawlError};
use super::frontier::Link;
use super::guard::GuardedResolver;
use super::http::{Exchange, Want, is_redirect, retry_after};
use super::limiter::{Host, Hosts};
use super::robots::RobotsOutcome;
use super::site::CrawlStats;
use super::url_norm::{authority, literal_ip, normalise};
use super::{Page, PageKind, Validators};
use crate::sites::Site;

/// What a single fetch through [`Crawler::fetch`] is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchKind {
    /// A page: HTML decoded into the body, documents recorded without a body.
    Html,
    /// A stylesheet: decoded into [`Page::body`] whatever its type.
    Css,
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
    fn is_transient(&self) -> bool {
        matches!(
            self,
            FetchError::Timeout { .. } | FetchError::Network { .. }
        )
    }
}

/// The crawler: one per run, shared by every site (behind an `Arc` or a reference).
#[derive(Debug)]
pub struct Crawler {
    pub(crate) config: CrawlConfig,
    pub(crate) client: reqwest::Client,
    hosts: Hosts,
    global: Semaphore,
    pub(crate) priority: RegexSet,
    pub(crate) stats: Arc<CrawlStats>,
}

impl Crawler {
    /// Builds a crawler: compiles the priority patterns and the HTTP client.
    pub fn new(config: CrawlConfig) -> Result<Self, CrawlError> {
        for p in &config.priority_patterns {
            regex::Regex::new(p).map_err(|source| CrawlError::Pattern {
                pattern: p.clone(),
                source,
            })?;
        }
        let priority =
            RegexSet::new(&config.priority_patterns).map_err(|source| CrawlError::Pattern {
                pattern: config.priority_patterns.join(" | "),
                source,
            })?;
        // reqwest is built without a bundled crypto provider; ring is ours. Installing twice
        // (a second Crawler) returns an error that means "already installed".
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut headers = HeaderMap::new();
        if let Some(from) = &config.from_email {
            let v = HeaderValue::from_str(from).map_err(|_| CrawlError::Header(from.clone()))?;
            headers.insert(header::FROM, v);
        }
        let user_agent = config.user_agent();
        HeaderValue::from_str(&user_agent).map_err(|_| CrawlError::Header(user_agent.clone()))?;
        let client = reqwest::Client::builder()
            .user_agent(user_agent)
            .default_headers(headers)
            // Redirects are followed by hand, so every hop is guarded, rate-limited and recorded.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.budget.connect_timeout)
            .dns_resolver(Arc::new(GuardedResolver::new(
                config.resolve.clone(),
                config.address_policy(),
            )))
            .no_proxy()
            .build()
            .map_err(CrawlError::Client)?;
        Ok(Crawler {
            hosts: Hosts::new(config.interval()),
            global: Semaphore::new(config.budget.global_concurrency.max(1)),
            priority,
            stats: Arc::new(CrawlStats::default()),
            client,
            config,
        })
    }

    /// Counters for a progress display.
    pub fn stats(&self) -> Arc<CrawlStats> {
        Arc::clone(&self.stats)
    }

    /// The settings in use.
    pub fn config(&self) -> &CrawlConfig {
        &self.config
    }

    /// One extra polite fetch (a site-search query, a stylesheet) through the same robots.txt
    /// rules, limiters and budgets as the crawl. Failures are recorded in the page.
    pub async fn fetch(&self, site: &Site, url: Url, kind: FetchKind) -> Page {
        let _ = site; // the site names the caller; politeness is per host, not per site
        let want = match kind {
            FetchKind::Html => Want::Page,
            FetchKind::Css => Want::Css,
        };
        let url = normalise(&url, &self.config.budget.strip_query_params).unwrap_or(url);
        let link = Link {
            url,
            depth: 0,
            referrer: None,
            link_text: None,
        };
        self.fetch_page(&link, want, None).await
    }

    pub(crate) fn host(&self, url: &Url) -> Arc<Host> {
        self.hosts.get(&authority(url))
    }

    /// Fetches a page, following redirects, and describes the result as a [`Page`].
    pub(crate) async fn fetch_page(
        &self,
        link: &Link,
        want: Want,
        validators: Option<Validators>,
    ) -> Page {
        let fetched_at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let mut page = Page {
            url: link.url.clone(),
            final_url: link.url.clone(),
            status: 0,
            content_type: None,
            kind: PageKind::Other,
            bytes: 0,
            truncated: false,
            content_length: None,
            ttfb_ms: 0,
            depth: link.depth,
            referrer: link.referrer.clone(),
            link_text: link.link_text.clone(),
            redirects: Vec::new(),
            fetched_at_ms,
            etag: None,
            last_modified: None,
            body: None,
            error: None,
        };
        let strip = &self.config.budget.strip_query_params;
        let mut url = link.url.clone();
        let mut validators = validators;
        loop {
            let ex = match self.request(&url, want, validators.take(), true).await {
                Ok(ex) => ex,
                Err(e) => {
                    page.final_url = url;
                    page.error = Some(e.to_string());
                    return page;
                }
            };
            let location = is_redirect(ex.status)
                .then(|| ex.header(header::LOCATION))
                .flatten();
            if let Some(location) = location {
                let next = url.join(&location).ok().and_then(|u| normalise(&u, strip));
                let error = match &next {
                    None => Some(format!(
                        "{url}: redirect to an unusable location `{location}`"
                    )),
                    Some(n) if *n == url || page.redirects.contains(n) || *n == page.url => {
                        Some(format!("{url}: redirect loop back to {n}"))
                    }
                    Some(_) if page.redirects.len() as u32 >= self.config.budget.max_redirects => {
                        Some(format!(
                            "{url}: more than {} redirects",
                            self.config.budget.max_redirects
                        ))
                    }
                    Some(_) => None,
                };
                if let (None, Some(next)) = (&error, next) {
                    page.redirects.push(url);
                    url = next;
                    continue;
                }
                page.error = error;
            }
            page.final_url = url;
            self.describe(&mut page, ex, want);
            return page;
        }
    }

    fn describe(&self, page: &mut Page, ex: Exchange, want: Want) {
        page.status = ex.status;
        page.content_type = ex.header(header::CONTENT_TYPE);
        page.content_length = ex
            .header(header::CONTENT_LENGTH)
            .and_then(|v| v.parse().ok());
        page.etag = ex.header(header::ETAG);
        page.last_modified = ex.header(header::LAST_MODIFIED);
        page.kind = ex.kind;
        page.bytes = ex.body.len() as u64;
        page.truncated = ex.truncated;
        page.ttfb_ms = ex.ttfb.as_millis().min(u32::MAX as u128) as u32;
        page.body = match (want, ex.kind) {
            (Want::Css, _) => Some(charset::decode_text(&ex.body, page.content_type.as_deref())),
            (_, PageKind::Html) if ex.status != 304 => {
                Some(charset::decode_html(&ex.body, page.content_type.as_deref()).0)
            }
            _ => None,
        };
        if page.error.is_none() && ex.status >= 400 {
            page.error = Some(format!("{}: HTTP {}", page.final_url, ex.status));
        }
    }

    /// One request with politeness and retries: robots.txt (unless fetching it), the guard for
    /// literal IPs, the host's slot and limiter, the global cap; 429/503 wait for Retry-After,
    /// 408/5xx and network errors back off exponentially with jitter, at most `retries` times.
    pub(crate) async fn request(
        &self,
        url: &Url,
        want: Want,
        validators: Option<Validators>,
        check_robots: bool,
    ) -> Result<Exchange, FetchError> {
        let host = self.host(url);
        if let Some(reason) = host.given_up() {
            return Err(FetchError::HostGivenUp {
                url: url.clone(),
                reason,
            });
        }
        if let Some(ip) = literal_ip(url).filter(|ip| self.config.address_policy().refuses(*ip)) {
            return Err(FetchError::Private {
                url: url.clone(),
                detail: ip.to_string(),
            });
        }
        if check_robots {
            // Boxed: fetching robots.txt is itself a request.
            let robots = Box::pin(self.robots_for(url)).await;
            if let RobotsOutcome::Unreachable { reason } = &robots.outcome {
                return Err(FetchError::RobotsUnreachable {
                    url: url.clone(),
                    reason: reason.clone(),
                });
            }
            if !robots.allowed(url) {
                return Err(FetchError::Disallowed { url: url.clone() });
            }
        }
        let retries = self.config.budget.retries;
        let mut attempt = 0;
        loop {
            let (permit, global) = host.acquire(&self.global).await;
            // Checked again per attempt: requests queued behind the host's slot, or retrying,
            // stop as soon as the host is given up instead of joining the storm.
            if let Some(reason) = host.given_up() {
                return Err(FetchError::HostGivenUp {
                    url: url.clone(),
                    reason,
                });
            }
            let started = Instant::now();
            let result = self.exchange(url, want, validators.as_ref()).await;
            drop(global);
            drop(permit);
            let retry_in = match &result {
                Ok(ex) => {
                    host.record_latency(started.elapsed());
                    match ex.status {
                        429 | 503 => {
                            Some(retry_after(&ex.headers).unwrap_or_else(|| self.backoff(attempt)))
                        }
                        408 | 500..=599 => Some(self.backoff(attempt)),
                        _ => None,
                    }
                }
                Err(FetchError::Private { .. }) => None,
                Err(e) if e.is_transient() => Some(self.backoff(attempt)),
                Err(_) => None,
            };
            let failed = retry_in.is_some() || result.is_err();
            match retry_in {
                Some(wait) if attempt < retries && wait <= self.config.max_retry_after => {
                    attempt += 1;
                    self.stats.add_retry();
                    // Error responses never speed the crawl up: the whole host waits.
                    host.delay_until(Instant::now() + wait);
                    tracing::debug!(%url, ?wait, attempt, "retrying");
                    continue;
                }
                _ => {}
            }
            if failed {
                let why = match &result {
                    Ok(ex) => format!("HTTP {} from {url}", ex.status),
                    Err(e) => e.to_string(),
                };
                if host.record_failure() >= self.config.host_failure_limit {
                    host.give_up(format!(
                        "{} failed requests in a row, last: {why}",
                        self.config.host_failure_limit
                    ));
                }
                if let Some(wait) = retry_in {
                    // Not retried (out of retries, or Retry-After too long), yet the host asked
                    // us to slow down: respect that for its other requests, within reason.
                    host.delay_until(Instant::now() + wait.min(self.config.max_retry_after));
                }
            } else {
                host.record_success();
            }
            return result;
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.config.retry_base.as_secs_f64() * 2f64.powi(attempt.min(16) as i32);
        let jittered = base * rand::rng().random_range(0.5..1.5);
        Duration::try_from_secs_f64(jittered)
            .unwrap_or(self.config.max_backoff)
            .min(self.config.max_backoff)
    }
}
