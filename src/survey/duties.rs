//! The legal-duty checks after a site's crawl: the accessibility statement and, for the councils
//! the ruleset names, the Welsh-language pages may need a few pages the crawl did not reach
//! (`audit::duties::extra_fetches`). The survey fetches those through the crawler, so
//! robots.txt, the per-host rate limit and the fetch budgets apply, and never more than the
//! ruleset's `max_fetches` for each duty; this records the results.

use jiff::civil::Date;

use crate::audit::digital::DigitalIndicators;
use crate::audit::tasks::TaskResult;
use crate::audit::{PageRecord, SiteFacts, statement, welsh};
use crate::ruleset::Ruleset;

/// Judges the duties from the site's facts and the `extra` pages fetched for them, into
/// `digital`.
pub(super) fn assess(
    facts: &SiteFacts,
    extra: &[PageRecord],
    tasks: &[TaskResult],
    ruleset: &Ruleset,
    today: Date,
    digital: &mut DigitalIndicators,
) {
    digital.statement = statement::assess(facts, extra, ruleset, today);
    let found: Vec<(String, String)> = tasks
        .iter()
        .filter_map(|t| t.page_url.clone().map(|u| (t.task.clone(), u)))
        .collect();
    digital.welsh = welsh::assess(facts, extra, &found, ruleset);
}
