//! Digital-first indicators: HTTPS, mobile, online forms against PDF forms, site search, A–Z,
//! online account, accessibility statement, home page weight and speed, broken internal links;
//! and, weighted by the ruleset, the legal-duty checks ([`super::statement`], [`super::welsh`]).
//!
//! Read from the crawl's facts only; nothing is fetched here. Broken links count only links
//! within the council's own site, as a share of those checked, so one slow external server can
//! never sink a council (SiteMorse's league tables were criticised for exactly that).

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::audit::SiteFacts;
use crate::audit::tasks::site::{AToZ, SiteIndex, any_match, is_transaction_form, search_field};
use crate::ruleset::Ruleset;

/// The digital-first indicators of one site. `None` means not tested.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DigitalIndicators {
    /// Every HTML page was served over HTTPS.
    pub https_everywhere: Option<bool>,
    /// Pages asked for over http were redirected to https.
    #[serde(default)]
    pub http_redirects_to_https: Option<bool>,
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
    /// The home page's HTML is within the ruleset's weight budget.
    #[serde(default)]
    pub home_weight_ok: Option<bool>,
    /// The home page's time to first byte is within the ruleset's budget.
    #[serde(default)]
    pub home_speed_ok: Option<bool>,
    /// Internal links checked.
    pub internal_links_checked: u32,
    /// Internal links that were broken (4xx/5xx or no response).
    pub internal_links_broken: u32,
    /// The accessibility statement's required parts; `None` when the ruleset has no
    /// `[statement]` or the site was not surveyed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<crate::audit::statement::StatementResult>,
    /// The Welsh-language checks; `None` when the ruleset has no `[welsh]` or does not check
    /// the council's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welsh: Option<crate::audit::welsh::WelshResult>,
}

impl DigitalIndicators {
    /// A 0–1 score: the mean of the yes/no indicators that were tested, the share of online
    /// forms among online, document and phone-only routes, and the share of internal links that
    /// work. `None` when nothing could be tested.
    pub fn score(&self) -> Option<f64> {
        let mut parts: Vec<f64> = [
            self.https_everywhere,
            self.http_redirects_to_https,
            self.responsive_viewport,
            self.site_search,
            self.a_to_z,
            self.my_account,
            self.accessibility_statement,
            self.home_weight_ok,
            self.home_speed_ok,
        ]
        .into_iter()
        .flatten()
        .map(|b| if b { 1.0 } else { 0.0 })
        .collect();
        let routes = self.online_form_pages + self.document_form_links + self.phone_only_pages;
        if routes > 0 {
            parts.push(f64::from(self.online_form_pages) / f64::from(routes));
        }
        if self.internal_links_checked > 0 {
            parts.push(
                1.0 - f64::from(self.internal_links_broken)
                    / f64::from(self.internal_links_checked),
            );
        }
        let (duty_sum, duty_weight) = self.duties();
        let weight = parts.len() as f64 + duty_weight;
        (weight > 0.0).then(|| (parts.iter().sum::<f64>() + duty_sum) / weight)
    }

    /// The legal-duty checks (the accessibility statement, Welsh-language pages) as weighted
    /// indicators: the sum of value × weight, and the sum of weights, over the checks decided.
    /// Each other indicator counts 1.
    pub fn duties(&self) -> (f64, f64) {
        [
            self.statement.as_ref().map(|s| (s.value, s.weight)),
            self.welsh.as_ref().map(|w| (w.value, w.weight)),
        ]
        .into_iter()
        .flatten()
        .filter_map(|(v, w)| v.map(|v| (v * w, w)))
        .fold((0.0, 0.0), |(s, t), (v, w)| (s + v, t + w))
    }
}

/// A document link that is a form: "Application form (PDF)", `claim-form.pdf`.
static FORM_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(\bforms?\b|[-_]forms?([-_.]|$))").expect("static regex"));

fn same_site(a: &Url, b: &Url) -> bool {
    let strip = |u: &Url| {
        u.host_str()
            .unwrap_or_default()
            .trim_start_matches("www.")
            .to_ascii_lowercase()
    };
    strip(a) == strip(b)
}

