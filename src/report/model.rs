//! View models: what the templates and exporters see. Built once from the stored run and its
//! scores; templates never see domain types (zola's rule), so a template cannot reach past what
//! the report means to show.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::stats;
use super::svg::{self, BarChart, StripChart};
use crate::audit::SiteAssessment;
use crate::audit::a11y::{Finding, Outcome};
use crate::audit::tasks::Answer;
use crate::ruleset::Ruleset;
use crate::score::{Dimension, SiteScore};
use crate::sites::CouncilType;
use crate::store::RunInfo;

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

/// Rounds to one decimal place (what reports show; data files keep full precision).
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A URL fit for an `href`: only http(s), so a crawled `javascript:` URL is shown, never linked.
pub(crate) fn web_href(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

/// A link to a council.
#[derive(Debug, Clone, Serialize)]
pub struct CouncilLink {
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Its page, relative to the report root.
    pub href: String,
    /// Its type code.
    pub type_code: String,
}

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

/// One question's answer on a council page.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    /// Question id.
    pub id: String,
    /// The question.
    pub text: String,
    /// "Yes", "No" or "Not tested".
    pub answer: String,
    /// `yes`, `no` or `not-tested` (a CSS class).
    pub answer_class: String,
    /// Whether failing it caps the task.
    pub essential: bool,
    /// The page that shows it.
    pub evidence_url: Option<String>,
    /// The same, when it is safe to link (http or https).
    pub evidence_href: Option<String>,
    /// Why.
    pub reason: String,
}

/// One task on a council page.
#[derive(Debug, Clone, Serialize)]
pub struct CouncilTaskView {
    /// Task id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The task's page, relative to the report root.
    pub href: String,
    /// The council's stars.
    pub stars: StarsView,
    /// Mean stars of councils of the same type.
    pub type_avg: Option<f64>,
    /// Mean stars of all councils.
    pub all_avg: Option<f64>,
    /// The task page found.
    pub page_url: Option<String>,
    /// The same, when it is safe to link.
    pub page_href: Option<String>,
    /// Why it was taken as the task page.
    pub reason: String,
    /// Yes answers.
    pub yes: u32,
    /// No answers.
    pub no: u32,
    /// Not tested.
    pub not_tested: u32,
    /// Caps that applied, as sentences.
    pub caps: Vec<String>,
    /// The answers.
    pub questions: Vec<QuestionView>,
}

/// Where a finding was seen.
#[derive(Debug, Clone, Serialize)]
pub struct FindingPlace {
    /// The page's URL.
    pub url: String,
    /// The same, when it is safe to link.
    pub href: Option<String>,
    /// The page's title, when known.
    pub title: Option<String>,
    /// The element's selector.
    pub selector: String,
    /// The element's markup.
    pub snippet: String,
}

/// The findings of one rule on one council's site.
#[derive(Debug, Clone, Serialize)]
pub struct RuleGroupView {
    /// Rule id.
    pub rule: String,
    /// WCAG success criteria, e.g. "1.1.1".
    pub wcag: String,
    /// Worst impact.
    pub impact: String,
    /// "Failed" or "Needs review".
    pub outcome: String,
    /// Findings.
    pub count: usize,
    /// What is wrong (the first finding's message).
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// Where, at most [`MAX_PLACES`].
    pub places: Vec<FindingPlace>,
    /// Places left out of `places`.
    pub more: usize,
}

/// Places listed per rule on a council page.
pub const MAX_PLACES: usize = 10;

/// A dimension beside the averages.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionView {
    /// Key.
    pub key: String,
    /// Label.
    pub label: String,
    /// The council's stars and score.
    pub stars: StarsView,
    /// Mean score (0–100) of councils of the same type.
    pub type_avg: Option<f64>,
    /// Mean score (0–100) of all councils.
    pub all_avg: Option<f64>,
}

/// A service with no page found.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceView {
    /// LGSL code.
    pub lgsl: u32,
    /// Title.
    pub title: String,
}

