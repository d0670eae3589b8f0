//! Stars and figures as the report shows them: star glyphs with what screen readers hear, means
//! of stars and percentages.

use serde::Serialize;

use crate::report::format::{round1, round2};
use crate::report::stats;

/// Stars and the value behind them, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct StarsView {
    /// 1–4, or none when not tested.
    pub stars: Option<u8>,
    /// The 0–100 score behind the stars, when there is one.
    pub score: Option<f64>,
    /// "★★★☆" (shown to sighted readers; hidden from screen readers).
    pub glyphs: String,
    /// "3 of 4 stars" or "not tested" (what screen readers hear).
    pub text: String,
    /// A sort key: stars first, then the score; −1 when not tested.
    pub sort: f64,
}

impl StarsView {
    pub(crate) fn new(stars: Option<u8>, value: Option<f64>) -> StarsView {
        StarsView {
            stars,
            score: value.map(|v| round1(v * 100.0)),
            glyphs: stars.map_or_else(
                || "–".to_string(),
                |s| {
                    let s = usize::from(s.min(4));
                    format!("{}{}", "★".repeat(s), "☆".repeat(4 - s))
                },
            ),
            text: stars.map_or_else(|| "not tested".to_string(), |s| format!("{s} of 4 stars")),
            sort: stars.map_or(-1.0, |s| {
                f64::from(s) * 1000.0 + value.map_or(0.0, |v| round1(v * 100.0))
            }),
        }
    }
}

pub(super) fn mean_u8(xs: impl Iterator<Item = u8>) -> Option<f64> {
    let v: Vec<f64> = xs.map(f64::from).collect();
    stats::mean(&v).map(round2)
}

pub(super) fn pct(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| round1(100.0 * part as f64 / whole as f64))
}
