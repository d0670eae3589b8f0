//! Scoring: stars per task, per dimension and overall, with national and per-type ranks.
//!
//! Pure functions from [`SiteAssessment`]s and the ruleset's [`Scoring`] to [`SiteScore`]s, and
//! [`score_and_record`], the one place a run is scored and its scores stored (the survey calls it
//! when a run finishes; `civicscan report` when re-scoring with another ruleset). Every number can be traced back: a task's stars to its yes/no counts and caps, a
//! dimension's value to the counts it is computed from, the overall value to the dimension values
//! and the ruleset's weights. What this stage does not do: decide answers (the audit does) or
//! store and present scores (store, report).
//!
//! The formulas (also in the report's data dictionary):
//!
//! - **Task stars**: the share of Yes among the Yes and No answers, by `task_stars` thresholds. An
//!   essential question answered No caps the task at `essential_cap`; the out-of-date question
//!   answered No caps it at `out_of_date_cap`. A task whose questions were all not tested has no
//!   stars.
//! - **Task completion** (0–1): the mean of the task stars divided by 4, over tasks with stars, so
//!   all tasks at 3 stars give 0.75 and land on 3 dimension stars.
//! - **Accessibility** (0–1): the share of audited pages with no failed finding, less 0.10 per
//!   critical and 0.05 per serious failure per audited page, floored at 0. No pages audited: none.
//!   Only failed WCAG 2.2 A/AA criteria count here and in the pass (`Finding::is_wcag_failure`);
//!   best practice and "cannot tell" findings are reported apart.
//! - **Service coverage** (0–1): the share of the services the council's type provides that have
//!   a findable page.
//! - **Digital first** (0–1): the share of the tested yes/no indicators (HTTPS everywhere,
//!   responsive viewport, site search, A–Z, online account, accessibility statement) that hold.
//! - **Dimension stars** from each value by `dimension_stars` thresholds.
//! - **Overall value**: the weighted mean of the dimension values present, weights renormalised
//!   over those present. **Overall stars** from it by `dimension_stars`; 4 stars need an
//!   accessibility pass when the ruleset says so (at most `accessibility_pass_max_critical`
//!   critical and `accessibility_pass_max_serious` serious failures on the home page and key task
//!   pages, and 3 or more accessibility stars: [`accessibility_pass`]), otherwise the site gets 3.
//! - **Ranks**: by overall stars, then overall value, best first; equal councils share a rank
//!   (1, 2, 2, 4). Councils that could not be surveyed have no stars and no rank.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::audit::SiteAssessment;
use crate::audit::tasks::{Answer, TaskResult};
use crate::ruleset::{Ruleset, Scoring, Task};
use crate::sites::CouncilType;
use crate::store::{RunId, ScoreRow, Store, StoreError};

/// Per-page penalty on the accessibility value for each critical failure.
pub const CRITICAL_PENALTY: f64 = 0.10;
/// Per-page penalty on the accessibility value for each serious failure.
pub const SERIOUS_PENALTY: f64 = 0.05;

/// Values closer than this count as equal when ranking (they come from float arithmetic).
const TIE_EPSILON: f64 = 1e-9;

/// One of the four dimensions of the overall rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Task completion.
    Tasks,
    /// Accessibility.
    Accessibility,
    /// Service coverage.
    Coverage,
    /// Digital-first indicators.
    Digital,
}

impl Dimension {
    /// Every dimension, in the order reports show them.
    pub const ALL: [Dimension; 4] = [
        Dimension::Tasks,
        Dimension::Accessibility,
        Dimension::Coverage,
        Dimension::Digital,
    ];