/// One council, for the league table and its own page.
#[derive(Debug, Clone, Serialize)]
pub struct CouncilView {
    /// Slug.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Its page, relative to the report root.
    pub href: String,
    /// Type code.
    pub type_code: String,
    /// Type label.
    pub type_label: String,
    /// The type in a sentence's plural ("shire district councils").
    pub type_plural: String,
    /// Nation ("" when unknown).
    pub nation: String,
    /// Region ("" when unknown).
    pub region: String,
    /// Home page.
    pub homepage: String,
    /// The same, when it is safe to link.
    pub homepage_href: Option<String>,
    /// Why it could not be surveyed.
    pub failure: Option<String>,
    /// How its crawl went.
    pub crawl: CrawlView,
    /// National rank.
    pub rank: Option<u32>,
    /// Rank within its type.
    pub type_rank: Option<u32>,
    /// Councils of its type that were ranked.
    pub type_count: usize,
    /// Councils ranked nationally.
    pub rank_count: usize,
    /// Overall.
    pub overall: StarsView,
    /// Whether 4 stars were withheld for want of an accessibility pass.
    pub four_stars_withheld: bool,
    /// Accessibility pass: "Yes", "No" or "Not tested".
    pub accessibility_pass: String,
    /// The four dimensions.
    pub dimensions: Vec<DimensionView>,
    /// Tasks.
    pub tasks: Vec<CouncilTaskView>,
    /// Accessibility findings grouped by rule, worst first: failed WCAG criteria and review
    /// items.
    pub findings: Vec<RuleGroupView>,
    /// Best-practice findings grouped by rule: shown apart, never counted in the score.
    pub best_practice: Vec<RuleGroupView>,
    /// Pages fetched.
    pub pages_fetched: u32,
    /// Pages audited for accessibility.
    pub pages_audited: u32,
    /// Critical failures.
    pub critical: u32,
    /// Serious failures.
    pub serious: u32,
    /// Services found.
    pub services_found: usize,
    /// Services looked for.
    pub services_total: usize,
    /// Services not found.
    pub services_missing: Vec<ServiceView>,
    /// The accessibility statement and Welsh-language checks.
    pub duties: super::duties::DutiesView,
}

/// What a council's page shows besides its assessment: its findings, its pages' titles (evidence
/// is named by them) and its fetches.
#[derive(Clone, Copy)]
pub struct Evidence<'a> {
    /// Accessibility findings: (page URL, finding).
    pub findings: &'a [(String, Finding)],
    /// Page titles by URL.
    pub titles: Option<&'a HashMap<String, String>>,
    /// Every fetch of the council.
    pub pages: &'a [&'a crate::store::PageLogRow],
}

/// How a council's crawl went: pages by outcome, what was left out, and the failed pages.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CrawlView {
    /// Pages by outcome, outcomes with none left out.
    pub outcomes: Vec<OutcomeRow>,
    /// Pages that failed.
    pub failed_count: u32,
    /// Notes on what the crawl left out (robots.txt, budgets, traps, a host given up).
    pub notes: Vec<String>,
    /// The failed pages (at most [`MAX_FAILED_PAGES`]).
    pub failed: Vec<FailedPageView>,
    /// Failed pages not listed.
    pub failed_more: usize,
}

/// Pages with one outcome.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeRow {
    /// The outcome, for people.
    pub label: String,
    /// Whether it counts as a failure.
    pub failure: bool,
    /// Pages.
    pub count: u32,
}

/// A page that failed.
#[derive(Debug, Clone, Serialize)]
pub struct FailedPageView {
    /// The URL.
    pub url: String,
    /// The same, when it is safe to link.
    pub href: Option<String>,
    /// HTTP status, or "–".
    pub status: String,
    /// The outcome, for people.
    pub outcome: String,
    /// Why it failed.
    pub error: String,
}

/// Failed pages listed on a council's page (the rest are in `data/pages.csv`).
pub const MAX_FAILED_PAGES: usize = 20;

