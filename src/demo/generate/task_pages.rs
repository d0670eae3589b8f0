//! Top-task pages: opening words, facts, the online form or its PDF and phone alternatives,
//! out-of-date wording, print versions and legacy copies; and the separate form pages.

use super::builder::Builder;
use crate::demo::DemoResponse;
use crate::demo::names;
use crate::demo::render::{self, Block, Field, PageSpec};
use crate::demo::truth::OnlineRoute;
use crate::demo::words;

impl Builder<'_> {
    pub(super) fn stale_sentence(&mut self) -> String {
        let year = self.old_year();
        self.pick_word(&words::builtin().stale)
            .replace("{year}", &year.to_string())
            .replace("{next}", &(year + 1).to_string())
    }

    pub(super) fn build_task_page(&mut self, i: usize) {
        let words = self.tasks[i].words;
        let title = self.tasks[i].title.clone();
        let path = self.tasks[i].path.clone();
        let route = self.tasks[i].route;
        let stale = self.tasks[i].stale;
        let (landing, label) = self
            .landings
            .get(words.category.as_str())
            .cloned()
            .unwrap_or_default();
        let mut blocks = vec![Block::Para(self.pick_word(&words.intro).to_string())];
        let online_link = if words.online_links.is_empty() {
            String::new()
        } else {
            self.pick_word(&words.online_links).to_string()
        };
        if route == OnlineRoute::EmbeddedForm {
            blocks.push(Block::Heading(
                self.pick(&["Do it online", "Use our online form", "Tell us now"])
                    .into(),
            ));
            blocks.push(Block::Form {
                action: "/forms/submit".into(),
                method: "post".into(),
                fields: words
                    .fields
                    .iter()
                    .map(|f| Field {
                        name: f.name.clone(),
                        label: f.label.clone(),
                    })
                    .collect(),
                button: online_link.clone(),
            });
        }
        for fact in &words.facts {
            let Some(&answer) = self.tasks[i].facts.get(&fact.question) else {
                continue;
            };
            let sentence = if answer {
                self.pick_word(&fact.yes)
            } else if !fact.no.is_empty() {
                self.pick_word(&fact.no)
            } else {
                continue;
            };
            if let Some(lookup) = sentence.strip_prefix("@lookup:") {
                let (name, label) = lookup.split_once('|').unwrap_or((lookup, lookup));
                blocks.push(Block::Form {
                    action: format!("{}/results", path.split('?').next().unwrap_or("/lookup")),
                    method: "get".into(),
                    fields: vec![Field {
                        name: name.into(),
                        label: label.into(),
                    }],
                    button: self.pick(&["Find", "Look up", "Search"]).into(),
                });
            } else {
                blocks.push(Block::Para(sentence.to_string()));
            }
        }
        match route {
            OnlineRoute::LinkedForm => {
                let form = self.tasks[i].form_page.clone().unwrap_or_default();
                blocks.push(Block::Para(format!("[{online_link}]({form})")));
                self.build_form_page(i, &form, &online_link);
            }
            OnlineRoute::PdfOnly => {
                let pdf = format!("/documents/{}-form.pdf", names::slugify(&title));
                let s = self
                    .pick_word(&words::builtin().pdf_route)
                    .replace("{pdf}", &pdf);
                blocks.push(Block::Para(s));
                self.raw.insert(pdf, pdf_response(&title));
            }
            OnlineRoute::PhoneOnly => {
                blocks.push(Block::Para(
                    self.pick_word(&words::builtin().phone_route).into(),
                ));
            }
            OnlineRoute::EmbeddedForm | OnlineRoute::NotApplicable => {}
        }
        if stale {
            let s = self.stale_sentence();
            blocks.push(Block::Para(s));
        }
        let crumbs = self.crumbs(&[(landing, label)]);
        let updated = self.updated(stale);
        let print = self.print;
        if print {
            let text = blocks.iter().map(Block::text).collect::<Vec<_>>().join(" ");
            self.raw.insert(
                format!("/print{path}"),
                DemoResponse::html(format!(
                    "<!DOCTYPE html><html lang=\"en-GB\"><head><title>{t}</title></head><body><h1>{t}</h1><p>{}</p></body></html>",
                    render::esc(&text),
                    t = render::esc(&title)
                )),
            );
        }
        if let Some(legacy) = self.tasks[i].legacy.clone() {
            let old = self.stale_date();
            let s = self.stale_sentence();
            let intro = self.pick_word(&words.intro).to_string();
            self.add(PageSpec {
                path: legacy,
                title: title.clone(),
                h1: title.clone(),
                crumbs: Vec::new(),
                blocks: vec![Block::Para(intro), Block::Para(s)],
                updated: Some(old),
                print_link: false,
            });
        }
        self.add(PageSpec {
            path,
            title: title.clone(),
            h1: title,
            crumbs,
            blocks,
            updated,
            print_link: print,
        });
    }

    pub(super) fn build_form_page(&mut self, i: usize, path: &str, link_text: &str) {
        let words = self.tasks[i].words;
        let title = self.tasks[i].title.clone();
        let mut fields: Vec<Field> = words
            .fields
            .iter()
            .map(|f| Field {
                name: f.name.clone(),
                label: f.label.clone(),
            })
            .collect();
        let h1 = if self.tasks[i].pay {
            for (n, l) in [
                ("card", "Card number"),
                ("expiry", "Expiry date (MM/YY)"),
                ("cvc", "Security code"),
            ] {
                fields.push(Field {
                    name: n.into(),
                    label: l.into(),
                });
            }
            format!("Online payment: {title}")
        } else {
            format!("{link_text}: online form")
        };
        self.add(PageSpec {
            path: path.to_string(),
            title: h1.clone(),
            h1,
            crumbs: Vec::new(),
            blocks: vec![
                Block::Para("Please complete every field. It takes about five minutes.".into()),
                Block::Form {
                    action: "/forms/submit".into(),
                    method: "post".into(),
                    fields,
                    button: "Continue".into(),
                },
            ],
            updated: None,
            print_link: false,
        });
    }
}

pub(super) fn pdf_response(title: &str) -> DemoResponse {
    // A minimal one-page PDF; only its type and size matter to the survey.
    let text = title.replace(['(', ')', '\\'], "");
    let body = format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
         3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj\n\
         4 0 obj << /Length 44 >> stream\nBT /F1 12 Tf 72 770 Td ({text}) Tj ET\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    );
    DemoResponse {
        status: 200,
        content_type: "application/pdf".into(),
        body,
        latency_ms: 0,
        templated: false,
    }
}
