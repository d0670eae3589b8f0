//! About the run: its id and dates, the ruleset it is scored with, and the weights in a sentence.

use serde::Serialize;

use crate::render::RenderMode;
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
    /// Which pages were rendered in a browser, as a sentence (empty when not known).
    pub rendering: String,
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
            rendering: run
                .map(|r| Self::rendering_of(&r.settings))
                .unwrap_or_default(),
        }
    }

    /// Which pages a run rendered in a browser, from its stored settings, as a sentence: the
    /// reader needs it to compare findings across runs (a rendered page can fail rules the
    /// page as served passes, and the reverse).
    pub fn rendering_of(settings: &serde_json::Value) -> String {
        let mode = settings
            .get("render")
            .and_then(|v| serde_json::from_value::<RenderMode>(v.clone()).ok())
            .unwrap_or_default();
        let skipped = settings.get("render_skipped").and_then(|v| v.as_str());
        match (mode, skipped) {
            (RenderMode::Off, _) => {
                "Pages were checked as served; none was rendered in a browser, so checks only a browser can make (focus, keyboard traps, reflow, text spacing, target size) were not made.".into()
            }
            (_, Some(why)) => format!(
                "Rendering in a browser was asked for but skipped ({why}), so pages were checked as served and checks only a browser can make were not made."
            ),
            (RenderMode::Key, None) => {
                "Key pages (the home page, task pages and pages with a form) were also rendered in headless Chromium: their findings are from the page after its scripts ran, marked “seen in the browser”.".into()
            }
            (RenderMode::All, None) => {
                "Every page was also rendered in headless Chromium: findings are from the page after its scripts ran, marked “seen in the browser”.".into()
            }
        }
    }
}
