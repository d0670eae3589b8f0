//! Service coverage: which LGSL services the council's type provides have a findable page.
//!
//! (Being built under issue 5.)

use serde::{Deserialize, Serialize};

/// Whether one service has a findable page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceFinding {
    /// LGSL code.
    pub lgsl: u32,
    /// The service's title.
    pub title: String,
    /// The best page found for it.
    pub url: Option<String>,
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
