//! A small CSS engine for the audit: parses stylesheets into rules over the few properties the
//! rules read (display, visibility, colours, backgrounds, positioning, opacity and paint
//! effects, font size and weight, outlines), matches them with `scraper::Selector`, and
//! resolves the cascade (origin, `!important`, specificity, order) and inheritance for one
//! element at a time.
//!
//! It does not lay anything out, load fonts, evaluate media queries beyond `screen`/`all`, or
//! apply pseudo-classes (`:hover`, `:focus`) and pseudo-elements: selectors using them are kept
//! aside for the focus-style rule and never affect computed styles. Rules that set `opacity`
//! under a condition it skips (a width media query, `@container`) are kept aside too, so an
//! element they match is known to have an opacity it cannot tell.

use std::collections::HashMap;
use std::sync::Arc;

use scraper::{ElementRef, Selector};
use url::Url;

use super::values::{PROP_COUNT, prop_of};
// The value types and parsers live in `values`; these names stay reachable here too.
pub use super::values::{Prop, Rgba, clip_hides, contrast, font_size_px, length_px, parse_color};

/// One declaration, `name: value [!important]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Decl {
    /// The property name, lower case.
    pub name: String,
    /// The value without `!important`.
    pub value: String,
    /// Whether it was `!important`.
    pub important: bool,
}

/// Parses a declaration block (the inside of `{}` or a `style` attribute).
pub fn parse_declarations(text: &str) -> Vec<Decl> {
    let mut out = Vec::new();
    for part in split_top(text, ';') {
        let Some((name, value)) = part.split_once(':') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let mut value = value.trim().to_string();
        let mut important = false;
        if let Some(pos) = value.to_ascii_lowercase().rfind("!important")
            && value[pos + "!important".len()..].trim().is_empty()
        {
            important = true;
            value.truncate(pos);
            value = value.trim().to_string();
        } else if let Some(pos) = value.rfind('!') {
            // `! important` with space.
            if value[pos + 1..].trim().eq_ignore_ascii_case("important") {
                important = true;
                value.truncate(pos);
                value = value.trim().to_string();
            }
        }
        out.push(Decl {
            name,
            value,
            important,
        });
    }
    out
}

/// Splits on `sep` outside parentheses and quotes.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0usize);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, c) if c == sep && depth <= 0 => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A parsed selector with its specificity and the key used to bucket it.
#[derive(Debug)]
struct Sel {
    selector: Selector,
    specificity: u32,
    key: Key,
}

/// The bucket of a selector: the id, a class or the type of its rightmost compound, so an
/// element is only matched against the selectors that could match it (as browsers do).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Id(String),
    Class(String),
    Tag(String),
    Any,
}

fn key_of(sel: &str) -> Key {
    // The rightmost compound: after the last combinator outside brackets and parentheses.
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in sel.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ' ' | '>' | '+' | '~' if depth == 0 => start = i + 1,
            _ => {}
        }
    }
    let compound = &sel[start..];
    let simple_end = compound.find([':', '[']).unwrap_or(compound.len());
    let head = &compound[..simple_end];
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == '\\')
            .collect()
    };
    if let Some(p) = head.find('#') {
        let id = ident(&head[p + 1..]);
        if !id.is_empty() && !id.contains('\\') {
            return Key::Id(id);
        }
    }
    if let Some(p) = head.find('.') {
        let class = ident(&head[p + 1..]);
        if !class.is_empty() && !class.contains('\\') {
            return Key::Class(class);
        }
    }
    let tag = ident(head);
    if !tag.is_empty() && !tag.contains('\\') {
        return Key::Tag(tag.to_ascii_lowercase());
    }
    Key::Any
}

/// A style rule whose selectors can match statically.
#[derive(Debug)]
struct StyleRule {
    selectors: Vec<Sel>,
    decls: Vec<(Prop, String, bool)>,
}

/// A rule that styles focus (`:focus`, `:focus-visible`, `:focus-within`).
#[derive(Debug, Clone)]
pub struct FocusRule {
    /// The selector text with the focus pseudo-class removed.
    pub base: String,
    /// The full selector text.
    pub selector: String,
    /// Whether it removes the outline (`outline: none|0`, `outline-style: none`).
    pub removes_outline: bool,
    /// Whether it sets another visible indicator (outline, border, box-shadow, background,
    /// text-decoration, colour).
    pub replaces: bool,
}

