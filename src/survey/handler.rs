//! The page handler: what happens to each page the crawler fetches, on a blocking thread.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use crate::audit::a11y::{self, SiteCss};
use crate::crawl::{Crawler, Discovered, FetchKind, Page, PageHandler, PageKind, Validators};
use crate::page::{PageFacts, ParsedPage, Rendering};
use crate::ruleset::Ruleset;
use crate::sites::Site;
use crate::store::{RunId, SiteStatus, Store, StoreWriter, Write};

use super::cpu::CpuPool;

/// Parses each page once, audits it, hands it with its findings to the store's writer (which
/// commits them in one transaction), and tells the crawler which links to follow.
pub struct SurveyHandler {
    run: RunId,
    /// For reads: earlier runs' pages, and this run's once the writer has flushed them.
    store: Arc<Mutex<Store>>,
    /// Every write of the run.
    writer: Arc<StoreWriter>,
    ruleset: Arc<Ruleset>,
    crawler: Arc<Crawler>,
    runtime: tokio::runtime::Handle,
    sites: HashMap<String, Site>,
    /// The councils an earlier run stored pages with validators for (read once, at the start):
    /// only their URLs are looked up for a conditional request, so a first run never takes the
    /// store's lock before a fetch. `None` when that could not be read: then every URL is.
    earlier: Option<HashSet<String>>,
    /// Linked stylesheets, fetched once per site.
    css: Mutex<HashMap<String, SiteCss>>,
    progress: super::Progress,
    /// The browser, with `--render key|all`.
    render: Option<Arc<super::render::RenderStage>>,
    /// Where pages are parsed and audited, and councils assessed (see [`CpuPool`]).
    cpu: Arc<CpuPool>,
}

impl SurveyHandler {
    /// A handler for one run, writing through `writer` and reading `store`. Must be created
    /// inside the tokio runtime.
    pub fn new(
        run: RunId,
        store: Arc<Mutex<Store>>,
        writer: Arc<StoreWriter>,
        ruleset: Arc<Ruleset>,
        crawler: Arc<Crawler>,
        sites: &[(Site, SiteStatus)],
        progress: super::Progress,
    ) -> SurveyHandler {
        let earlier = match store
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .sites_with_validators(run)
        {
            Ok(slugs) => Some(slugs),
            Err(e) => {
                tracing::warn!("cannot tell which councils were fetched before: {e}");
                None
            }
        };
        SurveyHandler {
            run,
            store,
            writer,
            ruleset,
            crawler,
            runtime: tokio::runtime::Handle::current(),
            sites: sites
                .iter()
                .map(|(s, _)| (s.slug.clone(), s.clone()))
                .collect(),
            earlier,
            css: Mutex::new(HashMap::new()),
            progress,
            render: None,
            cpu: Arc::new(CpuPool::per_core()),
        }
    }

    /// Renders pages in a browser too (`--render key|all`).
    pub fn with_render(mut self, stage: Arc<super::render::RenderStage>) -> SurveyHandler {
        self.render = Some(stage);
        self
    }

    /// Lets go of what was kept for a site while it was crawled (its stylesheets), once its
    /// crawl is over: a run of thousands of councils must not hold every council's CSS.
    pub fn forget_site(&self, slug: &str) {
        self.css
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(slug);
        if let Some(r) = &self.render {
            r.forget_site(slug);
        }
    }

    /// The threads for the run's CPU work.
    pub(super) fn cpu(&self) -> &Arc<CpuPool> {
        &self.cpu
    }

    /// Whether pages are rendered as key pages (`--render key`): then each task page the
    /// assessment takes must be rendered too.
    pub fn renders_key_pages(&self) -> bool {
        self.render
            .as_ref()
            .is_some_and(|r| r.mode() == crate::render::RenderMode::Key)
    }

