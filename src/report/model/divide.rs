//! The district–county divide: groups of councils compared with bootstrap intervals and effect
//! sizes, by type, nation and region.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::figures::{mean_u8, pct};
use crate::report::format::{round1, round2};
use crate::report::stats;
use crate::report::svg::{self, StripChart};
use crate::score::{Dimension, SiteScore};
use crate::sites::{CouncilType, Site};

/// Summary statistics of one group's overall scores (0–100).
#[derive(Debug, Clone, Serialize)]
pub struct GroupStats {
    /// The group's name.
    pub label: String,
    /// Councils.
    pub n: usize,
    /// Mean score.
    pub mean: Option<f64>,
    /// Median score.
    pub median: Option<f64>,
    /// 95 % bootstrap interval of the mean, low end.
    pub ci_low: Option<f64>,
    /// High end.
    pub ci_high: Option<f64>,
    /// Mean overall stars.
    pub mean_stars: Option<f64>,
    /// Percent at 3–4 stars.
    pub pct_3_4: Option<f64>,
}

/// One dimension's gap between two groups.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionGap {
    /// Label.
    pub label: String,
    /// Group A's mean score.
    pub a: Option<f64>,
    /// Group B's mean score.
    pub b: Option<f64>,
    /// A − B.
    pub gap: Option<f64>,
}

/// One comparison of two groups of councils.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Anchor id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// The first group (the districts or two-tier councils).
    pub a: GroupStats,
    /// The second group.
    pub b: GroupStats,
    /// mean(A) − mean(B), score points.
    pub diff: Option<f64>,
    /// 95 % bootstrap interval of the difference, low end.
    pub diff_ci_low: Option<f64>,
    /// High end.
    pub diff_ci_high: Option<f64>,
    /// Cliff's delta of A against B.
    pub cliffs_delta: Option<f64>,
    /// Its magnitude in words.
    pub cliffs_magnitude: String,
    /// Cohen's d of A against B.
    pub cohens_d: Option<f64>,
    /// Per-dimension gaps.
    pub dimensions: Vec<DimensionGap>,
    /// The distributions.
    pub chart: StripChart,
    /// The result in one sentence.
    pub sentence: String,
}

/// A group's row in the by-nation or by-region table: the divide within it.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceRow {
    /// Nation or region.
    pub place: String,
    /// All councils there.
    pub all: GroupStats,
    /// Shire districts there.
    pub districts: GroupStats,
    /// Other councils there.
    pub others: GroupStats,
    /// Districts' mean − others' mean.
    pub gap: Option<f64>,
}

/// The district–county divide.
#[derive(Debug, Clone, Serialize)]
pub struct DivideView {
    /// SD against CC/EU/MD/LB; two-tier against single-tier.
    pub comparisons: Vec<Comparison>,
    /// Every type.
    pub by_type: Vec<GroupStats>,
    /// By nation.
    pub by_nation: Vec<PlaceRow>,
    /// By region.
    pub by_region: Vec<PlaceRow>,
    /// Scores by type, as a chart.
    pub type_chart: StripChart,
    /// The headline sentence.
    pub sentence: String,
}

/// Statistics of the overall scores of a group.
pub fn group_stats(label: &str, scores: &[&SiteScore]) -> GroupStats {
    let values: Vec<f64> = scores
        .iter()
        .filter_map(|s| s.value)
        .map(|v| v * 100.0)
        .collect();
    let ci = stats::bootstrap_mean_ci(&values);
    GroupStats {
        label: label.into(),
        n: values.len(),
        mean: stats::mean(&values).map(round1),
        median: stats::median(&values).map(round1),
        ci_low: ci.map(|c| round1(c.0)),
        ci_high: ci.map(|c| round1(c.1)),
        mean_stars: mean_u8(scores.iter().filter_map(|s| s.stars)),
        pct_3_4: pct(
            scores
                .iter()
                .filter(|s| s.stars.is_some_and(|x| x >= 3))
                .count(),
            scores.iter().filter(|s| s.stars.is_some()).count(),
        ),
    }
}

