//! Blocks of text are not justified. Best practice: WCAG 1.4.8 (Visual Presentation) is AAA;
//! justified text leaves uneven gaps ("rivers") between words that make lines hard to follow
//! for many people with dyslexia. Technique C19 (aligning text left or right). No ACT rule.

use super::super::{Impact, Outcome, Rule, RuleInfo};
use super::{own_text, seen, words};

/// Justified paragraphs of some length.
pub static JUSTIFIED_TEXT: Rule = Rule {
    info: RuleInfo {
        id: "justified-text",
        title: "Paragraphs are not justified",
        wcag: &[],
        act: &[],
        impact: Impact::Minor,
        advice: "Align the paragraph to the left (text-align: left, or remove align=\"justify\") so word spacing stays even.",
        best_practice: true,
    },
    check: |cx, out| {
        for i in 0..cx.nodes.len() {
            let n = &cx.nodes[i];
            if !n.justified || !seen(cx, i) || n.aria_hidden {
                continue;
            }
            // Report the block that set or holds it once: the element whose parent is not
            // justified, when its text (own and inline children) is long.
            if n.parent.is_some_and(|p| cx.nodes[p].justified) {
                continue;
            }
            let text = super::text_of(cx, i);
            if words(&text).count() < 40 && words(&own_text(cx, i)).count() < 40 {
                continue;
            }
            out.element(
                cx,
                i,
                Outcome::Failed,
                "A block of text is justified, which leaves uneven gaps between words",
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
    fn long_justified_paragraph_is_flagged() {
        let long = "word ".repeat(60);
        assert_eq!(
            outcomes(
                &JUSTIFIED_TEXT,
                &format!(r#"<p align="justify">{long}</p>"#)
            ),
            (1, 0)
        );
        assert_eq!(
            outcomes(
                &JUSTIFIED_TEXT,
                &format!(r#"<p style="text-align: justify">{long}</p>"#)
            ),
            (1, 0)
        );
        assert_eq!(outcomes(&JUSTIFIED_TEXT, &format!("<p>{long}</p>")), (0, 0));
        assert_eq!(
            outcomes(&JUSTIFIED_TEXT, r#"<p align="justify">Short line.</p>"#),
            (0, 0)
        );
    }
}
