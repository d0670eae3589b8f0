//! Crawling one site: the home page first, then sitemaps and links best-first within the site's
//! budgets, every page handed to the [`PageHandler`] on a blocking thread as it arrives.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesOrdered;
use serde::Serialize;
use tokio::sync::mpsc;
use tokio::time::Instant;
use url::Url;

use super::archive;
use super::fetch::{Crawler, FetchKind};
use super::frontier::Frontier;
use super::http::Want;
use super::robots::RobotsOutcome;
use super::sitemap;
use super::types::{Discovered, Link, Page, PageHandler};
use super::url_norm::{Scope, ScopeClass, TrapGuard, normalise};
use crate::sites::Site;

/// Links waiting per site at most: a page of a million generated links must not exhaust memory
/// when hundreds of sites crawl at once.
const MAX_FRONTIER: usize = 100_000;

/// Sitemap files read per site at most (an index can name thousands).
const MAX_SITEMAP_FILES: usize = 50;

/// What an earlier, interrupted run already did for a site: those URLs are never fetched again,
/// and the links found on them rebuild the frontier.
#[derive(Debug, Clone, Default)]
///
/// Build it with [`Resume::add_page`] from the stored pages and the links their handler returned.
/// Leave out pages that should be tried again (say, ones that failed): they are then fetched anew.
pub struct Resume {
    /// URLs already fetched (requested and final URLs): never requested again.
    pub fetched: HashSet<Url>,
    /// Links discovered on those pages, with depth, referrer and text.
    pub links: Vec<Link>,
    /// Pages already fetched, counted against the page budget.
    pub pages: usize,
}

impl Resume {
    /// Nothing fetched yet: a fresh crawl.
    pub fn none() -> Self {
        Resume::default()
    }

    /// Adds a stored page and the links its handler returned, as the crawl itself would have.
    pub fn add_page(&mut self, page: &Page, discovered: &Discovered) {
        self.pages += 1;
        self.fetched.insert(page.url.clone());
        self.fetched.insert(page.final_url.clone());
        if discovered.nofollow {
            return;
        }
        self.links
            .extend(discovered.links.iter().map(|(url, text)| Link {
                url: url.clone(),
                depth: page.depth + 1,
                referrer: Some(page.final_url.clone()),
                link_text: Some(text.clone()),
            }));
    }
}

/// Which budgets stopped the crawl of a site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Budgets {
    /// `max_pages` reached with links still waiting.
    pub pages: bool,
    /// Links deeper than `max_depth` were left out.
    pub depth: bool,
    /// `site_time_budget` ran out.
    pub time: bool,
    /// Some response was cut at its byte budget.
    pub bytes: bool,
}

/// The outcome of crawling one site.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCrawlReport {
    /// The site's slug.
    pub site_slug: String,
    /// Pages fetched and handed on in this run.
    pub pages: usize,
    /// Pages skipped because an earlier run fetched them.
    pub resumed_pages: usize,
    /// Pages that failed (no response, or HTTP 4xx/5xx).
    pub errors: usize,
    /// Body bytes read.
    pub bytes: u64,
    /// Which budgets were hit.
    pub budgets: Budgets,
    /// How robots.txt of the home page's host was fetched; `None` if it never was.
    pub robots: Option<RobotsOutcome>,
    /// Links not fetched because robots.txt disallows them.
    pub robots_blocked: usize,
    /// The Crawl-delay applied to the home page's host, after capping.
    pub crawl_delay: Option<Duration>,
    /// The Crawl-delay robots.txt asked for, when it was longer than the cap.
    pub crawl_delay_capped: Option<Duration>,
    /// Page URLs read from sitemaps.
    pub sitemap_urls: usize,
    /// Links dropped by the endless-URL-space guard.
    pub traps_skipped: usize,
    /// Links were dropped because the frontier was full.
    pub frontier_full: bool,
    /// Why the site could not be crawled at all (home page failed or disallowed).
    pub failure: Option<String>,
    /// Why the home page's host was given up, if it was.
    pub host_given_up: Option<String>,
    /// The crawl was stopped by its [`super::StopSignal`] before it was done: resume it later.
    pub stopped: bool,
    /// Wall time spent.
    pub elapsed: Duration,
}

