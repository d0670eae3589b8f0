//! One exporter per output format, all over the same data (hyperfine's `Exporter`): the
//! report-wide [`ReportData`] and, one council at a time, each council's [`CouncilData`].

use std::io::Write as _;
use std::path::{Path, PathBuf};

use minijinja::value::{Serde, Value};
use minijinja::{Environment, UndefinedBehavior, context};
use serde::Serialize;

use super::data::{DICTIONARY, Tables};
use super::error::ReportError;
use super::format::file_slug;
use super::model::{CouncilView, ReportData};

/// One council's share of the report: its page's view (none for a council the run has not
/// assessed, which only has fetches to list) and its rows of the researcher tables.
#[derive(Clone, Copy)]
pub struct CouncilData<'a> {
    /// Its page.
    pub view: Option<&'a CouncilView>,
    /// Its rows.
    pub tables: &'a Tables,
}

/// Writes one format of a report under an output folder, council by council, so that no
/// format holds every council at once: [`Exporter::council`] turns one council into its part
/// (on any thread, councils in parallel), [`Exporter::append`] adds the parts to the open files
/// in the run's site order, and [`Exporter::finish`] writes what is report-wide.
pub trait Exporter: Sync {
    /// What one council adds.
    type Part: Send;
    /// The open files.
    type Sink;
    /// Opens the format's files under `out`.
    fn open(&self, out: &Path) -> Result<Self::Sink, ReportError>;
    /// One council's part.
    fn council(&self, council: &CouncilData<'_>, out: &Path) -> Result<Self::Part, ReportError>;
    /// Adds a council's part, in site order.
    fn append(&self, sink: &mut Self::Sink, part: Self::Part) -> Result<(), ReportError>;
    /// Writes the rest and closes the files; returns every file written.
    fn finish(
        &self,
        sink: Self::Sink,
        data: &ReportData,
        out: &Path,
    ) -> Result<Vec<PathBuf>, ReportError>;
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

/// The static HTML site: a page per council as the councils come, then the report-wide pages
/// (which see the [`ReportData`] as `r`: each council as its league-table row) and the task
/// pages.
pub struct HtmlExporter {
    env: Environment<'static>,
    meta: Value,
}

impl HtmlExporter {
    /// The exporter of a report with `data`'s metadata.
    pub fn new(data: &ReportData) -> Result<HtmlExporter, ReportError> {
        Ok(HtmlExporter {
            env: environment()?,
            meta: v(&data.meta),
        })
    }
}

/// A council's page, relative to the output folder.
fn council_file(out: &Path, slug: &str) -> PathBuf {
    out.join("councils")
        .join(format!("{}.html", file_slug(slug)))
}

impl Exporter for HtmlExporter {
    type Part = ();
    type Sink = ();

    fn open(&self, _out: &Path) -> Result<(), ReportError> {
        Ok(())
    }

    fn council(&self, council: &CouncilData<'_>, out: &Path) -> Result<(), ReportError> {
        if let Some(c) = council.view {
            render_to(
                &self.env,
                "council.html",
                context! { root => "../", meta => self.meta.clone(), c => v(c), single => false },
                &council_file(out, &c.slug),
            )?;
        }
        Ok(())
    }

    fn append(&self, _sink: &mut (), _part: ()) -> Result<(), ReportError> {
        Ok(())
    }

    fn finish(
        &self,
        _sink: (),
        data: &ReportData,
        out: &Path,
    ) -> Result<Vec<PathBuf>, ReportError> {
        let (env, meta) = (&self.env, &self.meta);
        let r = v(data);
        let mut files = vec![
            render_to(
                env,
                "index.html",
                context! { root => "", r => r.clone(), meta => meta.clone(), single => false },
                &out.join("index.html"),
            )?,
            render_to(
                env,
                "divide.html",
                context! { root => "", r => r.clone(), meta => meta.clone(), single => false },
                &out.join("divide.html"),
            )?,
            render_to(
                env,
                "compare.html",
                context! { root => "", r => r.clone(), meta => meta.clone(), single => false, d => v(&data.year_on_year) },
                &out.join("compare.html"),
            )?,
            render_to(
                env,
                "data.html",
                context! { root => "../", r => r.clone(), meta => meta.clone(), single => false, dictionary => v(DICTIONARY) },
                &out.join("data").join("index.html"),
            )?,
        ];
        // The council pages, written as the councils came, listed in league-table order.
        files.extend(data.councils.iter().map(|c| council_file(out, &c.slug)));
        for t in &data.tasks {
            files.push(render_to(
                env,
                "task.html",
                context! { root => "../", meta => meta.clone(), t => v(t), single => false },
                &out.join("tasks").join(format!("{}.html", file_slug(&t.id))),
            )?);
        }
        Ok(files)
    }
}

/// The researcher tables' files, in the order every exporter lists them.
const TABLES: [&str; 7] = [
    "sites",
    "scores",
    "task_answers",
    "findings",
    "coverage",
    "pages",
    "duties",
];

/// Calls `each` with the name of every table and its rows.
fn each_table<R>(
    t: &Tables,
    mut each: impl FnMut(&str, &dyn ErasedRows) -> Result<R, ReportError>,
) -> Result<Vec<R>, ReportError> {
    Ok(vec![
        each(TABLES[0], &t.sites)?,
        each(TABLES[1], &t.scores)?,
        each(TABLES[2], &t.task_answers)?,
        each(TABLES[3], &t.findings)?,
        each(TABLES[4], &t.coverage)?,
        each(TABLES[5], &t.pages)?,
        each(TABLES[6], &t.duties)?,
    ])
}

/// A table's rows, whatever their type, as the two table formats write them.
trait ErasedRows {
    fn csv(&self, path: &Path) -> Result<CsvPart, ReportError>;
    fn json(&self, path: &Path) -> Result<Vec<u8>, ReportError>;
}

impl<T: Serialize> ErasedRows for Vec<T> {
    fn csv(&self, path: &Path) -> Result<CsvPart, ReportError> {
        csv_part(self, path)
    }
    fn json(&self, path: &Path) -> Result<Vec<u8>, ReportError> {
        json_part(self, path)
    }
}

/// Some rows of a CSV table, written and made safe: the header (from serde) and the rows.
pub struct CsvPart {
    header: Vec<u8>,
    rows: Vec<u8>,
}

fn csv_part<T: Serialize>(rows: &[T], path: &Path) -> Result<CsvPart, ReportError> {
    let err = |e: csv::Error| ReportError::Csv {
        path: path.display().to_string(),
        source: e,
    };
    let mut w = csv::WriterBuilder::new()
        .has_headers(true)
        .from_writer(Vec::new());
    for r in rows {
        w.serialize(r).map_err(err)?;
    }
    let raw = w.into_inner().map_err(|e| err(e.into_error().into()))?;
    // A second pass over the cells (serde decides the columns, this decides what a cell may
    // start with): crawled titles, URLs and texts end up in these files.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&raw[..]);
    let mut header = csv::Writer::from_writer(Vec::new());
    let mut safe = csv::Writer::from_writer(Vec::new());
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(err)?;
        let cells: Vec<_> = record.iter().map(defuse_formula).collect();
        let to = if i == 0 { &mut header } else { &mut safe };
        to.write_record(cells.iter().map(|c| c.as_bytes()))
            .map_err(err)?;
    }
    Ok(CsvPart {
        header: header
            .into_inner()
            .map_err(|e| err(e.into_error().into()))?,
        rows: safe.into_inner().map_err(|e| err(e.into_error().into()))?,
    })
}

/// A CSV file being written part by part; the header goes before the first row (an empty table
/// has none).
pub struct CsvSink {
    path: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
    header_written: bool,
}

impl CsvSink {
    fn create(path: PathBuf) -> Result<CsvSink, ReportError> {
        Ok(CsvSink {
            file: std::io::BufWriter::new(create(&path)?),
            path,
            header_written: false,
        })
    }

