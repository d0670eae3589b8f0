//! One parse per page: the parsed DOM ([`ParsedPage`]) and the compact facts kept about it
//! ([`PageFacts`]).
//!
//! The crawler hands over decoded HTML; this module parses it once with `scraper` (html5ever).
//! The accessibility audit reads the DOM; the task, coverage and digital stages read only the
//! facts, which are small enough to keep for every page of a site. The DOM is dropped after the
//! audit. Nothing here does I/O.

mod facts;

pub use facts::{Area, Field, Form, Link, PageFacts};

use scraper::Html;
use url::Url;

/// A parsed HTML page: the DOM plus the URL it was served from (for resolving links).
pub struct ParsedPage {
    /// The final URL (after redirects), the base for relative links unless `<base href>` says otherwise.
    pub url: Url,
    /// The parsed document.
    pub html: Html,
}

impl ParsedPage {
    /// Parses HTML text.
    pub fn parse(url: Url, text: &str) -> ParsedPage {
        ParsedPage {
            url,
            html: Html::parse_document(text),
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
