//! Text spacing set with `!important` in `style` attributes, which user style sheets cannot
//! override. WCAG 1.4.12 (Text Spacing). ACT rules 24afc2 (letter spacing ≥ 0.12 × font size),
//! 9e45ec (word spacing ≥ 0.16 ×), 78fd32 (line height ≥ 1.5 ×).
//!
//! Only `style` attributes are checked: an `!important` rule in a stylesheet can be beaten by a
//! user's `!important` rule, so it does not block users.

use super::css::parse_declarations;
use super::{Ctx, Impact, Outcome, Rule, RuleInfo, Sink};

/// The winning declaration of `prop` in a style attribute: the last `!important` one, else the
/// last one. Returns (value, important).
fn winning(style: &str, prop: &str) -> Option<(String, bool)> {
    let decls = parse_declarations(style);
    let important = decls.iter().rfind(|d| d.name == prop && d.important);
    let any = decls.iter().rfind(|d| d.name == prop);
    important
        .or(any)
        .map(|d| (d.value.trim().to_ascii_lowercase(), d.important))
}

/// A length in px (`em` against the element's font size). `normal`/`initial` resolve to the
/// property's initial value; `None` when unknown.
fn length_px(v: &str, font: f64, normal: f64, numbers_scale: bool) -> Option<f64> {
    let num = |s: &str| s.trim().parse::<f64>().ok();
    if v == "normal" || v == "initial" {
        return Some(normal * font);
    }
    if let Some(n) = v.strip_suffix("px") {
        return num(n);
    }
    if let Some(n) = v.strip_suffix("rem") {
        return num(n).map(|x| x * 16.0);
    }
    if let Some(n) = v.strip_suffix("em") {
        return num(n).map(|x| x * font);
    }
    if let Some(n) = v.strip_suffix("pt") {
        return num(n).map(|x| x * 4.0 / 3.0);
    }
    if let Some(n) = v.strip_suffix('%') {
        return num(n).map(|x| x * font / 100.0);
    }
    if numbers_scale {
        return num(v).map(|x| x * font);
    }
    num(v).filter(|x| *x == 0.0)
}

/// The resolved value of `prop` declared at `i`: px, or a factor of the font size for
/// unitless line heights (which inherit as a number).
enum Resolved {
    Px(f64),
    Factor(f64),
}

fn check(
    cx: &Ctx<'_>,
    out: &mut Sink<'_>,
    prop: &str,
    factor: f64,
    normal: f64,
    numbers_scale: bool,
) {
    let declares = |a: usize| {
        cx.nodes[a]
            .attr("style")
            .and_then(|s| winning(s, prop))
            .is_some()
    };
    for &i in &cx.styled {
        let n = &cx.nodes[i];
        if n.is_svg() || n.hidden() || n.layout_unknown || n.positioned || n.faded() {
            continue;
        }
        let Some(style) = n.attr("style") else {
            continue;
        };
        let Some((value, true)) = winning(style, prop) else {
            continue;
        };
        if matches!(
            value.as_str(),
            "inherit" | "unset" | "revert" | "revert-layer"
        ) {
            continue;
        }
        let Some(font) = n.font_px else { continue };
        let resolved = if numbers_scale && value.parse::<f64>().is_ok() {
            Resolved::Factor(value.parse::<f64>().unwrap_or(0.0))
        } else if numbers_scale && (value == "normal" || value == "initial") {
            Resolved::Factor(normal)
        } else {
            match length_px(&value, font, normal, false) {
                Some(px) => Resolved::Px(px),
                None => continue,
            }
        };
        // The text this declaration governs: elements with their own visible text whose
        // nearest declaring ancestor-or-self is `i`.
        let mut applicable = false;
        let mut failing = false;
        for d in std::iter::once(i).chain(cx.descendants(i)) {
            let dn = &cx.nodes[d];
            if dn.hidden() || dn.layout_unknown || dn.positioned || dn.faded() {
                continue;
            }
            let own_text = dn
                .el
                .children()
                .any(|c| c.value().as_text().is_some_and(|t| !t.trim().is_empty()));
            if !own_text {
                continue;
            }
            let governed = std::iter::once(d)
                .chain(cx.ancestors(d))
                .find(|&a| declares(a))
                == Some(i);
            if !governed {
                continue;
            }
            let Some(text_font) = dn.font_px else {
                continue;
            };
            applicable = true;
            let ok = match resolved {
                Resolved::Px(px) => px + 1e-9 >= factor * text_font,
                Resolved::Factor(f) => f + 1e-9 >= factor,
            };
            failing |= !ok;
        }
        if !applicable || !failing {
            continue;
        }
        // Line height matters only for text that wraps; text kept on one line by scrolling or
        // nowrap cannot be judged without layout.
        let one_line = prop == "line-height"
            && std::iter::once(i).chain(cx.ancestors(i)).any(|a| {
                cx.nodes[a].attr("style").is_some_and(|s| {
                    let s = s.to_ascii_lowercase();
                    s.contains("nowrap")
                        || (s.contains("overflow") && (s.contains("scroll") || s.contains("auto")))
                })
            });
        let outcome = if one_line {
            Outcome::CantTell
        } else {
            Outcome::Failed
        };
        out.element(cx, i, outcome, format!("{prop}: {value} !important is below {factor} times the font size and cannot be overridden"));
    }
}

