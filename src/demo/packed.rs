//! A built demo site held compactly for serving: every response's body deflated together with
//! its neighbours, so a site of a hundred-odd pages takes a few tens of kilobytes instead of
//! hundreds, and ten thousand of them fit in memory at once.
//!
//! Pages of one site share their header, navigation and footer, which deflate removes only
//! when it sees several pages in one stream; so bodies are packed in blocks of about
//! [`BLOCK_BYTES`] (a few tens of pages), and serving a page inflates its block (tens of
//! microseconds). The search engine is kept as deflated JSON and inflated per search, which
//! is rare. What comes out is byte for byte what went in.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;

use super::search::SearchSpec;
use super::{DemoResponse, DemoSite};

/// Raw bytes of body per block before a new one starts.
const BLOCK_BYTES: usize = 64 * 1024;

/// One response: where its body is and how it is served.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The end of its path in [`PackedSite::paths`] (the start is the previous entry's end).
    path_end: u32,
    block: u32,
    offset: u32,
    len: u32,
    status: u16,
    content_type: u16,
    latency_ms: u32,
    templated: bool,
}

/// A site's search engine, deflated until a search needs it.
#[derive(Debug)]
struct PackedSearch {
    path: Box<str>,
    param: Box<str>,
    spec: Box<[u8]>,
}

/// Why a packed site cannot answer.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// A block or the search engine did not inflate back (a bug, not bad input).
    #[error("demo site {slug}: cannot unpack {what}: {why}")]
    Corrupt {
        /// The council.
        slug: String,
        /// The block or the search.
        what: String,
        /// What went wrong.
        why: String,
    },
}

/// A demo site's responses and search, packed.
#[derive(Debug)]
pub struct PackedSite {
    slug: Box<str>,
    /// Every path, in sorted order, end to end.
    paths: String,
    entries: Vec<Entry>,
    content_types: Vec<Box<str>>,
    blocks: Vec<Box<[u8]>>,
    search: Option<PackedSearch>,
}

/// A response as the server sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The Content-Type header.
    pub content_type: String,
    /// Extra delay before answering, in milliseconds.
    pub latency_ms: u32,
    /// The body, with `{BASE}` filled in.
    pub body: String,
}

impl Reply {
    /// A stored response as served from `base`.
    pub fn stored(r: &DemoResponse, base: &str) -> Reply {
        Reply {
            status: r.status,
            content_type: r.content_type.clone(),
            latency_ms: r.latency_ms,
            body: r.body_for(base),
        }
    }

    /// A search results page.
    pub fn search(body: String) -> Reply {
        Reply {
            status: 200,
            content_type: "text/html; charset=utf-8".into(),
            latency_ms: 0,
            body,
        }
    }

    /// The answer for a path the site does not have.
    pub fn not_found() -> Reply {
        Reply {
            status: 404,
            content_type: "text/html; charset=utf-8".into(),
            latency_ms: 0,
            body: "<!DOCTYPE html><html lang=\"en\"><head><title>Page not found</title></head>\
                   <body><h1>Page not found</h1><p>The page you asked for is not here.</p></body></html>"
                .into(),
        }
    }
}

/// The value of `param` in a query string ("" when absent), as the site's search reads it.
pub fn query_value(query: Option<&str>, param: &str) -> String {
    query
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == param)
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

fn deflate(bytes: &[u8]) -> Box<[u8]> {
    let mut e = DeflateEncoder::new(Vec::with_capacity(bytes.len() / 6), Compression::default());
    // Writing to a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default().into_boxed_slice()
}

fn inflate(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() * 8);
    DeflateDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

impl PackedSite {
    /// Packs a built site (its ground truth is left behind: serving does not need it).
    pub fn pack(site: &DemoSite) -> PackedSite {
        let mut paths = String::new();
        let mut entries = Vec::with_capacity(site.pages.len());
        let mut content_types: Vec<Box<str>> = Vec::new();
        let mut blocks = Vec::new();
        let mut block = Vec::new();
        // `pages` is a BTreeMap, so paths come sorted and neighbours share their section.
        for (path, r) in &site.pages {
            if block.len() >= BLOCK_BYTES {
                blocks.push(deflate(&block));
                block.clear();
            }
            let content_type = match content_types.iter().position(|c| **c == *r.content_type) {
                Some(i) => i,
                None => {
                    content_types.push(r.content_type.as_str().into());
                    content_types.len() - 1
                }
            };
            paths.push_str(path);
            entries.push(Entry {
                path_end: paths.len() as u32,
                block: blocks.len() as u32,
                offset: block.len() as u32,
                len: r.body.len() as u32,
                status: r.status,
                content_type: content_type as u16,
                latency_ms: r.latency_ms,
                templated: r.templated,
            });
            block.extend_from_slice(r.body.as_bytes());
        }
        if !block.is_empty() {
            blocks.push(deflate(&block));
        }
        let search = site.search.as_ref().map(|s| PackedSearch {
            path: s.path.as_str().into(),
            param: s.param.as_str().into(),
            spec: deflate(&serde_json::to_vec(s).unwrap_or_default()),
        });
        paths.shrink_to_fit();
        PackedSite {
            slug: site.site.slug.as_str().into(),
            paths,
            entries,
            content_types,
            blocks,
            search,
        }
    }

