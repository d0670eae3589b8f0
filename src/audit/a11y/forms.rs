//! Form fields: names, labels and autocomplete. WCAG 1.3.1 (Info and Relationships), 1.3.5
//! (Identify Input Purpose), 3.3.2 (Labels or Instructions), 4.1.2 (Name, Role, Value). ACT
//! rules e086e5 (form field has non-empty accessible name, mapped to 4.1.2 as W3C does) and
//! 73f2c2 (autocomplete attribute has valid value).
//!
//! Whether a label describes its field well (ACT cc0f0a) is left to a person.

use super::{Ctx, Impact, Outcome, Rule, RuleInfo};

const FIELD_ROLES: &[&str] = &[
    "checkbox",
    "combobox",
    "listbox",
    "menuitemcheckbox",
    "menuitemradio",
    "radio",
    "searchbox",
    "slider",
    "spinbutton",
    "switch",
    "textbox",
];

/// Form fields (by role) need a non-empty accessible name.
pub static FIELD_NAME: Rule = Rule {
    info: RuleInfo {
        id: "label",
        title: "Form fields have an accessible name",
        wcag: &["4.1.2"],
        act: &["e086e5"],
        impact: Impact::Critical,
        advice: "Add a <label for> that matches the field's id, or wrap the field in its <label>.",
        best_practice: false,
    },
    check: |cx, out| {
        for i in 0..cx.nodes.len() {
            let n = &cx.nodes[i];
            // Date, time, colour and file inputs have no ARIA role but are form fields.
            let typed_input = n.tag == "input"
                && n.role.is_none()
                && !n
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden"));
            let role = match n.role {
                Some(r) if FIELD_ROLES.contains(&r) => r,
                None if typed_input => "input",
                _ => continue,
            };
            if n.hidden() || n.tag == "select" {
                continue;
            }
            if cx.name(i).is_empty() {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("Form field ({role}) has no accessible name"),
                );
                if out.full() {
                    return;
                }
            }
        }
    },
};

fn is_text_field(cx: &Ctx<'_>, i: usize) -> bool {
    let n = &cx.nodes[i];
    match n.tag {
        "textarea" => true,
        "input" => matches!(
            n.attr("type")
                .unwrap_or("text")
                .trim()
                .to_ascii_lowercase()
                .as_str(),
            "" | "text"
                | "email"
                | "tel"
                | "url"
                | "search"
                | "password"
                | "number"
                | "date"
                | "time"
                | "datetime-local"
                | "month"
                | "week"
        ),
        _ => false,
    }
}

/// A placeholder or title alone is not a label. Best practice, as in axe-core: the field has
/// an accessible name (4.1.2 is met), and whether the placeholder counts as the visible label
/// 3.3.2 asks for is disputed (w3c/wcag discussion #3213); that it vanishes as people type is
/// not.
pub static LABEL_TITLE_ONLY: Rule = Rule {
    info: RuleInfo {
        id: "label-title-only",
        title: "Form fields are not labelled only by a placeholder or title",
        wcag: &[],
        act: &[],
        impact: Impact::Serious,
        advice: "Add a visible <label for> naming the field; a placeholder disappears as people type and a title is not shown to keyboard users.",
        best_practice: true,
    },
    check: |cx, out| {
        for &i in cx
            .tag("input")
            .iter()
            .chain(cx.tag("textarea"))
            .chain(cx.tag("select"))
        {
            let n = &cx.nodes[i];
            if n.hidden() || !(is_text_field(cx, i) || n.tag == "select") {
                continue;
            }
            let aria_named = n.attr("aria-label").is_some_and(|v| !v.trim().is_empty())
                || n.attr("aria-labelledby").is_some_and(|v| {
                    v.split_ascii_whitespace()
                        .any(|id| cx.idref(i, id).is_some())
                });
            let labelled = cx
                .labels(i)
                .iter()
                .any(|&l| cx.has_visible_text(l) || !cx.name(l).is_empty());
            if aria_named || labelled {
                continue;
            }
            let by = if n.attr("placeholder").is_some_and(|v| !v.trim().is_empty()) {
                "placeholder"
            } else if n.attr("title").is_some_and(|v| !v.trim().is_empty()) {
                "title"
            } else {
                continue;
            };
            out.element(
                cx,
                i,
                Outcome::Failed,
                format!("Form field is labelled only by its {by} attribute"),
            );
        }
    },
};

