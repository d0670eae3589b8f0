//! The audit's view of one page, built by a single walk of the DOM: every element with its
//! parent, computed role, the few computed styles the rules need, and whether it is in the
//! accessibility tree; plus the accessible-name computation shared by all rules.
//!
//! "Hidden" follows WAI-ARIA 1.2 §"Excluding elements from the accessibility tree": not
//! rendered (`display: none`, the `hidden` attribute, `visibility: hidden`, closed `<details>`
//! content) or `aria-hidden="true"` on the element or an ancestor. Names follow the W3C
//! Accessible Name and Description Computation 1.2 and HTML-AAM §4.1, without CSS generated
//! content (`::before`/`::after`), which a static audit cannot see.

use std::collections::HashMap;
use std::sync::Arc;

use ego_tree::iter::Edge;
use scraper::{ElementRef, Node as DomNode};
use url::Url;

use super::aria;
use super::css::{self, Cascade, SiteCss};
use super::values::{self, Prop, Rgba};
use crate::page::{ParsedPage, normalise_space};
use crate::ruleset::AccessibilitySettings;

/// One element of the page with what the rules need to know about it.
#[derive(Debug)]
pub struct Node<'a> {
    /// The element.
    pub el: ElementRef<'a>,
    /// Its local name, lower case.
    pub tag: &'a str,
    /// Its parent element's index.
    pub parent: Option<usize>,
    /// One past the index of its last descendant.
    pub end: usize,
    /// Not rendered: `display: none` (or UA-hidden) on it or an ancestor.
    pub not_rendered: bool,
    /// `visibility: hidden` or `collapse` in effect.
    pub invisible: bool,
    /// `aria-hidden="true"` on it or an ancestor.
    pub aria_hidden: bool,
    /// The computed role (`None` when the element has no role the audit knows).
    pub role: Option<&'static str>,
    /// Whether the role comes from a valid `role` attribute.
    pub explicit_role: bool,
    /// The computed text colour (`None` when it cannot be resolved).
    pub color: Option<Rgba>,
    /// Its own declared background colour.
    pub background: Option<Rgba>,
    /// The background colour could not be resolved or there is a background image/gradient.
    pub background_unknown: bool,
    /// Shadowed, clipped or replaced content: what its text looks like is unknown without
    /// layout. (Opacity is kept apart, in `opacity`.)
    pub layout_unknown: bool,
    /// Positioned out of flow (`absolute`, `fixed`, `sticky`): what is behind it is unknown
    /// without layout, though its own opaque background is behind its own text.
    pub positioned: bool,
    /// Its own `opacity`, 1 when none is declared; `None` when the declared value does not
    /// resolve (`var()`, `calc()`, `inherit`).
    pub opacity: Option<f64>,
    /// A filter, backdrop filter or blend mode changes how it and what is in it are painted.
    pub paint_effect: bool,
    /// An animation or transition is declared on it: the style read may not be the one shown.
    pub animated: bool,
    /// Computed font size in px (`None` when unknown).
    pub font_px: Option<f64>,
    /// Computed weight is bold (≥ 700).
    pub bold: bool,
    /// Moved off-screen, clipped to a pixel or shrunk to nothing (the "visually hidden"
    /// patterns), on it or an ancestor: in the accessibility tree but not seen, so visual
    /// rules (contrast, typography) skip it.
    pub visually_hidden: bool,
    /// The font size was set in fixed units (px, pt) on it or the ancestor it inherits from.
    pub font_fixed: bool,
    /// Computed `text-align` is `justify`.
    pub justified: bool,
    /// Computed `text-transform` is `uppercase`.
    pub uppercase: bool,
    /// The tree it belongs to in a rendered page's flat tree: 0 for the document, another
    /// number for each shadow root (see [`SCOPE_ATTR`]). IDs resolve within one tree only.
    pub scope: u32,
}

/// The attribute the render stage puts on an element whose tree (document or shadow root)
/// differs from its parent's in the serialised flat tree, naming its tree (`src/render/page.js`).
/// Elements without it belong to their parent's tree.
pub const SCOPE_ATTR: &str = "data-civicscan-scope";

/// The attribute the render stage puts on each element of a rendered page with the paint the
/// browser computed for it (`src/render/page.js`), read only when auditing a rendered DOM:
/// `color|background-color|background image (0/1)|opacity|font-size px|font-weight|
/// shadowed, clipped or overlaid by a ::before or ::after box (0/1)|filter or blend (0/1)|
/// colours animating (0/1)|out of flow (0/1)`.
pub const PAINT_ATTR: &str = "data-civicscan-paint";

/// Attributes the render stage adds, left out of what a report shows of an element.
const OUR_ATTRS: [&str; 2] = [SCOPE_ATTR, PAINT_ATTR];

/// What the browser computed for an element's paint ([`PAINT_ATTR`]). The static cascade
/// cannot see rules a script added through the CSSOM (as CSS-in-JS libraries do in production,
/// leaving their `<style>` elements empty), nor every selector and value a browser knows.
#[derive(Debug, Clone, Copy)]
struct BrowserPaint {
    color: Option<Rgba>,
    background: Option<Rgba>,
    background_unknown: bool,
    opacity: Option<f64>,
    font_px: Option<f64>,
    bold: bool,
    layout_unknown: bool,
    paint_effect: bool,
    animated: bool,
    positioned: bool,
}

