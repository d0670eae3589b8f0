//! Decoding a response body to text in the order browsers use (WHATWG Encoding and HTML
//! "determining the character encoding"): byte-order mark, then the Content-Type charset, then a
//! `<meta charset>` prescan of the first 1024 bytes, then detection with chardetng.
//!
//! reqwest's `text()` looks only at the header (falling back to UTF-8), which garbles the many
//! council pages still served as windows-1252 with the charset only in a meta tag.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, X_USER_DEFINED};

/// How the encoding was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A byte-order mark.
    Bom,
    /// The Content-Type header's charset.
    Header,
    /// A `<meta charset>` or `<meta http-equiv=content-type>` in the first 1024 bytes.
    Meta,
    /// Guessed from the bytes.
    Detected,
}

/// Decodes an HTML body. Returns the text, the encoding used and how it was chosen.
pub fn decode_html(
    bytes: &[u8],
    content_type: Option<&str>,
) -> (String, &'static Encoding, Source) {
    let (encoding, source) = if let Some((enc, _)) = Encoding::for_bom(bytes) {
        (enc, Source::Bom)
    } else if let Some(enc) = content_type.and_then(header_charset) {
        (enc, Source::Header)
    } else if let Some(enc) = meta_prescan(&bytes[..bytes.len().min(1024)]) {
        (enc, Source::Meta)
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        // A crawler is not a browser: UTF-8 is a fine guess for unlabelled pages.
        (
            detector.guess(None, chardetng::Utf8Detection::Allow),
            Source::Detected,
        )
    };
    // `decode` sniffs the BOM again and strips it; malformed bytes become U+FFFD, never a panic.
    let (text, used, _) = encoding.decode(bytes);
    (text.into_owned(), used, source)
}

/// Decodes a non-HTML text body (a stylesheet): BOM, then header charset, else UTF-8.
pub fn decode_text(bytes: &[u8], content_type: Option<&str>) -> String {
    let encoding = content_type.and_then(header_charset).unwrap_or(UTF_8);
    encoding.decode(bytes).0.into_owned()
}

/// The encoding named by a Content-Type header's `charset` parameter.
pub fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        Encoding::for_label(value.trim().trim_matches(['"', '\'']).as_bytes())
    })
}

/// A simplified HTML prescan: finds `charset=` inside `<meta …>` tags (covering both
/// `<meta charset=x>` and `<meta http-equiv=Content-Type content="text/html; charset=x">`).
fn meta_prescan(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut rest = &lower[..];
    while let Some(pos) = find(rest, b"<meta") {
        rest = &rest[pos + 5..];
        let end = find(rest, b">").unwrap_or(rest.len());
        let tag = &rest[..end];
        if let Some(cs) = find(tag, b"charset") {
            let mut value = &tag[cs + 7..];
            value = trim_start(value);
            let Some(v) = value.strip_prefix(b"=") else {
                continue;
            };
            let v = trim_start(v);
            let v = v
                .strip_prefix(b"\"")
                .or_else(|| v.strip_prefix(b"'"))
                .unwrap_or(v);
            let label_end = v
                .iter()
                .position(|b| {
                    matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
                })
                .unwrap_or(v.len());
            if let Some(enc) = Encoding::for_label(&v[..label_end]) {
                // The HTML standard: a meta-declared UTF-16 means UTF-8 (the bytes are ASCII-
                // compatible if we could read the tag), and x-user-defined means windows-1252.
                return Some(if enc == UTF_16LE || enc == UTF_16BE {
                    UTF_8
                } else if enc == X_USER_DEFINED {
                    WINDOWS_1252
                } else {
                    enc
                });
            }
        }
        rest = &rest[end..];
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAFE_1252: &[u8] = b"<p>caf\xe9 \x80 5</p>";

    #[test]
    fn bom_wins_over_header() {
        let mut body = vec![0xEF, 0xBB, 0xBF];
        body.extend_from_slice("<p>café</p>".as_bytes());
        let (text, enc, src) = decode_html(&body, Some("text/html; charset=windows-1252"));
        assert_eq!((enc, src), (UTF_8, Source::Bom));
        assert_eq!(text, "<p>café</p>");
    }

    #[test]
    fn header_charset_decodes_windows_1252() {
        let (text, enc, src) = decode_html(CAFE_1252, Some("text/html; charset=\"ISO-8859-1\""));
        assert_eq!((enc, src), (WINDOWS_1252, Source::Header));
        assert_eq!(text, "<p>café € 5</p>");
    }

    #[test]
    fn meta_prescan_finds_both_forms() {
        let mut a = b"<html><head><meta charset='windows-1252'>".to_vec();
        a.extend_from_slice(CAFE_1252);
        assert_eq!(decode_html(&a, Some("text/html")).2, Source::Meta);
        let mut b =
            b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=windows-1252\">"
                .to_vec();
        b.extend_from_slice(CAFE_1252);
        let (text, enc, src) = decode_html(&b, None);
        assert_eq!((enc, src), (WINDOWS_1252, Source::Meta));
        assert!(text.ends_with("<p>café € 5</p>"));
    }

    #[test]
    fn unlabelled_legacy_bytes_are_detected() {
        let body = b"<p>Council tax: pay by direct debit, caf\xe9s and th\xe9\xe2tres closed.</p>";
        let (text, _, src) = decode_html(body, None);
        assert_eq!(src, Source::Detected);
        assert!(text.contains("café"), "{text}");
    }
}
