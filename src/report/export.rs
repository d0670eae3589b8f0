//! One exporter per output format, all over the same [`ReportData`] (hyperfine's `Exporter`).

use std::path::{Path, PathBuf};

use minijinja::value::{Serde, Value};
use minijinja::{Environment, UndefinedBehavior, context};
use serde::Serialize;

use super::data::DICTIONARY;
use super::error::ReportError;
use super::format::file_slug;
use super::model::ReportData;

/// Writes one format of a report under an output folder.
pub trait Exporter {
    /// Writes the files; returns their paths.
    fn export(&self, data: &ReportData, out: &Path) -> Result<Vec<PathBuf>, ReportError>;
}

/// The templates, compiled into the binary so the command works from any directory.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../report-templates/base.html"),
    ),
    (
        "macros.html",
        include_str!("../../report-templates/macros.html"),
    ),
    (
        "index.html",
        include_str!("../../report-templates/index.html"),
    ),
    (
        "council.html",
        include_str!("../../report-templates/council.html"),
    ),
    (
        "duties.html",
        include_str!("../../report-templates/duties.html"),
    ),
    (
        "task.html",
        include_str!("../../report-templates/task.html"),
    ),
    (
        "divide.html",
        include_str!("../../report-templates/divide.html"),
    ),
    (
        "data.html",
        include_str!("../../report-templates/data.html"),
    ),
    (
        "compare.html",
        include_str!("../../report-templates/compare.html"),
    ),
];

/// A template value from a view model.
pub(crate) fn v<T: Serialize + ?Sized>(x: &T) -> Value {
    Value::from(Serde(x))
}

/// Formats an optional number with a fixed number of decimals, or an en dash when absent.
fn num(v: Option<f64>, digits: Option<usize>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{:.*}", digits.unwrap_or(1), x),
        _ => "–".into(),
    }
}

/// Like [`num`] with a sign.
fn gap(v: Option<f64>, digits: Option<usize>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{:+.*}", digits.unwrap_or(1), x),
        _ => "–".into(),
    }
}

/// A percentage with no decimals and a unit, or an en dash when absent.
fn pct(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x:.0} %"),
        _ => "–".into(),
    }
}

/// The template environment: autoescape by extension (all ours are `.html`), strict undefined so a
/// misspelt field fails a test instead of printing nothing.
pub(crate) fn environment() -> Result<Environment<'static>, ReportError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_filter("num", num);
    env.add_filter("gap", gap);
    env.add_filter("pct", pct);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|source| ReportError::Template {
                template: (*name).into(),
                source,
            })?;
    }
    Ok(env)
}

/// Creates a file (and its folder) to write.
fn create(path: &Path) -> Result<std::fs::File, ReportError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    std::fs::File::create(path).map_err(|source| ReportError::Io {
        path: path.display().to_string(),
        source,
    })
}

pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<PathBuf, ReportError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    std::fs::write(path, bytes).map_err(|source| ReportError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(path.to_path_buf())
}

pub(crate) fn render_to(
    env: &Environment<'_>,
    template: &str,
    ctx: minijinja::Value,
    path: &Path,
) -> Result<PathBuf, ReportError> {
    let html = env
        .get_template(template)
        .and_then(|t| t.render(ctx))
        .map_err(|source| ReportError::Template {
            template: template.into(),
            source,
        })?;
    write(path, html.as_bytes())
}

/// What the pages other than a council's or a task's see as `r`: the report without its
/// researcher tables, which only the CSV and JSON files show, and with only the league table's
/// columns of each council. (Turning a national run's tables, a million findings and more, and
/// every council's whole page into template values took most of the report's time and
/// gigabytes of memory.)
#[derive(Serialize)]
struct TopView<'a> {
    meta: &'a super::model::MetaView,
    headline: &'a super::model::Headline,
    councils: Vec<LeagueRow<'a>>,
    unscored: &'a [super::model::Unscored],
    tasks: &'a [super::model::TaskView],
    divide: &'a super::model::DivideView,
    types: &'a [super::model::TypeView],
    nations: &'a [String],
    dimensions: &'a [super::model::DimensionMeta],
    year_on_year: &'a Option<super::model::CompareData>,
}

impl<'a> TopView<'a> {
    fn of(d: &'a ReportData) -> TopView<'a> {
        TopView {
            meta: &d.meta,
            headline: &d.headline,
            councils: d.councils.iter().map(LeagueRow::of).collect(),
            unscored: &d.unscored,
            tasks: &d.tasks,
            divide: &d.divide,
            types: &d.types,
            nations: &d.nations,
            dimensions: &d.dimensions,
            year_on_year: &d.year_on_year,
        }
    }
}

/// A council's row of the league table (`index.html`): the fields of its [`CouncilView`] the
/// table shows.
///
/// [`CouncilView`]: super::model::CouncilView
#[derive(Serialize)]
struct LeagueRow<'a> {
    slug: &'a str,
    name: &'a str,
    href: &'a str,
    type_code: &'a str,
    type_label: &'a str,
    nation: &'a str,
    rank: Option<u32>,
    overall: &'a super::model::StarsView,
    dimensions: &'a [super::model::DimensionView],
    duties: &'a super::duties::DutiesView,
}

