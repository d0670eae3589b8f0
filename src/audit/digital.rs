//! Digital-first indicators: HTTPS, mobile, online forms against PDF forms, site search, A–Z,
//! online account, accessibility statement, home page weight and speed, broken internal links.
//!
//! (Being built under issue 5.)

use serde::{Deserialize, Serialize};

/// The digital-first indicators of one site. `None` means not tested.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DigitalIndicators {
    /// Every HTML page was served over HTTPS.
    pub https_everywhere: Option<bool>,
    /// The home page has a responsive viewport.
    pub responsive_viewport: Option<bool>,
    /// Pages with an online form or transaction.
    pub online_form_pages: u32,
    /// Links to PDF or Word forms.
    pub document_form_links: u32,
    /// Pages that offer only a phone number for a service.
    pub phone_only_pages: u32,
    /// The site has its own search.
    pub site_search: Option<bool>,
    /// The site has an A–Z.
    pub a_to_z: Option<bool>,
    /// The site offers an online account.
    pub my_account: Option<bool>,
    /// The site links to an accessibility statement.
    pub accessibility_statement: Option<bool>,
    /// Bytes of the home page's HTML.
    pub home_bytes: Option<u64>,
    /// Time to first byte of the home page, ms.
    pub home_ttfb_ms: Option<u32>,
    /// Internal links checked.
    pub internal_links_checked: u32,
    /// Internal links that were broken (4xx/5xx or no response).
    pub internal_links_broken: u32,
}
