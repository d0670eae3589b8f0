//! One task across all councils: the distribution of stars, by council type, and the best.

use serde::Serialize;

use super::figures::{mean_u8, pct};
use super::links::{CouncilLink, link, task_href};
use crate::report::format::file_slug;
use crate::report::svg::{self, BarChart};
use crate::score::SiteScore;
use crate::sites::Site;

/// Stars of a task among a group of councils.
#[derive(Debug, Clone, Serialize)]
pub struct TaskTypeRow {
    /// Type code.
    pub code: String,
    /// Type label.
    pub label: String,
    /// Councils with stars.
    pub n: usize,
    /// Mean stars.
    pub mean: Option<f64>,
    /// Percent at 3–4 stars.
    pub pct_3_4: Option<f64>,
}

/// One bar of a distribution.
#[derive(Debug, Clone, Serialize)]
pub struct StarCount {
    /// Stars.
    pub stars: u8,
    /// Councils.
    pub count: usize,
    /// Percent of councils with stars.
    pub pct: f64,
}

/// One task across all councils.
#[derive(Debug, Clone, Serialize)]
pub struct TaskView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Its page, relative to the report root.
    pub href: String,
    /// Types it applies to.
    pub applies_to: Vec<String>,
    /// Councils with stars.
    pub n: usize,
    /// Councils at 3–4 stars.
    pub n_3_4: usize,
    /// Percent at 3–4 stars.
    pub pct_3_4: Option<f64>,
    /// Mean stars.
    pub mean: Option<f64>,
    /// Councils at 4, 3, 2 and 1 stars.
    pub distribution: Vec<StarCount>,
    /// By council type.
    pub by_type: Vec<TaskTypeRow>,
    /// The best councils (all at the top star level, at most 10).
    pub best: Vec<CouncilLink>,
    /// The distribution as a chart.
    pub chart: BarChart,
}

pub(super) fn task_view(task: &crate::ruleset::Task, pairs: &[(&Site, &SiteScore)]) -> TaskView {
    let with: Vec<(&Site, u8, f64)> = pairs
        .iter()
        .filter_map(|(a, s)| {
            s.task(&task.id)
                .and_then(|t| t.stars.map(|st| (*a, st, t.share.unwrap_or(0.0))))
        })
        .collect();
    let n = with.len();
    let n_3_4 = with.iter().filter(|w| w.1 >= 3).count();
    let distribution: Vec<StarCount> = (1..=4u8)
        .rev()
        .map(|stars| {
            let count = with.iter().filter(|w| w.1 == stars).count();
            StarCount {
                stars,
                count,
                pct: pct(count, n).unwrap_or(0.0),
            }
        })
        .collect();
    let by_type = task
        .council_types
        .iter()
        .map(|t| {
            let of: Vec<u8> = with
                .iter()
                .filter(|w| w.0.council_type == *t)
                .map(|w| w.1)
                .collect();
            TaskTypeRow {
                code: t.code().into(),
                label: t.label().into(),
                n: of.len(),
                mean: mean_u8(of.iter().copied()),
                pct_3_4: pct(of.iter().filter(|&&s| s >= 3).count(), of.len()),
            }
        })
        .collect();
    let top = with.iter().map(|w| w.1).max();
    let mut best: Vec<&(&Site, u8, f64)> = with.iter().filter(|w| Some(w.1) == top).collect();
    best.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.name.cmp(&b.0.name)));
    let chart = svg::bar_chart(
        &format!("task-{}", file_slug(&task.id)),
        &format!("Councils by stars for “{}”", task.title),
        &distribution
            .iter()
            .map(|d| (format!("{} stars", d.stars), d.count))
            .collect::<Vec<_>>(),
    );
    TaskView {
        id: task.id.clone(),
        title: task.title.clone(),
        href: task_href(&task.id),
        applies_to: task.council_types.iter().map(|t| t.code().into()).collect(),
        n,
        n_3_4,
        pct_3_4: pct(n_3_4, n),
        mean: mean_u8(with.iter().map(|w| w.1)),
        distribution,
        by_type,
        best: best.into_iter().take(10).map(|w| link(w.0)).collect(),
        chart,
    }
}
