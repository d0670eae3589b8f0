//! Text colour contrast where the colours resolve through the cascade. WCAG 1.4.3 (Contrast
//! (Minimum)); 1.4.6 (Contrast (Enhanced), AAA) as best practice. ACT rules afw4f7 and 09o5cg.
//!
//! Without layout a static audit cannot see what is behind text that is shadowed, filtered or
//! drawn over an image or gradient: those are reported as "cannot tell", never as a pass. A
//! positioned element (`absolute`, `fixed`, `sticky`: a cookie banner, a sticky header) is
//! painted over whatever is at its place, so its text is measured against its own opaque
//! background, or the opaque one of an element inside it, and is "cannot tell" without one.
//! Text under `opacity` (its own or an ancestor's) is measured as painted, the faded
//! group composited over what is behind it, when every colour involved is known; an opacity
//! that is animated, transitioned, a frame of a script's fade (more than three decimals), set
//! under a media query the cascade does not evaluate, or on `<html>` or `<body>` leaves it
//! "cannot tell". Visually hidden text (off-screen, clipped to a pixel, shrunk to nothing) is
//! not rendered text and is skipped, as are disabled controls (inactive components are
//! exempt). Backgrounds set by presentational attributes (`bgcolor`) and text coloured by
//! `<font color>` count like their CSS equivalents.
//!
//! In a rendered page each element's colours, background, opacity, font size and weight, and
//! what makes its background unknown are the browser's computed values (the render stage
//! writes them on each element, [`super::dom::PAINT_ATTR`]), so rules a script added through the
//! CSSOM and selectors or values the static cascade does not know are judged as painted. What
//! needs layout stays "cannot tell" there too, and so does text whose colours or opacity are
//! animating: the page was read at one frame.

use super::values::{Rgba, contrast};
use super::{Ctx, Impact, Outcome, Rule, RuleInfo, Sink};

