//! `civicscan runs`: the runs of a database at a glance, with what `compare` and `--resume` need
//! (run numbers, finished or not, the ruleset, councils and failures).

use std::fmt::Write;

use super::settings::short_hash;
use crate::store::{RunCounts, RunInfo, Store, StoreError};

/// One run as listed.
#[derive(Debug, Clone)]
pub struct RunLine {
    /// The run.
    pub info: RunInfo,
    /// Its councils and pages.
    pub counts: RunCounts,
}

/// Every run of the database, oldest first.
pub fn list(store: &Store) -> Result<Vec<RunLine>, StoreError> {
    store
        .runs()?
        .into_iter()
        .map(|info| {
            let counts = store.run_counts(info.id)?;
            Ok(RunLine { info, counts })
        })
        .collect()
}

/// The runs as a table for the terminal.
pub fn table(store: &Store) -> Result<String, StoreError> {
    let runs = list(store)?;
    let mut out = String::new();
    if runs.is_empty() {
        let _ = writeln!(out, "{}: no runs yet", store.path());
        return Ok(out);
    }
    let rows: Vec<[String; 7]> = runs
        .iter()
        .map(|r| {
            let c = &r.counts;
            let state = match &r.info.finished_at {
                Some(at) => format!("finished {at}"),
                None => format!("unfinished ({} of {} done)", c.sites_done, c.sites),
            };
            [
                r.info.id.to_string(),
                r.info.started_at.clone(),
                state,
                format!(
                    "{} {} ({})",
                    r.info.ruleset_name,
                    r.info.ruleset_edition,
                    short_hash(&r.info.ruleset_hash)
                ),
                format!("{}/{}", c.sites - c.sites_failed.min(c.sites), c.sites),
                c.pages.to_string(),
                c.pages_failed.to_string(),
            ]
        })
        .collect();
    let header = [
        "run",
        "started",
        "state",
        "ruleset",
        "surveyed",
        "pages",
        "failed pages",
    ];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            let pad = w.saturating_sub(cell.chars().count());
            // Numbers right-aligned, words left-aligned.
            if matches!(i, 0 | 4 | 5 | 6) {
                l.push_str(&" ".repeat(pad));
                l.push_str(cell);
            } else {
                l.push_str(cell);
                l.push_str(&" ".repeat(pad));
            }
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(&header));
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        let _ = writeln!(out, "{}", line(&cells));
    }
    Ok(out)
}
