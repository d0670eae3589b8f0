//! Finding pages: how well a page matches a task's or a service's patterns, the task page (the
//! best match nearest the home page) and the service landing page.

use regex::Regex;
use url::Url;

use super::site::{SiteIndex, any_match};
use crate::page::PageFacts;
use crate::ruleset::{Navigation, Task};

/// Points a match earns: the title and the main heading say what a page is for; the URL and the
/// links pointing at it say what the site calls it; other headings only hint.
const TITLE: u32 = 3;
const H1: u32 = 3;
const URL: u32 = 2;
const LINK_TEXT: u32 = 2;
const HEADING: u32 = 1;

/// A page is taken to serve a task or service at this score or above (a title or main heading
/// match, or a URL and a link text match together).
pub(crate) const STRONG: u32 = 3;

/// How well a page matches, and why.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageMatch {
    pub score: u32,
    pub why: Vec<String>,
}

fn first_match<'t>(patterns: &[Regex], text: &'t str) -> Option<&'t str> {
    patterns
        .iter()
        .find_map(|p| p.find(text))
        .map(|m| m.as_str())
}

/// Scores a page against patterns (title, headings, link texts) and URL patterns (its path).
pub(crate) fn score_page<'t>(
    patterns: &[Regex],
    url_patterns: &[Regex],
    url: &Url,
    facts: &PageFacts,
    inbound: impl Iterator<Item = &'t str>,
) -> PageMatch {
    let mut m = PageMatch::default();
    if let Some(title) = &facts.title
        && let Some(hit) = first_match(patterns, title)
    {
        m.score += TITLE;
        m.why.push(format!("title \"{title}\" matches \"{hit}\""));
    }
    let mut h1_done = false;
    let mut heading_done = false;
    for (level, text) in &facts.headings {
        if let Some(hit) = first_match(patterns, text) {
            if *level == 1 && !h1_done {
                h1_done = true;
                m.score += H1;
                m.why.push(format!("heading \"{text}\" matches \"{hit}\""));
            } else if *level > 1 && !heading_done {
                heading_done = true;
                m.score += HEADING;
                m.why
                    .push(format!("subheading \"{text}\" matches \"{hit}\""));
            }
        }
    }
    let path = url.path();
    if let Some(p) = url_patterns.iter().find(|p| p.is_match(path)) {
        m.score += URL;
        m.why
            .push(format!("URL path {path} matches `{}`", p.as_str()));
    }
    for text in inbound {
        if let Some(hit) = first_match(patterns, text) {
            m.score += LINK_TEXT;
            m.why
                .push(format!("linked as \"{text}\" (matches \"{hit}\")"));
            break;
        }
    }
    m
}

/// The task page as found.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// The page's final URL.
    pub url: Url,
    /// Its comparison key.
    pub key: String,
    /// Clicks from the home page, when links reach it.
    pub clicks: Option<u32>,
    /// Why it was taken.
    pub why: String,
}

/// Pages that are never a task or landing page: the home page, the A–Z and search pages.
pub(crate) fn excluded(
    index: &SiteIndex<'_>,
    nav: &Navigation,
    key: &str,
    facts: &PageFacts,
) -> bool {
    let home = index.home().map(|h| index.canonical(&h.page.final_url));
    if home.as_deref() == Some(key) {
        return true;
    }
    // A search results page is where its own search form submits to. (A search box elsewhere on a
    // page, even outside the header, as on table-layout CMSs, does not make it a results page.)
    let path = Url::parse(key).map(|u| u.path().to_string()).ok();
    let results_page = facts.forms.iter().any(|f| {
        super::site::search_field(f, nav).is_some()
            && path
                .as_deref()
                .is_some_and(|p| f.action.path().trim_end_matches('/') == p.trim_end_matches('/'))
    });
    let az = facts
        .title
        .as_deref()
        .is_some_and(|t| any_match(&nav.a_to_z_link, t));
    results_page || az
}

/// Finds the best page for some patterns: among pages scoring [`STRONG`] or more, the one
/// fewest clicks from home, then the best scoring, then the most linked to, then the first
/// fetched.
pub(crate) fn best_page(
    index: &SiteIndex<'_>,
    nav: &Navigation,
    patterns: &[Regex],
    url_patterns: &[Regex],
    skip: &[&str],
) -> Option<Found> {
    Query::new(patterns, url_patterns, skip).best(index, nav)
}

/// Whether a page's main heading or title matches some patterns.
fn names(facts: &PageFacts, patterns: &[Regex]) -> bool {
    facts.title.iter().any(|t| any_match(patterns, t))
        || facts
            .headings
            .iter()
            .any(|(level, h)| *level == 1 && any_match(patterns, h))
}

/// How a page is ranked among candidates: lower is better.
type Rank = (u32, bool, u32, bool, u32);