/// What is known about the colours of element `i`'s own text.
enum Colours {
    /// The painted text and background colours, and the opacity the text is drawn at.
    Known(Rgba, Rgba, f64),
    Unknown(&'static str),
    Skip,
}

/// The ids that disabled controls name with `aria-labelledby`: text there labels an inactive
/// component. Found once per page, so the check stays linear in the page's size.
fn inactive_label_ids<'c>(cx: &'c Ctx<'_>) -> std::collections::HashSet<&'c str> {
    cx.aria
        .iter()
        .filter(|&&o| disabled(cx, o))
        .filter_map(|&o| cx.nodes[o].attr("aria-labelledby"))
        .flat_map(str::split_ascii_whitespace)
        .collect()
}

fn disabled(cx: &Ctx<'_>, c: usize) -> bool {
    cx.is_disabled(c)
        || cx.nodes[c]
            .attr("aria-disabled")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

fn colours(cx: &Ctx<'_>, i: usize, inactive_ids: &std::collections::HashSet<&str>) -> Colours {
    let n = &cx.nodes[i];
    if cx.cascade.missing_sheet {
        return Colours::Unknown("a linked stylesheet was not available");
    }
    let chain: Vec<usize> = std::iter::once(i).chain(cx.ancestors(i)).collect();
    for &a in &chain {
        if labels_inactive(cx, a, inactive_ids) {
            return Colours::Skip;
        }
        // Text replaced by an aria-label is not what the control says: treat as decorative.
        let an = &cx.nodes[a];
        if an.attr("aria-label").is_some_and(|l| !l.trim().is_empty())
            && an.role.is_some_and(super::aria::is_widget)
        {
            return Colours::Skip;
        }
        let an = &cx.nodes[a];
        if matches!(an.tag, "option" | "select" | "textarea" | "input") {
            return Colours::Skip;
        }
        if cx.is_disabled(a)
            || an
                .attr("aria-disabled")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            return Colours::Skip;
        }
    }
    let Some(fg) = n.color else {
        return Colours::Unknown("the text colour does not resolve");
    };
    // `color: transparent` hides text (image replacement) or leaves it to a background clipped
    // to the glyphs (`background-clip: text`, gradient headings): nothing here says which.
    if fg.a <= 0.0 {
        return Colours::Unknown(
            "the text colour is transparent: the text is not seen, or a background clipped to it paints it",
        );
    }
    // Paint is folded from the text outwards, one element of the chain at a time: its
    // background goes under what is painted so far, then its opacity fades the whole group
    // (CSS Color 4, `opacity`: the element and its descendants are composited as one image, then
    // drawn at that opacity). The text pixel and a background pixel beside it are folded
    // alike, so an ancestor's opacity fades the text and the backgrounds inside it together,
    // but not the backgrounds behind it. Once both are opaque and nothing further out is
    // faded, the elements further out cannot change them.
    let fading_out: Vec<bool> = {
        let mut any = false;
        let mut v: Vec<bool> = chain
            .iter()
            .rev()
            .map(|&a| {
                any |= cx.nodes[a].faded();
                any
            })
            .collect();
        v.reverse();
        v
    };
    if chain.iter().any(|&a| cx.nodes[a].paint_effect) {
        return Colours::Unknown("a filter or blend mode changes the painted colours");
    }
    let mut text = Paint::of(fg);
    let mut back = Paint::CLEAR;
    let mut opacity = 1.0;
    // A positioned element is painted over whatever is at its place, not over its parent's
    // background: its own opaque background is behind the text inside it, and nothing further
    // out can be folded in.
    let mut past_positioned = false;
    for (&a, &fading) in chain.iter().zip(&fading_out) {
        if text.a >= 1.0 && back.a >= 1.0 && !fading {
            break;
        }
        if past_positioned {
            return Colours::Unknown(
                "the text or an ancestor is positioned without an opaque background of its own, so what is behind it is unknown",
            );
        }
        let an = &cx.nodes[a];
        if an.layout_unknown {
            return Colours::Unknown(
                "the text or an ancestor is shadowed, clipped, or covered by a box its ::before or ::after paints",
            );
        }
        if an.background_unknown {
            return Colours::Unknown("the background is an image, gradient or unresolved colour");
        }
        let Some(o) = an.opacity else {
            return Colours::Unknown("an opacity does not resolve");
        };
        // In a rendered page the colours read are those of one moment: a running animation
        // of colour, background or opacity was caught at some frame of it.
        if an.animated && cx.painted() {
            return Colours::Unknown(
                "its colours or opacity are animating, and the rendered page showed one frame",
            );
        }
        if o < 1.0 {
            if matches!(an.tag, "html" | "body") {
                // Their background may paint the whole canvas, outside the faded group.
                return Colours::Unknown("the page itself is semi-transparent");
            }
            if an.animated {
                return Colours::Unknown("a semi-transparent element is animated or transitioned");
            }
        }
        if let Some(bg) = an.background {
            let bg = Paint::of(bg);
            text = text.over(bg);
            back = back.over(bg);
        }
        text = text.faded(o);
        back = back.faded(o);
        opacity *= o;
        past_positioned |= an.positioned;
    }
    if opacity <= 0.0 {
        return Colours::Unknown(
            "the text is fully transparent (opacity 0), perhaps until a script shows it",
        );
    }
    let canvas = Paint::of(Rgba::WHITE);
    Colours::Known(
        text.over(canvas).colour(),
        back.over(canvas).colour(),
        opacity,
    )
}

/// A colour with premultiplied alpha, as paint accumulates inside a group.
#[derive(Debug, Clone, Copy)]
struct Paint {
    r: f64,
    g: f64,
    b: f64,
    a: f64,
}

impl Paint {
    const CLEAR: Paint = Paint {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        a: 0.0,
    };

    fn of(c: Rgba) -> Paint {
        Paint {
            r: c.r * c.a,
            g: c.g * c.a,
            b: c.b * c.a,
            a: c.a,
        }
    }

