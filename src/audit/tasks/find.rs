//! Finding pages: how well a page matches a task's or a service's patterns, the task page (the
//! best match nearest the home page) and the service landing page.

use regex::Regex;
use url::Url;

use super::site::{SiteIndex, any_match};
use crate::page::PageFacts;
use crate::ruleset::{Navigation, Recognition, Task};

/// Points a match earns. The title, the main heading, the URL, the breadcrumb and the links
/// pointing at a page *name* what it is for; subheadings, the opening text and the council's
/// other wordings only support a name.
const TITLE: u32 = 3;
const H1: u32 = 3;
const URL: u32 = 2;
const CRUMB: u32 = 2;
const LINK_TEXT: u32 = 2;
const HEADING: u32 = 1;
const LEAD: u32 = 1;
const CRUMB_WORDING: u32 = 1;

/// A page is taken to serve a task or service at this score or above, provided some part of the
/// page names it (a title or main heading match; a URL, breadcrumb or link text match together
/// with one more).
pub(crate) const STRONG: u32 = 3;

/// How much of the page's main text, after its main heading, counts as its opening.
const LEAD_BYTES: usize = 300;

/// What a page is matched against: the names of a task or service, the other council wordings
/// that support them, and patterns for the URL path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Terms<'r> {
    pub patterns: &'r [Regex],
    /// Names of the task's own hub, which name a page by its title or main heading only.
    pub hub: &'r [Regex],
    pub wordings: &'r [Regex],
    pub not_patterns: &'r [Regex],
    pub url_patterns: &'r [Regex],
    /// Whether the names are also looked for in the URL's words and the opening text (not for
    /// service landing pages, which are known by their title, heading and the links to them).
    pub wide: bool,
}

impl<'r> Terms<'r> {
    /// A task's names and wordings.
    pub(crate) fn task(task: &'r Task) -> Self {
        Terms {
            patterns: &task.patterns,
            hub: &task.hub_patterns,
            wordings: &task.wordings,
            not_patterns: &task.not_patterns,
            url_patterns: &task.url_patterns,
            wide: true,
        }
    }

    /// Names and URL patterns only (services, landing pages).
    pub(crate) fn names(patterns: &'r [Regex], url_patterns: &'r [Regex]) -> Self {
        Terms {
            patterns,
            hub: &[],
            wordings: &[],
            not_patterns: &[],
            url_patterns,
            wide: true,
        }
    }

    /// A service landing page's names: title, headings, breadcrumb and link text only.
    pub(crate) fn landing(patterns: &'r [Regex]) -> Self {
        Terms {
            wide: false,
            ..Terms::names(patterns, &[])
        }
    }

    fn supporting(&self, text: &str) -> Option<String> {
        first_match(self.patterns, text)
            .or_else(|| first_match(self.wordings, text))
            .map(str::to_string)
    }
}

/// How well a page matches, and why.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageMatch {
    pub score: u32,
    /// Some part of the page names the task (title, main heading, URL, breadcrumb, link text).
    pub named: bool,
    pub why: Vec<String>,
}

impl PageMatch {
    /// Whether the page is taken to serve the task or service.
    pub(crate) fn strong(&self) -> bool {
        self.named && self.score >= STRONG
    }

    fn name(&mut self, points: u32, why: String) {
        self.score += points;
        self.named = true;
        self.why.push(why);
    }

    fn support(&mut self, points: u32, why: String) {
        self.score += points;
        self.why.push(why);
    }
}

fn first_match<'t>(patterns: &[Regex], text: &'t str) -> Option<&'t str> {
    patterns
        .iter()
        .find_map(|p| p.find(text))
        .map(|m| m.as_str())
}

/// The words of a URL's path, as a council's CMS made them from the page's name:
/// `/bins/Report-a-Missed_Bin.aspx` and `/ApplyForOlderPersonBusPass` read "bins report a missed
/// bin" and "apply for older person bus pass". Numbers and file extensions are dropped.
pub(crate) fn url_words(url: &Url) -> String {
    let mut words: Vec<String> = Vec::new();
    for segment in url.path_segments().into_iter().flatten() {
        segment_words(segment, &mut words);
    }
    words.join(" ")
}