impl BrowserPaint {
    /// `None` when the attribute is not in the render stage's form.
    fn parse(v: &str) -> Option<BrowserPaint> {
        let f: Vec<&str> = v.split('|').collect();
        let [
            color,
            bg,
            image,
            opacity,
            font,
            weight,
            layout,
            effect,
            animated,
            positioned,
        ] = f[..]
        else {
            return None;
        };
        let flag = |x: &str| match x {
            "0" => Some(false),
            "1" => Some(true),
            _ => None,
        };
        // A colour the audit cannot read (`oklch()`, `color(display-p3 …)`) stays unknown.
        let (background, unreadable) = background_colour(bg);
        Some(BrowserPaint {
            color: values::parse_color(color),
            background,
            background_unknown: unreadable || flag(image)?,
            // A script's fade caught mid-way shows a frame's opacity (`0.372819`); one held
            // there by a running animation is flagged as animated.
            opacity: values::parse_opacity(opacity).filter(|_| !is_fade_frame(opacity)),
            font_px: font
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0),
            bold: weight.parse::<f64>().is_ok_and(|w| w >= 700.0),
            layout_unknown: flag(layout)?,
            paint_effect: flag(effect)?,
            animated: flag(animated)?,
            positioned: flag(positioned)?,
        })
    }
}

/// A `background-color` value as painted: the colour (`None` when transparent) and whether it
/// could not be read.
fn background_colour(v: &str) -> (Option<Rgba>, bool) {
    match values::parse_color(v) {
        Some(c) if c.a == 0.0 => (None, false),
        Some(c) => (Some(c), false),
        None => (None, true),
    }
}

/// Whether an opacity has more than three decimals: a frame of a script's fade (jQuery's
/// fadeIn, GSAP write each frame's value into the style attribute); authors write two or three.
fn is_fade_frame(v: &str) -> bool {
    v.split_once('.')
        .is_some_and(|(_, d)| d.chars().take_while(char::is_ascii_digit).count() > 3)
}

impl Node<'_> {
    /// Excluded from the accessibility tree.
    pub fn hidden(&self) -> bool {
        self.not_rendered || self.invisible || self.aria_hidden
    }

    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.el.value().attr(name)
    }

    /// Drawn at an opacity below 1 (or an unreadable one): what its text looks like depends on
    /// what is behind it.
    pub fn faded(&self) -> bool {
        self.opacity.is_none_or(|o| o < 1.0)
    }

    /// Whether the element is in the SVG namespace.
    pub fn is_svg(&self) -> bool {
        &*self.el.value().name.ns == "http://www.w3.org/2000/svg"
    }

    /// Whether the attribute is present.
    pub fn has(&self, name: &str) -> bool {
        self.el.value().attr(name).is_some()
    }
}

/// Elements not rendered by the user agent stylesheet.
const UA_HIDDEN: &[&str] = &[
    "head", "script", "style", "template", "title", "meta", "link", "base", "noscript", "datalist",
    "param", "source", "track",
];

/// Elements whose content is painted by something other than their text and styles.
fn replaced(tag: &str) -> bool {
    matches!(
        tag,
        "img" | "svg" | "canvas" | "video" | "iframe" | "object" | "picture" | "embed"
    )
}

/// Roles that are not "generic" containers for context and ownership checks.
fn transparent_role(role: Option<&str>) -> bool {
    matches!(role, None | Some("generic" | "none" | "presentation"))
}

/// The audit context of one page.
pub struct Ctx<'a> {
    /// The page.
    pub page: &'a ParsedPage,
    /// Elements in document order.
    pub nodes: Vec<Node<'a>>,
    /// Element indices by id.
    pub ids: HashMap<&'a str, Vec<usize>>,
    tags: HashMap<&'a str, Vec<usize>>,
    /// Element indices with any `aria-*` or `role` attribute.
    pub aria: Vec<usize>,
    /// Element indices with a `style` attribute.
    pub styled: Vec<usize>,
    /// Element indices with a `tabindex` attribute.
    pub tabindexed: Vec<usize>,
    /// Element indices with a `lang` attribute.
    pub langs: Vec<usize>,
    /// The page's author styles.
    pub cascade: Cascade,
    /// Settings.
    pub settings: &'a AccessibilitySettings,
    labels_for: HashMap<&'a str, Vec<usize>>,
    /// `<body link>`: the colour of unvisited links where no author rule sets one.
    body_link: Option<Rgba>,
    pos: HashMap<ego_tree::NodeId, usize>,
    owners: HashMap<usize, usize>,
    /// A rendered page's DOM, whose elements carry the browser's computed paint
    /// ([`PAINT_ATTR`]); in HTML as served the attribute is the page's own and is ignored.
    painted: bool,
}