    /// Source-over: `self` painted on `below`.
    fn over(self, below: Paint) -> Paint {
        let k = 1.0 - self.a;
        Paint {
            r: self.r + below.r * k,
            g: self.g + below.g * k,
            b: self.b + below.b * k,
            a: self.a + below.a * k,
        }
    }

    /// The group drawn at opacity `o`.
    fn faded(self, o: f64) -> Paint {
        Paint {
            r: self.r * o,
            g: self.g * o,
            b: self.b * o,
            a: self.a * o,
        }
    }

    /// The colour of opaque paint.
    fn colour(self) -> Rgba {
        let a = if self.a > 0.0 { self.a } else { 1.0 };
        Rgba {
            r: self.r / a,
            g: self.g / a,
            b: self.b / a,
            a: 1.0,
        }
    }
}

/// Whether `i` is a label (or aria-labelledby target) of a disabled control: the text of
/// inactive components is exempt from 1.4.3.
fn labels_inactive(cx: &Ctx<'_>, i: usize, inactive_ids: &std::collections::HashSet<&str>) -> bool {
    let n = &cx.nodes[i];
    let disabled = |c: usize| disabled(cx, c);
    if n.tag == "label" {
        let target = match n.attr("for") {
            Some(f) => cx.idref(i, f),
            None => cx
                .descendants(i)
                .find(|&d| matches!(cx.nodes[d].tag, "input" | "select" | "textarea" | "button")),
        };
        if target.is_some_and(disabled) {
            return true;
        }
    }
    n.el.value()
        .id()
        .is_some_and(|id| inactive_ids.contains(id))
}

fn large(cx: &Ctx<'_>, i: usize) -> Option<bool> {
    let n = &cx.nodes[i];
    let px = n.font_px?;
    Some(px >= 24.0 || (n.bold && px >= 18.66))
}

fn check(cx: &Ctx<'_>, out: &mut Sink<'_>, normal: f64, big: f64) {
    let inactive_ids = inactive_label_ids(cx);
    for i in 0..cx.nodes.len() {
        let n = &cx.nodes[i];
        if n.hidden() || n.is_svg() || n.visually_hidden {
            continue;
        }
        // Text must be in a human language: symbols alone ("----", "***") are exempt.
        let own_text = n.el.children().any(|c| {
            c.value()
                .as_text()
                .is_some_and(|t| t.chars().any(char::is_alphanumeric))
        });
        if !own_text {
            continue;
        }
        match colours(cx, i, &inactive_ids) {
            Colours::Skip => {}
            Colours::Unknown(why) => {
                out.element(
                    cx,
                    i,
                    Outcome::CantTell,
                    format!(
                        "Text contrast cannot be decided {}: {why}",
                        if cx.painted() {
                            "from the rendered page"
                        } else {
                            "statically"
                        }
                    ),
                );
            }
            Colours::Known(fg, bg, opacity) => {
                let ratio = contrast(fg, bg);
                let faded = if opacity < 1.0 {
                    format!(" (drawn at opacity {})", (opacity * 100.0).round() / 100.0)
                } else {
                    String::new()
                };
                let Some(is_large) = large(cx, i) else {
                    if ratio < big {
                        out.element(
                            cx,
                            i,
                            Outcome::Failed,
                            format!("Text contrast is {ratio:.2}:1{faded}"),
                        );
                    } else if ratio < normal {
                        out.element(
                            cx,
                            i,
                            Outcome::CantTell,
                            format!(
                                "Text contrast is {ratio:.2}:1{faded} and the font size does not resolve"
                            ),
                        );
                    }
                    continue;
                };
                let need = if is_large { big } else { normal };
                if ratio + 1e-9 < need {
                    out.element(
                        cx,
                        i,
                        Outcome::Failed,
                        format!("Text contrast is {ratio:.2}:1{faded}; {need}:1 is needed"),
                    );
                }
            }
        }
        if out.full() {
            return;
        }
    }
}

/// Minimum contrast (AA).
pub static COLOR_CONTRAST: Rule = Rule {
    info: RuleInfo {
        id: "color-contrast",
        title: "Text has enough contrast with its background",
        wcag: &["1.4.3"],
        act: &["afw4f7"],
        impact: Impact::Serious,
        advice: "Darken the text or lighten the background to at least 4.5:1 (3:1 for large text).",
        best_practice: false,
    },
    check: |cx, out| check(cx, out, 4.5, 3.0),
};

/// Enhanced contrast (AAA).
pub static COLOR_CONTRAST_ENHANCED: Rule = Rule {
    info: RuleInfo {
        id: "color-contrast-enhanced",
        title: "Text has enhanced contrast (AAA)",
        wcag: &[],
        act: &["09o5cg"],
        impact: Impact::Minor,
        advice: "For AAA, use at least 7:1 (4.5:1 for large text).",
        best_practice: true,
    },
    check: |cx, out| check(cx, out, 7.0, 4.5),
};

#[cfg(test)]
mod tests {
    use super::super::testing::run;
    use super::*;

