//! Alt text does not start "image of…". Best practice (technique H37 advises against it:
//! screen readers already announce an image); no WCAG failure, no ACT rule.

use super::super::{Impact, Outcome, Rule, RuleInfo};

const PREFIXES: &[&str] = &[
    "image of",
    "an image of",
    "picture of",
    "a picture of",
    "photo of",
    "a photo of",
    "photograph of",
    "a photograph of",
    "graphic of",
    "a graphic of",
    "icon of",
    "an icon of",
    "image:",
    "picture:",
    "photo:",
];

/// "Image of…" alt text.
pub static IMAGE_ALT_PREFIX: Rule = Rule {
    info: RuleInfo {
        id: "image-alt-prefix",
        title: "Alt text does not start with \"image of\"",
        wcag: &[],
        act: &[],
        impact: Impact::Minor,
        advice: "Drop \"image of\" / \"picture of\" from the start of the alt text: screen readers already say it is an image.",
        best_practice: true,
    },
    check: |cx, out| {
        for &i in cx.tag("img") {
            let n = &cx.nodes[i];
            let Some(alt) = n.attr("alt") else { continue };
            if n.hidden() {
                continue;
            }
            let lower = alt.trim().to_lowercase();
            if let Some(p) = PREFIXES
                .iter()
                .find(|p| lower.starts_with(**p) && lower.len() > p.len() + 1)
            {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("Alt text starts \"{p}\", which screen readers already announce"),
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
    fn image_of_prefix_is_flagged() {
        assert_eq!(
            outcomes(
                &IMAGE_ALT_PREFIX,
                r#"<img src="a.jpg" alt="Image of the town hall">"#
            ),
            (1, 0)
        );
        assert_eq!(
            outcomes(
                &IMAGE_ALT_PREFIX,
                r#"<img src="a.jpg" alt="The town hall">"#
            ),
            (0, 0)
        );
    }
}
