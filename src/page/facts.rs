//! The compact facts kept for every page: what the task, coverage and digital stages need.

use scraper::{ElementRef, Node};
use serde::{Deserialize, Serialize};
use url::Url;

use super::{ParsedPage, normalise_space};

/// The most visible text kept per page, in bytes (enough for every evidence pattern).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Where on the page an element sits: the page's own content or the site furniture around it.
///
/// Search results and a task page's own links are read from the content; links in the header,
/// navigation, footer and asides repeat on every page and say nothing about this one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// Inside `<main>` (or `role=main`).
    Main,
    /// Inside `<nav>`, `<aside>`, the page's `<header>` or `<footer>` (or the matching roles).
    Chrome,
    /// Neither: pages without landmarks put everything here.
    #[default]
    Body,
}

impl Area {
    /// Whether the element is site furniture.
    pub fn is_chrome(self) -> bool {
        self == Area::Chrome
    }
}

/// A link found on a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The absolute target, fragment removed.
    pub href: Url,
    /// The link's text (or its image's alt, or aria-label), whitespace collapsed.
    pub text: String,
    /// `rel=nofollow` on the link.
    pub nofollow: bool,
    /// Where on the page the link sits.
    #[serde(default)]
    pub area: Area,
    /// The link is in the page only after its scripts ran (the survey rendered it): the HTML as
    /// served does not have it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub from_script: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A language version a page names: `<link rel=alternate hreflang>` in its head, or a link
/// marked with `hreflang` or `lang` (a language switch).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternate {
    /// The language code, lower case (`cy`, `en-gb`).
    pub lang: String,
    /// The absolute target, fragment removed.
    pub href: Url,
    /// Declared in the head (`<link rel=alternate>`) rather than linked in the body.
    pub in_head: bool,
}

/// A form field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The `name` attribute.
    pub name: String,
    /// `input` type (`text`, `search`, …) or the element name for `select`/`textarea`.
    pub kind: String,
    /// Its label text, `aria-label`, `placeholder` or `title`, whichever is found first.
    pub label: String,
    /// The `value` attribute of a hidden input (needed to submit a search form as the site does);
    /// empty for other fields.
    #[serde(default)]
    pub value: String,
}

/// A form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Form {
    /// The absolute action URL (the page itself when absent).
    pub action: Url,
    /// `get` or `post`.
    pub method: String,
    /// Its fields, hidden ones included (kind `hidden`).
    pub fields: Vec<Field>,
    /// `role=search` on the form or an ancestor.
    pub search_role: bool,
    /// Where on the page the form sits.
    #[serde(default)]
    pub area: Area,
    /// The form is in the page only after its scripts ran (see [`Link::from_script`]).
    #[serde(default, skip_serializing_if = "is_false")]
    pub from_script: bool,
}

impl Form {
    /// What tells two forms apart: where and how they submit, and their fields' names.
    fn identity(&self) -> (String, String, Vec<String>) {
        let mut names: Vec<String> = self.fields.iter().map(|f| f.name.clone()).collect();
        names.sort();
        (self.action.to_string(), self.method.clone(), names)
    }
}

/// Compact facts about one HTML page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageFacts {
    /// The page's `<title>`, whitespace collapsed.
    pub title: Option<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
    /// Headings as (level, text).
    pub headings: Vec<(u8, String)>,
    /// Links with an http(s) target, in document order.
    pub links: Vec<Link>,
    /// Forms.
    pub forms: Vec<Form>,
    /// `<meta name=viewport content>`.
    pub viewport: Option<String>,
    /// `<meta name=robots>` says nofollow.
    pub robots_nofollow: bool,
    /// `<meta name=robots>` says noindex.
    pub robots_noindex: bool,
    /// Visible text of the body, whitespace collapsed, at most [`MAX_TEXT_BYTES`].
    pub text: String,
    /// Inline styles or `<style>` set a fixed width of 768px or more on some element
    /// (a sign the page does not reflow on a phone).
    pub fixed_width: bool,
    /// Linked stylesheets (`<link rel=stylesheet href>`), absolute, in document order.
    #[serde(default)]
    pub stylesheets: Vec<Url>,
    /// The byte range of [`PageFacts::text`] that is the page's main content (`<main>` or
    /// `role=main`), when it has one.
    #[serde(default)]
    pub main_range: Option<(u32, u32)>,
    /// Language versions the page names, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternates: Vec<Alternate>,
    /// The breadcrumb trail (a `nav`, list or other element whose `aria-label`, class or id says
    /// "breadcrumb"), its items in order, whitespace collapsed.
    #[serde(default)]
    pub breadcrumb: Vec<String>,
    /// Whether the survey rendered the page in a browser (`--render`), and why not when it was
    /// asked to and could not; `None` when rendering was not asked for this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendering: Option<Rendering>,
}