/// The per-site crawl state: frontier, scope, trap guard and report.
struct SiteRun<'a> {
    crawler: &'a Crawler,
    site: &'a Site,
    handler: Arc<dyn PageHandler>,
    scope: Scope,
    frontier: Frontier,
    traps: TrapGuard,
    report: SiteCrawlReport,
}

impl Crawler {
    /// Crawls one site within its budgets, handing every page to `handler` as it arrives. Never
    /// fails: problems are recorded in the report and the pages.
    pub async fn crawl_site(
        &self,
        site: &Site,
        handler: Arc<dyn PageHandler>,
        resume: Resume,
    ) -> SiteCrawlReport {
        let started = Instant::now();
        self.stats.sites_in_flight.fetch_add(1, Ordering::Relaxed);
        let mut report = SiteCrawlReport {
            site_slug: site.slug.clone(),
            pages: 0,
            resumed_pages: 0,
            errors: 0,
            bytes: 0,
            budgets: Budgets::default(),
            robots: None,
            robots_blocked: 0,
            crawl_delay: None,
            crawl_delay_capped: None,
            sitemap_urls: 0,
            traps_skipped: 0,
            frontier_full: false,
            failure: None,
            host_given_up: None,
            stopped: false,
            elapsed: Duration::ZERO,
        };
        let budget = &self.config.budget;
        match normalise(&site.homepage, &budget.strip_query_params) {
            None => {
                report.failure = Some(format!(
                    "home page `{}` is not an http(s) URL",
                    site.homepage
                ));
            }
            Some(home) => {
                let this_year = jiff::Zoned::now().year() as i32;
                let mut run = SiteRun {
                    crawler: self,
                    site,
                    handler,
                    scope: Scope::new(&home, &budget.portal_hosts),
                    frontier: Frontier::new(Arc::clone(&self.priority)),
                    traps: TrapGuard::new(self.config.max_urls_per_pattern, this_year),
                    report,
                };
                let deadline = started + budget.site_time_budget;
                let timed = tokio::time::timeout_at(deadline, run.run(home, resume));
                if archive::for_site(&site.slug, timed).await.is_err() {
                    run.report.budgets.time = true;
                }
                archive::for_site(&site.slug, async { run.note_left_over() }).await;
                report = run.report;
            }
        }
        report.stopped = self.config.stop.is_stopped();
        report.elapsed = started.elapsed();
        self.stats.sites_in_flight.fetch_sub(1, Ordering::Relaxed);
        self.stats.sites_done.fetch_add(1, Ordering::Relaxed);
        report
    }
}

