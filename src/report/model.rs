//! View models: what the templates and exporters see. Built once from the stored run and its
//! scores; templates never see domain types (zola's rule), so a template cannot reach past what
//! the report means to show.
//!
//! [`build`] makes the whole [`ReportData`] (the headline, the league table and the filters) from
//! the parts, one file each: a council's page (`council`, with its `findings`, `crawl` and the
//! `averages` beside it), a task across councils (`tasks`), the district–county divide
//! (`divide`), and the pieces they share (`figures` for stars and percentages, `links`).

mod averages;
mod council;
mod crawl;
mod divide;
mod figures;
mod findings;
mod links;
mod meta;
mod tasks;
mod year_on_year;

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

pub use averages::{Averages, averages};
pub use council::{
    CouncilTaskView, CouncilView, DimensionView, Evidence, QuestionView, ServiceView, council_view,
};
pub use crawl::{CrawlView, FailedPageView, MAX_FAILED_PAGES, OutcomeRow};
pub use divide::{
    Comparison, DimensionGap, DivideView, GroupName, GroupStats, PlaceRow, comparison, divide,
    group_stats,
};
pub use figures::StarsView;
pub use findings::{FindingPlace, MAX_PLACES, RuleGroupView};
pub use links::CouncilLink;
pub use meta::MetaView;
pub use tasks::{StarCount, TaskTypeRow, TaskView};
pub use year_on_year::{CompareData, MAX_MOVERS, Mover};
pub(crate) use year_on_year::{RunScores, year_on_year};

use self::figures::pct;
use self::links::link;
use self::tasks::task_view;
use crate::audit::SiteAssessment;
use crate::audit::a11y::Finding;
use crate::ruleset::Ruleset;
use crate::score::{Dimension, SiteScore};
use crate::sites::CouncilType;
use crate::store::RunInfo;

/// A council type, for filters and tables.
#[derive(Debug, Clone, Serialize)]
pub struct TypeView {
    /// Code, e.g. `SD`.
    pub code: String,
    /// Label, e.g. "Shire district".
    pub label: String,
}

/// A dimension's key and label.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionMeta {
    /// Key (`tasks`, …).
    pub key: String,
    /// Label.
    pub label: String,
}

/// The headline of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    /// Councils in the run.
    pub total: usize,
    /// Councils scored.
    pub scored: usize,
    /// Councils at 3–4 stars.
    pub n_3_4: usize,
    /// Percent of scored councils at 3–4 stars.
    pub pct_3_4: Option<f64>,
    /// Councils at 4 stars.
    pub n_4: usize,
    /// The councils ranked first.
    pub best: Vec<CouncilLink>,
    /// The divide in one sentence.
    pub divide: String,
}

/// A council that could not be scored.
#[derive(Debug, Clone, Serialize)]
pub struct Unscored {
    /// Link.
    pub council: CouncilLink,
    /// Why.
    pub reason: String,
}

/// Everything a report shows: the one input of every exporter.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    /// About the run.
    pub meta: MetaView,
    /// The headline.
    pub headline: Headline,
    /// Councils, ranked first (by rank), then those without stars.
    pub councils: Vec<CouncilView>,
    /// Councils that could not be scored.
    pub unscored: Vec<Unscored>,
    /// Tasks.
    pub tasks: Vec<TaskView>,
    /// The divide.
    pub divide: DivideView,
    /// Types present, for the filter.
    pub types: Vec<TypeView>,
    /// Nations present, for the filter.
    pub nations: Vec<String>,
    /// The dimensions.
    pub dimensions: Vec<DimensionMeta>,
    /// Flat tables for researchers.
    pub tables: crate::report::data::Tables,
    /// This run against the newest earlier finished run with the same ruleset, if any.
    pub year_on_year: Option<CompareData>,
}

/// What the model is built from: one run's assessments, scores and findings.
pub struct Inputs<'a> {
    /// The run.
    pub run: &'a RunInfo,
    /// The ruleset.
    pub ruleset: &'a Ruleset,
    /// Assessments, in site order.
    pub assessments: &'a [SiteAssessment],
    /// Their scores, in the same order.
    pub scores: &'a [SiteScore],
    /// Findings per site slug: (page URL, finding).
    pub findings: &'a HashMap<String, Vec<(String, Finding)>>,
    /// Page titles per site slug: URL → title.
    pub titles: &'a HashMap<String, HashMap<String, String>>,
    /// Sites in the run that have no assessment (not surveyed yet).
    pub pending: &'a [crate::sites::Site],
    /// Every fetch of the run, in site order.
    pub pages: &'a [crate::store::PageLogRow],
}