/// What became of a page the survey asked the browser to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Rendering {
    /// Rendered: the page's findings are the rendered ones.
    Rendered {
        /// Scripts of the page that could not be had (refused, failed or an error status).
        #[serde(default)]
        scripts_missing: u32,
    },
    /// Not rendered: the page keeps its static facts and findings.
    NotRendered {
        /// Why (no browser, the browser failed, the time budget ran out, …).
        reason: String,
    },
}

impl PageFacts {
    /// For facts read from the DOM after scripts: marks the links and forms that the page as
    /// served (`served`, its static facts) does not have, as built by script.
    pub fn mark_from_script(&mut self, served: &PageFacts) {
        let links: std::collections::HashSet<&str> =
            served.links.iter().map(|l| l.href.as_str()).collect();
        for l in &mut self.links {
            l.from_script = !links.contains(l.href.as_str());
        }
        let forms: Vec<_> = served.forms.iter().map(Form::identity).collect();
        for f in &mut self.forms {
            f.from_script = !forms.contains(&f.identity());
        }
    }

    /// The main content's text, or all the text when the page marks no main content: what the
    /// page itself says, without the header, navigation and footer every page repeats.
    pub fn main_text(&self) -> &str {
        self.main_range
            .and_then(|(start, end)| self.text.get(start as usize..end as usize))
            .map_or(self.text.as_str(), str::trim)
    }
}

pub(super) fn extract(page: &ParsedPage) -> PageFacts {
    let base = page.base_url();
    let mut facts = PageFacts::default();
    let root = page.html.root_element();
    facts.lang = root
        .value()
        .attr("lang")
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty());
    let mut text = String::new();
    walk(root, &base, &mut facts, &mut text);
    facts.text = text;
    facts
}

fn push_text(text: &mut String, s: &str) {
    if text.len() >= MAX_TEXT_BYTES {
        return;
    }
    for word in s.split_whitespace() {
        if text.len() + word.len() + 1 > MAX_TEXT_BYTES {
            return;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
}

fn element_text(el: ElementRef<'_>) -> String {
    normalise_space(&el.text().collect::<String>())
}

fn fixed_width_in(css: &str) -> bool {
    use std::sync::LazyLock;
    static FIXED: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)(^|[;{\s])(min-)?width\s*:\s*(\d{3,5})px").expect("static regex")
    });
    FIXED
        .captures_iter(css)
        .any(|c| c[3].parse::<u32>().is_ok_and(|w| w >= 768))
}

/// One element being walked: its children still to visit and what they inherit.
struct Frame<'a> {
    children: ego_tree::iter::Children<'a, Node>,
    in_head: bool,
    in_search: bool,
    area: Area,
    /// Where the element's text starts, when it opens the main content.
    main_start: Option<usize>,
}

