//! HTML presentational hints: the styles that old markup sets with attributes rather than CSS
//! (`<body bgcolor text>`, `<table bgcolor background>`, `<td bgcolor>`, `<font color size>`,
//! `align="justify"`). Browsers map them to CSS at the author level with specificity zero, so
//! any author rule overrides them (HTML Living Standard §15.3 "Non-replaced elements", "The
//! rules for parsing a legacy colour value" in §2.3.6.4). Ignoring them misjudged contrast on
//! old council templates built from tables, where the only background is a `bgcolor`.
//!
//! `<body link>` is not here: it colours `:link`, which the audit resolves where it computes
//! link colours (see [`super::dom`]).

use scraper::ElementRef;

use super::values::{Prop, Rgba, parse_color};

/// Calls `offer` with each presentational hint of `el`, as a CSS value.
pub fn presentational_hints(el: ElementRef<'_>, mut offer: impl FnMut(Prop, &str)) {
    let v = el.value();
    let tag = v.name();
    let colour = |name: &str| v.attr(name).and_then(legacy_colour).map(css_colour);
    match tag {
        "body" | "table" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th" | "marquee" => {
            if let Some(c) = colour("bgcolor") {
                offer(Prop::BackgroundColor, &c);
            }
            if tag != "marquee"
                && tag != "tr"
                && let Some(bg) = v.attr("background").filter(|b| !b.trim().is_empty())
            {
                offer(Prop::BackgroundImage, &format!("url({})", bg.trim()));
            }
            if tag == "body"
                && let Some(c) = colour("text")
            {
                offer(Prop::Color, &c);
            }
        }
        "font" => {
            if let Some(c) = colour("color") {
                offer(Prop::Color, &c);
            }
            if let Some(px) = v.attr("size").and_then(font_size_attr) {
                offer(Prop::FontSize, &format!("{px}px"));
            }
        }
        _ => {}
    }
    if matches!(
        tag,
        "p" | "div" | "td" | "th" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "caption" | "tr"
    ) && let Some(a) = v.attr("align")
    {
        let a = a.trim().to_ascii_lowercase();
        if matches!(a.as_str(), "left" | "right" | "center" | "justify") {
            offer(Prop::TextAlign, &a);
        }
    }
}

/// `#rrggbb` for a colour (hints are opaque).
fn css_colour(c: Rgba) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r as u8, c.g as u8, c.b as u8)
}

/// The `size` attribute of `<font>`: 1–7, or relative to 3 with a sign ("rules for parsing a
/// legacy font size"). The sizes are the CSS keywords x-small … xxx-large in px.
fn font_size_attr(v: &str) -> Option<f64> {
    let v = v.trim();
    let (sign, digits) = match v.as_bytes().first()? {
        b'+' => (1, &v[1..]),
        b'-' => (-1, &v[1..]),
        _ => (0, v),
    };
    let n: String = digits.chars().take_while(char::is_ascii_digit).collect();
    let n: i64 = n.parse().ok()?;
    let size = if sign == 0 { n } else { 3 + sign * n }.clamp(1, 7);
    Some(match size {
        1 => 10.0,
        2 => 13.0,
        3 => 16.0,
        4 => 18.0,
        5 => 24.0,
        6 => 32.0,
        _ => 48.0,
    })
}

/// Parses a legacy colour attribute value the way browsers do, so `bgcolor=white`,
/// `bgcolor="#EDEDED"` and even `bgcolor="EDEDED"` resolve. `None` for an empty value and for
/// `transparent` (no colour).
pub fn legacy_colour(input: &str) -> Option<Rgba> {
    let s = input.trim_matches(|c: char| c.is_ascii_whitespace());
    if s.is_empty() || s.eq_ignore_ascii_case("transparent") {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_alphabetic())
        && let Some(c) = parse_color(s).filter(|c| c.a >= 1.0)
    {
        return Some(c);
    }
    let chars: Vec<char> = s.chars().collect();
    if chars.len() == 4 && chars[0] == '#' && chars[1..].iter().all(char::is_ascii_hexdigit) {
        let d = |c: char| f64::from(c.to_digit(16).unwrap_or(0) * 17);
        return Some(Rgba {
            r: d(chars[1]),
            g: d(chars[2]),
            b: d(chars[3]),
            a: 1.0,
        });
    }
    let mut digits: Vec<char> = Vec::new();
    for c in chars {
        if u32::from(c) > 0xFFFF {
            digits.extend(['0', '0']);
        } else {
            digits.push(c);
        }
    }
    digits.truncate(128);
    if digits.first() == Some(&'#') {
        digits.remove(0);
    }
    for c in &mut digits {
        if !c.is_ascii_hexdigit() {
            *c = '0';
        }
    }
    while digits.is_empty() || digits.len() % 3 != 0 {
        digits.push('0');
    }
    let mut len = digits.len() / 3;
    let mut parts: Vec<Vec<char>> = digits.chunks(len).map(<[char]>::to_vec).collect();
    if len > 8 {
        for p in &mut parts {
            p.drain(..len - 8);
        }
        len = 8;
    }
    while len > 2 && parts.iter().all(|p| p[0] == '0') {
        for p in &mut parts {
            p.remove(0);
        }
        len -= 1;
    }
    let value = |p: &[char]| -> f64 {
        let s: String = p.iter().take(2).collect();
        f64::from(u32::from_str_radix(&s, 16).unwrap_or(0))
    };
    Some(Rgba {
        r: value(&parts[0]),
        g: value(&parts[1]),
        b: value(&parts[2]),
        a: 1.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(c: Option<Rgba>) -> Option<String> {
        c.map(css_colour)
    }

    #[test]
    fn legacy_colours_parse_as_browsers_do() {
        assert_eq!(hex(legacy_colour("white")).as_deref(), Some("#ffffff"));
        assert_eq!(hex(legacy_colour("#EDEDED")).as_deref(), Some("#ededed"));
        assert_eq!(hex(legacy_colour("#fc0")).as_deref(), Some("#ffcc00"));
        // Without the hash, and the classic "chucknorris" (HTML spec example).
        assert_eq!(hex(legacy_colour("A9B8BF")).as_deref(), Some("#a9b8bf"));
        assert_eq!(
            hex(legacy_colour("chucknorris")).as_deref(),
            Some("#c00000")
        );
        assert_eq!(legacy_colour("transparent"), None);
        assert_eq!(legacy_colour(" "), None);
    }

    #[test]
    fn font_size_attribute_maps_to_keyword_sizes() {
        assert_eq!(font_size_attr("2"), Some(13.0));
        assert_eq!(font_size_attr("+1"), Some(18.0));
        assert_eq!(font_size_attr("-2"), Some(10.0));
        assert_eq!(font_size_attr("9"), Some(48.0));
        assert_eq!(font_size_attr("x"), None);
    }
}
