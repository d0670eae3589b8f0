//! Accessibility: WCAG 2.2 A/AA findings decided from a page's HTML and CSS, without a browser.
//!
//! [`audit_page`] walks the parsed page once ([`dom::Ctx`]: roles, computed styles, what is in
//! the accessibility tree, accessible names), then runs every rule of [`RULES`] over the
//! elements it wants. Each rule names its WCAG 2.2 success criteria, its W3C ACT rule ids, an
//! impact and fix advice ([`RuleInfo`]). A rule reports `failed` only when the markup and CSS
//! decide it; when the answer depends on script, layout, images or media it reports
//! `cantTell`. Nothing is ever reported as a pass: [`NOT_TESTED`] lists the WCAG 2.2 A/AA
//! criteria that need a person.
//!
//! Site-level rules (the same title on many pages, a link to an accessibility statement) work
//! over per-page summaries: [`site_findings`]. The `civicscan audit` command lives in [`cli`].

use serde::{Deserialize, Serialize};

use crate::page::ParsedPage;
use crate::ruleset::AccessibilitySettings;

pub mod aria;
pub mod cli;
pub mod css;
pub mod dom;
mod hints;
mod lang;
pub mod values;

mod aria_rules;
mod contrast;
mod focus;
mod forms;
mod images;
mod names;
mod page_rules;
pub mod rendered;
mod rules;
mod script;
mod site;
mod spacing;
mod structure;

pub use css::SiteCss;
pub use dom::Ctx;
pub use site::{PageSummary, SITE_RULES, site_findings};

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
    /// Whether it came from a page rendered in a browser (the DOM after scripts, or a
    /// measurement of the rendered page) rather than from the HTML as served.
    #[serde(default)]
    pub rendered: bool,
}

impl Finding {
    /// Whether this finding counts against a council: a failed WCAG 2.2 A/AA success
    /// criterion. Best practice and "cannot tell" findings never count towards the
    /// accessibility score or pass; reports show them apart. The rule registry decides (so
    /// findings stored by an older version follow today's mapping); a rule it no longer knows
    /// counts when it named a criterion.
    pub fn is_wcag_failure(&self) -> bool {
        self.outcome == Outcome::Failed
            && rule_info(&self.rule).map_or(!self.wcag.is_empty(), |r| {
                !r.best_practice && !r.wcag.is_empty()
            })
    }

    /// Whether the finding is from a best-practice rule (no WCAG 2.2 A/AA criterion).
    pub fn is_best_practice(&self) -> bool {
        rule_info(&self.rule).map_or(self.wcag.is_empty(), |r| r.best_practice)
    }
}

/// What a rule is, for reports and docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// A stable id, e.g. `image-alt`.
    pub id: &'static str,
    /// What the rule checks, in one line.
    pub title: &'static str,
    /// WCAG 2.2 success criteria (empty for best practice).
    pub wcag: &'static [&'static str],
    /// W3C ACT rule ids this rule implements.
    pub act: &'static [&'static str],
    /// Impact of a failure.
    pub impact: Impact,
    /// How to fix a failure, in one or two sentences.
    pub advice: &'static str,
    /// Best practice rather than a WCAG 2.2 A/AA requirement.
    pub best_practice: bool,
}

/// A rule: its metadata and its check. Every check has the same signature: it reads the page
/// context and reports through the sink.
pub struct Rule {
    /// Metadata.
    pub info: RuleInfo,
    /// The check.
    pub check: fn(&Ctx<'_>, &mut Sink<'_>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.info.id).finish()
    }
}

/// Collects one rule's findings on one page, capped at `max_findings_per_rule`, building
/// selectors and snippets only for what is kept.
pub struct Sink<'s> {
    info: &'static RuleInfo,
    out: &'s mut Vec<Finding>,
    count: usize,
    cap: usize,
}

impl Sink<'_> {
    /// Reports element `i`.
    pub fn element(
        &mut self,
        cx: &Ctx<'_>,
        i: usize,
        outcome: Outcome,
        message: impl Into<String>,
    ) {
        if self.count >= self.cap {
            self.count += 1;
            return;
        }
        let (selector, snippet) = (cx.selector(i), cx.snippet(i));
        self.push(outcome, selector, snippet, message.into());
    }

    /// Reports the page as a whole.
    pub fn page(&mut self, outcome: Outcome, message: impl Into<String>) {
        if self.count >= self.cap {
            self.count += 1;
            return;
        }
        self.push(outcome, String::new(), String::new(), message.into());
    }

    /// Whether the cap has been reached (rules may stop early).
    pub fn full(&self) -> bool {
        self.count >= self.cap
    }

    fn push(&mut self, outcome: Outcome, selector: String, snippet: String, message: String) {
        self.count += 1;
        self.out.push(Finding {
            rule: self.info.id.to_string(),
            outcome,
            wcag: self.info.wcag.iter().map(|s| s.to_string()).collect(),
            act: self.info.act.iter().map(|s| s.to_string()).collect(),
            impact: self.info.impact,
            selector,
            snippet,
            message,
            rendered: false,
        });
    }
}