/// Walks the element tree in document order, collecting facts and text. Iterative, with the
/// open elements on a heap stack: hostile pages nest elements 10 000 deep, which would overflow
/// the thread's stack in a recursive walk and abort the whole survey.
fn walk(root: ElementRef<'_>, base: &Url, facts: &mut PageFacts, text: &mut String) {
    let mut stack: Vec<Frame<'_>> = Vec::new();
    stack.extend(enter(root, base, facts, text, false, false, Area::Body));
    while let Some(frame) = stack.last_mut() {
        let (in_head, in_search, area) = (frame.in_head, frame.in_search, frame.area);
        match frame.children.next() {
            Some(child) => match child.value() {
                Node::Text(t) if !in_head => push_text(text, t),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        stack.extend(enter(child, base, facts, text, in_head, in_search, area));
                    }
                }
                _ => {}
            },
            None => {
                if let Some(start) = stack.pop().and_then(|f| f.main_start) {
                    let offset = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                    facts.main_range = Some((offset(start), offset(text.len())));
                }
            }
        }
    }
}

/// Reads one element's own facts; returns the frame for its children, or `None` when they are
/// not walked (the title, styles, scripts).
fn enter<'a>(
    el: ElementRef<'a>,
    base: &Url,
    facts: &mut PageFacts,
    text: &str,
    in_head: bool,
    in_search: bool,
    area: Area,
) -> Option<Frame<'a>> {
    let name = el.value().name();
    let in_head = in_head || name == "head";
    let role = el
        .value()
        .attr("role")
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let in_search = in_search || role == "search";
    let parent_area = area;
    let area = area_of(name, &role, area);
    if let Some(style) = el.value().attr("style")
        && fixed_width_in(style)
    {
        facts.fixed_width = true;
    }
    match name {
        "title" if facts.title.is_none() => {
            facts.title = Some(element_text(el));
            return None;
        }
        "style" => {
            if fixed_width_in(&el.text().collect::<String>()) {
                facts.fixed_width = true;
            }
            return None;
        }
        "script" | "noscript" | "template" => return None,
        "link" => {
            let rel = el.value().attr("rel").unwrap_or_default();
            if rel
                .split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("stylesheet"))
                && let Some(href) = el.value().attr("href")
                && let Ok(url) = base.join(href.trim())
                && matches!(url.scheme(), "http" | "https")
            {
                facts.stylesheets.push(url);
            }
            if rel
                .split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("alternate"))
            {
                push_alternate(el, base, "hreflang", true, facts);
            }
        }
        "meta" => {
            let meta_name = el
                .value()
                .attr("name")
                .unwrap_or_default()
                .to_ascii_lowercase();
            let content = el.value().attr("content").unwrap_or_default();
            if meta_name == "viewport" {
                facts.viewport = Some(content.to_string());
            } else if meta_name == "robots" {
                let c = content.to_ascii_lowercase();
                facts.robots_nofollow |= c.contains("nofollow") || c.contains("none");
                facts.robots_noindex |= c.contains("noindex") || c.contains("none");
            }
        }
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let level = name.as_bytes()[1] - b'0';
            facts.headings.push((level, element_text(el)));
        }
        "a" | "area" => {
            if let Some(href) = el.value().attr("href")
                && let Ok(mut url) = base.join(href.trim())
                && matches!(url.scheme(), "http" | "https")
            {
                url.set_fragment(None);
                let mut label = element_text(el);
                if label.is_empty() {
                    label = el
                        .value()
                        .attr("aria-label")
                        .map(normalise_space)
                        .or_else(|| {
                            el.descendent_elements()
                                .find_map(|d| d.value().attr("alt").map(normalise_space))
                        })
                        .or_else(|| el.value().attr("title").map(normalise_space))
                        .unwrap_or_default();
                }
                let nofollow = el.value().attr("rel").is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|t| t.eq_ignore_ascii_case("nofollow"))
                });
                facts.links.push(Link {
                    href: url,
                    text: label,
                    nofollow,
                    area,
                    from_script: false,
                });
                push_alternate(el, base, "hreflang", false, facts);
                if el.value().attr("hreflang").is_none() {
                    push_alternate(el, base, "lang", false, facts);
                }
            }
        }
        "form" => {
            facts.forms.push(form(el, base, in_search, area));
        }
        _ => {}
    }
    if facts.breadcrumb.is_empty() && is_breadcrumb(el) {
        facts.breadcrumb = breadcrumb_items(el);
    }
    let main_starts = area == Area::Main && parent_area != Area::Main && facts.main_range.is_none();
    Some(Frame {
        children: el.children(),
        in_head,
        in_search,
        area,
        main_start: main_starts.then_some(text.len()),
    })
}

