//! Service coverage: which LGSL services the council's type provides have a findable page.
//!
//! A service is covered when a fetched page's title or main heading names it (its patterns and
//! synonyms in the ruleset), or its URL and a link pointing at it do, or failing those, the page
//! of a top task for the same LGSL service is found by the task's names; the page fewest clicks
//! from the home page is reported. Services the council's type does not provide are left out, so a
//! county is never marked down for bins. Whether the page is any good is the tasks stage's job.

use serde::{Deserialize, Serialize};

use crate::audit::SiteFacts;
use crate::audit::tasks::site::SiteIndex;
use crate::ruleset::Ruleset;

/// Whether one service has a findable page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceFinding {
    /// LGSL code.
    pub lgsl: u32,
    /// The service's title.
    pub title: String,
    /// The best page found for it.
    pub url: Option<String>,
    /// Why that page (or why none).
    #[serde(default)]
    pub reason: String,
}

/// Coverage for one council: only services its type provides are listed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CoverageResult {
    /// One entry per service the council's type provides.
    pub services: Vec<ServiceFinding>,
}

impl CoverageResult {
    /// The share of services with a page found, 0–1 (None when no service applies).
    pub fn share(&self) -> Option<f64> {
        if self.services.is_empty() {
            return None;
        }
        let found = self.services.iter().filter(|s| s.url.is_some()).count();
        Some(found as f64 / self.services.len() as f64)
    }
}

/// Looks for a page for every service the council's type provides.
pub fn assess(site: &SiteFacts, ruleset: &Ruleset) -> CoverageResult {
    let index = SiteIndex::new(site);
    let nav = &ruleset.navigation;
    let az = index.a_to_z(nav);
    let skip = az.page_keys();
    let services = ruleset
        .services_for(site.site.council_type)
        .map(|s| {
            // The service's own names first; else the names of the top task for the same LGSL
            // service ("Apply for a discount or exemption" is the council tax discounts page),
            // when one task alone is that service (a missed-bin page is not the bin-day page
            // although both tasks sit under LGSL 524).
            let mut same = ruleset.tasks.iter().filter(|t| t.lgsl == Some(s.lgsl));
            let task = match (same.next(), same.next()) {
                (Some(t), None) => Some(t),
                _ => None,
            };
            let found =
                crate::audit::tasks::find_page(&index, nav, &s.patterns, &s.url_patterns, &skip)
                    .or_else(|| {
                        task.and_then(|t| {
                            crate::audit::tasks::find_page(
                                &index,
                                nav,
                                &t.patterns,
                                &t.url_patterns,
                                &skip,
                            )
                            .map(|mut f| {
                                f.why = format!("named as task {}: {}", t.id, f.why);
                                f
                            })
                        })
                    });
            let (url, reason) = match found {
                Some(f) => {
                    let clicks = f
                        .clicks
                        .map_or("not linked from the home page".to_string(), |n| {
                            format!("{n} click(s) from the home page")
                        });
                    (Some(f.url.to_string()), format!("{}; {clicks}", f.why))
                }
                None => (
                    None,
                    "no fetched page's title, main heading, URL or links name the service"
                        .to_string(),
                ),
            };
            ServiceFinding {
                lgsl: s.lgsl,
                title: s.title.clone(),
                url,
                reason,
            }
        })
        .collect();
    CoverageResult { services }
}
