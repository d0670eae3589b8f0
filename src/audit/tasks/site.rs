//! A read-only index over one site's crawl: pages by URL (redirects followed), the shortest click
//! path from the home page to every page, the links pointing at each page, the site's search form
//! and its A–Z. The tasks, coverage and digital stages all read the site through it.

use std::collections::{HashMap, HashSet, VecDeque};

use regex::Regex;
use url::Url;

use crate::audit::{PageRecord, SiteFacts};
use crate::crawl::PageKind;
use crate::page::{Form, Link, PageFacts};
use crate::ruleset::Navigation;

/// File extensions of downloadable documents (forms people print rather than fill in online).
const DOCUMENT_EXTENSIONS: &[&str] = &[".pdf", ".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx"];

/// The comparison key of a URL: no fragment, no trailing slash on a non-root path.
pub(crate) fn url_key(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    let path = u.path().to_string();
    if path.len() > 1 && path.ends_with('/') {
        u.set_path(path.trim_end_matches('/'));
    }
    u.to_string()
}

/// Whether a URL names a downloadable document by its extension.
pub(crate) fn is_document_url(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    DOCUMENT_EXTENSIONS.iter().any(|ext| path.ends_with(ext))
}

/// Whether any pattern matches.
pub(crate) fn any_match(patterns: &[Regex], text: &str) -> bool {
    patterns.iter().any(|p| p.is_match(text))
}

/// One hop of a click path: the page clicked from, and the link's text.
#[derive(Debug, Clone)]
struct Step {
    dist: u32,
    /// The page linking here, the link's text, and whether the link was built by script.
    parent: Option<(String, String, bool)>,
}

/// The site's A–Z as found.
#[derive(Debug, Clone)]
pub(crate) enum AToZ {
    /// No link to an A–Z was found.
    Missing,
    /// A link was found but the page was not fetched.
    NotFetched(Url),
    /// The A–Z page(s) and their entries, in order.
    Found {
        /// The A–Z page.
        url: Url,
        /// Every page of the A–Z (letter pages included), by key.
        pages: Vec<String>,
        /// Entries: (target, text).
        entries: Vec<(Url, String)>,
    },
}

/// The index over one site.
pub(crate) struct SiteIndex<'a> {
    /// The crawl.
    pub facts: &'a SiteFacts,
    records: Vec<&'a PageRecord>,
    by_key: HashMap<String, usize>,
    home: Option<usize>,
    steps: HashMap<String, Step>,
    inbound: HashMap<String, Vec<(usize, String)>>,
}

impl AToZ {
    /// The keys of the A–Z's pages (none when it was not found).
    pub fn page_keys(&self) -> Vec<&str> {
        match self {
            AToZ::Found { pages, .. } => pages.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

impl<'a> SiteIndex<'a> {
    /// Builds the index.
    pub fn new(facts: &'a SiteFacts) -> SiteIndex<'a> {
        let records: Vec<&PageRecord> = facts.pages.iter().collect();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        // Final URLs first, so a page reached by redirect is known under the URL it ended at;
        // a record with facts wins over one without.
        for (i, r) in records.iter().enumerate() {
            let k = url_key(&r.page.final_url);
            match by_key.get(&k) {
                Some(&j) if records[j].facts.is_some() || r.facts.is_none() => {}
                _ => {
                    by_key.insert(k, i);
                }
            }
        }
        for (i, r) in records.iter().enumerate() {
            by_key.entry(url_key(&r.page.url)).or_insert(i);
        }
        let home_key = url_key(&facts.site.homepage);
        let home = records
            .iter()
            .position(|r| r.page.depth == 0 && r.facts.is_some())
            .or_else(|| by_key.get(&home_key).copied())
            .or_else(|| records.iter().position(|r| r.facts.is_some()));
        let mut index = SiteIndex {
            facts,
            records,
            by_key,
            home,
            steps: HashMap::new(),
            inbound: HashMap::new(),
        };
        index.link_graph();
        index
    }

    fn link_graph(&mut self) {
        let mut inbound: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        for (i, r) in self.records.iter().enumerate() {
            let Some(f) = &r.facts else { continue };
            let own = self.canonical(&r.page.final_url);
            for l in &f.links {
                let target = self.canonical(&l.href);
                if target != own {
                    inbound.entry(target).or_default().push((i, l.text.clone()));
                }
            }
        }
        self.inbound = inbound;

        let Some(home) = self.home else { return };
        let start = self.canonical(&self.records[home].page.final_url);
        let mut steps: HashMap<String, Step> = HashMap::new();
        steps.insert(
            start.clone(),
            Step {
                dist: 0,
                parent: None,
            },
        );
        let mut queue = VecDeque::from([start]);
        while let Some(key) = queue.pop_front() {
            let dist = steps[&key].dist;
            let Some(facts) = self
                .by_key
                .get(&key)
                .and_then(|&i| self.records[i].facts.as_ref())
            else {
                continue;
            };
            for l in &facts.links {
                let target = self.canonical(&l.href);
                if !steps.contains_key(&target) {
                    steps.insert(
                        target.clone(),
                        Step {
                            dist: dist + 1,
                            parent: Some((key.clone(), l.text.clone(), l.from_script)),
                        },
                    );
                    queue.push_back(target);
                }
            }
        }
        self.steps = steps;
    }

    /// The key a URL ends at: through a fetched page's redirects when it was fetched.
    pub fn canonical(&self, url: &Url) -> String {
        let k = url_key(url);
        match self.by_key.get(&k) {
            Some(&i) => url_key(&self.records[i].page.final_url),
            None => k,
        }
    }

    /// The fetch record of a URL.
    pub fn record(&self, url: &Url) -> Option<&'a PageRecord> {
        self.by_key.get(&url_key(url)).map(|&i| self.records[i])
    }

    /// The facts of a URL, when it was fetched and is HTML that parsed.
    pub fn page_facts(&self, url: &Url) -> Option<&'a PageFacts> {
        self.record(url)
            .filter(|r| (200..300).contains(&r.page.status))
            .and_then(|r| r.facts.as_ref())
    }

    /// The home page.
    pub fn home(&self) -> Option<&'a PageRecord> {
        self.home.map(|i| self.records[i])
    }

    /// The home page's facts.
    pub fn home_facts(&self) -> Option<&'a PageFacts> {
        self.home().and_then(|r| r.facts.as_ref())
    }

