//! The survey's store writer: one thread that owns every write of a run, fed by a bounded queue
//! and committing the writes in batches, so the pages' handlers never wait on SQLite.
//!
//! A batch is up to [`WriterConfig::max_batch`] writes, or what arrived within
//! [`WriterConfig::max_delay`] of its first, whichever comes first; it is one transaction, in the
//! order the writes were sent. So a crash loses at most the writes not committed yet (the batch
//! being gathered and the queue), and always a suffix of them: a page never without its findings,
//! never a page whose parent is lost, and a resumed crawl fetches exactly the lost pages again.
//! When the queue is full, a sender waits (back-pressure: the memory held is bounded).
//!
//! Reads of what was written go through the store's other connection, after [`StoreWriter::flush`]
//! (or a write sent with [`StoreWriter::write_and_wait`]) returns: both wait until everything
//! sent before them is committed.
//!
//! The writer has a connection of its own to the database file, so reads never wait for a batch
//! (SQLite's WAL lets them read the last commit meanwhile); a database in memory has one
//! connection only, which the writer then shares, taking its lock for each batch.

use std::fmt;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{RunId, Store, StoreError, Write};

/// How the writer batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriterConfig {
    /// Writes the queue holds before a sender waits.
    pub capacity: usize,
    /// Writes committed in one transaction at most.
    pub max_batch: usize,
    /// How long a batch gathers writes after its first before it is committed.
    pub max_delay: Duration,
}

impl Default for WriterConfig {
    fn default() -> Self {
        // A page with its findings is a few kilobytes: a full queue holds a few megabytes. A
        // tenth of a second of pages is what a crash can lose beyond the queue.
        WriterConfig {
            capacity: 512,
            max_batch: 256,
            max_delay: Duration::from_millis(100),
        }
    }
}

/// What the writer did: the survey prints it as one line (see [`fmt::Display`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriterStats {
    /// Pages committed.
    pub pages: u64,
    /// Transactions committed.
    pub batches: u64,
    /// Writes that could not be stored (each logged with its page).
    pub failed: u64,
    /// The most writes waiting in the queue at once (at most `capacity`).
    pub queue_peak: u64,
    /// The queue's capacity.
    pub capacity: u64,
    /// Time senders spent waiting for room in a full queue, summed over senders.
    pub waited: Duration,
    /// Time the writer spent writing and committing.
    pub busy: Duration,
}

impl fmt::Display for WriterStats {
    /// `store: 98,596 pages in 1,020 batches, writer busy 4.2 s, queue peak 37 of 512, waited 0.0 s`
    /// (and `, 2 writes failed` when some did).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "store: {} pages in {} batches, writer busy {:.1} s, queue peak {} of {}, waited {:.1} s",
            thousands(self.pages),
            thousands(self.batches),
            self.busy.as_secs_f64(),
            thousands(self.queue_peak),
            thousands(self.capacity),
            self.waited.as_secs_f64()
        )?;
        if self.failed > 0 {
            write!(f, ", {} writes failed", thousands(self.failed))?;
        }
        Ok(())
    }
}

/// `98596` as `98,596`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

type Reply = SyncSender<Result<(), StoreError>>;

enum Msg {
    /// A write, with where to say whether it was stored when the sender waits for it.
    Write(Write, Option<Reply>),
    /// Commit everything before this, then answer.
    Flush(SyncSender<()>),
    /// Commit everything before this, answer, and stop.
    Close(SyncSender<()>),
}

/// The counters the senders and the writer share.
#[derive(Default)]
struct Counters {
    /// Messages sent and not yet taken by the writer (senders waiting for room included).
    queued: AtomicI64,
    queue_peak: AtomicI64,
    waited_ns: AtomicU64,
    pages: AtomicU64,
    batches: AtomicU64,
    failed: AtomicU64,
    busy_ns: AtomicU64,
}

/// The connection the writer writes through.
enum Target {
    Own(Store),
    Shared(Arc<Mutex<Store>>),
}

impl Target {
    fn write(&mut self, run: RunId, writes: &[Write]) -> Result<(), StoreError> {
        match self {
            Target::Own(store) => store.write_batch(run, writes),
            Target::Shared(store) => store
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .write_batch(run, writes),
        }
    }
}