impl<'a> Ctx<'a> {
    /// Walks the page once and computes styles, roles and visibility.
    pub fn build(
        page: &'a ParsedPage,
        site_css: &SiteCss,
        settings: &'a AccessibilitySettings,
    ) -> Ctx<'a> {
        Self::build_with(page, site_css, settings, false)
    }

    /// As [`Ctx::build`]; with `painted`, for the DOM a browser rendered: where the render
    /// stage gave an element's computed paint, its colours, opacity, font and what makes its
    /// background unknown are the browser's, not the static cascade's.
    pub fn build_with(
        page: &'a ParsedPage,
        site_css: &SiteCss,
        settings: &'a AccessibilitySettings,
        painted: bool,
    ) -> Ctx<'a> {
        let mut cx = Ctx {
            page,
            nodes: Vec::with_capacity(1024),
            ids: HashMap::new(),
            tags: HashMap::new(),
            aria: Vec::new(),
            styled: Vec::new(),
            tabindexed: Vec::new(),
            langs: Vec::new(),
            cascade: Cascade::default(),
            settings,
            labels_for: HashMap::new(),
            body_link: None,
            pos: HashMap::new(),
            owners: HashMap::new(),
            painted,
        };
        let mut stack: Vec<usize> = Vec::new();
        let mut sheets: Vec<(usize, Option<String>)> = Vec::new();
        for edge in page.html.root_element().traverse() {
            match edge {
                Edge::Open(node) => {
                    let Some(el) = ElementRef::wrap(node) else {
                        continue;
                    };
                    let i = cx.nodes.len();
                    let v = el.value();
                    let tag = v.name();
                    if let Some(id) = v.id() {
                        cx.ids.entry(id).or_default().push(i);
                    }
                    cx.tags.entry(tag).or_default().push(i);
                    let mut any_aria = false;
                    for (name, _) in v.attrs() {
                        match name {
                            "style" => cx.styled.push(i),
                            "tabindex" => cx.tabindexed.push(i),
                            "lang" => cx.langs.push(i),
                            "role" => any_aria = true,
                            n if n.starts_with("aria-") => any_aria = true,
                            _ => {}
                        }
                    }
                    if any_aria {
                        cx.aria.push(i);
                    }
                    if tag == "label"
                        && let Some(f) = v.attr("for")
                    {
                        cx.labels_for.entry(f).or_default().push(i);
                    }
                    if tag == "style" {
                        sheets.push((i, None));
                    } else if tag == "link"
                        && v.attr("rel").is_some_and(|r| {
                            r.split_ascii_whitespace()
                                .any(|t| t.eq_ignore_ascii_case("stylesheet"))
                                && !r
                                    .split_ascii_whitespace()
                                    .any(|t| t.eq_ignore_ascii_case("alternate"))
                        })
                        && let Some(h) = v.attr("href")
                    {
                        sheets.push((i, Some(h.to_string())));
                    }
                    cx.pos.insert(node.id(), i);
                    let scope = v
                        .attr(SCOPE_ATTR)
                        .and_then(|s| s.parse().ok())
                        .unwrap_or_else(|| stack.last().map_or(0, |&p: &usize| cx.nodes[p].scope));
                    cx.nodes.push(Node {
                        el,
                        tag,
                        parent: stack.last().copied(),
                        end: i + 1,
                        not_rendered: false,
                        invisible: false,
                        aria_hidden: false,
                        role: None,
                        explicit_role: false,
                        color: None,
                        background: None,
                        background_unknown: false,
                        layout_unknown: false,
                        positioned: false,
                        opacity: Some(1.0),
                        paint_effect: false,
                        animated: false,
                        font_px: None,
                        bold: false,
                        visually_hidden: false,
                        font_fixed: false,
                        justified: false,
                        uppercase: false,
                        scope,
                    });
                    stack.push(i);
                }
                Edge::Close(node) => {
                    if node.value().is_element()
                        && let Some(i) = stack.pop()
                    {
                        cx.nodes[i].end = cx.nodes.len();
                    }
                }
            }
        }
        for &o in &cx.aria {
            if let Some(v) = cx.nodes[o].attr("aria-owns") {
                for id in v.split_ascii_whitespace() {
                    if let Some(t) = cx.idref(o, id)
                        && t != o
                        && !cx.is_ancestor(t, o)
                    {
                        cx.owners.entry(t).or_insert(o);
                    }
                }
            }
        }
        let base = page.base_url();
        for (i, href) in sheets {
            let media_ok = cx.nodes[i].attr("media").is_none_or(|m| {
                let m = m.trim().to_ascii_lowercase();
                m.is_empty() || m.contains("screen") || m.contains("all")
            });
            if !media_ok {
                continue;
            }
            match href {
                None => {
                    let text: String = cx.nodes[i].el.text().collect();
                    cx.cascade.push(Arc::new(css::Sheet::parse(&text)));
                }
                Some(h) => match resolve_sheet(&base, &h).and_then(|u| site_css.get(&u)) {
                    Some(sheet) => cx.cascade.push(sheet),
                    None => cx.cascade.missing_sheet = true,
                },
            }
        }
        for i in 0..cx.nodes.len() {
            cx.compute(i);
        }
        cx
    }

    fn compute(&mut self, i: usize) {
        let el = self.nodes[i].el;
        let tag = self.nodes[i].tag;
        let parent = self.nodes[i].parent;
        let declared = self.cascade.declared(el);
        let (p_nr, p_inv, p_ah, p_color, p_font, p_bold) = match parent {
            Some(p) => {
                let n = &self.nodes[p];
                (
                    n.not_rendered,
                    n.invisible,
                    n.aria_hidden,
                    n.color,
                    n.font_px,
                    n.bold,
                )
            }
            None => (false, false, false, Some(Rgba::BLACK), Some(16.0), false),
        };
        let (p_vh, p_fixed, p_justified, p_upper) = match parent {
            Some(p) => {
                let n = &self.nodes[p];
                (n.visually_hidden, n.font_fixed, n.justified, n.uppercase)
            }
            None => (false, false, false, false),
        };
        let display = declared
            .get(Prop::Display)
            .map(|d| d.trim().to_ascii_lowercase());
        let ua_none = UA_HIDDEN.contains(&tag)
            || (el.value().attr("hidden").is_some())
            || (tag == "input"
                && el
                    .value()
                    .attr("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("hidden")))
            || self.in_closed_details(i);
        let own_none = match display.as_deref() {
            Some("none") => true,
            Some(d)
                if !d.is_empty()
                    && d != "inherit"
                    && d != "initial"
                    && d != "unset"
                    && d != "revert" =>
            {
                // An author display value overrides the UA `hidden` rule, not `<head>` and friends.
                UA_HIDDEN.contains(&tag) || self.in_closed_details(i)
            }
            _ => ua_none,
        };
        let invisible = match declared
            .get(Prop::Visibility)
            .map(|v| v.trim().to_ascii_lowercase())
        {
            Some(v) if v == "hidden" || v == "collapse" => true,
            Some(v) if v == "visible" => false,
            _ => p_inv,
        };
        // `inert` removes a subtree from the accessibility tree and from focus, like aria-hidden.
        let aria_hidden = p_ah
            || el.value().attr("inert").is_some()
            || el
                .value()
                .attr("aria-hidden")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let color = match declared.get(Prop::Color) {
            Some(v) if is_inherit(v) => p_color,
            // Alpha is kept: contrast composites the text over its resolved background.
            Some(v) => values::parse_color(v),
            None => match tag {
                // `<body link>` colours unvisited links below every author rule.
                "a" if el.value().attr("href").is_some() && self.body_link.is_some() => {
                    self.body_link
                }
                // UA link colour when no author colour reaches it.
                "a" if el.value().attr("href").is_some() && self.cascade.is_empty() => Some(Rgba {
                    r: 0.0,
                    g: 0.0,
                    b: 238.0,
                    a: 1.0,
                }),
                "a" if el.value().attr("href").is_some() => None,
                _ => p_color,
            },
        };
        let (background, background_unknown) = match declared.get(Prop::BackgroundColor) {
            None => (None, false),
            Some(v) if is_inherit(v) => (None, true),
            Some(v) => background_colour(v),
        };
        let image = declared
            .get(Prop::BackgroundImage)
            .is_some_and(|v| !v.trim().eq_ignore_ascii_case("none"));
        let positioned = declared.get(Prop::Position).is_some_and(|p| {
            let p = p.trim().to_ascii_lowercase();
            p == "absolute" || p == "fixed" || p == "sticky"
        });
        let layout_unknown = declared
            .get(Prop::TextShadow)
            .is_some_and(|v| !v.trim().eq_ignore_ascii_case("none"))
            || declared.get(Prop::Clip).is_some()
            || replaced(tag)
            || self.cascade.overlaid(el);
        let opacity = declared
            .get(Prop::Opacity)
            .map_or(Some(1.0), |v| {
                // A rendered page caught mid-fade shows a frame's opacity.
                values::parse_opacity(v).filter(|_| !is_fade_frame(v))
            })
            // Another opacity may apply at the real width or in a state the cascade skips.
            .filter(|&o| o >= 1.0 || !self.cascade.opacity_conditional(el));
        // Whether any of `props` is set to something other than its initial `none`/`normal`.
        let sets_any = |props: &[Prop]| {
            props.iter().any(|&p| {
                declared
                    .get(p)
                    .is_some_and(|v| !values::is_initial_effect(v))
            })
        };
        let paint_effect = sets_any(&[Prop::Filter, Prop::BackdropFilter, Prop::BlendMode]);
        let animated = sets_any(&[Prop::Animation, Prop::Transition]);
        let font_px = match declared.get(Prop::FontSize) {
            Some(v) => p_font.and_then(|pf| values::font_size_px(v, pf)),
            None => match tag {
                "h1" => p_font.map(|f| f * 2.0),
                "h2" => p_font.map(|f| f * 1.5),
                "h3" => p_font.map(|f| f * 1.17),
                "small" | "sub" | "sup" => p_font.map(|f| f / 1.2),
                _ => p_font,
            },
        };
        let bold = match declared
            .get(Prop::FontWeight)
            .map(|w| w.trim().to_ascii_lowercase())
        {
            Some(w) if w == "bold" || w == "bolder" => true,
            Some(w) if w == "normal" || w == "lighter" => false,
            Some(w) => w.parse::<u32>().map_or(p_bold, |n| n >= 700),
            None => {
                p_bold
                    || matches!(
                        tag,
                        "b" | "strong" | "th" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                    )
            }
        };
        let position_out = declared.get(Prop::Position).is_some_and(|p| {
            let p = p.trim().to_ascii_lowercase();
            p == "absolute" || p == "fixed"
        });
        let font_for_len = font_px.unwrap_or(16.0);
        let far_off = |p: Prop| {
            declared
                .get(p)
                .and_then(|v| values::length_px(v, font_for_len))
                .is_some_and(|x| x <= -500.0)
        };
        let clipped = declared.get(Prop::Clip).is_some_and(|v| {
            values::clip_hides(v)
                && (position_out || !v.trim().to_ascii_lowercase().starts_with("rect"))
        });
        let tiny = |p: Prop| {
            declared
                .get(p)
                .and_then(|v| values::length_px(v, font_for_len))
                .is_some_and(|x| x <= 1.0)
        };
        let overflow_hidden = declared.get(Prop::Overflow).is_some_and(|v| {
            let v = v.trim().to_ascii_lowercase();
            v == "hidden" || v == "clip"
        });
        let visually_hidden = p_vh
            || (position_out && (far_off(Prop::Left) || far_off(Prop::Top)))
            || clipped
            || (tiny(Prop::Width) && tiny(Prop::Height) && overflow_hidden)
            || far_off(Prop::TextIndent)
            || font_px.is_some_and(|f| f < 1.0);
        let font_fixed = match declared.get(Prop::FontSize) {
            Some(v) => {
                let v = v.trim().to_ascii_lowercase();
                v.ends_with("px") || v.ends_with("pt")
            }
            None => p_fixed,
        };
        let justified = match declared
            .get(Prop::TextAlign)
            .map(|v| v.trim().to_ascii_lowercase())
        {
            Some(v) if is_inherit(&v) => p_justified,
            Some(v) => v == "justify",
            None => p_justified,
        };
        let uppercase = match declared
            .get(Prop::TextTransform)
            .map(|v| v.trim().to_ascii_lowercase())
        {
            Some(v) if is_inherit(&v) => p_upper,
            Some(v) => v == "uppercase",
            None => p_upper,
        };
        if tag == "body" && self.body_link.is_none() {
            self.body_link = el
                .value()
                .attr("link")
                .and_then(super::hints::legacy_colour);
        }
        let browser = self
            .painted
            .then(|| el.value().attr(PAINT_ATTR).and_then(BrowserPaint::parse))
            .flatten();
        let n = &mut self.nodes[i];
        n.visually_hidden = visually_hidden;
        n.font_fixed = font_fixed;
        n.justified = justified;
        n.uppercase = uppercase;
        n.not_rendered = p_nr || own_none;
        n.invisible = invisible;
        n.aria_hidden = aria_hidden;
        n.color = color;
        n.background = background;
        n.background_unknown = background_unknown || image;
        n.layout_unknown = layout_unknown;
        n.positioned = positioned;
        n.opacity = opacity;
        n.paint_effect = paint_effect;
        n.animated = animated;
        n.font_px = font_px;
        n.bold = bold;
        if let Some(b) = browser {
            n.color = b.color;
            n.background = b.background;
            n.background_unknown = b.background_unknown;
            // Replaced content (images, frames) paints over whatever the styles say.
            n.layout_unknown = b.layout_unknown || replaced(tag);
            n.positioned = b.positioned;
            n.opacity = b.opacity;
            n.paint_effect = b.paint_effect;
            n.animated = b.animated;
            n.font_px = b.font_px;
            n.bold = b.bold;
        }
        let (role, explicit) = self.compute_role(i);
        let n = &mut self.nodes[i];
        n.role = role;
        n.explicit_role = explicit;
    }

    fn in_closed_details(&self, i: usize) -> bool {
        let Some(p) = self.nodes[i].parent else {
            return false;
        };
        let parent = &self.nodes[p];
        if parent.tag != "details" || parent.has("open") {
            return false;
        }
        // The first <summary> child stays rendered.
        !(self.nodes[i].tag == "summary" && self.first_summary(p) == Some(i))
    }

    fn first_summary(&self, details: usize) -> Option<usize> {
        let first = self.nodes[details]
            .el
            .children()
            .filter_map(ElementRef::wrap)
            .find(|c| c.value().name() == "summary")?;
        self.index_of(first)
    }

    /// The index of an element of this page.
    pub fn index_of(&self, el: ElementRef<'_>) -> Option<usize> {
        self.pos.get(&el.id()).copied()
    }

    /// Element indices with this tag (lower case).
    pub fn tag(&self, tag: &str) -> &[usize] {
        self.tags.get(tag).map_or(&[], Vec::as_slice)
    }

    /// The element an ID reference on `from` names: the first with that id in `from`'s own
    /// tree (the document or its shadow root), as browsers resolve `aria-owns`.
    pub fn idref(&self, from: usize, id: &str) -> Option<usize> {
        let scope = self.nodes[from].scope;
        self.ids
            .get(id)?
            .iter()
            .copied()
            .find(|&t| self.nodes[t].scope == scope)
    }

    /// Whether the paint read is the browser's ([`Ctx::build_with`]).
    pub fn painted(&self) -> bool {
        self.painted
    }

    /// The element with this id (the first when there are several).
    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.ids.get(id).and_then(|v| v.first().copied())
    }

    /// Element children indices of `i`.
    pub fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.nodes[i]
            .el
            .children()
            .filter_map(ElementRef::wrap)
            .filter_map(move |c| self.index_of_child(i, c))
    }

    fn index_of_child(&self, _parent: usize, c: ElementRef<'_>) -> Option<usize> {
        self.index_of(c)
    }

    /// Descendant element indices of `i` (document order).
    pub fn descendants(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.subtree_end(i);
        i + 1..end
    }

    /// One past the last descendant of `i`.
    pub fn subtree_end(&self, i: usize) -> usize {
        self.nodes[i].end
    }

    /// Whether `a` is an ancestor of `d`.
    pub fn is_ancestor(&self, a: usize, d: usize) -> bool {
        a < d && d < self.nodes[a].end
    }

    /// Ancestor indices of `i`, nearest first.
    pub fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.nodes[i].parent, move |&p| self.nodes[p].parent)
    }

    fn compute_role(&self, i: usize) -> (Option<&'static str>, bool) {
        let n = &self.nodes[i];
        if let Some(r) = n.attr("role") {
            for token in r.split_ascii_whitespace() {
                if let Some(role) = aria::known_role(token) {
                    if matches!(role, "none" | "presentation")
                        && (self.is_focusable(i) || self.has_global_aria(i))
                    {
                        // Presentational role conflict resolution (WAI-ARIA 1.2 §9.3).
                        return (self.implicit_role(i), false);
                    }
                    return (Some(role), true);
                }
            }
        }
        (self.implicit_role(i), false)
    }

    /// Whether the element has a global ARIA state or property (other than aria-hidden). Presence
    /// counts, even with an empty value; the braille properties do not trigger presentational
    /// role conflict resolution (ACT kb1m8s).
    pub fn has_global_aria(&self, i: usize) -> bool {
        self.nodes[i].el.value().attrs().any(|(n, _)| {
            !matches!(
                n,
                "aria-hidden" | "aria-braillelabel" | "aria-brailleroledescription"
            ) && aria::attr_info(n).is_some_and(|(_, global)| global)
        })
    }

    /// The implicit ARIA role of an element (HTML-AAM / ARIA in HTML).
    pub fn implicit_role(&self, i: usize) -> Option<&'static str> {
        let n = &self.nodes[i];
        let named = || {
            n.attr("aria-label").is_some_and(|v| !v.trim().is_empty())
                || n.attr("aria-labelledby")
                    .is_some_and(|v| !v.trim().is_empty())
                || n.attr("title").is_some_and(|v| !v.trim().is_empty())
        };
        Some(match n.tag {
            "a" | "area" if n.has("href") => "link",
            "a" | "span" | "div" | "b" | "i" | "u" | "s" | "small" | "bdi" | "bdo" | "data"
            | "pre" | "q" | "samp" | "autonomous" => "generic",
            "article" => "article",
            "aside" => "complementary",
            "blockquote" => "blockquote",
            "button" => "button",
            "caption" => "caption",
            "code" => "code",
            "datalist" => "listbox",
            "del" => "deletion",
            "details" => "group",
            "dfn" | "dt" => "term",
            "dd" => "definition",
            "dialog" => "dialog",
            "em" => "emphasis",
            "fieldset" | "optgroup" => "group",
            "figure" => "figure",
            "footer" if !self.in_sectioning(i) => "contentinfo",
            "header" if !self.in_sectioning(i) => "banner",
            "footer" | "header" => "generic",
            "form" => "form",
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "heading",
            "hr" => "separator",
            "html" => "document",
            "img" => {
                if n.attr("alt") == Some("") && !self.has_global_aria(i) && !self.is_focusable(i) {
                    "presentation"
                } else {
                    "img"
                }
            }
            "input" => match n
                .attr("type")
                .unwrap_or("text")
                .trim()
                .to_ascii_lowercase()
                .as_str()
            {
                "button" | "submit" | "reset" | "image" => "button",
                "checkbox" => "checkbox",
                "radio" => "radio",
                "range" => "slider",
                "number" => "spinbutton",
                "search" if !n.has("list") => "searchbox",
                "email" | "tel" | "text" | "url" | "search" | "" if n.has("list") => "combobox",
                "email" | "tel" | "text" | "url" | "" | "password" => "textbox",
                "hidden" | "color" | "date" | "datetime-local" | "month" | "time" | "week"
                | "file" => {
                    return None;
                }
                _ => "textbox",
            },
            "ins" => "insertion",
            "li" => {
                let parent_list = n
                    .parent
                    .is_some_and(|p| matches!(self.nodes[p].tag, "ul" | "ol" | "menu"));
                if parent_list { "listitem" } else { "generic" }
            }
            "main" => "main",
            "mark" => "mark",
            "math" => "math",
            "menu" | "ol" | "ul" => "list",
            "meter" => "meter",
            "nav" => "navigation",
            "option" => "option",
            "output" => "status",
            "p" => "paragraph",
            "progress" => "progressbar",
            "search" => "search",
            "section" if named() => "region",
            "section" => "generic",
            "select" => {
                let size = n
                    .attr("size")
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    .unwrap_or(0);
                if n.has("multiple") || size > 1 {
                    "listbox"
                } else {
                    "combobox"
                }
            }
            "strong" => "strong",
            "sub" => "subscript",
            "sup" => "superscript",
            "svg" => "graphics-document",
            "table" => "table",
            "tbody" | "thead" | "tfoot" => "rowgroup",
            "td" => {
                let in_grid = self
                    .ancestors(i)
                    .find(|&a| self.nodes[a].tag == "table")
                    .is_some_and(|t| matches!(self.nodes[t].role, Some("grid" | "treegrid")));
                if in_grid { "gridcell" } else { "cell" }
            }
            "th" => match n.attr("scope").map(|s| s.trim().to_ascii_lowercase()) {
                Some(s) if s == "row" || s == "rowgroup" => "rowheader",
                _ => "columnheader",
            },
            "textarea" => "textbox",
            "time" => "time",
            "tr" => "row",
            "summary" => "button",
            "address" | "hgroup" => "group",
            "body" => "generic",
            _ => return None,
        })
    }

    fn in_sectioning(&self, i: usize) -> bool {
        self.ancestors(i).any(|a| {
            matches!(
                self.nodes[a].tag,
                "article" | "aside" | "main" | "nav" | "section"
            ) || matches!(
                self.nodes[a].role,
                Some("article" | "complementary" | "main" | "navigation" | "region")
            )
        })
    }

    /// Whether the element is disabled (a disabled form control or inside a disabled fieldset).
    pub fn is_disabled(&self, i: usize) -> bool {
        let n = &self.nodes[i];
        let control = matches!(
            n.tag,
            "button" | "input" | "select" | "textarea" | "optgroup" | "option" | "fieldset"
        );
        if control && n.has("disabled") {
            return true;
        }
        if control {
            // Inside a disabled fieldset but not inside its first legend.
            for a in self.ancestors(i) {
                let an = &self.nodes[a];
                if an.tag == "fieldset" && an.has("disabled") {
                    let first_legend = self.children(a).find(|&c| self.nodes[c].tag == "legend");
                    return !first_legend.is_some_and(|l| self.is_ancestor(l, i));
                }
            }
        }
        false
    }

    /// The `tabindex` value when it parses as an integer.
    pub fn tabindex(&self, i: usize) -> Option<i64> {
        self.nodes[i]
            .attr("tabindex")
            .and_then(|t| t.trim().parse::<i64>().ok())
    }

    /// Whether the element can take focus (ignoring rendering).
    pub fn is_focusable(&self, i: usize) -> bool {
        if self.is_disabled(i) {
            return false;
        }
        if self.tabindex(i).is_some() {
            return true;
        }
        let n = &self.nodes[i];
        match n.tag {
            "a" | "area" => n.has("href"),
            "button" | "select" | "textarea" | "iframe" => true,
            "input" => !n
                .attr("type")
                .is_some_and(|t| t.eq_ignore_ascii_case("hidden")),
            "summary" => n.parent.is_some_and(|p| {
                self.nodes[p].tag == "details" && self.first_summary(p) == Some(i)
            }),
            "audio" | "video" => n.has("controls"),
            _ => n
                .attr("contenteditable")
                .is_some_and(|v| !v.trim().eq_ignore_ascii_case("false")),
        }
    }

    /// Whether the element is in sequential focus navigation (focusable, rendered, tabindex ≥ 0).
    pub fn in_tab_order(&self, i: usize) -> bool {
        let n = &self.nodes[i];
        let inert = std::iter::once(i)
            .chain(self.ancestors(i))
            .any(|a| self.nodes[a].has("inert"));
        !inert
            && !n.not_rendered
            && !n.invisible
            && self.is_focusable(i)
            && self.tabindex(i).is_none_or(|t| t >= 0)
    }

    /// The accessible name, whitespace-normalised.
    pub fn name(&self, i: usize) -> String {
        let mut st = NameState {
            visited: Vec::new(),
            in_labelledby: false,
            in_content: false,
        };
        normalise_space(&self.name_of(i, &mut st, true))
    }

    /// The element's label elements (explicit `for` and wrapping), in document order.
    pub fn labels(&self, i: usize) -> Vec<usize> {
        let n = &self.nodes[i];
        let labelable = match n.tag {
            "input" => !n
                .attr("type")
                .is_some_and(|t| t.eq_ignore_ascii_case("hidden")),
            "select" | "textarea" | "button" | "meter" | "output" | "progress" => true,
            _ => false,
        };
        if !labelable {
            return Vec::new();
        }
        let mut out = Vec::new();
        if let Some(id) = n.el.value().id()
            && self.idref(i, id) == Some(i)
            && let Some(ls) = self.labels_for.get(id)
        {
            // A label's `for` reaches only within its own tree, as every ID reference does.
            out.extend(
                ls.iter()
                    .copied()
                    .filter(|&l| self.nodes[l].scope == n.scope),
            );
        }
        if let Some(l) = self.ancestors(i).find(|&a| self.nodes[a].tag == "label") {
            // A wrapping label labels its first labelable descendant unless its `for` points
            // elsewhere.
            let targets_me = match self.nodes[l].attr("for") {
                Some(f) => n.el.value().id() == Some(f),
                None => true,
            };
            if targets_me && !out.contains(&l) {
                out.push(l);
            }
        }
        out.sort_unstable();
        out
    }

    fn name_of(&self, i: usize, st: &mut NameState, root: bool) -> String {
        if st.visited.contains(&i) {
            return String::new();
        }
        st.visited.push(i);
        let n = &self.nodes[i];
        // 2A: hidden nodes contribute nothing unless the computation started at them.
        if !root && n.hidden() && !st.in_labelledby {
            return String::new();
        }
        // 2B: aria-labelledby.
        if !st.in_labelledby
            && let Some(ids) = n.attr("aria-labelledby")
        {
            let mut parts = Vec::new();
            for id in ids.split_ascii_whitespace() {
                if let Some(t) = self.idref(i, id) {
                    let mut sub = NameState {
                        visited: st.visited.clone(),
                        in_labelledby: true,
                        in_content: false,
                    };
                    sub.visited.retain(|&v| v != t);
                    let s = self.name_of(t, &mut sub, true);
                    if !s.trim().is_empty() {
                        parts.push(s.trim().to_string());
                    }
                }
            }
            if !parts.is_empty() {
                return parts.join(" ");
            }
        }
        // 2C: embedded controls inside a name from content use their value.
        if st.in_content && !root {
            match n.role {
                Some("textbox" | "searchbox") => {
                    return if n.tag == "textarea" {
                        n.el.text().collect()
                    } else {
                        n.attr("value").unwrap_or("").to_string()
                    };
                }
                Some("combobox" | "listbox") if n.tag == "select" => {
                    let opts: Vec<usize> = self
                        .descendants(i)
                        .filter(|&d| self.nodes[d].tag == "option")
                        .collect();
                    let chosen = opts
                        .iter()
                        .copied()
                        .find(|&o| self.nodes[o].has("selected"))
                        .or(opts.first().copied());
                    return chosen
                        .map(|o| self.nodes[o].el.text().collect())
                        .unwrap_or_default();
                }
                Some("slider" | "spinbutton" | "progressbar" | "meter" | "scrollbar") => {
                    if let Some(v) = n
                        .attr("aria-valuetext")
                        .or(n.attr("aria-valuenow"))
                        .or(n.attr("value"))
                    {
                        return v.to_string();
                    }
                }
                _ => {}
            }
        }
        // 2D: aria-label.
        if let Some(l) = n.attr("aria-label")
            && !l.trim().is_empty()
        {
            return l.to_string();
        }
        let presentational = matches!(n.role, Some("none" | "presentation"));
        // 2E: native label.
        if !presentational
            && let Some(native) = self.native_name(i, st)
            && !native.trim().is_empty()
        {
            return native;
        }
        // 2F: name from content.
        let from_content = st.in_content
            || st.in_labelledby
            || n.role.is_some_and(aria::name_from_content)
            || n.tag == "summary"
            || n.tag == "label"
            || n.tag == "legend";
        if from_content
            && !matches!(
                n.tag,
                "select" | "textarea" | "input" | "img" | "svg" | "iframe" | "object"
            )
        {
            let saved = st.in_content;
            st.in_content = true;
            let text = self.content_text(i, st);
            st.in_content = saved;
            if !text.trim().is_empty() {
                return text;
            }
        }
        // 2I: tooltip, and placeholder for text fields (HTML-AAM).
        if let Some(t) = n.attr("title")
            && !t.trim().is_empty()
        {
            return t.to_string();
        }
        if matches!(n.tag, "input" | "textarea")
            && let Some(p) = n.attr("placeholder").or(n.attr("aria-placeholder"))
        {
            return p.to_string();
        }
        String::new()
    }

    fn content_text(&self, i: usize, st: &mut NameState) -> String {
        let mut out = String::new();
        for child in self.nodes[i].el.children() {
            match child.value() {
                DomNode::Text(t) => out.push_str(t),
                DomNode::Element(_) => {
                    let Some(ce) = ElementRef::wrap(child) else {
                        continue;
                    };
                    let Some(ci) = self.index_of_child(i, ce) else {
                        continue;
                    };
                    let block = is_block(self.nodes[ci].tag);
                    if block {
                        out.push(' ');
                    }
                    out.push_str(&self.name_of(ci, st, false));
                    if block {
                        out.push(' ');
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn native_name(&self, i: usize, st: &mut NameState) -> Option<String> {
        let n = &self.nodes[i];
        let label_text = |st: &mut NameState| -> String {
            let mut parts = Vec::new();
            for l in self.labels(i) {
                let saved = st.in_content;
                st.in_content = true;
                let t = self.content_text(l, st);
                st.in_content = saved;
                if !t.trim().is_empty() {
                    parts.push(t.trim().to_string());
                }
            }
            parts.join(" ")
        };
        match n.tag {
            "input" => {
                let ty = n.attr("type").unwrap_or("text").trim().to_ascii_lowercase();
                match ty.as_str() {
                    "button" | "submit" | "reset" => {
                        if let Some(v) = n.attr("value") {
                            return Some(v.to_string());
                        }
                        let l = label_text(st);
                        if !l.is_empty() {
                            return Some(l);
                        }
                        Some(match ty.as_str() {
                            "submit" => "Submit".into(),
                            "reset" => "Reset".into(),
                            _ => String::new(),
                        })
                    }
                    "image" => n.attr("alt").map(str::to_string),
                    _ => Some(label_text(st)),
                }
            }
            "select" | "textarea" | "meter" | "progress" | "output" | "button" => {
                Some(label_text(st))
            }
            "img" | "area" => n.attr("alt").map(str::to_string),
            "fieldset" => self
                .children(i)
                .find(|&c| self.nodes[c].tag == "legend")
                .map(|l| self.content_text(l, st)),
            "figure" => self
                .children(i)
                .find(|&c| self.nodes[c].tag == "figcaption")
                .map(|l| self.content_text(l, st)),
            "table" => self
                .children(i)
                .find(|&c| self.nodes[c].tag == "caption")
                .map(|l| self.content_text(l, st)),
            "svg" => self
                .children(i)
                .find(|&c| self.nodes[c].tag == "title")
                .map(|t| self.nodes[t].el.text().collect()),
            "optgroup" => n.attr("label").map(str::to_string),
            _ => None,
        }
    }

    /// Whether the element is hidden or has no rendered, non-hidden box (for applicability).
    pub fn hidden(&self, i: usize) -> bool {
        self.nodes[i].hidden()
    }

    /// A CSS selector that finds this element: `#id` when the id is unique, else a child path
    /// from the nearest ancestor with a unique id. Only built for findings.
    pub fn selector(&self, i: usize) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(i);
        while let Some(c) = cur {
            let n = &self.nodes[c];
            if let Some(id) = n.el.value().id()
                && self.ids.get(id).is_some_and(|v| v.len() == 1)
                && is_css_ident(id)
            {
                parts.push(format!("#{id}"));
                break;
            }
            match n.parent {
                None => {
                    parts.push(n.tag.to_string());
                    break;
                }
                Some(_) => {
                    let pos =
                        n.el.prev_siblings()
                            .filter(|s| s.value().is_element())
                            .count()
                            + 1;
                    parts.push(format!("{}:nth-child({pos})", n.tag));
                }
            }
            cur = n.parent;
        }
        parts.reverse();
        parts.join(" > ")
    }

    /// The element's start tag, shortened, for reports.
    pub fn snippet(&self, i: usize) -> String {
        let v = self.nodes[i].el.value();
        let mut s = format!("<{}", v.name());
        for (k, val) in v.attrs().filter(|(k, _)| !OUR_ATTRS.contains(k)) {
            let val: String = val.chars().take(60).collect();
            s.push_str(&format!(" {k}=\"{}\"", val.replace('"', "&quot;")));
        }
        s.push('>');
        if s.chars().count() > 160 {
            s = s.chars().take(157).collect::<String>() + "…>";
        }
        s
    }

    /// The nearest ancestor in the accessibility tree whose role is not generic, following
    /// `aria-owns` (the "accessibility parent" ACT rules use).
    pub fn a11y_parent(&self, i: usize) -> Option<usize> {
        if let Some(owner) = self.owner(i) {
            return if transparent_role(self.nodes[owner].role) && !self.nodes[owner].explicit_role {
                self.a11y_parent(owner)
            } else {
                Some(owner)
            };
        }
        let mut cur = self.nodes[i].parent;
        while let Some(p) = cur {
            let n = &self.nodes[p];
            // Generic wrappers are skipped unless a global ARIA attribute (a live region, a
            // label) makes them meaningful.
            if !transparent_role(n.role) || self.has_global_aria(p) {
                return Some(p);
            }
            if let Some(owner) = self.owner(p) {
                cur = Some(owner);
                continue;
            }
            cur = n.parent;
        }
        None
    }

    /// The element whose `aria-owns` names `i`.
    fn owner(&self, i: usize) -> Option<usize> {
        self.owners.get(&i).copied()
    }

    /// The accessibility children of `i` (skipping generic and presentational wrappers, adding
    /// `aria-owns` targets, leaving out hidden elements).
    pub fn a11y_children(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut owned_ids: Vec<usize> = Vec::new();
        if let Some(v) = self.nodes[i].attr("aria-owns") {
            owned_ids.extend(
                v.split_ascii_whitespace()
                    .filter_map(|id| self.idref(i, id)),
            );
        }
        let mut stack: Vec<usize> = self.children(i).collect::<Vec<_>>();
        stack.reverse();
        stack.extend(owned_ids.iter().rev());
        while let Some(c) = stack.pop() {
            let n = &self.nodes[c];
            if n.hidden() {
                continue;
            }
            if self.owner(c).is_some_and(|o| o != i) {
                continue;
            }
            if transparent_role(n.role) && !(n.explicit_role && n.role == Some("generic")) {
                let mut kids: Vec<usize> = self.children(c).collect();
                kids.reverse();
                stack.extend(kids);
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The owned elements of `i` for ACT bc4a75: children (and `aria-owns` targets) in the
    /// accessibility tree; explicitly presentational wrappers and role-less elements are looked
    /// through, generic ones are not.
    pub fn owned_elements(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.children(i).collect();
        if let Some(v) = self.nodes[i].attr("aria-owns") {
            stack.extend(
                v.split_ascii_whitespace()
                    .filter_map(|id| self.idref(i, id)),
            );
        }
        stack.reverse();
        while let Some(c) = stack.pop() {
            let n = &self.nodes[c];
            if n.hidden() || matches!(n.tag, "colgroup" | "col") {
                continue;
            }
            if self.owner(c).is_some_and(|o| o != i) {
                continue;
            }
            let look_through = n.role.is_none() || matches!(n.role, Some("none" | "presentation"));
            if look_through {
                let mut kids: Vec<usize> = self.children(c).collect();
                kids.reverse();
                stack.extend(kids);
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Whether `i` contains text that is rendered (for "non-text content" applicability).
    pub fn has_visible_text(&self, i: usize) -> bool {
        !self.nodes[i].el.text().all(|t| t.trim().is_empty())
    }
}

struct NameState {
    visited: Vec<usize>,
    in_labelledby: bool,
    in_content: bool,
}

fn is_inherit(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "inherit" | "unset" | "currentcolor"
    )
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "br"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "ul"
    )
}

fn is_css_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '-')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Resolves a stylesheet reference against the page's base URL.
pub fn resolve_sheet(base: &Url, href: &str) -> Option<Url> {
    base.join(href.trim()).ok()
}