    fn append(&mut self, part: &CsvPart) -> Result<(), ReportError> {
        if part.rows.is_empty() {
            return Ok(());
        }
        let io = |source| ReportError::Io {
            path: self.path.display().to_string(),
            source,
        };
        if !self.header_written {
            self.file.write_all(&part.header).map_err(io)?;
            self.header_written = true;
        }
        self.file.write_all(&part.rows).map_err(io)
    }

    fn close(mut self) -> Result<PathBuf, ReportError> {
        self.file.flush().map_err(|source| ReportError::Io {
            path: self.path.display().to_string(),
            source,
        })?;
        Ok(self.path)
    }
}

/// Rows serialized at a time before their cells are checked and written out.
const CSV_ROWS_AT_ONCE: usize = 4096;

fn csv_file<T: Serialize>(rows: &[T], path: &Path) -> Result<PathBuf, ReportError> {
    let mut sink = CsvSink::create(path.to_path_buf())?;
    for part in rows.chunks(CSV_ROWS_AT_ONCE) {
        sink.append(&csv_part(part, path)?)?;
    }
    sink.close()
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
    type Part = Vec<CsvPart>;
    type Sink = Vec<CsvSink>;

    fn open(&self, out: &Path) -> Result<Vec<CsvSink>, ReportError> {
        let dir = out.join("data");
        TABLES
            .iter()
            .map(|t| CsvSink::create(dir.join(format!("{t}.csv"))))
            .collect()
    }

    fn council(&self, council: &CouncilData<'_>, out: &Path) -> Result<Vec<CsvPart>, ReportError> {
        let dir = out.join("data");
        each_table(council.tables, |name, rows| {
            rows.csv(&dir.join(format!("{name}.csv")))
        })
    }

    fn append(&self, sink: &mut Vec<CsvSink>, part: Vec<CsvPart>) -> Result<(), ReportError> {
        for (s, p) in sink.iter_mut().zip(&part) {
            s.append(p)?;
        }
        Ok(())
    }

    fn finish(
        &self,
        sink: Vec<CsvSink>,
        _data: &ReportData,
        out: &Path,
    ) -> Result<Vec<PathBuf>, ReportError> {
        let mut files = sink
            .into_iter()
            .map(CsvSink::close)
            .collect::<Result<Vec<_>, _>>()?;
        files.push(csv_file(
            DICTIONARY,
            &out.join("data").join("dictionary.csv"),
        )?);
        Ok(files)
    }
}

/// Some rows of a JSON table as they sit inside the file's array (pretty-printed, indented one
/// level, each after a newline and all but the first after a comma); empty for no rows.
fn json_part<T: Serialize>(rows: &[T], path: &Path) -> Result<Vec<u8>, ReportError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let whole = serde_json::to_vec_pretty(rows).map_err(|source| ReportError::Json {
        path: path.display().to_string(),
        source,
    })?;
    // `[` + `\n  row` + (`,\n  row`)* + `\n]`: keep what is between the brackets.
    Ok(whole[1..whole.len() - 2].to_vec())
}

