//! The crawl stage: fetch a council's pages politely and hand each one on.
//!
//! [`Crawler::crawl_site`] starts at a site's home page and fetches pages best-first (links
//! matching the ruleset's task and service patterns first), handing each [`Page`] to a
//! [`PageHandler`] on a blocking thread as it arrives; the handler parses and audits it and returns
//! the links to follow. One [`Crawler`] is shared by every site of a run, so per-host politeness
//! holds across councils that share platforms:
//!
//! - robots.txt per RFC 9309 ([`robots`]), Crawl-delay honoured up to a cap;
//! - one request per interval per host (`governor`, burst 1), concurrency 1 per host (2 while the
//!   host is slower than its interval), a global cap on requests in flight ([`limiter`]);
//! - Retry-After on 429/503, bounded retries with exponential backoff and jitter, hosts that keep
//!   failing given up with the reason recorded ([`limiter`]);
//! - scope by registrable domain plus service portals, URL normalisation and a guard against
//!   endless URL spaces ([`url_norm`]); sitemaps ([`sitemap`]); charsets ([`charset`]);
//! - no connections to private addresses unless allowed ([`guard`]);
//! - budgets per site (pages, depth, bytes, time) and resume from an earlier run ([`Resume`]).
//!
//! The files form a one-way stack; each uses only those below it:
//!
//! ```text
//! site.rs        crawl_site: frontier, scope, sitemaps, the handler         (Crawler::crawl_site)
//! fetch.rs       Crawler: robots.txt check, redirects, Page                 (Crawler::fetch)
//! robots.rs      robots.txt rules and their per-host cache
//! limiter/       Politeness: host slot and interval, global cap, retries, give-up
//! http.rs        the wire: one GET, body decoded and capped, within the timeout; the tee to
//! archive/       the archive (--warc), and the archive that answers instead (--from-warc)
//! types.rs …     shared types (Page, Link, FetchError, CrawlStats…) and the leaves:
//!                config, guard, url_norm, charset, sitemap (parsing), frontier, stream
//! ```
//!
//! What it does not do: parse pages (the handler does), run JavaScript, store anything, or draw
//! progress (it exposes [`CrawlStats`] for the caller to render).
//!
//! ```no_run
//! use std::sync::Arc;
//! use civicscan::crawl::{CrawlConfig, CrawlError, Crawler, Discovered, Page, PageHandler, Resume};
//!
//! struct Audit; // the pipeline's handler: parse, audit, store, return the links
//! impl PageHandler for Audit {
//!     fn handle(&self, _site: &str, _page: &Page) -> Discovered {
//!         Discovered::default()
//!     }
//! }
//!
//! async fn survey(
//!     ruleset: &civicscan::ruleset::Ruleset,
//!     sites: Vec<civicscan::sites::Site>,
//! ) -> Result<(), CrawlError> {
//!     let mut config = CrawlConfig::from_budget(&ruleset.crawl);
//!     config.from_email = Some("survey@example.org".into());
//!     config.priority_patterns = vec![r"(?i)\bbins?\b".into()];
//!     let crawler = Arc::new(Crawler::new(config)?);
//!     let handler: Arc<dyn PageHandler> = Arc::new(Audit);
//!     // One task per site so sites crawl in parallel on all worker threads.
//!     let tasks: Vec<_> = sites
//!         .into_iter()
//!         .map(|site| {
//!             let (crawler, handler) = (Arc::clone(&crawler), Arc::clone(&handler));
//!             tokio::spawn(async move { crawler.crawl_site(&site, handler, Resume::none()).await })
//!         })
//!         .collect();
//!     for task in tasks {
//!         if let Ok(report) = task.await {
//!             println!("{}: {} pages", report.site_slug, report.pages);
//!         }
//!     }
//!     Ok(())
//! }
//! ```

pub mod archive;
mod body;
pub mod charset;
mod config;
pub mod fetch;
pub mod frontier;
pub mod guard;
mod http;
pub mod limiter;
mod outcome;
pub mod robots;
mod site;
pub mod sitemap;
mod source;
pub mod stream;
mod types;
pub mod url_norm;

pub use config::{CrawlConfig, CrawlError, Source, StopSignal};
pub use fetch::{Crawler, FetchKind, Resource};
pub use outcome::PageOutcome;
pub use robots::RobotsOutcome;
pub use site::{Budgets, Resume, SiteCrawlReport};
pub use stream::ChannelHandler;
pub use types::{
    CrawlStats, Discovered, FetchError, Link, Page, PageHandler, PageKind, StatsSnapshot,
    Validators,
};