    /// The key used in stored scores and data files.
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Tasks => "tasks",
            Dimension::Accessibility => "accessibility",
            Dimension::Coverage => "coverage",
            Dimension::Digital => "digital",
        }
    }

    /// A human name.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Tasks => "Task completion",
            Dimension::Accessibility => "Accessibility",
            Dimension::Coverage => "Service coverage",
            Dimension::Digital => "Digital first",
        }
    }

    fn weight(self, scoring: &Scoring) -> f64 {
        match self {
            Dimension::Tasks => scoring.weights.tasks,
            Dimension::Accessibility => scoring.weights.accessibility,
            Dimension::Coverage => scoring.weights.coverage,
            Dimension::Digital => scoring.weights.digital,
        }
    }
}

/// Why a task's stars were capped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cap {
    /// The essential question was answered No.
    Essential,
    /// Out-of-date content was found.
    OutOfDate,
}

/// A task's stars and what they come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskScore {
    /// The task's id.
    pub task: String,
    /// Yes answers.
    pub yes: u32,
    /// No answers.
    pub no: u32,
    /// Questions not tested.
    pub not_tested: u32,
    /// Yes ÷ (Yes + No); `None` when nothing was tested.
    pub share: Option<f64>,
    /// Stars 1–4 after caps; `None` when not tested.
    pub stars: Option<u8>,
    /// The caps that applied (the lowest wins).
    pub caps: Vec<Cap>,
}

/// A dimension's value and stars.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DimensionScore {
    /// The dimension.
    pub dimension: Dimension,
    /// 0–1; `None` when not tested.
    pub value: Option<f64>,
    /// Stars 1–4; `None` when not tested.
    pub stars: Option<u8>,
}

/// Everything scored about one council.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteScore {
    /// The council's slug.
    pub slug: String,
    /// Its type.
    pub council_type: CouncilType,
    /// Why it could not be surveyed; then everything else is empty.
    pub failure: Option<String>,
    /// One per task result, in assessment order.
    pub tasks: Vec<TaskScore>,
    /// One per dimension, in [`Dimension::ALL`] order.
    pub dimensions: Vec<DimensionScore>,
    /// Whether the accessibility pass holds; `None` when no page was audited.
    pub accessibility_pass: Option<bool>,
    /// The weighted 0–1 overall value.
    pub value: Option<f64>,
    /// Overall stars 1–4.
    pub stars: Option<u8>,
    /// Whether 4 stars were withheld for want of an accessibility pass.
    pub four_stars_withheld: bool,
    /// Rank among all councils scored (1 = best).
    pub rank: Option<u32>,
    /// Rank among councils of its type.
    pub type_rank: Option<u32>,
}

impl SiteScore {
    /// One dimension's score.
    pub fn dimension(&self, dimension: Dimension) -> Option<&DimensionScore> {
        self.dimensions.iter().find(|d| d.dimension == dimension)
    }

    /// One task's score.
    pub fn task(&self, id: &str) -> Option<&TaskScore> {
        self.tasks.iter().find(|t| t.task == id)
    }
}

/// Scores one task result. `task` is the ruleset's task, which says which questions cap.
fn task_stars(result: &TaskResult, task: Option<&Task>, scoring: &Scoring) -> TaskScore {
    let mut score = TaskScore {
        task: result.task.clone(),
        yes: 0,
        no: 0,
        not_tested: 0,
        share: None,
        stars: None,
        caps: Vec::new(),
    };
    for a in &result.answers {
        match a.answer {
            Answer::Yes => score.yes += 1,
            Answer::No => score.no += 1,
            Answer::NotTested => score.not_tested += 1,
        }
        if a.answer != Answer::No {
            continue;
        }
        let question = task.and_then(|t| t.questions.iter().find(|q| q.id == a.question));
        if let Some(q) = question {
            if q.essential && !score.caps.contains(&Cap::Essential) {
                score.caps.push(Cap::Essential);
            }
            if q.out_of_date && !score.caps.contains(&Cap::OutOfDate) {
                score.caps.push(Cap::OutOfDate);
            }
        }
    }
    let answered = score.yes + score.no;
    if answered == 0 {
        return score;
    }
    let share = f64::from(score.yes) / f64::from(answered);
    let mut stars = scoring.task_stars.stars(share);
    for cap in &score.caps {
        let limit = match cap {
            Cap::Essential => scoring.essential_cap,
            Cap::OutOfDate => scoring.out_of_date_cap,
        };
        stars = stars.min(limit);
    }
    score.share = Some(share);
    score.stars = Some(stars);
    score
}