/// Records the language version an element names by its `attr` (`hreflang`, or `lang` on a link).
fn push_alternate(
    el: ElementRef<'_>,
    base: &Url,
    attr: &str,
    in_head: bool,
    facts: &mut PageFacts,
) {
    let Some(lang) = el
        .value()
        .attr(attr)
        .map(str::trim)
        .filter(|l| !l.is_empty())
    else {
        return;
    };
    if let Some(href) = el.value().attr("href")
        && let Ok(mut url) = base.join(href.trim())
        && matches!(url.scheme(), "http" | "https")
    {
        url.set_fragment(None);
        facts.alternates.push(Alternate {
            lang: lang.to_ascii_lowercase(),
            href: url,
            in_head,
        });
    }
}

/// Whether an element holds the breadcrumb trail: its `aria-label`, class or id says so.
fn is_breadcrumb(el: ElementRef<'_>) -> bool {
    let v = el.value();
    // The trail's container, not one of its items (`li class="breadcrumb-item"`).
    if !matches!(v.name(), "nav" | "ol" | "ul" | "div" | "section" | "p") {
        return false;
    }
    ["aria-label", "class", "id"].iter().any(|a| {
        v.attr(a).is_some_and(|x| {
            let x = x.to_ascii_lowercase();
            x.contains("breadcrumb") || x.contains("bread-crumb") || x.contains("crumbs")
        })
    })
}

/// The items of a breadcrumb trail: its list items, or else its links.
fn breadcrumb_items(el: ElementRef<'_>) -> Vec<String> {
    let items = |name: &str| -> Vec<String> {
        el.descendent_elements()
            .filter(|d| d.value().name() == name)
            .map(element_text)
            .filter(|t| !t.is_empty())
            .collect()
    };
    let li = items("li");
    if li.is_empty() { items("a") } else { li }
}

/// The area of an element from its name and role, given its parent's. Site furniture stays
/// furniture; a `<header>` or `<footer>` inside the main content belongs to an article, not the site.
fn area_of(name: &str, role: &str, parent: Area) -> Area {
    if parent == Area::Chrome {
        return Area::Chrome;
    }
    let landmark_chrome = matches!(name, "nav" | "aside")
        || matches!(
            role,
            "navigation" | "complementary" | "banner" | "contentinfo"
        );
    let page_chrome = matches!(name, "header" | "footer") && parent != Area::Main;
    if landmark_chrome || page_chrome {
        Area::Chrome
    } else if name == "main" || role == "main" {
        Area::Main
    } else {
        parent
    }
}