    /// Every fetched page, in fetch order.
    pub fn records(&self) -> impl Iterator<Item = &'a PageRecord> + '_ {
        self.records.iter().copied()
    }

    /// Every HTML page that answered 2xx, with its facts, in fetch order.
    pub fn html_pages(&self) -> impl Iterator<Item = (&'a PageRecord, &'a PageFacts)> + '_ {
        self.records.iter().filter_map(|r| {
            if (200..300).contains(&r.page.status) && r.page.kind == PageKind::Html {
                r.facts.as_ref().map(|f| (*r, f))
            } else {
                None
            }
        })
    }

    /// Clicks from the home page to a URL, when links reach it.
    pub fn clicks(&self, url: &Url) -> Option<u32> {
        self.steps.get(&self.canonical(url)).map(|s| s.dist)
    }

    /// The click path from the home page to a URL (home first), each page with the text of the
    /// link that led to it and whether that link was built by script. Empty when links from
    /// the home page do not reach it.
    pub fn route(&self, url: &Url) -> Vec<(String, Option<(String, bool)>)> {
        let mut out = Vec::new();
        let mut key = self.canonical(url);
        while let Some(step) = self.steps.get(&key) {
            out.push((
                key.clone(),
                step.parent.as_ref().map(|(_, t, s)| (t.clone(), *s)),
            ));
            match &step.parent {
                // Distances fall by one per step, so this ends; the bound is a belt and braces.
                Some((parent, _, _)) if out.len() <= 1000 => key = parent.clone(),
                _ => break,
            }
        }
        out.reverse();
        out
    }

    /// Texts of the links on other pages that point at a URL.
    pub fn inbound_texts(&self, url: &Url) -> impl Iterator<Item = &str> + '_ {
        self.inbound
            .get(&self.canonical(url))
            .into_iter()
            .flatten()
            .map(|(_, t)| t.as_str())
    }

    /// The facts of the pages that link to a URL.
    pub fn inbound_pages(&self, url: &Url) -> impl Iterator<Item = &'a PageFacts> + '_ {
        self.inbound
            .get(&self.canonical(url))
            .into_iter()
            .flatten()
            .filter_map(|(i, _)| self.records.get(*i).and_then(|r| r.facts.as_ref()))
    }

    /// Whether a page links straight to a target (after redirects).
    pub fn links_to<'f>(&self, facts: &'f PageFacts, target: &str) -> Option<&'f Link> {
        facts
            .links
            .iter()
            .find(|l| self.canonical(&l.href) == target)
    }

    /// Whether a link target is a document (by extension or by what the fetch found).
    pub fn is_document(&self, url: &Url) -> bool {
        is_document_url(url)
            || self
                .record(url)
                .is_some_and(|r| r.page.kind == PageKind::Document)
    }

    /// The A–Z: the first page linked with A–Z text (the home page's links first), its letter
    /// pages, and their entries.
    pub fn a_to_z(&self, nav: &Navigation) -> AToZ {
        let home = self.home_facts();
        let mut pages: Vec<&PageFacts> = home.into_iter().collect();
        pages.extend(self.html_pages().map(|(_, f)| f));
        let Some(link) = pages.iter().find_map(|f| {
            f.links
                .iter()
                .find(|l| any_match(&nav.a_to_z_link, &l.text))
        }) else {
            return AToZ::Missing;
        };
        let Some(az) = self.page_facts(&link.href) else {
            return AToZ::NotFetched(link.href.clone());
        };
        let az_key = self.canonical(&link.href);
        let mut keys = vec![az_key.clone()];
        let mut seen: HashSet<String> = HashSet::from([az_key]);
        let mut entries = Vec::new();
        let mut letter_pages = Vec::new();
        for l in az.links.iter().filter(|l| !l.area.is_chrome()) {
            if is_letter(&l.text) {
                let k = self.canonical(&l.href);
                if seen.insert(k.clone())
                    && let Some(f) = self.page_facts(&l.href)
                {
                    keys.push(k);
                    letter_pages.push(f);
                }
            } else {
                entries.push((l.href.clone(), l.text.clone()));
            }
        }
        for f in letter_pages {
            for l in f.links.iter().filter(|l| !l.area.is_chrome()) {
                if !is_letter(&l.text) {
                    entries.push((l.href.clone(), l.text.clone()));
                }
            }
        }
        AToZ::Found {
            url: self
                .record(&link.href)
                .map_or_else(|| link.href.clone(), |r| r.page.final_url.clone()),
            pages: keys,
            entries,
        }
    }

    /// The links of a search results page that are results, in order: its [`result_links`],
    /// less links to the home page and repeats.
    pub fn search_results(&self, results_url: &Url, facts: &PageFacts) -> Vec<(Url, String)> {
        let home = self.home().map(|h| self.canonical(&h.page.final_url));
        let mut seen = HashSet::new();
        result_links(&facts.links, results_url)
            .filter(|l| {
                let k = self.canonical(&l.href);
                Some(&k) != home.as_ref() && seen.insert(k)
            })
            .map(|l| (l.href.clone(), l.text.clone()))
            .collect()
    }
}

