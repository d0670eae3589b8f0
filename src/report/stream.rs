//! Councils made in parallel and written in order: each worker thread reads councils from the
//! store with a connection of its own and makes their parts; the calling thread appends the
//! parts in site order. At most [`WINDOW`] councils per worker are in flight (made or being
//! made, not yet appended), so memory stays flat however many councils the run has.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex};

use super::error::ReportError;
use crate::store::Store;

/// Councils in flight per worker at most.
const WINDOW: usize = 8;

/// Worker threads: the cores there are, up to eight.
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(8)
}

/// Which council a worker takes next, and how far the appending has come.
struct Gate {
    state: Mutex<GateState>,
    moved: Condvar,
    window: usize,
}

struct GateState {
    next: usize,
    appended: usize,
    stop: bool,
}

impl Gate {
    fn lock(&self) -> std::sync::MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next council to make, once it is within the window; `None` when there is none or
    /// the report has stopped.
    fn take(&self, n: usize) -> Option<usize> {
        let mut st = self.lock();
        loop {
            if st.stop || st.next >= n {
                return None;
            }
            if st.next < st.appended + self.window {
                st.next += 1;
                return Some(st.next - 1);
            }
            st = self.moved.wait(st).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn appended(&self, count: usize) {
        self.lock().appended = count;
        self.moved.notify_all();
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.moved.notify_all();
    }
}

/// Stops the other workers when a worker panics, so they do not wait for a council that will
/// never be appended.
struct StopOnPanic<'a>(&'a Gate);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

/// Makes the parts of councils `0..n` with `make` and hands them to `append` in order. A
/// database in memory has no second connection: then each council is made here, in turn.
pub(super) fn in_order<P: Send>(
    store: &Store,
    n: usize,
    make: &(dyn Fn(&Store, usize) -> Result<P, ReportError> + Sync),
    append: &mut dyn FnMut(P) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let mut conns = Vec::new();
    for _ in 0..threads().min(n) {
        match store.reopen() {
            Some(conn) => conns.push(conn?),
            None => break,
        }
    }
    if conns.is_empty() {
        for i in 0..n {
            append(make(store, i)?)?;
        }
        return Ok(());
    }
    let gate = Gate {
        state: Mutex::new(GateState {
            next: 0,
            appended: 0,
            stop: false,
        }),
        moved: Condvar::new(),
        window: WINDOW * conns.len(),
    };
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<P, ReportError>)>();
    std::thread::scope(|scope| {
        for conn in conns {
            let (tx, gate) = (tx.clone(), &gate);
            scope.spawn(move || {
                let _stop = StopOnPanic(gate);
                while let Some(i) = gate.take(n) {
                    if tx.send((i, make(&conn, i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting: BTreeMap<usize, Result<P, ReportError>> = BTreeMap::new();
        let mut next = 0;
        let appended = (|| {
            for (i, made) in &rx {
                waiting.insert(i, made);
                while let Some(made) = waiting.remove(&next) {
                    append(made?)?;
                    next += 1;
                    gate.appended(next);
                }
            }
            Ok(())
        })();
        if appended.is_err() {
            gate.stop();
        }
        appended
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make_upto(
        fail_at: Option<usize>,
    ) -> impl Fn(&Store, usize) -> Result<usize, ReportError> + Sync {
        move |_: &Store, i: usize| {
            if Some(i) == fail_at {
                Err(ReportError::Compare(format!("council {i}")))
            } else {
                Ok(i * 10)
            }
        }
    }

    #[test]
    fn parts_made_on_threads_are_appended_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let mut seen = Vec::new();
        in_order(&store, 500, &make_upto(None), &mut |p| {
            seen.push(p);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, (0..500).map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn a_failed_council_stops_the_report_with_its_error_after_the_ones_before() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let mut seen = Vec::new();
        let err = in_order(&store, 500, &make_upto(Some(37)), &mut |p| {
            seen.push(p);
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "council 37");
        assert_eq!(seen, (0..37).map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn a_database_in_memory_is_written_on_the_calling_thread_in_order() {
        let store = Store::open_in_memory().unwrap();
        let mut seen = Vec::new();
        in_order(&store, 20, &make_upto(None), &mut |p| {
            seen.push(p);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, (0..20).map(|i| i * 10).collect::<Vec<_>>());
    }
}
