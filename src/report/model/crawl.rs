//! How a council's crawl went, for its page: pages by outcome, what the crawl left out and the
//! pages that failed.

use serde::Serialize;

use crate::report::format::web_href;

/// How a council's crawl went: pages by outcome, what was left out, and the failed pages.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CrawlView {
    /// Pages by outcome, outcomes with none left out.
    pub outcomes: Vec<OutcomeRow>,
    /// Pages that failed.
    pub failed_count: u32,
    /// Notes on what the crawl left out (robots.txt, budgets, traps, a host given up).
    pub notes: Vec<String>,
    /// The failed pages (at most [`MAX_FAILED_PAGES`]).
    pub failed: Vec<FailedPageView>,
    /// Failed pages not listed.
    pub failed_more: usize,
}

/// Pages with one outcome.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeRow {
    /// The outcome, for people.
    pub label: String,
    /// Whether it counts as a failure.
    pub failure: bool,
    /// Pages.
    pub count: u32,
}

/// A page that failed.
#[derive(Debug, Clone, Serialize)]
pub struct FailedPageView {
    /// The URL.
    pub url: String,
    /// The same, when it is safe to link.
    pub href: Option<String>,
    /// HTTP status, or "–".
    pub status: String,
    /// The outcome, for people.
    pub outcome: String,
    /// Why it failed.
    pub error: String,
}

/// Failed pages listed on a council's page (the rest are in `data/pages.csv`).
pub const MAX_FAILED_PAGES: usize = 20;

pub(super) fn crawl_view(
    c: &crate::audit::CrawlSummary,
    pages: &[&crate::store::PageLogRow],
) -> CrawlView {
    use crate::crawl::PageOutcome;
    let outcomes = PageOutcome::ALL
        .into_iter()
        .map(|o| OutcomeRow {
            label: o.label().into(),
            failure: o.is_failure(),
            count: c.pages(o),
        })
        .filter(|r| r.count > 0)
        .collect();
    let mut notes = Vec::new();
    if c.robots_blocked > 0 {
        notes.push(format!(
            "{} links were not followed because the site's robots.txt disallows them.",
            c.robots_blocked
        ));
    }
    for b in &c.budgets_hit {
        notes.push(match b.as_str() {
            "pages" => "The page budget ran out with links still to follow.".into(),
            "depth" => "Links deeper than the click budget were left out.".into(),
            "time" => "The time budget for one site ran out.".into(),
            "bytes" => "Some pages were cut off at the size budget.".into(),
            other => format!("The {other} budget was reached."),
        });
    }
    if c.traps_skipped > 0 {
        notes.push(format!(
            "{} links were left out as an endless URL space (calendars, session ids, repeated path segments).",
            c.traps_skipped
        ));
    }
    if let Some(why) = &c.host_given_up {
        notes.push(format!("The site was given up: {why}."));
    }
    let failed: Vec<&&crate::store::PageLogRow> = pages
        .iter()
        .filter(|p| PageOutcome::parse(&p.outcome).is_none_or(|o| o.is_failure()))
        .collect();
    CrawlView {
        outcomes,
        failed_count: c.pages_failed(),
        notes,
        failed_more: failed.len().saturating_sub(MAX_FAILED_PAGES),
        failed: failed
            .iter()
            .take(MAX_FAILED_PAGES)
            .map(|p| FailedPageView {
                url: p.url.clone(),
                href: web_href(&p.url),
                status: if p.status == 0 {
                    "–".into()
                } else {
                    p.status.to_string()
                },
                outcome: PageOutcome::parse(&p.outcome)
                    .map_or_else(|| p.outcome.clone(), |o| o.label().to_string()),
                // The crawl's messages start with the URL, which the row already shows.
                error: p.error.as_deref().map_or_else(String::new, |e| {
                    e.strip_prefix(p.url.as_str())
                        .or_else(|| e.strip_prefix(p.final_url.as_str()))
                        .and_then(|rest| rest.strip_prefix(": "))
                        .unwrap_or(e)
                        .to_string()
                }),
            })
            .collect(),
    }
}
