//! CSS values the audit reads, apart from any stylesheet: the properties it tracks ([`Prop`]),
//! colours ([`Rgba`], [`parse_color`], the WCAG [`contrast`] ratio), and lengths, font sizes and
//! clips resolved to pixels. The cascade in [`super::css`] and the HTML presentational hints in
//! [`super::hints`] both speak these types; neither depends on the other for them.

/// The properties the audit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prop {
    /// `display`.
    Display = 0,
    /// `visibility`.
    Visibility,
    /// `color`.
    Color,
    /// `background-color`.
    BackgroundColor,
    /// `background-image` (or an image or gradient in `background`).
    BackgroundImage,
    /// `position`.
    Position,
    /// `font-size`.
    FontSize,
    /// `font-weight`.
    FontWeight,
    /// `opacity`.
    Opacity,
    /// `text-shadow`.
    TextShadow,
    /// `clip`, `clip-path`.
    Clip,
    /// `left`.
    Left,
    /// `top`.
    Top,
    /// `width`.
    Width,
    /// `height`.
    Height,
    /// `overflow` (or `overflow-x`/`overflow-y`, the last one wins).
    Overflow,
    /// `text-indent`.
    TextIndent,
    /// `text-align`.
    TextAlign,
    /// `text-transform`.
    TextTransform,
    /// `filter`.
    Filter,
    /// `backdrop-filter`.
    BackdropFilter,
    /// `mix-blend-mode`.
    BlendMode,
    /// `animation` (or `animation-name`).
    Animation,
    /// `transition` (or `transition-property`).
    Transition,
}

/// How many [`Prop`]s there are.
pub(super) const PROP_COUNT: usize = 24;

/// The property a declaration's name sets, when the audit reads it.
pub(super) fn prop_of(name: &str) -> Option<Prop> {
    Some(match name {
        "display" => Prop::Display,
        "visibility" => Prop::Visibility,
        "color" => Prop::Color,
        "background-color" => Prop::BackgroundColor,
        "background-image" => Prop::BackgroundImage,
        "position" => Prop::Position,
        "font-size" => Prop::FontSize,
        "font-weight" => Prop::FontWeight,
        "opacity" => Prop::Opacity,
        "text-shadow" => Prop::TextShadow,
        "clip" | "clip-path" => Prop::Clip,
        "left" => Prop::Left,
        "top" => Prop::Top,
        "width" => Prop::Width,
        "height" => Prop::Height,
        "overflow" | "overflow-x" | "overflow-y" => Prop::Overflow,
        "text-indent" => Prop::TextIndent,
        "text-align" => Prop::TextAlign,
        "text-transform" => Prop::TextTransform,
        "filter" => Prop::Filter,
        "backdrop-filter" => Prop::BackdropFilter,
        "mix-blend-mode" => Prop::BlendMode,
        "animation" | "animation-name" => Prop::Animation,
        "transition" | "transition-property" => Prop::Transition,
        _ => return None,
    })
}

/// An sRGB colour with alpha.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgba {
    /// Red, 0–255.
    pub r: f64,
    /// Green, 0–255.
    pub g: f64,
    /// Blue, 0–255.
    pub b: f64,
    /// Alpha, 0–1.
    pub a: f64,
}

impl Rgba {
    /// Opaque black.
    pub const BLACK: Rgba = Rgba {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        a: 1.0,
    };
    /// Opaque white.
    pub const WHITE: Rgba = Rgba {
        r: 255.0,
        g: 255.0,
        b: 255.0,
        a: 1.0,
    };

    /// This colour drawn over an opaque `bg`.
    pub fn over(self, bg: Rgba) -> Rgba {
        let a = self.a;
        Rgba {
            r: self.r * a + bg.r * (1.0 - a),
            g: self.g * a + bg.g * (1.0 - a),
            b: self.b * a + bg.b * (1.0 - a),
            a: 1.0,
        }
    }

    /// Relative luminance (WCAG 2.2 definition).
    pub fn luminance(self) -> f64 {
        let lin = |c: f64| {
            let c = c / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)
    }
}

/// The WCAG contrast ratio of two opaque colours.
pub fn contrast(a: Rgba, b: Rgba) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