/// Builds the whole report model.
pub fn build(inputs: &Inputs<'_>) -> ReportData {
    let Inputs {
        run,
        ruleset,
        assessments,
        scores,
        findings,
        titles,
        pending,
        pages,
    } = inputs;
    let mut pages_by_site: HashMap<&str, Vec<&crate::store::PageLogRow>> = HashMap::new();
    for p in pages.iter() {
        pages_by_site
            .entry(p.site_slug.as_str())
            .or_default()
            .push(p);
    }
    let av = averages(scores);
    let mut type_counts: HashMap<CouncilType, usize> = HashMap::new();
    for s in scores.iter().filter(|s| s.rank.is_some()) {
        *type_counts.entry(s.council_type).or_default() += 1;
    }
    let ranked = scores.iter().filter(|s| s.rank.is_some()).count();
    let empty = Vec::new();
    let mut order: Vec<usize> = (0..assessments.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&scores[i], &scores[j]);
        match (a.rank, b.rank) {
            (Some(x), Some(y)) => x
                .cmp(&y)
                .then(assessments[i].site.name.cmp(&assessments[j].site.name)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => assessments[i].site.name.cmp(&assessments[j].site.name),
        }
    });
    let councils: Vec<CouncilView> = order
        .iter()
        .map(|&i| {
            let a = &assessments[i];
            council_view(
                a,
                &scores[i],
                ruleset,
                &av,
                (
                    type_counts.get(&a.site.council_type).copied().unwrap_or(0),
                    ranked,
                ),
                &Evidence {
                    findings: findings.get(&a.site.slug).unwrap_or(&empty),
                    titles: titles.get(&a.site.slug),
                    pages: pages_by_site
                        .get(a.site.slug.as_str())
                        .map_or(&[][..], Vec::as_slice),
                },
            )
        })
        .collect();
    let mut unscored: Vec<Unscored> = assessments
        .iter()
        .zip(scores.iter())
        .filter(|(_, s)| s.stars.is_none())
        .map(|(a, _)| Unscored {
            council: link(a),
            reason: a
                .failure
                .clone()
                .unwrap_or_else(|| "Nothing could be tested on this site.".into()),
        })
        .collect();
    unscored.extend(pending.iter().map(|site| Unscored {
        council: CouncilLink {
            slug: site.slug.clone(),
            name: site.name.clone(),
            href: String::new(),
            type_code: site.council_type.code().into(),
        },
        reason: "Not surveyed in this run.".into(),
    }));
    let pairs: Vec<(&SiteAssessment, &SiteScore)> = assessments.iter().zip(scores.iter()).collect();
    let tasks: Vec<TaskView> = ruleset.tasks.iter().map(|t| task_view(t, &pairs)).collect();
    let divide = divide(assessments, scores);
    let scored: Vec<&SiteScore> = scores.iter().filter(|s| s.stars.is_some()).collect();
    let n_3_4 = scored
        .iter()
        .filter(|s| s.stars.is_some_and(|x| x >= 3))
        .count();
    let best = order
        .iter()
        .filter(|&&i| scores[i].rank == Some(1))
        .map(|&i| link(&assessments[i]))
        .collect();
    let present: BTreeSet<CouncilType> = assessments.iter().map(|a| a.site.council_type).collect();
    let nations: BTreeSet<String> = assessments
        .iter()
        .filter_map(|a| a.site.nation.clone())
        .collect();
    ReportData {
        meta: MetaView::new(Some(run), ruleset),
        headline: Headline {
            total: assessments.len() + pending.len(),
            scored: scored.len(),
            n_3_4,
            pct_3_4: pct(n_3_4, scored.len()),
            n_4: scored.iter().filter(|s| s.stars == Some(4)).count(),
            best,
            divide: divide.sentence.clone(),
        },
        tables: crate::report::data::tables(assessments, scores, findings, pages, ruleset),
        year_on_year: None,
        councils,
        unscored,
        tasks,
        divide,
        types: present
            .into_iter()
            .map(|t| TypeView {
                code: t.code().into(),
                label: t.label().into(),
            })
            .collect(),
        nations: nations.into_iter().collect(),
        dimensions: Dimension::ALL
            .iter()
            .map(|d| DimensionMeta {
                key: d.key().into(),
                label: d.label().into(),
            })
            .collect(),
    }
}