/// Two or more labels on one control: a review item, as in axe-core. Browsers join the labels
/// into the name, and screen readers differ in which they read; whether that confuses depends
/// on the words.
pub static MULTIPLE_LABELS: Rule = Rule {
    info: RuleInfo {
        id: "form-field-multiple-labels",
        title: "Form fields have one label",
        wcag: &["3.3.2"],
        act: &[],
        impact: Impact::Moderate,
        advice: "Keep one <label> per field; put extra help in a hint linked with aria-describedby.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx
            .tag("input")
            .iter()
            .chain(cx.tag("select"))
            .chain(cx.tag("textarea"))
        {
            if cx.nodes[i].hidden() {
                continue;
            }
            let labels = cx.labels(i);
            if labels.len() > 1 {
                out.element(
                    cx,
                    i,
                    Outcome::CantTell,
                    format!(
                        "Form field has {} labels; check that together they read as one clear label",
                        labels.len()
                    ),
                );
            }
        }
    },
};

/// `<label for>` must point at a labelable element of the page.
pub static LABEL_FOR_MISSING: Rule = Rule {
    info: RuleInfo {
        id: "label-for-matches",
        title: "Labels point at an existing form field",
        wcag: &["1.3.1"],
        act: &[],
        impact: Impact::Moderate,
        advice: "Make the label's for attribute equal to the id of its field.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("label") {
            let n = &cx.nodes[i];
            let Some(f) = n.attr("for") else { continue };
            if n.hidden() {
                continue;
            }
            let ok = cx.idref(i, f).is_some_and(|t| {
                let tn = &cx.nodes[t];
                matches!(
                    tn.tag,
                    "input" | "select" | "textarea" | "button" | "meter" | "output" | "progress"
                )
            });
            if !ok {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("Label for=\"{f}\" does not match the id of a form field"),
                );
            }
        }
    },
};

/// Autocomplete field names (HTML Living Standard §4.10.18.7.1).
const FIELD_NAMES: &[&str] = &[
    "name",
    "honorific-prefix",
    "given-name",
    "additional-name",
    "family-name",
    "honorific-suffix",
    "nickname",
    "organization-title",
    "username",
    "new-password",
    "current-password",
    "one-time-code",
    "organization",
    "street-address",
    "address-line1",
    "address-line2",
    "address-line3",
    "address-level4",
    "address-level3",
    "address-level2",
    "address-level1",
    "country",
    "country-name",
    "postal-code",
    "cc-name",
    "cc-given-name",
    "cc-additional-name",
    "cc-family-name",
    "cc-number",
    "cc-exp",
    "cc-exp-month",
    "cc-exp-year",
    "cc-csc",
    "cc-type",
    "transaction-currency",
    "transaction-amount",
    "language",
    "bday",
    "bday-day",
    "bday-month",
    "bday-year",
    "sex",
    "url",
    "photo",
];
/// Contact field names, which may take a `home`/`work`/… modifier.
const CONTACT_NAMES: &[&str] = &[
    "tel",
    "tel-country-code",
    "tel-national",
    "tel-area-code",
    "tel-local",
    "tel-local-prefix",
    "tel-local-suffix",
    "tel-extension",
    "email",
    "impp",
];

/// Whether an autocomplete value is a valid token sequence.
pub(crate) fn autocomplete_valid(value: &str) -> bool {
    let tokens: Vec<String> = value
        .split_ascii_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let mut t = tokens.as_slice();
    if t.len() == 1 && (t[0] == "on" || t[0] == "off") {
        return true;
    }
    if t.last().is_some_and(|x| x == "webauthn") {
        t = &t[..t.len() - 1];
    }
    if t.first().is_some_and(|x| x.starts_with("section-")) {
        t = &t[1..];
    }
    if t.first().is_some_and(|x| x == "shipping" || x == "billing") {
        t = &t[1..];
    }
    let contact = t
        .first()
        .is_some_and(|x| matches!(x.as_str(), "home" | "work" | "mobile" | "fax" | "pager"));
    if contact {
        t = &t[1..];
    }
    match t {
        [field] if contact => CONTACT_NAMES.contains(&field.as_str()),
        [field] => FIELD_NAMES.contains(&field.as_str()) || CONTACT_NAMES.contains(&field.as_str()),
        _ => false,
    }
}

