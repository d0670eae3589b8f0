//! What the site holds, drawn before any page is written: the services it has, the landing
//! page of each category in use, and for each top task whether it has a page, where that is
//! linked from, how it is done online and which facts it gives.

use std::collections::BTreeMap;

use rand::Rng;

use super::builder::{Builder, Placement, TaskPlan};
use crate::demo::render::Style;
use crate::demo::truth::OnlineRoute;
use crate::demo::words::{self, Action};
use crate::ruleset::{CheckKind, Task};

impl Builder<'_> {
    pub(super) fn plan_services(&mut self) {
        let always = [57, 358, 524];
        let services: Vec<u32> = self
            .ruleset
            .services_for(self.site.council_type)
            .map(|s| s.lgsl)
            .collect();
        for lgsl in services {
            let p = 0.86 + 0.14 * self.quality;
            if always.contains(&lgsl) || self.chance(p) {
                self.services_present.insert(lgsl);
            } else {
                self.services_missing.push(lgsl);
            }
        }
    }

    pub(super) fn ensure_landing(&mut self, cat_id: &'static str) -> (String, String) {
        if let Some(l) = self.landings.get(cat_id) {
            return l.clone();
        }
        let cat = Self::category(cat_id);
        let named_missing = cat
            .named_service
            .is_some_and(|s| !self.services_present.contains(&s));
        let labels = if named_missing && !cat.labels_without.is_empty() {
            &cat.labels_without
        } else {
            &cat.labels
        };
        let label = self.pick_word(labels).to_string();
        let path = self.landing_path(cat, &label);
        self.landings.insert(cat_id, (path.clone(), label.clone()));
        (path, label)
    }

    pub(super) fn plan_tasks(&mut self) {
        let q = self.quality;
        let tasks: Vec<Task> = self
            .ruleset
            .tasks_for(self.site.council_type)
            .cloned()
            .collect();
        for task in tasks {
            let Some(words) = words::builtin().tasks.iter().find(|w| w.task == task.id) else {
                continue;
            };
            let service_ok = words
                .service
                .is_none_or(|s| !self.services_missing.contains(&s));
            let present = service_ok && self.chance(0.88 + 0.12 * q);
            let i = self.rng.random_range(0..words.titles.len());
            let title = words.titles[i].to_string();
            let slug = words.slugs[i % words.slugs.len()].as_str();
            let mut plan = TaskPlan {
                task: task.clone(),
                words,
                present,
                title: title.clone(),
                path: String::new(),
                placement: Placement::Landing,
                popular: false,
                az: false,
                legacy: None,
                route: OnlineRoute::NotApplicable,
                form_page: None,
                pay: false,
                stale: false,
                facts: BTreeMap::new(),
            };
            if present {
                let (landing, _) = self.ensure_landing(&words.category);
                plan.path = self.task_path(&landing, slug, &title);
                plan.placement = if self.chance(0.55 + 0.42 * q) {
                    Placement::Landing
                } else if self.chance(0.6) {
                    Placement::SubPage
                } else {
                    Placement::Orphan
                };
                plan.popular = words.task != "job-vacancies" && self.chance(0.1 + 0.3 * q);
                plan.az = self.a_to_z.is_some() && self.chance(0.55 + 0.4 * q);
                if plan.placement == Placement::Orphan && !plan.az && !self.sitemap {
                    plan.placement = Placement::Landing;
                }
                if plan.az && self.chance(0.12 * (1.0 - q)) {
                    plan.legacy = Some(match self.style {
                        Style::Gov | Style::Cards => format!("{}-old", plan.path),
                        _ => {
                            let id = self.id();
                            format!("/index.aspx?articleid={id}&legacy=1")
                        }
                    });
                }
                let online_applies = task
                    .questions
                    .iter()
                    .any(|qq| matches!(qq.check, CheckKind::OnlineForm | CheckKind::OnlinePayment));
                if online_applies && words.action != Action::Lookup && words.action != Action::Info
                {
                    plan.route = if self.chance(0.3 + 0.65 * q) {
                        if words.action != Action::Pay && self.chance(0.3) {
                            OnlineRoute::EmbeddedForm
                        } else {
                            OnlineRoute::LinkedForm
                        }
                    } else if words.action != Action::Pay && self.chance(0.6) {
                        OnlineRoute::PdfOnly
                    } else {
                        OnlineRoute::PhoneOnly
                    };
                    plan.pay = matches!(words.action, Action::Pay | Action::Book)
                        && matches!(
                            plan.route,
                            OnlineRoute::LinkedForm | OnlineRoute::EmbeddedForm
                        );
                    if plan.route == OnlineRoute::LinkedForm {
                        plan.form_page = Some(self.form_path(slug, words.action));
                    }
                }
                plan.stale = self.chance(0.03 + 0.4 * (1.0 - q));
                for question in &task.questions {
                    if !matches!(
                        question.check,
                        CheckKind::PageMentions | CheckKind::LinksTo | CheckKind::HasInput
                    ) {
                        continue;
                    }
                    if words.facts.iter().any(|f| f.question == question.id) {
                        let yes = self.chance(0.45 + 0.5 * q);
                        plan.facts.insert(question.id.clone(), yes);
                    }
                }
                if plan.route == OnlineRoute::EmbeddedForm {
                    for f in &words.fields {
                        if let Some(qid) = &f.implies
                            && plan.facts.contains_key(qid)
                        {
                            plan.facts.insert(qid.clone(), true);
                        }
                    }
                }
            }
            self.tasks.push(plan);
        }
        // Service pages for services without a task of their own.
        for page in &words::builtin().service_pages {
            let task_for = self.tasks.iter().any(|t| t.task.lgsl == Some(page.lgsl));
            if self.services_present.contains(&page.lgsl) && !task_for {
                self.ensure_landing(&page.category);
            }
        }
    }
}