fn crawl_view(c: &crate::audit::CrawlSummary, pages: &[&crate::store::PageLogRow]) -> CrawlView {
    use crate::crawl::PageOutcome;
    let outcomes = PageOutcome::ALL
        .into_iter()
        .map(|o| OutcomeRow {
            label: o.label().into(),
            failure: o.is_failure(),
            count: c.pages(o),
        })
        .filter(|r| r.count > 0)
        .collect();
    let mut notes = Vec::new();
    if c.robots_blocked > 0 {
        notes.push(format!(
            "{} links were not followed because the site's robots.txt disallows them.",
            c.robots_blocked
        ));
    }
    for b in &c.budgets_hit {
        notes.push(match b.as_str() {
            "pages" => "The page budget ran out with links still to follow.".into(),
            "depth" => "Links deeper than the click budget were left out.".into(),
            "time" => "The time budget for one site ran out.".into(),
            "bytes" => "Some pages were cut off at the size budget.".into(),
            other => format!("The {other} budget was reached."),
        });
    }
    if c.traps_skipped > 0 {
        notes.push(format!(
            "{} links were left out as an endless URL space (calendars, session ids, repeated path segments).",
            c.traps_skipped
        ));
    }
    if let Some(why) = &c.host_given_up {
        notes.push(format!("The site was given up: {why}."));
    }
    let failed: Vec<&&crate::store::PageLogRow> = pages
        .iter()
        .filter(|p| PageOutcome::parse(&p.outcome).is_none_or(|o| o.is_failure()))
        .collect();
    CrawlView {
        outcomes,
        failed_count: c.pages_failed(),
        notes,
        failed_more: failed.len().saturating_sub(MAX_FAILED_PAGES),
        failed: failed
            .iter()
            .take(MAX_FAILED_PAGES)
            .map(|p| FailedPageView {
                url: p.url.clone(),
                href: web_href(&p.url),
                status: if p.status == 0 {
                    "–".into()
                } else {
                    p.status.to_string()
                },
                outcome: PageOutcome::parse(&p.outcome)
                    .map_or_else(|| p.outcome.clone(), |o| o.label().to_string()),
                // The crawl's messages start with the URL, which the row already shows.
                error: p.error.as_deref().map_or_else(String::new, |e| {
                    e.strip_prefix(p.url.as_str())
                        .or_else(|| e.strip_prefix(p.final_url.as_str()))
                        .and_then(|rest| rest.strip_prefix(": "))
                        .unwrap_or(e)
                        .to_string()
                }),
            })
            .collect(),
    }
}

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

/// A council that could not be scored.
#[derive(Debug, Clone, Serialize)]
pub struct Unscored {
    /// Link.
    pub council: CouncilLink,
    /// Why.
    pub reason: String,
}

/// Everything a report shows: the one input of every exporter.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    /// About the run.
    pub meta: MetaView,
    /// The headline.
    pub headline: Headline,
    /// Councils, ranked first (by rank), then those without stars.
    pub councils: Vec<CouncilView>,
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
    /// Flat tables for researchers.
    pub tables: super::data::Tables,
    /// This run against the newest earlier finished run with the same ruleset, if any.
    pub year_on_year: Option<super::CompareData>,
}

/// What the model is built from: one run's assessments, scores and findings.
pub struct Inputs<'a> {
    /// The run.
    pub run: &'a RunInfo,
    /// The ruleset.
    pub ruleset: &'a Ruleset,
    /// Assessments, in site order.
    pub assessments: &'a [SiteAssessment],
    /// Their scores, in the same order.
    pub scores: &'a [SiteScore],
    /// Findings per site slug: (page URL, finding).
    pub findings: &'a HashMap<String, Vec<(String, Finding)>>,
    /// Page titles per site slug: URL → title.
    pub titles: &'a HashMap<String, HashMap<String, String>>,
    /// Sites in the run that have no assessment (not surveyed yet).
    pub pending: &'a [crate::sites::Site],
    /// Every fetch of the run, in site order.
    pub pages: &'a [crate::store::PageLogRow],
}

