//! The schema and its migrations. Each migration runs once, in order, in one transaction;
//! `PRAGMA user_version` records how far a database has come.

use rusqlite::Connection;

pub(super) enum MigrateError {
    Sqlite(rusqlite::Error),
    TooNew { found: i64, supported: i64 },
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sqlite(e)
    }
}

/// Migrations, oldest first: migration `i` takes a database from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    ruleset_name TEXT NOT NULL,
    ruleset_edition TEXT NOT NULL,
    ruleset_hash TEXT NOT NULL,
    ruleset_source TEXT NOT NULL,
    settings TEXT NOT NULL,
    civicscan_version TEXT NOT NULL
);
CREATE TABLE sites (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    ord INTEGER NOT NULL,
    site TEXT NOT NULL,
    type TEXT NOT NULL,
    nation TEXT,
    status TEXT NOT NULL,
    failure TEXT,
    started_at TEXT,
    finished_at TEXT,
    PRIMARY KEY (run_id, slug)
);
CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_slug TEXT NOT NULL,
    url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT,
    kind TEXT,
    bytes INTEGER NOT NULL,
    truncated INTEGER NOT NULL,
    content_length INTEGER,
    ttfb_ms INTEGER NOT NULL,
    depth INTEGER NOT NULL,
    referrer TEXT,
    link_text TEXT,
    redirects TEXT NOT NULL,
    fetched_at_ms INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    error TEXT,
    title TEXT,
    facts BLOB,
    UNIQUE (run_id, site_slug, url)
);
CREATE INDEX pages_by_url ON pages (site_slug, url);
CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_slug TEXT NOT NULL,
    page_url TEXT NOT NULL,
    rule TEXT NOT NULL,
    outcome TEXT NOT NULL,
    impact TEXT NOT NULL,
    wcag TEXT NOT NULL,
    act TEXT NOT NULL,
    selector TEXT NOT NULL,
    snippet TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX findings_by_page ON findings (run_id, site_slug, page_url);
CREATE TABLE assessments (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_slug TEXT NOT NULL,
    assessment TEXT NOT NULL,
    PRIMARY KEY (run_id, site_slug)
);
CREATE TABLE task_results (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_slug TEXT NOT NULL,
    task TEXT NOT NULL,
    page_url TEXT,
    route TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (run_id, site_slug, task)
);
CREATE TABLE task_answers (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_slug TEXT NOT NULL,
    task TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    evidence_url TEXT,
    reason TEXT NOT NULL,
    PRIMARY KEY (run_id, site_slug, task, question)
);
CREATE TABLE coverage (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_slug TEXT NOT NULL,
    lgsl INTEGER NOT NULL,
    title TEXT NOT NULL,
    url TEXT,
    PRIMARY KEY (run_id, site_slug, lgsl)
);
CREATE TABLE scores (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_slug TEXT NOT NULL,
    key TEXT NOT NULL,
    value REAL,
    stars INTEGER,
    rank INTEGER,
    type_rank INTEGER,
    UNIQUE (run_id, site_slug, key)
);
"#,
    // 2: what a run needs to be resumed exactly and its failures read: the ruleset's text and
    // each page's outcome (ok, http_4xx, timeout, …).
    r#"
ALTER TABLE runs ADD COLUMN ruleset_text TEXT;
ALTER TABLE pages ADD COLUMN outcome TEXT;
UPDATE pages SET outcome = CASE
    WHEN status >= 500 THEN 'http_5xx'
    WHEN status >= 400 THEN 'http_4xx'
    WHEN error IS NOT NULL THEN 'network'
    WHEN truncated THEN 'too_big'
    ELSE 'ok' END;
CREATE INDEX pages_by_run_outcome ON pages (run_id, site_slug, outcome);
"#,
    // Findings from the render stage (a page loaded in a browser) are marked.
    r#"
ALTER TABLE findings ADD COLUMN rendered INTEGER NOT NULL DEFAULT 0;
"#,
];

/// The schema version this build writes.
pub(super) const VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > VERSION {
        return Err(MigrateError::TooNew {
            found,
            supported: VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
