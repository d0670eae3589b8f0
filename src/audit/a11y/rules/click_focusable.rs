//! Things that act on a click can be reached with a keyboard. WCAG 2.1.1 (Keyboard); failure
//! technique F42 (emulating links and controls with script on elements that cannot take
//! focus) and F54 (pointer-only event handlers). No ACT rule.
//!
//! Failed when an element says it is a control (an explicit widget role such as
//! `role="button"` or `role="link"`) but cannot take focus: no `tabindex`, not a native
//! control, and no focusable ancestor or descendant doing the job. A `div`, `span`, `img` or
//! cell with only an `onclick` is a review item: the same action may be offered by a keyboard
//! route elsewhere (a close button beside a clickable backdrop).

use super::super::{Ctx, Impact, Outcome, Rule, RuleInfo};

const WIDGETS: &[&str] = &[
    "button",
    "link",
    "checkbox",
    "radio",
    "switch",
    "tab",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "option",
    "treeitem",
];

fn keyboard_route(cx: &Ctx<'_>, i: usize) -> bool {
    std::iter::once(i)
        .chain(cx.descendants(i))
        .any(|d| cx.is_focusable(d))
        || cx.ancestors(i).any(|a| {
            cx.is_focusable(a)
                || cx.nodes[a].has("aria-activedescendant")
                || matches!(cx.nodes[a].tag, "label" | "button" | "summary")
        })
}

/// A click handler or widget role on something that cannot take focus.
pub static CLICK_FOCUSABLE: Rule = Rule {
    info: RuleInfo {
        id: "click-not-focusable",
        title: "Elements that act on a click can take keyboard focus",
        wcag: &["2.1.1"],
        act: &[],
        impact: Impact::Critical,
        advice: "Use a real <button> (or <a href> for navigation) for the control; if it must stay a div or span, add tabindex=\"0\" and handle Enter and Space as well as the click.",
        best_practice: false,
    },
    check: |cx, out| {
        for i in 0..cx.nodes.len() {
            let n = &cx.nodes[i];
            let widget = n.explicit_role && n.role.is_some_and(|r| WIDGETS.contains(&r));
            let clicks = n.has("onclick");
            if !(widget || clicks)
                || matches!(n.tag, "html" | "body" | "label")
                || n.hidden()
                || cx.is_disabled(i)
                || keyboard_route(cx, i)
            {
                continue;
            }
            if widget {
                out.element(
                    cx,
                    i,
                    Outcome::Failed,
                    format!(
                        "role=\"{}\" is not focusable (no tabindex), so keyboard users cannot reach it",
                        n.role.unwrap_or_default()
                    ),
                );
            } else {
                out.element(
                    cx,
                    i,
                    Outcome::CantTell,
                    format!(
                        "<{}> has a click handler but cannot take keyboard focus: check that the same action has a keyboard route",
                        n.tag
                    ),
                );
            }
            if out.full() {
                return;
            }
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::outcomes;
    use super::*;

    #[test]
    fn unfocusable_controls_fail_and_bare_click_handlers_are_for_review() {
        assert_eq!(
            outcomes(
                &CLICK_FOCUSABLE,
                r#"<div role="button" onclick="send()">Send</div>"#
            ),
            (1, 0)
        );
        assert_eq!(
            outcomes(
                &CLICK_FOCUSABLE,
                r#"<div role="button" tabindex="0" onclick="send()">Send</div>"#
            ),
            (0, 0)
        );
        assert_eq!(
            outcomes(&CLICK_FOCUSABLE, r#"<span onclick="more()">More</span>"#),
            (0, 1)
        );
        assert_eq!(
            outcomes(
                &CLICK_FOCUSABLE,
                r#"<tr onclick="go()"><td><a href="/x">Row</a></td></tr>"#
            ),
            (0, 0)
        );
        assert_eq!(
            outcomes(
                &CLICK_FOCUSABLE,
                r#"<button onclick="send()">Send</button>"#
            ),
            (0, 0)
        );
    }
}