/// What [`Query::best`] looks for.
struct Query<'q> {
    patterns: &'q [Regex],
    url_patterns: &'q [Regex],
    skip: &'q [&'q str],
    /// Prefer, among pages as near the home page, one that links to this page (landing pages).
    towards: Option<&'q str>,
    /// Only pages whose key passes.
    keep: &'q dyn Fn(&str) -> bool,
    /// Prefer, all else equal, a page linked from a page these name (the service's section).
    section: &'q [Regex],
}

impl<'q> Query<'q> {
    fn new(patterns: &'q [Regex], url_patterns: &'q [Regex], skip: &'q [&'q str]) -> Self {
        Query {
            patterns,
            url_patterns,
            skip,
            towards: None,
            keep: &|_| true,
            section: &[],
        }
    }

    fn best(&self, index: &SiteIndex<'_>, nav: &Navigation) -> Option<Found> {
        let Query {
            patterns,
            url_patterns,
            skip,
            towards,
            keep,
            section,
        } = *self;
        let mut best: Option<(Rank, Found)> = None;
        for (record, facts) in index.html_pages() {
            let url = &record.page.final_url;
            let key = index.canonical(url);
            if skip.contains(&key.as_str()) || !keep(&key) || excluded(index, nav, &key, facts) {
                continue;
            }
            let m = score_page(patterns, url_patterns, url, facts, index.inbound_texts(url));
            if m.score < STRONG {
                continue;
            }
            let clicks = index.clicks(url);
            // `false` sorts first: a page that links to `towards`.
            let leads = towards.is_none_or(|t| index.links_to(facts, t).is_none());
            // The fewest clicks; then, for landing pages, one that links to the task (a service
            // such as the Blue Badge may sit under parking on one site and social care on another);
            // then the best score; then, for task pages, one linked from the service's own section
            // (its landing page), then the page more of the site links to (a forgotten old copy of
            // a page is usually linked from one place only, such as an old A–Z entry).
            let from_section =
                !section.is_empty() && index.inbound_pages(url).any(|f| names(f, section));
            let inbound = if towards.is_none() {
                index.inbound_texts(url).count() as u32
            } else {
                0
            };
            let rank = (
                clicks.unwrap_or(u32::MAX),
                leads,
                u32::MAX - m.score,
                !from_section,
                u32::MAX - inbound,
            );
            let better = best.as_ref().is_none_or(|(r, _)| rank < *r);
            if better {
                best = Some((
                    rank,
                    Found {
                        url: url.clone(),
                        key,
                        clicks,
                        why: m.why.join("; "),
                    },
                ));
            }
        }
        best.map(|(_, f)| f)
    }
}

/// The task page: the best page for the task's patterns, unless that page is the service's hub
/// (its main heading names the service, such as "Jobs and careers", not the task) and its
/// content links on to a page about the task ("Current vacancies"), which is then the task page.
pub(crate) fn task_page(
    index: &SiteIndex<'_>,
    nav: &Navigation,
    task: &Task,
    skip: &[&str],
) -> Option<Found> {
    let first = Query {
        section: &task.landing_patterns,
        ..Query::new(&task.patterns, &task.url_patterns, skip)
    }
    .best(index, nav)?;
    let Some(facts) = index.page_facts(&first.url) else {
        return Some(first);
    };
    // The main heading, not the title (titles carry the council's name and vary more), naming
    // the service but not the task.
    let names_landing = facts.headings.iter().any(|(level, h)| {
        *level == 1 && any_match(&task.landing_patterns, h) && !any_match(&task.patterns, h)
    });
    if !names_landing {
        return Some(first);
    }
    let onward: Vec<String> = facts
        .links
        .iter()
        .filter(|l| !l.area.is_chrome())
        .map(|l| index.canonical(&l.href))
        .collect();
    let mut skip = skip.to_vec();
    skip.push(&first.key);
    let keep = |key: &str| onward.iter().any(|k| k == key);
    let deeper = Query {
        keep: &keep,
        section: &task.landing_patterns,
        ..Query::new(&task.patterns, &task.url_patterns, &skip)
    }
    .best(index, nav);
    Some(deeper.unwrap_or(first))
}

/// The service landing page of a task: the page nearest the home page whose title, main heading
/// or link text names the task's service, other than the task page itself.
pub(crate) fn landing_page(
    index: &SiteIndex<'_>,
    nav: &Navigation,
    task: &Task,
    task_page: Option<&Found>,
    skip: &[&str],
) -> Option<Found> {
    let mut skip = skip.to_vec();
    skip.extend(task_page.map(|f| f.key.as_str()));
    let towards = task_page.map(|f| f.key.as_str());
    Query {
        towards,
        ..Query::new(&task.landing_patterns, &[], &skip)
    }
    .best(index, nav)
}