/// A parsed stylesheet.
#[derive(Debug, Default)]
pub struct Sheet {
    rules: Vec<StyleRule>,
    /// Focus styles, for the focus-indicator rule.
    pub focus_rules: Vec<FocusRule>,
    /// Rules inside `@media (orientation: …)` that rotate content by about a quarter turn:
    /// (selector, angle in degrees).
    pub orientation_rotations: Vec<(String, f64)>,
    /// Selectors of rules that set `opacity` under a condition the cascade does not evaluate
    /// (a width media query, `@container`, `@starting-style`…): an element they match may be
    /// drawn at another opacity than the one the cascade finds.
    conditional_opacity: Vec<Selector>,
    /// Selectors of elements whose `::before` or `::after` paints a positioned box with a
    /// background that is not a small icon: an overlay (the one darkening a banner) may lie
    /// between the element's background and its text.
    overlays: Vec<Selector>,
}

impl Sheet {
    /// Parses stylesheet text. Unparseable parts are skipped, never an error: real sites ship
    /// broken CSS and browsers skip it too.
    pub fn parse(text: &str) -> Sheet {
        let mut sheet = Sheet::default();
        let clean = strip_comments(text);
        parse_block(&clean, &mut sheet, false);
        sheet
    }
}

fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find("*/") {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Finds the matching close brace of the block opening at `open` (an index just after `{`).
fn block_end(text: &str, open: usize) -> usize {
    let mut depth = 1;
    let mut quote = None;
    for (i, c) in text[open..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{') => depth += 1,
            (None, '}') => {
                depth -= 1;
                if depth == 0 {
                    return open + i;
                }
            }
            _ => {}
        }
    }
    text.len()
}

fn parse_block(text: &str, sheet: &mut Sheet, in_orientation: bool) {
    let mut pos = 0;
    while pos < text.len() {
        let Some(rel) = text[pos..].find(['{', ';']) else {
            break;
        };
        let brace = pos + rel;
        let prelude = text[pos..brace].trim();
        if text.as_bytes()[brace] == b';' {
            // `@import …;`, `@charset …;`: nothing to apply.
            pos = brace + 1;
            continue;
        }
        let end = block_end(text, brace + 1);
        let body = &text[brace + 1..end.min(text.len())];
        pos = (end + 1).min(text.len());
        if let Some(at) = prelude.strip_prefix('@') {
            let lower = at.to_ascii_lowercase();
            if let Some(query) = lower.strip_prefix("media") {
                let query = query.trim();
                let orientation = query.contains("orientation");
                if orientation {
                    let mut inner = Sheet::default();
                    parse_block(body, &mut inner, true);
                    sheet
                        .orientation_rotations
                        .append(&mut inner.orientation_rotations);
                } else if media_applies(query) {
                    parse_block(body, sheet, in_orientation);
                } else {
                    keep_conditional(body, sheet);
                }
            } else if lower.starts_with("supports") || lower.starts_with("layer") {
                parse_block(body, sheet, in_orientation);
            } else if !lower.starts_with("keyframes") && !lower.starts_with("font-face") {
                keep_conditional(body, sheet);
            }
            continue;
        }
        add_rule(prelude, body, sheet, in_orientation);
    }
}

/// Keeps aside the selectors of a skipped block's rules that set `opacity`.
fn keep_conditional(body: &str, sheet: &mut Sheet) {
    let mut inner = Sheet::default();
    parse_block(body, &mut inner, false);
    sheet
        .conditional_opacity
        .append(&mut inner.conditional_opacity);
    // An overlay that may apply at another width is kept as one that applies.
    sheet.overlays.append(&mut inner.overlays);
    for rule in inner.rules {
        if rule.decls.iter().any(|(p, _, _)| *p == Prop::Opacity) {
            sheet
                .conditional_opacity
                .extend(rule.selectors.into_iter().map(|s| s.selector));
        }
    }
}

/// Whether a media query applies to a default desktop screen. Width queries are not evaluated:
/// rules under them are skipped, so styles they set are unknown rather than wrong.
fn media_applies(query: &str) -> bool {
    if query.is_empty() {
        return true;
    }
    split_top(query, ',').iter().any(|q| {
        let q = q.trim();
        let q = q.strip_prefix("only ").unwrap_or(q);
        q == "all" || q == "screen"
    })
}

const FOCUS_PSEUDOS: &[&str] = &[":focus-visible", ":focus-within", ":focus"];

fn add_rule(prelude: &str, body: &str, sheet: &mut Sheet, in_orientation: bool) {
    let decls = parse_declarations(body);
    if in_orientation {
        for d in &decls {
            if (d.name == "transform" || d.name == "rotate")
                && let Some(angle) = rotation_degrees(&d.name, &d.value)
            {
                let quarter = angle.rem_euclid(180.0);
                if (45.0..=135.0).contains(&quarter) {
                    sheet
                        .orientation_rotations
                        .push((prelude.to_string(), angle));
                }
            }
        }
        return;
    }
    let mut static_sels = Vec::new();
    for sel_text in split_top(prelude, ',') {
        let sel_text = sel_text.trim();
        if sel_text.is_empty() {
            continue;
        }
        let lower = sel_text.to_ascii_lowercase();
        if let Some(p) = FOCUS_PSEUDOS.iter().find(|p| lower.contains(**p)) {
            let base = lower.replace(p, "");
            let removes_outline = decls.iter().any(|d| {
                let v = d.value.trim().to_ascii_lowercase();
                (d.name == "outline"
                    && (v == "none"
                        || v == "0"
                        || v == "0px"
                        || v.starts_with("none ")
                        || v.starts_with("0 ")))
                    || (d.name == "outline-style" && v == "none")
                    || (d.name == "outline-width" && (v == "0" || v == "0px"))
            });
            let replaces = decls.iter().any(|d| {
                let v = d.value.trim().to_ascii_lowercase();
                let visible_outline = d.name.starts_with("outline")
                    && !(v == "none"
                        || v == "0"
                        || v == "0px"
                        || v.starts_with("none")
                        || v == "transparent");
                visible_outline
                    || d.name.starts_with("border")
                    || d.name == "box-shadow" && v != "none"
                    || d.name.starts_with("background")
                    || d.name.starts_with("text-decoration")
                    || d.name == "color"
            });
            sheet.focus_rules.push(FocusRule {
                base: base.trim().to_string(),
                selector: sel_text.to_string(),
                removes_outline,
                replaces,
            });
            continue;
        }
        if let Some(base) = pseudo_element_base(&lower)
            && paints_overlay(&decls)
            && let Ok(selector) = Selector::parse(base.trim())
        {
            sheet.overlays.push(selector);
        }
        if lower.contains("::")
            || lower.contains(":hover")
            || lower.contains(":active")
            || lower.contains(":visited")
            || lower.contains(":before")
            || lower.contains(":after")
        {
            continue;
        }
        if let Ok(selector) = Selector::parse(sel_text) {
            static_sels.push(Sel {
                selector,
                specificity: specificity(sel_text),
                key: key_of(sel_text),
            });
        }
    }
    if static_sels.is_empty() {
        return;
    }
    let kept: Vec<(Prop, String, bool)> = decls.iter().flat_map(expand).collect();
    if !kept.is_empty() {
        sheet.rules.push(StyleRule {
            selectors: static_sels,
            decls: kept,
        });
    }
}

/// The selector of the element a `::before`/`::after` selector draws on (`.hero::before` →
/// `.hero`); `None` for other selectors.
fn pseudo_element_base(lower: &str) -> Option<&str> {
    ["::before", "::after", ":before", ":after"]
        .iter()
        .find_map(|p| lower.strip_suffix(p))
}

/// Whether a pseudo-element rule paints a positioned box with a background that is not an
/// icon or a bar (a side set to 48 px or less: the underline a link draws with `::after`):
/// an overlay over its element's background.
fn paints_overlay(decls: &[Decl]) -> bool {
    let value = |name: &str| {
        decls
            .iter()
            .rev()
            .find(|d| d.name == name)
            .map(|d| d.value.trim().to_ascii_lowercase())
    };
    let positioned = value("position").is_some_and(|p| p == "absolute" || p == "fixed");
    let background = decls.iter().any(|d| {
        let v = d.value.trim().to_ascii_lowercase();
        match d.name.as_str() {
            "background-image" => v != "none",
            "background" | "background-color" => {
                v != "none" && parse_color(&v).is_none_or(|c| c.a > 0.0)
            }
            _ => false,
        }
    });
    let small = |name: &str| {
        value(name)
            .and_then(|v| length_px(&v, 16.0))
            .is_some_and(|px| px <= 48.0)
    };
    positioned && background && !(small("width") || small("height"))
}

/// An angle in degrees (`deg`, `rad`, `turn`, `grad`).
fn angle_degrees(v: &str) -> Option<f64> {
    let v = v.trim().to_ascii_lowercase();
    let num = |s: &str| s.trim().parse::<f64>().ok();
    if let Some(n) = v.strip_suffix("deg") {
        return num(n);
    }
    if let Some(n) = v.strip_suffix("grad") {
        return num(n).map(|x| x * 0.9);
    }
    if let Some(n) = v.strip_suffix("rad") {
        return num(n).map(f64::to_degrees);
    }
    if let Some(n) = v.strip_suffix("turn") {
        return num(n).map(|x| x * 360.0);
    }
    num(&v).filter(|x| *x == 0.0)
}

/// The 2D rotation a `transform` or `rotate` value applies, in degrees.
fn rotation_degrees(prop: &str, value: &str) -> Option<f64> {
    let v = value.trim().to_ascii_lowercase();
    if prop == "rotate" {
        return v.split_ascii_whitespace().last().and_then(angle_degrees);
    }
    let mut total = 0.0;
    let mut found = false;
    let mut rest = v.as_str();
    while let Some(open) = rest.find('(') {
        let name = rest[..open].trim().trim_start_matches([',', ' ']);
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        let args: Vec<&str> = rest[open + 1..open + close]
            .split(',')
            .map(str::trim)
            .collect();
        let nums = |i: usize| args.get(i).and_then(|a| a.parse::<f64>().ok());
        match name.rsplit(' ').next().unwrap_or(name) {
            "rotate" | "rotatez" if args.len() == 1 => {
                total += angle_degrees(args[0])?;
                found = true;
            }
            "matrix" if args.len() == 6 => {
                total += nums(1)?.atan2(nums(0)?).to_degrees();
                found = true;
            }
            "matrix3d" if args.len() == 16 => {
                total += nums(1)?.atan2(nums(0)?).to_degrees();
                found = true;
            }
            _ => {}
        }
        rest = &rest[open + close + 1..];
    }
    found.then_some(total)
}

/// The tracked properties a declaration sets, expanding the `background` and `font` shorthands.
fn expand(d: &Decl) -> Vec<(Prop, String, bool)> {
    let mut kept = Vec::new();
    if let Some(p) = prop_of(&d.name) {
        kept.push((p, d.value.clone(), d.important));
    } else if d.name == "background" {
        let v = d.value.to_ascii_lowercase();
        let image = v.contains("url(") || v.contains("gradient(");
        kept.push((
            Prop::BackgroundImage,
            if image {
                d.value.clone()
            } else {
                "none".into()
            },
            d.important,
        ));
        // The shorthand resets background-color; the colour is whichever token parses.
        let colour = split_top(&v, ' ')
            .into_iter()
            .find(|t| parse_color(t).is_some())
            .unwrap_or("transparent")
            .to_string();
        kept.push((Prop::BackgroundColor, colour, d.important));
    } else if d.name == "font" {
        // Only the size part of the shorthand matters here.
        if let Some(size) = d.value.split_ascii_whitespace().find(|t| {
            t.ends_with("px") || t.ends_with("em") || t.ends_with("pt") || t.ends_with('%')
        }) {
            kept.push((
                Prop::FontSize,
                size.split('/').next().unwrap_or(size).to_string(),
                d.important,
            ));
        }
        if d.value.to_ascii_lowercase().contains("bold") {
            kept.push((Prop::FontWeight, "bold".into(), d.important));
        }
    }
    kept
}

/// Selector specificity as `a << 16 | b << 8 | c`, counted from the text (ids; classes,
/// attributes and pseudo-classes; types). Good enough for the cascade of real stylesheets.
fn specificity(sel: &str) -> u32 {
    let (mut a, mut b, mut c) = (0u32, 0u32, 0u32);
    let bytes = sel.as_bytes();
    let mut i = 0;
    let mut in_attr = false;
    while i < bytes.len() {
        let ch = bytes[i];
        match ch {
            b'[' => {
                in_attr = true;
                b += 1;
            }
            b']' => in_attr = false,
            _ if in_attr => {}
            b'#' => a += 1,
            b'.' => b += 1,
            b':' => {
                if sel[i..].starts_with(":not(")
                    || sel[i..].starts_with(":is(")
                    || sel[i..].starts_with(":where(")
                {
                    // The argument's own parts are counted as they are scanned.
                } else {
                    b += 1;
                }
            }
            c2 if c2.is_ascii_alphabetic() => {
                let prev = if i == 0 { b' ' } else { bytes[i - 1] };
                if matches!(prev, b' ' | b'>' | b'+' | b'~' | b'(' | b',') {
                    c += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (a.min(255) << 16) | (b.min(255) << 8) | c.min(255)
}

/// The stylesheets a site links to, parsed once and shared by all its pages.
#[derive(Debug, Default, Clone)]
pub struct SiteCss {
    sheets: HashMap<Url, Arc<Sheet>>,
}

impl SiteCss {
    /// No linked stylesheets (inline and `<style>` CSS still apply).
    pub fn empty() -> SiteCss {
        SiteCss::default()
    }

    /// Builds from fetched stylesheets, `(URL, text)`.
    pub fn from_sheets<I: IntoIterator<Item = (Url, String)>>(sheets: I) -> SiteCss {
        SiteCss {
            sheets: sheets
                .into_iter()
                .map(|(u, t)| (u, Arc::new(Sheet::parse(&t))))
                .collect(),
        }
    }

    /// Adds one stylesheet.
    pub fn insert(&mut self, url: Url, text: &str) {
        self.sheets.insert(url, Arc::new(Sheet::parse(text)));
    }

    /// The parsed sheet at `url`.
    pub fn get(&self, url: &Url) -> Option<Arc<Sheet>> {
        self.sheets.get(url).cloned()
    }

    /// Whether the sheet at `url` is known.
    pub fn contains(&self, url: &Url) -> bool {
        self.sheets.contains_key(url)
    }
}

/// The author stylesheets of one page, in document order, ready to match.
#[derive(Debug, Default)]
pub struct Cascade {
    sheets: Vec<Arc<Sheet>>,
    /// Selector buckets: key → (sheet, rule, selector) in cascade order.
    index: HashMap<Key, Vec<(u32, u32, u32)>>,
    /// Whether a linked stylesheet was not available, so styles may be incomplete.
    pub missing_sheet: bool,
}

/// Declared values of one element, before inheritance.
#[derive(Debug, Default, Clone)]
pub struct Declared {
    vals: [Option<(u64, String)>; PROP_COUNT],
}

impl Declared {
    /// The winning declared value of `p`.
    pub fn get(&self, p: Prop) -> Option<&str> {
        self.vals[p as usize].as_ref().map(|(_, v)| v.as_str())
    }

    fn offer(&mut self, p: Prop, rank: u64, value: &str) {
        let slot = &mut self.vals[p as usize];
        if slot.as_ref().is_none_or(|(r, _)| rank >= *r) {
            *slot = Some((rank, value.to_string()));
        }
    }
}

impl Cascade {
    /// Adds a sheet (a `<style>` element or a linked sheet), in document order.
    pub fn push(&mut self, sheet: Arc<Sheet>) {
        let si = self.sheets.len() as u32;
        for (ri, rule) in sheet.rules.iter().enumerate() {
            for (xi, sel) in rule.selectors.iter().enumerate() {
                self.index
                    .entry(sel.key.clone())
                    .or_default()
                    .push((si, ri as u32, xi as u32));
            }
        }
        self.sheets.push(sheet);
    }

    /// Whether there are any author rules.
    pub fn is_empty(&self) -> bool {
        self.sheets.iter().all(|s| s.rules.is_empty())
    }

    /// All focus rules of the page's sheets.
    pub fn focus_rules(&self) -> impl Iterator<Item = &FocusRule> {
        self.sheets.iter().flat_map(|s| s.focus_rules.iter())
    }

    /// Selectors that rotate content by about a quarter turn in an orientation media query.
    pub fn orientation_rotations(&self) -> impl Iterator<Item = &(String, f64)> {
        self.sheets
            .iter()
            .flat_map(|s| s.orientation_rotations.iter())
    }

    /// Whether a rule under a condition the cascade does not evaluate (a width media query,
    /// `@container`…) sets the opacity of `el`.
    pub fn opacity_conditional(&self, el: ElementRef<'_>) -> bool {
        self.sheets
            .iter()
            .flat_map(|s| s.conditional_opacity.iter())
            .any(|sel| sel.matches(&el))
    }

    /// Whether a stylesheet paints a box over `el`'s background with its `::before` or
    /// `::after` ([`Sheet::overlays`]).
    pub fn overlaid(&self, el: ElementRef<'_>) -> bool {
        self.sheets
            .iter()
            .flat_map(|s| s.overlays.iter())
            .any(|sel| sel.matches(&el))
    }

    /// The declared values of `el`: HTML presentational hints (`bgcolor`, `<font color>`…),
    /// which every author rule overrides, then author rules, then its `style` attribute.
    pub fn declared(&self, el: ElementRef<'_>) -> Declared {
        let mut d = Declared::default();
        super::hints::presentational_hints(el, |p, v| d.offer(p, 0, v));
        if !self.index.is_empty() {
            let v = el.value();
            let mut cands: Vec<(u32, u32, u32)> = Vec::new();
            let mut take = |k: &Key| {
                if let Some(xs) = self.index.get(k) {
                    cands.extend_from_slice(xs);
                }
            };
            if let Some(id) = v.id() {
                take(&Key::Id(id.to_string()));
            }
            for class in v.classes() {
                take(&Key::Class(class.to_string()));
            }
            take(&Key::Tag(v.name().to_ascii_lowercase()));
            take(&Key::Any);
            // Cascade order is (sheet, rule); a rule matched by two selectors counts once, with
            // the highest specificity among the matching ones.
            cands.sort_unstable();
            let mut i = 0;
            while i < cands.len() {
                let (si, ri, _) = cands[i];
                let mut best: Option<u32> = None;
                while i < cands.len() && cands[i].0 == si && cands[i].1 == ri {
                    let rule = &self.sheets[si as usize].rules[ri as usize];
                    let sel = &rule.selectors[cands[i].2 as usize];
                    if best.is_none_or(|b| sel.specificity > b) && sel.selector.matches(&el) {
                        best = Some(sel.specificity);
                    }
                    i += 1;
                }
                if let Some(spec) = best {
                    let order = (u64::from(si) << 20) | u64::from(ri);
                    for (p, val, imp) in &self.sheets[si as usize].rules[ri as usize].decls {
                        let rank = (u64::from(*imp) << 60) | (u64::from(spec) << 32) | order;
                        d.offer(*p, rank, val);
                    }
                }
            }
        }
        if let Some(style) = el.value().attr("style") {
            for decl in parse_declarations(style) {
                for (p, v, imp) in expand(&decl) {
                    let rank = (u64::from(imp) << 60) | (1u64 << 59);
                    d.offer(p, rank, &v);
                }
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn important_and_specificity_decide_the_cascade() {
        let html = scraper::Html::parse_document(r#"<p id="x" class="c" style="color: red">t</p>"#);
        let sheet =
            Sheet::parse("#x { color: blue !important } .c { color: green } p { display: none }");
        let mut c = Cascade::default();
        c.push(Arc::new(sheet));
        let sel = Selector::parse("p").unwrap();
        let p = html.select(&sel).next().unwrap();
        let d = c.declared(p);
        assert_eq!(d.get(Prop::Color), Some("blue"));
        assert_eq!(d.get(Prop::Display), Some("none"));
    }

    #[test]
    fn focus_rule_without_replacement_is_recorded() {
        let s = Sheet::parse(
            "a:focus { outline: none } button:focus { outline: 0; box-shadow: 0 0 0 3px #000 }",
        );
        assert_eq!(s.focus_rules.len(), 2);
        assert!(s.focus_rules[0].removes_outline && !s.focus_rules[0].replaces);
        assert!(s.focus_rules[1].replaces);
    }
}
