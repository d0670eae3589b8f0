//! The embedded store: runs, sites, pages, findings, task results and scores in SQLite.
//!
//! One file (default `civicscan.db`), WAL mode, a versioned schema migrated on open. Every write
//! that belongs together is one transaction (a page with its findings; a site's assessment with
//! its task answers and coverage), so a run killed at any moment leaves a consistent database that
//! `civicscan survey --resume` continues without refetching what is stored. Researchers can read
//! the file directly: findings, task answers and coverage are plain tables, not blobs.

mod schema;
mod write;
pub mod writer;

pub use write::Write;
pub use writer::{StoreWriter, WriterConfig, WriterStats};

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::audit::SiteAssessment;
use crate::audit::a11y::Finding;
use crate::crawl::Page;
use crate::page::PageFacts;
use crate::ruleset::Ruleset;
use crate::sites::Site;

/// The default database file, in the working directory.
pub const DEFAULT_DB: &str = "civicscan.db";

/// A run's id.
pub type RunId = i64;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("{path}: database error: {source}")]
    Sqlite {
        /// The database file.
        path: String,
        /// The underlying error.
        source: rusqlite::Error,
    },
    /// The database was written by a newer civicscan.
    #[error(
        "{path}: schema version {found} is newer than this civicscan understands ({supported}); upgrade civicscan"
    )]
    TooNew {
        /// The database file.
        path: String,
        /// The version found.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A stored value could not be decoded.
    #[error("{path}: corrupt stored value in {what}: {message}")]
    Corrupt {
        /// The database file.
        path: String,
        /// Which value.
        what: String,
        /// Why.
        message: String,
    },
    /// The survey's writer could not start or has stopped.
    #[error("{path}: {message}")]
    Writer {
        /// The database file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// No such run.
    #[error("{path}: no run {run} in this database")]
    NoSuchRun {
        /// The database file.
        path: String,
        /// The run asked for.
        run: RunId,
    },
}

/// What is known about a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// Its id.
    pub id: RunId,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// When it finished (RFC 3339), if it did.
    pub finished_at: Option<String>,
    /// The ruleset's name.
    pub ruleset_name: String,
    /// The ruleset's edition.
    pub ruleset_edition: String,
    /// SHA-256 of the ruleset file.
    pub ruleset_hash: String,
    /// Where the ruleset came from.
    pub ruleset_source: String,
    /// Settings of the run (JSON).
    pub settings: serde_json::Value,
    /// The civicscan version that ran it.
    pub civicscan_version: String,
    /// The ruleset's text (runs stored before civicscan kept it have none).
    #[serde(skip)]
    pub ruleset_text: Option<String>,
}

/// Where a site is in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteStatus {
    /// Not started.
    Pending,
    /// Crawl started, not assessed.
    Crawling,
    /// Assessed.
    Done,
}

impl SiteStatus {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteStatus::Pending => "pending",
            SiteStatus::Crawling => "crawling",
            SiteStatus::Done => "done",
        }
    }

    fn parse(s: &str) -> SiteStatus {
        match s {
            "crawling" => SiteStatus::Crawling,
            "done" => SiteStatus::Done,
            _ => SiteStatus::Pending,
        }
    }
}

/// A stored page: what was fetched (without the body) and its facts.
#[derive(Debug, Clone)]
pub struct StoredPage {
    /// The fetch record; `body` is always `None`.
    pub page: Page,
    /// Its facts, for HTML pages.
    pub facts: Option<PageFacts>,
}

/// Validators from an earlier fetch of a URL, for a conditional request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validators {
    /// The run that fetched it.
    pub run: RunId,
    /// Its ETag.
    pub etag: Option<String>,
    /// Its Last-Modified.
    pub last_modified: Option<String>,
}

/// One score row: a site's value and stars on one dimension (or task, or overall).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreRow {
    /// The site.
    pub site_slug: String,
    /// `overall`, a dimension name, or `task:<id>`.
    pub key: String,
    /// The 0–1 value the stars come from, when there is one.
    pub value: Option<f64>,
    /// Stars 1–4; `None` when not tested.
    pub stars: Option<u8>,
    /// Rank among all councils (1 = best), for `overall`.
    pub rank: Option<u32>,
    /// Rank within the council's type, for `overall`.
    pub type_rank: Option<u32>,
}

