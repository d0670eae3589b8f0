//! Ids that labels and ARIA point at are unique. Related to WCAG 4.1.2 (Name, Role, Value) and
//! 1.3.1: `for`, `aria-labelledby`, `aria-describedby`, `aria-controls`, `aria-owns`,
//! `aria-activedescendant` and `headers` resolve to the first element with the id, so a
//! second one is never labelled, described or controlled. axe-core's `duplicate-id-aria`; no
//! ACT rule (3ea0c8 is deprecated since WCAG 2.2 removed 4.1.1).
//!
//! A review item: whether the first element is the one meant needs a person. Plain
//! duplicates nobody refers to are the best-practice `duplicate-id` rule.

use std::collections::BTreeSet;

use super::super::{Impact, Outcome, Rule, RuleInfo};

const REFERRING: &[&str] = &[
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "aria-activedescendant",
    "aria-details",
    "aria-errormessage",
    "aria-flowto",
    "headers",
];

/// Duplicate ids that something refers to.
pub static DUPLICATE_ID_REFERENCED: Rule = Rule {
    info: RuleInfo {
        id: "duplicate-id-referenced",
        title: "Ids that labels and ARIA refer to are unique",
        wcag: &["4.1.2"],
        act: &[],
        impact: Impact::Serious,
        advice: "Give each of the elements its own id and point the label's for (or the aria-labelledby/aria-describedby) at the one it belongs to.",
        best_practice: false,
    },
    check: |cx, out| {
        let mut referred: BTreeSet<&str> = BTreeSet::new();
        for &l in cx.tag("label") {
            if let Some(f) = cx.nodes[l].attr("for") {
                referred.insert(f.trim());
            }
        }
        for i in cx
            .aria
            .iter()
            .copied()
            .chain(cx.tag("td").iter().copied())
            .chain(cx.tag("th").iter().copied())
        {
            for attr in REFERRING {
                if let Some(v) = cx.nodes[i].attr(attr) {
                    referred.extend(v.split_ascii_whitespace());
                }
            }
        }
        let mut dups: Vec<(&str, usize)> = referred
            .into_iter()
            .filter_map(|id| {
                let v = cx.ids.get(id)?;
                (v.len() > 1 && !id.is_empty()).then(|| (id, v[1]))
            })
            .collect();
        dups.sort_by_key(|(_, i)| *i);
        for (id, second) in dups {
            out.element(
                cx,
                second,
                Outcome::CantTell,
                format!("id=\"{id}\" is used more than once and a label or ARIA attribute refers to it: only the first is used"),
            );
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::outcomes;
    use super::*;

    #[test]
    fn referenced_duplicate_ids_are_for_review() {
        let dup = r#"<label for="email">Email</label><input id="email"><input id="email">"#;
        assert_eq!(outcomes(&DUPLICATE_ID_REFERENCED, dup), (0, 1));
        let unused = r#"<p id="note">a</p><p id="note">b</p>"#;
        assert_eq!(outcomes(&DUPLICATE_ID_REFERENCED, unused), (0, 0));
        let aria = r#"<span id="h">Help</span><span id="h">More</span><input aria-describedby="h" aria-label="Postcode">"#;
        assert_eq!(outcomes(&DUPLICATE_ID_REFERENCED, aria), (0, 1));
    }
}
