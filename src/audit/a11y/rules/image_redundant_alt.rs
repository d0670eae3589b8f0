//! Alt text does not repeat the link or button text beside it. Best practice, as axe-core's
//! `image-redundant-alt` (technique H2, combining adjacent image and text links, is the fix);
//! no WCAG failure, no ACT rule. Screen reader users hear the same words twice.

use super::super::{Impact, Outcome, Rule, RuleInfo};
use super::text_of;

fn norm(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Alt text that repeats the surrounding link or button text.
pub static IMAGE_REDUNDANT_ALT: Rule = Rule {
    info: RuleInfo {
        id: "image-redundant-alt",
        title: "Alt text does not repeat the link text beside it",
        wcag: &[],
        act: &[],
        impact: Impact::Minor,
        advice: "Give the image alt=\"\" when the link or button text beside it already says the same, so it is read once.",
        best_practice: true,
    },
    check: |cx, out| {
        for &i in cx.tag("img") {
            let n = &cx.nodes[i];
            let Some(alt) = n.attr("alt").map(norm).filter(|a| !a.is_empty()) else {
                continue;
            };
            if n.hidden() {
                continue;
            }
            let Some(control) = cx
                .ancestors(i)
                .find(|&a| matches!(cx.nodes[a].role, Some("link" | "button")))
            else {
                continue;
            };
            let text = norm(&text_of(cx, control));
            if text == alt || text == format!("{alt} {alt}") {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("Alt text \"{alt}\" repeats the text of its link or button"),
                );
            }
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::outcomes;
    use super::*;

    #[test]
    fn alt_repeating_link_text_is_flagged() {
        let twice =
            r#"<a href="/bins"><img src="bin.png" alt="Bin collections"> Bin collections</a>"#;
        assert_eq!(outcomes(&IMAGE_REDUNDANT_ALT, twice), (1, 0));
        let once = r#"<a href="/bins"><img src="bin.png" alt=""> Bin collections</a>"#;
        assert_eq!(outcomes(&IMAGE_REDUNDANT_ALT, once), (0, 0));
        let alone = r#"<a href="/bins"><img src="bin.png" alt="Bin collections"></a>"#;
        assert_eq!(outcomes(&IMAGE_REDUNDANT_ALT, alone), (0, 0));
    }
}
