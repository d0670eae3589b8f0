//! The frontier of one site: URLs waiting to be fetched, best-first.
//!
//! A link whose text or URL matches one of the priority patterns (the ruleset's task and service
//! patterns) is fetched before any link that does not; within each class, fewer clicks from the
//! home page first, then discovery order. So task pages are found within a small page budget even
//! on a large site. Every URL enters at most once.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use regex::RegexSet;
use url::Url;

use super::types::Link;

/// A waiting link, compact: a site's sitemap can queue thousands, and every council in flight
/// holds its frontier. The URLs as their text (a [`Url`] is the text plus a dozen offsets) and
/// no spare capacity; parsed again when the link is taken.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    priority: bool,
    depth: u32,
    seq: u64,
    url: Box<str>,
    referrer: Option<Box<str>>,
    link_text: Option<Box<str>>,
}

impl Entry {
    fn link(self) -> Option<Link> {
        Some(Link {
            url: Url::parse(&self.url).ok()?,
            depth: self.depth,
            referrer: self.referrer.and_then(|r| Url::parse(&r).ok()),
            link_text: self.link_text.map(String::from),
        })
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap pops the greatest: priority first, then the shallowest, then the oldest.
        self.priority
            .cmp(&other.priority)
            .then_with(|| other.depth.cmp(&self.depth))
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The URLs of one site still to fetch.
#[derive(Debug)]
pub struct Frontier {
    heap: BinaryHeap<Entry>,
    /// URLs seen, as 64-bit hashes: a site's seen-set costs 8 bytes a URL, not the URL. (Two
    /// URLs of one site sharing a hash is a chance of about n²/2⁶⁵: one in 3.7 × 10¹⁰ at
    /// 10,000 URLs; the loser would be skipped as seen.)
    seen: HashSet<u64>,
    /// Shared by every site's frontier: cloning a `RegexSet` would give each site a pool of
    /// matching caches of its own, which was most of a site's memory in flight.
    priority: Arc<RegexSet>,
    seq: u64,
}

/// The seen-set's key for a URL: a fixed-key SipHash, the same in every run.
fn url_hash(url: &Url) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    url.as_str().hash(&mut h);
    h.finish()
}

impl Frontier {
    /// An empty frontier ranking links by `priority` patterns.
    pub fn new(priority: Arc<RegexSet>) -> Self {
        Frontier {
            heap: BinaryHeap::new(),
            seen: HashSet::new(),
            priority,
            seq: 0,
        }
    }

    /// Marks a URL as already handled (fetched in an earlier run, or being fetched) without
    /// queueing it.
    pub fn mark_seen(&mut self, url: &Url) -> bool {
        self.seen.insert(url_hash(url))
    }

    /// Whether a URL has entered the frontier before.
    pub fn has_seen(&self, url: &Url) -> bool {
        self.seen.contains(&url_hash(url))
    }

    /// Queues a link unless its URL was seen before; returns whether it was queued.
    pub fn push(&mut self, link: Link) -> bool {
        if !self.mark_seen(&link.url) {
            return false;
        }
        let priority = self.priority.is_match(link.url.as_str())
            || link
                .link_text
                .as_deref()
                .is_some_and(|t| self.priority.is_match(t));
        self.seq += 1;
        self.heap.push(Entry {
            priority,
            depth: link.depth,
            seq: self.seq,
            url: link.url.as_str().into(),
            referrer: link.referrer.map(|r| r.as_str().into()),
            link_text: link.link_text.map(String::into_boxed_str),
        });
        true
    }

    /// Whether a link's URL or text matches a priority pattern.
    pub fn is_priority(&self, url: &Url, text: Option<&str>) -> bool {
        self.priority.is_match(url.as_str()) || text.is_some_and(|t| self.priority.is_match(t))
    }

    /// The best link to fetch next.
    pub fn pop(&mut self) -> Option<Link> {
        // A URL's text always parses again to the same URL; should one ever not, it is skipped.
        while let Some(e) = self.heap.pop() {
            if let Some(link) = e.link() {
                return Some(link);
            }
        }
        None
    }

    /// Links waiting.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no link is waiting.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(path: &str, depth: u32, text: &str) -> Link {
        Link {
            url: Url::parse(&format!("https://a.gov.uk{path}")).unwrap(),
            depth,
            referrer: None,
            link_text: Some(text.into()),
        }
    }

    #[test]
    fn pops_priority_matches_first_then_shallowest_then_oldest() {
        let patterns = RegexSet::new([r"(?i)\bbins?\b", r"(?i)council-tax"]).unwrap();
        let mut f = Frontier::new(Arc::new(patterns));
        f.push(link("/news", 1, "News"));
        f.push(link("/about", 1, "About us"));
        f.push(link("/deep/x", 3, "Bin collection days"));
        f.push(link("/pay/council-tax", 2, "Pay"));
        f.push(link("/z", 2, "Zebra"));
        let order: Vec<String> = std::iter::from_fn(|| f.pop())
            .map(|l| l.url.path().to_string())
            .collect();
        assert_eq!(
            order,
            ["/pay/council-tax", "/deep/x", "/news", "/about", "/z"]
        );
    }

    #[test]
    fn gives_back_each_link_as_it_was_queued() {
        let mut f = Frontier::new(Arc::new(RegexSet::empty()));
        let queued = Link {
            url: Url::parse("https://a.gov.uk/a%20b/c?x=1&y=%C3%A9#top").unwrap(),
            depth: 3,
            referrer: Some(Url::parse("https://a.gov.uk/parent?p=2").unwrap()),
            link_text: Some("Pay your council tax".into()),
        };
        f.push(queued.clone());
        f.push(Link {
            url: Url::parse("https://a.gov.uk/").unwrap(),
            depth: 0,
            referrer: None,
            link_text: None,
        });
        assert_eq!(f.pop().map(|l| l.url.path().to_string()), Some("/".into()));
        assert_eq!(f.pop(), Some(queued));
        assert_eq!(f.pop(), None);
    }

    #[test]
    fn queues_each_url_once() {
        let mut f = Frontier::new(Arc::new(RegexSet::empty()));
        assert!(f.push(link("/a", 1, "A")));
        assert!(!f.push(link("/a", 2, "A again")));
        assert_eq!(f.len(), 1);
    }
}
