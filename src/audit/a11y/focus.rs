//! Focus styles that remove the outline without a replacement. WCAG 2.4.7 (Focus Visible).
//! ACT oj04fd needs layout and is not claimed.
//!
//! A stylesheet rule `X:focus { outline: none }` fails when no focus rule for the same
//! selector sets another indicator (border, box-shadow, background, text decoration, colour).
//! Whether the replacement is visible enough is for a person.

use super::{Impact, Outcome, Rule, RuleInfo};

/// `outline: none` on focus with no replacement.
pub static FOCUS_OUTLINE: Rule = Rule {
    info: RuleInfo {
        id: "focus-outline-removed",
        title: "Focus outlines are not removed without a replacement",
        wcag: &["2.4.7"],
        act: &[],
        impact: Impact::Serious,
        advice: "Keep the outline on :focus, or replace it with a clearly visible border or box-shadow.",
        best_practice: false,
    },
    check: |cx, out| {
        let rules: Vec<_> = cx.cascade.focus_rules().collect();
        let mut seen: Vec<&str> = Vec::new();
        for r in &rules {
            if !r.removes_outline || seen.contains(&r.base.as_str()) {
                continue;
            }
            let replaced = rules.iter().any(|o| o.base == r.base && o.replaces);
            if !replaced {
                seen.push(&r.base);
                out.page(
                    Outcome::Failed,
                    format!(
                        "\"{}\" removes the focus outline and sets no other focus style",
                        r.selector
                    ),
                );
            }
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::run;
    use super::*;

    #[test]
    fn fails_outline_none_without_replacement() {
        let html = |css: &str| {
            format!(
                "<html lang=en><head><title>t</title><style>{css}</style></head><body><a href=/>x</a></body></html>"
            )
        };
        assert_eq!(
            run(&FOCUS_OUTLINE, &html("a:focus { outline: none }")).len(),
            1
        );
        assert_eq!(
            run(
                &FOCUS_OUTLINE,
                &html("a:focus { outline: none; box-shadow: 0 0 0 3px #fd0 }")
            )
            .len(),
            0
        );
        assert_eq!(
            run(
                &FOCUS_OUTLINE,
                &html("a:focus { outline: 0 } a:focus { border-bottom: 3px solid }")
            )
            .len(),
            0
        );
    }
}