/// The accessibility value (see the module doc); `None` when no page was audited.
pub fn accessibility_value(a11y: &crate::audit::A11ySummary) -> Option<f64> {
    if a11y.pages_audited == 0 {
        return None;
    }
    let pages = f64::from(a11y.pages_audited);
    let clean = f64::from(a11y.pages_without_failures.min(a11y.pages_audited)) / pages;
    let penalty = (CRITICAL_PENALTY * f64::from(a11y.critical)
        + SERIOUS_PENALTY * f64::from(a11y.serious))
        / pages;
    Some((clean - penalty).clamp(0.0, 1.0))
}

/// The digital-first value: the share of tested yes/no indicators that hold, the legal-duty
/// checks counted with their ruleset weights.
// Until `DigitalIndicators::score()` lands from the digital stage; the lead de-duplicates.
fn digital_value(d: &crate::audit::digital::DigitalIndicators) -> Option<f64> {
    let tested: Vec<bool> = [
        d.https_everywhere,
        d.responsive_viewport,
        d.site_search,
        d.a_to_z,
        d.my_account,
        d.accessibility_statement,
    ]
    .into_iter()
    .flatten()
    .collect();
    // The legal-duty checks count as indicators weighted by the ruleset.
    let (duty_sum, duty_weight) = d.duties();
    let weight = tested.len() as f64 + duty_weight;
    if weight == 0.0 {
        return None;
    }
    Some((tested.iter().filter(|&&b| b).count() as f64 + duty_sum) / weight)
}

/// Scores one council (without ranks; see [`score_run`]).
pub fn score_site(assessment: &SiteAssessment, ruleset: &Ruleset) -> SiteScore {
    let scoring = &ruleset.scoring;
    let mut score = SiteScore {
        slug: assessment.site.slug.clone(),
        council_type: assessment.site.council_type,
        failure: assessment.failure.clone(),
        tasks: Vec::new(),
        dimensions: Dimension::ALL
            .iter()
            .map(|&dimension| DimensionScore {
                dimension,
                value: None,
                stars: None,
            })
            .collect(),
        accessibility_pass: None,
        value: None,
        stars: None,
        four_stars_withheld: false,
        rank: None,
        type_rank: None,
    };
    if assessment.failure.is_some() {
        return score;
    }
    score.tasks = assessment
        .tasks
        .iter()
        .map(|r| task_stars(r, ruleset.task(&r.task), scoring))
        .collect();
    let task_stars: Vec<u8> = score.tasks.iter().filter_map(|t| t.stars).collect();
    let tasks_value = (!task_stars.is_empty()).then(|| {
        task_stars.iter().map(|&s| f64::from(s)).sum::<f64>() / (4.0 * task_stars.len() as f64)
    });
    let a11y = &assessment.a11y;
    for d in &mut score.dimensions {
        d.value = match d.dimension {
            Dimension::Tasks => tasks_value,
            Dimension::Accessibility => accessibility_value(a11y),
            Dimension::Coverage => assessment.coverage.share(),
            Dimension::Digital => digital_value(&assessment.digital),
        };
        d.stars = d.value.map(|v| scoring.dimension_stars.stars(v));
    }
    let a11y_stars = score
        .dimension(Dimension::Accessibility)
        .and_then(|d| d.stars);
    score.accessibility_pass = accessibility_pass(a11y, a11y_stars, scoring);
    let (sum, weight) = score
        .dimensions
        .iter()
        .filter_map(|d| d.value.map(|v| (v, d.dimension.weight(scoring))))
        .fold((0.0, 0.0), |(s, w), (v, dw)| (s + v * dw, w + dw));
    if weight > 0.0 {
        let value = sum / weight;
        let mut stars = scoring.dimension_stars.stars(value);
        if stars == 4
            && scoring.four_star_needs_accessibility_pass
            && score.accessibility_pass != Some(true)
        {
            stars = 3;
            score.four_stars_withheld = true;
        }
        score.value = Some(value);
        score.stars = Some(stars);
    }
    score
}

