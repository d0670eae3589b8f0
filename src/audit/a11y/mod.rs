//! Accessibility: WCAG 2.2 A/AA findings decided from a page's HTML and CSS, without a browser.
//!
//! (Rules are being built under issue 4.) The contract: [`audit_page`] takes a parsed page and
//! returns its findings; what cannot be decided statically is never reported as a pass.

use serde::{Deserialize, Serialize};

use crate::page::ParsedPage;
use crate::ruleset::AccessibilitySettings;

/// How much a failure matters to the people it blocks (axe-core's scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Blocks some people completely.
    Critical,
    /// Seriously hinders.
    Serious,
    /// Hinders.
    Moderate,
    /// An annoyance.
    Minor,
}

impl Impact {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Critical => "critical",
            Impact::Serious => "serious",
            Impact::Moderate => "moderate",
            Impact::Minor => "minor",
        }
    }
}

/// A finding's outcome. Passes are not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// The element fails the rule.
    Failed,
    /// The rule applies but cannot be decided statically (needs review).
    CantTell,
}

impl Outcome {
    /// The name used in files (`failed`, `cantTell`).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Failed => "failed",
            Outcome::CantTell => "cantTell",
        }
    }
}

/// One accessibility finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule's id, e.g. `image-alt`.
    pub rule: String,
    /// Failed or cannot tell.
    pub outcome: Outcome,
    /// WCAG success criteria, e.g. `1.1.1`.
    pub wcag: Vec<String>,
    /// W3C ACT rule ids.
    pub act: Vec<String>,
    /// Impact.
    pub impact: Impact,
    /// A CSS selector to the element (empty for page- and site-level findings).
    pub selector: String,
    /// A short snippet of the element's markup.
    pub snippet: String,
    /// What is wrong, for a person.
    pub message: String,
}

/// The stylesheets a site links to (placeholder until the rules land).
#[derive(Debug, Default, Clone)]
pub struct SiteCss {
    sheets: std::collections::HashSet<url::Url>,
}

impl SiteCss {
    /// No linked stylesheets.
    pub fn empty() -> SiteCss {
        SiteCss::default()
    }

    /// Adds one stylesheet.
    pub fn insert(&mut self, url: url::Url, _text: &str) {
        self.sheets.insert(url);
    }

    /// Whether the sheet at `url` is known.
    pub fn contains(&self, url: &url::Url) -> bool {
        self.sheets.contains(url)
    }
}

/// What the site rules need to know about one crawled page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSummary {
    /// The page URL.
    pub url: url::Url,
    /// Its `<title>` text, if any.
    pub title: Option<String>,
    /// Whether it links to the accessibility statement.
    pub links_to_statement: bool,
}

/// Site-level findings over the crawled pages.
pub fn site_findings(_pages: &[PageSummary], _settings: &AccessibilitySettings) -> Vec<Finding> {
    Vec::new()
}

/// Audits one page.
pub fn audit_page(
    _page: &ParsedPage,
    _css: &SiteCss,
    _settings: &AccessibilitySettings,
) -> Vec<Finding> {
    Vec::new()
}
