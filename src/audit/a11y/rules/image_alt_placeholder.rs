//! Image alt text is not a placeholder. WCAG 1.1.1 (Non-text Content); failure techniques F30
//! (text alternatives that are not alternatives, such as placeholder text) and F39 (a text
//! alternative that is not null, e.g. `alt="spacer"` or `alt="image"`, on an image that
//! should be ignored). No ACT rule (the file-name case, ACT 9eb3f6, is deprecated and lives in
//! `image-alt-filename`).
//!
//! Alt text that is only a word like "image", "photo", "spacer" or "bullet" fails whatever the
//! image is: an informative image is not described, a decorative one is announced.

use super::super::{Impact, Outcome, Rule, RuleInfo};

const PLACEHOLDERS: &[&str] = &[
    "image",
    "img",
    "picture",
    "pic",
    "photo",
    "photograph",
    "graphic",
    "icon",
    "spacer",
    "space",
    "blank",
    "bullet",
    "untitled",
    "alt",
    "alt text",
    "null",
    "nbsp",
    "placeholder",
    "image description",
    "insert alt text",
    "*",
    "-",
    "_",
    ".",
];

/// `alt` is a placeholder word.
pub static IMAGE_ALT_PLACEHOLDER: Rule = Rule {
    info: RuleInfo {
        id: "image-alt-placeholder",
        title: "Image alt text is not a placeholder such as \"image\" or \"spacer\"",
        wcag: &["1.1.1"],
        act: &[],
        impact: Impact::Serious,
        advice: "Replace the placeholder alt text with words that say what the image shows or does; if the image is decorative (a bullet, a spacer), use alt=\"\".",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx
            .tag("img")
            .iter()
            .chain(cx.tag("area"))
            .chain(cx.tag("input"))
        {
            let n = &cx.nodes[i];
            if n.tag == "input"
                && !n
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("image"))
            {
                continue;
            }
            let Some(alt) = n.attr("alt") else { continue };
            if n.hidden() || n.has("aria-label") || n.has("aria-labelledby") {
                continue;
            }
            let norm = alt.trim().to_lowercase();
            let norm = norm.trim_end_matches(['.', ':']).trim();
            if !alt.trim().is_empty() && (PLACEHOLDERS.contains(&norm) || alt.trim() == ".") {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("alt=\"{}\" is a placeholder, not a description", alt.trim()),
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
    fn placeholder_alt_fails() {
        assert_eq!(
            outcomes(
                &IMAGE_ALT_PLACEHOLDER,
                r#"<img src="list_bullets.gif" alt="bullet">"#
            ),
            (1, 0)
        );
        assert_eq!(
            outcomes(&IMAGE_ALT_PLACEHOLDER, r#"<img src="a.jpg" alt="Image">"#),
            (1, 0)
        );
        assert_eq!(
            outcomes(
                &IMAGE_ALT_PLACEHOLDER,
                r#"<img src="a.jpg" alt="Bin lorry at the depot">"#
            ),
            (0, 0)
        );
        assert_eq!(
            outcomes(&IMAGE_ALT_PLACEHOLDER, r#"<img src="a.jpg" alt="">"#),
            (0, 0)
        );
    }
}
