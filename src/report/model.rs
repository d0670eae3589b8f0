//! View models: what the templates and exporters see. Built once from the stored run and its
//! scores; templates never see domain types (zola's rule), so a template cannot reach past what
//! the report means to show.
//!
//! [`build`] makes the report-wide [`ReportData`] (the headline, the league table and the
//! filters) from each council's summary and scores; a council's own page ([`council_view`]) is
//! built from its whole assessment, one council at a time. The parts are one file each: a
//! council's page (`council`, with its `findings`, `crawl` and the
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
    CouncilTaskView, CouncilView, DimensionView, Evidence, LeagueRow, QuestionView, ServiceView,
    council_view, league_row,
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

/// Everything the report-wide pages and files show: what every exporter reads besides each
/// council's own data. It holds a summary row per council (the league table's), never a
/// council's answers, findings or pages: those are read from the store, written and dropped
/// one council at a time, so a national report's memory does not grow with them.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    /// About the run.
    pub meta: MetaView,
    /// The headline.
    pub headline: Headline,
    /// Councils' league-table rows, ranked first (by rank), then those without stars.
    pub councils: Vec<LeagueRow>,
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
    /// This run against the newest earlier finished run with the same ruleset, if any.
    pub year_on_year: Option<CompareData>,
    /// What each council's page is shown beside.
    #[serde(skip)]
    pub beside: Beside,
}

/// What a council's page is shown beside: the averages and how many councils were ranked.
#[derive(Debug, Clone, Default)]
pub struct Beside {
    /// The averages by type and overall.
    pub averages: Averages,
    /// Councils ranked, by type.
    pub ranked_by_type: HashMap<CouncilType, usize>,
    /// Councils ranked nationally.
    pub ranked: usize,
}

impl Beside {
    /// (Councils of `t` ranked, councils ranked nationally), as [`council_view`] takes them.
    pub fn counts(&self, t: CouncilType) -> (usize, usize) {
        (
            self.ranked_by_type.get(&t).copied().unwrap_or(0),
            self.ranked,
        )
    }
}

/// What the report-wide pages need of an assessed council besides its `Site` and its score
/// (kept beside it, in the same order): why it could not be surveyed, and its duties' scores.
#[derive(Debug, Clone)]
pub struct CouncilSummary {
    /// Why it could not be surveyed.
    pub failure: Option<String>,
    /// Its duties' scores.
    pub duties: crate::report::duties::LeagueDuties,
}

impl CouncilSummary {
    /// The summary of an assessment.
    pub fn of(a: &SiteAssessment) -> CouncilSummary {
        CouncilSummary {
            failure: a.failure.clone(),
            duties: crate::report::duties::league_duties(&a.digital),
        }
    }
}

/// What the model is built from: one run's councils and scores.
pub struct Inputs<'a> {
    /// The run.
    pub run: &'a RunInfo,
    /// The ruleset.
    pub ruleset: &'a Ruleset,
    /// The assessed councils, in site order.
    pub sites: &'a [crate::sites::Site],
    /// Their summaries, in the same order.
    pub councils: &'a [CouncilSummary],
    /// Their scores, in the same order.
    pub scores: &'a [SiteScore],
    /// Sites in the run that have no assessment (not surveyed yet).
    pub pending: &'a [crate::sites::Site],
}

/// Builds the report-wide model.
pub fn build(inputs: &Inputs<'_>) -> ReportData {
    let Inputs {
        run,
        ruleset,
        councils,
        sites,
        scores,
        pending,
    } = inputs;
    let av = averages(scores);
    let mut type_counts: HashMap<CouncilType, usize> = HashMap::new();
    for s in scores.iter().filter(|s| s.rank.is_some()) {
        *type_counts.entry(s.council_type).or_default() += 1;
    }
    let ranked = scores.iter().filter(|s| s.rank.is_some()).count();
    let mut order: Vec<usize> = (0..councils.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&scores[i], &scores[j]);
        match (a.rank, b.rank) {
            (Some(x), Some(y)) => x.cmp(&y).then(sites[i].name.cmp(&sites[j].name)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => sites[i].name.cmp(&sites[j].name),
        }
    });
    let league: Vec<LeagueRow> = order
        .iter()
        .map(|&i| league_row(&sites[i], &scores[i], councils[i].duties.clone(), &av))
        .collect();
    let mut unscored: Vec<Unscored> = councils
        .iter()
        .zip(sites.iter().zip(scores.iter()))
        .filter(|(_, (_, s))| s.stars.is_none())
        .map(|(c, (site, _))| Unscored {
            council: link(site),
            reason: c
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
    let pairs: Vec<(&crate::sites::Site, &SiteScore)> = sites.iter().zip(scores.iter()).collect();
    let tasks: Vec<TaskView> = ruleset.tasks.iter().map(|t| task_view(t, &pairs)).collect();
    let divide = divide(sites, scores);
    let scored: Vec<&SiteScore> = scores.iter().filter(|s| s.stars.is_some()).collect();
    let n_3_4 = scored
        .iter()
        .filter(|s| s.stars.is_some_and(|x| x >= 3))
        .count();
    let best = order
        .iter()
        .filter(|&&i| scores[i].rank == Some(1))
        .map(|&i| link(&sites[i]))
        .collect();
    let present: BTreeSet<CouncilType> = sites.iter().map(|s| s.council_type).collect();
    let nations: BTreeSet<String> = sites.iter().filter_map(|s| s.nation.clone()).collect();
    ReportData {
        meta: MetaView::new(Some(run), ruleset),
        headline: Headline {
            total: councils.len() + pending.len(),
            scored: scored.len(),
            n_3_4,
            pct_3_4: pct(n_3_4, scored.len()),
            n_4: scored.iter().filter(|s| s.stars == Some(4)).count(),
            best,
            divide: divide.sentence.clone(),
        },
        year_on_year: None,
        councils: league,
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
        beside: Beside {
            averages: av,
            ranked_by_type: type_counts,
            ranked,
        },
    }
}
