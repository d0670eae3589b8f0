//! The legal-duty checks after a site's crawl: the accessibility statement and, for the councils
//! the ruleset names, the Welsh-language pages may need a few pages the crawl did not reach.
//! They are fetched through the crawler, so robots.txt, the per-host rate limit and the fetch
//! budgets apply, and never more than the ruleset's `max_fetches` for each duty.

use jiff::civil::Date;

use super::SurveyHandler;
use crate::audit::digital::DigitalIndicators;
use crate::audit::tasks::TaskResult;
use crate::audit::{PageRecord, SiteFacts, duties, statement, welsh};
use crate::crawl::{Crawler, FetchKind};
use crate::ruleset::Ruleset;

/// Fetches what the duty checks still need and records their results in `digital`.
pub(super) async fn check(
    facts: &SiteFacts,
    tasks: &[TaskResult],
    ruleset: &Ruleset,
    crawler: &Crawler,
    handler: &SurveyHandler,
    today: Date,
    digital: &mut DigitalIndicators,
) {
    let task_pages: Vec<String> = tasks.iter().filter_map(|t| t.page_url.clone()).collect();
    let mut extra = Vec::new();
    for url in duties::extra_fetches(facts, &task_pages, ruleset) {
        if crawler.config().stop.is_stopped() {
            break;
        }
        let mut page = crawler.fetch(&facts.site, url, FetchKind::Html).await;
        let parsed = handler.facts_of(&page);
        page.body = None;
        extra.push(PageRecord {
            page,
            facts: parsed,
        });
    }
    digital.statement = statement::assess(facts, &extra, ruleset, today);
    let found: Vec<(String, String)> = tasks
        .iter()
        .filter_map(|t| t.page_url.clone().map(|u| (t.task.clone(), u)))
        .collect();
    digital.welsh = welsh::assess(facts, &extra, &found, ruleset);
}
