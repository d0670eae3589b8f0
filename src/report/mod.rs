//! Reports: turn a stored run into what people read.
//!
//! [`render`] writes a static site that opens from disk: `index.html` (the headline and the
//! sortable, filterable league table), a page per council (stars per task beside the averages for
//! its type and for all councils, as Better Connected showed them; answers with evidence;
//! accessibility findings grouped by rule; services not found), a page per task, `divide.html`
//! (the district–county divide with bootstrap intervals and effect sizes, charts as inline SVG)
//! and `data/` (CSV and JSON tables with a data dictionary). [`compare`] writes the year-on-year
//! view; [`render_single`] and [`terminal_summary`] serve `civicscan check`.
//!
//! The flow is zola's: the store and the scores become view models ([`model`]); templates (in
//! `report-templates/`, compiled in) see only those; each output format is one [`Exporter`]. What
//! this stage does not do: decide answers or stars (audit, score) or write to the run's data,
//! except the scores, which [`run_report`] stores so the database holds what the report shows.

pub mod data;
pub mod duties;
mod error;
pub mod export;
mod format;
pub mod model;
pub mod stats;
mod stream;
pub mod svg;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use minijinja::context;
use serde::Serialize;

pub use error::ReportError;
pub use export::{CouncilData, CsvExporter, Exporter, HtmlExporter, JsonExporter};
pub use model::{CompareData, MAX_MOVERS, Mover, ReportData};

use crate::audit::SiteAssessment;
use crate::audit::a11y::Finding;
use crate::ruleset::{self, Ruleset};
use crate::score::{self, SiteScore};
use crate::store::{RunId, RunInfo, Store, StoreError};

/// What was written.
#[derive(Debug, Clone, Serialize)]
pub struct ReportSummary {
    /// The run reported.
    pub run: RunId,
    /// Councils in the run.
    pub councils: usize,
    /// Councils with stars.
    pub scored: usize,
    /// Councils at 3–4 stars.
    pub at_three_or_four: usize,
    /// Files written.
    pub files: Vec<PathBuf>,
    /// The page to open.
    pub index: PathBuf,
}

impl fmt::Display for ReportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "run {}: {} councils, {} scored, {} at 3–4 stars; {} files written; open {}",
            self.run,
            self.councils,
            self.scored,
            self.at_three_or_four,
            self.files.len(),
            self.index.display()
        )
    }
}

/// A run's councils as the report-wide pages need them: each assessed council, its summary
/// and its score, read one assessment at a time (a national run's assessments, with every
/// answer's reason, are too many to hold at once).
struct Summary {
    info: RunInfo,
    /// The assessed councils, in site order.
    sites: Vec<crate::sites::Site>,
    /// Their summaries, in the same order.
    councils: Vec<model::CouncilSummary>,
    /// Their scores, ranked, in the same order.
    scores: Vec<SiteScore>,
    /// The councils of the run not assessed.
    pending: Vec<crate::sites::Site>,
    /// Every council of the run in site order, with its place in `sites` when assessed.
    all: Vec<(String, Option<usize>)>,
}

/// Each assessed site's accessibility findings, by slug, with the URL of the page of each.
pub fn findings_by_site(
    store: &Store,
    run: RunId,
    assessments: &[SiteAssessment],
) -> Result<HashMap<String, Vec<(String, Finding)>>, StoreError> {
    assessments
        .iter()
        .map(|a| Ok((a.site.slug.clone(), store.findings(run, &a.site.slug)?)))
        .collect()
}

/// The titles of a site's stored pages, by URL: the report names evidence pages by them.
pub fn page_titles(
    store: &Store,
    run: RunId,
    slug: &str,
) -> Result<HashMap<String, String>, StoreError> {
    // From the pages' title column: decoding every page's facts for a title made a report of a
    // large run read gigabytes.
    store.page_titles(run, slug)
}

/// Reads and scores a run's councils with `ruleset`.
fn summarise(store: &Store, run: RunId, ruleset: &Ruleset) -> Result<Summary, ReportError> {
    let info = store.run(run)?;
    let (mut sites, mut councils, mut scores) = (Vec::new(), Vec::new(), Vec::new());
    store.for_each_assessment(run, |a| -> Result<(), ReportError> {
        scores.push(score::score_site(&a, ruleset));
        councils.push(model::CouncilSummary::of(&a));
        sites.push(a.site);
        Ok(())
    })?;
    // As `score::score_run` ranks them.
    score::rank(&mut scores);
    let at: HashMap<&str, usize> = sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.slug.as_str(), i))
        .collect();
    let (mut pending, mut all) = (Vec::new(), Vec::new());
    for (site, _) in store.sites(run)? {
        let i = at.get(site.slug.as_str()).copied();
        all.push((site.slug.clone(), i));
        if i.is_none() {
            pending.push(site);
        }
    }
    drop(at);
    Ok(Summary {
        info,
        sites,
        councils,
        scores,
        pending,
        all,
    })
}

