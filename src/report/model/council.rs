//! One council's page: its stars beside the averages, each task with its answers and evidence,
//! its findings, its crawl, the services not found and its duties.

use std::collections::HashMap;

use serde::Serialize;

use super::averages::Averages;
use super::crawl::{CrawlView, crawl_view};
use super::figures::StarsView;
use super::findings::{RuleGroupView, group_findings};
use super::links::{council_href, task_href};
use crate::audit::SiteAssessment;
use crate::audit::a11y::Finding;
use crate::audit::tasks::Answer;
use crate::report::duties::LeagueDuties;
use crate::report::format::web_href;
use crate::ruleset::Ruleset;
use crate::score::SiteScore;
use crate::sites::Site;

/// One question's answer on a council page.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    /// Question id.
    pub id: String,
    /// The question.
    pub text: String,
    /// "Yes", "No" or "Not tested".
    pub answer: String,
    /// `yes`, `no` or `not-tested` (a CSS class).
    pub answer_class: String,
    /// Whether failing it caps the task.
    pub essential: bool,
    /// The page that shows it.
    pub evidence_url: Option<String>,
    /// The same, when it is safe to link (http or https).
    pub evidence_href: Option<String>,
    /// Why.
    pub reason: String,
}

/// One task on a council page.
#[derive(Debug, Clone, Serialize)]
pub struct CouncilTaskView {
    /// Task id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The task's page, relative to the report root.
    pub href: String,
    /// The council's stars.
    pub stars: StarsView,
    /// Mean stars of councils of the same type.
    pub type_avg: Option<f64>,
    /// Mean stars of all councils.
    pub all_avg: Option<f64>,
    /// The task page found.
    pub page_url: Option<String>,
    /// The same, when it is safe to link.
    pub page_href: Option<String>,
    /// Why it was taken as the task page.
    pub reason: String,
    /// Yes answers.
    pub yes: u32,
    /// No answers.
    pub no: u32,
    /// Not tested.
    pub not_tested: u32,
    /// Caps that applied, as sentences.
    pub caps: Vec<String>,
    /// The answers.
    pub questions: Vec<QuestionView>,
}

/// A dimension beside the averages.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionView {
    /// Key.
    pub key: String,
    /// Label.
    pub label: String,
    /// The council's stars and score.
    pub stars: StarsView,
    /// Mean score (0–100) of councils of the same type.
    pub type_avg: Option<f64>,
    /// Mean score (0–100) of all councils.
    pub all_avg: Option<f64>,
}

/// A service with no page found.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceView {
    /// LGSL code.
    pub lgsl: u32,
    /// Title.
    pub title: String,
}

/// One council, for the league table and its own page.
#[derive(Debug, Clone, Serialize)]
pub struct CouncilView {
    /// Slug.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Its page, relative to the report root.
    pub href: String,
    /// Type code.
    pub type_code: String,
    /// Type label.
    pub type_label: String,
    /// The type in a sentence's plural ("shire district councils").
    pub type_plural: String,
    /// Nation ("" when unknown).
    pub nation: String,
    /// Region ("" when unknown).
    pub region: String,
    /// Home page.
    pub homepage: String,
    /// The same, when it is safe to link.
    pub homepage_href: Option<String>,
    /// Why it could not be surveyed.
    pub failure: Option<String>,
    /// How its crawl went.
    pub crawl: CrawlView,
    /// National rank.
    pub rank: Option<u32>,
    /// Rank within its type.
    pub type_rank: Option<u32>,
    /// Councils of its type that were ranked.
    pub type_count: usize,
    /// Councils ranked nationally.
    pub rank_count: usize,
    /// Overall.
    pub overall: StarsView,
    /// Whether 4 stars were withheld for want of an accessibility pass.
    pub four_stars_withheld: bool,
    /// Accessibility pass: "Yes", "No" or "Not tested".
    pub accessibility_pass: String,
    /// The four dimensions.
    pub dimensions: Vec<DimensionView>,
    /// Tasks.
    pub tasks: Vec<CouncilTaskView>,
    /// Accessibility findings grouped by rule, worst first: failed WCAG criteria and review
    /// items.
    pub findings: Vec<RuleGroupView>,
    /// Best-practice findings grouped by rule: shown apart, never counted in the score.
    pub best_practice: Vec<RuleGroupView>,
    /// Pages fetched.
    pub pages_fetched: u32,
    /// Pages audited for accessibility.
    pub pages_audited: u32,
    /// Critical failures.
    pub critical: u32,
    /// Serious failures.
    pub serious: u32,
    /// Services found.
    pub services_found: usize,
    /// Services looked for.
    pub services_total: usize,
    /// Services not found.
    pub services_missing: Vec<ServiceView>,
    /// The accessibility statement and Welsh-language checks.
    pub duties: crate::report::duties::DutiesView,
}

