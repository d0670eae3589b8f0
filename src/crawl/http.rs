//! The wire: one HTTP exchange, a GET with honest headers (and validators for a conditional
//! request), the body decoded and read up to the cap for its purpose ([`super::body`]), all within
//! the request timeout; plus the header readings the layers above need (page kind, Retry-After,
//! redirects). With `--warc`, every exchange is also handed as received to the archive's recorder
//! (the tee, [`super::archive`]), whatever became of it. The bottom of the crawl's stack: it knows
//! nothing of hosts, robots.txt or retries. Politeness is the limiter's ([`super::limiter`]);
//! every request reaches the wire through it.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::time::Instant;
use url::Url;

use super::archive::{Capture, CapturedResponse, Recorder};
use super::body::{self, Decoder};
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
    /// The headers, describing the decoded body (a content coding undone is taken out).
    pub headers: HeaderMap,
    pub kind: PageKind,
    /// The body, decoded, at most its cap.
    pub body: Bytes,
    pub truncated: bool,
    pub ttfb: Duration,
    /// When the exchange happened, as Unix milliseconds, for one answered from an archive (a
    /// live exchange happens now).
    pub captured_at_ms: Option<i64>,
}

impl Exchange {
    pub(crate) fn header(&self, name: header::HeaderName) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// The bytes read at most for a purpose and a body's labelled kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caps {
    pub max_bytes: u64,
    pub max_document_bytes: u64,
    pub fixed: FixedCaps,
}

impl Caps {
    pub(crate) fn of(config: &CrawlConfig, fixed: FixedCaps) -> Caps {
        Caps {
            max_bytes: config.budget.max_bytes,
            max_document_bytes: config.budget.max_document_bytes,
            fixed,
        }
    }

    /// Bytes as received read at most for a body capped at `cap` decoded bytes: enough for any
    /// honest coding of `cap` bytes (and chunk lines), so a coded stream that decodes to
    /// little or nothing cannot be read for ever. The wire and the archive read the same.
    pub(crate) fn raw_limit(cap: u64) -> u64 {
        cap.saturating_add(cap / 8).saturating_add(64 * 1024)
    }

    /// The cap for a request made for `want` whose response says it is `kind`.
    pub(crate) fn cap(&self, want: Want, kind: Option<PageKind>) -> u64 {
        match (want, kind) {
            (Want::Robots, _) => self.fixed.robots,
            (Want::Sitemap, _) => self.fixed.sitemap,
            (Want::Css, _) | (Want::Page, Some(PageKind::Html) | None) => self.max_bytes,
            (Want::Page, Some(_)) => self.max_document_bytes,
        }
    }
}

/// The Accept header sent for a purpose.
pub(crate) fn accept(want: Want) -> &'static str {
    match want {
        Want::Page => "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
        Want::Css => "text/css,*/*;q=0.1",
        Want::Robots => "text/plain,*/*;q=0.1",
        Want::Sitemap => "application/xml,text/xml,*/*;q=0.1",
    }
}

/// The page kind of a response from its Content-Type header and its first bytes.
pub(crate) fn kind_of(headers: &HeaderMap, body: &[u8]) -> PageKind {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    settle(classify(content_type), body)
}

