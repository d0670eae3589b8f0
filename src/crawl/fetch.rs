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
use super::guard::{GuardedResolver, is_forbidden};
use super::limiter::{Host, Hosts};
use super::robots::{MAX_ROBOTS_BYTES, MAX_ROBOTS_REDIRECTS, Robots, RobotsOutcome};
use super::site::CrawlStats;
use super::sitemap::MAX_SITEMAP_BYTES;
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

/// The purpose of a request, which decides how much of the body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Page,
    Css,
    Robots,
    Sitemap,
}

/// One HTTP response, body read up to its cap.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub status: u16,
    pub headers: HeaderMap,
    pub kind: PageKind,
    pub body: Vec<u8>,
    pub truncated: bool,
    pub ttfb: Duration,
}

impl Exchange {
    fn header(&self, name: header::HeaderName) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// The crawler: one per run, shared by every site (behind an `Arc` or a reference).
#[derive(Debug)]
pub struct Crawler {
    pub(crate) config: CrawlConfig,
    client: reqwest::Client,
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
                config.allow_private,
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

    /// The robots.txt rules for `url`'s authority, fetched on first use and cached.
    pub(crate) async fn robots_for(&self, url: &Url) -> Arc<Robots> {
        let host = self.host(url);
        let mut slot = host.robots.lock().await;
        if let Some(r) = slot.as_ref().filter(|r| !r.is_stale()) {
            return Arc::clone(r);
        }
        let robots = Arc::new(self.fetch_robots(url).await);
        if let Some(delay) = robots.crawl_delay {
            host.raise_interval(delay.min(self.config.budget.crawl_delay_cap));
        }
        *slot = Some(Arc::clone(&robots));
        robots
    }

    async fn fetch_robots(&self, url: &Url) -> Robots {
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        robots_url.set_fragment(None);
        let mut hop = robots_url.clone();
        for _ in 0..=MAX_ROBOTS_REDIRECTS {
            match self.request(&hop, Want::Robots, None, false).await {
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
        if let Some(ip) =
            literal_ip(url).filter(|ip| !self.config.allow_private && is_forbidden(*ip))
        {
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

    /// Sends one GET and reads the body up to its cap, all within the request timeout.
    async fn exchange(
        &self,
        url: &Url,
        want: Want,
        validators: Option<&Validators>,
    ) -> Result<Exchange, FetchError> {
        let timeout = self.config.budget.request_timeout;
        match tokio::time::timeout(timeout, self.exchange_inner(url, want, validators)).await {
            Ok(r) => r,
            Err(_) => Err(FetchError::Timeout {
                url: url.clone(),
                ms: timeout.as_millis(),
            }),
        }
    }

    async fn exchange_inner(
        &self,
        url: &Url,
        want: Want,
        validators: Option<&Validators>,
    ) -> Result<Exchange, FetchError> {
        let accept = match want {
            Want::Page => "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
            Want::Css => "text/css,*/*;q=0.1",
            Want::Robots => "text/plain,*/*;q=0.1",
            Want::Sitemap => "application/xml,text/xml,*/*;q=0.1",
        };
        let mut req = self.client.get(url.as_str()).header(header::ACCEPT, accept);
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                req = req.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                req = req.header(header::IF_MODIFIED_SINCE, lm);
            }
        }
        let sent = Instant::now();
        let mut resp = req.send().await.map_err(|e| self.network_error(url, &e))?;
        let ttfb = sent.elapsed();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let kind = classify(content_type);
        let budget = &self.config.budget;
        let cap = match (want, kind) {
            (Want::Robots, _) => MAX_ROBOTS_BYTES,
            (Want::Sitemap, _) => MAX_SITEMAP_BYTES,
            (Want::Css, _) | (Want::Page, Some(PageKind::Html) | None) => budget.max_bytes,
            (Want::Page, Some(_)) => budget.max_document_bytes,
        };
        let mut body = Vec::new();
        let mut truncated = false;
        // Redirect bodies are not read: only the Location header matters.
        if !is_redirect(status) {
            while let Some(chunk) = resp
                .chunk()
                .await
                .map_err(|e| self.network_error(url, &e))?
            {
                let room = (cap as usize).saturating_sub(body.len());
                if chunk.len() > room {
                    body.extend_from_slice(&chunk[..room]);
                    truncated = true;
                    break; // dropping the response stops the download
                }
                body.extend_from_slice(&chunk);
            }
        }
        let kind = kind.unwrap_or_else(|| sniff(&body));
        Ok(Exchange {
            status,
            headers,
            kind,
            body,
            truncated,
            ttfb,
        })
    }

    fn network_error(&self, url: &Url, e: &reqwest::Error) -> FetchError {
        if e.is_timeout() {
            return FetchError::Timeout {
                url: url.clone(),
                ms: self.config.budget.request_timeout.as_millis(),
            };
        }
        // Walk the source chain: the resolver's refusal arrives wrapped in a connect error.
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            let text = s.to_string();
            if text.contains("private addresses") {
                return FetchError::Private {
                    url: url.clone(),
                    detail: text,
                };
            }
            detail = format!("{detail}: {text}");
            source = s.source();
        }
        FetchError::Network {
            url: url.clone(),
            detail,
        }
    }
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The page kind a Content-Type names; `None` when there is none (decided by sniffing).
fn classify(content_type: Option<&str>) -> Option<PageKind> {
    let mime = content_type?
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    Some(match mime.as_str() {
        "text/html" | "application/xhtml+xml" => PageKind::Html,
        "application/pdf" | "application/msword" | "application/rtf" | "text/rtf" | "text/csv"
        | "application/zip" => PageKind::Document,
        m if m.starts_with("application/vnd.openxmlformats")
            || m.starts_with("application/vnd.ms-")
            || m.starts_with("application/vnd.oasis.opendocument") =>
        {
            PageKind::Document
        }
        "" => return None,
        _ => PageKind::Other,
    })
}

/// An unlabelled body is HTML when it starts like HTML (after a BOM and whitespace).
fn sniff(body: &[u8]) -> PageKind {
    let start = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start: Vec<u8> = start
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(14)
        .map(u8::to_ascii_lowercase)
        .collect();
    if start.starts_with(b"<!doctype html") || start.starts_with(b"<html") {
        PageKind::Html
    } else if start.starts_with(b"%pdf-") {
        PageKind::Document
    } else {
        PageKind::Other
    }
}

/// Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        let later = SystemTime::now() + Duration::from_secs(100);
        h.insert(
            header::RETRY_AFTER,
            HeaderValue::from_str(&httpdate::fmt_http_date(later)).unwrap(),
        );
        let d = retry_after(&h).unwrap();
        assert!(
            d > Duration::from_secs(95) && d <= Duration::from_secs(100),
            "{d:?}"
        );
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn classifies_content_types() {
        assert_eq!(
            classify(Some("text/html; charset=utf-8")),
            Some(PageKind::Html)
        );
        assert_eq!(classify(Some("application/pdf")), Some(PageKind::Document));
        assert_eq!(
            classify(Some(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            )),
            Some(PageKind::Document)
        );
        assert_eq!(classify(Some("image/png")), Some(PageKind::Other));
        assert_eq!(classify(None), None);
        assert_eq!(sniff(b"  <!DOCTYPE html><p>"), PageKind::Html);
        assert_eq!(sniff(b"%PDF-1.7"), PageKind::Document);
    }
}
