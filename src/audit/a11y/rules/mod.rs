//! Rules added for issue 15, one file each: data tables, form groups, required-field markers,
//! image alternatives, multimedia, keyboard, typography, duplicate ids and language of parts.
//! Each file opens with the WCAG criterion, the W3C technique (failure or sufficient) and the
//! ACT rule id where there is one, and has a failing and a passing fixture under
//! `tests/fixtures/a11y/rules/`.
//!
//! A rule reports `failed` only where the markup decides the barrier; where a person must
//! judge (open captions, a keyboard route elsewhere on the page), it reports `cantTell`.

use super::Ctx;

pub mod all_caps;
pub mod click_focusable;
pub mod decorative_title;
pub mod duplicate_id_referenced;
pub mod focus_blur;
pub mod image_alt_placeholder;
pub mod image_alt_prefix;
pub mod image_of_text;
pub mod image_redundant_alt;
pub mod justified_text;
pub mod lang_of_parts;
pub mod layout_table;
pub mod p_as_heading;
pub mod radio_group;
pub mod required_asterisk;
pub mod required_colour;
pub mod select_onchange;
pub mod table_headers;
pub mod tiny_text;
pub mod video_caption;

/// The element's own text: its text children joined, without descendants' text.
pub(crate) fn own_text(cx: &Ctx<'_>, i: usize) -> String {
    cx.nodes[i]
        .el
        .children()
        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
        .collect()
}

/// Whether the element has a text child with something other than white space (cheap: no
/// allocation), so rules can skip the many elements that only hold other elements.
pub(crate) fn has_own_text(cx: &Ctx<'_>, i: usize) -> bool {
    cx.nodes[i].el.children().any(|c| {
        c.value()
            .as_text()
            .is_some_and(|t| t.chars().any(|ch| !ch.is_whitespace()))
    })
}

/// The rendered text of the element and its descendants (skipping elements not rendered).
pub(crate) fn text_of(cx: &Ctx<'_>, i: usize) -> String {
    let mut out = String::new();
    for d in std::iter::once(i).chain(cx.descendants(i)) {
        if cx.nodes[d].not_rendered {
            continue;
        }
        for c in cx.nodes[d].el.children() {
            if let Some(t) = c.value().as_text() {
                out.push_str(t);
            }
        }
        out.push(' ');
    }
    out
}

/// Words of a text: runs of letters and digits.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Whether the element is shown to sighted users: rendered, visible, not visually hidden.
pub(crate) fn seen(cx: &Ctx<'_>, i: usize) -> bool {
    let n = &cx.nodes[i];
    !n.not_rendered && !n.invisible && !n.visually_hidden
}

/// The whole body text of the page, lower case (for instructions such as "* required").
pub(crate) fn page_text(cx: &Ctx<'_>) -> String {
    cx.tag("body")
        .first()
        .map(|&b| text_of(cx, b).to_lowercase())
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod testing {
    //! Runs a rule on a body fragment: (failed, cantTell) counts.
    use super::super::testing::{doc, run};
    use super::super::{Outcome, Rule};

    pub fn outcomes(rule: &'static Rule, body: &str) -> (usize, usize) {
        let r = run(rule, &doc(body));
        (
            r.iter().filter(|f| f.outcome == Outcome::Failed).count(),
            r.iter().filter(|f| f.outcome == Outcome::CantTell).count(),
        )
    }
}
