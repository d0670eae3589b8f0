//! The service sections: each category's landing page, its "more" sub-page and the information
//! pages of services without a top task; then the task pages they link to.

use rand::seq::SliceRandom;

use super::builder::{Builder, Placement};
use crate::demo::names;
use crate::demo::render::{Block, PageSpec, Style};
use crate::demo::words;

impl Builder<'_> {
    pub(super) fn build_content_pages(&mut self) {
        self.show_dates = self.chance(0.7);
        self.print = matches!(self.style, Style::Classic | Style::Cluttered) && self.chance(0.5);
        let cats: Vec<(&'static str, (String, String))> =
            self.landings.iter().map(|(k, v)| (*k, v.clone())).collect();
        for (cat_id, (landing, label)) in cats {
            let cat = Self::category(cat_id);
            let blurb = self.pick_word(&cat.blurbs).to_string();
            let mut on_landing: Vec<(String, String, String)> = Vec::new();
            let mut on_sub: Vec<(String, String)> = Vec::new();
            for t in self
                .tasks
                .iter()
                .filter(|t| t.present && t.words.category == cat_id)
            {
                match t.placement {
                    Placement::Landing => {
                        on_landing.push((
                            t.path.clone(),
                            t.title.clone(),
                            t.words.intro[0].to_string(),
                        ));
                    }
                    Placement::SubPage => on_sub.push((t.path.clone(), t.title.clone())),
                    Placement::Orphan => {}
                }
            }
            for page in &words::builtin().service_pages {
                // A service with a top task of its own is shown by the task's page, if at all.
                if page.category != cat_id
                    || !self.services_present.contains(&page.lgsl)
                    || self.tasks.iter().any(|t| t.task.lgsl == Some(page.lgsl))
                {
                    continue;
                }
                let text = &page.text;
                let title = self.pick_word(&page.titles).to_string();
                let slug = names::slugify(&title);
                let path = self.task_path(&landing, &slug, &title);
                on_landing.push((path.clone(), title.clone(), text.to_string()));
                let crumbs = self.crumbs(&[(landing.clone(), label.clone())]);
                let updated = self.updated(false);
                self.add(PageSpec {
                    path,
                    title: title.clone(),
                    h1: title,
                    crumbs,
                    blocks: vec![Block::Para(text.to_string())],
                    updated,
                    print_link: false,
                });
            }
            on_landing.shuffle(&mut self.rng);
            let mut blocks = vec![Block::Para(blurb)];
            if !on_landing.is_empty() {
                blocks.push(self.link_block(on_landing));
            }
            if !on_sub.is_empty() {
                let sub_path = match self.style {
                    Style::Gov | Style::Cards => format!("{landing}/more"),
                    _ => {
                        let id = self.id();
                        format!("/index.aspx?articleid={id}")
                    }
                };
                let sub_title = self
                    .pick(&["More about {}", "Other {} services", "{}: more information"])
                    .replace("{}", &label);
                blocks.push(Block::Para(format!("[{sub_title}]({sub_path})")));
                let crumbs = self.crumbs(&[(landing.clone(), label.clone())]);
                let updated = self.updated(false);
                self.add(PageSpec {
                    path: sub_path,
                    title: sub_title.clone(),
                    h1: sub_title,
                    crumbs,
                    blocks: vec![
                        Block::Para("Find more services in this section below.".into()),
                        Block::Links(on_sub),
                    ],
                    updated,
                    print_link: false,
                });
            }
            let crumbs = self.crumbs(&[]);
            let updated = self.updated(false);
            self.add(PageSpec {
                path: landing.clone(),
                title: label.clone(),
                h1: label.clone(),
                crumbs,
                blocks,
                updated,
                print_link: false,
            });
        }
        for i in 0..self.tasks.len() {
            if self.tasks[i].present {
                self.build_task_page(i);
            }
        }
    }
}
