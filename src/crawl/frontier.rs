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

#[derive(Debug, PartialEq, Eq)]
struct Entry {
    priority: bool,
    seq: u64,
    link: Link,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap pops the greatest: priority first, then the shallowest, then the oldest.
        self.priority
            .cmp(&other.priority)
            .then_with(|| other.link.depth.cmp(&self.link.depth))
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
            seq: self.seq,
            link,
        });
        true
    }

    /// Whether a link's URL or text matches a priority pattern.
    pub fn is_priority(&self, url: &Url, text: Option<&str>) -> bool {
        self.priority.is_match(url.as_str()) || text.is_some_and(|t| self.priority.is_match(t))
    }

    /// The best link to fetch next.
    pub fn pop(&mut self) -> Option<Link> {
        self.heap.pop().map(|e| e.link)
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
    fn queues_each_url_once() {
        let mut f = Frontier::new(Arc::new(RegexSet::empty()));
        assert!(f.push(link("/a", 1, "A")));
        assert!(!f.push(link("/a", 2, "A again")));
        assert_eq!(f.len(), 1);
    }
}
