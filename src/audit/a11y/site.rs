//! Site-level accessibility rules over per-page summaries of a crawl: the same title on many
//! pages (WCAG 2.4.2 Page Titled) and a link to an accessibility statement (required of UK
//! public bodies by the Public Sector Bodies Accessibility Regulations 2018, reg. 8).
//!
//! The crawler and the lead's wiring build the summaries; nothing here fetches.

use std::collections::BTreeMap;

use url::Url;

use super::{Finding, Impact, Outcome, RuleInfo};
use crate::page::normalise_space;
use crate::ruleset::AccessibilitySettings;

/// What the site rules need to know about one crawled page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSummary {
    /// The page URL.
    pub url: Url,
    /// Its `<title>` text, if any.
    pub title: Option<String>,
    /// Whether it links to the accessibility statement.
    pub links_to_statement: bool,
}

/// The same title on many pages.
pub static DUPLICATE_TITLE: RuleInfo = RuleInfo {
    id: "duplicate-title",
    title: "Pages have distinct titles",
    wcag: &["2.4.2"],
    act: &[],
    impact: Impact::Moderate,
    advice: "Give each page a title that names its own topic, followed by the council's name.",
    best_practice: false,
};

/// A link to the accessibility statement.
pub static ACCESSIBILITY_STATEMENT: RuleInfo = RuleInfo {
    id: "accessibility-statement-link",
    title: "The site links to its accessibility statement",
    wcag: &[],
    act: &[],
    impact: Impact::Serious,
    advice: "Publish an accessibility statement and link to it from every page, usually in the footer (PSBAR 2018).",
    best_practice: false,
};

/// The site-level rules' metadata.
pub static SITE_RULES: &[RuleInfo] = &[DUPLICATE_TITLE, ACCESSIBILITY_STATEMENT];

fn finding(info: &RuleInfo, snippet: String, message: String) -> Finding {
    Finding {
        rule: info.id.to_string(),
        outcome: Outcome::Failed,
        wcag: info.wcag.iter().map(|s| s.to_string()).collect(),
        act: info.act.iter().map(|s| s.to_string()).collect(),
        impact: info.impact,
        selector: String::new(),
        snippet,
        message,
        rendered: false,
    }
}

/// Site-level findings over the crawled pages.
pub fn site_findings(pages: &[PageSummary], settings: &AccessibilitySettings) -> Vec<Finding> {
    let mut out = Vec::new();
    if pages.is_empty() {
        return out;
    }
    let off = |id: &str| settings.disabled_rules.iter().any(|d| d == id);
    if !off(DUPLICATE_TITLE.id) {
        let mut by_title: BTreeMap<String, Vec<&PageSummary>> = BTreeMap::new();
        for p in pages {
            if let Some(t) = &p.title {
                let key = normalise_space(t).to_lowercase();
                if !key.is_empty() {
                    by_title.entry(key).or_default().push(p);
                }
            }
        }
        let min = settings.duplicate_title_min_pages.max(2);
        for (_, ps) in by_title.into_iter().filter(|(_, v)| v.len() >= min) {
            let title = ps[0].title.clone().unwrap_or_default();
            let examples: Vec<&str> = ps.iter().take(3).map(|p| p.url.as_str()).collect();
            out.push(finding(
                &DUPLICATE_TITLE,
                normalise_space(&title),
                format!(
                    "{} pages share the title \"{}\" (e.g. {})",
                    ps.len(),
                    normalise_space(&title),
                    examples.join(", ")
                ),
            ));
            if out.len() >= settings.max_findings_per_rule.max(1) {
                break;
            }
        }
    }
    if !off(ACCESSIBILITY_STATEMENT.id) && !pages.iter().any(|p| p.links_to_statement) {
        out.push(finding(
            &ACCESSIBILITY_STATEMENT,
            String::new(),
            format!(
                "None of the {} pages checked links to an accessibility statement",
                pages.len()
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, title: &str, statement: bool) -> PageSummary {
        PageSummary {
            url: Url::parse(&format!("https://c.gov.uk/{path}")).expect("static url"),
            title: Some(title.to_string()),
            links_to_statement: statement,
        }
    }

    #[test]
    fn fails_when_many_pages_share_a_title_or_no_statement_link() {
        let s = super::super::testing::settings();
        let pages = vec![
            page("a", "Council", false),
            page("b", "council ", false),
            page("c", "Council", false),
            page("d", "Bins", false),
        ];
        let f = site_findings(&pages, &s);
        assert_eq!(f.iter().filter(|f| f.rule == "duplicate-title").count(), 1);
        assert_eq!(
            f.iter()
                .filter(|f| f.rule == "accessibility-statement-link")
                .count(),
            1
        );
        let pages = vec![page("a", "A", true), page("b", "B", false)];
        assert!(site_findings(&pages, &s).is_empty());
    }
}