/// The labelled kind of a response (before sniffing), which decides its cap.
pub(crate) fn labelled_kind(headers: &HeaderMap) -> Option<PageKind> {
    classify(
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// How long a host's connection is kept for its next request: the default keep-alive timeout
/// of Apache httpd 2.4 (`KeepAliveTimeout 5`) and of Node.js servers, after which many servers
/// close it anyway. The shipped rate (1 request a second) always reuses it.
pub(crate) const IDLE_CONNECTION: Duration = Duration::from_secs(5);

/// The HTTP client and the caps it reads bodies to; with a recorder, every exchange is also
/// kept in a web archive as it was received (the tee).
#[derive(Debug)]
pub(crate) struct Wire {
    client: reqwest::Client,
    request_timeout: Duration,
    caps: Caps,
    /// Sent with every request (also written into the archive's request records).
    sent: HeaderMap,
    recorder: Option<Arc<Recorder>>,
}

/// What reading a response got to, kept outside the request's future so a request cut off by
/// its timeout still leaves its partial response for the archive.
#[derive(Default)]
struct Reading {
    head: Option<ResponseMeta>,
    decoder: Option<Decoder>,
    /// The bytes as received, when they differ from the decoded ones and are being recorded.
    raw: Option<Vec<u8>>,
    complete: bool,
    ttfb: Duration,
}

struct ResponseMeta {
    status: u16,
    version: reqwest::Version,
    /// The headers as received.
    received: HeaderMap,
    /// The headers describing the decoded body.
    headers: HeaderMap,
    remote: Option<std::net::IpAddr>,
}

impl Wire {
    /// Builds the client: User-Agent and `From` headers, no automatic redirects, the connect
    /// timeout, and the guarded resolver (private addresses refused unless allowed). Bodies are
    /// decoded by the crawl ([`Decoder`]), not the client.
    pub(crate) fn new(
        config: &CrawlConfig,
        fixed: FixedCaps,
        recorder: Option<Arc<Recorder>>,
    ) -> Result<Self, CrawlError> {
        // reqwest is built without a bundled crypto provider; ring is ours. Installing twice
        // (a second Crawler) returns an error that means "already installed".
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut sent = HeaderMap::new();
        let user_agent = config.user_agent();
        let ua = HeaderValue::from_str(&user_agent).map_err(|_| CrawlError::Header(user_agent))?;
        sent.insert(header::USER_AGENT, ua);
        if let Some(from) = &config.from_email {
            let v = HeaderValue::from_str(from).map_err(|_| CrawlError::Header(from.clone()))?;
            sent.insert(header::FROM, v);
        }
        sent.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static(body::ACCEPT_ENCODING),
        );
        let client = reqwest::Client::builder()
            // Redirects are followed by hand, so every hop is guarded, rate-limited and recorded.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.budget.connect_timeout)
            // One idle connection per host, kept for [`IDLE_CONNECTION`]: long enough for the
            // next request at the shipped rate, while a host asked less often (a slow rate for
            // a register of thousands, or a long Crawl-delay) holds no socket, buffers or task
            // between its requests. (An idle client connection holds about 30 KB: 300 MB at
            // 10 000 councils.)
            .pool_max_idle_per_host(1)
            .pool_idle_timeout(IDLE_CONNECTION)
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
            caps: Caps::of(config, fixed),
            sent,
            recorder,
        })
    }

    /// Sends one GET and reads the body up to its cap, all within the request timeout; with a
    /// recorder, hands the exchange to it as received, whatever became of it.
    pub(crate) async fn exchange(
        &self,
        url: &Url,
        want: Want,
        validators: Option<&Validators>,
    ) -> Result<Exchange, FetchError> {
        let timeout = self.request_timeout;
        let started = jiff::Timestamp::now();
        let mut request = self.sent.clone();
        request.insert(header::ACCEPT, HeaderValue::from_static(accept(want)));
        if let Some(v) = validators {
            if let Some(etag) = v.etag.as_ref().and_then(|e| HeaderValue::from_str(e).ok()) {
                request.insert(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = v
                .last_modified
                .as_ref()
                .and_then(|e| HeaderValue::from_str(e).ok())
            {
                request.insert(header::IF_MODIFIED_SINCE, lm);
            }
        }
        let mut reading = Reading::default();
        let recording = self.recorder.is_some();
        let outcome = tokio::time::timeout(
            timeout,
            self.read(url, want, request.clone(), &mut reading, recording),
        )
        .await;
        let cut = match &outcome {
            Err(_) => Some("time"),
            Ok(Err(_)) => Some("disconnect"),
            Ok(Ok(())) => None,
        };
        let result = match outcome {
            Ok(Ok(())) => self.finish(url, &mut reading),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(FetchError::Timeout {
                url: url.clone(),
                ms: timeout.as_millis(),
            }),
        };
        if let Some(recorder) = &self.recorder {
            let response = reading.head.map(|meta| {
                let (body, truncated) = match (&result, reading.raw, reading.decoder) {
                    // Decoded as received: the exchange's body is the bytes received.
                    (Ok(ex), None, _) => (ex.body.clone(), ex.truncated.then_some("length")),
                    (Ok(ex), Some(raw), _) => (Bytes::from(raw), ex.truncated.then_some("length")),
                    (Err(_), Some(raw), _) => (Bytes::from(raw), cut),
                    (Err(_), None, Some(d)) => (Bytes::copy_from_slice(d.decoded()), cut),
                    (Err(_), None, None) => (Bytes::new(), cut),
                };
                // A redirect's body is never read.
                let truncated = if is_redirect(meta.status) {
                    Some("unspecified").filter(|_| {
                        meta.received
                            .get(header::CONTENT_LENGTH)
                            .is_none_or(|l| l.as_bytes() != b"0")
                    })
                } else {
                    truncated
                };
                CapturedResponse {
                    status: meta.status,
                    version: meta.version,
                    headers: meta.received,
                    body,
                    truncated,
                    remote: meta.remote,
                }
            });
            recorder
                .exchange(Capture {
                    started,
                    url: url.clone(),
                    request,
                    response,
                    error: result.as_ref().err().cloned(),
                })
                .await;
        }
        result
    }

    /// Sends the request and reads the response into `reading`.
    async fn read(
        &self,
        url: &Url,
        want: Want,
        request: HeaderMap,
        reading: &mut Reading,
        recording: bool,
    ) -> Result<(), FetchError> {
        let sent = Instant::now();
        let mut resp = self
            .client
            .get(url.as_str())
            .headers(request)
            .send()
            .await
            .map_err(|e| self.network_error(url, &e))?;
        reading.ttfb = sent.elapsed();
        let status = resp.status().as_u16();
        let received = resp.headers().clone();
        let mut headers = received.clone();
        let cap = self.caps.cap(want, labelled_kind(&headers));
        let decoder = Decoder::new(&mut headers, cap);
        if recording && !decoder.is_identity() {
            reading.raw = Some(Vec::new());
        }
        reading.head = Some(ResponseMeta {
            status,
            version: resp.version(),
            received,
            headers,
            remote: resp.remote_addr().map(|a| a.ip()),
        });
        reading.decoder = Some(decoder);
        // Redirect bodies are not read: only the Location header matters.
        if !is_redirect(status) {
            let limit = Caps::raw_limit(cap);
            let mut received = 0u64;
            while let Some(chunk) = resp
                .chunk()
                .await
                .map_err(|e| self.network_error(url, &e))?
            {
                let room = limit.saturating_sub(received);
                let part = &chunk[..chunk.len().min(usize::try_from(room).unwrap_or(usize::MAX))];
                received += part.len() as u64;
                if let Some(raw) = reading.raw.as_mut() {
                    raw.extend_from_slice(part);
                }
                let Some(decoder) = reading.decoder.as_mut() else {
                    break;
                };
                decoder.push(part).map_err(|detail| FetchError::Network {
                    url: url.clone(),
                    detail,
                })?;
                if part.len() < chunk.len() {
                    decoder.cut();
                }
                if decoder.is_full() {
                    return Ok(()); // dropping the response stops the download
                }
            }
        }
        reading.complete = true;
        Ok(())
    }

    /// The exchange from a response read to its end (or its cap).
    fn finish(&self, url: &Url, reading: &mut Reading) -> Result<Exchange, FetchError> {
        let (Some(meta), Some(decoder)) = (reading.head.as_ref(), reading.decoder.take()) else {
            return Err(FetchError::Network {
                url: url.clone(),
                detail: "no response".into(),
            });
        };
        let headers = meta.headers.clone();
        let (body, truncated) =
            decoder
                .finish(reading.complete)
                .map_err(|detail| FetchError::Network {
                    url: url.clone(),
                    detail,
                })?;
        Ok(Exchange {
            status: meta.status,
            kind: kind_of(&headers, &body),
            headers,
            body: Bytes::from(body),
            truncated,
            ttfb: reading.ttfb,
            captured_at_ms: None,
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
