//! Chart view models: coordinates worked out here, markup written by the templates (so every
//! label goes through autoescaping). Charts are plain inline SVG, readable without JavaScript,
//! each with a `<title>`, a `<desc>` that states the numbers, and a data table beside it.

use serde::Serialize;

use super::format::round1;
use super::stats;

/// Width of every chart, in SVG units.
const WIDTH: f64 = 720.0;
/// Left margin for row labels.
const LEFT: f64 = 250.0;
/// Right margin.
const RIGHT: f64 = 20.0;
/// Height of one strip or bar row.
const ROW: f64 = 56.0;
/// Space for the axis.
const AXIS: f64 = 36.0;

/// A tick on the x axis.
#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    /// Position.
    pub x: f64,
    /// Label.
    pub label: String,
}

/// One council's point.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// Position.
    pub x: f64,
    /// Position (jittered within the row).
    pub y: f64,
    /// What it is (shown as a tooltip).
    pub label: String,
}

/// One group's strip.
#[derive(Debug, Clone, Serialize)]
pub struct StripRow {
    /// The group.
    pub label: String,
    /// The row's centre line.
    pub y: f64,
    /// Councils.
    pub points: Vec<Point>,
    /// The mean's position.
    pub mean_x: Option<f64>,
    /// The median's position.
    pub median_x: Option<f64>,
    /// The 95 % interval of the mean.
    pub ci_low_x: Option<f64>,
    /// High end.
    pub ci_high_x: Option<f64>,
}

/// A strip plot of 0–100 scores by group, with each group's mean and its 95 % interval.
#[derive(Debug, Clone, Serialize)]
pub struct StripChart {
    /// Element id prefix.
    pub id: String,
    /// Title.
    pub title: String,
    /// A text alternative stating the numbers.
    pub desc: String,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// Left edge of the plot.
    pub left: f64,
    /// Right edge.
    pub right: f64,
    /// Axis line position.
    pub axis_y: f64,
    /// Ticks.
    pub ticks: Vec<Tick>,
    /// Rows.
    pub rows: Vec<StripRow>,
}

fn x_of(score: f64) -> f64 {
    round1(LEFT + (WIDTH - LEFT - RIGHT) * score.clamp(0.0, 100.0) / 100.0)
}

/// Lays out a strip chart of scores (0–100) per group.
pub fn strip_chart(id: &str, title: &str, groups: &[(String, Vec<(f64, String)>)]) -> StripChart {
    let mut desc = Vec::new();
    let rows: Vec<StripRow> = groups
        .iter()
        .enumerate()
        .map(|(i, (label, pts))| {
            let y = AXIS / 2.0 + ROW * (i as f64 + 0.5);
            let values: Vec<f64> = pts.iter().map(|p| p.0).collect();
            let ci = stats::bootstrap_mean_ci(&values);
            let mean = stats::mean(&values);
            let median = stats::median(&values);
            desc.push(match (mean, median) {
                (Some(m), Some(md)) => format!(
                    "{label}: {} councils, mean {m:.1}, median {md:.1}",
                    values.len()
                ),
                _ => format!("{label}: no councils"),
            });
            StripRow {
                label: label.clone(),
                y,
                points: pts
                    .iter()
                    .enumerate()
                    // A fixed jitter pattern spreads equal scores without randomness.
                    .map(|(j, (v, name))| Point {
                        x: x_of(*v),
                        y: y + ((j * 7) % 11) as f64 * 3.0 - 15.0,
                        label: format!("{name}: {v:.1}"),
                    })
                    .collect(),
                mean_x: mean.map(x_of),
                median_x: median.map(x_of),
                ci_low_x: ci.map(|c| x_of(c.0)),
                ci_high_x: ci.map(|c| x_of(c.1)),
            }
        })
        .collect();
    let axis_y = AXIS / 2.0 + ROW * rows.len() as f64;
    StripChart {
        id: id.into(),
        title: title.into(),
        desc: format!(
            "Strip plot, one dot per council on a 0 to 100 scale; the bar marks the mean and its 95 % interval. {}.",
            desc.join("; ")
        ),
        width: WIDTH,
        height: axis_y + AXIS,
        left: LEFT,
        right: WIDTH - RIGHT,
        axis_y,
        ticks: (0..=5)
            .map(|i| Tick {
                x: x_of(f64::from(i) * 20.0),
                label: (i * 20).to_string(),
            })
            .collect(),
        rows,
    }
}

/// One bar.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// Label.
    pub label: String,
    /// Count.
    pub value: usize,
    /// Top.
    pub y: f64,
    /// Length.
    pub width: f64,
    /// Where the count is written.
    pub text_x: f64,
}

/// A horizontal bar chart of counts.
#[derive(Debug, Clone, Serialize)]
pub struct BarChart {
    /// Element id prefix.
    pub id: String,
    /// Title.
    pub title: String,
    /// A text alternative stating the numbers.
    pub desc: String,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// Left edge of the bars.
    pub left: f64,
    /// Bar height.
    pub bar_height: f64,
    /// Bars.
    pub bars: Vec<Bar>,
}

/// Lays out a bar chart of counts.
pub fn bar_chart(id: &str, title: &str, bars: &[(String, usize)]) -> BarChart {
    let left = 120.0;
    let row = 34.0;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let span = WIDTH - left - 60.0;
    BarChart {
        id: id.into(),
        title: title.into(),
        desc: format!(
            "Bar chart. {}.",
            bars.iter()
                .map(|(l, v)| format!("{l}: {v} councils"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        width: WIDTH,
        height: row * bars.len() as f64 + 10.0,
        left,
        bar_height: row - 10.0,
        bars: bars
            .iter()
            .enumerate()
            .map(|(i, (label, value))| {
                let width = round1(span * *value as f64 / max);
                Bar {
                    label: label.clone(),
                    value: *value,
                    y: 5.0 + row * i as f64,
                    width,
                    text_x: round1(left + width + 6.0),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_chart_places_scores_on_the_axis_and_describes_them() {
        let c = strip_chart(
            "t",
            "T",
            &[("A".into(), vec![(0.0, "a".into()), (100.0, "b".into())])],
        );
        assert_eq!(c.rows[0].points[0].x, LEFT);
        assert_eq!(c.rows[0].points[1].x, WIDTH - RIGHT);
        assert_eq!(c.rows[0].mean_x, Some(x_of(50.0)));
        assert!(c.desc.contains("A: 2 councils, mean 50.0, median 50.0"));
    }

    #[test]
    fn bar_chart_scales_to_the_largest_count() {
        let c = bar_chart("t", "T", &[("4 stars".into(), 2), ("3 stars".into(), 1)]);
        assert_eq!(c.bars[0].width, round1(WIDTH - 120.0 - 60.0));
        assert_eq!(c.bars[1].width, round1((WIDTH - 120.0 - 60.0) / 2.0));
        assert!(c.desc.contains("4 stars: 2 councils"));
    }
}