/// Makes a slug safe as a file name.
pub(crate) fn file_slug(slug: &str) -> String {
    let s: String = slug
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "council".into() } else { s }
}

fn council_href(slug: &str) -> String {
    format!("councils/{}.html", file_slug(slug))
}

fn task_href(id: &str) -> String {
    format!("tasks/{}.html", file_slug(id))
}

fn link(a: &SiteAssessment) -> CouncilLink {
    CouncilLink {
        slug: a.site.slug.clone(),
        name: a.site.name.clone(),
        href: council_href(&a.site.slug),
        type_code: a.site.council_type.code().into(),
    }
}

/// How to fix a rule's findings: the rule's own advice (which names the element and the fix);
/// for ids the registry no longer knows (older runs), a short list, else the WCAG criteria.
fn fix_for(rule: &str, wcag: &str) -> String {
    if let Some(info) = crate::audit::a11y::rule_info(rule) {
        return info.advice.to_string();
    }
    let fix = match rule {
        "image-alt" => {
            "Give every informative image an alt text that says what it shows; give decorative images alt=\"\"."
        }
        "html-has-lang" | "html-lang-valid" => {
            "Set the page language on the html element, e.g. lang=\"en-GB\"."
        }
        "document-title" => "Give each page a unique title that says what the page is for.",
        "label" | "form-label" => {
            "Give every form field a visible label tied to it with <label for> or aria-labelledby."
        }
        "link-name" => {
            "Give every link text that makes sense on its own (not just an icon or an image without alt)."
        }
        "button-name" => "Give every button a text or an aria-label.",
        "color-contrast" => {
            "Raise the contrast of text against its background to at least 4.5:1 (3:1 for large text)."
        }
        "heading-order" => "Use headings in order without skipping levels.",
        "duplicate-id" => "Give each id on a page a unique value.",
        "meta-viewport" => {
            "Do not stop people zooming: remove user-scalable=no and maximum-scale below 2."
        }
        "frame-title" => "Give every iframe a title that says what it holds.",
        "link-purpose" | "link-in-text" => {
            "Replace \"click here\" and \"read more\" with text that names the destination."
        }
        "accessibility-statement" => {
            "Publish an accessibility statement and link to it from every page."
        }
        _ => "",
    };
    if fix.is_empty() {
        if wcag.is_empty() {
            "See the rule's documentation.".into()
        } else {
            format!(
                "Meet WCAG 2.2 success criterion {wcag}; see the W3C's Understanding WCAG 2.2 page for it."
            )
        }
    } else {
        fix.into()
    }
}

fn group_findings(
    findings: &[(String, Finding)],
    titles: Option<&HashMap<String, String>>,
) -> Vec<RuleGroupView> {
    let mut by_rule: BTreeMap<&str, Vec<&(String, Finding)>> = BTreeMap::new();
    for f in findings {
        by_rule.entry(f.1.rule.as_str()).or_default().push(f);
    }
    let mut groups: Vec<(crate::audit::a11y::Impact, bool, RuleGroupView)> = by_rule
        .into_iter()
        .map(|(rule, list)| {
            let worst = list
                .iter()
                .map(|f| f.1.impact)
                .min()
                .unwrap_or(crate::audit::a11y::Impact::Minor);
            let failed = list.iter().any(|f| f.1.outcome == Outcome::Failed);
            let first = &list[0].1;
            let wcag = first.wcag.join(", ");
            let places: Vec<FindingPlace> = list
                .iter()
                .take(MAX_PLACES)
                .map(|(url, f)| FindingPlace {
                    url: url.clone(),
                    href: web_href(url),
                    title: titles.and_then(|t| t.get(url)).cloned(),
                    selector: f.selector.clone(),
                    snippet: f.snippet.clone(),
                })
                .collect();
            (
                worst,
                failed,
                RuleGroupView {
                    rule: rule.into(),
                    fix: fix_for(rule, &wcag),
                    wcag,
                    impact: worst.as_str().into(),
                    outcome: if failed { "Failed" } else { "Needs review" }.into(),
                    count: list.len(),
                    message: first.message.clone(),
                    more: list.len().saturating_sub(MAX_PLACES),
                    places,
                },
            )
        })
        .collect();
    // Failures before "needs review", then worst impact, then most findings.
    groups.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(a.0.cmp(&b.0))
            .then(b.2.count.cmp(&a.2.count))
    });
    groups.into_iter().map(|g| g.2).collect()
}

