//! About the run: its id and dates, the ruleset it is scored with, and the weights in a sentence.

use serde::Serialize;

use crate::ruleset::Ruleset;
use crate::store::RunInfo;

/// About the run.
#[derive(Debug, Clone, Serialize)]
pub struct MetaView {
    /// Run id.
    pub run: i64,
    /// Started.
    pub started_at: String,
    /// Finished.
    pub finished_at: Option<String>,
    /// Ruleset name.
    pub ruleset_name: String,
    /// Ruleset edition.
    pub ruleset_edition: String,
    /// SHA-256 of the ruleset.
    pub ruleset_hash: String,
    /// civicscan version that ran the survey.
    pub civicscan_version: String,
    /// Task weights etc., as a sentence.
    pub weights: String,
    /// What the accessibility pass needs, as a sentence.
    pub accessibility_pass_rule: String,
}

impl MetaView {
    /// What the report says about a run (`None`: a check's single report, which names no run)
    /// and the ruleset it is scored with.
    pub fn new(run: Option<&RunInfo>, ruleset: &Ruleset) -> MetaView {
        let w = &ruleset.scoring.weights;
        let total = (w.tasks + w.accessibility + w.coverage + w.digital).max(f64::EPSILON);
        let hash = run.map_or(ruleset.hash.as_str(), |r| r.ruleset_hash.as_str());
        MetaView {
            run: run.map_or(0, |r| r.id),
            started_at: run.map(|r| r.started_at.clone()).unwrap_or_default(),
            finished_at: run.and_then(|r| r.finished_at.clone()),
            ruleset_name: run.map_or_else(|| ruleset.name.clone(), |r| r.ruleset_name.clone()),
            ruleset_edition: run
                .map_or_else(|| ruleset.edition.clone(), |r| r.ruleset_edition.clone()),
            ruleset_hash: hash.chars().take(12).collect(),
            civicscan_version: run.map_or_else(
                || env!("CARGO_PKG_VERSION").to_string(),
                |r| r.civicscan_version.clone(),
            ),
            weights: format!(
                "task completion {:.0} %, accessibility {:.0} %, service coverage {:.0} %, digital first {:.0} %",
                100.0 * w.tasks / total,
                100.0 * w.accessibility / total,
                100.0 * w.coverage / total,
                100.0 * w.digital / total,
            ),
            accessibility_pass_rule: crate::score::accessibility_pass_rule(&ruleset.scoring),
        }
    }
}