impl SiteRun<'_> {
    async fn run(&mut self, home: Url, resume: Resume) {
        let crawler = self.crawler;
        let budget = &crawler.config.budget;
        let stop = &crawler.config.stop;
        if stop.is_stopped() {
            return;
        }
        let robots = crawler.robots_for(&home).await;
        self.report.robots = Some(robots.outcome.clone());
        if let Some(asked) = robots.crawl_delay {
            self.report.crawl_delay = Some(asked.min(budget.crawl_delay_cap));
            if asked > budget.crawl_delay_cap {
                self.report.crawl_delay_capped = Some(asked);
                tracing::info!(site = %self.site.slug, ?asked, cap = ?budget.crawl_delay_cap, "Crawl-delay capped");
            }
        }

        for url in &resume.fetched {
            self.frontier.mark_seen(url);
        }
        self.report.resumed_pages = resume.pages;
        let mut started_pages = resume.pages;

        if !resume.fetched.contains(&home) {
            self.frontier.mark_seen(&home);
            let link = Link {
                url: home.clone(),
                depth: 0,
                referrer: None,
                link_text: None,
            };
            started_pages += 1;
            let Some((page, discovered)) = Box::pin(self.fetch_and_handle(link)).await else {
                self.report.robots_blocked += 1;
                self.report.failure = Some(format!("home page {home} is disallowed by robots.txt"));
                return;
            };
            if let Some(error) = &page.error {
                self.report.failure = Some(format!("home page failed: {error}"));
                self.report.host_given_up = crawler.host(&home).given_up();
                return;
            }
            // A home page redirected to another domain (council.gov.uk → council.org) moves the site.
            if self.scope.classify(&page.final_url) == ScopeClass::Outside {
                self.scope.add_site_of(&page.final_url);
            }
            self.follow(&page, &discovered);
        }
        for link in resume.links {
            self.consider(link);
        }

        let sitemap_urls: Vec<Url> = if crawler.config.read_sitemaps {
            let mut root = home.clone();
            root.set_path("/sitemap.xml");
            root.set_query(None);
            let mut v = robots.sitemaps.clone();
            if !v.contains(&root) {
                v.push(root);
            }
            v
        } else {
            Vec::new()
        };
        // The sitemaps are read in full before the first link is fetched, and pages are followed
        // in the order they were started, whichever answer arrives first: so what a crawl
        // fetches depends only on what the site says, never on timing, and a replay from its
        // web archive (answered at once) takes exactly the live crawl's path. Unless the
        // handler itself requests the host (rendering), pages are also handled and stored in
        // that order; the cost is that a slow page holds back the handling of the pages
        // started after it (not their fetching) and so the next start.
        let mut sitemap_plain = 0usize;
        if !sitemap_urls.is_empty() && !stop.is_stopped() {
            let (tx, mut rx) = mpsc::channel::<Url>(256);
            let reader = Box::pin(read_sitemaps(crawler, sitemap_urls, self.scope.clone(), tx));
            let consume = async {
                while let Some(url) = rx.recv().await {
                    self.sitemap_url(url, &mut sitemap_plain);
                }
            };
            tokio::select! {
                _ = async { tokio::join!(reader, consume) } => {}
                () = stop.stopped() => {}
            }
        }
        let handler = Arc::clone(&self.handler);
        let site = self.site;
        let in_order = handler.handles_in_order();
        let mut in_flight = FuturesOrdered::new();
        loop {
            while in_flight.len() < crawler.config.site_concurrency.max(1)
                && started_pages < budget.max_pages
                && !stop.is_stopped()
            {
                let Some(link) = self.frontier.pop() else {
                    break;
                };
                started_pages += 1;
                in_flight.push_back(fetch_and_maybe_handle(
                    crawler,
                    site,
                    Arc::clone(&handler),
                    link,
                    !in_order,
                ));
            }
            let Some(done) = in_flight.next().await else {
                break;
            };
            match done {
                Some((page, discovered)) => {
                    // Handled (and stored) in the order started too, when the handler allows,
                    // so a site's pages are stored in an order that does not depend on timing.
                    let (page, discovered) = match discovered {
                        Some(d) => (page, d),
                        None => {
                            Box::pin(handle_page(crawler, site, Arc::clone(&handler), page)).await
                        }
                    };
                    self.count(&page);
                    self.follow(&page, &discovered);
                }
                None => {
                    // Disallowed by robots.txt: not fetched, so not counted as a page.
                    started_pages -= 1;
                    self.report.robots_blocked += 1;
                }
            }
        }
        if !self.frontier.is_empty() && started_pages >= budget.max_pages {
            self.report.budgets.pages = true;
        }
        self.report.host_given_up = crawler.host(&home).given_up();
    }

    /// A page URL read from a sitemap. Sitemaps can list far more pages than the budget: every
    /// priority match is kept, and enough of the rest to fill the budget.
    fn sitemap_url(&mut self, url: Url, plain: &mut usize) {
        let budget = &self.crawler.config.budget;
        self.report.sitemap_urls += 1;
        let priority = self.frontier.is_priority(&url, None);
        if priority || *plain < budget.max_pages.saturating_mul(10) {
            *plain += usize::from(!priority);
            self.consider(Link {
                url,
                depth: 1,
                referrer: None,
                link_text: None,
            });
        }
    }

    /// Queues a link if it is in scope, not too deep and not a trap; otherwise says why not
    /// (`None` too for a link already seen).
    fn consider(&mut self, link: Link) -> Option<&'static str> {
        let budget = &self.crawler.config.budget;
        let url = normalise(&link.url, &budget.strip_query_params)?;
        if self.frontier.has_seen(&url) {
            return None;
        }
        if self.scope.classify(&url) == ScopeClass::Outside {
            return Some("out-of-scope");
        }
        if link.depth > budget.max_depth {
            self.report.budgets.depth = true;
            return Some("depth-budget");
        }
        if self.frontier.len() >= MAX_FRONTIER {
            self.report.frontier_full = true;
            return Some("frontier-full");
        }
        if let Err(trap) = self.traps.check(&url) {
            tracing::debug!(%url, ?trap, "skipping likely URL trap");
            self.report.traps_skipped += 1;
            return Some("url-trap");
        }
        self.frontier.push(Link { url, ..link });
        None
    }

    /// With `--warc`: the links still waiting when a budget ended the crawl, as not fetched.
    fn note_left_over(&mut self) {
        let Some(recorder) = self.crawler.recorder() else {
            return;
        };
        let b = self.report.budgets;
        let why = if b.time {
            "time-budget"
        } else if b.pages {
            "page-budget"
        } else {
            return;
        };
        let mut left = Vec::new();
        while let Some(link) = self.frontier.pop() {
            left.push(link.url);
        }
        if let Ok(home) = Url::parse(self.site.homepage.as_str()) {
            let skipped: Vec<(&str, &Url)> = left.iter().map(|u| (why, u)).collect();
            recorder.not_fetched(&home, &skipped);
        }
    }

    /// Queues the links of a fetched page, unless it is off-site, a portal, or asked for nofollow.
    fn follow(&mut self, page: &Page, discovered: &Discovered) {
        self.frontier.mark_seen(&page.final_url);
        let crawlable = page.error.is_none()
            && self.scope.classify(&page.url) == ScopeClass::Site
            && self.scope.classify(&page.final_url) == ScopeClass::Site;
        if !crawlable || discovered.nofollow {
            return;
        }
        let mut skipped = Vec::new();
        for (url, text) in &discovered.links {
            let why = self.consider(Link {
                url: url.clone(),
                depth: page.depth + 1,
                referrer: Some(page.final_url.clone()),
                link_text: Some(text.trim().to_string()).filter(|t| !t.is_empty()),
            });
            if let Some(why) = why {
                skipped.push((why, url));
            }
        }
        if let Some(recorder) = self.crawler.recorder() {
            recorder.not_fetched(&page.final_url, &skipped);
        }
    }

    async fn fetch_and_handle(&mut self, link: Link) -> Option<(Page, Discovered)> {
        let out = handle_one(self.crawler, self.site, Arc::clone(&self.handler), link).await;
        if let Some((page, _)) = &out {
            self.count(page);
        }
        out
    }

    fn count(&mut self, page: &Page) {
        self.report.pages += 1;
        self.report.bytes += page.bytes;
        self.report.budgets.bytes |= page.truncated;
        if page.error.is_some() {
            self.report.errors += 1;
        }
    }
}

