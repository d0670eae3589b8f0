//! The ground truth of a site's tasks and services, decided from what was built: the answer a
//! correct survey gives to every question, and which services a resident can find a page for.

use std::collections::BTreeMap;

use super::builder::Builder;
use super::links::LinkGraph;
use crate::demo::search::SearchSpec;
use crate::demo::truth::{Expected, OnlineRoute, SearchQuality, TaskTruth};
use crate::demo::words;
use crate::ruleset::CheckKind;

impl Builder<'_> {
    /// The truth of every task that applies to the council.
    pub(super) fn task_truths(
        &self,
        links: &LinkGraph,
        search: Option<&SearchSpec>,
    ) -> Vec<TaskTruth> {
        let mobile = self.chrome.viewport && !self.chrome.fixed_width;
        let mut tasks = Vec::new();
        for t in &self.tasks {
            let mut answers = BTreeMap::new();
            let landing = self
                .landings
                .get(t.words.category.as_str())
                .map(|(p, _)| p.clone());
            let landing_links = landing
                .as_deref()
                .map(|l| self.content_links(l))
                .unwrap_or_default();
            let top5: Vec<String> = search
                .map(|s| {
                    let mut r = s.result_paths(&t.task.search_term);
                    r.truncate(self.ruleset.navigation.search_result_count);
                    r
                })
                .unwrap_or_default();
            for question in &t.task.questions {
                let id = question.id.clone();
                let not_tested = match question.check {
                    CheckKind::InAToZ => self.a_to_z.is_none(),
                    CheckKind::SiteSearch => self.search_quality == SearchQuality::Missing,
                    _ => false,
                };
                if not_tested {
                    answers.insert(id, Expected::NotTested);
                    continue;
                }
                if !t.present {
                    // No page: nothing to reach, no routes to compare and no content to date.
                    let expected = if matches!(
                        question.check,
                        CheckKind::SameDestination | CheckKind::UpToDate
                    ) {
                        Expected::NotTested
                    } else {
                        Expected::No
                    };
                    answers.insert(id, expected);
                    continue;
                }
                // The question asks for a direct link: a route through the landing page is what
                // `landing-link` asks about.
                let linked_from_landing = landing_links.contains(&t.path);
                let linked_from_home = links.home.contains(&t.path);
                // The A–Z lists the task with an entry of its own, or through the entry for its
                // service's landing page ("Bins") when that page links on to the task.
                let landing_entry = self.a_to_z.is_some()
                    && linked_from_landing
                    && self
                        .landings
                        .get(t.words.category.as_str())
                        .is_some_and(|(_, label)| names_term(label, &t.task.az_term));
                let az_target = if t.az {
                    Some(t.legacy.clone().unwrap_or_else(|| t.path.clone()))
                } else {
                    landing_entry.then(|| t.path.clone())
                };
                if question.check == CheckKind::SameDestination {
                    // Every route the resident could take: the home page's and the landing page's
                    // direct links, the search hit and the A–Z entry. Fewer than two routes leave
                    // nothing to compare.
                    let mut dest: Vec<&String> = Vec::new();
                    if linked_from_home {
                        dest.push(&t.path);
                    }
                    if linked_from_landing {
                        dest.push(&t.path);
                    }
                    if let Some(hit) = top5
                        .iter()
                        .find(|p| **p == t.path || Some(*p) == t.legacy.as_ref())
                    {
                        dest.push(hit);
                    }
                    if let Some(a) = &az_target {
                        dest.push(a);
                    }
                    let expected = if dest.len() < 2 {
                        Expected::NotTested
                    } else {
                        Expected::from_bool(dest.iter().all(|d| **d == t.path))
                    };
                    answers.insert(id, expected);
                    continue;
                }
                let answer = match question.check {
                    CheckKind::LinkedFromHome => Some(linked_from_home),
                    CheckKind::LinkedFromLanding => Some(linked_from_landing),
                    CheckKind::SiteSearch => Some(top5.contains(&t.path)),
                    CheckKind::InAToZ => Some(az_target.is_some()),
                    CheckKind::SameDestination => None,
                    CheckKind::OnlineForm => Some(matches!(
                        t.route,
                        OnlineRoute::EmbeddedForm | OnlineRoute::LinkedForm
                    )),
                    CheckKind::OnlinePayment => Some(t.pay),
                    CheckKind::MobileFriendly => Some(mobile),
                    CheckKind::UpToDate => Some(!t.stale),
                    CheckKind::PageMentions | CheckKind::LinksTo | CheckKind::HasInput => {
                        t.facts.get(&id).copied()
                    }
                };
                if let Some(a) = answer {
                    answers.insert(id, Expected::from_bool(a));
                }
            }
            tasks.push(TaskTruth {
                task: t.task.id.clone(),
                page: t.present.then(|| t.path.clone()),
                depth: if t.present {
                    links.depth.get(&t.path).copied()
                } else {
                    None
                },
                form_page: t.form_page.clone(),
                online: t.route,
                answers,
            });
        }
        tasks
    }

    /// The services the site has a page for, and those it lacks (sorted).
    pub(super) fn services_truth(&self) -> (Vec<u32>, Vec<u32>) {
        // A service is there when a page for it is: an information page of its own, or the page
        // of a task for it. (A service the council provides but the site never mentions cannot
        // be found, and is counted as missing.)
        let has_page = |lgsl: u32| {
            let task_for = self.tasks.iter().any(|t| t.task.lgsl == Some(lgsl));
            (!task_for
                && words::builtin()
                    .service_pages
                    .iter()
                    .any(|p| p.lgsl == lgsl))
                || self
                    .tasks
                    .iter()
                    .any(|t| t.present && t.task.lgsl == Some(lgsl))
        };
        let (services, unmentioned): (Vec<u32>, Vec<u32>) = self
            .services_present
            .iter()
            .copied()
            .partition(|&l| has_page(l));
        let mut services_missing = self.services_missing.clone();
        services_missing.extend(unmentioned);
        services_missing.sort_unstable();
        (services, services_missing)
    }
}

pub(super) fn names_term(label: &str, term: &str) -> bool {
    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let w = w.to_lowercase();
                match w.strip_suffix('s') {
                    Some(stem) if w.len() > 3 && !w.ends_with("ss") => stem.to_string(),
                    _ => w,
                }
            })
            .collect()
    }
    let (label, term) = (words(label), words(term));
    !term.is_empty() && label.windows(term.len()).any(|w| w == term.as_slice())
}
