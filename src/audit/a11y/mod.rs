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

/// Audits one page.
pub fn audit_page(_page: &ParsedPage, _settings: &AccessibilitySettings) -> Vec<Finding> {
    Vec::new()
}