/// Letter spacing.
pub static LETTER_SPACING: Rule = Rule {
    info: RuleInfo {
        id: "avoid-inline-spacing-letter",
        title: "Inline !important letter spacing can be increased",
        wcag: &["1.4.12"],
        act: &["24afc2"],
        impact: Impact::Serious,
        advice: "Remove !important from the inline letter-spacing, or make it at least 0.12em.",
        best_practice: false,
    },
    check: |cx, out| check(cx, out, "letter-spacing", 0.12, 0.0, false),
};

/// Word spacing.
pub static WORD_SPACING: Rule = Rule {
    info: RuleInfo {
        id: "avoid-inline-spacing-word",
        title: "Inline !important word spacing can be increased",
        wcag: &["1.4.12"],
        act: &["9e45ec"],
        impact: Impact::Serious,
        advice: "Remove !important from the inline word-spacing, or make it at least 0.16em.",
        best_practice: false,
    },
    check: |cx, out| check(cx, out, "word-spacing", 0.16, 0.0, false),
};

/// Line height.
pub static LINE_HEIGHT: Rule = Rule {
    info: RuleInfo {
        id: "avoid-inline-spacing-line-height",
        title: "Inline !important line height can be increased",
        wcag: &["1.4.12"],
        act: &["78fd32"],
        impact: Impact::Serious,
        advice: "Remove !important from the inline line-height, or make it at least 1.5.",
        best_practice: false,
    },
    check: |cx, out| check(cx, out, "line-height", 1.5, 1.2, true),
};

#[cfg(test)]
mod tests {
    use super::super::testing::fails;
    use super::*;

    #[test]
    fn fails_tight_important_inline_spacing() {
        assert_eq!(
            fails(
                &LETTER_SPACING,
                r#"<p style="letter-spacing: 0.1em !important">Text</p>"#
            ),
            1
        );
        assert_eq!(
            fails(
                &LETTER_SPACING,
                r#"<p style="letter-spacing: 0.1em">Text</p>"#
            ),
            0
        );
        assert_eq!(
            fails(
                &LETTER_SPACING,
                r#"<p style="letter-spacing: 0.15em !important">Text</p>"#
            ),
            0
        );
        assert_eq!(
            fails(
                &WORD_SPACING,
                r#"<p style="word-spacing: 1px !important">Text</p>"#
            ),
            1
        );
        assert_eq!(
            fails(
                &LINE_HEIGHT,
                r#"<p style="line-height: 1.2 !important">Text</p>"#
            ),
            1
        );
        assert_eq!(
            fails(
                &LINE_HEIGHT,
                r#"<p style="line-height: 1.6 !important">Text</p>"#
            ),
            0
        );
    }
}
