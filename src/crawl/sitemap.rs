//! Sitemaps (sitemaps.org protocol 0.9): `<urlset>` files and `<sitemapindex>` files, plain or
//! gzip-compressed, read as a stream with quick-xml over flate2 and capped per file at
//! [`MAX_SITEMAP_BYTES`] uncompressed and a configured number of URLs (50,000 by the protocol).
//!
//! Only `<loc>` is read; `lastmod`, `priority` and `changefreq` are not used to order the crawl.

use std::io::{BufRead, BufReader, Read};

use flate2::read::GzDecoder;
use quick_xml::Reader;
use quick_xml::events::Event;
use url::Url;

/// The most bytes read from one sitemap file, uncompressed (the protocol's limit).
pub const MAX_SITEMAP_BYTES: u64 = 50 * 1024 * 1024;

/// What one sitemap file lists.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SitemapFile {
    /// Page URLs (`<urlset><url><loc>`).
    pub pages: Vec<Url>,
    /// Further sitemaps (`<sitemapindex><sitemap><loc>`).
    pub sitemaps: Vec<Url>,
    /// Whether the URL or byte cap cut the file short.
    pub truncated: bool,
    /// Why reading stopped early, when the XML was broken.
    pub error: Option<String>,
}

/// Parses a sitemap body (gzip detected by its magic bytes, whatever the headers said), resolving
/// relative `<loc>` values against `base`. Never fails: a broken file yields what was read before
/// the error, with the error recorded.
pub fn parse(body: &[u8], base: &Url, max_urls: usize) -> SitemapFile {
    if body.starts_with(&[0x1f, 0x8b]) {
        read(
            BufReader::new(GzDecoder::new(body).take(MAX_SITEMAP_BYTES)),
            base,
            max_urls,
        )
    } else {
        let capped = &body[..body.len().min(MAX_SITEMAP_BYTES as usize)];
        let mut file = read(capped, base, max_urls);
        file.truncated |= body.len() as u64 > MAX_SITEMAP_BYTES;
        file
    }
}

fn read<R: BufRead>(source: R, base: &Url, max_urls: usize) -> SitemapFile {
    let mut reader = Reader::from_reader(source);
    let mut out = SitemapFile::default();
    let mut buf = Vec::new();
    // The element a `<loc>` sits in decides whether it names a page or a sitemap.
    let mut parent: Option<bool> = None; // Some(true) inside <sitemap>, Some(false) inside <url>
    let mut in_loc = false;
    let mut loc = String::new();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                out.error = Some(format!(
                    "XML error at byte {}: {e}",
                    reader.buffer_position()
                ));
                break;
            }
        };
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "sitemap" => parent = Some(true),
                "url" => parent = Some(false),
                "loc" => {
                    in_loc = true;
                    loc.clear();
                }
                _ => {}
            },
            Event::Text(t) if in_loc => loc.push_str(&t.xml10_content()),
            Event::CData(t) if in_loc => loc.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_loc => match r.resolve_char_ref() {
                Ok(Some(c)) => loc.push(c),
                _ => loc.push_str(match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Event::End(e) => match e.local_name().as_ref() {
                "loc" => {
                    in_loc = false;
                    if let (Some(is_index), Ok(url)) = (parent, base.join(loc.trim())) {
                        if out.pages.len() + out.sitemaps.len() >= max_urls {
                            out.truncated = true;
                            break;
                        }
                        if is_index {
                            out.sitemaps.push(url)
                        } else {
                            out.pages.push(url)
                        }
                    }
                }
                "sitemap" | "url" => parent = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    fn base() -> Url {
        Url::parse("https://www.leeds.gov.uk/sitemap.xml").unwrap()
    }

    const URLSET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://www.leeds.gov.uk/bins?a=1&amp;b=2</loc><lastmod>2026-01-01</lastmod></url>
  <url><loc> /council-tax </loc></url>
  <url><loc><![CDATA[https://www.leeds.gov.uk/planning]]></loc></url>
</urlset>"#;

    #[test]
    fn reads_urlset_with_entities_cdata_and_relative_locs() {
        let f = parse(URLSET.as_bytes(), &base(), 100);
        let got: Vec<&str> = f.pages.iter().map(Url::as_str).collect();
        assert_eq!(
            got,
            [
                "https://www.leeds.gov.uk/bins?a=1&b=2",
                "https://www.leeds.gov.uk/council-tax",
                "https://www.leeds.gov.uk/planning"
            ]
        );
        assert!(f.sitemaps.is_empty() && !f.truncated && f.error.is_none());
    }

    #[test]
    fn reads_gzipped_index() {
        let xml = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <sitemap><loc>https://www.leeds.gov.uk/s1.xml.gz</loc></sitemap>
          <sitemap><loc>https://www.leeds.gov.uk/s2.xml</loc></sitemap></sitemapindex>"#;
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(xml.as_bytes()).unwrap();
        let f = parse(&gz.finish().unwrap(), &base(), 100);
        assert_eq!(f.sitemaps.len(), 2);
        assert!(f.pages.is_empty());
    }

    #[test]
    fn caps_urls_per_file() {
        let f = parse(URLSET.as_bytes(), &base(), 2);
        assert_eq!(f.pages.len(), 2);
        assert!(f.truncated);
    }

    #[test]
    fn broken_xml_keeps_what_was_read() {
        let f = parse(
            b"<urlset><url><loc>/a</loc></url><url><loc>/b</wrong>",
            &base(),
            10,
        );
        assert_eq!(f.pages.len(), 1);
        assert!(f.error.is_some());
    }
}
