//! What a surveyor watching a run sees: councils done of all, pages fetched, pages per second,
//! failures so far and an ETA from the politeness bound, with one line per council as each is
//! assessed. On a terminal it is a bar with that status; otherwise (a run under nohup, cron or
//! CI) a plain status line every so often; `--quiet` shows nothing.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::audit::SiteAssessment;
use crate::crawl::{CrawlStats, StopSignal};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressMode {
    /// Nothing (`--quiet`, and library callers by default).
    #[default]
    Quiet,
    /// A live bar on a terminal, with a line per council above it.
    Bar,
    /// A line per council and a status line at this interval (stderr is not a terminal).
    Lines {
        /// Time between status lines.
        every: Duration,
    },
}

/// A page budget above this is "crawl everything": no ETA is shown from it.
const MAX_BUDGET_FOR_ETA: u64 = 2_000;

/// The politeness bound's inputs: pages a council may still need and the time each costs.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// Pages per council at most (the crawl budget).
    pub max_pages: u64,
    /// The interval between two requests to one host.
    pub interval: Duration,
}

/// Progress of one survey; cheap to clone, shared by the site tasks.
#[derive(Clone)]
pub struct Progress {
    inner: Arc<Inner>,
}

struct Inner {
    mode: ProgressMode,
    bar: Option<indicatif::ProgressBar>,
    total: u64,
    done: AtomicU64,
    failed_councils: AtomicU64,
    /// Councils assessed in this invocation, and the most pages one of them had: the expected
    /// size of the rest (the largest councils finish last, so a mean would run short).
    finished_here: AtomicU64,
    finished_pages: AtomicU64,
    started: Instant,
    stats: Arc<CrawlStats>,
    /// Pages and errors already counted when this invocation began (a resumed run's).
    pages_before: u64,
    pace: Pace,
    /// Pages fetched so far per council in flight.
    in_flight: Mutex<HashMap<String, u64>>,
    announced_stop: AtomicU64,
}

