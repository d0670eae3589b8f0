//! Long passages are not in capitals. Best practice: text in capitals loses the shapes of
//! words that readers (and many people with dyslexia or low vision) rely on, and screen
//! readers may spell capitalised words out as acronyms. Related to WCAG 1.4.8 (AAA); no WCAG
//! A/AA failure, no ACT rule.

use super::super::{Impact, Outcome, Rule, RuleInfo};
use super::{own_text, seen, words};

/// The share of letters in capitals (or shown in capitals by `text-transform`).
fn capital_share(text: &str) -> (usize, f64) {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return (0, 0.0);
    }
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    (letters.len(), upper as f64 / letters.len() as f64)
}

/// Passages of five words or more in capitals.
pub static ALL_CAPS: Rule = Rule {
    info: RuleInfo {
        id: "all-caps-text",
        title: "Passages of text are not in capitals",
        wcag: &[],
        act: &[],
        impact: Impact::Minor,
        advice: "Write the passage in sentence case; for emphasis use bold or a heading, not capitals (or text-transform: uppercase).",
        best_practice: true,
    },
    check: |cx, out| {
        for i in 0..cx.nodes.len() {
            let n = &cx.nodes[i];
            if !super::has_own_text(cx, i)
                || !seen(cx, i)
                || n.aria_hidden
                || matches!(n.tag, "script" | "style" | "title")
            {
                continue;
            }
            let text = own_text(cx, i);
            let count = words(&text).count();
            if count < 8 {
                continue;
            }
            let (letters, share) = capital_share(&text);
            if letters >= 40 && (share >= 0.9 || n.uppercase) {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("{count} words are written in capitals"),
                );
                if out.full() {
                    return;
                }
            }
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::outcomes;
    use super::*;

    #[test]
    fn long_capitals_are_flagged() {
        let caps = "<p>YOU AGREE THROUGH THE ACT OF CALLING THE MUSIC LINE OR BY READING ANY PART OF THESE TERMS</p>";
        assert_eq!(outcomes(&ALL_CAPS, caps), (1, 0));
        let css = r#"<p style="text-transform: uppercase">You agree through the act of calling the music line or by reading any part of these terms</p>"#;
        assert_eq!(outcomes(&ALL_CAPS, css), (1, 0));
        assert_eq!(
            outcomes(
                &ALL_CAPS,
                "<p>Contact the NHS or DVLA about your MOT and HGV licence today please</p>"
            ),
            (0, 0)
        );
        assert_eq!(outcomes(&ALL_CAPS, "<p>COUNCIL TAX</p>"), (0, 0));
    }
}