/// Every rule, in report order.
pub static RULES: &[&Rule] = &[
    &images::IMAGE_ALT,
    &images::INPUT_IMAGE_ALT,
    &images::SVG_IMG_ALT,
    &images::OBJECT_ALT,
    &images::AREA_ALT,
    &images::ROLE_IMG_ALT,
    &images::ALT_FILENAME,
    &images::PRESENTATION_EXPOSED,
    &images::SERVER_SIDE_IMAGE_MAP,
    &rules::image_alt_placeholder::IMAGE_ALT_PLACEHOLDER,
    &rules::image_alt_prefix::IMAGE_ALT_PREFIX,
    &rules::image_redundant_alt::IMAGE_REDUNDANT_ALT,
    &rules::decorative_title::DECORATIVE_TITLE,
    &rules::image_of_text::IMAGE_OF_TEXT,
    &forms::FIELD_NAME,
    &forms::LABEL_TITLE_ONLY,
    &forms::MULTIPLE_LABELS,
    &forms::LABEL_FOR_MISSING,
    &forms::AUTOCOMPLETE_VALID,
    &rules::radio_group::RADIO_GROUP,
    &rules::required_colour::REQUIRED_COLOUR,
    &rules::required_asterisk::REQUIRED_ASTERISK,
    &rules::select_onchange::SELECT_ONCHANGE,
    &names::BUTTON_NAME,
    &names::LINK_NAME,
    &names::SELECT_NAME,
    &names::FRAME_TITLE,
    &names::SUMMARY_NAME,
    &names::MENUITEM_NAME,
    &names::HEADING_NAME,
    &names::LINK_PURPOSE,
    &names::LINK_IN_CONTEXT,
    &names::LINK_DOCUMENT_FORMAT,
    &page_rules::DOCUMENT_TITLE,
    &page_rules::TITLE_PLACEHOLDER,
    &page_rules::HTML_HAS_LANG,
    &page_rules::HTML_LANG_VALID,
    &page_rules::HTML_XML_LANG_MISMATCH,
    &page_rules::VALID_LANG,
    &page_rules::META_REFRESH,
    &page_rules::META_VIEWPORT,
    &page_rules::AUTOPLAY_AUDIO,
    &rules::video_caption::VIDEO_CAPTION,
    &page_rules::BLINK,
    &page_rules::MARQUEE,
    &page_rules::BYPASS,
    &page_rules::SKIP_LINK,
    &page_rules::LANDMARK_MAIN,
    &page_rules::DUPLICATE_ID,
    &rules::duplicate_id_referenced::DUPLICATE_ID_REFERENCED,
    &rules::lang_of_parts::LANG_OF_PARTS,
    &page_rules::ORIENTATION_LOCK,
    &structure::TABINDEX,
    &rules::click_focusable::CLICK_FOCUSABLE,
    &rules::focus_blur::FOCUS_BLUR,
    &structure::EMPTY_HEADING_ORDER,
    &rules::p_as_heading::P_AS_HEADING,
    &structure::LIST,
    &structure::LISTITEM,
    &structure::DEFINITION_LIST,
    &structure::DLITEM,
    &structure::TD_HEADERS,
    &structure::TH_HAS_CELLS,
    &rules::table_headers::TABLE_HEADERS,
    &rules::layout_table::LAYOUT_TABLE,
    &aria_rules::ROLE_VALID,
    &aria_rules::ATTR_DEFINED,
    &aria_rules::ATTR_VALUE,
    &aria_rules::REQUIRED_ATTR,
    &aria_rules::ATTR_ALLOWED,
    &aria_rules::PROHIBITED_ATTR,
    &aria_rules::REQUIRED_CONTEXT,
    &aria_rules::REQUIRED_OWNED,
    &aria_rules::HIDDEN_FOCUS,
    &aria_rules::PRESENTATIONAL_CHILDREN,
    &aria_rules::NESTED_INTERACTIVE,
    &aria_rules::FRAME_FOCUSABLE,
    &spacing::LETTER_SPACING,
    &spacing::WORD_SPACING,
    &spacing::LINE_HEIGHT,
    &rules::justified_text::JUSTIFIED_TEXT,
    &rules::all_caps::ALL_CAPS,
    &rules::tiny_text::TINY_TEXT,
    &contrast::COLOR_CONTRAST,
    &focus::FOCUS_OUTLINE,
];