/// The accessibility pass (Better Connected gave 4 stars only to sites that passed its
/// accessibility test), defined here once: the key pages (the home page and key task pages) are
/// within the ruleset's limits of critical and serious failures, **and** the site as a whole earns
/// at least [`ACCESSIBILITY_PASS_MIN_STARS`] accessibility stars, so a site never "passes" beside a
/// one-star accessibility score. `None` when no page was audited.
pub fn accessibility_pass(
    a11y: &crate::audit::A11ySummary,
    accessibility_stars: Option<u8>,
    scoring: &Scoring,
) -> Option<bool> {
    if a11y.pages_audited == 0 {
        return None;
    }
    Some(
        a11y.key_page_critical <= scoring.accessibility_pass_max_critical
            && a11y.key_page_serious <= scoring.accessibility_pass_max_serious
            && accessibility_stars.is_some_and(|s| s >= ACCESSIBILITY_PASS_MIN_STARS),
    )
}

/// The accessibility stars a site needs for the accessibility pass.
pub const ACCESSIBILITY_PASS_MIN_STARS: u8 = 3;

/// The accessibility pass in words, for every place that shows it.
pub fn accessibility_pass_rule(scoring: &Scoring) -> String {
    let serious = match scoring.accessibility_pass_max_serious {
        0 => "no serious".to_string(),
        1 => "at most 1 serious".to_string(),
        n => format!("at most {n} serious"),
    };
    let critical = match scoring.accessibility_pass_max_critical {
        0 => "no critical".to_string(),
        1 => "at most 1 critical".to_string(),
        n => format!("at most {n} critical"),
    };
    format!(
        "{critical} and {serious} failures on the home page and key task pages, and {} or more \
         accessibility stars for the site as a whole",
        ACCESSIBILITY_PASS_MIN_STARS
    )
}

impl TaskScore {
    /// The caps that lowered the stars (a cap at or above what the share earns changes nothing
    /// and is not worth a reader's attention).
    pub fn binding_caps(&self, scoring: &Scoring) -> Vec<Cap> {
        let Some(earned) = self.share.map(|s| scoring.task_stars.stars(s)) else {
            return Vec::new();
        };
        self.caps
            .iter()
            .copied()
            .filter(|c| earned > c.level(scoring))
            .collect()
    }
}

impl Cap {
    /// The most stars this cap allows.
    pub fn level(&self, scoring: &Scoring) -> u8 {
        match self {
            Cap::Essential => scoring.essential_cap,
            Cap::OutOfDate => scoring.out_of_date_cap,
        }
    }

    /// Why a task's stars are capped, in words.
    pub fn explain(&self, scoring: &Scoring) -> String {
        let (why, cap) = match self {
            Cap::Essential => (
                "the essential question was answered No",
                scoring.essential_cap,
            ),
            Cap::OutOfDate => ("out-of-date content was found", scoring.out_of_date_cap),
        };
        format!("capped at {}: {why}", stars_word(cap))
    }
}

/// "1 star", "3 stars".
pub fn stars_word(n: u8) -> String {
    if n == 1 {
        "1 star".into()
    } else {
        format!("{n} stars")
    }
}

/// Orders two scored councils, best first.
fn better(a: &SiteScore, b: &SiteScore) -> Ordering {
    match b.stars.cmp(&a.stars) {
        Ordering::Equal => {}
        o => return o,
    }
    let (va, vb) = (a.value.unwrap_or(0.0), b.value.unwrap_or(0.0));
    if (va - vb).abs() <= TIE_EPSILON {
        Ordering::Equal
    } else if va > vb {
        Ordering::Less
    } else {
        Ordering::Greater
    }
}

