//! The site's own search engine: its index of the pages, the pages a junk search returns, and the
//! results page's shell in the site's template.

use super::builder::Builder;
use crate::demo::render::{self, Block, PageSpec};
use crate::demo::search::{RESULTS_MARKER, SearchDoc, SearchSpec};

impl Builder<'_> {
    /// The search engine, when the site has a search form.
    pub(super) fn search_engine(&self) -> Option<SearchSpec> {
        self.chrome.search.clone().map(|(path, param)| {
            let docs: Vec<SearchDoc> = self
                .pages
                .iter()
                .filter(|p| p.indexed && p.status == 200)
                .map(|p| SearchDoc {
                    path: p.spec.path.clone(),
                    title: p.spec.title.clone(),
                    text: p.spec.text(),
                })
                .collect();
            let mut junk = vec![
                "/news".to_string(),
                "/contact-us".into(),
                "/cookies".into(),
                "/privacy".into(),
            ];
            junk.extend(self.news.iter().take(2).map(|(p, _)| p.clone()));
            let shell = render::render(
                &self.chrome,
                &PageSpec {
                    path: path.clone(),
                    title: "Search results".into(),
                    h1: "Search results".into(),
                    crumbs: Vec::new(),
                    blocks: vec![Block::Raw(RESULTS_MARKER.into())],
                    updated: None,
                    print_link: false,
                },
                &[],
                0,
            );
            let (before, after) = shell.split_once(RESULTS_MARKER).unwrap_or((&shell, ""));
            SearchSpec {
                path,
                param,
                quality: self.search_quality,
                docs,
                junk,
                shell_before: before.to_string(),
                shell_after: after.to_string(),
                style: self.style,
            }
        })
    }
}