/// The writer of one run: cheap to share (`Arc`), every method callable from any thread that
/// may block (not from async code: a full queue blocks the sender).
pub struct StoreWriter {
    tx: SyncSender<Msg>,
    counters: Arc<Counters>,
    capacity: usize,
    path: String,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl fmt::Debug for StoreWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreWriter")
            .field("path", &self.path)
            .finish()
    }
}

impl StoreWriter {
    /// Starts the writer of `run` on `store`'s database: on a connection of its own for a file,
    /// else sharing `store`. Nothing else may write to the run until [`StoreWriter::close`].
    pub fn start(
        store: &Arc<Mutex<Store>>,
        run: RunId,
        config: WriterConfig,
    ) -> Result<StoreWriter, StoreError> {
        let (target, path) = {
            let shared = store.lock().unwrap_or_else(|e| e.into_inner());
            let target = match shared.reopen() {
                Some(own) => Target::Own(own?),
                None => Target::Shared(Arc::clone(store)),
            };
            (target, shared.path().to_string())
        };
        let capacity = config.capacity.max(1);
        let (tx, rx) = mpsc::sync_channel(capacity);
        let counters = Arc::new(Counters::default());
        let thread = {
            let counters = Arc::clone(&counters);
            std::thread::Builder::new()
                .name("store-writer".into())
                .spawn(move || write_loop(target, run, rx, &counters, config))
                .map_err(|e| StoreError::Writer {
                    path: path.clone(),
                    message: format!("cannot start the writer thread: {e}"),
                })?
        };
        Ok(StoreWriter {
            tx,
            counters,
            capacity,
            path,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Queues a write; waits only while the queue is full. What the writer cannot store is
    /// logged with the page it was for.
    pub fn write(&self, write: Write) -> Result<(), StoreError> {
        self.send(Msg::Write(write, None))
    }

    /// Queues a write and waits until it is committed, with everything sent before it.
    pub fn write_and_wait(&self, write: Write) -> Result<(), StoreError> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.send(Msg::Write(write, Some(reply)))?;
        answer.recv().map_err(|_| self.stopped())?
    }

    /// Waits until everything sent before is committed, so reads see it.
    pub fn flush(&self) -> Result<(), StoreError> {
        let (ack, done) = mpsc::sync_channel(1);
        self.send(Msg::Flush(ack))?;
        done.recv().map_err(|_| self.stopped())
    }

    /// Commits everything sent, stops the writer and says what it did. Writes sent after it
    /// fail; closing again only says what it did.
    pub fn close(&self) -> WriterStats {
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(thread) = thread {
            let (ack, done) = mpsc::sync_channel(1);
            if self.send(Msg::Close(ack)).is_ok() {
                let _ = done.recv();
            }
            if thread.join().is_err() {
                tracing::error!("{}: the store's writer panicked", self.path);
            }
        }
        self.stats()
    }

    /// The database file it writes.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What the writer has done so far.
    pub fn stats(&self) -> WriterStats {
        let c = &self.counters;
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        WriterStats {
            pages: load(&c.pages),
            batches: load(&c.batches),
            failed: load(&c.failed),
            queue_peak: (c.queue_peak.load(Ordering::Relaxed).max(0) as u64)
                .min(self.capacity as u64),
            capacity: self.capacity as u64,
            waited: Duration::from_nanos(load(&c.waited_ns)),
            busy: Duration::from_nanos(load(&c.busy_ns)),
        }
    }

    fn stopped(&self) -> StoreError {
        StoreError::Writer {
            path: self.path.clone(),
            message: "the store's writer has stopped, so nothing more is written".into(),
        }
    }

    fn send(&self, msg: Msg) -> Result<(), StoreError> {
        let c = &self.counters;
        // Counted before it is sent, so the writer's count of it taken never comes first.
        let queued = c.queued.fetch_add(1, Ordering::Relaxed) + 1;
        c.queue_peak.fetch_max(queued, Ordering::Relaxed);
        let sent = match self.tx.try_send(msg) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(msg)) => {
                let started = Instant::now();
                let sent = self.tx.send(msg).map_err(|_| ());
                c.waited_ns
                    .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
                sent
            }
            Err(TrySendError::Disconnected(_)) => Err(()),
        };
        sent.map_err(|()| {
            c.queued.fetch_sub(1, Ordering::Relaxed);
            self.stopped()
        })
    }
}