/// A JSON array being written part by part, byte for byte as serde_json pretty-prints the whole.
pub struct JsonSink {
    path: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
    any: bool,
}

impl JsonSink {
    fn create(path: PathBuf) -> Result<JsonSink, ReportError> {
        let mut file = std::io::BufWriter::new(create(&path)?);
        file.write_all(b"[").map_err(|source| ReportError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Ok(JsonSink {
            path,
            file,
            any: false,
        })
    }

    fn append(&mut self, part: &[u8]) -> Result<(), ReportError> {
        if part.is_empty() {
            return Ok(());
        }
        let io = |source| ReportError::Io {
            path: self.path.display().to_string(),
            source,
        };
        if self.any {
            self.file.write_all(b",").map_err(io)?;
        }
        self.any = true;
        self.file.write_all(part).map_err(io)
    }

    fn close(mut self) -> Result<PathBuf, ReportError> {
        let end: &[u8] = if self.any { b"\n]" } else { b"]" };
        self.file
            .write_all(end)
            .and_then(|()| self.file.flush())
            .map_err(|source| ReportError::Io {
                path: self.path.display().to_string(),
                source,
            })?;
        Ok(self.path)
    }
}

fn json_file<T: Serialize + ?Sized>(value: &T, path: &Path) -> Result<PathBuf, ReportError> {
    let mut w = std::io::BufWriter::new(create(path)?);
    serde_json::to_writer_pretty(&mut w, value).map_err(|source| ReportError::Json {
        path: path.display().to_string(),
        source,
    })?;
    w.flush().map_err(|source| ReportError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(path.to_path_buf())
}

/// JSON files for researchers: the same tables, the data dictionary, the divide and the run's
/// metadata.
pub struct JsonExporter;

impl Exporter for JsonExporter {
    type Part = Vec<Vec<u8>>;
    type Sink = Vec<JsonSink>;

    fn open(&self, out: &Path) -> Result<Vec<JsonSink>, ReportError> {
        let dir = out.join("data");
        TABLES
            .iter()
            .map(|t| JsonSink::create(dir.join(format!("{t}.json"))))
            .collect()
    }

    fn council(&self, council: &CouncilData<'_>, out: &Path) -> Result<Vec<Vec<u8>>, ReportError> {
        let dir = out.join("data");
        each_table(council.tables, |name, rows| {
            rows.json(&dir.join(format!("{name}.json")))
        })
    }

    fn append(&self, sink: &mut Vec<JsonSink>, part: Vec<Vec<u8>>) -> Result<(), ReportError> {
        for (s, p) in sink.iter_mut().zip(&part) {
            s.append(p)?;
        }
        Ok(())
    }

    fn finish(
        &self,
        sink: Vec<JsonSink>,
        data: &ReportData,
        out: &Path,
    ) -> Result<Vec<PathBuf>, ReportError> {
        let dir = out.join("data");
        let mut files = sink
            .into_iter()
            .map(JsonSink::close)
            .collect::<Result<Vec<_>, _>>()?;
        files.push(json_file(DICTIONARY, &dir.join("dictionary.json"))?);
        files.push(json_file(&data.divide, &dir.join("divide.json"))?);
        files.push(json_file(&data.meta, &dir.join("run.json"))?);
        Ok(files)
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

    #[derive(Serialize)]
    struct Nested {
        n: usize,
        tags: Vec<String>,
        none: Vec<u8>,
        text: String,
    }

    fn nested(range: std::ops::Range<usize>) -> Vec<Nested> {
        range
            .map(|n| Nested {
                n,
                tags: (0..n % 3).map(|i| format!("t{i}")).collect(),
                none: Vec::new(),
                text: format!("line\nbreak \"{n}\""),
            })
            .collect()
    }

    #[test]
    fn a_json_table_written_in_parts_is_the_whole_table_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        // Parts of every size, empty ones first, between and last.
        let bounds = [0, 0, 1, 1, 4, 9, 9, 20, 20];
        let path = dir.path().join("t.json");
        let mut sink = JsonSink::create(path.clone()).unwrap();
        for w in bounds.windows(2) {
            sink.append(&json_part(&nested(w[0]..w[1]), &path).unwrap())
                .unwrap();
        }
        let written = std::fs::read(sink.close().unwrap()).unwrap();
        assert_eq!(written, serde_json::to_vec_pretty(&nested(0..20)).unwrap());

        let empty = dir.path().join("e.json");
        let mut sink = JsonSink::create(empty.clone()).unwrap();
        sink.append(&json_part(&nested(0..0), &empty).unwrap())
            .unwrap();
        let written = std::fs::read(sink.close().unwrap()).unwrap();
        assert_eq!(written, serde_json::to_vec_pretty(&nested(0..0)).unwrap());
    }

    #[test]
    fn a_csv_table_written_in_parts_has_one_header_and_every_row_in_order() {
        #[derive(Serialize)]
        struct Row {
            n: usize,
            title: String,
        }
        let rows = |r: std::ops::Range<usize>| -> Vec<Row> {
            r.map(|n| Row {
                n,
                title: format!("=page, \"{n}\""),
            })
            .collect()
        };
        let dir = tempfile::tempdir().unwrap();
        let whole = csv_file(&rows(0..30), &dir.path().join("whole.csv")).unwrap();
        let path = dir.path().join("parts.csv");
        let mut sink = CsvSink::create(path.clone()).unwrap();
        for w in [0, 0, 1, 7, 7, 30].windows(2) {
            sink.append(&csv_part(&rows(w[0]..w[1]), &path).unwrap())
                .unwrap();
        }
        let parts = sink.close().unwrap();
        let text = std::fs::read_to_string(&parts).unwrap();
        assert_eq!(text, std::fs::read_to_string(whole).unwrap());
        assert_eq!(text.matches("n,title").count(), 1);
        assert!(text.contains("29,\"'=page, \"\"29\"\"\""), "{text}");
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
