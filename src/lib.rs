//! civicscan: an open, repeatable, automated survey of UK council websites.
//!
//! The pipeline, one module per stage (`ARCHITECTURE.md` in the repository describes each
//! module, the rules between them, and where a change goes):
//!
//! ```text
//! sites.csv ─► sites::Site ─► crawl ─► crawl::Page ─► page + audit ─► audit::SiteAssessment
//!                                                                            │
//! rulesets/*.toml ─► ruleset::Ruleset ───────────────────────────────────────┤
//!                                                                            ▼
//!                                     report ◄─ store (SQLite) ◄─ score::SiteScore
//! ```
//!
//! Data flows one way; `main.rs` only wires the stages together.

pub mod audit;
pub mod crawl;
pub mod demo;
pub mod page;
pub mod render;
pub mod report;
pub mod ruleset;
pub mod score;
pub mod sites;
pub mod store;
pub mod survey;
pub mod warc;
