//! Text is not set in tiny fixed sizes. Best practice: WCAG 1.4.4 (Resize Text) is met when
//! browsers can zoom, which they can with pixel sizes too, so this is no A/AA failure; but
//! text below 10 CSS pixels is hard for many people to read at all. No ACT rule.

use super::super::{Impact, Outcome, Rule, RuleInfo};
use super::{own_text, seen, words};

/// Text in a fixed size below 10px.
pub static TINY_TEXT: Rule = Rule {
    info: RuleInfo {
        id: "tiny-text",
        title: "Text is not smaller than 10 pixels",
        wcag: &[],
        act: &[],
        impact: Impact::Minor,
        advice: "Set the text's font-size to at least 1rem for body text (0.875rem at the smallest), in rem or em rather than a small px value.",
        best_practice: true,
    },
    check: |cx, out| {
        for i in 0..cx.nodes.len() {
            let n = &cx.nodes[i];
            if !seen(cx, i) || n.aria_hidden || !n.font_fixed {
                continue;
            }
            let Some(px) = n.font_px else { continue };
            if !(1.0..10.0).contains(&px) || words(&own_text(cx, i)).next().is_none() {
                continue;
            }
            out.element(cx, i, Outcome::Failed, format!("Text is set at {px:.0}px"));
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
    fn tiny_fixed_text_is_flagged() {
        assert_eq!(
            outcomes(&TINY_TEXT, r#"<p style="font-size: 8px">Terms apply</p>"#),
            (1, 0)
        );
        assert_eq!(
            outcomes(
                &TINY_TEXT,
                r#"<p style="font-size: 0.9rem">Terms apply</p>"#
            ),
            (0, 0)
        );
        assert_eq!(
            outcomes(&TINY_TEXT, r#"<p style="font-size: 12px">Terms apply</p>"#),
            (0, 0)
        );
    }
}
