//! Required fields are not shown by colour alone. WCAG 1.4.1 (Use of Color); failure technique
//! F81 (identifying required or error fields using colour differences only). No ACT rule.
//!
//! Decided from the form's own words: when the page says required fields are shown in a
//! colour ("Required fields are shown in red") and no field's label carries a textual marker
//! (an asterisk, "required", "mandatory"), colour is the only cue, which people who cannot
//! tell colours apart miss.

use super::super::{Ctx, Impact, Outcome, Rule, RuleInfo};
use super::{page_text, text_of};

/// The text where a form's instructions are: the form's parent (instructions sit just above
/// or inside the form), or the whole page for fields outside a form.
fn instructions(cx: &Ctx<'_>, field: usize) -> String {
    match cx.ancestors(field).find(|&a| cx.nodes[a].tag == "form") {
        Some(f) => text_of(cx, cx.nodes[f].parent.unwrap_or(f)).to_lowercase(),
        None => page_text(cx),
    }
}

const COLOURS: &[&str] = &[
    "red", "blue", "green", "orange", "purple", "yellow", "pink", "brown", "grey", "gray",
    "colour", "color", "coloured", "colored",
];

/// Whether the text says required fields are marked by a colour.
pub(crate) fn colour_instruction(text: &str) -> bool {
    if !["required", "mandatory", "compulsory"]
        .iter()
        .any(|w| text.contains(w))
    {
        return false;
    }
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return false;
    }
    words.windows(8.min(words.len())).any(|w| {
        let required = w
            .iter()
            .any(|x| matches!(*x, "required" | "mandatory" | "compulsory"));
        let colour = w.iter().any(|x| COLOURS.contains(x));
        let marked = w.iter().any(|x| {
            matches!(
                *x,
                "in" | "shown" | "marked" | "highlighted" | "displayed" | "appear" | "are"
            )
        });
        required && colour && marked
    })
}

/// Required fields shown only by colour.
pub static REQUIRED_COLOUR: Rule = Rule {
    info: RuleInfo {
        id: "required-colour-only",
        title: "Required fields are not shown by colour alone",
        wcag: &["1.4.1"],
        act: &[],
        impact: Impact::Serious,
        advice: "Add a text marker to each required field's <label>, such as \"(required)\", and say so in the form's instructions instead of naming a colour.",
        best_practice: false,
    },
    check: |cx, out| {
        let fields: Vec<usize> = cx
            .tag("input")
            .iter()
            .chain(cx.tag("select"))
            .chain(cx.tag("textarea"))
            .copied()
            .filter(|&i| {
                !cx.nodes[i].hidden()
                    && !cx.nodes[i].attr("type").is_some_and(|t| {
                        matches!(
                            t.trim().to_ascii_lowercase().as_str(),
                            "submit" | "button" | "reset" | "image" | "hidden"
                        )
                    })
            })
            .collect();
        let Some(&first) = fields.first() else {
            return;
        };
        if !colour_instruction(&instructions(cx, first)) {
            return;
        }
        let marked = fields.iter().any(|&f| {
            let label = cx.name(f).to_lowercase();
            label.contains('*') || label.contains("required") || label.contains("mandatory")
        });
        if !marked {
            out.element(
                cx,
                first,
                Outcome::Failed,
                "The page says required fields are shown by a colour, and no field's label says \"required\" or has an asterisk",
            );
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::outcomes;
    use super::*;

    #[test]
    fn colour_only_required_marker_fails() {
        let red = r#"<form><p>Required fields are shown in red.</p>
            <label for="n" style="color:red">Name</label><input id="n"></form>"#;
        assert_eq!(outcomes(&REQUIRED_COLOUR, red), (1, 0));
        let text = r#"<form><p>Required fields are shown in red and marked (required).</p>
            <label for="n" style="color:red">Name (required)</label><input id="n"></form>"#;
        assert_eq!(outcomes(&REQUIRED_COLOUR, text), (0, 0));
        let plain = r#"<form><p>All fields are required.</p><label for="n">Name</label><input id="n"></form>"#;
        assert_eq!(outcomes(&REQUIRED_COLOUR, plain), (0, 0));
    }
}