fn answer_view(answer: Answer) -> (&'static str, &'static str) {
    match answer {
        Answer::Yes => ("Yes", "yes"),
        Answer::No => ("No", "no"),
        Answer::NotTested => ("Not tested", "not-tested"),
    }
}

fn mean_u8(xs: impl Iterator<Item = u8>) -> Option<f64> {
    let v: Vec<f64> = xs.map(f64::from).collect();
    stats::mean(&v).map(round2)
}

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

/// Builds one council's view.
pub fn council_view(
    a: &SiteAssessment,
    s: &SiteScore,
    ruleset: &Ruleset,
    av: &Averages,
    (type_count, rank_count): (usize, usize),
    evidence: &Evidence<'_>,
) -> CouncilView {
    let Evidence {
        findings,
        titles,
        pages,
    } = *evidence;
    let (best_practice, wcag_findings): (Vec<_>, Vec<_>) = findings
        .iter()
        .cloned()
        .partition(|(_, f)| f.is_best_practice());
    let code = a.site.council_type.code().to_string();
    let tasks = a
        .tasks
        .iter()
        .map(|r| {
            let task = ruleset.task(&r.task);
            let ts = s.task(&r.task);
            CouncilTaskView {
                id: r.task.clone(),
                title: task.map_or_else(|| r.task.clone(), |t| t.title.clone()),
                href: task_href(&r.task),
                stars: StarsView::new(ts.and_then(|t| t.stars), ts.and_then(|t| t.share)),
                type_avg: av
                    .task_by_type
                    .get(&(code.clone(), r.task.clone()))
                    .copied(),
                all_avg: av.task_all.get(&r.task).copied(),
                page_url: r.page_url.clone(),
                page_href: r.page_url.as_deref().and_then(web_href),
                reason: r.reason.clone(),
                yes: ts.map_or(0, |t| t.yes),
                no: ts.map_or(0, |t| t.no),
                not_tested: ts.map_or(0, |t| t.not_tested),
                caps: ts
                    .map(|t| {
                        t.binding_caps(&ruleset.scoring)
                            .iter()
                            .map(|c| {
                                let text = c.explain(&ruleset.scoring);
                                let mut chars = text.chars();
                                chars.next().map_or_else(String::new, |f| {
                                    format!("{}{}.", f.to_uppercase(), chars.as_str())
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                questions: r
                    .answers
                    .iter()
                    .map(|qa| {
                        let q = task.and_then(|t| t.questions.iter().find(|q| q.id == qa.question));
                        let (answer, class) = answer_view(qa.answer);
                        QuestionView {
                            id: qa.question.clone(),
                            text: q.map_or_else(|| qa.question.clone(), |q| q.text.clone()),
                            answer: answer.into(),
                            answer_class: class.into(),
                            essential: q.is_some_and(|q| q.essential),
                            evidence_url: qa.evidence_url.clone(),
                            evidence_href: qa.evidence_url.as_deref().and_then(web_href),
                            reason: qa.reason.clone(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let dimensions = s
        .dimensions
        .iter()
        .map(|d| DimensionView {
            key: d.dimension.key().into(),
            label: d.dimension.label().into(),
            stars: StarsView::new(d.stars, d.value),
            type_avg: av
                .dim_by_type
                .get(&(code.clone(), d.dimension.key().into()))
                .copied(),
            all_avg: av.dim_all.get(d.dimension.key()).copied(),
        })
        .collect();
    let services_missing = a
        .coverage
        .services
        .iter()
        .filter(|x| x.url.is_none())
        .map(|x| ServiceView {
            lgsl: x.lgsl,
            title: x.title.clone(),
        })
        .collect();
    CouncilView {
        slug: a.site.slug.clone(),
        name: a.site.name.clone(),
        href: council_href(&a.site.slug),
        type_code: code.clone(),
        type_label: a.site.council_type.label().into(),
        type_plural: a.site.council_type.plural().into(),
        nation: a.site.nation.clone().unwrap_or_default(),
        region: a.site.region.clone().unwrap_or_default(),
        homepage: a.site.homepage.to_string(),
        homepage_href: web_href(a.site.homepage.as_str()),
        failure: a.failure.clone(),
        crawl: crawl_view(&a.crawl, pages),
        rank: s.rank,
        type_rank: s.type_rank,
        type_count,
        rank_count,
        overall: StarsView::new(s.stars, s.value),
        four_stars_withheld: s.four_stars_withheld,
        accessibility_pass: match s.accessibility_pass {
            Some(true) => "Yes",
            Some(false) => "No",
            None => "Not tested",
        }
        .into(),
        dimensions,
        tasks,
        findings: group_findings(&wcag_findings, titles),
        best_practice: group_findings(&best_practice, titles),
        pages_fetched: a.pages_fetched,
        pages_audited: a.a11y.pages_audited,
        critical: a.a11y.critical,
        serious: a.a11y.serious,
        services_found: a
            .coverage
            .services
            .iter()
            .filter(|x| x.url.is_some())
            .count(),
        services_total: a.coverage.services.len(),
        services_missing,
        duties: super::duties::duties_view(&a.digital, ruleset),
    }
}

fn pct(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| round1(100.0 * part as f64 / whole as f64))
}

fn task_view(task: &crate::ruleset::Task, pairs: &[(&SiteAssessment, &SiteScore)]) -> TaskView {
    let with: Vec<(&SiteAssessment, u8, f64)> = pairs
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
                .filter(|w| w.0.site.council_type == *t)
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
    let mut best: Vec<&(&SiteAssessment, u8, f64)> =
        with.iter().filter(|w| Some(w.1) == top).collect();
    best.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.site.name.cmp(&b.0.site.name)));
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
pub fn divide(assessments: &[SiteAssessment], scores: &[SiteScore]) -> DivideView {
    use CouncilType as T;
    let names: HashMap<&str, &str> = assessments
        .iter()
        .map(|a| (a.site.slug.as_str(), a.site.name.as_str()))
        .collect();
    let scored: Vec<(&SiteAssessment, &SiteScore)> = assessments
        .iter()
        .zip(scores)
        .filter(|(_, s)| s.value.is_some())
        .collect();
    let of = |f: &dyn Fn(&SiteAssessment) -> bool| -> Vec<&SiteScore> {
        scored
            .iter()
            .filter(|(a, _)| f(a))
            .map(|(_, s)| *s)
            .collect()
    };
    let sd = of(&|a| a.site.council_type == T::SD);
    let upper = of(&|a| matches!(a.site.council_type, T::CC | T::EU | T::MD | T::LB));
    let two = of(&|a| a.site.council_type.is_two_tier());
    let single = of(&|a| !a.site.council_type.is_two_tier());
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
        .map(|&t| (t, of(&|a: &SiteAssessment| a.site.council_type == t)))
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
                    .filter(|(a, _)| a.site.council_type == t)
                    .filter_map(|(a, s)| s.value.map(|v| (v * 100.0, a.site.name.clone())))
                    .collect();
                (!pts.is_empty()).then(|| (t.code().to_string(), pts))
            })
            .collect::<Vec<_>>(),
    );
    let places = |key: &dyn Fn(&SiteAssessment) -> Option<String>| -> Vec<PlaceRow> {
        let mut names: BTreeSet<String> = BTreeSet::new();
        for (a, _) in &scored {
            if let Some(k) = key(a) {
                names.insert(k);
            }
        }
        names
            .into_iter()
            .map(|place| {
                let here = |f: &dyn Fn(&SiteAssessment) -> bool| -> Vec<&SiteScore> {
                    scored
                        .iter()
                        .filter(|(a, _)| key(a).as_deref() == Some(place.as_str()) && f(a))
                        .map(|(_, s)| *s)
                        .collect()
                };
                let all = group_stats(&place, &here(&|_| true));
                let districts =
                    group_stats("Shire districts", &here(&|a| a.site.council_type == T::SD));
                let others = group_stats("Others", &here(&|a| a.site.council_type != T::SD));
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
    let by_nation = places(&|a| a.site.nation.clone());
    let by_region = places(&|a| a.site.region.clone());
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

/// Builds the whole report model.
pub fn build(inputs: &Inputs<'_>) -> ReportData {
    let Inputs {
        run,
        ruleset,
        assessments,
        scores,
        findings,
        titles,
        pending,
        pages,
    } = inputs;
    let mut pages_by_site: HashMap<&str, Vec<&crate::store::PageLogRow>> = HashMap::new();
    for p in pages.iter() {
        pages_by_site
            .entry(p.site_slug.as_str())
            .or_default()
            .push(p);
    }
    let av = averages(scores);
    let mut type_counts: HashMap<CouncilType, usize> = HashMap::new();
    for s in scores.iter().filter(|s| s.rank.is_some()) {
        *type_counts.entry(s.council_type).or_default() += 1;
    }
    let empty = Vec::new();
    let mut order: Vec<usize> = (0..assessments.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&scores[i], &scores[j]);
        match (a.rank, b.rank) {
            (Some(x), Some(y)) => x
                .cmp(&y)
                .then(assessments[i].site.name.cmp(&assessments[j].site.name)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => assessments[i].site.name.cmp(&assessments[j].site.name),
        }
    });
    let councils: Vec<CouncilView> = order
        .iter()
        .map(|&i| {
            let a = &assessments[i];
            council_view(
                a,
                &scores[i],
                ruleset,
                &av,
                (
                    type_counts.get(&a.site.council_type).copied().unwrap_or(0),
                    scores.iter().filter(|s| s.rank.is_some()).count(),
                ),
                &Evidence {
                    findings: findings.get(&a.site.slug).unwrap_or(&empty),
                    titles: titles.get(&a.site.slug),
                    pages: pages_by_site
                        .get(a.site.slug.as_str())
                        .map_or(&[][..], Vec::as_slice),
                },
            )
        })
        .collect();
    let mut unscored: Vec<Unscored> = assessments
        .iter()
        .zip(scores.iter())
        .filter(|(_, s)| s.stars.is_none())
        .map(|(a, _)| Unscored {
            council: link(a),
            reason: a
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
    let pairs: Vec<(&SiteAssessment, &SiteScore)> = assessments.iter().zip(scores.iter()).collect();
    let tasks: Vec<TaskView> = ruleset.tasks.iter().map(|t| task_view(t, &pairs)).collect();
    let divide = divide(assessments, scores);
    let scored: Vec<&SiteScore> = scores.iter().filter(|s| s.stars.is_some()).collect();
    let n_3_4 = scored
        .iter()
        .filter(|s| s.stars.is_some_and(|x| x >= 3))
        .count();
    let best = order
        .iter()
        .filter(|&&i| scores[i].rank == Some(1))
        .map(|&i| link(&assessments[i]))
        .collect();
    let present: BTreeSet<CouncilType> = assessments.iter().map(|a| a.site.council_type).collect();
    let nations: BTreeSet<String> = assessments
        .iter()
        .filter_map(|a| a.site.nation.clone())
        .collect();
    ReportData {
        meta: MetaView::new(Some(run), ruleset),
        headline: Headline {
            total: assessments.len() + pending.len(),
            scored: scored.len(),
            n_3_4,
            pct_3_4: pct(n_3_4, scored.len()),
            n_4: scored.iter().filter(|s| s.stars == Some(4)).count(),
            best,
            divide: divide.sentence.clone(),
        },
        tables: super::data::tables(assessments, scores, findings, pages, ruleset),
        year_on_year: None,
        councils,
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
    }
}