/// Fetches a link and runs the handler on a blocking thread.
async fn handle_one(
    crawler: &Crawler,
    site: &Site,
    handler: Arc<dyn PageHandler>,
    link: Link,
) -> Option<(Page, Discovered)> {
    let page = fetch_one(crawler, site, handler.as_ref(), link).await?;
    Some(handle_page(crawler, site, handler, page).await)
}

/// Fetches a link (`None` when robots.txt disallows it) and, when `handle` is set, runs the
/// handler on it at once; otherwise the caller handles the page (`None` in the second place).
async fn fetch_and_maybe_handle(
    crawler: &Crawler,
    site: &Site,
    handler: Arc<dyn PageHandler>,
    link: Link,
    handle: bool,
) -> Option<(Page, Option<Discovered>)> {
    if handle {
        let (page, discovered) = Box::pin(handle_one(crawler, site, handler, link)).await?;
        Some((page, Some(discovered)))
    } else {
        let page = fetch_one(crawler, site, handler.as_ref(), link).await?;
        Some((page, None))
    }
}

/// Fetches a link unless robots.txt disallows it (`None`).
async fn fetch_one(
    crawler: &Crawler,
    site: &Site,
    handler: &dyn PageHandler,
    link: Link,
) -> Option<Page> {
    let robots = crawler.robots_for(&link.url).await;
    if !robots.allowed(&link.url) && !matches!(robots.outcome, RobotsOutcome::Unreachable { .. }) {
        crawler.stats.robots_blocked.fetch_add(1, Ordering::Relaxed);
        if let Some(r) = crawler.recorder() {
            r.not_fetched(&link.url, &[("robots.txt-disallows", &link.url)]);
        }
        return None;
    }
    let validators = handler.validators(&site.slug, &link.url);
    let page = crawler.fetch_page(&link, Want::Page, validators).await;
    let stats = &crawler.stats;
    stats.pages.fetch_add(1, Ordering::Relaxed);
    stats.bytes.fetch_add(page.bytes, Ordering::Relaxed);
    if page.error.is_some() {
        stats.errors.fetch_add(1, Ordering::Relaxed);
    }
    Some(page)
}

