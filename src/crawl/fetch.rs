//! Fetching: a request checked against robots.txt and sent through the limiter, redirects
//! followed one hop at a time (each hop checked and rate-limited again), and the response turned
//! into a [`Page`]. [`Crawler`] ties the layers below together: the wire (`http.rs`), the
//! limiter ([`super::limiter`]) and robots.txt ([`super::robots`]).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use regex::RegexSet;
use reqwest::header;
use url::Url;

use super::archive::{self, Recorder};
use super::charset;
use super::config::Source;
use super::config::{CrawlConfig, CrawlError};
use super::http::{Caps, Exchange, FixedCaps, Want, Wire, is_redirect};
use super::limiter::{Host, Politeness};
use super::robots::{MAX_ROBOTS_BYTES, Robots, RobotsCache, RobotsOutcome};
use super::sitemap::MAX_SITEMAP_BYTES;
use super::source::Exchanges;
use super::types::{CrawlStats, FetchError, Link, Page, PageKind, Validators};
use super::url_norm::normalise;
use crate::sites::Site;

/// What a single fetch through [`Crawler::fetch`] is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchKind {
    /// A page: HTML decoded into the body, documents recorded without a body.
    Html,
    /// A stylesheet: decoded into [`Page::body`] whatever its type.
    Css,
}

/// A response fetched by [`Crawler::fetch_resource`].
#[derive(Debug, Clone)]
pub struct Resource {
    /// The HTTP status.
    pub status: u16,
    /// The response headers, lower-case names.
    pub headers: Vec<(String, String)>,
    /// The body, decompressed, up to the page size budget.
    pub body: Vec<u8>,
}

/// The crawler: one per run, shared by every site (behind an `Arc` or a reference).
#[derive(Debug)]
pub struct Crawler {
    pub(crate) config: CrawlConfig,
    polite: Politeness,
    robots: RobotsCache,
    pub(crate) priority: Arc<RegexSet>,
    pub(crate) stats: Arc<CrawlStats>,
    /// Pages handed to the handler at once, across sites (see [`handler_slots`]).
    pub(crate) handling: tokio::sync::Semaphore,
}

/// Pages handled at once at most: four per core. Handling is CPU work (parse, audit) plus a
/// queue push, and without a bound every page fetched while the cores were busy got a blocking
/// thread of its own, each holding its parsed page: 512 threads (tokio's limit) at 1,000
/// councils. Four per core keeps the cores busy while some handlers wait for the store's queue
/// or a browser tab.
fn handler_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) * 4
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
        let fixed = FixedCaps {
            robots: MAX_ROBOTS_BYTES,
            sitemap: MAX_SITEMAP_BYTES,
        };
        let wire = match &config.source {
            Source::Web => Exchanges::Wire(Wire::new(&config, fixed, None)?),
            Source::Recorded(r) => Exchanges::Wire(Wire::new(&config, fixed, Some(Arc::clone(r)))?),
            Source::Archive(replay) => {
                // The same pages of a site in flight as live: the crawl follows pages in the
                // order it started them, so the replay takes the live crawl's path.
                Exchanges::Archive {
                    replay: Arc::clone(replay),
                    caps: Caps::of(&config, fixed),
                }
            }
        };
        let stats = Arc::new(CrawlStats::default());
        Ok(Crawler {
            polite: Politeness::new(wire, &config, Arc::clone(&stats)),
            robots: RobotsCache::new(config.budget.crawl_delay_cap),
            priority: Arc::new(priority),
            stats,
            handling: tokio::sync::Semaphore::new(handler_slots()),
            config,
        })
    }

    /// Counters for a progress display.
    pub fn stats(&self) -> Arc<CrawlStats> {
        Arc::clone(&self.stats)
    }

    /// Requests in flight allowed across all hosts now, and the most that cap may grow to.
    pub fn global_cap(&self) -> (usize, usize) {
        let g = self.polite.global();
        (g.size(), g.ceiling())
    }

    /// Sites worth crawling at once: each keeps a connection open to its host, so the open-files
    /// limit bounds them, less what the requests in flight may hold (see
    /// [`super::limiter::sites_ceiling`]).
    pub fn sites_at_once(&self) -> usize {
        super::limiter::sites_ceiling(self.polite.global().ceiling())
    }

    /// The settings in use.
    pub fn config(&self) -> &CrawlConfig {
        &self.config
    }

    /// The archive every exchange is written to, with `--warc`.
    pub(crate) fn recorder(&self) -> Option<&Recorder> {
        match &self.config.source {
            Source::Recorded(r) => Some(r),
            _ => None,
        }
    }

    /// One extra polite fetch (a site-search query, a stylesheet) through the same robots.txt
    /// rules, limiters and budgets as the crawl. Failures are recorded in the page.
    pub async fn fetch(&self, site: &Site, url: Url, kind: FetchKind) -> Page {
        // Politeness is per host, not per site; the site names the archive file it goes in.
        archive::for_site(&site.slug, self.fetch_for_site(url, kind)).await
    }

    async fn fetch_for_site(&self, url: Url, kind: FetchKind) -> Page {
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

    /// One request for a page's subresource (a script, a stylesheet, data a script asks for),
    /// made by the render stage on the browser's behalf: the same robots.txt check, limiter,
    /// retries and body cap as any request, no redirect followed (the browser follows them, and
    /// each hop comes back here). Returns the status, the headers and the raw body.
    pub async fn fetch_resource(&self, url: &Url) -> Result<Resource, FetchError> {
        let ex = self.request(url, Want::Css, None).await?;
        let headers = ex
            .headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();
        Ok(Resource {
            status: ex.status,
            headers,
            body: ex.body.to_vec(),
        })
    }

    /// [`Crawler::fetch_resource`] on behalf of the council `slug`: with `--warc` the exchange
    /// is archived in that council's file, like its pages.
    pub async fn fetch_resource_for(&self, slug: &str, url: &Url) -> Result<Resource, FetchError> {
        archive::for_site(slug, self.fetch_resource(url)).await
    }

    /// The politeness state of `url`'s host.
    pub(crate) fn host(&self, url: &Url) -> Arc<Host> {
        self.polite.host(url)
    }

    /// The robots.txt rules for `url`'s authority, fetched on first use and cached.
    pub(crate) async fn robots_for(&self, url: &Url) -> Arc<Robots> {
        self.robots.get(&self.polite, url).await
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
            let ex = match self.request(&url, want, validators.take()).await {
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
        if let Some(at) = ex.captured_at_ms {
            page.fetched_at_ms = at;
        }
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

    /// One request: the limiter's admission checks, then robots.txt (a disallowed URL, or any
    /// URL of a host whose robots.txt is unreachable, is not requested), then the limiter's send.
    pub(crate) async fn request(
        &self,
        url: &Url,
        want: Want,
        validators: Option<Validators>,
    ) -> Result<Exchange, FetchError> {
        let host = self.polite.admit(url)?;
        let robots = self.robots_for(url).await;
        if let RobotsOutcome::Unreachable { reason } = &robots.outcome {
            return Err(FetchError::RobotsUnreachable {
                url: url.clone(),
                reason: reason.clone(),
            });
        }
        if !robots.allowed(url) {
            if let Some(r) = self.recorder() {
                r.not_fetched(url, &[("robots.txt-disallows", url)]);
            }
            return Err(FetchError::Disallowed { url: url.clone() });
        }
        self.polite.send(&host, url, want, validators).await
    }
}
