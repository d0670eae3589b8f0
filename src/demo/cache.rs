//! The lazy demo web: councils planned up front, each site built the first time it is asked
//! for and kept packed ([`PackedSite`]) in a cache bounded by memory, least recently used out
//! first. A site evicted and asked for again is built again from its plan, byte for byte the
//! same, so `civicscan demo serve` can serve ten thousand councils without holding every page of
//! every one of them.
//!
//! Building a site is CPU work of a few milliseconds: it runs on the blocking pool, at most one
//! build per core at a time, and requests that arrive for a site while it is being built wait
//! for that one build.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use jiff::civil::Date;
use tokio::sync::Semaphore;

use super::generate::{SitePlan, build_site};
use super::packed::PackedSite;
use crate::ruleset::Ruleset;

/// The default memory budget of the cache: ten thousand councils of a hundred-odd pages each.
pub const DEFAULT_CACHE_BYTES: usize = 512 * 1024 * 1024;

/// Why a site could not be built.
#[derive(Debug, thiserror::Error)]
#[error("demo site {slug}: the build stopped: {why}")]
pub struct BuildError {
    /// The council.
    pub slug: String,
    /// What happened to the build task.
    pub why: String,
}

struct Slot {
    plan: SitePlan,
    built: Mutex<Option<Arc<PackedSite>>>,
    /// Held while the site is being built, so a second request waits for the first build.
    building: tokio::sync::Mutex<()>,
}

/// Which sites are held, oldest use first.
#[derive(Default)]
struct Lru {
    /// Use tick → site.
    order: BTreeMap<u64, usize>,
    /// Site → its last use tick (0: not held) and its size.
    held: Vec<(u64, usize)>,
    tick: u64,
    bytes: usize,
}

/// The planned web and the sites built so far.
pub struct SiteCache {
    ruleset: Arc<Ruleset>,
    extra_pages: usize,
    today: Date,
    slots: Vec<Slot>,
    lru: Mutex<Lru>,
    budget: usize,
    builds: AtomicUsize,
    permits: Semaphore,
}

impl SiteCache {
    /// A cache over planned sites, holding at most about `budget` bytes of packed sites (at
    /// least one site, however large).
    pub fn new(
        ruleset: Arc<Ruleset>,
        plans: Vec<SitePlan>,
        extra_pages: usize,
        today: Date,
        budget: usize,
    ) -> SiteCache {
        let n = plans.len();
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        SiteCache {
            ruleset,
            extra_pages,
            today,
            slots: plans
                .into_iter()
                .map(|plan| Slot {
                    plan,
                    built: Mutex::new(None),
                    building: tokio::sync::Mutex::new(()),
                })
                .collect(),
            lru: Mutex::new(Lru {
                held: vec![(0, 0); n],
                ..Lru::default()
            }),
            budget,
            builds: AtomicUsize::new(0),
            permits: Semaphore::new(cores),
        }
    }

    /// How many sites.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there are no sites.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The plan of site `i`.
    pub fn plan(&self, i: usize) -> Option<&SitePlan> {
        self.slots.get(i).map(|s| &s.plan)
    }

    /// Sites built so far, rebuilds included.
    pub fn builds(&self) -> usize {
        self.builds.load(Ordering::Relaxed)
    }

    /// Sites held now and the bytes they take.
    pub fn held(&self) -> (usize, usize) {
        let lru = self.lru.lock().unwrap_or_else(PoisonError::into_inner);
        (lru.order.len(), lru.bytes)
    }

    /// The memory budget.
    pub fn budget(&self) -> usize {
        self.budget
    }

    fn held_now(&self, i: usize) -> Option<Arc<PackedSite>> {
        let slot = self.slots.get(i)?;
        let site = slot
            .built
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()?;
        self.touch(i);
        Some(site)
    }

    /// Site `i`, built now if it is not held; `None` for no such site.
    pub async fn get(&self, i: usize) -> Option<Result<Arc<PackedSite>, BuildError>> {
        if let Some(site) = self.held_now(i) {
            return Some(Ok(site));
        }
        let slot = self.slots.get(i)?;
        let _building = slot.building.lock().await;
        // Whoever held the lock before may have built it.
        if let Some(site) = self.held_now(i) {
            return Some(Ok(site));
        }
        let built = self.build(i).await;
        if let Ok(site) = &built {
            *slot.built.lock().unwrap_or_else(PoisonError::into_inner) = Some(site.clone());
            self.admit(i, site.bytes());
        }
        Some(built)
    }

    /// Builds and packs site `i` on the blocking pool, one build per core at a time.
    async fn build(&self, i: usize) -> Result<Arc<PackedSite>, BuildError> {
        let slug = self.slots[i].plan.site.slug.clone();
        let _permit = self.permits.acquire().await.map_err(|e| BuildError {
            slug: slug.clone(),
            why: e.to_string(),
        })?;
        let (ruleset, plan) = (self.ruleset.clone(), self.slots[i].plan.clone());
        let (extra, today) = (self.extra_pages, self.today);
        let packed = tokio::task::spawn_blocking(move || {
            Arc::new(PackedSite::pack(&build_site(&ruleset, &plan, extra, today)))
        })
        .await
        .map_err(|e| BuildError {
            slug,
            why: e.to_string(),
        })?;
        self.builds.fetch_add(1, Ordering::Relaxed);
        Ok(packed)
    }