/// Runs the handler (parse, audit, store) on a fetched page, on a blocking thread. What the
/// handler needs first (a stylesheet the site has not served yet) is fetched here, on the I/O
/// threads, and the page handed over again: a handler waiting for a request would hold a
/// blocking thread for the host's interval, and, while handling in order, the council's host
/// slot could be held by a page fetched after it.
async fn handle_page(
    crawler: &Crawler,
    site: &Site,
    handler: Arc<dyn PageHandler>,
    page: Page,
) -> (Page, Discovered) {
    let mut discovered = run_handler(crawler, site, &handler, &page).await;
    if !discovered.fetch_first.is_empty() {
        for url in std::mem::take(&mut discovered.fetch_first) {
            let resource = Box::pin(crawler.fetch(site, url.clone(), FetchKind::Css)).await;
            let (h, slug) = (Arc::clone(&handler), site.slug.clone());
            if let Err(e) =
                tokio::task::spawn_blocking(move || h.supply(&slug, &url, resource)).await
            {
                tracing::error!(url = %page.url, error = %e, "page handler failed");
            }
        }
        discovered = run_handler(crawler, site, &handler, &page).await;
        if !discovered.fetch_first.is_empty() {
            // A handler asks once per resource; one that asks again would loop.
            tracing::error!(url = %page.url, "page handler asked for its resources twice");
            discovered = Discovered::default();
        }
    }
    (page, discovered)
}

/// One call of the handler on a blocking thread, within the crawler's bound on pages handled
/// at once.
async fn run_handler(
    crawler: &Crawler,
    site: &Site,
    handler: &Arc<dyn PageHandler>,
    page: &Page,
) -> Discovered {
    // Never closed; were it, the page would be handled without a slot. Taken before the page
    // is copied for the handler, so a page waiting for a slot is held once.
    let _slot = crawler.handling.acquire().await.ok();
    let slug = site.slug.clone();
    let (h, p) = (Arc::clone(handler), page.clone());
    match tokio::task::spawn_blocking(move || h.handle(&slug, &p)).await {
        Ok(discovered) => discovered,
        Err(e) => {
            // A panicking handler loses that page's links, not the crawl.
            tracing::error!(url = %page.url, error = %e, "page handler failed");
            Discovered::default()
        }
    }
}