/// One fetch as the `pages` export lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageLogRow {
    /// The council.
    pub site_slug: String,
    /// The URL asked for.
    pub url: String,
    /// The URL that answered, after redirects.
    pub final_url: String,
    /// The HTTP status (0: no response).
    pub status: u16,
    /// How the fetch ended (see [`crate::crawl::PageOutcome`]).
    pub outcome: String,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// Bytes read.
    pub bytes: u64,
    /// Whether the body was cut off at the size budget.
    pub truncated: bool,
    /// Milliseconds to the first byte.
    pub ttfb_ms: u32,
    /// Clicks from the home page.
    pub depth: u32,
    /// When it was fetched (Unix milliseconds).
    pub fetched_at_ms: i64,
    /// The Content-Type header.
    pub content_type: Option<String>,
}

fn page_log_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PageLogRow> {
    Ok(PageLogRow {
        site_slug: r.get(0)?,
        url: r.get(1)?,
        final_url: r.get(2)?,
        status: r.get(3)?,
        outcome: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
        error: r.get(5)?,
        bytes: r.get::<_, i64>(6)?.max(0) as u64,
        truncated: r.get(7)?,
        ttfb_ms: r.get(8)?,
        depth: r.get(9)?,
        fetched_at_ms: r.get(10)?,
        content_type: r.get(11)?,
    })
}

/// A run's councils by status and pages by outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RunCounts {
    /// Councils in the run.
    pub sites: u64,
    /// Councils assessed (surveyed or found unsurveyable).
    pub sites_done: u64,
    /// Councils assessed as not surveyed (home page failed and the like).
    pub sites_failed: u64,
    /// Pages stored.
    pub pages: u64,
    /// Pages that failed (not read at all).
    pub pages_failed: u64,
}

/// The SQLite store.
pub struct Store {
    conn: Connection,
    path: String,
    /// The file, for a second connection (the survey's writer); `None` in memory.
    file: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn compress(json: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(json);
    enc.finish().unwrap_or_default()
}

fn decompress(blob: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(blob).read_to_end(&mut out)?;
    Ok(out)
}

fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or_else(|_| jiff::Timestamp::now())
        .to_string()
}

