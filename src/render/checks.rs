//! A rendered page audited: the static rules on the DOM after scripts, corrected by what the
//! keyboard walk saw, plus the rendered rules ([`crate::audit::a11y::rendered`]). Every
//! finding is marked rendered.

use crate::audit::a11y::rendered::{self, Measurements};
use crate::audit::a11y::{Cut, Finding, Outcome, SiteCss, audit_rendered_dom, doubt_scripted};
use crate::page::ParsedPage;
use crate::ruleset::AccessibilitySettings;

use super::RenderedPage;

/// Static rules the rendered ones replace: they guess from CSS what the browser measures.
const SUPERSEDED: &[&str] = &["focus-outline-removed"];

/// The rule whose static verdict the keyboard walk can overturn: an element inside
/// `aria-hidden` that is focusable in the markup but never keeps focus (a sentinel that sends
/// focus elsewhere) is not in the sequential focus order.
const HIDDEN_FOCUS: &str = "aria-hidden-focus";

/// Audits a rendered page.
pub fn audit(
    page: &RenderedPage,
    css: &SiteCss,
    settings: &AccessibilitySettings,
    aaa: bool,
) -> (Vec<Finding>, Vec<Cut>) {
    let parsed = ParsedPage::parse(page.url.clone(), &page.html);
    let (mut findings, cuts) = audit_rendered_dom(&parsed, css, settings, aaa);
    findings.retain(|f| !SUPERSEDED.contains(&f.rule.as_str()));
    walk_corrections(&mut findings, &page.measurements);
    let mut measured = rendered::findings(
        &page.measurements,
        &settings.disabled_rules,
        settings.max_findings_per_rule.max(1),
    );
    if page.scripts_missing > 0 {
        // The page ran without some of its scripts: what they would have done is unknown.
        doubt_scripted(&parsed, &mut findings);
        if page.measurements.focus_listeners {
            for f in measured
                .iter_mut()
                .filter(|f| f.rule == rendered::FOCUS_VISIBLE.id)
            {
                f.outcome = Outcome::CantTell;
                f.message.push_str(" (Some of the page's scripts could not be loaded, and the page listens for focus: with them, focus may show.)");
            }
        }
    }
    findings.extend(measured);
    (findings, cuts)
}

fn walk_corrections(findings: &mut Vec<Finding>, m: &Measurements) {
    let held_hidden = m.stops.iter().any(|s| s.key.is_some() && s.aria_hidden);
    if held_hidden {
        return;
    }
    if m.walk_complete {
        findings.retain(|f| f.rule != HIDDEN_FOCUS);
    } else {
        for f in findings.iter_mut().filter(|f| f.rule == HIDDEN_FOCUS) {
            f.outcome = Outcome::CantTell;
            f.message
                .push_str(" (The keyboard walk stopped before reaching it.)");
        }
    }
}