    fn touch(&self, i: usize) {
        let mut lru = self.lru.lock().unwrap_or_else(PoisonError::into_inner);
        let (last, size) = lru.held[i];
        if last == 0 {
            return; // evicted meanwhile; the caller's copy lives until it is done
        }
        lru.order.remove(&last);
        lru.tick += 1;
        let tick = lru.tick;
        lru.order.insert(tick, i);
        lru.held[i] = (tick, size);
    }

    /// Records site `i` as held and evicts the least recently used others over the budget.
    fn admit(&self, i: usize, size: usize) {
        let mut lru = self.lru.lock().unwrap_or_else(PoisonError::into_inner);
        lru.tick += 1;
        let tick = lru.tick;
        lru.order.insert(tick, i);
        lru.held[i] = (tick, size);
        lru.bytes += size;
        while lru.bytes > self.budget && lru.order.len() > 1 {
            let Some((_, oldest)) = lru.order.pop_first() else {
                break;
            };
            let (_, size) = lru.held[oldest];
            lru.held[oldest] = (0, 0);
            lru.bytes -= size;
            *self.slots[oldest]
                .built
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = None;
        }
    }

    /// Builds sites in order, every core at work, until all are held or the next would pass
    /// the budget; returns how many are held.
    pub async fn prebuild(self: &Arc<Self>) -> usize {
        let next = Arc::new(AtomicUsize::new(0));
        let workers = self.permits.available_permits().max(1);
        let mut tasks = Vec::new();
        for _ in 0..workers {
            let (cache, next) = (self.clone(), next.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    let (held, bytes) = cache.held();
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    // Stop while there is still room for a site like the average one so far
                    // from every worker.
                    let average = bytes / held.max(1);
                    if i >= cache.len() || bytes + (workers + 1) * average > cache.budget {
                        break;
                    }
                    if cache.get(i).await.is_none() {
                        break;
                    }
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
        self.held().0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::generate::{generate_at, plan_at};
    use crate::demo::packed::reply_built;
    use crate::ruleset;

    fn today() -> Date {
        jiff::civil::date(2026, 3, 1)
    }

    fn cache(councils: usize, budget: usize) -> Arc<SiteCache> {
        Arc::new(SiteCache::new(
            Arc::new(ruleset::builtin()),
            plan_at(5, councils),
            3,
            today(),
            budget,
        ))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sites_built_on_demand_are_the_generated_ones() {
        let web = generate_at(&ruleset::builtin(), 5, 6, 3, today());
        let cache = cache(6, DEFAULT_CACHE_BYTES);
        assert_eq!(cache.builds(), 0, "nothing is built before it is asked for");
        let base = "http://x.localhost:1";
        // Out of order, as requests come.
        for i in [4, 0, 5, 2, 1, 3] {
            let built = &web.sites[i];
            assert_eq!(cache.plan(i).unwrap().site, built.site);
            let packed = cache.get(i).await.unwrap().unwrap();
            for path in built.pages.keys() {
                let got = packed.reply(path, None, base).unwrap();
                assert_eq!(got, reply_built(built, path, None, base), "{path}");
            }
        }
        assert_eq!(cache.builds(), 6);
        assert!(cache.get(6).await.is_none(), "no such site");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_first_requests_build_a_site_once() {
        let cache = cache(2, DEFAULT_CACHE_BYTES);
        let gets: Vec<_> = (0..16)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.get(1).await.unwrap().unwrap() })
            })
            .collect();
        let mut sites = Vec::new();
        for g in gets {
            sites.push(g.await.unwrap());
        }
        assert_eq!(cache.builds(), 1);
        assert!(sites.iter().all(|s| Arc::ptr_eq(s, &sites[0])));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_least_recently_used_site_is_evicted_and_rebuilt_identically() {
        let base = "http://x.localhost:1";
        let probe = cache(3, DEFAULT_CACHE_BYTES);
        let mut size = Vec::new();
        for i in 0..3 {
            size.push(probe.get(i).await.unwrap().unwrap().bytes());
        }
        // Room for sites 0 and 2, not for all three.
        let cache = cache(3, size[0] + size[2] + size[1] / 2);
        let first = cache.get(0).await.unwrap().unwrap();
        cache.get(1).await.unwrap().unwrap();
        cache.get(0).await.unwrap().unwrap(); // 0 is now the more recent
        cache.get(2).await.unwrap().unwrap(); // over budget: 1 goes
        assert_eq!(cache.builds(), 3);
        let (held, bytes) = cache.held();
        assert!(
            held <= 2 && bytes <= cache.budget(),
            "{held} sites, {bytes} bytes"
        );
        cache.get(0).await.unwrap().unwrap();
        assert_eq!(cache.builds(), 3, "site 0 was still held");
        let again = cache.get(1).await.unwrap().unwrap();
        assert_eq!(cache.builds(), 4, "site 1 was evicted and built again");
        let fresh = probe.get(1).await.unwrap().unwrap();
        for path in fresh.paths() {
            assert_eq!(
                again.reply(path, None, base).unwrap(),
                fresh.reply(path, None, base).unwrap(),
                "{path}"
            );
        }
        assert!(first.reply("/", None, base).unwrap().body.contains("<h1>"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn prebuilding_stops_at_the_budget() {
        let all = cache(8, DEFAULT_CACHE_BYTES);
        assert_eq!(all.prebuild().await, 8);
        let one = all.held().1 / 8;
        let some = cache(8, one * 4);
        let held = some.prebuild().await;
        assert!((1..8).contains(&held), "{held} of 8 held");
        assert!(some.held().1 <= some.budget());
    }
}
