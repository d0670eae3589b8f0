//! The site's link graph: how many clicks each page is from the home page by links alone, and
//! which pages the home page and each content area link to.

use std::collections::{BTreeSet, HashMap, VecDeque};

use super::builder::Builder;
use crate::demo::render::{Block, chrome_links};

/// Where links lead, from the pages as built.
pub(super) struct LinkGraph {
    /// Clicks from the home page to each page it reaches (header and footer links count).
    pub(super) depth: HashMap<String, u32>,
    /// The pages the home page links to, header and footer included.
    pub(super) home: BTreeSet<String>,
}

/// A link's target without its fragment.
fn clean(h: &str) -> String {
    h.split('#').next().unwrap_or_default().to_string()
}

impl Builder<'_> {
    /// The link graph of the pages served with 200.
    pub(super) fn link_graph(&self) -> LinkGraph {
        let chrome_l = chrome_links(&self.chrome);
        let mut graph: HashMap<String, Vec<String>> = HashMap::new();
        for p in &self.pages {
            if p.status != 200 {
                continue;
            }
            let mut out: Vec<String> = chrome_l.iter().map(|(h, _)| clean(h)).collect();
            out.extend(p.spec.links().iter().map(|(h, _)| clean(h)));
            graph.insert(p.spec.path.clone(), out);
        }
        let mut depth: HashMap<String, u32> = HashMap::new();
        let mut queue = VecDeque::from([("/".to_string(), 0u32)]);
        depth.insert("/".into(), 0);
        while let Some((p, d)) = queue.pop_front() {
            for next in graph.get(&p).map(Vec::as_slice).unwrap_or_default() {
                if !depth.contains_key(next) {
                    depth.insert(next.clone(), d + 1);
                    queue.push_back((next.clone(), d + 1));
                }
            }
        }
        let home_links: BTreeSet<String> = graph
            .get("/")
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect();
        LinkGraph {
            depth,
            home: home_links,
        }
    }

    /// The links in the content of the page at a path (not its header or footer).
    pub(super) fn content_links(&self, path: &str) -> BTreeSet<String> {
        self.pages
            .iter()
            .find(|p| p.spec.path == path)
            .map(|p| {
                p.spec
                    .blocks
                    .iter()
                    .flat_map(Block::links)
                    .map(|(h, _)| clean(&h))
                    .collect()
            })
            .unwrap_or_default()
    }
}