/// What a council's page shows besides its assessment: its findings, its pages' titles (evidence
/// is named by them) and its fetches.
#[derive(Clone, Copy)]
pub struct Evidence<'a> {
    /// Accessibility findings: (page URL, finding).
    pub findings: &'a [(String, Finding)],
    /// Page titles by URL.
    pub titles: Option<&'a HashMap<String, String>>,
    /// Every fetch of the council.
    pub pages: &'a [&'a crate::store::PageLogRow],
}

fn answer_view(answer: Answer) -> (&'static str, &'static str) {
    match answer {
        Answer::Yes => ("Yes", "yes"),
        Answer::No => ("No", "no"),
        Answer::NotTested => ("Not tested", "not-tested"),
    }
}

/// A council's dimensions beside the averages of its type and of all councils.
fn dimension_views(s: &SiteScore, av: &Averages, code: &str) -> Vec<DimensionView> {
    s.dimensions
        .iter()
        .map(|d| DimensionView {
            key: d.dimension.key().into(),
            label: d.dimension.label().into(),
            stars: StarsView::new(d.stars, d.value),
            type_avg: av
                .dim_by_type
                .get(&(code.to_string(), d.dimension.key().into()))
                .copied(),
            all_avg: av.dim_all.get(d.dimension.key()).copied(),
        })
        .collect()
}

/// A council's row of the league table (`index.html`): what the table shows of it, kept for
/// every council while the report is written (its whole page is built, written and dropped one
/// council at a time).
#[derive(Debug, Clone, Serialize)]
pub struct LeagueRow {
    /// Slug.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Its page, relative to the report root.
    pub href: String,
    /// Type code.
    pub type_code: String,
    /// Type label.
    pub type_label: String,
    /// Nation ("" when unknown).
    pub nation: String,
    /// National rank.
    pub rank: Option<u32>,
    /// Overall.
    pub overall: StarsView,
    /// The four dimensions.
    pub dimensions: Vec<DimensionView>,
    /// The duties' scores.
    pub duties: LeagueDuties,
}

/// Builds a council's league-table row.
pub fn league_row(site: &Site, s: &SiteScore, duties: LeagueDuties, av: &Averages) -> LeagueRow {
    let code = site.council_type.code();
    LeagueRow {
        slug: site.slug.clone(),
        name: site.name.clone(),
        href: council_href(&site.slug),
        type_code: code.into(),
        type_label: site.council_type.label().into(),
        nation: site.nation.clone().unwrap_or_default(),
        rank: s.rank,
        overall: StarsView::new(s.stars, s.value),
        dimensions: dimension_views(s, av, code),
        duties,
    }
}

