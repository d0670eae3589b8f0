//! News articles and the paged news index, with the broken link and failing page some sites have.

use super::builder::Builder;
use crate::demo::render::{Block, PageSpec};
use crate::demo::words;

impl Builder<'_> {
    pub(super) fn build_news(&mut self) {
        let q = self.quality;
        let count = 5 + self.extra_pages;
        let mut items: Vec<(String, String)> = Vec::new();
        if let Some(day) = self
            .tasks
            .iter()
            .find(|t| t.present && t.task.id == "bin-collection-day")
        {
            let title = "Bin collection changes over the holidays".to_string();
            let target = day.path.clone();
            let path = self.news_path(&title);
            let date = self.fresh_date();
            self.add(PageSpec {
                path: path.clone(),
                title: title.clone(),
                h1: title.clone(),
                crumbs: self.crumbs(&[("/news".into(), "News".into())]),
                blocks: vec![Block::Para(format!(
                    "Collections will run one day later than usual during the holiday week. [Check your collection day]({target})."
                ))],
                updated: Some(date),
                print_link: false,
            });
            items.push((path, title));
        }
        for k in 0..count {
            let news = &words::builtin().news;
            let base = &news[k % news.len()];
            let title = if k < news.len() {
                base.to_string()
            } else {
                format!("{base} ({})", k / news.len() + 1)
            };
            let path = self.news_path(&title);
            let date = if self.chance(0.2) {
                self.stale_date()
            } else {
                self.fresh_date()
            };
            let mut blocks = vec![Block::Para(format!(
                "{title}. Residents are invited to find out more and get involved."
            ))];
            if k == 1 && self.chance(0.3 + 0.5 * (1.0 - q)) {
                let id = self.id();
                let dead = format!("/old-pages/{id}");
                blocks.push(Block::Para(format!("[Read the full report]({dead})")));
                self.broken_links.push(dead);
            }
            self.add(PageSpec {
                path: path.clone(),
                title: title.clone(),
                h1: title.clone(),
                crumbs: self.crumbs(&[("/news".into(), "News".into())]),
                blocks,
                updated: Some(date),
                print_link: false,
            });
            if k == 2 && self.chance(0.2 + 0.4 * (1.0 - q)) {
                if let Some(p) = self.pages.last_mut() {
                    p.status = 500;
                    p.indexed = false;
                }
                self.failing.push(path.clone());
            }
            items.push((path, title));
        }
        // The news index, 20 items a page.
        let pages = items.chunks(20).count();
        for (n, chunk) in items.chunks(20).enumerate() {
            let path = if n == 0 {
                "/news".to_string()
            } else {
                format!("/news?page={}", n + 1)
            };
            let mut blocks = vec![Block::Para("The latest news from the council.".into())];
            blocks.push(Block::Links(chunk.to_vec()));
            if n + 1 < pages {
                blocks.push(Block::Para(format!("[Next page](/news?page={})", n + 2)));
            }
            self.add(PageSpec {
                path,
                title: "News".into(),
                h1: if n == 0 {
                    "News".into()
                } else {
                    format!("News: page {}", n + 1)
                },
                crumbs: self.crumbs(&[]),
                blocks,
                updated: None,
                print_link: false,
            });
        }
        self.news = items;
    }
}
