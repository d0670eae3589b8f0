//! The year-on-year view: two runs scored with one ruleset, the councils whose overall score moved
//! most each way, and the divide then and now.

use std::collections::HashMap;

use serde::Serialize;

use super::divide::{DivideView, divide};
use super::figures::StarsView;
use super::meta::MetaView;
use crate::report::format::round1;
use crate::ruleset::Ruleset;
use crate::score::SiteScore;
use crate::sites::Site;
use crate::store::RunInfo;

/// One council whose overall score moved between two runs.
#[derive(Debug, Clone, Serialize)]
pub struct Mover {
    /// Name (in the later run).
    pub name: String,
    /// Type code.
    pub type_code: String,
    /// Rank then.
    pub rank_a: Option<u32>,
    /// Rank now.
    pub rank_b: Option<u32>,
    /// Stars then and now.
    pub stars_a: StarsView,
    /// Stars now.
    pub stars_b: StarsView,
    /// Score now − score then (0–100 points).
    pub change: f64,
}

/// The year-on-year view.
#[derive(Debug, Clone, Serialize)]
pub struct CompareData {
    /// The earlier run.
    pub run_a: MetaView,
    /// The later run.
    pub run_b: MetaView,
    /// Councils scored in both runs.
    pub both: usize,
    /// Biggest rises, largest first.
    pub up: Vec<Mover>,
    /// Biggest falls, largest first.
    pub down: Vec<Mover>,
    /// The divide then.
    pub divide_a: DivideView,
    /// The divide now.
    pub divide_b: DivideView,
    /// What a reader should know before trusting the comparison (different rulesets, runs with
    /// many councils not surveyed, an unfinished run).
    pub warnings: Vec<String>,
}

/// Movers listed each way at most.
pub const MAX_MOVERS: usize = 20;

/// One run as the year-on-year view reads it: its assessed councils, scored with the
/// comparison's ruleset.
pub(crate) struct RunScores<'a> {
    /// The run.
    pub info: &'a RunInfo,
    /// Its assessed councils, in site order.
    pub sites: &'a [Site],
    /// Their scores, in the same order.
    pub scores: &'a [SiteScore],
}

/// Builds the year-on-year view of two runs, earlier first, with the warnings about comparing
/// them.
pub(crate) fn year_on_year(
    a: RunScores<'_>,
    b: RunScores<'_>,
    ruleset: &Ruleset,
    warnings: Vec<String>,
) -> CompareData {
    let then: HashMap<&str, &SiteScore> = a.scores.iter().map(|s| (s.slug.as_str(), s)).collect();
    let mut movers: Vec<Mover> = b
        .sites
        .iter()
        .zip(b.scores)
        .filter_map(|(site, now)| {
            let before = then.get(site.slug.as_str())?;
            let change = (now.value? - before.value?) * 100.0;
            Some(Mover {
                name: site.name.clone(),
                type_code: site.council_type.code().into(),
                rank_a: before.rank,
                rank_b: now.rank,
                stars_a: StarsView::new(before.stars, before.value),
                stars_b: StarsView::new(now.stars, now.value),
                change: round1(change),
            })
        })
        .collect();
    let both = movers.len();
    movers.sort_by(|x, y| y.change.total_cmp(&x.change).then(x.name.cmp(&y.name)));
    let up: Vec<Mover> = movers
        .iter()
        .filter(|m| m.change > 0.0)
        .take(MAX_MOVERS)
        .cloned()
        .collect();
    let down: Vec<Mover> = movers
        .iter()
        .rev()
        .filter(|m| m.change < 0.0)
        .take(MAX_MOVERS)
        .cloned()
        .collect();
    CompareData {
        run_a: MetaView::new(Some(a.info), ruleset),
        run_b: MetaView::new(Some(b.info), ruleset),
        both,
        up,
        down,
        divide_a: divide(a.sites, a.scores),
        divide_b: divide(b.sites, b.scores),
        warnings,
    }
}