/// Builds the report-wide view model of a run (what every exporter reads besides each
/// council's own data).
pub fn report_data(
    store: &Store,
    run: RunId,
    ruleset: &Ruleset,
) -> Result<ReportData, ReportError> {
    data_of(store, &summarise(store, run, ruleset)?, ruleset)
}

fn data_of(store: &Store, s: &Summary, ruleset: &Ruleset) -> Result<ReportData, ReportError> {
    let mut data = model::build(&model::Inputs {
        run: &s.info,
        ruleset,
        sites: &s.sites,
        councils: &s.councils,
        scores: &s.scores,
        pending: &s.pending,
    });
    data.year_on_year = match previous_comparable(store, &s.info)? {
        Some(earlier) => {
            let warnings = compare_checks(store, &store.run(earlier)?, &s.info)?;
            let then = summarise(store, earlier, ruleset)?;
            Some(compared(&then, s, ruleset, warnings))
        }
        None => None,
    };
    Ok(data)
}

/// The newest finished run before `info` with the same ruleset and at least one council
/// surveyed: what the report's year-on-year page compares with.
fn previous_comparable(store: &Store, info: &RunInfo) -> Result<Option<RunId>, ReportError> {
    for r in store.runs()?.into_iter().rev() {
        if r.id == info.id
            || r.finished_at.is_none()
            || r.ruleset_hash != info.ruleset_hash
            || (r.started_at.as_str(), r.id) >= (info.started_at.as_str(), info.id)
        {
            continue;
        }
        let c = store.run_counts(r.id)?;
        if c.sites_failed < c.sites {
            return Ok(Some(r.id));
        }
    }
    Ok(None)
}

/// Writes the report of a run under `out`: HTML, CSV and JSON.
pub fn render(
    store: &Store,
    run: RunId,
    ruleset: &Ruleset,
    out: &Path,
) -> Result<ReportSummary, ReportError> {
    let s = summarise(store, run, ruleset)?;
    let data = data_of(store, &s, ruleset)?;
    export_all(store, &s, &data, ruleset, out)
}

/// One council's parts of every format, from what the store holds of it.
type Parts = (
    <HtmlExporter as Exporter>::Part,
    <CsvExporter as Exporter>::Part,
    <JsonExporter as Exporter>::Part,
);

/// Writes every format of a report under `out`: each council read from the store, built,
/// written and dropped in turn (several at once, on threads with connections of their own),
/// then what is report-wide.
fn export_all(
    store: &Store,
    s: &Summary,
    data: &ReportData,
    ruleset: &Ruleset,
    out: &Path,
) -> Result<ReportSummary, ReportError> {
    let (html, csv, json) = (HtmlExporter::new(data)?, CsvExporter, JsonExporter);
    let mut sinks = (html.open(out)?, csv.open(out)?, json.open(out)?);
    let work = |store: &Store, i: usize| -> Result<Parts, ReportError> {
        with_council(store, s, data, ruleset, i, |c| {
            Ok((
                html.council(c, out)?,
                csv.council(c, out)?,
                json.council(c, out)?,
            ))
        })
    };
    stream::in_order(store, s.all.len(), &work, &mut |(h, c, j)| {
        html.append(&mut sinks.0, h)?;
        csv.append(&mut sinks.1, c)?;
        json.append(&mut sinks.2, j)
    })?;
    let mut files = html.finish(sinks.0, data, out)?;
    files.extend(csv.finish(sinks.1, data, out)?);
    files.extend(json.finish(sinks.2, data, out)?);
    Ok(ReportSummary {
        run: s.info.id,
        councils: data.headline.total,
        scored: data.headline.scored,
        at_three_or_four: data.headline.n_3_4,
        files,
        index: out.join("index.html"),
    })
}