/// The links of a search results page at `results_url` that can be results, in order: the main
/// content's links (or all but the site furniture when the page has no `<main>`) that have text,
/// less links back to the search itself. Kept alone by [`super::search_results_facts`], so it
/// gives the same links again on what it kept.
pub(crate) fn result_links<'l>(
    links: &'l [Link],
    results_url: &'l Url,
) -> impl Iterator<Item = &'l Link> + 'l {
    let has_main = links.iter().any(|l| l.area == crate::page::Area::Main);
    links
        .iter()
        .filter(move |l| {
            if has_main {
                l.area == crate::page::Area::Main
            } else {
                !l.area.is_chrome()
            }
        })
        .filter(|l| !l.text.is_empty())
        .filter(|l| !(l.href.host() == results_url.host() && l.href.path() == results_url.path()))
}

fn is_letter(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() == 1 && t.chars().all(|c| c.is_ascii_alphabetic())
}

/// Whether a form is a site-search form: a GET form with a text or search field named as search
/// fields are, or marked `role=search`.
pub(crate) fn search_field<'f>(form: &'f Form, nav: &Navigation) -> Option<&'f crate::page::Field> {
    if form.method != "get" {
        return None;
    }
    let texty = |k: &str| matches!(k, "text" | "search" | "");
    let named = |n: &str| {
        nav.search_input_names
            .iter()
            .any(|s| s.eq_ignore_ascii_case(n))
    };
    form.fields
        .iter()
        .find(|f| !f.name.is_empty() && (f.kind == "search" || (texty(&f.kind) && named(&f.name))))
        .or_else(|| {
            if form.search_role {
                form.fields
                    .iter()
                    .find(|f| !f.name.is_empty() && texty(&f.kind))
            } else {
                None
            }
        })
}

/// Fields a person fills in (not hidden values or buttons).
pub(crate) fn is_visible_field(kind: &str) -> bool {
    !matches!(kind, "hidden" | "submit" | "button" | "image" | "reset")
}

/// Whether a form is a transaction (something to fill in) rather than a site search.
pub(crate) fn is_transaction_form(form: &Form, nav: &Navigation) -> bool {
    !form.area.is_chrome()
        && search_field(form, nav).is_none()
        && !is_widget_form(form, nav)
        && form.fields.iter().any(|f| is_visible_field(&f.kind))
}

/// A form that is page furniture (feedback, rating, translation): every field it shows is named
/// or labelled as such.
fn is_widget_form(form: &Form, nav: &Navigation) -> bool {
    form.fields
        .iter()
        .filter(|f| is_visible_field(&f.kind))
        .all(|f| any_match(&nav.widget_forms, &f.name) || any_match(&nav.widget_forms, &f.label))
}
