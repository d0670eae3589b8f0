//! An asterisk that marks required fields is explained. WCAG 3.3.2 (Labels or Instructions);
//! sufficient techniques H90 (indicating required form controls using `label` or `legend`)
//! and G184 (instructions at the start of a form). No ACT rule.
//!
//! A review item: a label ends in "*", the field is not marked `required` or
//! `aria-required="true"`, and nothing on the page says what the asterisk means. Many people
//! know the convention, so whether the form fails is for a person.

use super::super::{Impact, Outcome, Rule, RuleInfo};
use super::page_text;

/// Whether the page explains the asterisk: "* required", "fields marked with an asterisk",
/// "* denotes a mandatory field"…
pub(crate) fn explains_asterisk(text: &str) -> bool {
    if text.contains("asterisk") {
        return true;
    }
    let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    squeezed.match_indices('*').any(|(i, _)| {
        let lo = squeezed[..i]
            .char_indices()
            .rev()
            .nth(40)
            .map_or(0, |(j, _)| j);
        let hi = squeezed[i..]
            .char_indices()
            .nth(40)
            .map_or(squeezed.len(), |(j, _)| i + j);
        let around = &squeezed[lo..hi];
        ["required", "mandatory", "compulsory", "must be"]
            .iter()
            .any(|w| around.contains(w))
    })
}

/// Unexplained asterisks on fields not marked required.
pub static REQUIRED_ASTERISK: Rule = Rule {
    info: RuleInfo {
        id: "required-asterisk-unexplained",
        title: "Asterisks on required fields are explained",
        wcag: &["3.3.2"],
        act: &[],
        impact: Impact::Moderate,
        advice: "Say at the start of the form \"Fields marked * are required\" (or write \"(required)\" in the label), and add the required attribute to the field.",
        best_practice: false,
    },
    check: |cx, out| {
        let mut starred = Vec::new();
        for &l in cx.tag("label") {
            if cx.nodes[l].hidden() {
                continue;
            }
            let text = super::text_of(cx, l);
            if !text.trim_end().ends_with('*') && !text.contains("* ") {
                continue;
            }
            let field = match cx.nodes[l].attr("for") {
                Some(f) => cx.by_id(f),
                None => cx
                    .descendants(l)
                    .find(|&d| matches!(cx.nodes[d].tag, "input" | "select" | "textarea")),
            };
            let Some(f) = field else { continue };
            let fnode = &cx.nodes[f];
            let required = fnode.has("required")
                || fnode
                    .attr("aria-required")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
            if !required {
                starred.push(l);
            }
        }
        if starred.is_empty() || explains_asterisk(&page_text(cx)) {
            return;
        }
        out.element(
            cx,
            starred[0],
            Outcome::CantTell,
            format!(
                "{} field label(s) end in \"*\" but the page does not say what the asterisk means and the fields are not marked required",
                starred.len()
            ),
        );
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::outcomes;
    use super::*;

    #[test]
    fn unexplained_asterisk_is_for_review() {
        let bare = r#"<form><label for="n">Name *</label><input id="n"></form>"#;
        assert_eq!(outcomes(&REQUIRED_ASTERISK, bare), (0, 1));
        let explained = r#"<form><p>Fields marked * are required.</p><label for="n">Name *</label><input id="n"></form>"#;
        assert_eq!(outcomes(&REQUIRED_ASTERISK, explained), (0, 0));
        let required = r#"<form><label for="n">Name *</label><input id="n" required></form>"#;
        assert_eq!(outcomes(&REQUIRED_ASTERISK, required), (0, 0));
    }
}
