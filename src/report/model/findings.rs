//! A council's accessibility findings grouped by rule, worst first, with where each was seen and
//! how to fix it.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::audit::a11y::{Finding, Outcome};
use crate::report::format::web_href;

/// Where a finding was seen.
#[derive(Debug, Clone, Serialize)]
pub struct FindingPlace {
    /// The page's URL.
    pub url: String,
    /// The same, when it is safe to link.
    pub href: Option<String>,
    /// The page's title, when known.
    pub title: Option<String>,
    /// The element's selector.
    pub selector: String,
    /// The element's markup.
    pub snippet: String,
    /// Seen in the page as a browser rendered it, not in the page as served.
    pub rendered: bool,
}

/// The findings of one rule on one council's site.
#[derive(Debug, Clone, Serialize)]
pub struct RuleGroupView {
    /// Rule id.
    pub rule: String,
    /// WCAG success criteria, e.g. "1.1.1".
    pub wcag: String,
    /// Worst impact.
    pub impact: String,
    /// "Failed" or "Needs review".
    pub outcome: String,
    /// Findings.
    pub count: usize,
    /// What is wrong (the first finding's message).
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// Where, at most [`MAX_PLACES`].
    pub places: Vec<FindingPlace>,
    /// Places left out of `places`.
    pub more: usize,
    /// Findings seen in a page as a browser rendered it (of `count`).
    pub rendered: usize,
}

/// Places listed per rule on a council page.
pub const MAX_PLACES: usize = 10;

/// How to fix a rule's findings: the rule's own advice (which names the element and the fix);
/// for ids the registry no longer knows (older runs), a short list, else the WCAG criteria.
fn fix_for(rule: &str, wcag: &str) -> String {
    if let Some(info) = crate::audit::a11y::rule_info(rule) {
        return info.advice.to_string();
    }
    let fix = match rule {
        "image-alt" => {
            "Give every informative image an alt text that says what it shows; give decorative images alt=\"\"."
        }
        "html-has-lang" | "html-lang-valid" => {
            "Set the page language on the html element, e.g. lang=\"en-GB\"."
        }
        "document-title" => "Give each page a unique title that says what the page is for.",
        "label" | "form-label" => {
            "Give every form field a visible label tied to it with <label for> or aria-labelledby."
        }
        "link-name" => {
            "Give every link text that makes sense on its own (not just an icon or an image without alt)."
        }
        "button-name" => "Give every button a text or an aria-label.",
        "color-contrast" => {
            "Raise the contrast of text against its background to at least 4.5:1 (3:1 for large text)."
        }
        "heading-order" => "Use headings in order without skipping levels.",
        "duplicate-id" => "Give each id on a page a unique value.",
        "meta-viewport" => {
            "Do not stop people zooming: remove user-scalable=no and maximum-scale below 2."
        }
        "frame-title" => "Give every iframe a title that says what it holds.",
        "link-purpose" | "link-in-text" => {
            "Replace \"click here\" and \"read more\" with text that names the destination."
        }
        "accessibility-statement" => {
            "Publish an accessibility statement and link to it from every page."
        }
        _ => "",
    };
    if fix.is_empty() {
        if wcag.is_empty() {
            "See the rule's documentation.".into()
        } else {
            format!(
                "Meet WCAG 2.2 success criterion {wcag}; see the W3C's Understanding WCAG 2.2 page for it."
            )
        }
    } else {
        fix.into()
    }
}

pub(super) fn group_findings(
    findings: &[(String, Finding)],
    titles: Option<&HashMap<String, String>>,
) -> Vec<RuleGroupView> {
    let mut by_rule: BTreeMap<&str, Vec<&(String, Finding)>> = BTreeMap::new();
    for f in findings {
        by_rule.entry(f.1.rule.as_str()).or_default().push(f);
    }
    let mut groups: Vec<(crate::audit::a11y::Impact, bool, RuleGroupView)> = by_rule
        .into_iter()
        .map(|(rule, list)| {
            let worst = list
                .iter()
                .map(|f| f.1.impact)
                .min()
                .unwrap_or(crate::audit::a11y::Impact::Minor);
            let failed = list.iter().any(|f| f.1.outcome == Outcome::Failed);
            let first = &list[0].1;
            let wcag = first.wcag.join(", ");
            let places: Vec<FindingPlace> = list
                .iter()
                .take(MAX_PLACES)
                .map(|(url, f)| FindingPlace {
                    url: url.clone(),
                    href: web_href(url),
                    title: titles.and_then(|t| t.get(url)).cloned(),
                    selector: f.selector.clone(),
                    snippet: f.snippet.clone(),
                    rendered: f.rendered,
                })
                .collect();
            (
                worst,
                failed,
                RuleGroupView {
                    rule: rule.into(),
                    fix: fix_for(rule, &wcag),
                    wcag,
                    impact: worst.as_str().into(),
                    outcome: if failed { "Failed" } else { "Needs review" }.into(),
                    count: list.len(),
                    message: first.message.clone(),
                    more: list.len().saturating_sub(MAX_PLACES),
                    rendered: list.iter().filter(|f| f.1.rendered).count(),
                    places,
                },
            )
        })
        .collect();
    // Failures before "needs review", then worst impact, then most findings.
    groups.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(a.0.cmp(&b.0))
            .then(b.2.count.cmp(&a.2.count))
    });
    groups.into_iter().map(|g| g.2).collect()
}