impl Store {
    /// Opens (creating if needed) a database file and migrates it to the current schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| StoreError::Sqlite {
            path: name.clone(),
            source,
        })?;
        Store::init(conn, name, Some(path.to_path_buf()))
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
            path: ":memory:".into(),
            source,
        })?;
        Store::init(conn, ":memory:".into(), None)
    }

    fn init(conn: Connection, path: String, file: Option<PathBuf>) -> Result<Store, StoreError> {
        let mut store = Store { conn, path, file };
        store
            .conn
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
            )
            .map_err(|e| store.err(e))?;
        schema::migrate(&mut store.conn).map_err(|e| match e {
            schema::MigrateError::Sqlite(e) => store.err(e),
            schema::MigrateError::TooNew { found, supported } => StoreError::TooNew {
                path: store.path.clone(),
                found,
                supported,
            },
        })?;
        Ok(store)
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn corrupt(&self, what: impl Into<String>, message: impl ToString) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            what: what.into(),
            message: message.to_string(),
        }
    }

    /// The database's path (or `:memory:`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Another connection to the same database file; `None` for a database in memory.
    pub fn reopen(&self) -> Option<Result<Store, StoreError>> {
        self.file.as_deref().map(Store::open)
    }

    /// Applies writes of a run in order, in one transaction: all of them are stored, or (on an
    /// error, or a crash before the commit) none.
    pub fn write_batch(&mut self, run: RunId, writes: &[Write]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|source| StoreError::Sqlite {
                path: path.clone(),
                source,
            })?;
        (|| {
            for w in writes {
                w.apply(&tx, run)?;
            }
            tx.commit()
        })()
        .map_err(|source| StoreError::Sqlite { path, source })
    }

    /// Starts a run: records the ruleset, settings and the sites to survey.
    pub fn begin_run(
        &mut self,
        ruleset: &Ruleset,
        settings: &serde_json::Value,
        sites: &[Site],
    ) -> Result<RunId, StoreError> {
        let tx = self.conn.transaction().map_err(|e| StoreError::Sqlite {
            path: self.path.clone(),
            source: e,
        })?;
        let run = (|| {
            tx.execute(
                "INSERT INTO runs (started_at, ruleset_name, ruleset_edition, ruleset_hash, ruleset_source, settings, civicscan_version, ruleset_text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    now_rfc3339(),
                    ruleset.name,
                    ruleset.edition,
                    ruleset.hash,
                    ruleset.source,
                    settings.to_string(),
                    env!("CARGO_PKG_VERSION"),
                    ruleset.text,
                ],
            )?;
            let run = tx.last_insert_rowid();
            {
                let mut stmt = tx.prepare(
                    "INSERT INTO sites (run_id, slug, ord, site, type, nation, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending')",
                )?;
                for (i, site) in sites.iter().enumerate() {
                    let json = serde_json::to_string(site).unwrap_or_default();
                    stmt.execute(params![run, site.slug, i as i64, json, site.council_type.code(), site.nation])?;
                }
            }
            tx.commit()?;
            Ok(run)
        })()
        .map_err(|e| self.err(e))?;
        Ok(run)
    }

    fn run_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(RunInfo, String)> {
        let settings: String = row.get(6)?;
        Ok((
            RunInfo {
                id: row.get(0)?,
                started_at: row.get(1)?,
                finished_at: row.get(2)?,
                ruleset_name: row.get(3)?,
                ruleset_edition: row.get(4)?,
                ruleset_hash: row.get(5)?,
                settings: serde_json::Value::Null,
                ruleset_source: row.get(7)?,
                civicscan_version: row.get(8)?,
                ruleset_text: row.get(9)?,
            },
            settings,
        ))
    }

    const RUN_COLUMNS: &'static str = "id, started_at, finished_at, ruleset_name, ruleset_edition, ruleset_hash, settings, ruleset_source, civicscan_version, ruleset_text";

    /// Every run, oldest first.
    pub fn runs(&self) -> Result<Vec<RunInfo>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {} FROM runs ORDER BY id",
                Self::RUN_COLUMNS
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], Self::run_from_row)
            .and_then(|r| r.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(mut info, settings)| {
                info.settings = serde_json::from_str(&settings)
                    .map_err(|e| self.corrupt("runs.settings", e))?;
                Ok(info)
            })
            .collect()
    }

    /// One run.
    pub fn run(&self, id: RunId) -> Result<RunInfo, StoreError> {
        self.runs()?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(StoreError::NoSuchRun {
                path: self.path.clone(),
                run: id,
            })
    }

    /// The newest run, if any.
    pub fn latest_run(&self) -> Result<Option<RunInfo>, StoreError> {
        Ok(self.runs()?.pop())
    }

    /// The newest run that has not finished, if any (what `--resume` continues).
    pub fn unfinished_run(&self) -> Result<Option<RunInfo>, StoreError> {
        Ok(self
            .runs()?
            .into_iter()
            .rev()
            .find(|r| r.finished_at.is_none()))
    }

    /// The newest finished run, if any (what reports default to).
    pub fn latest_finished_run(&self) -> Result<Option<RunInfo>, StoreError> {
        Ok(self
            .runs()?
            .into_iter()
            .rev()
            .find(|r| r.finished_at.is_some()))
    }

    /// Marks a run finished.
    pub fn finish_run(&mut self, run: RunId) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE runs SET finished_at = ?1 WHERE id = ?2",
                params![now_rfc3339(), run],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The sites of a run with their status, in the order given.
    pub fn sites(&self, run: RunId) -> Result<Vec<(Site, SiteStatus)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT site, status FROM sites WHERE run_id = ?1 ORDER BY ord")
            .map_err(|e| self.err(e))?;
        let rows: Vec<(String, String)> = stmt
            .query_map([run], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|r| r.collect())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(json, status)| {
                let site =
                    serde_json::from_str(&json).map_err(|e| self.corrupt("sites.site", e))?;
                Ok((site, SiteStatus::parse(&status)))
            })
            .collect()
    }

    /// Records that a site's crawl has started.
    pub fn start_site(&mut self, run: RunId, slug: &str) -> Result<(), StoreError> {
        self.write_batch(
            run,
            &[Write::StartSite {
                slug: slug.to_string(),
            }],
        )
    }

    /// Records one fetched page with its facts and findings, in one transaction.
    pub fn record_page(
        &mut self,
        run: RunId,
        slug: &str,
        page: &Page,
        facts: Option<&PageFacts>,
        findings: &[Finding],
    ) -> Result<(), StoreError> {
        self.write_batch(run, &[Write::page(slug, page, facts, findings.to_vec())])
    }

    /// Replaces a stored page's facts and findings (a page rendered after the crawl), keeping
    /// its fetch record and its place in fetch order. `url` is the URL it was requested as.
    pub fn record_rendering(
        &mut self,
        run: RunId,
        slug: &str,
        url: &str,
        facts: &PageFacts,
        findings: &[Finding],
    ) -> Result<(), StoreError> {
        self.write_batch(
            run,
            &[Write::rendering(slug, url, facts, findings.to_vec())],
        )
    }

    /// The pages stored for a site in a run, in fetch order.
    pub fn pages(&self, run: RunId, slug: &str) -> Result<Vec<StoredPage>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT url, final_url, status, content_type, kind, bytes, truncated, content_length, ttfb_ms, depth, referrer,
                        link_text, redirects, fetched_at_ms, etag, last_modified, error, facts
                 FROM pages WHERE run_id = ?1 AND site_slug = ?2 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        type Row = (
            String,
            String,
            u16,
            Option<String>,
            Option<String>,
            i64,
            bool,
            Option<i64>,
            u32,
            u32,
            Option<String>,
            Option<String>,
            String,
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<Vec<u8>>,
        );
        let rows: Vec<Row> = stmt
            .query_map(params![run, slug], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                    r.get(12)?,
                    r.get(13)?,
                    r.get(14)?,
                    r.get(15)?,
                    r.get(16)?,
                    r.get(17)?,
                ))
            })
            .and_then(|r| r.collect())
            .map_err(|e| self.err(e))?;
        let url = |s: &str, what: &str| url::Url::parse(s).map_err(|e| self.corrupt(what, e));
        rows.into_iter()
            .map(|r| {
                let facts = match r.17 {
                    Some(blob) => {
                        let json = decompress(&blob).map_err(|e| self.corrupt("pages.facts", e))?;
                        Some(
                            serde_json::from_slice(&json)
                                .map_err(|e| self.corrupt("pages.facts", e))?,
                        )
                    }
                    None => None,
                };
                let kind =
                    serde_json::from_value(serde_json::Value::String(r.4.unwrap_or_default()))
                        .unwrap_or(crate::crawl::PageKind::Other);
                Ok(StoredPage {
                    page: Page {
                        url: url(&r.0, "pages.url")?,
                        final_url: url(&r.1, "pages.final_url")?,
                        status: r.2,
                        content_type: r.3,
                        kind,
                        bytes: r.5.max(0) as u64,
                        truncated: r.6,
                        content_length: r.7.map(|l| l.max(0) as u64),
                        ttfb_ms: r.8,
                        depth: r.9,
                        referrer: r
                            .10
                            .as_deref()
                            .map(|u| url(u, "pages.referrer"))
                            .transpose()?,
                        link_text: r.11,
                        redirects: serde_json::from_str(&r.12)
                            .map_err(|e| self.corrupt("pages.redirects", e))?,
                        fetched_at_ms: r.13,
                        etag: r.14,
                        last_modified: r.15,
                        body: None,
                        error: r.16,
                    },
                    facts,
                })
            })
            .collect()
    }

    /// Every fetch of a run, lightest first: what the `pages` export lists (no facts).
    pub fn page_log(&self, run: RunId) -> Result<Vec<PageLogRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT p.site_slug, p.url, p.final_url, p.status, p.outcome, p.error, p.bytes, p.truncated,
                        p.ttfb_ms, p.depth, p.fetched_at_ms, p.content_type
                 FROM pages p JOIN sites s ON s.run_id = p.run_id AND s.slug = p.site_slug
                 WHERE p.run_id = ?1 ORDER BY s.ord, p.id",
            )
            .map_err(|e| self.err(e))?;
        stmt.query_map([run], page_log_row)
            .and_then(|r| r.collect())
            .map_err(|e| self.err(e))
    }

    /// Every fetch of one council in a run, in the order of [`Store::page_log`].
    pub fn site_page_log(&self, run: RunId, slug: &str) -> Result<Vec<PageLogRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT site_slug, url, final_url, status, outcome, error, bytes, truncated,
                        ttfb_ms, depth, fetched_at_ms, content_type
                 FROM pages WHERE run_id = ?1 AND site_slug = ?2 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        stmt.query_map(params![run, slug], page_log_row)
            .and_then(|r| r.collect())
            .map_err(|e| self.err(e))
    }

    /// The titles of a site's stored pages, by the URL asked for.
    pub fn page_titles(
        &self,
        run: RunId,
        slug: &str,
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT url, title FROM pages WHERE run_id = ?1 AND site_slug = ?2 AND title IS NOT NULL",
            )
            .map_err(|e| self.err(e))?;
        stmt.query_map(params![run, slug], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|r| r.collect())
            .map_err(|e| self.err(e))
    }

    /// What `civicscan runs` lists about a run: its councils by status and its pages by outcome.
    pub fn run_counts(&self, run: RunId) -> Result<RunCounts, StoreError> {
        let (sites, done, failed): (i64, i64, i64) = self
            .conn
            .query_row(
                "SELECT COUNT(*), COALESCE(SUM(status = 'done'), 0), COALESCE(SUM(status = 'done' AND failure IS NOT NULL), 0)
                 FROM sites WHERE run_id = ?1",
                [run],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| self.err(e))?;
        let (pages, failed_pages): (i64, i64) = self
            .conn
            .query_row(
                "SELECT COUNT(*), COALESCE(SUM(outcome NOT IN ('ok', 'too_big')), 0) FROM pages WHERE run_id = ?1",
                [run],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        let n = |v: i64| v.max(0) as u64;
        Ok(RunCounts {
            sites: n(sites),
            sites_done: n(done),
            sites_failed: n(failed),
            pages: n(pages),
            pages_failed: n(failed_pages),
        })
    }

    /// The URLs already stored for a site in a run (what a resumed crawl must not fetch again).
    pub fn fetched_urls(&self, run: RunId, slug: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT url FROM pages WHERE run_id = ?1 AND site_slug = ?2 ORDER BY id")
            .map_err(|e| self.err(e))?;
        stmt.query_map(params![run, slug], |r| r.get(0))
            .and_then(|r| r.collect())
            .map_err(|e| self.err(e))
    }

    /// The councils with a page stored by a run before `before_run` that carries validators: only
    /// their pages can be asked for conditionally, so a first run never looks a URL up.
    pub fn sites_with_validators(&self, before_run: RunId) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT DISTINCT site_slug FROM pages
                 WHERE run_id < ?1 AND status = 200 AND (etag IS NOT NULL OR last_modified IS NOT NULL)",
            )
            .map_err(|e| self.err(e))?;
        stmt.query_map(params![before_run], |r| r.get(0))
            .and_then(|r| r.collect())
            .map_err(|e| self.err(e))
    }

    /// The validators of the newest earlier fetch of a URL by a site, for a conditional request.
    pub fn validators(
        &self,
        before_run: RunId,
        slug: &str,
        url: &str,
    ) -> Result<Option<Validators>, StoreError> {
        self.conn
            .query_row(
                "SELECT run_id, etag, last_modified FROM pages
                 WHERE run_id < ?1 AND site_slug = ?2 AND url = ?3 AND status = 200 AND (etag IS NOT NULL OR last_modified IS NOT NULL)
                 ORDER BY run_id DESC LIMIT 1",
                params![before_run, slug, url],
                |r| Ok(Validators { run: r.get(0)?, etag: r.get(1)?, last_modified: r.get(2)? }),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Findings of a site in a run, with the page each is on.
    pub fn findings(&self, run: RunId, slug: &str) -> Result<Vec<(String, Finding)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT page_url, rule, outcome, impact, wcag, act, selector, snippet, message, rendered
                 FROM findings WHERE run_id = ?1 AND site_slug = ?2 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows: Vec<([String; 9], bool)> = stmt
            .query_map(params![run, slug], |r| {
                Ok((
                    [
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                    ],
                    r.get(9)?,
                ))
            })
            .and_then(|r| r.collect())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(
                |(
                    [
                        page,
                        rule,
                        outcome,
                        impact,
                        wcag,
                        act,
                        selector,
                        snippet,
                        message,
                    ],
                    rendered,
                )| {
                    let outcome = serde_json::from_value(serde_json::Value::String(outcome))
                        .map_err(|e| self.corrupt("findings.outcome", e))?;
                    let impact = serde_json::from_value(serde_json::Value::String(impact))
                        .map_err(|e| self.corrupt("findings.impact", e))?;
                    let split = |s: String| s.split_whitespace().map(str::to_string).collect();
                    Ok((
                        page,
                        Finding {
                            rule,
                            outcome,
                            wcag: split(wcag),
                            act: split(act),
                            impact,
                            selector,
                            snippet,
                            message,
                            rendered,
                        },
                    ))
                },
            )
            .collect()
    }

    /// Records a site's assessment (with its task answers and coverage) and marks the site done.
    pub fn record_assessment(
        &mut self,
        run: RunId,
        assessment: &SiteAssessment,
    ) -> Result<(), StoreError> {
        self.write_batch(run, &[Write::Assessment(Box::new(assessment.clone()))])
    }

    /// The assessments of a run, in site order.
    pub fn assessments(&self, run: RunId) -> Result<Vec<SiteAssessment>, StoreError> {
        let mut all = Vec::new();
        self.for_each_assessment(run, |a| {
            all.push(a);
            Ok::<(), StoreError>(())
        })?;
        Ok(all)
    }

    /// The assessments of a run, in site order, handed to `each` one at a time (a national run's
    /// are too many to hold at once).
    pub fn for_each_assessment<E: From<StoreError>>(
        &self,
        run: RunId,
        mut each: impl FnMut(SiteAssessment) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.assessment FROM assessments a JOIN sites s ON s.run_id = a.run_id AND s.slug = a.site_slug
                 WHERE a.run_id = ?1 ORDER BY s.ord",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([run]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let json: String = row.get(0).map_err(|e| self.err(e))?;
            let a = serde_json::from_str(&json)
                .map_err(|e| self.corrupt("assessments.assessment", e))?;
            each(a)?;
        }
        Ok(())
    }

    /// One council's assessment in a run, if it has one.
    pub fn assessment(&self, run: RunId, slug: &str) -> Result<Option<SiteAssessment>, StoreError> {
        let json: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT assessment FROM assessments WHERE run_id = ?1 AND site_slug = ?2",
            )
            .and_then(|mut stmt| stmt.query_row(params![run, slug], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))?;
        json.map(|json| {
            serde_json::from_str(&json).map_err(|e| self.corrupt("assessments.assessment", e))
        })
        .transpose()
    }

    /// Replaces a run's scores.
    pub fn record_scores(&mut self, run: RunId, scores: &[ScoreRow]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction()
            .map_err(|source| StoreError::Sqlite {
                path: path.clone(),
                source,
            })?;
        (|| {
            tx.execute("DELETE FROM scores WHERE run_id = ?1", [run])?;
            {
                let mut stmt = tx.prepare(
                    "INSERT INTO scores (run_id, site_slug, key, value, stars, rank, type_rank) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                for s in scores {
                    stmt.execute(params![run, s.site_slug, s.key, s.value, s.stars, s.rank, s.type_rank])?;
                }
            }
            tx.commit()
        })()
        .map_err(|source| StoreError::Sqlite { path, source })
    }

    /// A run's scores.
    pub fn scores(&self, run: RunId) -> Result<Vec<ScoreRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT site_slug, key, value, stars, rank, type_rank FROM scores WHERE run_id = ?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        stmt.query_map([run], |r| {
            Ok(ScoreRow {
                site_slug: r.get(0)?,
                key: r.get(1)?,
                value: r.get(2)?,
                stars: r.get(3)?,
                rank: r.get(4)?,
                type_rank: r.get(5)?,
            })
        })
        .and_then(|r| r.collect())
        .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests;