    /// Memory held, roughly (what the cache counts against its budget).
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.slug.len()
            + self.paths.capacity()
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self
                .content_types
                .iter()
                .map(|c| c.len() + 16)
                .sum::<usize>()
            + self.blocks.iter().map(|b| b.len() + 16).sum::<usize>()
            + self
                .search
                .as_ref()
                .map_or(0, |s| s.path.len() + s.param.len() + s.spec.len())
    }

    /// Paths held, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        (0..self.entries.len()).map(|i| self.path(i))
    }

    fn path(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.entries[i - 1].path_end as usize
        };
        self.paths
            .get(start..self.entries[i].path_end as usize)
            .unwrap_or_default()
    }

    fn find(&self, path: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.entries.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.path(mid).cmp(path) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    fn corrupt(&self, what: String, why: impl ToString) -> PackError {
        PackError::Corrupt {
            slug: self.slug.to_string(),
            what,
            why: why.to_string(),
        }
    }

    /// The stored response for a path, as served from `base`.
    fn stored(&self, i: usize, base: &str) -> Result<Reply, PackError> {
        let e = self.entries[i];
        let what = || format!("the block of {}", self.path(i));
        let block = self
            .blocks
            .get(e.block as usize)
            .ok_or_else(|| self.corrupt(what(), "no such block"))?;
        let raw = inflate(block).map_err(|why| self.corrupt(what(), why))?;
        let bytes = raw
            .get(e.offset as usize..(e.offset + e.len) as usize)
            .ok_or_else(|| self.corrupt(what(), "too short"))?;
        let body = std::str::from_utf8(bytes).map_err(|why| self.corrupt(what(), why))?;
        let body = if e.templated {
            body.replace("{BASE}", base.trim_end_matches('/'))
        } else {
            body.to_string()
        };
        Ok(Reply {
            status: e.status,
            content_type: self
                .content_types
                .get(usize::from(e.content_type))
                .map(|c| c.to_string())
                .unwrap_or_default(),
            latency_ms: e.latency_ms,
            body,
        })
    }

    /// What the site answers for a request path (with its query, if any), served from `base`:
    /// its search for the search path, the page stored under the path with or without its
    /// query, or not found — the same rules, in the same order, as for an unpacked site.
    pub fn reply(&self, path: &str, query: Option<&str>, base: &str) -> Result<Reply, PackError> {
        if let Some(s) = self.search.as_ref().filter(|s| *s.path == *path) {
            let what = || "the search engine".to_string();
            let json = inflate(&s.spec).map_err(|why| self.corrupt(what(), why))?;
            let spec: SearchSpec =
                serde_json::from_slice(&json).map_err(|why| self.corrupt(what(), why))?;
            return Ok(Reply::search(spec.page(&query_value(query, &s.param))));
        }
        let full = match query {
            Some(q) => format!("{path}?{q}"),
            None => path.to_string(),
        };
        match self.find(&full).or_else(|| self.find(path)) {
            Some(i) => self.stored(i, base),
            None => Ok(Reply::not_found()),
        }
    }
}

/// What a fully built site answers (the reference [`PackedSite::reply`] matches).
pub fn reply_built(site: &DemoSite, path: &str, query: Option<&str>, base: &str) -> Reply {
    if let Some(search) = site.search.as_ref().filter(|s| s.path == path) {
        return Reply::search(search.page(&query_value(query, &search.param)));
    }
    let full = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    match site.pages.get(&full).or_else(|| site.pages.get(path)) {
        Some(page) => Reply::stored(page, base),
        None => Reply::not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::generate_with;
    use crate::ruleset;

    #[test]
    fn a_packed_site_answers_every_request_with_the_bytes_of_the_built_one() {
        let today = jiff::civil::date(2026, 3, 1);
        let web = generate_with(&ruleset::builtin(), 11, 9, 40, today);
        let base = "http://example-council.localhost:8080";
        for site in &web.sites {
            let packed = PackedSite::pack(site);
            assert!(
                packed.blocks.len() > 1,
                "{}: several blocks",
                site.site.slug
            );
            assert_eq!(
                packed.paths().collect::<Vec<_>>(),
                site.pages.keys().map(String::as_str).collect::<Vec<_>>()
            );
            for path in site.pages.keys() {
                let (p, q) = match path.split_once('?') {
                    Some((p, q)) => (p, Some(q)),
                    None => (path.as_str(), None),
                };
                let got = packed.reply(p, q, base).expect("unpacks");
                assert_eq!(got, reply_built(site, p, q, base), "{path}");
                assert_eq!(got.body, site.pages[path].body_for(base), "{path}");
            }
            assert_eq!(
                packed.reply("/no/such/page", None, base).unwrap().status,
                404
            );
            if let Some(s) = &site.search {
                for term in ["pay council tax", "bins", "", "<script>"] {
                    let q = format!("{}={}", s.param, term.replace(' ', "+"));
                    let got = packed.reply(&s.path, Some(&q), base).expect("search");
                    assert_eq!(got, reply_built(site, &s.path, Some(&q), base), "{term}");
                }
            }
        }
    }

    #[test]
    fn a_packed_site_is_a_small_fraction_of_its_pages() {
        let today = jiff::civil::date(2026, 3, 1);
        let web = generate_with(&ruleset::builtin(), 3, 8, 20, today);
        let raw: usize = web
            .sites
            .iter()
            .flat_map(|s| s.pages.values())
            .map(|p| p.body.len())
            .sum();
        let packed: usize = web.sites.iter().map(|s| PackedSite::pack(s).bytes()).sum();
        assert!(packed * 4 < raw, "packed {packed} bytes of {raw}");
    }
}
