//! The threads that do a survey's CPU work — parsing and auditing pages, assessing councils —
//! one per core, kept for the whole run.
//!
//! Why not tokio's blocking threads, as before: the ruleset compiles about 1,700 regexes, and
//! each regex keeps a match cache (its lazy DFA's states, a few to tens of KB) for every thread
//! that has used it; a cache is handed back to a stack picked by the thread's number, so a cache
//! made on one thread is seldom found by the next. Tokio's blocking threads end after ten idle
//! seconds and new ones take new numbers, so over a national run each regex gathered caches for
//! thread after thread: a survey of 100 councils held 150 MB of regex caches at its end
//! (dhat-rs, `--features dhat-heap`), growing by about 1.5 MB with each council finished, the
//! whole of the survey's late memory peak. On a fixed set of threads each regex keeps at most
//! one cache per thread, so that memory stops growing with councils.

use std::any::Any;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

type Job = Box<dyn FnOnce() + Send>;

/// A job's result, or the panic it raised (raised again in the caller, as it would be inline).
type Outcome<T> = Result<T, Box<dyn Any + Send>>;

/// A fixed set of threads running CPU work handed to them, in the order given.
pub struct CpuPool {
    /// `None` when no thread could be started (or once dropped).
    jobs: Option<mpsc::Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

impl CpuPool {
    /// One thread per core.
    pub fn per_core() -> CpuPool {
        CpuPool::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    /// `threads` threads (at least one). A thread that cannot be started is done without; with
    /// none at all, work runs on the caller's thread.
    pub fn new(threads: usize) -> CpuPool {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let handles: Vec<JoinHandle<()>> = (0..threads.max(1))
            .filter_map(|i| {
                let rx = Arc::clone(&rx);
                std::thread::Builder::new()
                    .name(format!("civicscan-cpu-{i}"))
                    .spawn(move || work(&rx))
                    .map_err(|e| tracing::warn!("cannot start a CPU thread: {e}"))
                    .ok()
            })
            .collect();
        CpuPool {
            jobs: (!handles.is_empty()).then_some(tx),
            threads: handles,
        }
    }

    /// Runs `f` on one of the pool's threads and waits for it (from a blocking thread, never
    /// from an async one).
    pub fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = mpsc::sync_channel::<Outcome<T>>(1);
        match self.send(f, move |outcome| {
            let _ = tx.send(outcome);
        }) {
            Ok(()) => match rx.recv() {
                Ok(outcome) => unwind(outcome),
                // The job was dropped unrun: only when the pool's threads are gone.
                Err(_) => panic!("the CPU pool stopped before running a job"),
            },
            Err(f) => f(),
        }
    }

    /// Runs `f` on one of the pool's threads, awaiting its result.
    pub async fn spawn<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = tokio::sync::oneshot::channel::<Outcome<T>>();
        match self.send(f, move |outcome| {
            let _ = tx.send(outcome);
        }) {
            Ok(()) => match rx.await {
                Ok(outcome) => unwind(outcome),
                Err(_) => panic!("the CPU pool stopped before running a job"),
            },
            Err(f) => f(),
        }
    }

    /// Queues `f`, its outcome handed to `reply`; gives `f` back when the pool has no threads.
    fn send<T: Send + 'static, F: FnOnce() -> T + Send + 'static>(
        &self,
        f: F,
        reply: impl FnOnce(Outcome<T>) + Send + 'static,
    ) -> Result<(), F> {
        let Some(jobs) = &self.jobs else {
            return Err(f);
        };
        // A panic is caught so that the thread lives on and the caller raises it.
        let job: Job = Box::new(move || {
            reply(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
        });
        // Sending fails only when every thread has ended, which a caught panic cannot cause.
        if let Err(mpsc::SendError(job)) = jobs.send(job) {
            drop(job);
            panic!("the CPU pool's threads have ended");
        }
        Ok(())
    }
}

impl Drop for CpuPool {
    /// Lets the threads finish the jobs queued and end.
    fn drop(&mut self) {
        drop(self.jobs.take());
        let me = std::thread::current().id();
        for t in self.threads.drain(..).filter(|t| t.thread().id() != me) {
            let _ = t.join();
        }
    }
}

fn work(jobs: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        let job = {
            let rx = jobs.lock().unwrap_or_else(|e| e.into_inner());
            rx.recv()
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

fn unwind<T>(outcome: Outcome<T>) -> T {
    match outcome {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn work_runs_on_the_pools_own_threads_and_no_others() {
        let pool = CpuPool::new(2);
        let names: HashSet<String> = (0..50)
            .map(|_| pool.run(|| std::thread::current().name().unwrap_or("").to_string()))
            .collect();
        assert!(!names.is_empty() && names.len() <= 2, "{names:?}");
        assert!(
            names.iter().all(|n| n.starts_with("civicscan-cpu-")),
            "{names:?}"
        );
    }

    #[test]
    fn a_panicking_job_panics_in_its_caller_and_the_pool_goes_on() {
        let pool = Arc::new(CpuPool::new(1));
        let p = Arc::clone(&pool);
        let caught = std::thread::spawn(move || p.run(|| -> u32 { panic!("bad page") })).join();
        assert!(caught.is_err(), "the caller saw the panic");
        assert_eq!(pool.run(|| 6 * 7), 42, "the thread lived on");
    }

    #[tokio::test]
    async fn async_callers_await_their_results() {
        let pool = Arc::new(CpuPool::new(2));
        let mut waits = Vec::new();
        for i in 0..20u64 {
            let p = Arc::clone(&pool);
            waits.push(tokio::spawn(async move { p.spawn(move || i * i).await }));
        }
        let mut sum = 0;
        for w in waits {
            sum += w.await.expect("joined");
        }
        assert_eq!(sum, (0..20u64).map(|i| i * i).sum::<u64>());
    }
}
