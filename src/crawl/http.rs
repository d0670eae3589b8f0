//! The wire: one HTTP exchange, a GET with honest headers (and validators for a conditional
//! request), the body read up to the cap for its purpose, all within the request timeout; plus the
//! header readings the layers above need (page kind, Retry-After, redirects). The bottom of the
//! crawl's stack: it knows nothing of hosts, robots.txt or retries. Politeness is the limiter's
//! ([`super::limiter`]); every request reaches the wire through it.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::time::Instant;
use url::Url;

use super::config::{CrawlConfig, CrawlError};
use super::guard::GuardedResolver;
use super::types::{FetchError, PageKind, Validators};

/// The purpose of a request, which decides the Accept header and how much of the body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Page,
    Css,
    Robots,
    Sitemap,
}

/// Bytes read at most for the purposes whose cap is set by a protocol rather than the budget
/// (pages, stylesheets and documents are capped by [`crate::ruleset::CrawlBudget`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FixedCaps {
    pub robots: u64,
    pub sitemap: u64,
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
    pub(crate) fn header(&self, name: header::HeaderName) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// The HTTP client and the caps it reads bodies to.
#[derive(Debug)]
pub(crate) struct Wire {
    client: reqwest::Client,
    request_timeout: Duration,
    max_bytes: u64,
    max_document_bytes: u64,
    fixed: FixedCaps,
}

impl Wire {
    /// Builds the client: User-Agent and `From` headers, no automatic redirects, the connect
    /// timeout, and the guarded resolver (private addresses refused unless allowed).
    pub(crate) fn new(config: &CrawlConfig, fixed: FixedCaps) -> Result<Self, CrawlError> {
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
            // One idle connection per host, closed soon after its crawl: a run of thousands of
            // councils must not hold a socket per council for long after it is done.
            .pool_max_idle_per_host(1)
            .pool_idle_timeout(std::time::Duration::from_secs(20))
            .dns_resolver(Arc::new(GuardedResolver::new(
                config.resolve.clone(),
                config.address_policy(),
            )))
            .no_proxy()
            .build()
            .map_err(CrawlError::Client)?;
        Ok(Wire {
            client,
            request_timeout: config.budget.request_timeout,
            max_bytes: config.budget.max_bytes,
            max_document_bytes: config.budget.max_document_bytes,
            fixed,
        })
    }

    /// Sends one GET and reads the body up to its cap, all within the request timeout.
    pub(crate) async fn exchange(
        &self,
        url: &Url,
        want: Want,
        validators: Option<&Validators>,
    ) -> Result<Exchange, FetchError> {
        let timeout = self.request_timeout;
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
        let cap = match (want, kind) {
            (Want::Robots, _) => self.fixed.robots,
            (Want::Sitemap, _) => self.fixed.sitemap,
            (Want::Css, _) | (Want::Page, Some(PageKind::Html) | None) => self.max_bytes,
            (Want::Page, Some(_)) => self.max_document_bytes,
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
        let kind = settle(kind, &body);
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
                ms: self.request_timeout.as_millis(),
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

pub(crate) fn is_redirect(status: u16) -> bool {
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

/// The kind of a body from its label and its first bytes: unlabelled bodies are sniffed, and a
/// PDF labelled HTML (a misconfigured download handler) is a document, so its bytes are never
/// parsed and audited as a page nobody sees.
fn settle(labelled: Option<PageKind>, body: &[u8]) -> PageKind {
    match labelled {
        Some(PageKind::Html) if sniff(body) == PageKind::Document => PageKind::Document,
        Some(kind) => kind,
        None => sniff(body),
    }
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
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
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
    use reqwest::header::HeaderValue;

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
        assert_eq!(
            settle(Some(PageKind::Html), b"%PDF-1.7\n<a href=x>"),
            PageKind::Document
        );
        assert_eq!(
            settle(Some(PageKind::Document), b"<!doctype html>"),
            PageKind::Document
        );
        assert_eq!(settle(None, b"<html>"), PageKind::Html);
    }
}
