//! The audit stages: what a crawled site tells us.
//!
//! - [`a11y`]: accessibility findings per page, from its HTML and CSS;
//! - [`tasks`]: can a resident find and complete each top task;
//! - [`coverage`]: which standard services have a findable page;
//! - [`digital`]: digital-first indicators;
//! - [`statement`]: the accessibility statement's required parts;
//! - [`welsh`]: Welsh-language pages, for Welsh councils.
//!
//! The two legal-duty checks (statement, Welsh) answer in the words of [`duty_answer`]
//! ([`Verdict`](duty_answer::Verdict), [`DutyAnswer`](duty_answer::DutyAnswer)), which holds
//! their shared text helpers too; [`duties`] lists the extra pages they may fetch. The files
//! import one way: `duties` → `statement`, `welsh` → `duty_answer`.
//!
//! The results for one council are gathered in [`SiteAssessment`], the input of scoring.

pub mod a11y;
pub mod coverage;
pub mod digital;
pub mod duties;
pub mod duty_answer;
pub mod statement;
pub mod tasks;
pub mod welsh;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::crawl::Page;
use crate::page::PageFacts;
use crate::sites::Site;

/// One fetched page as the site-level stages see it: the fetch record (body dropped) and, for
/// HTML, its facts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PageRecord {
    /// The fetch record; `body` is `None`.
    pub page: Page,
    /// Facts, for HTML pages that parsed.
    pub facts: Option<PageFacts>,
}

#[cfg(test)]
impl PageRecord {
    /// For unit tests: an HTML page at `url` fetched with 200 and parsed from `html`.
    pub(crate) fn html(url: &str, html: &str) -> PageRecord {
        let url = url::Url::parse(url).expect("a test URL");
        PageRecord {
            facts: Some(crate::page::ParsedPage::parse(url.clone(), html).facts()),
            page: Page {
                url: url.clone(),
                final_url: url,
                status: 200,
                content_type: Some("text/html".into()),
                kind: crate::crawl::PageKind::Html,
                bytes: html.len() as u64,
                truncated: false,
                content_length: None,
                ttfb_ms: 100,
                depth: 0,
                referrer: None,
                link_text: None,
                redirects: Vec::new(),
                fetched_at_ms: 0,
                etag: None,
                last_modified: None,
                body: None,
                error: None,
            },
        }
    }
}

/// One site-search query the crawler ran for a task.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchRecord {
    /// The search term.
    pub term: String,
    /// The search URL requested.
    pub url: Url,
    /// The results page, if it was fetched.
    pub results: Option<PageRecord>,
}

/// What the crawl of one site leaves for the site-level stages (tasks, coverage, digital).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SiteFacts {
    /// The council.
    pub site: Site,
    /// Every page fetched, in fetch order (the home page first when it was fetched).
    pub pages: Vec<PageRecord>,
    /// Site-search queries run, one per search term.
    pub searches: Vec<SearchRecord>,
}

/// Counts of accessibility findings for a site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct A11ySummary {
    /// HTML pages audited.
    pub pages_audited: u32,
    /// Failed findings by impact, across all pages.
    pub critical: u32,
    /// Serious failures.
    pub serious: u32,
    /// Moderate failures.
    pub moderate: u32,
    /// Minor failures.
    pub minor: u32,
    /// "Cannot tell" findings.
    pub cant_tell: u32,
    /// Failed best-practice findings: reported, never counted in the figures above.
    #[serde(default)]
    pub best_practice: u32,
    /// Critical failures on the home page and key task pages.
    pub key_page_critical: u32,
    /// Serious failures on the home page and key task pages.
    pub key_page_serious: u32,
    /// Pages with no failed finding.
    pub pages_without_failures: u32,
    /// Site-level findings (the same title on many pages, no accessibility statement).
    pub site_findings: Vec<a11y::Finding>,
}

/// Everything the audit found about one council, ready for scoring.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SiteAssessment {
    /// The council.
    pub site: Site,
    /// Pages fetched (all kinds).
    pub pages_fetched: u32,
    /// Why the site could not be surveyed, when it could not (then every result is "not tested").
    pub failure: Option<String>,
    /// Task results, one per task that applies to the council's type.
    pub tasks: Vec<tasks::TaskResult>,
    /// Service coverage.
    pub coverage: coverage::CoverageResult,
    /// Digital-first indicators.
    pub digital: digital::DigitalIndicators,
    /// Accessibility counts.
    pub a11y: A11ySummary,
    /// How the crawl went: pages by outcome and what it left out.
    #[serde(default)]
    pub crawl: CrawlSummary,
}

/// How a council's crawl went: its pages by outcome and what the crawl left out, so a reader can
/// tell a council's own broken pages from pages the survey could not read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CrawlSummary {
    /// Pages stored, by outcome name (`ok`, `http_4xx`, `timeout`, …; see
    /// [`crate::crawl::PageOutcome`]); outcomes with no page are left out.
    pub pages_by_outcome: std::collections::BTreeMap<String, u32>,
    /// Links not fetched because robots.txt disallows them.
    pub robots_blocked: u32,
    /// Budgets reached: `pages`, `depth`, `time`, `bytes`.
    pub budgets_hit: Vec<String>,
    /// Links left out by the guard against endless URL spaces.
    pub traps_skipped: u32,
    /// Why the council's host was given up, if it was.
    pub host_given_up: Option<String>,
}

impl CrawlSummary {
    /// Pages that failed (not read at all).
    pub fn pages_failed(&self) -> u32 {
        self.pages_by_outcome
            .iter()
            .filter(|(o, _)| crate::crawl::PageOutcome::parse(o).is_none_or(|o| o.is_failure()))
            .map(|(_, n)| n)
            .sum()
    }

    /// Pages stored with this outcome.
    pub fn pages(&self, outcome: crate::crawl::PageOutcome) -> u32 {
        self.pages_by_outcome
            .get(outcome.as_str())
            .copied()
            .unwrap_or(0)
    }
}