const NAMED: &[(&str, u32)] = &[
    ("black", 0x000000),
    ("silver", 0xc0c0c0),
    ("gray", 0x808080),
    ("grey", 0x808080),
    ("white", 0xffffff),
    ("maroon", 0x800000),
    ("red", 0xff0000),
    ("purple", 0x800080),
    ("fuchsia", 0xff00ff),
    ("magenta", 0xff00ff),
    ("green", 0x008000),
    ("lime", 0x00ff00),
    ("olive", 0x808000),
    ("yellow", 0xffff00),
    ("navy", 0x000080),
    ("blue", 0x0000ff),
    ("teal", 0x008080),
    ("aqua", 0x00ffff),
    ("cyan", 0x00ffff),
    ("orange", 0xffa500),
    ("darkgray", 0xa9a9a9),
    ("darkgrey", 0xa9a9a9),
    ("lightgray", 0xd3d3d3),
    ("lightgrey", 0xd3d3d3),
    ("dimgray", 0x696969),
    ("dimgrey", 0x696969),
    ("gainsboro", 0xdcdcdc),
    ("whitesmoke", 0xf5f5f5),
    ("darkblue", 0x00008b),
    ("darkred", 0x8b0000),
    ("darkgreen", 0x006400),
    ("lightblue", 0xadd8e6),
    ("lightyellow", 0xffffe0),
    ("lightgreen", 0x90ee90),
    ("pink", 0xffc0cb),
    ("brown", 0xa52a2a),
    ("gold", 0xffd700),
    ("beige", 0xf5f5dc),
    ("ivory", 0xfffff0),
    ("khaki", 0xf0e68c),
    ("lavender", 0xe6e6fa),
    ("salmon", 0xfa8072),
    ("tomato", 0xff6347),
    ("coral", 0xff7f50),
    ("crimson", 0xdc143c),
    ("indigo", 0x4b0082),
    ("violet", 0xee82ee),
    ("orchid", 0xda70d6),
    ("plum", 0xdda0dd),
    ("tan", 0xd2b48c),
    ("chocolate", 0xd2691e),
    ("firebrick", 0xb22222),
    ("darkorange", 0xff8c00),
    ("steelblue", 0x4682b4),
    ("royalblue", 0x4169e1),
    ("slategray", 0x708090),
    ("slategrey", 0x708090),
    ("darkslategray", 0x2f4f4f),
    ("midnightblue", 0x191970),
    ("skyblue", 0x87ceeb),
    ("seagreen", 0x2e8b57),
    ("forestgreen", 0x228b22),
    ("darkcyan", 0x008b8b),
    ("aliceblue", 0xf0f8ff),
    ("honeydew", 0xf0fff0),
    ("azure", 0xf0ffff),
    ("snow", 0xfffafa),
    ("linen", 0xfaf0e6),
    ("mintcream", 0xf5fffa),
    ("ghostwhite", 0xf8f8ff),
    ("floralwhite", 0xfffaf0),
    ("oldlace", 0xfdf5e6),
    ("seashell", 0xfff5ee),
    ("lightcyan", 0xe0ffff),
    ("lightpink", 0xffb6c1),
    ("darkviolet", 0x9400d3),
    ("darkmagenta", 0x8b008b),
    ("mediumblue", 0x0000cd),
    ("dodgerblue", 0x1e90ff),
    ("deepskyblue", 0x00bfff),
    ("cornflowerblue", 0x6495ed),
    ("yellowgreen", 0x9acd32),
    ("limegreen", 0x32cd32),
    ("darkkhaki", 0xbdb76b),
    ("goldenrod", 0xdaa520),
    ("darkgoldenrod", 0xb8860b),
    ("sienna", 0xa0522d),
    ("saddlebrown", 0x8b4513),
    ("rebeccapurple", 0x663399),
    ("hotpink", 0xff69b4),
    ("deeppink", 0xff1493),
    ("lightslategray", 0x778899),
    ("lightsteelblue", 0xb0c4de),
    ("wheat", 0xf5deb3),
];

/// Parses an `opacity` value (a number or a percentage), clamped to 0–1 as CSS does. `None`
/// for anything else (`inherit`, `var()`, `calc()`), so callers answer "cannot tell".
pub fn parse_opacity(v: &str) -> Option<f64> {
    let v = v.trim();
    let x = match v.strip_suffix('%') {
        Some(p) => number(p)? / 100.0,
        None => number(v)?,
    };
    Some(x.clamp(0.0, 1.0))
}

/// A plain CSS number: digits with an optional sign, point and exponent, never `inf` or `NaN`.
fn number(v: &str) -> Option<f64> {
    let plain = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    v.parse::<f64>().ok().filter(|x| plain && x.is_finite())
}

/// Whether a paint effect or animation property's value is its initial one (`none`, `normal`),
/// so it changes nothing on screen.
pub fn is_initial_effect(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "none" | "normal" | "initial" | "unset"
    )
}

