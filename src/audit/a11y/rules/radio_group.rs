//! Radio buttons and checkboxes that answer one question are grouped with it. WCAG 1.3.1
//! (Info and Relationships) and 3.3.2 (Labels or Instructions); sufficient techniques H71
//! (`fieldset` and `legend`) and ARIA17 (grouping roles). No ACT rule.
//!
//! Radio buttons sharing a name are one question. When they are not inside a `fieldset` with
//! a `legend` (or an element with role `radiogroup`/`group` that has a name) and their own
//! labels are answers of a word or three ("Yes", "No", "Mr."), the question is not tied to
//! them and the rule fails. Longer labels may carry the question themselves, and checkbox
//! groups may be independent choices: those are review items.

use std::collections::BTreeMap;

use super::super::{Ctx, Impact, Outcome, Rule, RuleInfo};
use super::words;

fn grouped(cx: &Ctx<'_>, i: usize) -> bool {
    cx.ancestors(i).any(|a| {
        let n = &cx.nodes[a];
        (n.tag == "fieldset"
            && cx
                .children(a)
                .any(|c| cx.nodes[c].tag == "legend" && words(&cx.name(c)).next().is_some()))
            || (matches!(n.role, Some("radiogroup" | "group")) && !cx.name(a).is_empty())
    }) || cx.nodes[i]
        .attr("aria-describedby")
        .is_some_and(|d| !d.trim().is_empty())
}

/// Radio buttons (and checkbox groups) are grouped with their question.
pub static RADIO_GROUP: Rule = Rule {
    info: RuleInfo {
        id: "radio-group",
        title: "Radio buttons are grouped with their question",
        wcag: &["1.3.1", "3.3.2"],
        act: &[],
        impact: Impact::Serious,
        advice: "Put the radio buttons in a <fieldset> whose <legend> asks the question (e.g. <legend>Do you want a newsletter?</legend>), and give each button its own <label>.",
        best_practice: false,
    },
    check: |cx, out| {
        let mut groups: BTreeMap<(Option<usize>, &str, &str), Vec<usize>> = BTreeMap::new();
        for &i in cx.tag("input") {
            let n = &cx.nodes[i];
            let ty = n.attr("type").unwrap_or("").trim().to_ascii_lowercase();
            let kind = match ty.as_str() {
                "radio" => "radio",
                "checkbox" => "checkbox",
                _ => continue,
            };
            let Some(name) = n.attr("name").filter(|v| !v.trim().is_empty()) else {
                continue;
            };
            if n.hidden() {
                continue;
            }
            let form = cx.ancestors(i).find(|&a| cx.nodes[a].tag == "form");
            groups.entry((form, kind, name)).or_default().push(i);
        }
        for ((_, kind, name), members) in groups {
            if members.len() < 2 || members.iter().all(|&m| grouped(cx, m)) {
                continue;
            }
            let first = members[0];
            let short = members.iter().all(|&m| words(&cx.name(m)).count() <= 3);
            if kind == "radio" && short {
                out.element(
                    cx,
                    first,
                    Outcome::Failed,
                    format!(
                        "{} radio buttons named \"{name}\" are not in a fieldset with a legend, so their question is not announced with them",
                        members.len()
                    ),
                );
            } else {
                out.element(
                    cx,
                    first,
                    Outcome::CantTell,
                    format!(
                        "{} {kind}es named \"{name}\" are not grouped: check whether they answer one question that should be their legend",
                        members.len()
                    ),
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
    fn ungrouped_radio_buttons_fail() {
        let loose = r#"<p>Do you want a newsletter?</p>
            <label><input type="radio" name="news" value="y"> Yes</label>
            <label><input type="radio" name="news" value="n"> No</label>"#;
        assert_eq!(outcomes(&RADIO_GROUP, loose), (1, 0));
        let grouped = r#"<fieldset><legend>Do you want a newsletter?</legend>
            <label><input type="radio" name="news" value="y"> Yes</label>
            <label><input type="radio" name="news" value="n"> No</label></fieldset>"#;
        assert_eq!(outcomes(&RADIO_GROUP, grouped), (0, 0));
        let aria = r#"<div role="radiogroup" aria-label="Newsletter">
            <label><input type="radio" name="news"> Yes</label><label><input type="radio" name="news"> No</label></div>"#;
        assert_eq!(outcomes(&RADIO_GROUP, aria), (0, 0));
        let boxes = r#"<label><input type="checkbox" name="topics"> Bins</label>
            <label><input type="checkbox" name="topics"> Roads</label>"#;
        assert_eq!(outcomes(&RADIO_GROUP, boxes), (0, 1));
        let single = r#"<label><input type="checkbox" name="agree"> I agree to the terms</label>"#;
        assert_eq!(outcomes(&RADIO_GROUP, single), (0, 0));
    }
}