/// Reads council `i` of the run (in site order) from the store, builds its page and its table
/// rows, and hands them to `export`.
fn with_council<P>(
    store: &Store,
    s: &Summary,
    data: &ReportData,
    ruleset: &Ruleset,
    i: usize,
    export: impl FnOnce(&CouncilData<'_>) -> Result<P, ReportError>,
) -> Result<P, ReportError> {
    let run = s.info.id;
    let (slug, at) = &s.all[i];
    let pages = store.site_page_log(run, slug)?;
    let Some(k) = *at else {
        // Not assessed: only its fetches, in the pages table.
        let tables = data::Tables {
            pages,
            ..data::Tables::default()
        };
        return export(&CouncilData {
            view: None,
            tables: &tables,
        });
    };
    let a = store
        .assessment(run, slug)?
        .ok_or_else(|| ReportError::Vanished {
            run,
            slug: slug.clone(),
        })?;
    let findings = store.findings(run, slug)?;
    let titles = store.page_titles(run, slug)?;
    let score = &s.scores[k];
    let view = model::council_view(
        &a,
        score,
        ruleset,
        &data.beside.averages,
        data.beside.counts(a.site.council_type),
        &model::Evidence {
            findings: &findings,
            titles: Some(&titles),
            pages: &pages.iter().collect::<Vec<_>>(),
        },
    );
    let tables = data::council_tables(&a, score, &findings, pages, ruleset);
    export(&CouncilData {
        view: Some(&view),
        tables: &tables,
    })
}

/// The ruleset a run is reported with: the one given (re-scoring a run with another ruleset is
/// allowed), else the run's own (its stored text; for older runs the built-in ruleset or the
/// run's source file when its hash still matches).
pub fn ruleset_for_run(info: &RunInfo, given: Option<Ruleset>) -> Result<Ruleset, ReportError> {
    if let Some(r) = given {
        return Ok(r);
    }
    ruleset::of_stored_run(
        info.ruleset_text.as_deref(),
        &info.ruleset_source,
        &info.ruleset_hash,
    )
    .ok()
    .flatten()
    .ok_or_else(|| ReportError::Ruleset {
        run: info.id,
        source_name: info.ruleset_source.clone(),
        hash: info.ruleset_hash.chars().take(12).collect(),
    })
}

fn open_existing(db: &Path) -> Result<Store, ReportError> {
    if !db.exists() {
        return Err(ReportError::NoDatabase {
            path: db.display().to_string(),
        });
    }
    Ok(Store::open(db)?)
}

/// `civicscan report`: picks the run (the newest finished one by default, else the newest),
/// scores and stores it, and writes the report.
pub fn run_report(
    db: &Path,
    run: Option<RunId>,
    ruleset: Option<Ruleset>,
    out: &Path,
) -> Result<ReportSummary, ReportError> {
    let mut store = open_existing(db)?;
    let info = match run {
        Some(id) => store.run(id)?,
        None => match store.latest_finished_run()? {
            Some(r) => r,
            None => store.latest_run()?.ok_or_else(|| ReportError::NoRun {
                path: db.display().to_string(),
            })?,
        },
    };
    let ruleset = ruleset_for_run(&info, ruleset)?;
    // Read and scored once, for the stored scores and the report alike.
    let mut s = summarise(&store, info.id, &ruleset)?;
    store.record_scores(info.id, &score::rows(&s.scores))?;
    s.info = store.run(info.id)?;
    let data = data_of(&store, &s, &ruleset)?;
    export_all(&store, &s, &data, &ruleset, out)
}

/// A run is flagged in comparisons when more than this share of its councils were not surveyed.
pub const COMPARE_MAX_FAILED_SHARE: f64 = 0.10;

/// Checks that two runs can be compared, earlier first: errors for the same run or the wrong
/// order, warnings for what makes the numbers less comparable.
pub fn compare_checks(store: &Store, a: &RunInfo, b: &RunInfo) -> Result<Vec<String>, ReportError> {
    if a.id == b.id {
        return Err(ReportError::Compare(format!(
            "compare needs two different runs; both are run {} (`civicscan runs` lists them)",
            a.id
        )));
    }
    if (a.started_at.as_str(), a.id) > (b.started_at.as_str(), b.id) {
        return Err(ReportError::Compare(format!(
            "run {} started after run {}; give the earlier run first: `civicscan compare {} {}`",
            a.id, b.id, b.id, a.id
        )));
    }
    let mut warnings = Vec::new();
    if a.ruleset_hash != b.ruleset_hash {
        warnings.push(format!(
            "the runs used different rulesets (run {}: {} {}, sha256 {}; run {}: {} {}, sha256 {}): \
             both are scored with run {}'s, but each found its task pages with its own rules",
            a.id,
            a.ruleset_name,
            a.ruleset_edition,
            a.ruleset_hash.chars().take(12).collect::<String>(),
            b.id,
            b.ruleset_name,
            b.ruleset_edition,
            b.ruleset_hash.chars().take(12).collect::<String>(),
            b.id
        ));
    }
    for info in [a, b] {
        if info.finished_at.is_none() {
            warnings.push(format!(
                "run {} is unfinished: only the councils it has assessed are compared",
                info.id
            ));
        }
        let c = store.run_counts(info.id)?;
        if c.sites > 0 && c.sites_failed as f64 > COMPARE_MAX_FAILED_SHARE * c.sites as f64 {
            warnings.push(format!(
                "run {}: {} of {} councils could not be surveyed, so its figures cover only part of the sector",
                info.id, c.sites_failed, c.sites
            ));
        }
    }
    Ok(warnings)
}

/// Builds the year-on-year view of two runs, both scored with `ruleset` so they compare.
pub fn compare_data(
    store: &Store,
    run_a: RunId,
    run_b: RunId,
    ruleset: &Ruleset,
) -> Result<CompareData, ReportError> {
    let warnings = compare_checks(store, &store.run(run_a)?, &store.run(run_b)?)?;
    let a = summarise(store, run_a, ruleset)?;
    let b = summarise(store, run_b, ruleset)?;
    Ok(compared(&a, &b, ruleset, warnings))
}

/// The year-on-year view of two runs' summaries, earlier first.
fn compared(a: &Summary, b: &Summary, ruleset: &Ruleset, warnings: Vec<String>) -> CompareData {
    model::year_on_year(
        model::RunScores {
            info: &a.info,
            sites: &a.sites,
            scores: &a.scores,
        },
        model::RunScores {
            info: &b.info,
            sites: &b.sites,
            scores: &b.scores,
        },
        ruleset,
        warnings,
    )
}

/// `civicscan compare`: writes `compare.html` (and `data/compare.json`) under `out`.
pub fn compare(
    store: &Store,
    run_a: RunId,
    run_b: RunId,
    ruleset: &Ruleset,
    out: &Path,
) -> Result<Vec<PathBuf>, ReportError> {
    let data = compare_data(store, run_a, run_b, ruleset)?;
    let env = export::environment()?;
    Ok(vec![
        export::render_to(
            &env,
            "compare.html",
            context! { root => "", meta => export::v(&data.run_b), single => false, d => export::v(&data) },
            &out.join("compare.html"),
        )?,
        export::write(
            &out.join("data").join("compare.json"),
            &serde_json::to_vec_pretty(&data).map_err(|source| ReportError::Json {
                path: out.join("data").join("compare.json").display().to_string(),
                source,
            })?,
        )?,
    ])
}

/// `civicscan compare` from the command line: opens the database and picks the ruleset of the
/// later run. Returns the files written and the warnings to show.
pub fn run_compare(
    db: &Path,
    run_a: RunId,
    run_b: RunId,
    ruleset: Option<Ruleset>,
    out: &Path,
) -> Result<(Vec<PathBuf>, Vec<String>), ReportError> {
    let store = open_existing(db)?;
    let info = store.run(run_b)?;
    let warnings = compare_checks(&store, &store.run(run_a)?, &info)?;
    let ruleset = ruleset_for_run(&info, ruleset)?;
    Ok((compare(&store, run_a, run_b, &ruleset, out)?, warnings))
}

/// The national scores of a stored run, for [`render_single`] and [`terminal_summary`].
pub fn national_scores(
    store: &Store,
    run: RunId,
    ruleset: &Ruleset,
) -> Result<Vec<SiteScore>, ReportError> {
    Ok(score::score_stored(store, run, ruleset)?)
}

/// Scores one council among the national ones (replacing its own earlier score, if any), so it
/// gets a rank among them.
fn place_among(
    assessment: &SiteAssessment,
    ruleset: &Ruleset,
    national: &[SiteScore],
) -> (SiteScore, Vec<SiteScore>) {
    let mut all: Vec<SiteScore> = national
        .iter()
        .filter(|s| s.slug != assessment.site.slug)
        .cloned()
        .collect();
    let own = score::score_site(assessment, ruleset);
    all.push(own);
    // A rank among no other councils would say nothing.
    if !national.is_empty() {
        score::rank(&mut all);
    }
    let own = all
        .iter()
        .find(|s| s.slug == assessment.site.slug)
        .cloned()
        .unwrap_or_else(|| score::score_site(assessment, ruleset));
    (own, all)
}

/// One council's evidence for [`render_single`]: what `civicscan check` stored.
#[derive(Debug, Clone, Copy)]
pub struct SingleCouncil<'a> {
    /// Its assessment.
    pub assessment: &'a SiteAssessment,
    /// Its accessibility findings, by page.
    pub findings: &'a [(String, Finding)],
    /// Page titles by URL.
    pub titles: &'a HashMap<String, String>,
    /// The pages fetched.
    pub pages: &'a [crate::store::PageLogRow],
    /// The run's stored settings (which pages were rendered in a browser), when known.
    pub run_settings: Option<&'a serde_json::Value>,
}

