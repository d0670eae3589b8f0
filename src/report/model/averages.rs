//! The averages shown beside a council: task stars and dimension scores, by type and overall.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::figures::mean_u8;
use crate::report::format::round1;
use crate::report::stats;
use crate::score::{Dimension, SiteScore};
use crate::sites::CouncilType;

/// Averages used beside a council: task stars and dimension scores, by type and overall.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Averages {
    /// Mean task stars per (type code, task id).
    pub task_by_type: HashMap<(String, String), f64>,
    /// Mean task stars per task id.
    pub task_all: HashMap<String, f64>,
    /// Mean dimension score (0–100) per (type code, dimension key).
    pub dim_by_type: HashMap<(String, String), f64>,
    /// Mean dimension score per dimension key.
    pub dim_all: HashMap<String, f64>,
    /// Mean overall score per type code.
    pub overall_by_type: HashMap<String, f64>,
    /// Mean overall score.
    pub overall_all: Option<f64>,
}

/// Computes the averages of a set of scores.
pub fn averages(scores: &[SiteScore]) -> Averages {
    let mut av = Averages::default();
    let mut task_ids: BTreeSet<&str> = BTreeSet::new();
    for s in scores {
        for t in &s.tasks {
            task_ids.insert(&t.task);
        }
    }
    for id in task_ids {
        let stars = |filter: &dyn Fn(&SiteScore) -> bool| {
            mean_u8(
                scores
                    .iter()
                    .filter(|s| filter(s))
                    .filter_map(|s| s.task(id).and_then(|t| t.stars)),
            )
        };
        if let Some(m) = stars(&|_| true) {
            av.task_all.insert(id.into(), m);
        }
        for t in CouncilType::ALL {
            if let Some(m) = stars(&|s| s.council_type == t) {
                av.task_by_type.insert((t.code().into(), id.into()), m);
            }
        }
    }
    for d in Dimension::ALL {
        let values = |filter: &dyn Fn(&SiteScore) -> bool| {
            let v: Vec<f64> = scores
                .iter()
                .filter(|s| filter(s))
                .filter_map(|s| s.dimension(d).and_then(|x| x.value))
                .map(|v| v * 100.0)
                .collect();
            stats::mean(&v).map(round1)
        };
        if let Some(m) = values(&|_| true) {
            av.dim_all.insert(d.key().into(), m);
        }
        for t in CouncilType::ALL {
            if let Some(m) = values(&|s| s.council_type == t) {
                av.dim_by_type.insert((t.code().into(), d.key().into()), m);
            }
        }
    }
    let overall = |filter: &dyn Fn(&SiteScore) -> bool| {
        let v: Vec<f64> = scores
            .iter()
            .filter(|s| filter(s))
            .filter_map(|s| s.value)
            .map(|v| v * 100.0)
            .collect();
        stats::mean(&v).map(round1)
    };
    av.overall_all = overall(&|_| true);
    for t in CouncilType::ALL {
        if let Some(m) = overall(&|s| s.council_type == t) {
            av.overall_by_type.insert(t.code().into(), m);
        }
    }
    av
}