fn form(el: ElementRef<'_>, base: &Url, in_search: bool, area: Area) -> Form {
    let action = el
        .value()
        .attr("action")
        .filter(|a| !a.trim().is_empty())
        .and_then(|a| base.join(a.trim()).ok())
        .unwrap_or_else(|| base.clone());
    let method = el
        .value()
        .attr("method")
        .unwrap_or("get")
        .trim()
        .to_ascii_lowercase();
    let labels: Vec<(String, String)> = el
        .descendent_elements()
        .filter(|d| d.value().name() == "label")
        .filter_map(|l| {
            l.value()
                .attr("for")
                .map(|f| (f.to_string(), element_text(l)))
        })
        .collect();
    let mut fields = Vec::new();
    for d in el.descendent_elements() {
        let kind = match d.value().name() {
            "input" => d
                .value()
                .attr("type")
                .unwrap_or("text")
                .trim()
                .to_ascii_lowercase(),
            "select" | "textarea" => d.value().name().to_string(),
            _ => continue,
        };
        let name = d.value().attr("name").unwrap_or_default().to_string();
        let id = d.value().attr("id");
        let label = id
            .and_then(|id| labels.iter().find(|(f, _)| f == id).map(|(_, t)| t.clone()))
            .or_else(|| d.value().attr("aria-label").map(normalise_space))
            .or_else(|| d.value().attr("placeholder").map(normalise_space))
            .or_else(|| d.value().attr("title").map(normalise_space))
            .unwrap_or_default();
        let value = if kind == "hidden" {
            d.value().attr("value").unwrap_or_default().to_string()
        } else {
            String::new()
        };
        fields.push(Field {
            name,
            kind,
            label,
            value,
        });
    }
    Form {
        action,
        method,
        fields,
        search_role: in_search
            || el
                .value()
                .attr("role")
                .is_some_and(|r| r.eq_ignore_ascii_case("search")),
        area,
        from_script: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(html: &str) -> PageFacts {
        ParsedPage::parse(Url::parse("https://c.gov.uk/a/b").unwrap(), html).facts()
    }

    #[test]
    fn links_and_forms_only_in_the_dom_after_scripts_are_marked_as_built_by_script() {
        let served = facts(
            r#"<nav id="menu"></nav><a href="/news">News</a>
            <form action="/search"><input name="q"></form>"#,
        );
        let mut after = facts(
            r#"<nav id="menu"><a href="/bins">Bins</a></nav><a href="/news">News</a>
            <form action="/search"><input name="q"></form>
            <form action="/report" method="post"><input name="street"></form>"#,
        );
        after.mark_from_script(&served);
        let links: Vec<(&str, bool)> = after
            .links
            .iter()
            .map(|l| (l.href.path(), l.from_script))
            .collect();
        assert_eq!(links, vec![("/bins", true), ("/news", false)]);
        let forms: Vec<(&str, bool)> = after
            .forms
            .iter()
            .map(|f| (f.action.path(), f.from_script))
            .collect();
        assert_eq!(forms, vec![("/search", false), ("/report", true)]);
        // Stored, the mark is kept; facts without it (any static page) read as not from script.
        let json = serde_json::to_string(&after).unwrap();
        assert!(json.contains(r#""from_script":true"#));
        assert!(
            !serde_json::to_string(&served)
                .unwrap()
                .contains("from_script")
        );
        let back: PageFacts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, after);
    }

    #[test]
    fn keeps_the_language_versions_a_page_names() {
        let f = facts(
            r#"<html lang="en"><head><link rel="alternate" hreflang="cy" href="/cy/biniau">
            <link rel="alternate" hreflang="x-default" href="/bins"></head><body>
            <a href="/cy/biniau" lang="cy">Cymraeg</a><a href="/bins" hreflang="EN">English</a>
            <a href="/other">Other</a></body></html>"#,
        );
        let got: Vec<(&str, &str, bool)> = f
            .alternates
            .iter()
            .map(|a| (a.lang.as_str(), a.href.path(), a.in_head))
            .collect();
        assert_eq!(
            got,
            vec![
                ("cy", "/cy/biniau", true),
                ("x-default", "/bins", true),
                ("cy", "/cy/biniau", false),
                ("en", "/bins", false),
            ]
        );
    }

    #[test]
    fn extracts_title_lang_headings_and_links() {
        let f = facts(
            r#"<html lang="en-GB"><head><title> Bins
            and recycling </title></head><body><h1>Bins</h1>
            <a href="../missed#x">Report a missed bin</a><a href="mailto:x@y">mail</a>
            <a href="/p" rel="nofollow"><img alt="Pay"></a></body></html>"#,
        );
        assert_eq!(f.title.as_deref(), Some("Bins and recycling"));
        assert_eq!(f.lang.as_deref(), Some("en-GB"));
        assert_eq!(f.headings, vec![(1, "Bins".to_string())]);
        assert_eq!(f.links.len(), 2);
        assert_eq!(f.links[0].href.as_str(), "https://c.gov.uk/missed");
        assert_eq!(f.links[1].text, "Pay");
        assert!(f.links[1].nofollow);
        assert!(f.text.contains("Report a missed bin"));
        assert!(
            !f.text.contains("Bins and recycling Bins"),
            "head text is not body text"
        );
    }

    #[test]
    fn reads_the_breadcrumb_trail_from_its_container() {
        let f = facts(
            r#"<nav aria-label="Breadcrumb"><ol><li class="breadcrumb-item"><a href="/">Home</a></li>
            <li class="breadcrumb-item"><a href="/bins">Bins and recycling</a></li>
            <li class="breadcrumb-item">Report a missed bin</li></ol></nav><h1>Missed bins</h1>"#,
        );
        assert_eq!(
            f.breadcrumb,
            ["Home", "Bins and recycling", "Report a missed bin"]
        );
        let links_only = facts(
            r#"<div class="crumbs"><a href="/">Home</a> &gt; <a href="/tax">Council tax</a></div>"#,
        );
        assert_eq!(links_only.breadcrumb, ["Home", "Council tax"]);
        assert!(facts("<ol><li>One</li></ol>").breadcrumb.is_empty());
    }

    #[test]
    fn extracts_forms_with_labels() {
        let f = facts(
            r#"<form action="/search" role="search"><label for="q">Search</label>
            <input id="q" name="q" type="search"><input type="hidden" name="t" value="1"></form>
            <form method="POST"><input name="postcode" placeholder="Postcode"></form>"#,
        );
        assert_eq!(f.forms.len(), 2);
        assert!(f.forms[0].search_role);
        assert_eq!(f.forms[0].fields[0].label, "Search");
        assert_eq!(f.forms[1].method, "post");
        assert_eq!(f.forms[1].fields[0].label, "Postcode");
        assert_eq!(f.forms[1].action.as_str(), "https://c.gov.uk/a/b");
    }

    #[test]
    fn tells_site_furniture_from_content() {
        let f = facts(
            r#"<header><a href="/">Home</a><form action="/search"><input name="q"></form></header>
            <nav><a href="/bins">Bins</a></nav>
            <main><header><a href="/article">Article</a></header><a href="/missed">Missed bin</a></main>
            <div><a href="/loose">Loose</a></div>
            <footer><a href="/accessibility">Accessibility</a></footer>"#,
        );
        let areas: Vec<(&str, Area)> = f.links.iter().map(|l| (l.text.as_str(), l.area)).collect();
        assert_eq!(
            areas,
            vec![
                ("Home", Area::Chrome),
                ("Bins", Area::Chrome),
                ("Article", Area::Main),
                ("Missed bin", Area::Main),
                ("Loose", Area::Body),
                ("Accessibility", Area::Chrome),
            ]
        );
        assert_eq!(f.forms[0].area, Area::Chrome);
    }

    #[test]
    fn keeps_the_main_content_text_apart() {
        let f = facts(
            "<header>Call us</header><main><h1>Missed bin</h1><p>Report it online.</p></main>\
             <footer>Last updated 2019</footer>",
        );
        assert_eq!(f.main_text(), "Missed bin Report it online.");
        assert!(f.text.contains("Call us") && f.text.contains("2019"));
        let plain = facts("<p>No landmarks here.</p>");
        assert_eq!(plain.main_text(), "No landmarks here.");
    }

    #[test]
    fn keeps_hidden_values_only() {
        let f = facts(
            r#"<form><input type="hidden" name="site" value="main"><input name="q" value="x"></form>"#,
        );
        assert_eq!(f.forms[0].fields[0].value, "main");
        assert_eq!(f.forms[0].fields[1].value, "");
    }

    #[test]
    fn notices_fixed_widths() {
        assert!(facts(r#"<div style="width: 960px">x</div>"#).fixed_width);
        assert!(facts("<style>body{min-width:1024px}</style>").fixed_width);
        assert!(!facts(r#"<div style="width: 100px; max-width: 960px">x</div>"#).fixed_width);
    }
}
