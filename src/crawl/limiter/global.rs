//! The cap on requests in flight across all hosts, sized to the work: it starts small and grows
//! whenever a request whose host is due has to wait for it, up to a ceiling set by the ruleset's
//! `global_concurrency` and the process's file-descriptor limit. A fixed cap tuned on loopback
//! held a national run at real latencies to cap ÷ latency requests a second: at 64 and 500 ms,
//! 2.4 times the politeness bound (benches/crawl.rs). Hosts themselves never have more than two
//! requests in flight, so the cap only bounds resources; it never shrinks, since unused permits
//! cost nothing.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{Semaphore, SemaphorePermit};

/// Requests in flight allowed at first.
const START: usize = 64;

/// File descriptors kept back for the database, logs and the rest of the process.
const RESERVED_FDS: u64 = 256;

/// The global cap.
#[derive(Debug)]
pub struct GlobalCap {
    sem: Semaphore,
    size: AtomicUsize,
    ceiling: usize,
}

impl GlobalCap {
    /// A cap that may grow to `max` requests in flight (and no further than the descriptor
    /// limit allows).
    pub fn new(max: usize) -> Self {
        let ceiling = max.max(1).min(fd_ceiling());
        let start = START.min(ceiling);
        GlobalCap {
            sem: Semaphore::new(start),
            size: AtomicUsize::new(start),
            ceiling,
        }
    }

    /// Requests in flight allowed now.
    pub fn size(&self) -> usize {
        self.size.load(Ordering::Relaxed)
    }

    /// The most the cap may grow to.
    pub fn ceiling(&self) -> usize {
        self.ceiling
    }

    /// Waits for a slot, growing the cap first when none is free.
    pub async fn acquire(&self) -> Option<SemaphorePermit<'_>> {
        if let Ok(p) = self.sem.try_acquire() {
            return Some(p);
        }
        self.grow();
        self.sem.acquire().await.ok()
    }

    /// Adds an eighth (at least one slot), up to the ceiling.
    fn grow(&self) {
        let mut cur = self.size.load(Ordering::Relaxed);
        while cur < self.ceiling {
            let add = (cur / 8).max(1).min(self.ceiling - cur);
            match self
                .size
                .compare_exchange(cur, cur + add, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => {
                    self.sem.add_permits(add);
                    return;
                }
                Err(now) => cur = now,
            }
        }
    }
}

/// Requests in flight the file-descriptor limit allows: each holds a socket, and each host
/// keeps one idle connection for its next request.
pub fn fd_ceiling() -> usize {
    (free_fds() / 2).max(1)
}

/// Open files the process may use for connections: its limit less [`RESERVED_FDS`].
fn free_fds() -> usize {
    usize::try_from(fd_limit().saturating_sub(RESERVED_FDS)).unwrap_or(usize::MAX)
}

/// Councils worth crawling at once, given the open-files limit and `requests_ceiling`, the
/// most requests in flight the global cap may grow to: every council in flight keeps one idle
/// connection to its host, every request in flight holds a socket besides (at worst), and a
/// council that has finished leaves its idle connection open until the pool drops it (up to
/// twice the idle timeout), so a third of what is left is kept for those.
pub fn sites_ceiling(requests_ceiling: usize) -> usize {
    (free_fds().saturating_sub(requests_ceiling) / 3 * 2).max(1)
}

/// The process's soft limit on open files (1024 when it cannot be read).
pub fn fd_limit() -> u64 {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes one rlimit through a valid pointer to a local.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
            return lim.rlim_cur;
        }
    }
    1024
}

/// Raises the soft limit on open files to the hard limit, as crawlers do: a national run keeps
/// a connection per council. Returns the limit in force afterwards.
pub fn raise_fd_limit() -> u64 {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit read and write one rlimit through valid pointers to a
        // local; raising the soft limit up to the hard limit needs no privilege.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
                let raised = libc::rlimit {
                    rlim_cur: lim.rlim_max,
                    rlim_max: lim.rlim_max,
                };
                let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &raised);
            }
        }
    }
    fd_limit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_cap_grows_only_when_a_request_has_to_wait_and_stops_at_its_ceiling() {
        let cap = GlobalCap::new(70);
        assert_eq!((cap.size(), cap.ceiling().min(70)), (64, 70));
        let mut held = Vec::new();
        for _ in 0..64 {
            held.push(cap.acquire().await.unwrap());
        }
        assert_eq!(cap.size(), 64, "free slots were enough");
        held.push(cap.acquire().await.unwrap());
        assert_eq!(cap.size(), 70, "grew by an eighth, held at the ceiling");
        for _ in 0..5 {
            held.push(cap.acquire().await.unwrap());
        }
        let more = tokio::time::timeout(std::time::Duration::from_millis(50), cap.acquire()).await;
        assert!(more.is_err(), "no slot past the ceiling");
    }

    #[test]
    fn councils_in_flight_leave_room_for_requests_and_finished_councils_connections() {
        let free = free_fds();
        let requests = GlobalCap::new(4096).ceiling();
        let sites = sites_ceiling(requests);
        // An idle connection for each council in flight, a socket for each request and half as
        // many again for councils just finished stay within the limit.
        assert!(
            sites + requests + sites / 2 <= free.max(3),
            "{sites} {requests} {free}"
        );
        assert!(sites >= 1);
        if free >= 4 * requests {
            assert!(
                sites >= free / 2,
                "a large limit is not halved: {sites} of {free}"
            );
        }
    }

    #[test]
    fn a_cap_of_one_stays_one() {
        let cap = GlobalCap::new(1);
        assert_eq!((cap.size(), cap.ceiling()), (1, 1));
    }
}