/// Rules for WCAG AAA criteria, run only on request ([`audit_page_with`]): they would be noise
/// in an A/AA survey, but the ACT harness scores them.
pub static AAA_RULES: &[&Rule] = &[
    &contrast::COLOR_CONTRAST_ENHANCED,
    &page_rules::META_REFRESH_NO_EXCEPTION,
];

/// The metadata of every rule, for reports ("how to fix") and docs.
pub fn rule_infos() -> impl Iterator<Item = &'static RuleInfo> {
    RULES
        .iter()
        .chain(AAA_RULES)
        .map(|r| &r.info)
        .chain(rendered::RENDERED_RULES.iter().copied())
}

/// The metadata of one rule (page- and site-level rules included).
pub fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    rule_infos()
        .chain(site::SITE_RULES.iter())
        .find(|r| r.id == id)
}

/// WCAG 2.2 A and AA success criteria this audit does not decide automatically: a person must
/// check them (or they need media, layout or behaviour a static audit cannot see). The report
/// lists them as "not tested", never as passed.
pub const NOT_TESTED: &[&str] = &[
    "1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.3.2", "1.3.3", "1.3.4", "1.4.1", "1.4.5",
    "1.4.10", "1.4.11", "1.4.13", "2.1.1", "2.1.2", "2.1.4", "2.2.1", "2.2.2", "2.3.1", "2.4.3",
    "2.4.5", "2.4.6", "2.4.7", "2.4.11", "2.5.1", "2.5.2", "2.5.3", "2.5.4", "2.5.7", "2.5.8",
    "3.1.2", "3.2.1", "3.2.2", "3.2.3", "3.2.4", "3.2.6", "3.3.1", "3.3.3", "3.3.4", "3.3.7",
    "3.3.8", "4.1.3",
];

/// Audits one page against every enabled rule. `css` holds the site's linked stylesheets
/// (those the page links to but `css` lacks are treated as unknown, which can only turn
/// colour findings into "cannot tell").
pub fn audit_page(
    page: &ParsedPage,
    css: &SiteCss,
    settings: &AccessibilitySettings,
) -> Vec<Finding> {
    audit_page_with(page, css, settings, false)
}

/// Audits one page, with the AAA rules too when `aaa` is set.
pub fn audit_page_with(
    page: &ParsedPage,
    css: &SiteCss,
    settings: &AccessibilitySettings,
    aaa: bool,
) -> Vec<Finding> {
    audit_page_counted(page, css, settings, aaa).0
}

/// A rule whose findings on a page were cut at `max_findings_per_rule`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cut {
    /// The rule.
    pub rule: &'static str,
    /// Findings kept.
    pub shown: usize,
    /// Findings found.
    pub found: usize,
}

/// Audits one page and says which rules' findings were cut at the cap.
pub fn audit_page_counted(
    page: &ParsedPage,
    css: &SiteCss,
    settings: &AccessibilitySettings,
    aaa: bool,
) -> (Vec<Finding>, Vec<Cut>) {
    let (mut out, cuts) = run_rules(page, css, settings, aaa, true);
    let scripts = script::Scripts::read(page);
    scripts.doubt(page, &mut out);
    (out, cuts)
}

/// Audits the DOM a browser built after running the page's scripts (the render stage's
/// input): the same rules as [`audit_page_counted`], without the doubts about script, which
/// has run. Findings are marked rendered.
pub fn audit_rendered_dom(
    page: &ParsedPage,
    css: &SiteCss,
    settings: &AccessibilitySettings,
    aaa: bool,
) -> (Vec<Finding>, Vec<Cut>) {
    let (mut out, cuts) = run_rules(page, css, settings, aaa, false);
    for f in &mut out {
        f.rendered = true;
    }
    (out, cuts)
}

/// Doubts, as the static audit does, the failures a page's scripts could change (see the
/// `script` module): for a rendered page that ran without some of its scripts.
pub fn doubt_scripted(page: &ParsedPage, findings: &mut [Finding]) {
    script::Scripts::read(page).doubt(page, findings);
}

