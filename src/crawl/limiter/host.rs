//! One host's politeness, and [`Hosts`], the run's map of them: a governor direct limiter with a
//! burst of 1 (so the host's own Crawl-delay and backoff can raise its interval, which a keyed
//! limiter sharing one quota cannot), a concurrency of 1 raised to 2 while the host's latency
//! exceeds its interval, a "not before" instant for Retry-After and backoff, and a failure count
//! after which the host is given up.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use dashmap::DashMap;
use governor::clock::Clock;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, SemaphorePermit};

use super::global::GlobalCap;
use tokio::time::Instant;

/// Concurrent requests to one host at most (when it is slow; otherwise 1).
const MAX_HOST_CONCURRENCY: u32 = 2;

/// The politeness state of one authority.
#[derive(Debug)]
pub struct Host {
    authority: String,
    limiter: RwLock<Arc<DefaultDirectRateLimiter>>,
    interval: Mutex<Duration>,
    /// The last request sent: a second guard besides governor, because a request may wait for a
    /// global permit after passing the limiter.
    last_sent: Mutex<Option<Instant>>,
    not_before: Mutex<Instant>,
    slots: Arc<Semaphore>,
    wide: AtomicBool,
    latency_ms: AtomicU64,
    failures: AtomicU32,
    given_up: Mutex<Option<String>>,
}

/// Held while a request to a host is in flight.
#[derive(Debug)]
pub struct HostPermit {
    _slots: Option<OwnedSemaphorePermit>,
}

fn limiter(interval: Duration) -> DefaultDirectRateLimiter {
    let quota = Quota::with_period(interval.max(Duration::from_micros(1)))
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::MIN);
    RateLimiter::direct(quota)
}

impl Host {
    /// A host allowed one request per `interval`.
    pub fn new(authority: String, interval: Duration) -> Self {
        Host {
            authority,
            limiter: RwLock::new(Arc::new(limiter(interval))),
            interval: Mutex::new(interval),
            last_sent: Mutex::new(None),
            not_before: Mutex::new(Instant::now()),
            slots: Arc::new(Semaphore::new(MAX_HOST_CONCURRENCY as usize)),
            wide: AtomicBool::new(false),
            latency_ms: AtomicU64::new(0),
            failures: AtomicU32::new(0),
            given_up: Mutex::new(None),
        }
    }

    /// `host:port`.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The current interval between requests.
    pub fn interval(&self) -> Duration {
        *lock(&self.interval)
    }

    /// Raises the interval (a Crawl-delay); never lowers it.
    pub fn raise_interval(&self, to: Duration) {
        let mut interval = lock(&self.interval);
        if to <= *interval {
            return;
        }
        *interval = to;
        let fresh = limiter(to);
        // A new limiter would let the next request through at once; spend its one cell so the
        // next request waits a whole new interval.
        let _ = fresh.check();
        *self.limiter.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
    }

    /// Waits until a request may be sent: a host slot (2 at once only while the host is slow),
    /// any Retry-After or backoff, the rate limiter, then a global slot. The returned permits are
    /// held until the response is read.
    pub async fn acquire<'g>(
        &self,
        global: &'g GlobalCap,
    ) -> (HostPermit, Option<SemaphorePermit<'g>>) {
        let need = if self.wide.load(Ordering::Relaxed) {
            1
        } else {
            MAX_HOST_CONCURRENCY
        };
        // The semaphore is never closed, so acquiring cannot fail; if it ever did, carry on
        // without the slot rather than stall the crawl.
        let slots = Arc::clone(&self.slots).acquire_many_owned(need).await.ok();
        'limited: loop {
            let not_before = *lock(&self.not_before);
            tokio::time::sleep_until(not_before).await;
            let limiter = Arc::clone(&self.limiter.read().unwrap_or_else(|e| e.into_inner()));
            // Waited for on tokio's timer, not with governor's `until_ready`, whose timer is a
            // thread of its own (futures-timer): every wait ended with a wake from that thread
            // to a worker, a context switch each.
            while let Err(not_until) = limiter.check() {
                let wait = not_until.wait_time_from(limiter.clock().now());
                tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
            }
            let mut global_permit = global.acquire().await;
            // The limiter's cell is spent: from here only the last-sent guard is waited for.
            // (Going back to the limiter after a too-soon wait of a millisecond or two, when
            // governor's clock ran slightly ahead of the previous send, cost a second whole
            // interval: half the requests of some hosts went at half the rate; see
            // benches/crawl.rs.)
            loop {
                let now = Instant::now();
                if *lock(&self.not_before) > now {
                    continue 'limited; // a 429 arrived meanwhile
                }
                let interval = self.interval();
                let too_soon = {
                    let mut last = lock(&self.last_sent);
                    match last.map(|t| t + interval).filter(|e| *e > now) {
                        Some(earliest) => Some(earliest),
                        None => {
                            *last = Some(now);
                            None
                        }
                    }
                };
                match too_soon {
                    Some(earliest) => {
                        drop(global_permit);
                        tokio::time::sleep_until(earliest).await;
                        global_permit = global.acquire().await;
                    }
                    None => return (HostPermit { _slots: slots }, global_permit),
                }
            }
        }
    }

    /// Postpones every request to this host until `until` (Retry-After, backoff).
    pub fn delay_until(&self, until: Instant) {
        let mut nb = lock(&self.not_before);
        if until > *nb {
            *nb = until;
        }
    }

    /// Records a response's latency; a host slower than its interval gets a second slot.
    pub fn record_latency(&self, latency: Duration) {
        let ms = latency.as_millis() as u64;
        let old = self.latency_ms.load(Ordering::Relaxed);
        // An exponential moving average with weight 1/4 on the newest sample.
        let ema = if old == 0 { ms } else { (old * 3 + ms) / 4 };
        self.latency_ms.store(ema, Ordering::Relaxed);
        let slow = Duration::from_millis(ema) > self.interval();
        self.wide.store(slow, Ordering::Relaxed);
    }

    /// Records a successful exchange.
    pub fn record_success(&self) {
        self.failures.store(0, Ordering::Relaxed);
    }

    /// Records a failed request (after its retries); returns the count of failures in a row.
    pub fn record_failure(&self) -> u32 {
        self.failures.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Gives the host up for the rest of the run.
    pub fn give_up(&self, reason: String) {
        let mut g = lock(&self.given_up);
        if g.is_none() {
            tracing::warn!(host = %self.authority, %reason, "giving up on host");
            *g = Some(reason);
        }
    }

    /// Why the host was given up, if it was.
    pub fn given_up(&self) -> Option<String> {
        lock(&self.given_up).clone()
    }
}

/// The hosts seen in a run, by authority.
#[derive(Debug)]
pub struct Hosts {
    map: DashMap<String, Arc<Host>>,
    interval: Duration,
}

impl Hosts {
    /// An empty map whose hosts start at one request per `interval`.
    pub fn new(interval: Duration) -> Self {
        Hosts {
            map: DashMap::new(),
            interval,
        }
    }

    /// The state of `authority`, created on first use.
    pub fn get(&self, authority: &str) -> Arc<Host> {
        if let Some(h) = self.map.get(authority) {
            return Arc::clone(h.value());
        }
        let entry = self
            .map
            .entry(authority.to_string())
            .or_insert_with(|| Arc::new(Host::new(authority.to_string(), self.interval)));
        Arc::clone(entry.value())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The guarded values stay valid even if a holder panicked.
    m.lock().unwrap_or_else(|e| e.into_inner())
}