/// Builds one council's view.
pub fn council_view(
    a: &SiteAssessment,
    s: &SiteScore,
    ruleset: &Ruleset,
    av: &Averages,
    (type_count, rank_count): (usize, usize),
    evidence: &Evidence<'_>,
) -> CouncilView {
    let Evidence {
        findings,
        titles,
        pages,
    } = *evidence;
    let (best_practice, wcag_findings): (Vec<_>, Vec<_>) = findings
        .iter()
        .cloned()
        .partition(|(_, f)| f.is_best_practice());
    let code = a.site.council_type.code().to_string();
    let tasks = a
        .tasks
        .iter()
        .map(|r| {
            let task = ruleset.task(&r.task);
            let ts = s.task(&r.task);
            CouncilTaskView {
                id: r.task.clone(),
                title: task.map_or_else(|| r.task.clone(), |t| t.title.clone()),
                href: task_href(&r.task),
                stars: StarsView::new(ts.and_then(|t| t.stars), ts.and_then(|t| t.share)),
                type_avg: av
                    .task_by_type
                    .get(&(code.clone(), r.task.clone()))
                    .copied(),
                all_avg: av.task_all.get(&r.task).copied(),
                page_url: r.page_url.clone(),
                page_href: r.page_url.as_deref().and_then(web_href),
                reason: r.reason.clone(),
                yes: ts.map_or(0, |t| t.yes),
                no: ts.map_or(0, |t| t.no),
                not_tested: ts.map_or(0, |t| t.not_tested),
                caps: ts
                    .map(|t| {
                        t.binding_caps(&ruleset.scoring)
                            .iter()
                            .map(|c| {
                                let text = c.explain(&ruleset.scoring);
                                let mut chars = text.chars();
                                chars.next().map_or_else(String::new, |f| {
                                    format!("{}{}.", f.to_uppercase(), chars.as_str())
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                questions: r
                    .answers
                    .iter()
                    .map(|qa| {
                        let q = task.and_then(|t| t.questions.iter().find(|q| q.id == qa.question));
                        let (answer, class) = answer_view(qa.answer);
                        QuestionView {
                            id: qa.question.clone(),
                            text: q.map_or_else(|| qa.question.clone(), |q| q.text.clone()),
                            answer: answer.into(),
                            answer_class: class.into(),
                            essential: q.is_some_and(|q| q.essential),
                            evidence_url: qa.evidence_url.clone(),
                            evidence_href: qa.evidence_url.as_deref().and_then(web_href),
                            reason: qa.reason.clone(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let dimensions = dimension_views(s, av, &code);
    let services_missing = a
        .coverage
        .services
        .iter()
        .filter(|x| x.url.is_none())
        .map(|x| ServiceView {
            lgsl: x.lgsl,
            title: x.title.clone(),
        })
        .collect();
    CouncilView {
        slug: a.site.slug.clone(),
        name: a.site.name.clone(),
        href: council_href(&a.site.slug),
        type_code: code.clone(),
        type_label: a.site.council_type.label().into(),
        type_plural: a.site.council_type.plural().into(),
        nation: a.site.nation.clone().unwrap_or_default(),
        region: a.site.region.clone().unwrap_or_default(),
        homepage: a.site.homepage.to_string(),
        homepage_href: web_href(a.site.homepage.as_str()),
        failure: a.failure.clone(),
        crawl: crawl_view(&a.crawl, pages),
        rank: s.rank,
        type_rank: s.type_rank,
        type_count,
        rank_count,
        overall: StarsView::new(s.stars, s.value),
        four_stars_withheld: s.four_stars_withheld,
        accessibility_pass: match s.accessibility_pass {
            Some(true) => "Yes",
            Some(false) => "No",
            None => "Not tested",
        }
        .into(),
        dimensions,
        tasks,
        findings: group_findings(&wcag_findings, titles),
        best_practice: group_findings(&best_practice, titles),
        pages_fetched: a.pages_fetched,
        pages_audited: a.a11y.pages_audited,
        critical: a.a11y.critical,
        serious: a.a11y.serious,
        services_found: a
            .coverage
            .services
            .iter()
            .filter(|x| x.url.is_some())
            .count(),
        services_total: a.coverage.services.len(),
        services_missing,
        duties: crate::report::duties::duties_view(&a.digital, ruleset),
    }
}