/// Reads the indicators from a crawl.
pub fn assess(site: &SiteFacts, ruleset: &Ruleset) -> DigitalIndicators {
    let index = SiteIndex::new(site);
    let nav = &ruleset.navigation;
    let mut d = DigitalIndicators::default();
    let home = index.home();
    let home_url = home.map_or_else(|| site.site.homepage.clone(), |h| h.page.final_url.clone());

    let on_site: Vec<_> = index
        .html_pages()
        .filter(|(r, _)| same_site(&r.page.final_url, &home_url))
        .collect();
    if !on_site.is_empty() {
        d.https_everywhere = Some(
            on_site
                .iter()
                .all(|(r, _)| r.page.final_url.scheme() == "https"),
        );
    }
    for r in index.records().filter(|r| r.page.status != 0) {
        let asked_http =
            r.page.url.scheme() == "http" || r.page.redirects.iter().any(|u| u.scheme() == "http");
        if asked_http && same_site(&r.page.url, &home_url) {
            let upgraded = r.page.final_url.scheme() == "https";
            d.http_redirects_to_https = Some(d.http_redirects_to_https.unwrap_or(true) && upgraded);
        }
    }

    if let (Some(h), Some(f)) = (home, index.home_facts()) {
        d.responsive_viewport = Some(f.viewport.as_deref().is_some_and(|v| {
            v.replace(' ', "")
                .to_ascii_lowercase()
                .contains("width=device-width")
        }));
        d.site_search = Some(f.forms.iter().any(|form| search_field(form, nav).is_some()));
        d.a_to_z = Some(!matches!(index.a_to_z(nav), AToZ::Missing));
        d.home_bytes = Some(h.page.bytes);
        d.home_weight_ok = Some(h.page.bytes <= ruleset.digital.max_home_bytes);
        if h.page.status != 0 {
            d.home_ttfb_ms = Some(h.page.ttfb_ms);
            d.home_speed_ok = Some(u64::from(h.page.ttfb_ms) <= ruleset.digital.max_home_ttfb_ms);
        }
    }

    let mut any_page = false;
    let mut account = false;
    let mut statement = false;
    let mut doc_forms: HashSet<String> = HashSet::new();
    let mut internal: HashSet<String> = HashSet::new();
    for (r, f) in index.html_pages() {
        any_page = true;
        let has_form = f.forms.iter().any(|form| is_transaction_form(form, nav));
        if has_form {
            d.online_form_pages += 1;
        }
        let mut online_link = false;
        for l in &f.links {
            let target = l.href.as_str();
            account |= any_match(&nav.my_account, &l.text) || any_match(&nav.my_account, target);
            statement |= any_match(&nav.accessibility_statement, &l.text)
                || any_match(&nav.accessibility_statement, l.href.path());
            if index.is_document(&l.href) {
                if FORM_WORD.is_match(&l.text) || FORM_WORD.is_match(l.href.path()) {
                    doc_forms.insert(index.canonical(&l.href));
                }
            } else if !l.area.is_chrome()
                && (any_match(&nav.form_platforms, target)
                    || any_match(&nav.payment_platforms, target))
            {
                online_link = true;
            }
            if same_site(&l.href, &home_url) && same_site(&r.page.final_url, &home_url) {
                internal.insert(index.canonical(&l.href));
            }
        }
        if !has_form && !online_link && any_match(&nav.phone_only, f.main_text()) {
            d.phone_only_pages += 1;
        }
    }
    d.document_form_links = u32::try_from(doc_forms.len()).unwrap_or(u32::MAX);
    if any_page {
        d.my_account = Some(account);
        d.accessibility_statement = Some(statement);
    }
    for key in &internal {
        let Ok(url) = Url::parse(key) else { continue };
        if let Some(r) = index.record(&url) {
            d.internal_links_checked += 1;
            if r.page.status == 0 || r.page.status >= 400 {
                d.internal_links_broken += 1;
            }
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::statement::{FoundBy, StatementResult};

    #[test]
    fn the_statement_counts_in_digital_first_with_its_weight() {
        let d = DigitalIndicators {
            https_everywhere: Some(true),
            statement: Some(StatementResult {
                url: None,
                found_by: FoundBy::Link,
                status: None,
                wcag_version: None,
                prepared: None,
                reviewed: None,
                answers: Vec::new(),
                value: Some(0.5),
                weight: 4.0,
            }),
            ..Default::default()
        };
        assert_eq!(d.score(), Some(3.0 / 5.0));
    }
}