/// Parses a CSS colour. `None` for values it cannot resolve (`currentcolor`, `var()`, system
/// colours…), so callers answer "cannot tell".
pub fn parse_color(v: &str) -> Option<Rgba> {
    let v = v.trim().to_ascii_lowercase();
    if v == "transparent" {
        return Some(Rgba {
            r: 0.0,
            g: 0.0,
            b: 0.0,
            a: 0.0,
        });
    }
    if let Some(hex) = v.strip_prefix('#') {
        let digits: Vec<u32> = hex.chars().map(|c| c.to_digit(16)).collect::<Option<_>>()?;
        let (r, g, b, a) = match digits.len() {
            3 => (digits[0] * 17, digits[1] * 17, digits[2] * 17, 255),
            4 => (
                digits[0] * 17,
                digits[1] * 17,
                digits[2] * 17,
                digits[3] * 17,
            ),
            6 => (
                digits[0] * 16 + digits[1],
                digits[2] * 16 + digits[3],
                digits[4] * 16 + digits[5],
                255,
            ),
            8 => (
                digits[0] * 16 + digits[1],
                digits[2] * 16 + digits[3],
                digits[4] * 16 + digits[5],
                digits[6] * 16 + digits[7],
            ),
            _ => return None,
        };
        return Some(Rgba {
            r: f64::from(r),
            g: f64::from(g),
            b: f64::from(b),
            a: f64::from(a) / 255.0,
        });
    }
    if let Some(args) = v.strip_prefix("rgba(").or_else(|| v.strip_prefix("rgb(")) {
        let args = args.strip_suffix(')')?;
        let parts: Vec<&str> = args
            .split([',', ' ', '/'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if parts.len() < 3 {
            return None;
        }
        let chan = |s: &str| -> Option<f64> {
            match s.strip_suffix('%') {
                Some(p) => p.parse::<f64>().ok().map(|x| x * 2.55),
                None => s.parse::<f64>().ok(),
            }
        };
        let a = match parts.get(3) {
            Some(s) => match s.strip_suffix('%') {
                Some(p) => p.parse::<f64>().ok()? / 100.0,
                None => s.parse::<f64>().ok()?,
            },
            None => 1.0,
        };
        return Some(Rgba {
            r: chan(parts[0])?,
            g: chan(parts[1])?,
            b: chan(parts[2])?,
            a: a.clamp(0.0, 1.0),
        });
    }
    // `color(srgb r g b / a)`, channels 0–1: how a browser gives `color-mix()` in sRGB as a
    // computed value. Other colour spaces (display-p3, oklch…) are left unresolved.
    if let Some(args) = v
        .strip_prefix("color(srgb ")
        .and_then(|a| a.strip_suffix(')'))
    {
        let (rgb, alpha) = match args.split_once('/') {
            Some((c, a)) => (c, Some(a.trim())),
            None => (args, None),
        };
        let unit = |s: &str| -> Option<f64> {
            let x = match s.strip_suffix('%') {
                Some(p) => number(p)? / 100.0,
                None => number(s)?,
            };
            Some(x.clamp(0.0, 1.0))
        };
        let c: Vec<f64> = rgb
            .split_ascii_whitespace()
            .map(unit)
            .collect::<Option<_>>()?;
        let [r, g, b] = c[..] else { return None };
        return Some(Rgba {
            r: r * 255.0,
            g: g * 255.0,
            b: b * 255.0,
            a: alpha.map_or(Some(1.0), unit)?,
        });
    }
    NAMED.iter().find(|(n, _)| *n == v).map(|(_, hex)| Rgba {
        r: f64::from((hex >> 16) & 0xff),
        g: f64::from((hex >> 8) & 0xff),
        b: f64::from(hex & 0xff),
        a: 1.0,
    })
}

/// A CSS length in px (`px`, `em` against `font_px`, `rem`, `pt`, `pc`, `in`, `cm`, `mm`,
/// unitless 0). `None` for percentages, `auto` and anything else that needs layout.
pub fn length_px(v: &str, font_px: f64) -> Option<f64> {
    let v = v.trim().to_ascii_lowercase();
    let num = |s: &str| s.trim().parse::<f64>().ok();
    for (unit, factor) in [
        ("px", 1.0),
        ("rem", 16.0),
        ("em", font_px),
        ("pt", 4.0 / 3.0),
        ("pc", 16.0),
        ("in", 96.0),
        ("cm", 96.0 / 2.54),
        ("mm", 96.0 / 25.4),
    ] {
        if let Some(n) = v.strip_suffix(unit) {
            return num(n).map(|x| x * factor);
        }
    }
    num(&v).filter(|x| *x == 0.0)
}

/// Whether a `clip` or `clip-path` value leaves at most one pixel of the element showing:
/// `rect(0 0 0 0)`, `rect(1px, 1px, 1px, 1px)`, `inset(50%)`, `circle(0)`… (the "visually
/// hidden" patterns of GOV.UK Frontend, Bootstrap, WordPress and others). `rect()` only
/// applies to absolutely positioned elements; the caller checks that.
pub fn clip_hides(v: &str) -> bool {
    let v = v.trim().to_ascii_lowercase();
    let inner = |name: &str| {
        v.strip_prefix(name)
            .and_then(|r| r.trim_start().strip_prefix('('))
            .and_then(|r| r.strip_suffix(')'))
            .map(str::to_string)
    };
    if let Some(args) = inner("rect") {
        let n: Vec<Option<f64>> = args
            .split([',', ' '])
            .filter(|s| !s.trim().is_empty())
            .map(|s| length_px(s, 16.0))
            .collect();
        if let [Some(top), Some(right), Some(bottom), Some(left)] = n[..] {
            return right - left <= 1.0 && bottom - top <= 1.0;
        }
        return false;
    }
    if let Some(args) = inner("inset") {
        let first = args.split_ascii_whitespace().next().unwrap_or("");
        return first
            .strip_suffix('%')
            .and_then(|p| p.parse::<f64>().ok())
            .is_some_and(|p| p >= 50.0);
    }
    if let Some(args) = inner("circle") {
        let r = args.split_ascii_whitespace().next().unwrap_or("");
        return length_px(r, 16.0).is_some_and(|x| x <= 0.5)
            || r.strip_suffix('%').and_then(|p| p.parse::<f64>().ok()) == Some(0.0);
    }
    false
}

/// Resolves a `font-size` value against the parent's size in px. `None` when unknown.
pub fn font_size_px(v: &str, parent: f64) -> Option<f64> {
    let v = v.trim().to_ascii_lowercase();
    let num = |s: &str| s.trim().parse::<f64>().ok();
    if let Some(n) = v.strip_suffix("px") {
        return num(n);
    }
    if let Some(n) = v.strip_suffix("rem") {
        return num(n).map(|x| x * 16.0);
    }
    if let Some(n) = v.strip_suffix("em") {
        return num(n).map(|x| x * parent);
    }
    if let Some(n) = v.strip_suffix("pt") {
        return num(n).map(|x| x * 4.0 / 3.0);
    }
    if let Some(n) = v.strip_suffix('%') {
        return num(n).map(|x| x * parent / 100.0);
    }
    Some(match v.as_str() {
        "xx-small" => 9.0,
        "x-small" => 10.0,
        "small" => 13.0,
        "medium" => 16.0,
        "large" => 18.0,
        "x-large" => 24.0,
        "xx-large" => 32.0,
        "smaller" => parent / 1.2,
        "larger" => parent * 1.2,
        "inherit" => parent,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opacity_reads_numbers_and_percentages_clamped_to_one() {
        assert_eq!(parse_opacity(".3"), Some(0.3));
        assert_eq!(parse_opacity(" 40% "), Some(0.4));
        assert_eq!(parse_opacity("1.5"), Some(1.0));
        assert_eq!(parse_opacity("-1"), Some(0.0));
        for unknown in ["inherit", "var(--o)", "calc(1 - .5)", "nan", "inf", ""] {
            assert_eq!(parse_opacity(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn parses_colours() {
        assert_eq!(parse_color("#fff"), Some(Rgba::WHITE));
        assert_eq!(parse_color("rgb(0, 0, 0)"), Some(Rgba::BLACK));
        assert!((contrast(Rgba::BLACK, Rgba::WHITE) - 21.0).abs() < 0.01);
        assert_eq!(parse_color("var(--x)"), None);
        // A browser's computed `color-mix(in srgb, #000 20%, #fff)`.
        let mixed = parse_color("color(srgb 0.8 0.8 0.8)").expect("sRGB colour");
        assert!((mixed.r - 204.0).abs() < 1e-9 && mixed.a == 1.0);
        assert_eq!(
            parse_color("color(srgb 1 1 1 / 0.5)").map(|c| c.a),
            Some(0.5)
        );
        assert_eq!(parse_color("color(display-p3 1 0 0)"), None);
        assert_eq!(parse_color("color(srgb 1 1)"), None);
        assert_eq!(parse_color("oklch(0.7 0.1 200)"), None);
    }
}