    /// Renders a task page the assessment took that the crawl did not render (the task checks
    /// weigh the words of the links to a page, which the crawl's guess at key pages cannot):
    /// fetched again through the crawler, its findings replaced by the rendered ones and why
    /// not recorded otherwise. Its stored facts stay those the assessment read. On a blocking
    /// thread, after the site's pages are flushed; does nothing without rendering or for a page
    /// already rendered.
    pub fn render_task_page(&self, slug: &str, url: &url::Url) {
        let Some(stage) = &self.render else { return };
        let Some(site) = self.sites.get(slug) else {
            return;
        };
        let stored = {
            let store = self.store.lock().unwrap_or_else(|e| e.into_inner());
            store.pages(self.run, slug).ok().and_then(|pages| {
                pages
                    .into_iter()
                    .find(|p| p.page.final_url == *url || p.page.url == *url)
            })
        };
        let Some(stored) = stored else { return };
        let Some(mut facts) = stored.facts.clone() else {
            return;
        };
        if facts.rendering.is_some() {
            return;
        }
        let page = self.runtime.block_on(self.crawler.fetch(
            site,
            stored.page.url.clone(),
            FetchKind::Html,
        ));
        let mut findings = None;
        facts.rendering = Some(match (&page.body, page.status) {
            (Some(_), 200..=399) if page.kind == PageKind::Html => {
                let css = self.site_css_fetching(slug, &facts);
                match stage.render(slug, &page, &facts, &css, &self.ruleset, &self.cpu) {
                    Ok(rendered) => {
                        findings = Some(rendered.findings);
                        rendered
                            .facts
                            .rendering
                            .unwrap_or(Rendering::Rendered { scripts_missing: 0 })
                    }
                    Err(e) => Rendering::NotRendered {
                        reason: e.to_string(),
                    },
                }
            }
            _ => Rendering::NotRendered {
                reason: format!(
                    "{}: could not be fetched again to render ({})",
                    stored.page.url,
                    page.error.as_deref().unwrap_or("not an HTML page")
                ),
            },
        });
        let findings = match findings {
            Some(f) => f,
            None => self
                .store
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .findings(self.run, slug)
                .map(|all| {
                    all.into_iter()
                        .filter(|(u, _)| u == stored.page.url.as_str())
                        .map(|(_, f)| f)
                        .collect()
                })
                .unwrap_or_default(),
        };
        // Waited for: the next task may take the same page, and must see it rendered.
        let write = Write::rendering(slug, stored.page.url.as_str(), &facts, findings);
        if let Err(e) = self.writer.write_and_wait(write) {
            tracing::error!(
                "{slug}: the rendering of {} not stored: {e}",
                stored.page.url
            );
        }
    }

    /// The facts of an HTML page (for site-search result pages, which are not stored).
    pub fn facts_of(&self, page: &Page) -> Option<PageFacts> {
        match (&page.kind, &page.body) {
            (PageKind::Html, Some(body)) if page.status < 400 => {
                Some(ParsedPage::parse(page.final_url.clone(), body).facts())
            }
            _ => None,
        }
    }

    /// The links to follow from a page's facts.
    pub fn discovered(facts: Option<&PageFacts>) -> Discovered {
        match facts {
            Some(f) => Discovered {
                links: f
                    .links
                    .iter()
                    .filter(|l| !l.nofollow)
                    .map(|l| (l.href.clone(), l.text.clone()))
                    .collect(),
                nofollow: f.robots_nofollow,
                fetch_first: Vec::new(),
            },
            None => Discovered::default(),
        }
    }

    /// The council's stylesheets served so far; `None` before its first.
    fn known_css(&self, slug: &str) -> Option<SiteCss> {
        let cache = self.css.lock().unwrap_or_else(|e| e.into_inner());
        cache.get(slug).cloned()
    }

    /// Keeps a fetched stylesheet for the council. A failed fetch is kept as empty, so it is not
    /// retried for every page.
    fn keep_css(&self, slug: &str, url: &url::Url, page: Page) {
        let text = if page.status == 200 {
            page.body.unwrap_or_default()
        } else {
            String::new()
        };
        let mut cache = self.css.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(slug.to_string())
            .or_insert_with(SiteCss::empty)
            .insert(url.clone(), &text);
    }

    /// The site's stylesheets, with any this page links to that are not cached yet fetched first
    /// (through the crawler, so politeness applies; once per site). Waits for the fetches: only
    /// for pages handled outside the crawl (a task page rendered after it).
    fn site_css_fetching(&self, slug: &str, facts: &PageFacts) -> SiteCss {
        if let Some(site) = self.sites.get(slug) {
            for url in missing_css(self.known_css(slug).as_ref(), facts) {
                let page =
                    self.runtime
                        .block_on(self.crawler.fetch(site, url.clone(), FetchKind::Css));
                self.keep_css(slug, &url, page);
            }
        }
        self.known_css(slug).unwrap_or_else(SiteCss::empty)
    }