/// Competition ranks (1, 2, 2, 4) of the scored councils among `indices`.
fn rank_among(scores: &[SiteScore], indices: &[usize]) -> Vec<(usize, u32)> {
    let mut ranked: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|&i| scores[i].stars.is_some())
        .collect();
    ranked.sort_by(|&a, &b| better(&scores[a], &scores[b]));
    let mut out = Vec::with_capacity(ranked.len());
    let mut rank = 0u32;
    for (pos, &i) in ranked.iter().enumerate() {
        if pos == 0 || better(&scores[ranked[pos - 1]], &scores[i]) != Ordering::Equal {
            rank = pos as u32 + 1;
        }
        out.push((i, rank));
    }
    out
}

/// Scores every council of a run and ranks them nationally and within their type.
pub fn score_run(assessments: &[SiteAssessment], ruleset: &Ruleset) -> Vec<SiteScore> {
    let mut scores: Vec<SiteScore> = assessments.iter().map(|a| score_site(a, ruleset)).collect();
    rank(&mut scores);
    scores
}

/// Sets national and per-type ranks, replacing any earlier ones.
pub fn rank(scores: &mut [SiteScore]) {
    for s in scores.iter_mut() {
        s.rank = None;
        s.type_rank = None;
    }
    let all: Vec<usize> = (0..scores.len()).collect();
    for (i, r) in rank_among(scores, &all) {
        scores[i].rank = Some(r);
    }
    for council_type in CouncilType::ALL {
        let of_type: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| scores[i].council_type == council_type)
            .collect();
        for (i, r) in rank_among(scores, &of_type) {
            scores[i].type_rank = Some(r);
        }
    }
}

/// The rows to store: `overall` (with ranks), each dimension, and `task:<id>` per task.
pub fn rows(scores: &[SiteScore]) -> Vec<ScoreRow> {
    let mut rows = Vec::new();
    for s in scores {
        rows.push(ScoreRow {
            site_slug: s.slug.clone(),
            key: "overall".into(),
            value: s.value,
            stars: s.stars,
            rank: s.rank,
            type_rank: s.type_rank,
        });
        for d in &s.dimensions {
            rows.push(ScoreRow {
                site_slug: s.slug.clone(),
                key: d.dimension.key().into(),
                value: d.value,
                stars: d.stars,
                rank: None,
                type_rank: None,
            });
        }
        for t in &s.tasks {
            rows.push(ScoreRow {
                site_slug: s.slug.clone(),
                key: format!("task:{}", t.task),
                value: t.share,
                stars: t.stars,
                rank: None,
                type_rank: None,
            });
        }
    }
    rows
}

/// Scores and ranks the councils of a stored run as [`score_run`] does, reading one assessment at a
/// time: a national run's assessments held together were the survey's memory peak at its very
/// end (about 160 MB at 1,000 councils by dhat-rs, growing with the councils).
pub fn score_stored(
    store: &Store,
    run: RunId,
    ruleset: &Ruleset,
) -> Result<Vec<SiteScore>, StoreError> {
    let mut scores = Vec::new();
    store.for_each_assessment(run, |a| {
        scores.push(score_site(&a, ruleset));
        Ok::<(), StoreError>(())
    })?;
    rank(&mut scores);
    Ok(scores)
}

/// Scores every council of a stored run with `ruleset` and stores the scores (replacing any).
pub fn score_and_record(
    store: &mut Store,
    run: RunId,
    ruleset: &Ruleset,
) -> Result<Vec<SiteScore>, StoreError> {
    let scores = score_stored(store, run, ruleset)?;
    store.record_scores(run, &rows(&scores))?;
    Ok(scores)
}

#[cfg(test)]
mod tests;