    fn outcomes(html: &str) -> Vec<Outcome> {
        run(&COLOR_CONTRAST, &super::super::testing::doc(html))
            .into_iter()
            .map(|f| f.outcome)
            .collect()
    }

    #[test]
    fn fails_low_contrast_and_cannot_tell_over_images() {
        assert_eq!(
            outcomes(r#"<p style="color: #aaa; background: #fff">Grey</p>"#),
            vec![Outcome::Failed]
        );
        assert!(outcomes(r#"<p style="color: #222; background: #fff">Dark</p>"#).is_empty());
        assert_eq!(
            outcomes(r#"<p style="color: #aaa; background: url(a.png)">Over image</p>"#),
            vec![Outcome::CantTell]
        );
        assert!(outcomes(r#"<p style="color: #777; font-size: 32px">Large</p>"#).is_empty());
    }

    // W3C Before-After Demonstration, inaccessible home page: a white `bgcolor` table on a grey
    // page. Its #226C8E links measure 5.8:1 against the table, not 4.02:1 against the page.
    #[test]
    fn bgcolor_of_a_table_is_the_background_of_its_text() {
        let html = r#"<div style="background-color: #d7d7cd"><table bgcolor=white><tr><td>
            <a href="/news" style="color: #226C8E">Heat wave linked to temperatures</a></td></tr></table></div>"#;
        assert!(outcomes(html).is_empty(), "{:?}", outcomes(html));
        let grey = r#"<div style="background-color: #d7d7cd"><table><tr><td>
            <a href="/news" style="color: #226C8E">Heat wave linked to temperatures</a></td></tr></table></div>"#;
        assert_eq!(outcomes(grey), vec![Outcome::Failed]);
    }

    // The same demo's "Free Penguins" box: <font color=#41545D> on <td bgcolor=#A9B8BF> is
    // 3.88:1, which W3C's report fails under 1.4.3.
    #[test]
    fn font_colour_on_a_bgcolor_cell_is_measured() {
        let html = r##"<table><tr><td bgcolor=#A9B8BF><font color=#41545D face=Verdana size=2>&nbsp;<b>Free Penguins</b></font></td></tr></table>"##;
        let r = run(&COLOR_CONTRAST, &super::super::testing::doc(html));
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].outcome, Outcome::Failed);
        assert!(r[0].message.contains("3.88"), "{}", r[0].message);
        // An author rule beats the presentational hint.
        let css = r#"<style>td font { color: #000 }</style>"#;
        assert!(outcomes(&format!("{css}{html}")).is_empty());
        // Over a background image (`<td background>`) the answer is "cannot tell", not silence.
        let img = r##"<table><tr><td background="img/top.gif"><font color=#41545D>Quick menu</font></td></tr></table>"##;
        assert_eq!(outcomes(img), vec![Outcome::CantTell]);
    }

    #[test]
    fn body_text_and_link_attributes_colour_the_page() {
        let page = r##"<!doctype html><html lang="en"><head><title>t</title></head>
            <body bgcolor="#ffffff" text="#999999" link="#226C8E"><p>Grey body text</p><p><a href="/x">A link</a></p></body></html>"##;
        let r = run(&COLOR_CONTRAST, page);
        assert_eq!(r.len(), 1, "only the grey text fails: {r:?}");
        assert!(r[0].snippet.starts_with("<p"));
    }

    // ACT afw4f7 Failed Example 5: black text at opacity 0.3 over white is painted #b3b3b3,
    // 2.1:1 against the white behind it.
    #[test]
    fn text_under_opacity_is_measured_as_painted() {
        let faint = r##"<div style="background: #FFF"><p style="color: #000; opacity: .3">Some text</p></div>"##;
        let r = run(&COLOR_CONTRAST, &super::super::testing::doc(faint));
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].outcome, Outcome::Failed);
        assert!(r[0].message.contains("2.1"), "{}", r[0].message);
        assert!(r[0].message.contains("opacity 0.3"), "{}", r[0].message);
        // At 0.6 the same text is #666 as painted, 5.7:1: enough for AA, not for AAA.
        let lighter = faint.replace(".3", ".6");
        assert!(outcomes(&lighter).is_empty(), "{:?}", outcomes(&lighter));
        let aaa = run(
            &COLOR_CONTRAST_ENHANCED,
            &super::super::testing::doc(&lighter),
        );
        assert_eq!(aaa.len(), 1, "{aaa:?}");
        assert_eq!(aaa[0].outcome, Outcome::Failed);
        // Opacities multiply down the tree, and a percentage counts like a number.
        let nested = r##"<div style="opacity: 60%"><p style="color: #000; opacity: .5">Some text</p></div>"##;
        assert_eq!(outcomes(nested), vec![Outcome::Failed]);
    }

    // Opacity fades an element's whole group, its own background included, over what is
    // behind it: black on a white box at opacity 0.5 over a black page is black on mid grey
    // (5.3:1), not mid grey on white (4.0:1) as fading the text alone would make it.
    #[test]
    fn opacity_on_the_box_holding_the_background_fades_that_background_too() {
        let html = r##"<div style="background: #000"><div style="background: #fff; opacity: .5"><p style="color: #000">Some text</p></div></div>"##;
        assert!(outcomes(html).is_empty(), "{:?}", outcomes(html));
        // White text on that box is mid grey on mid grey.
        let white = html.replace("color: #000", "color: #fff");
        assert_eq!(outcomes(&white), vec![Outcome::Failed]);
    }

    #[test]
    fn opacity_is_not_measured_where_the_painted_colour_is_unknown() {
        for (why, html) in [
            (
                "animated: the opacity read may be a fade's first frame",
                r##"<p style="color: #000; opacity: .3; animation: fade-in 1s forwards">Some text</p>"##,
            ),
            (
                "transitioned",
                r##"<p style="color: #000; opacity: .3; transition: opacity .2s">Some text</p>"##,
            ),
            (
                "a filter changes the colours",
                r##"<div style="filter: invert(1)"><p style="color: #aaa; background: #fff">Some text</p></div>"##,
            ),
            (
                "a blend mode mixes the text with what is behind",
                r##"<p style="color: #000; opacity: .3; mix-blend-mode: multiply">Some text</p>"##,
            ),
            (
                "the body's background may be the canvas's",
                r##"<body style="opacity: .3"><p style="color: #000">Some text</p></body>"##,
            ),
            (
                "fully transparent text is not seen, perhaps until a script shows it",
                r##"<p style="color: #000; opacity: 0">Some text</p>"##,
            ),
            (
                "transparent text: hidden (image replacement), or painted by a background clipped to the glyphs",
                r##"<h1 style="color: transparent; background: #fff">Welcome</h1>"##,
            ),
            (
                "a colour with no alpha is transparent too",
                r##"<p style="color: rgba(0, 0, 0, 0); background: #fff">Skip to content</p>"##,
            ),
            (
                "an opacity that does not resolve",
                r##"<p style="color: #000; opacity: var(--dim)">Some text</p>"##,
            ),
            (
                "a frame of a script's fade, caught in a rendered page",
                r##"<p style="color: #000; opacity: 0.372819">Some text</p>"##,
            ),
            (
                "a wider screen may show it at another opacity",
                r##"<style>.hero p { opacity: .3 } @media (min-width: 40em) { .hero p { opacity: 1 } }</style>
                    <div class="hero"><p style="color: #000">Some text</p></div>"##,
            ),
            (
                "ACT afw4f7 Failed Example 11: a text shadow",
                r##"<p style="background: #fff; color: #666; text-shadow: #aaa 2px 2px 4px">Some text</p>"##,
            ),
        ] {
            assert_eq!(outcomes(html), vec![Outcome::CantTell], "{why}");
        }
    }

    fn rendered_outcomes(html: &str) -> Vec<Outcome> {
        super::super::testing::run_rendered(&COLOR_CONTRAST, &super::super::testing::doc(html))
            .into_iter()
            .map(|f| f.outcome)
            .collect()
    }

    #[test]
    fn a_rendered_page_is_judged_by_the_paint_the_browser_computed() {
        // The stylesheet says dark text; the browser painted it pale (a rule the CSSOM holds).
        let pale = r#"<p style="color: #111; background: #fff" data-civicscan-paint="rgb(187, 187, 187)|rgb(255, 255, 255)|0|1|16|400|0|0|0|0">Bins</p>"#;
        assert_eq!(rendered_outcomes(pale), vec![Outcome::Failed]);
        // In HTML as served the attribute is the page's own, and means nothing.
        assert!(outcomes(pale).is_empty());
        // The background the browser gave an ancestor is behind the text: #111 on #222.
        let nested = r#"<div data-civicscan-paint="rgb(0, 0, 0)|rgb(34, 34, 34)|0|1|16|400|0|0|0|0"><p data-civicscan-paint="rgb(17, 17, 17)|rgba(0, 0, 0, 0)|0|1|16|400|0|0|0|0">Bins</p></div>"#;
        assert_eq!(rendered_outcomes(nested), vec![Outcome::Failed]);
        // Large by the browser's font size, so 3:1 is enough (#949494 on white is 3.03:1).
        let large = r#"<p style="background: #fff" data-civicscan-paint="rgb(148, 148, 148)|rgb(255, 255, 255)|0|1|24|400|0|0|0|0">Bins</p>"#;
        assert!(rendered_outcomes(large).is_empty());
        assert_eq!(
            rendered_outcomes(&large.replace("|24|", "|16|")),
            vec![Outcome::Failed]
        );
    }

    #[test]
    fn what_the_browser_cannot_settle_stays_cannot_tell() {
        for (why, paint) in [
            (
                "colours animating",
                "rgb(187, 187, 187)|rgb(255, 255, 255)|0|1|16|400|0|0|1|0",
            ),
            (
                "a background image",
                "rgb(187, 187, 187)|rgb(255, 255, 255)|1|1|16|400|0|0|0|0",
            ),
            (
                "shadowed or clipped",
                "rgb(187, 187, 187)|rgb(255, 255, 255)|0|1|16|400|1|0|0|0",
            ),
            (
                "out of flow without a background of its own",
                "rgb(187, 187, 187)|rgba(0, 0, 0, 0)|0|1|16|400|0|0|0|1",
            ),
            (
                "a filter",
                "rgb(187, 187, 187)|rgb(255, 255, 255)|0|1|16|400|0|1|0|0",
            ),
            (
                "a colour the audit cannot read",
                "oklch(0.8 0 0)|rgb(255, 255, 255)|0|1|16|400|0|0|0|0",
            ),
            (
                "a fade's frame",
                "rgb(17, 17, 17)|rgb(255, 255, 255)|0|0.372819|16|400|0|0|0|0",
            ),
        ] {
            let html = format!(r#"<p data-civicscan-paint="{paint}">Bins</p>"#);
            assert_eq!(rendered_outcomes(&html), vec![Outcome::CantTell], "{why}");
        }
    }

    #[test]
    fn visually_hidden_text_is_not_rendered_text() {
        let css = r#"<style>
            .hidden { position: absolute; top: -1000em; left: -1000em; height: 1px; width: 1px; overflow: hidden }
            .govuk-visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important; clip-path: inset(50%) !important; }
            .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; overflow: hidden; clip: rect(0,0,0,0); }
            .offscreen { position: absolute; left: -16000px; }
            p { color: #bbb; background: #fff }
        </style>"#;
        for class in ["hidden", "govuk-visually-hidden", "sr-only", "offscreen"] {
            let html = format!(r#"{css}<p class="{class}">Skip to content</p>"#);
            assert!(outcomes(&html).is_empty(), "{class}: {:?}", outcomes(&html));
        }
        // Positioned but on screen: measured against its own background.
        let html = format!(r#"{css}<p style="position: absolute; left: 10px">Banner</p>"#);
        assert_eq!(outcomes(&html), vec![Outcome::Failed]);
    }

    // A banner darkened by a `::before` overlay: white on the banner's #ccc alone would fail at
    // 1.6:1, but the text is drawn over the overlay, which the cascade does not composite.
    #[test]
    fn text_over_a_pseudo_element_overlay_cannot_be_told() {
        let banner = |before: &str| {
            format!(
                r#"<style>.hero {{ position: relative; background: #ccc }}
                .hero::before {{ content: ""; position: absolute; {before} }}
                .hero p {{ color: #fff; position: relative }}</style>
                <div class="hero"><p>Pay your council tax online</p></div>"#
            )
        };
        for overlay in [
            "inset: 0; background: rgba(0, 0, 0, .6)",
            "top: 0; left: 0; width: 100%; height: 100%; background-color: #000; opacity: .6",
            "inset: 0; background: url(shade.png)",
        ] {
            assert_eq!(
                outcomes(&banner(overlay)),
                vec![Outcome::CantTell],
                "{overlay}"
            );
        }
        for not_overlay in [
            "top: 0; left: 0; width: 8px; height: 8px; background: #000",
            "inset: 0; background: transparent",
            "bottom: 0; left: 0; width: 100%; height: 3px; background: #005ea5",
            "inset: 0; border: 1px solid #000",
        ] {
            assert_eq!(
                outcomes(&banner(not_overlay)),
                vec![Outcome::Failed],
                "{not_overlay}"
            );
        }
    }

    // A positioned element is painted over whatever is at its place: its own opaque background
    // is behind its text (a cookie banner, a sticky header), its parent's is not.
    #[test]
    fn positioned_text_is_measured_only_against_a_background_of_its_own() {
        let banner = r#"<div style="background: #fff"><div style="position: fixed; bottom: 0; background: #1d70b8">
            <p style="color: #fff">We use cookies</p></div></div>"#;
        assert!(outcomes(banner).is_empty(), "white on #1d70b8 is 5.2:1");
        let pale = banner.replace("#1d70b8", "#8ab4dd");
        assert_eq!(outcomes(&pale), vec![Outcome::Failed]);
        for (why, html) in [
            (
                "no background of its own: what is behind it depends on where it lands",
                r#"<div style="background: #000"><p style="position: absolute; top: 0; color: #fff">Menu</p></div>"#,
            ),
            (
                "a half-transparent background of its own",
                r#"<div style="background: #000"><p style="position: sticky; top: 0; color: #fff; background: rgba(0, 0, 0, .5)">Menu</p></div>"#,
            ),
            (
                "an ancestor further out fades the positioned box with what is behind it",
                r#"<div style="opacity: .5"><p style="position: absolute; color: #fff; background: #000">Menu</p></div>"#,
            ),
        ] {
            assert_eq!(outcomes(html), vec![Outcome::CantTell], "{why}");
        }
    }
}