fn run_rules(
    page: &ParsedPage,
    css: &SiteCss,
    settings: &AccessibilitySettings,
    aaa: bool,
    static_html: bool,
) -> (Vec<Finding>, Vec<Cut>) {
    let shadow = static_html && script::Scripts::read(page).builds_shadow;
    let cx = Ctx::build_with(page, css, settings, !static_html);
    let mut out = Vec::new();
    let mut cuts = Vec::new();
    let cap = settings.max_findings_per_rule.max(1);
    let extra: &[&Rule] = if aaa { AAA_RULES } else { &[] };
    for rule in RULES.iter().chain(extra) {
        if settings.disabled_rules.iter().any(|d| d == rule.info.id) {
            continue;
        }
        let first = out.len();
        let mut sink = Sink {
            info: &rule.info,
            out: &mut out,
            count: 0,
            cap,
        };
        (rule.check)(&cx, &mut sink);
        if shadow
            && !sink.out[first..]
                .iter()
                .any(|f| f.outcome == Outcome::Failed)
        {
            sink.page(
                Outcome::CantTell,
                "This page builds part of its content by script (shadow DOM or custom elements), which the HTML as served does not show; render it (--render) to check that content.",
            );
        }
        if sink.count > cap {
            cuts.push(Cut {
                rule: rule.info.id,
                shown: cap,
                found: sink.count,
            });
        }
    }
    (out, cuts)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the rule unit tests.
    use super::*;

    /// Settings with a generous cap.
    pub fn settings() -> AccessibilitySettings {
        AccessibilitySettings {
            disabled_rules: Vec::new(),
            max_findings_per_rule: 50,
            duplicate_title_min_pages: 3,
        }
    }

    /// Runs one rule on a document and returns its findings.
    pub fn run(rule: &'static Rule, html: &str) -> Vec<Finding> {
        run_on(rule, html, false)
    }

    /// Runs one rule on a document as the render stage serialised it (its paint attributes
    /// read as the browser's).
    pub fn run_rendered(rule: &'static Rule, html: &str) -> Vec<Finding> {
        run_on(rule, html, true)
    }

    fn run_on(rule: &'static Rule, html: &str, rendered: bool) -> Vec<Finding> {
        let url = url::Url::parse("https://example.gov.uk/page").expect("static url");
        let page = ParsedPage::parse(url, html);
        let settings = settings();
        let cx = Ctx::build_with(&page, &SiteCss::empty(), &settings, rendered);
        let mut out = Vec::new();
        let mut sink = Sink {
            info: &rule.info,
            out: &mut out,
            count: 0,
            cap: 50,
        };
        (rule.check)(&cx, &mut sink);
        out
    }

    /// Wraps a body fragment in a valid page.
    pub fn doc(body: &str) -> String {
        format!(
            "<!doctype html><html lang=\"en\"><head><title>Test page</title></head><body>{body}</body></html>"
        )
    }

    /// Failed findings of a rule on a fragment.
    pub fn fails(rule: &'static Rule, body: &str) -> usize {
        run(rule, &doc(body))
            .iter()
            .filter(|f| f.outcome == Outcome::Failed)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_either_wcag_or_best_practice() {
        let mut ids: Vec<&str> = Vec::new();
        for r in rule_infos().chain(site::SITE_RULES.iter()) {
            assert!(!ids.contains(&r.id), "duplicate rule id {}", r.id);
            ids.push(r.id);
            if r.id == site::ACCESSIBILITY_STATEMENT.id {
                continue; // a legal requirement (PSBAR 2018), neither WCAG nor best practice
            }
            assert_eq!(
                r.best_practice,
                r.wcag.is_empty(),
                "{}: best practice rules name no criterion, WCAG rules name theirs",
                r.id
            );
            assert!(r.advice.len() > 20, "{} has advice", r.id);
        }
    }

    #[test]
    fn only_failed_wcag_findings_count_against_a_site() {
        let finding = |rule: &str, outcome: Outcome| Finding {
            rule: rule.into(),
            outcome,
            wcag: rule_info(rule).map_or(vec!["1.1.1".into()], |r| {
                r.wcag.iter().map(|s| s.to_string()).collect()
            }),
            act: Vec::new(),
            impact: Impact::Serious,
            selector: String::new(),
            snippet: String::new(),
            message: String::new(),
            rendered: false,
        };
        assert!(finding("image-alt", Outcome::Failed).is_wcag_failure());
        assert!(!finding("image-alt", Outcome::CantTell).is_wcag_failure());
        for bp in [
            "heading-order",
            "empty-heading",
            "tabindex",
            "link-text-vague",
            "link-document-format",
        ] {
            let f = finding(bp, Outcome::Failed);
            assert!(!f.is_wcag_failure() && f.is_best_practice(), "{bp}");
        }
        // A finding stored by an older version under the old mapping follows today's.
        let mut old = finding("heading-order", Outcome::Failed);
        old.wcag = vec!["1.3.1".into()];
        assert!(!old.is_wcag_failure());
        assert!(finding("retired-rule", Outcome::Failed).is_wcag_failure());
        assert_eq!(rule_info("label").map(|r| r.wcag), Some(&["4.1.2"][..]));
        assert_eq!(
            rule_info("select-name").map(|r| r.wcag),
            Some(&["4.1.2"][..])
        );
    }
}
