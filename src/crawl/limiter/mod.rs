//! Politeness, enforced in one place: per-host state shared by every site of a run (one [`Host`]
//! per authority, `host:port`, because many councils share form and payment platforms and a
//! host's limits must hold across all of them), and `Politeness`, through which every request
//! reaches the wire (`polite.rs`).

mod global;
mod host;
mod polite;

pub use global::{GlobalCap, fd_limit, raise_fd_limit, sites_ceiling};
pub use host::{Host, HostPermit, Hosts};
pub(crate) use polite::Politeness;
