//! One parse per page: the parsed DOM ([`ParsedPage`]) and the compact facts kept about it
//! ([`PageFacts`]).
//!
//! The crawler hands over decoded HTML; this module parses it once with `scraper` (html5ever).
//! The accessibility audit reads the DOM; the task, coverage and digital stages read only the
//! facts, which are small enough to keep for every page of a site. The DOM is dropped after the
//! audit. Nothing here does I/O.
//!
//! A page nested deeper than [`MAX_NESTING`] elements is parsed only up to that depth: html5ever
//! checks scopes by walking the stack of open elements, so parsing costs the square of the depth
//! (10 000 nested divs take seconds, the megabytes a page may have would take hours on a thread
//! nothing can stop). Real pages nest a few dozen deep; browsers flatten past 512.

mod facts;

pub use facts::{Area, Field, Form, Link, PageFacts, Rendering};

use scraper::Html;
use url::Url;

/// A parsed HTML page: the DOM plus the URL it was served from (for resolving links).
pub struct ParsedPage {
    /// The final URL (after redirects), the base for relative links unless `<base href>` says otherwise.
    pub url: Url,
    /// The parsed document.
    pub html: Html,
}

/// Elements nested deeper than this (as estimated by [`within_nesting`]) are cut off.
pub const MAX_NESTING: usize = 2048;

/// A page is parsed up to this many start tags. A 50 KB council page has about 500 elements and
/// a 2 MB one about 20 000; past this a page is as good as cut off, and its DOM (some hundred
/// bytes a node, and the audit's tables beside it) would let one hostile page, dense with tiny
/// elements within the byte budget, cost the survey a hundred megabytes.
pub const MAX_ELEMENTS: usize = 60_000;

impl ParsedPage {
    /// Parses HTML text (up to [`MAX_NESTING`] elements deep and [`MAX_ELEMENTS`] elements).
    pub fn parse(url: Url, text: &str) -> ParsedPage {
        ParsedPage {
            url,
            html: Html::parse_document(&text[..within_limits(text, MAX_NESTING, MAX_ELEMENTS)]),
        }
    }

    /// The base URL for relative links: `<base href>` when present and valid, else the page URL.
    pub fn base_url(&self) -> Url {
        use std::sync::LazyLock;
        static BASE: LazyLock<scraper::Selector> =
            LazyLock::new(|| scraper::Selector::parse("base[href]").expect("static selector"));
        self.html
            .select(&BASE)
            .next()
            .and_then(|b| b.value().attr("href"))
            .and_then(|h| self.url.join(h.trim()).ok())
            .unwrap_or_else(|| self.url.clone())
    }

    /// Extracts the compact facts.
    pub fn facts(&self) -> PageFacts {
        facts::extract(self)
    }
}

/// The length of the longest prefix of `html` whose element nesting stays within `max`, by a
/// linear estimate: start tags minus end tags, leaving out void elements, self-closing tags and
/// elements whose end tag may be omitted (`p`, `li`, `td`…, which the parser closes itself), and
/// skipping comments and the text of `script`, `style`, `textarea` and `title`. It overcounts
/// rather than under, so a cut page really was that deep or broken.
pub fn within_nesting(html: &str, max: usize) -> usize {
    within_limits(html, max, usize::MAX)
}

/// Like [`within_nesting`], and also cut before the start tag that would be the
/// `max_elements + 1`-th (every start tag counts, void ones too: each is a node).
pub fn within_limits(html: &str, max: usize, max_elements: usize) -> usize {
    const UNCOUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param", "keygen", "frame", "html", "head", "body", "p", "li", "dt", "dd",
        "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption",
        "rb", "rt", "rtc", "rp",
    ];
    const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noembed"];
    let bytes = html.as_bytes();
    let find = |from: usize, needle: &[u8]| {
        bytes[from.min(bytes.len())..]
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map_or(bytes.len(), |p| from + p)
    };
    let mut depth = 0usize;
    let mut elements = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let Some(lt) = bytes[i..].iter().position(|&b| b == b'<').map(|p| i + p) else {
            break;
        };
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            i = find(lt + 4, b"-->") + 3;
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        let name_len = bytes[name_start.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i = lt + 1; // text, `<!doctype>`, `<?…>`
            continue;
        }
        if !closing {
            elements += 1;
            if elements > max_elements {
                return lt;
            }
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = find(name_start + name_len, b">");
        i = end + 1;
        if UNCOUNTED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if bytes.get(end.wrapping_sub(1)) == Some(&b'/') {
            // `<svg/>`: self-closing, opens nothing
        } else if RAW_TEXT.contains(&name.as_str()) {
            let close = format!("</{name}");
            i = find(i, close.as_bytes());
        } else {
            depth += 1;
            if depth > max {
                return lt;
            }
        }
    }
    html.len()
}

/// Collapses runs of whitespace to single spaces and trims.
pub fn normalise_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_html_nested_deeper_than_the_limit() {
        let deep = format!(
            "<main>{}<a href=/x>x</a>{}",
            "<div>".repeat(50),
            "</div>".repeat(50)
        );
        let cut = within_nesting(&deep, 10);
        assert_eq!(&deep[..cut], format!("<main>{}", "<div>".repeat(9)));
        assert_eq!(
            within_nesting(&deep, 52),
            deep.len(),
            "main, 50 divs and the link"
        );
    }

    #[test]
    fn cuts_before_the_element_past_the_limit() {
        let flat = "<p>a<br>".repeat(100);
        let cut = within_limits(&flat, MAX_NESTING, 150);
        assert_eq!(&flat[..cut], "<p>a<br>".repeat(75));
        assert_eq!(within_limits(&flat, MAX_NESTING, 200), flat.len());
    }

    #[test]
    fn does_not_count_void_optional_self_closing_or_raw_text() {
        let flat = format!(
            "<!doctype html><html><body>{}<!-- <div><div> --><script>'<div><div>'</script><svg/>",
            "<p>a<li>b<td>c<br><img src=x><input>".repeat(100)
        );
        assert_eq!(within_nesting(&flat, 3), flat.len());
        let balanced = "<div><span>x</span></div>".repeat(1000);
        assert_eq!(within_nesting(&balanced, 2), balanced.len());
        for odd in [
            "",
            "<",
            "</",
            "<!--",
            "<a",
            "a < b",
            "<script>",
            "</div></div>",
        ] {
            assert_eq!(within_nesting(odd, 1), odd.len(), "{odd:?}");
        }
    }
}
