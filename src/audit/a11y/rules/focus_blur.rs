//! Focus is not thrown away by script. WCAG 2.1.1 (Keyboard), 2.4.7 (Focus Visible) and 3.2.1
//! (On Focus); failure technique F55 (using script to remove focus when focus is received).
//! No ACT rule.
//!
//! `onfocus="blur()"` (or `this.blur()`) sends focus away the moment it arrives: a keyboard
//! user can never rest on the element, see where they are, or activate it. The W3C Before and
//! After Demonstration's inaccessible pages do this on every link.

use super::super::{Impact, Outcome, Rule, RuleInfo};

/// Whether a handler calls `blur()` on the element.
fn blurs(js: &str) -> bool {
    let compact: String = js
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    compact.starts_with("blur()")
        || compact.contains(";blur()")
        || compact.contains("this.blur()")
        || compact.contains("javascript:blur()")
}

/// `onfocus` that blurs.
pub static FOCUS_BLUR: Rule = Rule {
    info: RuleInfo {
        id: "focus-blur",
        title: "Elements keep focus when they receive it",
        wcag: &["2.1.1", "2.4.7", "3.2.1"],
        act: &[],
        impact: Impact::Critical,
        advice: "Remove onfocus=\"blur()\" from the element; if the focus outline is the concern, style :focus instead of removing focus.",
        best_practice: false,
    },
    check: |cx, out| {
        for i in 0..cx.nodes.len() {
            let n = &cx.nodes[i];
            let Some(js) = n.attr("onfocus") else {
                continue;
            };
            if !blurs(js) || n.not_rendered || !cx.is_focusable(i) {
                continue;
            }
            out.element(
                cx,
                i,
                Outcome::Failed,
                "onfocus removes focus as soon as the element receives it, so it cannot be used with a keyboard",
            );
            if out.full() {
                return;
            }
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::outcomes;
    use super::*;

    #[test]
    fn blur_on_focus_fails() {
        assert_eq!(
            outcomes(
                &FOCUS_BLUR,
                r#"<a href="news.html" onFocus="blur();">News</a>"#
            ),
            (1, 0)
        );
        assert_eq!(
            outcomes(
                &FOCUS_BLUR,
                r#"<a href="news.html" onfocus="track(this)">News</a>"#
            ),
            (0, 0)
        );
        assert_eq!(
            outcomes(&FOCUS_BLUR, r#"<a href="/x" onfocus="this.blur()">x</a>"#),
            (1, 0)
        );
    }
}