/// `autocomplete` values must be valid tokens.
pub static AUTOCOMPLETE_VALID: Rule = Rule {
    info: RuleInfo {
        id: "autocomplete-valid",
        title: "autocomplete attributes use valid values",
        wcag: &["1.3.5"],
        act: &["73f2c2"],
        impact: Impact::Serious,
        advice: "Use a token from the HTML autofill list, e.g. autocomplete=\"email\" or \"postal-code\".",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx
            .tag("input")
            .iter()
            .chain(cx.tag("select"))
            .chain(cx.tag("textarea"))
        {
            let n = &cx.nodes[i];
            let Some(v) = n.attr("autocomplete") else {
                continue;
            };
            if v.trim().is_empty() || n.not_rendered {
                continue;
            }
            if n.tag == "input"
                && n.attr("type").is_some_and(|t| {
                    matches!(
                        t.trim().to_ascii_lowercase().as_str(),
                        "hidden" | "button" | "submit" | "reset"
                    )
                })
            {
                continue;
            }
            if cx.is_disabled(i)
                || n.attr("aria-disabled")
                    .is_some_and(|d| d.trim().eq_ignore_ascii_case("true"))
            {
                continue;
            }
            if !autocomplete_valid(v) {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!("autocomplete=\"{v}\" is not a valid autofill value"),
                );
            }
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::fails;
    use super::*;

    // In a rendered page's flat tree (`data-civicscan-scope` names a shadow root's tree), an ID
    // reference reaches only within its own tree: a field in a shadow root is not labelled by an
    // element of the document, nor by a `<label for>` there, as browsers resolve them.
    #[test]
    fn a_label_in_another_tree_does_not_name_a_field() {
        let across = [
            r#"<span id="pc">Postcode</span><div data-civicscan-scope="1"><input aria-labelledby="pc"></div>"#,
            r#"<label for="pc">Postcode</label><div data-civicscan-scope="1"><input id="pc"></div>"#,
        ];
        for html in across {
            assert_eq!(fails(&FIELD_NAME, html), 1, "{html}");
        }
        let within = [
            r#"<div data-civicscan-scope="1"><span id="pc">Postcode</span><input aria-labelledby="pc"></div>"#,
            r#"<div data-civicscan-scope="1"><label for="pc">Postcode</label><input id="pc"></div>"#,
        ];
        for html in within {
            assert_eq!(fails(&FIELD_NAME, html), 0, "{html}");
        }
    }

    #[test]
    fn fails_unlabelled_field() {
        assert_eq!(fails(&FIELD_NAME, r#"<input type="text" name="q">"#), 1);
        assert_eq!(
            fails(
                &FIELD_NAME,
                r#"<label for="q">Search</label><input id="q">"#
            ),
            0
        );
        assert_eq!(fails(&FIELD_NAME, r#"<label>Search <input></label>"#), 0);
        assert_eq!(fails(&FIELD_NAME, r#"<input aria-label="Search">"#), 0);
        assert_eq!(
            fails(
                &FIELD_NAME,
                r#"<span id="l">Postcode</span><input aria-labelledby="l">"#
            ),
            0
        );
    }

    #[test]
    fn fails_placeholder_only_label() {
        assert_eq!(
            fails(&LABEL_TITLE_ONLY, r#"<input placeholder="Postcode">"#),
            1
        );
        assert_eq!(fails(&LABEL_TITLE_ONLY, r#"<input title="Postcode">"#), 1);
        // Side by side with axe-core: a select named only by its title (W3C BAD survey).
        assert_eq!(
            fails(
                &LABEL_TITLE_ONLY,
                r#"<select name="cc" title="cities of the world"><option>Oslo</option></select>"#
            ),
            1
        );
        assert_eq!(
            fails(
                &LABEL_TITLE_ONLY,
                r#"<label>Postcode <input placeholder="AB1 2CD"></label>"#
            ),
            0
        );
    }

    #[test]
    fn two_labels_are_for_review_and_a_dangling_for_fails() {
        let two = r#"<label for="a">A</label><label for="a">B</label><input id="a">"#;
        assert_eq!(fails(&MULTIPLE_LABELS, two), 0);
        let r = super::super::testing::run(&MULTIPLE_LABELS, &super::super::testing::doc(two));
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].outcome, super::super::Outcome::CantTell);
        assert_eq!(
            fails(
                &MULTIPLE_LABELS,
                r#"<label for="a">A</label><input id="a">"#
            ),
            0
        );
        assert_eq!(
            fails(
                &LABEL_FOR_MISSING,
                r#"<label for="nope">A</label><input id="a">"#
            ),
            1
        );
    }

    #[test]
    fn fails_invalid_autocomplete() {
        assert!(autocomplete_valid("section-a billing work email"));
        assert!(autocomplete_valid("current-password webauthn"));
        assert!(!autocomplete_valid("work photo"));
        assert!(!autocomplete_valid("work,email"));
        assert_eq!(
            fails(&AUTOCOMPLETE_VALID, r#"<input autocomplete="badname">"#),
            1
        );
        assert_eq!(
            fails(&AUTOCOMPLETE_VALID, r#"<input autocomplete="postal-code">"#),
            0
        );
    }
}
