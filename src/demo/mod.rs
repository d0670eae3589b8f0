//! The demo web: synthetic council websites with known ground truth, served on loopback.
//!
//! civicscan is built and tested on machines without internet access, and a new user should see
//! the whole survey work before pointing it at real councils. This module builds a deterministic
//! (seeded) set of made-up council websites of every Better Connected council type and of
//! deliberately different quality, in several "CMS" templates, and serves each on its own
//! loopback address so the crawler treats them as separate hosts. Every site carries its ground
//! truth ([`SiteTruth`]): where each task page is and the true answer to each question, which
//! accessibility barriers are on which page, and which services exist. [`verify`] compares a
//! survey with that truth.
//!
//! [`run_demo`] (`civicscan demo`) wires the server to the survey pipeline and the report.
//! The generator reads the ruleset only for task and question ids, council types, LGSL codes and
//! search terms (to record the truth); page wording is its own and varies by template.

pub mod barriers;
mod cache;
pub mod expected;
mod generate;
mod names;
mod packed;
pub mod render;
mod run;
pub mod scripted;
pub mod search;
mod serve;
pub mod statement;
pub mod truth;
pub mod verify;
pub mod welsh;
mod words;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ruleset::{self, Ruleset};
use crate::sites::Site;

pub use barriers::Barrier;
pub use cache::{BuildError, DEFAULT_CACHE_BYTES, SiteCache};
pub use generate::{SitePlan, build_site, plan_at};
pub use packed::{PackError, PackedSite, Reply};
pub use render::Style;
pub use run::{DEMO_RATE, DemoOptions, DemoOutcome, DemoRunError, DemoTimings, run_demo};
pub use search::SearchSpec;
pub use serve::{
    DemoError, ServeCommand, ServeOptions, ServedDemo, ServedPlans, run_server, serve,
    serve_planned,
};
pub use truth::{Expected, OnlineRoute, SearchQuality, SiteTruth, TaskTruth};
pub use verify::{Accuracy, verify};

/// The default seed of `civicscan demo`.
pub const DEFAULT_SEED: u64 = 2026;
/// The default number of councils.
pub const DEFAULT_COUNCILS: usize = 24;

/// One response the demo server gives for a path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoResponse {
    /// HTTP status.
    pub status: u16,
    /// The Content-Type header.
    pub content_type: String,
    /// The body.
    pub body: String,
    /// Extra delay before answering, in milliseconds.
    pub latency_ms: u32,
    /// `{BASE}` in the body stands for the site's origin (robots.txt, sitemaps).
    pub templated: bool,
}

impl DemoResponse {
    /// A 200 HTML response.
    pub fn html(body: String) -> DemoResponse {
        DemoResponse {
            status: 200,
            content_type: "text/html; charset=utf-8".into(),
            body,
            latency_ms: 0,
            templated: false,
        }
    }

    /// A 200 response of some text type.
    pub fn text(content_type: &str, body: &str, templated: bool) -> DemoResponse {
        DemoResponse {
            status: 200,
            content_type: content_type.into(),
            body: body.into(),
            latency_ms: 0,
            templated,
        }
    }

    /// The body with `{BASE}` replaced by the site's origin (no trailing slash).
    pub fn body_for(&self, base: &str) -> String {
        if self.templated {
            self.body.replace("{BASE}", base.trim_end_matches('/'))
        } else {
            self.body.clone()
        }
    }
}

/// One generated council website.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoSite {
    /// The council; `homepage` is a placeholder until the site is served.
    pub site: Site,
    /// Responses by path (with query, if any).
    pub pages: BTreeMap<String, DemoResponse>,
    /// The site's own search, if it has one.
    pub search: Option<SearchSpec>,
    /// What is really there.
    pub truth: SiteTruth,
}

/// The whole demo web.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoWeb {
    /// The seed it was built from.
    pub seed: u64,
    /// The date pages are fresh or stale against (ISO 8601).
    pub today: String,
    /// The sites.
    pub sites: Vec<DemoSite>,
}

impl DemoWeb {
    /// The councils.
    pub fn sites(&self) -> Vec<Site> {
        self.sites.iter().map(|s| s.site.clone()).collect()
    }

    /// The ground truth of every site.
    pub fn truth(&self) -> Vec<SiteTruth> {
        self.sites.iter().map(|s| s.truth.clone()).collect()
    }

    /// Adds the scripted council ([`scripted`]: a menu built by script, a keyboard trap) after
    /// the generated ones, which it leaves as they are.
    pub fn add_scripted(&mut self, ruleset: &Ruleset) {
        self.sites.push(scripted::council(ruleset));
    }
}

/// Builds the demo web with the built-in ruleset, dated today: `councils` sites (at least one of
/// each type once there are eight or more), each with `extra_pages` more news pages for scale.
pub fn generate(seed: u64, councils: usize, extra_pages: usize) -> DemoWeb {
    let today = jiff::Zoned::now().date();
    generate_with(&ruleset::builtin(), seed, councils, extra_pages, today)
}

/// Builds the demo web for a ruleset and a given "today".
pub fn generate_with(
    ruleset: &Ruleset,
    seed: u64,
    councils: usize,
    extra_pages: usize,
    today: jiff::civil::Date,
) -> DemoWeb {
    generate::generate_at(ruleset, seed, councils, extra_pages, today)
}

/// A sites file (CSV) for the councils, in the register's columns, that `sites::parse` accepts.
pub fn sites_csv(sites: &[Site]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors would only come from the underlying writer.
    let _ = w.write_record(crate::sites::REGISTER_COLUMNS);
    for s in sites {
        let population = s.population.map(|p| p.to_string()).unwrap_or_default();
        let _ = w.write_record([
            s.slug.as_str(),
            s.name.as_str(),
            s.gss.as_deref().unwrap_or_default(),
            s.council_type.code(),
            s.tier.as_deref().unwrap_or_default(),
            s.nation.as_deref().unwrap_or_default(),
            s.region.as_deref().unwrap_or_default(),
            s.parent_slug.as_deref().unwrap_or_default(),
            s.homepage.as_str(),
            population.as_str(),
            s.shared_with.as_deref().unwrap_or_default(),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
