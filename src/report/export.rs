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

/// The static HTML site.
pub struct HtmlExporter;

impl Exporter for HtmlExporter {
    fn export(&self, data: &ReportData, out: &Path) -> Result<Vec<PathBuf>, ReportError> {
        let env = environment()?;
        let (r, meta) = (v(data), v(&data.meta));
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
        for c in &data.councils {
            files.push(render_to(
                &env,
                "council.html",
                context! { root => "../", meta => meta.clone(), c => v(c), single => false },
                &out.join("councils")
                    .join(format!("{}.html", file_slug(&c.slug))),
            )?);
        }
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

fn csv_file<T: Serialize>(rows: &[T], path: &Path) -> Result<PathBuf, ReportError> {
    let err = |e: csv::Error| ReportError::Csv {
        path: path.display().to_string(),
        source: e,
    };
    let into_bytes = |w: csv::Writer<Vec<u8>>| {
        w.into_inner().map_err(|e| ReportError::Csv {
            path: path.display().to_string(),
            source: e.into_error().into(),
        })
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).map_err(err)?;
    }
    let raw = into_bytes(w)?;
    // A second pass over the cells (serde decides the columns, this decides what a cell may
    // start with): crawled titles, URLs and texts end up in these files.
    let mut safe = csv::Writer::from_writer(Vec::new());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&raw[..]);
    for record in reader.records() {
        let record = record.map_err(err)?;
        let cells: Vec<_> = record.iter().map(defuse_formula).collect();
        safe.write_record(cells.iter().map(|c| c.as_bytes()))
            .map_err(err)?;
    }
    write(path, &into_bytes(safe)?)
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
    let bytes = serde_json::to_vec_pretty(value).map_err(|source| ReportError::Json {
        path: path.display().to_string(),
        source,
    })?;
    write(path, &bytes)
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
    fn numbers_format_with_a_dash_when_absent() {
        assert_eq!(num(Some(1.26), Some(1)), "1.3");
        assert_eq!(num(None, None), "–");
        assert_eq!(gap(Some(2.0), Some(1)), "+2.0");
        assert_eq!(pct(Some(70.0)), "70 %");
        assert_eq!(pct(None), "–");
    }
}
