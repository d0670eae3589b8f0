//! The ways in: header and footer links, the home page (popular tasks, service areas, news)
//! and the A–Z.

use std::collections::BTreeMap;

use super::builder::Builder;
use crate::demo::render::{Block, PageSpec, Style};
use crate::demo::truth::OnlineRoute;

impl Builder<'_> {
    pub(super) fn plan_chrome(&mut self) {
        let q = self.quality;
        let hub = self.chance(0.5 * (1.0 - q) + 0.05);
        let mut cats: Vec<(String, String)> = self.landings.values().cloned().collect();
        cats.sort_by(|a, b| a.1.cmp(&b.1));
        let mut nav: Vec<(String, String)> = Vec::new();
        match self.style {
            Style::Gov => {}
            Style::Classic | Style::Cluttered => {
                if hub {
                    nav.push(("/services".into(), "All services".into()));
                } else {
                    nav.extend(cats.iter().cloned());
                }
            }
            Style::Cards => {
                nav.push(("/services".into(), "Services".into()));
                nav.push(("/news".into(), "News".into()));
            }
        }
        if self.style == Style::Cluttered {
            nav.push(("/do-it-online".into(), "Do it online".into()));
        }
        if let Some(az) = self.a_to_z.clone() {
            match self.style {
                Style::Classic => nav.push((az, "A to Z".into())),
                Style::Cluttered => nav.push((az, "A-Z".into())),
                _ => {}
            }
        }
        let mut footer: Vec<(String, String)> = vec![("/contact-us".into(), "Contact us".into())];
        if let Some(az) = self.a_to_z.clone() {
            match self.style {
                Style::Gov => footer.push((az, "A to Z of services".into())),
                Style::Cards => footer.push((az, "A-Z of services".into())),
                _ => {}
            }
        }
        if self.statement {
            let text = self.pick(&["Accessibility statement", "Accessibility"]);
            footer.push(("/accessibility-statement".into(), text.into()));
        }
        footer.push(("/privacy".into(), "Privacy notice".into()));
        footer.push(("/cookies".into(), "Cookies".into()));
        self.chrome.nav = nav;
        self.chrome.footer = footer;
        // Remember the hub choice through the home page: a hub site shows categories only on
        // /services.
        self.hub = hub;
    }

    pub(super) fn build_home(&mut self) {
        let council = self.site.name.clone();
        let welcome = self
            .pick(&[
                "Welcome to the website of {}.",
                "Find information and services from {}.",
                "Services, news and information from {}.",
            ])
            .replace("{}", &council);
        let mut blocks = vec![Block::Para(welcome)];
        let popular: Vec<(String, String)> = self
            .tasks
            .iter()
            .filter(|t| t.present && t.popular)
            .map(|t| (t.path.clone(), t.title.clone()))
            .collect();
        if !popular.is_empty() {
            blocks.push(Block::Heading(
                self.pick(&["Popular tasks", "Most requested", "Top tasks"])
                    .into(),
            ));
            blocks.push(Block::Links(popular));
        }
        let mut cats: Vec<(String, String, String)> = Vec::new();
        for (cat_id, (path, label)) in &self.landings {
            let blurb = Self::category(cat_id).blurbs[0].to_string();
            cats.push((path.clone(), label.clone(), blurb));
        }
        cats.sort_by(|a, b| a.1.cmp(&b.1));
        let needs_hub_page = self.hub || self.style == Style::Cards;
        if self.hub {
            blocks.push(Block::Para("[Browse all services](/services)".into()));
        } else if self.style != Style::Classic {
            blocks.push(Block::Heading(
                self.pick(&["Services", "Council services", "Find a service"])
                    .into(),
            ));
            blocks.push(Block::Cards(cats.clone()));
        }
        if needs_hub_page {
            self.add(PageSpec {
                path: "/services".into(),
                title: "All services".into(),
                h1: "All services".into(),
                crumbs: self.crumbs(&[]),
                blocks: vec![
                    Block::Para("Choose a service area.".into()),
                    Block::Heading("Service areas".into()),
                    Block::Cards(cats),
                ],
                updated: None,
                print_link: false,
            });
        }
        if self.style == Style::Cluttered {
            let online: Vec<(String, String)> = self
                .tasks
                .iter()
                .filter(|t| {
                    t.present
                        && matches!(t.route, OnlineRoute::LinkedForm | OnlineRoute::EmbeddedForm)
                })
                .map(|t| (t.path.clone(), t.title.clone()))
                .collect();
            self.add(PageSpec {
                path: "/do-it-online".into(),
                title: "Do it online".into(),
                h1: "Do it online".into(),
                crumbs: Vec::new(),
                blocks: vec![
                    Block::Para("Save time by doing it online, 24 hours a day.".into()),
                    Block::Links(online),
                ],
                updated: None,
                print_link: false,
            });
        }
        blocks.push(Block::Heading(self.pick(&["Latest news", "News"]).into()));
        let news: Vec<(String, String)> = self.news.iter().take(3).cloned().collect();
        blocks.push(Block::Links(news));
        blocks.push(Block::Para("[All news](/news)".into()));
        self.add(PageSpec {
            path: "/".into(),
            title: "Home".into(),
            h1: council,
            crumbs: Vec::new(),
            blocks,
            updated: None,
            print_link: false,
        });
    }

    pub(super) fn build_az(&mut self) {
        let Some(az_path) = self.a_to_z.clone() else {
            return;
        };
        let mut entries: Vec<(String, String)> = self
            .landings
            .values()
            .map(|(p, l)| (l.clone(), p.clone()))
            .collect();
        for t in &self.tasks {
            if t.present && t.az {
                let label = t.words.az[t.title.len() % t.words.az.len()].to_string();
                let target = t.legacy.clone().unwrap_or_else(|| t.path.clone());
                entries.push((label, target));
            }
        }
        entries.push(("Contact us".into(), "/contact-us".into()));
        entries.push(("News".into(), "/news".into()));
        entries.sort_by_key(|(l, _)| l.to_lowercase());
        entries.dedup_by(|a, b| a.0 == b.0);
        self.az_entries = entries
            .iter()
            .map(|(l, p)| (p.clone(), l.clone()))
            .collect();
        let mut letters: BTreeMap<char, Vec<(String, String)>> = BTreeMap::new();
        for (label, path) in &entries {
            let c = label.chars().next().unwrap_or('#').to_ascii_uppercase();
            letters
                .entry(c)
                .or_default()
                .push((path.clone(), label.clone()));
        }
        let title = self
            .pick(&["A to Z of services", "A-Z", "Services A to Z"])
            .to_string();
        if self.style == Style::Classic {
            let mut index = Vec::new();
            for (c, links) in &letters {
                let lpath = format!("{az_path}/{}", c.to_ascii_lowercase());
                index.push((lpath.clone(), c.to_string()));
                self.add(PageSpec {
                    path: lpath,
                    title: format!("{title}: {c}"),
                    h1: format!("{title}: {c}"),
                    crumbs: self.crumbs(&[(az_path.clone(), title.clone())]),
                    blocks: vec![
                        Block::Para(format!("Services beginning with {c}.")),
                        Block::Links(links.clone()),
                    ],
                    updated: None,
                    print_link: false,
                });
            }
            self.add(PageSpec {
                path: az_path,
                title: title.clone(),
                h1: title,
                crumbs: self.crumbs(&[]),
                blocks: vec![Block::Para("Choose a letter.".into()), Block::Links(index)],
                updated: None,
                print_link: false,
            });
        } else {
            let mut blocks = vec![Block::Para("Find a service by its name.".into())];
            for (c, links) in letters {
                blocks.push(Block::Heading(c.to_string()));
                blocks.push(Block::Links(links));
            }
            self.add(PageSpec {
                path: az_path,
                title: title.clone(),
                h1: title,
                crumbs: self.crumbs(&[]),
                blocks,
                updated: None,
                print_link: false,
            });
        }
    }
}
