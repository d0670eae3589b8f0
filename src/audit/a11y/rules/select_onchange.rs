//! Choosing an option does not change the page. WCAG 3.2.2 (On Input); failure techniques F36
//! (submitting a form on a change of a field's value) and F37 (opening a new window on a
//! change of selection); the fix is H84 or SCR19 (a button, or changes that stay in the
//! page). No ACT rule.
//!
//! A `<select>` whose `onchange` navigates (`location`, `window.open`, `.submit()`): keyboard
//! users browsing the options with the arrow keys are sent to the first option's page.

use super::super::{Impact, Outcome, Rule, RuleInfo};

fn navigates(js: &str) -> bool {
    let js = js.to_ascii_lowercase();
    js.contains("location")
        || js.contains("window.open")
        || js.contains(".submit(")
        || js.contains("navigate(")
}

/// `onchange` that changes context.
pub static SELECT_ONCHANGE: Rule = Rule {
    info: RuleInfo {
        id: "select-onchange-navigation",
        title: "Choosing an option does not move to another page",
        wcag: &["3.2.2"],
        act: &[],
        impact: Impact::Serious,
        advice: "Remove the onchange navigation from the <select> and add a \"Go\" submit button next to it, so people choose first and move when they are ready.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("select").iter().chain(cx.tag("input")) {
            let n = &cx.nodes[i];
            let Some(js) = n.attr("onchange") else {
                continue;
            };
            if n.hidden() || !navigates(js) {
                continue;
            }
            out.element(
                cx,
                i,
                Outcome::Failed,
                "Changing the selection moves to another page (onchange navigates) without a button press",
            );
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::outcomes;
    use super::*;

    #[test]
    fn navigating_onchange_fails() {
        let jump = r#"<select onchange="location.href = this.value;"><option>Quick menu</option><option value="/bins">Bins</option></select>"#;
        assert_eq!(outcomes(&SELECT_ONCHANGE, jump), (1, 0));
        let safe = r#"<select onchange="showHint(this)"><option>A</option></select>"#;
        assert_eq!(outcomes(&SELECT_ONCHANGE, safe), (0, 0));
    }
}
