//! Headings are marked up as headings. WCAG 1.3.1 (Info and Relationships); failure technique
//! F2 (conveying information with changes in text presentation without markup), sufficient
//! technique H42 (`h1`–`h6`). No ACT rule; axe-core's `p-as-heading` is experimental.
//!
//! A review item, and only on pages with no heading at all (where a screen reader user has
//! nothing to move by): a short paragraph whose text is all bold or much larger than the
//! text after it, followed by more text, looks like a heading a person should confirm.

use super::super::{Ctx, Impact, Outcome, Rule, RuleInfo};
use super::{seen, text_of, words};

fn styled_like_heading(cx: &Ctx<'_>, i: usize, next: usize) -> bool {
    let text_nodes: Vec<usize> = std::iter::once(i)
        .chain(cx.descendants(i))
        .filter(|&d| words(&super::own_text(cx, d)).next().is_some())
        .collect();
    if text_nodes.is_empty() {
        return false;
    }
    let bold = text_nodes.iter().all(|&d| cx.nodes[d].bold);
    let size = |d: usize| cx.nodes[d].font_px.unwrap_or(16.0);
    let big = text_nodes
        .iter()
        .all(|&d| size(d) >= 1.2 * size(next).max(1.0));
    bold || big
}

/// Text styled like a heading on a page without headings.
pub static P_AS_HEADING: Rule = Rule {
    info: RuleInfo {
        id: "p-as-heading",
        title: "Text that looks like a heading is a heading",
        wcag: &["1.3.1"],
        act: &[],
        impact: Impact::Serious,
        advice: "Mark the heading-like line up as a heading (<h1> for the page title, <h2> for sections) instead of a bold or large paragraph.",
        best_practice: false,
    },
    check: |cx, out| {
        if cx
            .nodes
            .iter()
            .any(|n| n.role == Some("heading") && !n.hidden())
        {
            return;
        }
        for &i in cx.tag("p").iter().chain(cx.tag("div")) {
            let n = &cx.nodes[i];
            if !seen(cx, i) || n.aria_hidden {
                continue;
            }
            if cx
                .descendants(i)
                .any(|d| matches!(cx.nodes[d].tag, "p" | "div" | "table" | "ul" | "ol" | "a"))
            {
                continue;
            }
            let text = text_of(cx, i);
            let count = words(&text).count();
            let trimmed = text.trim();
            if count == 0 || count > 10 || trimmed.ends_with(['.', ':', ',', ';']) {
                continue;
            }
            let next = cx.nodes[i]
                .el
                .next_siblings()
                .filter_map(scraper::ElementRef::wrap)
                .find_map(|s| cx.index_of(s))
                .filter(|&s| seen(cx, s) && words(&text_of(cx, s)).count() >= 5);
            let Some(next) = next else { continue };
            if styled_like_heading(cx, i, next) && !styled_like_heading(cx, next, next) {
                out.element(
                    cx,
                    i,
                    Outcome::CantTell,
                    format!("\"{}\" looks like a heading but is not marked up as one, and the page has no headings", trimmed.chars().take(60).collect::<String>()),
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
    fn styled_paragraph_on_a_page_without_headings_is_for_review() {
        let page = r#"<p style="font-size: 24px">Welcome to CityLights</p>
            <p>Citylights is the new portal for visitors and residents. Find out what's on.</p>"#;
        assert_eq!(outcomes(&P_AS_HEADING, page), (0, 1));
        let with_h1 = format!("<h1>CityLights</h1>{page}");
        assert_eq!(outcomes(&P_AS_HEADING, &with_h1), (0, 0));
        let plain = r#"<p>Opening times</p><p>We are open from nine until five on weekdays.</p>"#;
        assert_eq!(outcomes(&P_AS_HEADING, plain), (0, 0));
    }
}