/// Reads sitemaps (indexes followed) and sends their page URLs until done or nobody listens.
///
/// Breadth first, so an index that names a fresh index for ever uses up the file budget only
/// after the other sitemaps were read; an index's entries are followed only within the site's
/// scope (sitemaps.org: an index lists sitemaps of its own site). The roots (robots.txt
/// `Sitemap:` lines, which may legitimately point elsewhere, and `/sitemap.xml`) are read as given.
async fn read_sitemaps(crawler: &Crawler, roots: Vec<Url>, scope: Scope, tx: mpsc::Sender<Url>) {
    let mut queue: VecDeque<Url> = roots.into();
    let mut seen = HashSet::new();
    let mut files = 0;
    while let Some(url) = queue.pop_front() {
        if !seen.insert(url.clone()) || files >= MAX_SITEMAP_FILES || tx.is_closed() {
            continue;
        }
        files += 1;
        let link = Link {
            url: url.clone(),
            depth: 0,
            referrer: None,
            link_text: None,
        };
        let page_url = link.url.clone();
        let ex = match crawler.request(&page_url, Want::Sitemap, None).await {
            Ok(ex) if (200..300).contains(&ex.status) => ex,
            Ok(_) | Err(_) => continue, // a missing sitemap is normal
        };
        let max = crawler.config.budget.max_sitemap_urls;
        let body = ex.body;
        let base = url.clone();
        // CPU work like a page's: within the same slots, or a thousand councils reading their
        // sitemaps at once took a blocking thread each.
        let slot = crawler.handling.acquire().await.ok();
        let parsed = tokio::task::spawn_blocking(move || sitemap::parse(&body, &base, max)).await;
        drop(slot);
        let Ok(file) = parsed else { continue };
        if let Some(e) = &file.error {
            tracing::debug!(%url, error = %e, "sitemap partly read");
        }
        queue.extend(
            file.sitemaps
                .into_iter()
                .filter(|u| scope.classify(u) != ScopeClass::Outside),
        );
        for page in file.pages {
            if tx.send(page).await.is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crawl::CrawlConfig;
    use crate::sites::CouncilType;

    struct Nothing;

    impl PageHandler for Nothing {
        fn handle(&self, _site_slug: &str, _page: &Page) -> Discovered {
            Discovered::default()
        }
    }

    /// A national run has every council in flight at once, each with its crawl and up to four
    /// requests, most of them waiting for the host's turn. What they hold while waiting must not
    /// be the room of an HTTP exchange, a page's handling or the site's sitemaps: those are
    /// boxed when they begin (a request's future was 13 KB and a crawl's 28 KB before).
    #[tokio::test]
    async fn a_council_waiting_for_its_host_holds_small_futures() {
        let budget = crate::ruleset::builtin().crawl;
        let crawler = Crawler::new(CrawlConfig::from_budget(&budget)).expect("a crawler");
        let home = Url::parse("http://127.0.0.1:9/").expect("a URL");
        let site = Site::new("tiny", "Tiny", CouncilType::SD, home.clone());
        let handler: Arc<dyn PageHandler> = Arc::new(Nothing);
        let link = Link {
            url: home,
            depth: 1,
            referrer: None,
            link_text: None,
        };
        for handle in [true, false] {
            let request =
                fetch_and_maybe_handle(&crawler, &site, Arc::clone(&handler), link.clone(), handle);
            let bytes = std::mem::size_of_val(&request);
            assert!(bytes <= 4 << 10, "a request in flight holds {bytes} bytes");
        }
        let crawl = crawler.crawl_site(&site, handler, Resume::none());
        let bytes = std::mem::size_of_val(&crawl);
        assert!(bytes <= 8 << 10, "a council's crawl holds {bytes} bytes");
    }
}
