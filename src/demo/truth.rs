//! Ground truth: what each generated site really holds, decided when it is built.
//!
//! Everything here is recorded from construction (which page was written for which task, which
//! barriers were planted where), never by looking at the pages with civicscan's own checks.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::barriers::Barrier;
use crate::sites::CouncilType;

// `Expected` lives in its own file, which the statement and Welsh generators share; it stays
// reachable here too.
pub use super::expected::Expected;

/// How a site's own search behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchQuality {
    /// Ranks pages by the words searched for.
    Good,
    /// Matches only the exact phrase in page text and lists matches oldest first.
    Poor,
    /// Returns the same popular pages whatever is asked.
    Junk,
    /// Has a form but the index is empty: never any results.
    Empty,
    /// No search form and no search page.
    Missing,
}

/// How a task can be done online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineRoute {
    /// An HTML form on the task page itself.
    EmbeddedForm,
    /// A link from the task page to an HTML form (or payment) page.
    LinkedForm,
    /// Only a PDF form to print and post.
    PdfOnly,
    /// Only a phone number.
    PhoneOnly,
    /// Nothing to complete (information or lookup tasks).
    NotApplicable,
}

/// The truth about one task on one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskTruth {
    /// The ruleset's task id.
    pub task: String,
    /// The path (and query) of the task page, when the site has one.
    pub page: Option<String>,
    /// Clicks from the home page to it by links alone (None when only the sitemap or search
    /// reaches it).
    pub depth: Option<u32>,
    /// The HTML form or payment page for the task, when separate from the task page.
    pub form_page: Option<String>,
    /// How the task is done online.
    pub online: OnlineRoute,
    /// The true answer to each question id of the task that the generator decided.
    pub answers: BTreeMap<String, Expected>,
}

/// The truth about one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteTruth {
    /// The council's slug.
    pub slug: String,
    /// Its type.
    pub council_type: CouncilType,
    /// The page template ("CMS") the site was built with.
    pub template: String,
    /// The hidden quality (0–1) its features were drawn from.
    pub quality: f64,
    /// One entry per ruleset task that applies to the council's type.
    pub tasks: Vec<TaskTruth>,
    /// Barriers planted, by page path (pages without barriers are listed with an empty list).
    pub barriers: BTreeMap<String, Vec<Barrier>>,
    /// LGSL codes of the services the site has a page for, among those its type provides.
    pub services: Vec<u32>,
    /// LGSL codes of the services its type provides but the site has no page for.
    pub services_missing: Vec<u32>,
    /// The site has an A–Z.
    pub a_to_z: bool,
    /// How its search behaves.
    pub search: SearchQuality,
    /// The site links to an accessibility statement.
    pub accessibility_statement: bool,
    /// Pages served with a 5xx status.
    pub failing_pages: Vec<String>,
    /// Links on the site that lead to a 404.
    pub broken_links: Vec<String>,
    /// Path prefixes robots.txt disallows.
    pub robots_disallow: Vec<String>,
    /// Pages that answer slowly on purpose.
    pub slow_pages: Vec<String>,
    /// The accessibility statement's parts.
    #[serde(default)]
    pub statement: Option<super::statement::StatementTruth>,
    /// Welsh-language pages (Welsh councils only).
    #[serde(default)]
    pub welsh: Option<super::welsh::WelshTruth>,
}

impl SiteTruth {
    /// The truth for one task.
    pub fn task(&self, id: &str) -> Option<&TaskTruth> {
        self.tasks.iter().find(|t| t.task == id)
    }

    /// A single quality measure from the truth alone: the share of decided questions whose true
    /// answer is yes, less a penalty for barriers per page. Higher is better.
    pub fn quality_measure(&self) -> f64 {
        let (mut yes, mut decided) = (0u32, 0u32);
        for t in &self.tasks {
            for a in t.answers.values() {
                match a {
                    Expected::Yes => {
                        yes += 1;
                        decided += 1;
                    }
                    Expected::No => decided += 1,
                    Expected::NotTested => {}
                }
            }
        }
        let share = if decided == 0 {
            0.0
        } else {
            f64::from(yes) / f64::from(decided)
        };
        let pages = self.barriers.len().max(1) as f64;
        let barriers: usize = self.barriers.values().map(Vec::len).sum();
        share - 0.05 * (barriers as f64 / pages)
    }
}