impl Progress {
    /// Progress over `total` councils, `already_done` of them by an earlier invocation.
    pub fn new(
        mode: ProgressMode,
        total: u64,
        already_done: u64,
        stats: Arc<CrawlStats>,
        pace: Pace,
    ) -> Progress {
        let bar = (mode == ProgressMode::Bar).then(|| {
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:25} {pos}/{len} councils · {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_position(already_done);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        let pages_before = stats.snapshot().pages;
        Progress {
            inner: Arc::new(Inner {
                mode,
                bar,
                total,
                done: AtomicU64::new(already_done),
                failed_councils: AtomicU64::new(0),
                finished_here: AtomicU64::new(0),
                finished_pages: AtomicU64::new(0),
                started: Instant::now(),
                stats,
                pages_before,
                pace,
                in_flight: Mutex::new(HashMap::new()),
                announced_stop: AtomicU64::new(0),
            }),
        }
    }

    /// Progress that shows nothing (for callers that drive the crawl themselves).
    pub fn quiet() -> Progress {
        Progress::new(
            ProgressMode::Quiet,
            0,
            0,
            Arc::new(CrawlStats::default()),
            Pace {
                max_pages: 1,
                interval: Duration::from_secs(1),
            },
        )
    }

    /// Counts a page fetched for a council.
    pub fn page(&self, slug: &str) {
        if self.inner.mode == ProgressMode::Quiet {
            return;
        }
        let mut map = self
            .inner
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *map.entry(slug.to_string()).or_insert(0) += 1;
    }

    /// A council is assessed: prints its line and moves the count on.
    pub fn council_done(&self, a: &SiteAssessment, elapsed: Duration) {
        let i = &self.inner;
        let done = i.done.fetch_add(1, Ordering::Relaxed) + 1;
        i.in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&a.site.slug);
        i.finished_here.fetch_add(1, Ordering::Relaxed);
        i.finished_pages
            .fetch_max(u64::from(a.pages_fetched), Ordering::Relaxed);
        let line = match &a.failure {
            Some(reason) => {
                i.failed_councils.fetch_add(1, Ordering::Relaxed);
                format!(
                    "[{done}/{}] {}: not surveyed: {reason}",
                    i.total, a.site.slug
                )
            }
            None => {
                let failed = a.crawl.pages_failed();
                let failed = if failed > 0 {
                    format!(", {failed} failed")
                } else {
                    String::new()
                };
                format!(
                    "[{done}/{}] {}: {} pages{failed} in {}",
                    i.total,
                    a.site.slug,
                    a.pages_fetched,
                    duration(elapsed)
                )
            }
        };
        self.println(&line);
        if let Some(bar) = &i.bar {
            bar.set_position(done);
            bar.set_message(self.status());
        }
    }

    /// One status line: pages, rate, failures, ETA.
    pub fn status(&self) -> String {
        let i = &self.inner;
        let s = i.stats.snapshot();
        let pages = s.pages.saturating_sub(i.pages_before);
        let secs = i.started.elapsed().as_secs_f64().max(0.001);
        let mut out = format!(
            "{} pages ({:.1}/s), {} failed",
            pages,
            pages as f64 / secs,
            s.errors
        );
        let failed = i.failed_councils.load(Ordering::Relaxed);
        if failed > 0 {
            out.push_str(&format!(" · {failed} not surveyed"));
        }
        match self.eta() {
            Some((eta, true)) if eta.is_zero() => out.push_str(" · finishing"),
            Some((eta, true)) => out.push_str(&format!(" · ETA ~{}", duration(eta))),
            // Until three councils have finished, only the page budget bounds the rest.
            Some((eta, false)) => out.push_str(&format!(" · ETA at most {}", duration(eta))),
            None => {}
        }
        out
    }

    /// Time left at the politeness bound: councils crawl in parallel, so it is the largest of
    /// (pages a council still needs × the host interval). A council's size is taken as the mean
    /// of finished councils once three have finished (then the flag is true), else the page
    /// budget (an upper bound).
    fn eta(&self) -> Option<(Duration, bool)> {
        let i = &self.inner;
        let done = i.done.load(Ordering::Relaxed);
        if done >= i.total {
            return None;
        }
        let finished_here = i.finished_here.load(Ordering::Relaxed);
        let (expected, measured) = match i.finished_pages.load(Ordering::Relaxed) {
            p if finished_here >= 3 && p > 0 => (p.clamp(1, i.pace.max_pages), true),
            // Only the page budget bounds a council's size yet; a budget set far above any
            // site's size ("crawl everything") bounds nothing worth showing.
            _ if i.pace.max_pages > MAX_BUDGET_FOR_ETA => return None,
            _ => (i.pace.max_pages, false),
        };
        let map = i.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        // Councils not started yet count as needing everything; a council already past the
        // expected size is taken to need a tenth more.
        let most_left = if (map.len() as u64) < i.total - done {
            expected
        } else {
            map.values()
                .map(|&got| expected.saturating_sub(got).max(got / 10))
                .max()
                .unwrap_or(0)
        };
        Some((i.pace.interval.mul_f64(most_left as f64), measured))
    }

    /// Prints a line above the bar (or to stderr), never onto the bar's own line.
    pub fn println(&self, line: &str) {
        match (&self.inner.mode, &self.inner.bar) {
            (ProgressMode::Quiet, _) => {}
            (_, Some(bar)) => bar.println(line),
            (_, None) => {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        }
    }

    /// Shows the status until `stop` is raised or the survey ends (the task is aborted then):
    /// the bar's message, or a status line every `every` seconds. Announces a stop once.
    pub async fn run(self, stop: StopSignal) {
        let every = match self.inner.mode {
            ProgressMode::Lines { every } => every,
            _ => Duration::from_millis(500),
        };
        let mut last_line = Instant::now();
        loop {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                _ = stop.stopped(), if self.inner.announced_stop.load(Ordering::Relaxed) == 0 => {
                    self.inner.announced_stop.store(1, Ordering::Relaxed);
                    let line = "stopping: finishing the pages in hand (Ctrl-C again to quit at once)";
                    if self.inner.mode == ProgressMode::Quiet {
                        // Asked for by the person at the keyboard, so said even when quiet.
                        let _ = writeln!(std::io::stderr(), "{line}");
                    } else {
                        self.println(line);
                    }
                }
            }
            match self.inner.mode {
                ProgressMode::Bar => {
                    if let Some(bar) = &self.inner.bar {
                        bar.set_message(self.status());
                    }
                }
                ProgressMode::Lines { .. } if last_line.elapsed() >= every => {
                    last_line = Instant::now();
                    let done = self.inner.done.load(Ordering::Relaxed);
                    self.println(&format!(
                        "[{}] {done}/{} councils · {}",
                        duration(self.inner.started.elapsed()),
                        self.inner.total,
                        self.status()
                    ));
                }
                _ => {}
            }
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.inner.bar {
            bar.finish_and_clear();
        }
    }
}

/// A duration for people: `45s`, `3m05s`, `2h07m`.
pub fn duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration(Duration::from_secs(45)), "45s");
        assert_eq!(duration(Duration::from_secs(185)), "3m05s");
        assert_eq!(duration(Duration::from_secs(7620)), "2h07m");
    }

    #[test]
    fn the_eta_is_the_slowest_council_at_the_host_interval() {
        let p = Progress::new(
            ProgressMode::Lines {
                every: Duration::from_secs(30),
            },
            2,
            0,
            Arc::new(CrawlStats::default()),
            Pace {
                max_pages: 100,
                interval: Duration::from_secs(1),
            },
        );
        for _ in 0..40 {
            p.page("a");
        }
        for _ in 0..90 {
            p.page("b");
        }
        // Council `a` has 60 of its 100 pages to go, at one a second.
        assert_eq!(p.eta(), Some((Duration::from_secs(60), false)));
        // With a budget of "everything", the budget says nothing about time left.
        let everything = Progress::new(
            ProgressMode::Quiet,
            2,
            0,
            Arc::new(CrawlStats::default()),
            Pace {
                max_pages: 100_000,
                interval: Duration::from_secs(1),
            },
        );
        assert_eq!(everything.eta(), None);
    }
}