/// Writes one council's report (`index.html` under `out`) beside the national averages of
/// `national` (empty when the database holds no survey).
pub fn render_single(
    council: &SingleCouncil<'_>,
    ruleset: &Ruleset,
    national: &[SiteScore],
    out: &Path,
) -> Result<PathBuf, ReportError> {
    let SingleCouncil {
        assessment,
        findings,
        titles,
        pages,
        run_settings,
    } = *council;
    let (own, all) = place_among(assessment, ruleset, national);
    // Averages of the council alone would only repeat its own numbers.
    let av = if national.is_empty() {
        model::Averages::default()
    } else {
        model::averages(&all)
    };
    let type_count = all
        .iter()
        .filter(|s| s.council_type == own.council_type && s.rank.is_some())
        .count();
    let view = model::council_view(
        assessment,
        &own,
        ruleset,
        &av,
        (type_count, all.iter().filter(|s| s.rank.is_some()).count()),
        &model::Evidence {
            findings,
            titles: Some(titles),
            pages: &pages.iter().collect::<Vec<_>>(),
        },
    );
    let mut meta = model::MetaView::new(None, ruleset);
    if let Some(settings) = run_settings {
        meta.rendering = model::MetaView::rendering_of(settings);
    }
    let env = export::environment()?;
    export::render_to(
        &env,
        "council.html",
        context! { root => "", meta => export::v(&meta), c => export::v(&view), single => true },
        &out.join("index.html"),
    )
}