impl<'a> LeagueRow<'a> {
    fn of(c: &'a super::model::CouncilView) -> LeagueRow<'a> {
        LeagueRow {
            slug: &c.slug,
            name: &c.name,
            href: &c.href,
            type_code: &c.type_code,
            type_label: &c.type_label,
            nation: &c.nation,
            rank: c.rank,
            overall: &c.overall,
            dimensions: &c.dimensions,
            duties: &c.duties,
        }
    }
}

/// Threads for rendering council pages: the cores there are, up to eight.
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(8)
}

/// Renders one page per item on several threads (each page is independent), returning the
/// files in the items' order.
fn render_each<T: Sync>(
    items: &[T],
    page: &(dyn Fn(&T) -> Result<PathBuf, ReportError> + Sync),
) -> Result<Vec<PathBuf>, ReportError> {
    let chunk = items.len().div_ceil(threads()).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(page).collect::<Result<Vec<_>, _>>()))
            .collect();
        let mut files = Vec::with_capacity(items.len());
        for h in handles {
            match h.join() {
                Ok(part) => files.extend(part?),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(files)
    })
}

/// The static HTML site.
pub struct HtmlExporter;

impl Exporter for HtmlExporter {
    fn export(&self, data: &ReportData, out: &Path) -> Result<Vec<PathBuf>, ReportError> {
        let env = environment()?;
        let (r, meta) = (v(&TopView::of(data)), v(&data.meta));
        let mut files = vec![
            render_to(
                &env,
                "index.html",
                context! { root => "", r => r.clone(), meta => meta.clone(), single => false },
                &out.join("index.html"),
            )?,
            render_to(
                &env,
                "divide.html",
                context! { root => "", r => r.clone(), meta => meta.clone(), single => false },
                &out.join("divide.html"),
            )?,
            render_to(
                &env,
                "compare.html",
                context! { root => "", r => r.clone(), meta => meta.clone(), single => false, d => v(&data.year_on_year) },
                &out.join("compare.html"),
            )?,
            render_to(
                &env,
                "data.html",
                context! { root => "../", r => r.clone(), meta => meta.clone(), single => false, dictionary => v(DICTIONARY) },
                &out.join("data").join("index.html"),
            )?,
        ];
        files.extend(render_each(&data.councils, &|c| {
            render_to(
                &env,
                "council.html",
                context! { root => "../", meta => meta.clone(), c => v(c), single => false },
                &out.join("councils")
                    .join(format!("{}.html", file_slug(&c.slug))),
            )
        })?);
        for t in &data.tasks {
            files.push(render_to(
                &env,
                "task.html",
                context! { root => "../", meta => meta.clone(), t => v(t), single => false },
                &out.join("tasks").join(format!("{}.html", file_slug(&t.id))),
            )?);
        }
        Ok(files)
    }
}

/// Rows serialized at a time before their cells are checked and written out: a national run's
/// tables are too big to hold twice in memory.
const CSV_ROWS_AT_ONCE: usize = 4096;

fn csv_file<T: Serialize>(rows: &[T], path: &Path) -> Result<PathBuf, ReportError> {
    let err = |e: csv::Error| ReportError::Csv {
        path: path.display().to_string(),
        source: e,
    };
    let file = create(path)?;
    let mut safe = csv::Writer::from_writer(std::io::BufWriter::new(file));
    // The header comes from serde with the first rows; an empty table has none, as before.
    for (i, part) in rows.chunks(CSV_ROWS_AT_ONCE).enumerate() {
        let mut w = csv::WriterBuilder::new()
            .has_headers(i == 0)
            .from_writer(Vec::new());
        for r in part {
            w.serialize(r).map_err(err)?;
        }
        let raw = w.into_inner().map_err(|e| err(e.into_error().into()))?;
        // A second pass over the cells (serde decides the columns, this decides what a cell
        // may start with): crawled titles, URLs and texts end up in these files.
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&raw[..]);
        for record in reader.records() {
            let record = record.map_err(err)?;
            let cells: Vec<_> = record.iter().map(defuse_formula).collect();
            safe.write_record(cells.iter().map(|c| c.as_bytes()))
                .map_err(err)?;
        }
    }
    let mut file = safe.into_inner().map_err(|e| err(e.into_error().into()))?;
    std::io::Write::flush(&mut file).map_err(|source| ReportError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(path.to_path_buf())
}

/// A CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return before one) gets a leading `'`, so it is shown as text (OWASP's advice on CSV
/// injection). Numbers such as `-1.5` are left alone: a spreadsheet reads them as numbers.
fn defuse_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// CSV files for researchers, one per table, with the data dictionary.
pub struct CsvExporter;