/// The words of one path segment (see [`url_words`]), added to `words`.
fn segment_words(segment: &str, words: &mut Vec<String>) {
    let decoded = percent_decode(segment);
    let stem = decoded
        .rsplit_once('.')
        .filter(|(_, ext)| {
            matches!(
                ext.to_ascii_lowercase().as_str(),
                "aspx" | "asp" | "htm" | "html" | "php" | "jsp" | "cfm"
            )
        })
        .map_or(decoded.as_str(), |(stem, _)| stem);
    let mut word = String::new();
    let mut prev: Option<char> = None;
    for c in stem.chars() {
        if c.is_alphanumeric() {
            // A capital after a small letter starts a word (camel case).
            if c.is_uppercase() && prev.is_some_and(char::is_lowercase) {
                flush(&mut word, words);
            }
            word.extend(c.to_lowercase());
        } else {
            flush(&mut word, words);
        }
        prev = Some(c);
    }
    flush(&mut word, words);
}

/// A page's URL read as words, made once per page: every task and service is matched against
/// the same words.
#[derive(Debug, Clone)]
pub(crate) struct UrlWords {
    /// The words of the whole path.
    all: String,
    /// The words of its last non-empty segment (`…/jobs/completing-the-application-form`).
    last: Option<String>,
}

impl UrlWords {
    pub(crate) fn of(url: &Url) -> Self {
        let last = url
            .path_segments()
            .and_then(|mut s| s.rfind(|p| !p.is_empty()))
            .map(|p| {
                let mut words = Vec::new();
                segment_words(p, &mut words);
                words.join(" ")
            });
        UrlWords {
            all: url_words(url),
            last,
        }
    }
}