/// A terminal summary of one council, beside the national averages when `national` is not empty.
pub fn terminal_summary(
    assessment: &SiteAssessment,
    ruleset: &Ruleset,
    national: &[SiteScore],
) -> String {
    use std::fmt::Write as _;
    let (own, all) = place_among(assessment, ruleset, national);
    // Averages of the council alone would only repeat its own numbers.
    let av = if national.is_empty() {
        model::Averages::default()
    } else {
        model::averages(&all)
    };
    let code = assessment.site.council_type.code().to_string();
    let stars = |s: Option<u8>| model::StarsView::new(s, None).glyphs;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}, {})",
        assessment.site.name,
        assessment.site.council_type.label(),
        assessment.site.homepage
    );
    if let Some(f) = &assessment.failure {
        let _ = writeln!(out, "  not surveyed: {f}");
        return out;
    }
    let _ = writeln!(
        out,
        "  overall     {} {}{}",
        stars(own.stars),
        own.value
            .map_or("–".into(), |v| format!("{:.1}/100", v * 100.0)),
        match (own.rank, national.is_empty()) {
            (Some(r), false) => format!(
                "  (rank {r} of {}; national mean {})",
                all.iter().filter(|s| s.rank.is_some()).count(),
                av.overall_all.map_or("–".into(), |m| format!("{m:.1}"))
            ),
            _ => String::new(),
        }
    );
    for d in &own.dimensions {
        let _ = writeln!(
            out,
            "  {:<17} {} {}{}",
            d.dimension.label(),
            stars(d.stars),
            d.value.map_or("–".into(), |v| format!("{:.1}", v * 100.0)),
            av.dim_by_type
                .get(&(code.clone(), d.dimension.key().into()))
                .map_or(String::new(), |m| format!("  (type mean {m:.1})"))
        );
    }
    let _ = writeln!(
        out,
        "  accessibility pass: {}  (needed for 4 stars: {})",
        match own.accessibility_pass {
            Some(true) => "yes",
            Some(false) => "no",
            None => "not tested",
        },
        score::accessibility_pass_rule(&ruleset.scoring)
    );
    for t in &own.tasks {
        let title = ruleset
            .task(&t.task)
            .map_or(t.task.as_str(), |x| x.title.as_str());
        let _ = writeln!(
            out,
            "  task  {} {:<52} yes {} no {} not tested {}{}",
            stars(t.stars),
            title,
            t.yes,
            t.no,
            t.not_tested,
            av.task_by_type
                .get(&(code.clone(), t.task.clone()))
                .map_or(String::new(), |m| format!("  (type mean {m:.2}★)"))
        );
        // Stars that the yes/no counts alone do not explain.
        for cap in t.binding_caps(&ruleset.scoring) {
            let _ = writeln!(out, "              {}", cap.explain(&ruleset.scoring));
        }
    }
    for line in duties::terminal_lines(&assessment.digital) {
        let _ = writeln!(out, "{line}");
    }
    out
}