impl Exporter for CsvExporter {
    fn export(&self, data: &ReportData, out: &Path) -> Result<Vec<PathBuf>, ReportError> {
        let dir = out.join("data");
        let t = &data.tables;
        Ok(vec![
            csv_file(&t.sites, &dir.join("sites.csv"))?,
            csv_file(&t.scores, &dir.join("scores.csv"))?,
            csv_file(&t.task_answers, &dir.join("task_answers.csv"))?,
            csv_file(&t.findings, &dir.join("findings.csv"))?,
            csv_file(&t.coverage, &dir.join("coverage.csv"))?,
            csv_file(&t.pages, &dir.join("pages.csv"))?,
            csv_file(&t.duties, &dir.join("duties.csv"))?,
            csv_file(DICTIONARY, &dir.join("dictionary.csv"))?,
        ])
    }
}

fn json_file<T: Serialize + ?Sized>(value: &T, path: &Path) -> Result<PathBuf, ReportError> {
    let mut w = std::io::BufWriter::new(create(path)?);
    serde_json::to_writer_pretty(&mut w, value).map_err(|source| ReportError::Json {
        path: path.display().to_string(),
        source,
    })?;
    std::io::Write::flush(&mut w).map_err(|source| ReportError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(path.to_path_buf())
}

/// JSON files for researchers: the same tables, the divide and the run's metadata.
pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn export(&self, data: &ReportData, out: &Path) -> Result<Vec<PathBuf>, ReportError> {
        let dir = out.join("data");
        let t = &data.tables;
        Ok(vec![
            json_file(&t.sites, &dir.join("sites.json"))?,
            json_file(&t.scores, &dir.join("scores.json"))?,
            json_file(&t.task_answers, &dir.join("task_answers.json"))?,
            json_file(&t.findings, &dir.join("findings.json"))?,
            json_file(&t.coverage, &dir.join("coverage.json"))?,
            json_file(&t.pages, &dir.join("pages.json"))?,
            json_file(&t.duties, &dir.join("duties.json"))?,
            json_file(DICTIONARY, &dir.join("dictionary.json"))?,
            json_file(&data.divide, &dir.join("divide.json"))?,
            json_file(&data.meta, &dir.join("run.json"))?,
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        environment().unwrap();
    }

    #[test]
    fn html_is_escaped_and_undefined_fails() {
        let env = environment().unwrap();
        let out = env
            .render_named_str("x.html", "{{ v }}", context! { v => "<b>" })
            .unwrap();
        assert_eq!(out, "&lt;b&gt;");
        assert!(
            env.render_named_str("x.html", "{{ missing }}", context! {})
                .is_err()
        );
    }

    #[test]
    fn csv_cells_that_look_like_formulas_become_text() {
        for (cell, safe) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+SUM(A1)", "'+SUM(A1)"),
            ("-2+3+cmd|x", "'-2+3+cmd|x"),
            ("@SUM(1)", "'@SUM(1)"),
            ("\t=1+1", "'\t=1+1"),
            ("-1.5", "-1.5"),
            ("+3", "+3"),
            ("Leeds", "Leeds"),
            ("", ""),
        ] {
            assert_eq!(defuse_formula(cell), safe, "{cell:?}");
        }
    }

    #[test]
    fn a_csv_file_longer_than_a_chunk_has_one_header_and_every_row_defused() {
        #[derive(Serialize)]
        struct Row {
            n: usize,
            title: String,
        }
        let rows: Vec<Row> = (0..CSV_ROWS_AT_ONCE * 2 + 7)
            .map(|n| Row {
                n,
                title: if n % 1000 == 999 {
                    format!("=HYPERLINK({n})")
                } else {
                    format!("page {n}")
                },
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = csv_file(&rows, &dir.path().join("t.csv")).unwrap();
        let mut reader = csv::Reader::from_path(&path).unwrap();
        assert_eq!(reader.headers().unwrap(), vec!["n", "title"]);
        let read: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(read.len(), rows.len());
        for (r, row) in read.iter().zip(&rows) {
            assert_eq!(r[0], row.n.to_string());
            if row.title.starts_with('=') {
                assert_eq!(r[1], format!("'{}", row.title));
            } else {
                assert_eq!(r[1], row.title);
            }
        }
        let empty: Vec<Row> = Vec::new();
        let path = csv_file(&empty, &dir.path().join("e.csv")).unwrap();
        assert_eq!(std::fs::read(path).unwrap(), b"");
    }

    #[test]
    fn numbers_format_with_a_dash_when_absent() {
        assert_eq!(num(Some(1.26), Some(1)), "1.3");
        assert_eq!(num(None, None), "–");
        assert_eq!(gap(Some(2.0), Some(1)), "+2.0");
        assert_eq!(pct(Some(70.0)), "70 %");
        assert_eq!(pct(None), "–");
    }
}
