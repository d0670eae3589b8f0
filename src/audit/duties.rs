//! The extra polite fetches the two legal-duty checks may need after the crawl. The answer they
//! share (a yes/no with its evidence) is in [`super::duty_answer`], re-exported here.
//!
//! - [`super::statement`]: the accessibility statement (the Public Sector Bodies (Websites and
//!   Mobile Applications) (No. 2) Accessibility Regulations 2018);
//! - [`super::welsh`]: Welsh-language pages (the Welsh Language Standards).

use std::collections::HashSet;

use url::Url;

use super::SiteFacts;
use crate::ruleset::Ruleset;

// The answer vocabulary lives in `duty_answer`; these names stay reachable here too.
pub use super::duty_answer::{
    DutyAnswer, Verdict, find_record, quote, sentence_end, sentence_start, weighted_value,
};

/// The pages the duty checks may still need after the crawl, in the order to fetch them: the
/// statement when no crawled page is one (the page a statement link points to, else the
/// ruleset's usual paths), and the Welsh counterparts of the home and task pages the crawl did
/// not reach. Each list is capped by its ruleset budget; the caller fetches them politely.
pub fn extra_fetches(site: &SiteFacts, task_pages: &[String], ruleset: &Ruleset) -> Vec<Url> {
    let mut out = Vec::new();
    let mut seen: HashSet<String> = site
        .pages
        .iter()
        .flat_map(|r| [r.page.url.to_string(), r.page.final_url.to_string()])
        .collect();
    if let Some(settings) = &ruleset.statement {
        let wanted = super::statement::wanted_pages(site, ruleset, settings);
        for url in wanted.into_iter().take(settings.max_fetches) {
            if seen.insert(url.to_string()) {
                out.push(url);
            }
        }
    }
    if let Some(settings) = &ruleset.welsh
        && settings.applies_to(site.site.council_type)
    {
        let wanted = super::welsh::wanted_pages(site, task_pages, settings);
        for url in wanted.into_iter().take(settings.max_fetches) {
            if seen.insert(url.to_string()) {
                out.push(url);
            }
        }
    }
    out
}