fn flush(word: &mut String, words: &mut Vec<String>) {
    if !word.is_empty() && !word.chars().all(|c| c.is_ascii_digit()) {
        words.push(std::mem::take(word));
    }
    word.clear();
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(h, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The page's opening words: the main text after its main heading, cut to [`LEAD_BYTES`]. Pages
/// that mark neither a main heading nor main content have no opening to read (their text starts
/// with the site's menus).
pub(crate) fn lead(facts: &PageFacts) -> Option<&str> {
    let h1 = facts
        .headings
        .iter()
        .find(|(level, _)| *level == 1)
        .map(|(_, t)| t.as_str());
    let text = match (facts.main_range.is_some(), h1) {
        (true, _) => {
            let main = facts.main_text();
            h1.and_then(|h| main.find(h).map(|i| &main[i + h.len()..]))
                .unwrap_or(main)
        }
        (false, Some(h)) => {
            let i = facts.text.find(h)?;
            &facts.text[i + h.len()..]
        }
        (false, None) => return None,
    };
    let text = text.trim_start();
    let mut end = text.len().min(LEAD_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Some(&text[..end]).filter(|t| !t.is_empty())
}

/// Why a page serves no task whatever it mentions: a news item, consultation, committee paper
/// or FOI answer, by its URL or by its title, main heading or breadcrumb.
pub(crate) fn not_task_page(rec: &Recognition, url: &Url, facts: &PageFacts) -> Option<String> {
    let address = format!("{}{}", url.host_str().unwrap_or_default(), url.path());
    if let Some(p) = rec.not_task_url.iter().find(|p| p.is_match(&address)) {
        return Some(format!(
            "not a task page: URL {address} matches `{}`",
            p.as_str()
        ));
    }
    let named = facts
        .title
        .iter()
        .map(|t| ("title", t.as_str()))
        .chain(
            facts
                .headings
                .iter()
                .filter(|(level, _)| *level == 1)
                .take(1)
                .map(|(_, h)| ("heading", h.as_str())),
        )
        .chain(facts.breadcrumb.iter().map(|c| ("breadcrumb", c.as_str())));
    for (part, text) in named {
        if let Some(hit) = first_match(&rec.not_task, text) {
            return Some(format!("not a task page: {part} \"{text}\" says \"{hit}\""));
        }
    }
    None
}

/// Scores a page: its title, main heading, breadcrumb and URL (path patterns, or the names in
/// the URL's words) against the names; its subheadings and opening text against the names and
/// wordings; and the text of links pointing at it (`inbound`) against the names.
pub(crate) fn score_page<'t>(
    terms: &Terms<'_>,
    url: &Url,
    facts: &PageFacts,
    inbound: impl Iterator<Item = &'t str>,
) -> PageMatch {
    score_page_words(terms, url, &UrlWords::of(url), facts, inbound)
}

/// [`score_page`] with the URL's words already read (classifying a page against every task and
/// service reads them once).
pub(crate) fn score_page_words<'t>(
    terms: &Terms<'_>,
    url: &Url,
    url_words: &UrlWords,
    facts: &PageFacts,
    inbound: impl Iterator<Item = &'t str>,
) -> PageMatch {
    let mut m = PageMatch::default();
    let patterns = terms.patterns;
    let named_as = facts.title.iter().chain(
        facts
            .headings
            .iter()
            .filter(|(level, _)| *level == 1)
            .map(|(_, h)| h),
    );
    // The last part of the URL names the page too (`…/jobs/completing-the-application-form`).
    for text in named_as.chain(url_words.last.as_ref()) {
        if let Some(hit) = first_match(terms.not_patterns, text) {
            m.why
                .push(format!("\"{text}\" says \"{hit}\": a near miss"));
            return m;
        }
    }
    if let Some(title) = &facts.title
        && let Some(hit) = first_match(patterns, title).or_else(|| first_match(terms.hub, title))
    {
        m.name(TITLE, format!("title \"{title}\" matches \"{hit}\""));
    }
    let mut h1_text: Option<&str> = None;
    let mut h1_done = false;
    let mut heading_done = false;
    for (level, text) in &facts.headings {
        if *level == 1 && h1_text.is_none() {
            h1_text = Some(text);
        }
        if *level == 1 && !h1_done {
            if let Some(hit) = first_match(patterns, text).or_else(|| first_match(terms.hub, text))
            {
                h1_done = true;
                m.name(H1, format!("heading \"{text}\" matches \"{hit}\""));
            }
        } else if *level > 1
            && !heading_done
            && let Some(hit) = terms.supporting(text)
        {
            heading_done = true;
            m.support(HEADING, format!("subheading \"{text}\" matches \"{hit}\""));
        }
    }
    // The trail, nearest the page first; an item repeating the title or heading adds nothing.
    let same = |c: &str| {
        facts
            .title
            .iter()
            .map(String::as_str)
            .chain(h1_text)
            .any(|t| t.trim().eq_ignore_ascii_case(c.trim()))
    };
    let crumbs: Vec<&str> = facts
        .breadcrumb
        .iter()
        .map(String::as_str)
        .filter(|c| !same(c))
        .collect();
    if let Some((c, hit)) = crumbs
        .iter()
        .rev()
        .find_map(|c| first_match(patterns, c).map(|h| (c, h)))
    {
        m.name(CRUMB, format!("breadcrumb \"{c}\" matches \"{hit}\""));
    } else if let Some((c, hit)) = crumbs
        .iter()
        .rev()
        .find_map(|c| first_match(terms.wordings, c).map(|h| (c, h)))
    {
        m.support(
            CRUMB_WORDING,
            format!("breadcrumb \"{c}\" matches \"{hit}\""),
        );
    }
    let path = url.path();
    if let Some(p) = terms.url_patterns.iter().find(|p| p.is_match(path)) {
        m.name(URL, format!("URL path {path} matches `{}`", p.as_str()));
    } else if terms.wide {
        let words = &url_words.all;
        if let Some(hit) = first_match(patterns, words) {
            m.name(URL, format!("URL words \"{words}\" match \"{hit}\""));
        }
    }
    if terms.wide
        && let Some(lead) = lead(facts)
        && let Some(hit) = terms.supporting(lead)
    {
        m.support(LEAD, format!("opening text matches \"{hit}\""));
    }
    for text in inbound {
        if let Some(hit) = first_match(patterns, text) {
            m.name(
                LINK_TEXT,
                format!("linked as \"{text}\" (matches \"{hit}\")"),
            );
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

/// Finds the best page for some patterns: among pages that match strongly enough, the one
/// fewest clicks from home, then the best scoring, then the most linked to, then the first
/// fetched.
pub(crate) fn best_page(
    index: &SiteIndex<'_>,
    nav: &Navigation,
    patterns: &[Regex],
    url_patterns: &[Regex],
    skip: &[&str],
) -> Option<Found> {
    Query::new(Terms::names(patterns, url_patterns), skip).best(index, nav)
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
    terms: Terms<'q>,
    skip: &'q [&'q str],
    /// Pages these cues mark as serving no task are passed over (task pages only).
    not_task: Option<&'q Recognition>,
    /// Prefer, among pages as near the home page, one that links to this page (landing pages).
    towards: Option<&'q str>,
    /// Only pages whose key passes.
    keep: &'q dyn Fn(&str) -> bool,
    /// Prefer, all else equal, a page linked from a page these name (the service's section).
    section: &'q [Regex],
}

impl<'q> Query<'q> {
    fn new(terms: Terms<'q>, skip: &'q [&'q str]) -> Self {
        Query {
            terms,
            skip,
            not_task: None,
            towards: None,
            keep: &|_| true,
            section: &[],
        }
    }

    fn best(&self, index: &SiteIndex<'_>, nav: &Navigation) -> Option<Found> {
        let Query {
            terms,
            skip,
            not_task,
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
            let m = score_page(&terms, url, facts, index.inbound_texts(url));
            if !m.strong() || not_task.is_some_and(|r| not_task_page(r, url, facts).is_some()) {
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
/// (its main heading names the service, such as "Jobs and careers", not the task, or names the
/// task only by its hub's name, such as "Working for us") and its content links on to a page
/// about the task ("Current vacancies"), which is then the task page.
pub(crate) fn task_page(
    index: &SiteIndex<'_>,
    nav: &Navigation,
    recognition: &Recognition,
    task: &Task,
    skip: &[&str],
) -> Option<Found> {
    let first = Query {
        section: &task.landing_patterns,
        not_task: Some(recognition),
        ..Query::new(Terms::task(task), skip)
    }
    .best(index, nav)?;
    let Some(facts) = index.page_facts(&first.url) else {
        return Some(first);
    };
    // The main heading, not the title (titles carry the council's name and vary more), naming
    // the service but not the task, or the task only by the name of its hub.
    let h1s = || {
        facts
            .headings
            .iter()
            .filter(|(level, _)| *level == 1)
            .map(|(_, h)| h)
    };
    let by_hub_name = h1s().any(|h| any_match(&task.hub_patterns, h));
    let names_landing = by_hub_name
        || h1s().any(|h| any_match(&task.landing_patterns, h) && !any_match(&task.patterns, h));
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
    // Onward, a page that names the task itself, not its hub.
    let own = Terms {
        hub: &[],
        ..Terms::task(task)
    };
    let deeper = Query {
        keep: &keep,
        section: &task.landing_patterns,
        not_task: Some(recognition),
        ..Query::new(own, &skip)
    }
    .best(index, nav);
    if deeper.is_some() || !by_hub_name {
        return Some(deeper.unwrap_or(first));
    }
    // A hub known only by its hub name ("Working for us") gives way to a page anywhere on the
    // site that names the task itself ("Our vacancies"), reached by another route.
    let elsewhere = Query {
        section: &task.landing_patterns,
        not_task: Some(recognition),
        ..Query::new(own, &skip)
    }
    .best(index, nav);
    Some(elsewhere.unwrap_or(first))
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
        ..Query::new(Terms::landing(&task.landing_patterns), &skip)
    }
    .best(index, nav)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_words_of_a_url_as_a_cms_made_them() {
        let words = |u: &str| url_words(&Url::parse(u).unwrap());
        assert_eq!(
            words("https://x.gov.uk/bins/Report-a-Missed_Bin.aspx"),
            "bins report a missed bin"
        );
        assert_eq!(
            words("https://x.gov.uk/ApplyForOlderPersonBusPass"),
            "apply for older person bus pass"
        );
        assert_eq!(
            words("https://x.gov.uk/info/200171/recycling%20and%20rubbish/663/"),
            "info recycling and rubbish"
        );
    }

    #[test]
    fn the_opening_is_the_main_text_after_the_main_heading() {
        let facts = |html: &str| {
            crate::page::ParsedPage::parse(Url::parse("https://x.gov.uk/").unwrap(), html).facts()
        };
        let f = facts("<nav>Menu</nav><main><h1>Bins</h1><p>Tell us if we missed you.</p></main>");
        assert_eq!(lead(&f), Some("Tell us if we missed you."));
        let f = facts("<div>Menu</div><h1>Bins</h1><p>Opening.</p>");
        assert_eq!(lead(&f), Some("Opening."));
        assert_eq!(lead(&facts("<div>Menu</div><p>No heading.</p>")), None);
    }
}