impl Drop for StoreWriter {
    fn drop(&mut self) {
        self.close();
    }
}

/// The writer thread: gathers a batch, commits it, answers whoever waits for it; until closed
/// or every sender is gone.
fn write_loop(
    mut target: Target,
    run: RunId,
    rx: mpsc::Receiver<Msg>,
    counters: &Counters,
    config: WriterConfig,
) {
    let max_batch = config.max_batch.max(1);
    let mut batch: Vec<Write> = Vec::new();
    let mut replies: Vec<(usize, Reply)> = Vec::new();
    let mut acks: Vec<SyncSender<()>> = Vec::new();
    while let Ok(first) = rx.recv() {
        let deadline = Instant::now() + config.max_delay;
        let mut next = Some(first);
        let mut closing = false;
        while let Some(msg) = next.take() {
            counters.queued.fetch_sub(1, Ordering::Relaxed);
            match msg {
                Msg::Write(w, reply) => {
                    let waited_for = reply.is_some();
                    if let Some(r) = reply {
                        replies.push((batch.len(), r));
                    }
                    batch.push(w);
                    // Someone waits for this one: commit now.
                    if waited_for {
                        break;
                    }
                }
                Msg::Flush(ack) => {
                    acks.push(ack);
                    break;
                }
                Msg::Close(ack) => {
                    acks.push(ack);
                    closing = true;
                    break;
                }
            }
            let now = Instant::now();
            if batch.len() >= max_batch || now >= deadline {
                break;
            }
            match rx.recv_timeout(deadline - now) {
                Ok(msg) => next = Some(msg),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
            }
        }
        commit(&mut target, run, &mut batch, &mut replies, counters);
        for ack in acks.drain(..) {
            let _ = ack.send(());
        }
        if closing {
            return;
        }
    }
}

/// Commits a batch in one transaction; when that fails, each write alone, so one bad write
/// loses only itself.
fn commit(
    target: &mut Target,
    run: RunId,
    batch: &mut Vec<Write>,
    replies: &mut Vec<(usize, Reply)>,
    counters: &Counters,
) {
    if batch.is_empty() {
        return;
    }
    let started = Instant::now();
    let pages = |ws: &[Write]| ws.iter().filter(|w| matches!(w, Write::Page(_))).count() as u64;
    let mut results: Vec<Result<(), StoreError>> = Vec::new();
    match target.write(run, batch) {
        Ok(()) => {
            counters.pages.fetch_add(pages(batch), Ordering::Relaxed);
            counters.batches.fetch_add(1, Ordering::Relaxed);
        }
        Err(e) => {
            tracing::warn!(
                "{} writes could not be committed together ({e}); writing them one at a time",
                batch.len()
            );
            for w in batch.iter() {
                let one = std::slice::from_ref(w);
                let result = target.write(run, one);
                counters.batches.fetch_add(1, Ordering::Relaxed);
                match &result {
                    Ok(()) => {
                        counters.pages.fetch_add(pages(one), Ordering::Relaxed);
                    }
                    Err(e) => {
                        counters.failed.fetch_add(1, Ordering::Relaxed);
                        tracing::error!("{}: {} not stored: {e}", w.slug(), w.describe());
                    }
                }
                results.push(result);
            }
        }
    }
    counters
        .busy_ns
        .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    let mut results = results.into_iter().map(Some).collect::<Vec<_>>();
    for (i, reply) in replies.drain(..) {
        let result = results.get_mut(i).and_then(Option::take).unwrap_or(Ok(()));
        let _ = reply.send(result);
    }
    batch.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_with_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(98_596), "98,596");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn the_line_says_pages_batches_queue_and_waits() {
        let s = WriterStats {
            pages: 98_596,
            batches: 1_020,
            failed: 0,
            queue_peak: 37,
            capacity: 512,
            waited: Duration::from_millis(40),
            busy: Duration::from_millis(4_230),
        };
        assert_eq!(
            s.to_string(),
            "store: 98,596 pages in 1,020 batches, writer busy 4.2 s, queue peak 37 of 512, waited 0.0 s"
        );
    }
}