fn values(scores: &[&SiteScore]) -> Vec<f64> {
    scores
        .iter()
        .filter_map(|s| s.value)
        .map(|v| v * 100.0)
        .collect()
}

/// How a group of councils is named: in tables, in running text and on a chart's axis.
#[derive(Debug, Clone, Copy)]
pub struct GroupName<'a> {
    /// For tables: "Counties and unitaries (CC, EU, MD, LB)".
    pub label: &'a str,
    /// For sentences: "counties and unitaries (CC, EU, MD, LB)".
    pub phrase: &'a str,
    /// For a chart's axis: "CC, EU, MD, LB".
    pub short: &'a str,
}

/// Compares two groups of councils.
pub fn comparison(
    id: &str,
    title: &str,
    (na, a): (GroupName<'_>, &[&SiteScore]),
    (nb, b): (GroupName<'_>, &[&SiteScore]),
    names: &HashMap<&str, &str>,
) -> Comparison {
    let (la, lb) = (na.label, nb.label);
    let (va, vb) = (values(a), values(b));
    let ga = group_stats(la, a);
    let gb = group_stats(lb, b);
    let diff = match (stats::mean(&va), stats::mean(&vb)) {
        (Some(x), Some(y)) => Some(round1(x - y)),
        _ => None,
    };
    let ci = stats::bootstrap_diff_ci(&va, &vb);
    let delta = stats::cliffs_delta(&va, &vb).map(round2);
    let dimensions = Dimension::ALL
        .iter()
        .map(|&d| {
            let dv = |g: &[&SiteScore]| {
                let v: Vec<f64> = g
                    .iter()
                    .filter_map(|s| s.dimension(d).and_then(|x| x.value))
                    .map(|v| v * 100.0)
                    .collect();
                stats::mean(&v)
            };
            let (x, y) = (dv(a), dv(b));
            DimensionGap {
                label: d.label().into(),
                a: x.map(round1),
                b: y.map(round1),
                gap: x.zip(y).map(|(x, y)| round1(x - y)),
            }
        })
        .collect();
    let point = |s: &&SiteScore| {
        s.value.map(|v| {
            (
                v * 100.0,
                names
                    .get(s.slug.as_str())
                    .copied()
                    .unwrap_or(&s.slug)
                    .to_string(),
            )
        })
    };
    let chart = svg::strip_chart(
        id,
        &format!("Overall scores: {la} and {}", nb.phrase),
        &[
            (na.short.to_string(), a.iter().filter_map(point).collect()),
            (nb.short.to_string(), b.iter().filter_map(point).collect()),
        ],
    );
    let (pa, pb) = (na.phrase, nb.phrase);
    let sentence = match (ga.mean, gb.mean, diff) {
        (Some(ma), Some(mb), Some(d)) => {
            let ci_text = ci.map_or_else(String::new, |c| {
                format!(" (95 % CI {:.1} to {:.1})", c.0, c.1)
            });
            let delta_text = delta.map_or_else(String::new, |d| {
                format!("; Cliff's δ = {d:.2}, {}", stats::cliffs_magnitude(d))
            });
            format!(
                "{la} scored {ma:.1} out of 100 on average against {mb:.1} for {pb}, a gap of {d:+.1} points{ci_text}{delta_text}."
            )
        }
        _ => format!("There are not enough scored councils to compare {pa} with {pb}."),
    };
    Comparison {
        id: id.into(),
        title: title.into(),
        a: ga,
        b: gb,
        diff,
        diff_ci_low: ci.map(|c| round1(c.0)),
        diff_ci_high: ci.map(|c| round1(c.1)),
        cliffs_magnitude: delta.map_or_else(String::new, |d| stats::cliffs_magnitude(d).into()),
        cliffs_delta: delta,
        cohens_d: stats::cohens_d(&va, &vb).map(round2),
        dimensions,
        chart,
        sentence,
    }
}

/// The district–county divide of a set of scored councils.
pub fn divide(sites: &[Site], scores: &[SiteScore]) -> DivideView {
    use CouncilType as T;
    let names: HashMap<&str, &str> = sites
        .iter()
        .map(|a| (a.slug.as_str(), a.name.as_str()))
        .collect();
    let scored: Vec<(&Site, &SiteScore)> = sites
        .iter()
        .zip(scores)
        .filter(|(_, s)| s.value.is_some())
        .collect();
    let of = |f: &dyn Fn(&Site) -> bool| -> Vec<&SiteScore> {
        scored
            .iter()
            .filter(|(a, _)| f(a))
            .map(|(_, s)| *s)
            .collect()
    };
    let sd = of(&|a| a.council_type == T::SD);
    let upper = of(&|a| matches!(a.council_type, T::CC | T::EU | T::MD | T::LB));
    let two = of(&|a| a.council_type.is_two_tier());
    let single = of(&|a| !a.council_type.is_two_tier());
    let comparisons = vec![
        comparison(
            "districts",
            "Shire districts against counties and English single-tier councils",
            (
                GroupName {
                    label: "Shire districts (SD)",
                    phrase: "shire districts (SD)",
                    short: "SD",
                },
                &sd,
            ),
            (
                GroupName {
                    label: "Counties and unitaries (CC, EU, MD, LB)",
                    phrase: "counties and unitaries (CC, EU, MD, LB)",
                    short: "CC, EU, MD, LB",
                },
                &upper,
            ),
            &names,
        ),
        comparison(
            "tiers",
            "Two-tier against single-tier councils",
            (
                GroupName {
                    label: "Two-tier councils (SD, CC)",
                    phrase: "two-tier councils (SD, CC)",
                    short: "Two-tier",
                },
                &two,
            ),
            (
                GroupName {
                    label: "Single-tier councils (MD, EU, LB, SU, WU, NI)",
                    phrase: "single-tier councils (MD, EU, LB, SU, WU, NI)",
                    short: "Single-tier",
                },
                &single,
            ),
            &names,
        ),
    ];
    let by_type: Vec<GroupStats> = CouncilType::ALL
        .iter()
        .map(|&t| (t, of(&|a: &Site| a.council_type == t)))
        .filter(|(_, g)| !g.is_empty())
        .map(|(t, g)| group_stats(&format!("{} ({})", t.label(), t.code()), &g))
        .collect();
    let type_chart = svg::strip_chart(
        "by-type",
        "Overall scores by council type",
        &CouncilType::ALL
            .iter()
            .filter_map(|&t| {
                let pts: Vec<(f64, String)> = scored
                    .iter()
                    .filter(|(a, _)| a.council_type == t)
                    .filter_map(|(a, s)| s.value.map(|v| (v * 100.0, a.name.clone())))
                    .collect();
                (!pts.is_empty()).then(|| (t.code().to_string(), pts))
            })
            .collect::<Vec<_>>(),
    );
    let places = |key: &dyn Fn(&Site) -> Option<String>| -> Vec<PlaceRow> {
        let mut names: BTreeSet<String> = BTreeSet::new();
        for (a, _) in &scored {
            if let Some(k) = key(a) {
                names.insert(k);
            }
        }
        names
            .into_iter()
            .map(|place| {
                let here = |f: &dyn Fn(&Site) -> bool| -> Vec<&SiteScore> {
                    scored
                        .iter()
                        .filter(|(a, _)| key(a).as_deref() == Some(place.as_str()) && f(a))
                        .map(|(_, s)| *s)
                        .collect()
                };
                let all = group_stats(&place, &here(&|_| true));
                let districts = group_stats("Shire districts", &here(&|a| a.council_type == T::SD));
                let others = group_stats("Others", &here(&|a| a.council_type != T::SD));
                let gap = districts.mean.zip(others.mean).map(|(x, y)| round1(x - y));
                PlaceRow {
                    place,
                    all,
                    districts,
                    others,
                    gap,
                }
            })
            .collect()
    };
    let by_nation = places(&|a| a.nation.clone());
    let by_region = places(&|a| a.region.clone());
    let sentence = comparisons[0].sentence.clone();
    DivideView {
        comparisons,
        by_type,
        by_nation,
        by_region,
        type_chart,
        sentence,
    }
}
