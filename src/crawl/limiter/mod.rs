//! Per-host politeness state shared by every site of a run: one [`Host`] per authority
//! (`host:port`), because many councils share form and payment platforms and a host's limits must
//! hold across all of them.

mod host;

use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;

pub use host::{Host, HostPermit};

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
