//! Why a report could not be written.

use crate::store::{RunId, StoreError};

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The database file does not exist.
    #[error("{path}: no such database; run `civicscan survey --db {path}` first")]
    NoDatabase {
        /// The path given.
        path: String,
    },
    /// The database holds no run.
    #[error("{path}: the database holds no run; run `civicscan survey` first")]
    NoRun {
        /// The database.
        path: String,
    },
    /// The run's ruleset cannot be found or has changed.
    #[error(
        "run {run} was scored with ruleset `{source_name}` (sha256 {hash}), which cannot be loaded unchanged; pass it with --ruleset"
    )]
    Ruleset {
        /// The run.
        run: RunId,
        /// Where the run's ruleset came from.
        source_name: String,
        /// Its hash, shortened.
        hash: String,
    },
    /// A council's assessment went from the store while its report was being written.
    #[error(
        "run {run}: the assessment of {slug} went from the database while the report was written; write the report again"
    )]
    Vanished {
        /// The run.
        run: RunId,
        /// The council.
        slug: String,
    },
    /// `compare` was given runs it cannot compare.
    #[error("{0}")]
    Compare(String),
    /// A template failed to render (a bug in a template or a view model).
    #[error("report template {template}: {source:#}")]
    Template {
        /// The template.
        template: String,
        /// The error.
        source: minijinja::Error,
    },
    /// A file could not be written.
    #[error("{path}: cannot write: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// A CSV file could not be written.
    #[error("{path}: cannot write CSV: {source}")]
    Csv {
        /// The file.
        path: String,
        /// The error.
        source: csv::Error,
    },
    /// A JSON file could not be written.
    #[error("{path}: cannot write JSON: {source}")]
    Json {
        /// The file.
        path: String,
        /// The error.
        source: serde_json::Error,
    },
}