    /// A page answered 304 Not Modified: reuse the facts and findings of the run that fetched it.
    fn reuse_earlier(&self, slug: &str, page: &Page) -> (Option<PageFacts>, Vec<a11y::Finding>) {
        let store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(Some(v)) = store.validators(self.run, slug, page.url.as_str()) else {
            return (None, Vec::new());
        };
        let facts = store
            .pages(v.run, slug)
            .ok()
            .and_then(|pages| pages.into_iter().find(|p| p.page.url == page.url))
            .and_then(|p| p.facts);
        let findings = store
            .findings(v.run, slug)
            .map(|f| {
                f.into_iter()
                    .filter(|(u, _)| u == page.url.as_str())
                    .map(|(_, f)| f)
                    .collect()
            })
            .unwrap_or_default();
        (facts, findings)
    }
}

impl PageHandler for SurveyHandler {
    fn handle(&self, slug: &str, page: &Page) -> Discovered {
        let (facts, findings) = match (&page.kind, &page.body) {
            (PageKind::Html, Some(body)) if page.status < 400 => {
                let known = self.known_css(slug);
                let (url, html, ruleset) = (
                    page.final_url.clone(),
                    body.clone(),
                    Arc::clone(&self.ruleset),
                );
                let audited = self.cpu.run(move || {
                    let parsed = ParsedPage::parse(url, &html);
                    let facts = parsed.facts();
                    let missing = missing_css(known.as_ref(), &facts);
                    if !missing.is_empty() {
                        return Err(missing);
                    }
                    let css = known.unwrap_or_else(SiteCss::empty);
                    let findings = a11y::audit_page(&parsed, &css, &ruleset.accessibility);
                    Ok((facts, findings, css))
                });
                let (mut facts, mut findings, css) = match audited {
                    Ok(audited) => audited,
                    // Handed back by the crawl once they are fetched (`supply`).
                    Err(fetch_first) => {
                        return Discovered {
                            fetch_first,
                            ..Discovered::default()
                        };
                    }
                };
                if let Some(stage) = &self.render
                    && stage.wants(self.sites.get(slug), page, &facts, &self.ruleset)
                {
                    // The page as the browser built it replaces the page as served: its
                    // links and forms built by script are followed and read by the task
                    // checks. A page that cannot be rendered keeps its static facts and
                    // findings, with why in its facts.
                    match stage.render(slug, page, &facts, &css, &self.ruleset, &self.cpu) {
                        Ok(rendered) => {
                            facts = rendered.facts;
                            findings = rendered.findings;
                        }
                        Err(e) => {
                            facts.rendering = Some(Rendering::NotRendered {
                                reason: e.to_string(),
                            });
                        }
                    }
                }
                (Some(facts), findings)
            }
            _ if page.status == 304 => self.reuse_earlier(slug, page),
            _ => (None, Vec::new()),
        };
        let discovered = SurveyHandler::discovered(facts.as_ref());
        // Queued, not committed: the writer commits pages in batches, in this order, so a crash
        // loses only pages after every page stored (which a resumed crawl fetches again).
        match self
            .writer
            .write(Write::page(slug, page, facts.as_ref(), findings))
        {
            Ok(()) => self.progress.page(slug),
            Err(e) => tracing::error!("{slug}: {} not stored: {e}", page.url),
        }
        discovered
    }

    fn handles_in_order(&self) -> bool {
        // Rendering requests the council's host from inside the handler.
        self.render.is_none()
    }

    fn supply(&self, slug: &str, url: &url::Url, resource: Page) {
        self.keep_css(slug, url, resource);
    }

    fn validators(&self, slug: &str, url: &url::Url) -> Option<Validators> {
        if self.earlier.as_ref().is_some_and(|e| !e.contains(slug)) {
            return None;
        }
        let store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        let v = store
            .validators(self.run, slug, url.as_str())
            .ok()
            .flatten()?;
        Some(Validators {
            etag: v.etag,
            last_modified: v.last_modified,
        })
    }
}

/// The stylesheets a page links to that the council has not served yet (`known`). A sheet another
/// page asked for and is still waiting on counts as missing too: when pages are handled
/// concurrently (with rendering), this page must not be audited without it (at worst the sheet
/// is fetched twice). Once supplied it is known, so a page is handed back once.
fn missing_css(known: Option<&SiteCss>, facts: &PageFacts) -> Vec<url::Url> {
    facts
        .stylesheets
        .iter()
        .filter(|u| !known.is_some_and(|c| c.contains(u)))
        .cloned()
        .collect()
}
