//! Text is text, not a picture of it. WCAG 1.4.5 (Images of Text); technique C22 (CSS for
//! presentation) and failure-like pattern of image replacement. No ACT rule (0va7u6 needs to
//! see the image).
//!
//! Review items only, since logos are exempt and only looking at the image tells: text hidden
//! off-screen with `text-indent` and replaced by a background image, and images that are the
//! whole of a heading, link or button and whose file name says they are a headline, heading,
//! title, button or navigation label ("headline_ticket_prices.gif", "nav_news.gif").

use super::super::images::extension;
use super::super::{Impact, Outcome, Rule, RuleInfo};
use super::{own_text, words};

const TEXTY: &[&str] = &[
    "headline", "heading", "title", "button", "btn", "nav", "menu", "tab",
];

fn texty_name(src: &str) -> bool {
    let path = src.split(['?', '#']).next().unwrap_or("");
    let file = path.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    if extension(&file).is_none() {
        return false;
    }
    file.split(|c: char| !c.is_ascii_alphabetic())
        .any(|part| TEXTY.contains(&part))
}

/// Images that probably show text.
pub static IMAGE_OF_TEXT: Rule = Rule {
    info: RuleInfo {
        id: "image-of-text",
        title: "Headings, links and buttons are text, not images of text",
        wcag: &["1.4.5"],
        act: &[],
        impact: Impact::Moderate,
        advice: "Replace the image of text with real text styled with CSS (font, colour, background), keeping images only for logos.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("img") {
            let n = &cx.nodes[i];
            if n.hidden() || !n.attr("src").is_some_and(texty_name) {
                continue;
            }
            let holder = cx.ancestors(i).find(|&a| {
                matches!(cx.nodes[a].role, Some("heading" | "link" | "button"))
                    || matches!(cx.nodes[a].tag, "th" | "button")
            });
            let Some(h) = holder else { continue };
            let other_text = cx
                .descendants(h)
                .chain(std::iter::once(h))
                .any(|d| words(&own_text(cx, d)).next().is_some());
            if !other_text {
                out.element(
                    cx,
                    i,
                    Outcome::CantTell,
                    "An image is the whole of a heading, link or button and its file name suggests it shows text: check that it is not an image of text",
                );
            }
        }
        for i in 0..cx.nodes.len() {
            let n = &cx.nodes[i];
            if !n.visually_hidden
                || n.parent.is_some_and(|p| cx.nodes[p].visually_hidden)
                || n.not_rendered
                || !n.background_unknown
                || words(&own_text(cx, i)).next().is_none()
            {
                continue;
            }
            out.element(
                cx,
                i,
                Outcome::CantTell,
                "Text is moved out of sight and a background image shown instead: check that the image is not an image of text",
            );
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::outcomes;
    use super::*;

    #[test]
    fn images_of_text_are_for_review() {
        let nav =
            r#"<a href="news.html"><img src="./img/nav_news.gif" width="90" height="21"></a>"#;
        assert_eq!(outcomes(&IMAGE_OF_TEXT, nav), (0, 1));
        let photo = r#"<a href="news.html"><img src="./img/panda.jpg" alt="Panda"></a>"#;
        assert_eq!(outcomes(&IMAGE_OF_TEXT, photo), (0, 0));
        let replaced = r#"<h1 style="text-indent: -9999px; background: url(logo-text.png)">Welcome to Newtown</h1>"#;
        assert_eq!(outcomes(&IMAGE_OF_TEXT, replaced), (0, 1));
        let real = r#"<h1>Welcome to Newtown</h1>"#;
        assert_eq!(outcomes(&IMAGE_OF_TEXT, real), (0, 0));
    }
}
