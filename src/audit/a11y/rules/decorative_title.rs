//! Decorative images have no tooltip. Best practice: an image marked decorative (`alt=""`,
//! `role="presentation"`/`"none"`) with a `title` shows sighted mouse users a tooltip that
//! keyboard and screen reader users never get (related to ACT 46ca7f and F39). No WCAG
//! failure.

use super::super::{Impact, Outcome, Rule, RuleInfo};

/// A `title` on an image marked decorative.
pub static DECORATIVE_TITLE: Rule = Rule {
    info: RuleInfo {
        id: "decorative-image-title",
        title: "Decorative images have no title tooltip",
        wcag: &[],
        act: &[],
        impact: Impact::Minor,
        advice: "Remove the title from the decorative image, or, if its words matter, make it informative with alt text that says them.",
        best_practice: true,
    },
    check: |cx, out| {
        for &i in cx.tag("img") {
            let n = &cx.nodes[i];
            let decorative = n.attr("alt") == Some("")
                || (n.explicit_role && matches!(n.role, Some("none" | "presentation")));
            if !decorative || n.hidden() {
                continue;
            }
            if let Some(t) = n.attr("title").filter(|t| !t.trim().is_empty()) {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("Decorative image has the tooltip \"{}\"", t.trim()),
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
    fn title_on_decorative_image_is_flagged() {
        assert_eq!(
            outcomes(
                &DECORATIVE_TITLE,
                r#"<img src="swirl.png" alt="" title="Swirl">"#
            ),
            (1, 0)
        );
        assert_eq!(
            outcomes(&DECORATIVE_TITLE, r#"<img src="swirl.png" alt="">"#),
            (0, 0)
        );
    }
}
