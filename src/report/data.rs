//! The flat tables researchers get as CSV and JSON, and their data dictionary.

use serde::Serialize;

use crate::audit::SiteAssessment;
use crate::audit::a11y::Finding;
use crate::crawl::PageOutcome;
use crate::ruleset::Ruleset;
use crate::score::{self, Dimension, SiteScore};
use crate::store::{PageLogRow, ScoreRow};

/// One council.
#[derive(Debug, Clone, Serialize)]
pub struct SiteRow {
    pub slug: String,
    pub name: String,
    pub gss: Option<String>,
    pub council_type: String,
    pub nation: Option<String>,
    pub region: Option<String>,
    pub homepage_url: String,
    pub failure: Option<String>,
    pub pages_fetched: u32,
    pub pages_ok: u32,
    pub pages_too_big: u32,
    pub pages_http_4xx: u32,
    pub pages_http_5xx: u32,
    pub pages_timeout: u32,
    pub pages_refused: u32,
    pub pages_network: u32,
    pub pages_not_allowed: u32,
    pub pages_not_archived: u32,
    pub robots_blocked: u32,
    pub overall_stars: Option<u8>,
    pub overall_value: Option<f64>,
    pub rank: Option<u32>,
    pub type_rank: Option<u32>,
    pub accessibility_pass: Option<bool>,
    pub four_stars_withheld: bool,
    pub tasks_value: Option<f64>,
    pub accessibility_value: Option<f64>,
    pub coverage_value: Option<f64>,
    pub digital_value: Option<f64>,
    pub a11y_pages_audited: u32,
    pub a11y_pages_without_failures: u32,
    pub a11y_critical: u32,
    pub a11y_serious: u32,
    pub a11y_moderate: u32,
    pub a11y_minor: u32,
    pub a11y_key_page_critical: u32,
    pub a11y_key_page_serious: u32,
    pub statement_found: Option<bool>,
    pub statement_url: Option<String>,
    pub statement_status: Option<String>,
    pub statement_reviewed: Option<String>,
    pub statement_value: Option<f64>,
    pub welsh_value: Option<f64>,
    pub welsh_share: Option<f64>,
}

/// One answer to one task question.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerRow {
    pub site_slug: String,
    pub task: String,
    pub task_page_url: Option<String>,
    pub question: String,
    pub essential: bool,
    pub out_of_date: bool,
    pub answer: String,
    pub evidence_url: Option<String>,
    pub reason: String,
}

/// One accessibility finding.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub site_slug: String,
    pub page_url: String,
    pub rule: String,
    pub outcome: String,
    pub impact: String,
    pub wcag: String,
    pub act: String,
    pub selector: String,
    pub snippet: String,
    pub message: String,
    pub rendered: bool,
}

/// One service looked for.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageRow {
    pub site_slug: String,
    pub lgsl: u32,
    pub title: String,
    pub url: Option<String>,
}

/// One column of one data file.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DictEntry {
    pub file: &'static str,
    pub column: &'static str,
    pub meaning: &'static str,
}

/// Rows of the researcher tables: one council's, as the report writes them out council by
/// council.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tables {
    pub sites: Vec<SiteRow>,
    pub scores: Vec<ScoreRow>,
    pub task_answers: Vec<AnswerRow>,
    pub findings: Vec<FindingRow>,
    pub coverage: Vec<CoverageRow>,
    /// Every fetch of the run, failed or not.
    pub pages: Vec<PageLogRow>,
    pub duties: Vec<super::duties::DutyRow>,
}

/// The data dictionary: every column of every file.
pub const DICTIONARY: &[DictEntry] = &[
    DictEntry {
        file: "sites",
        column: "slug",
        meaning: "The council's identifier in sites.csv.",
    },
    DictEntry {
        file: "sites",
        column: "name",
        meaning: "The council's name.",
    },
    DictEntry {
        file: "sites",
        column: "gss",
        meaning: "ONS GSS code, where known.",
    },
    DictEntry {
        file: "sites",
        column: "council_type",
        meaning: "Better Connected type: CC county, SD shire district, MD metropolitan district, EU English unitary, LB London borough, SU Scottish, WU Welsh, NI Northern Ireland district.",
    },
    DictEntry {
        file: "sites",
        column: "nation",
        meaning: "England, Scotland, Wales or Northern Ireland.",
    },
    DictEntry {
        file: "sites",
        column: "region",
        meaning: "ONS English region, or the nation outside England.",
    },
    DictEntry {
        file: "sites",
        column: "homepage_url",
        meaning: "The home page surveyed.",
    },
    DictEntry {
        file: "sites",
        column: "failure",
        meaning: "Why the site could not be surveyed (then it has no scores); empty otherwise.",
    },
    DictEntry {
        file: "sites",
        column: "pages_fetched",
        meaning: "Pages fetched from the site (every outcome below).",
    },
    DictEntry {
        file: "sites",
        column: "pages_ok",
        meaning: "Pages read whole (HTTP 2xx or 3xx, including 304 Not Modified).",
    },
    DictEntry {
        file: "sites",
        column: "pages_too_big",
        meaning: "Pages read but cut off at the ruleset's size budget (max_bytes).",
    },
    DictEntry {
        file: "sites",
        column: "pages_http_4xx",
        meaning: "Pages that answered HTTP 4xx (the council's own broken links, mostly).",
    },
    DictEntry {
        file: "sites",
        column: "pages_http_5xx",
        meaning: "Pages that answered HTTP 5xx after retries.",
    },
    DictEntry {
        file: "sites",
        column: "pages_timeout",
        meaning: "Pages with no complete answer within the request timeout.",
    },
    DictEntry {
        file: "sites",
        column: "pages_refused",
        meaning: "Pages whose connection was refused, by the server or by civicscan's private-address guard.",
    },
    DictEntry {
        file: "sites",
        column: "pages_network",
        meaning: "Pages lost to other connection failures: DNS, TLS, resets, redirect loops.",
    },
    DictEntry {
        file: "sites",
        column: "pages_not_allowed",
        meaning: "Pages not fetched because robots.txt could not be read or the host was given up after repeated failures.",
    },
    DictEntry {
        file: "sites",
        column: "pages_not_archived",
        meaning: "Pages of a survey answered from web archives (survey --from-warc) that the archives do not hold; 0 for a survey of the live web.",
    },
    DictEntry {
        file: "sites",
        column: "robots_blocked",
        meaning: "Links not followed because the site's robots.txt disallows them.",
    },
    DictEntry {
        file: "sites",
        column: "overall_stars",
        meaning: "Overall stars 1–4: from overall_value by the ruleset's dimension thresholds; 4 only with an accessibility pass.",
    },
    DictEntry {
        file: "sites",
        column: "overall_value",
        meaning: "Weighted mean (0–1) of the dimension values present, by the ruleset's weights renormalised over those present.",
    },
    DictEntry {
        file: "sites",
        column: "rank",
        meaning: "National rank by overall stars then overall value (1 = best; ties share a rank).",
    },
    DictEntry {
        file: "sites",
        column: "type_rank",
        meaning: "Rank among councils of the same type.",
    },
    DictEntry {
        file: "sites",
        column: "accessibility_pass",
        meaning: "The accessibility pass that 4 overall stars need: critical and serious failures on the home page and key task pages within the ruleset's limits (accessibility_pass_max_critical, accessibility_pass_max_serious), and 3 or more accessibility stars for the site as a whole; empty when no page was audited.",
    },
    DictEntry {
        file: "sites",
        column: "four_stars_withheld",
        meaning: "True when overall_value earned 4 stars but the accessibility pass failed, so 3 were given.",
    },
    DictEntry {
        file: "sites",
        column: "tasks_value",
        meaning: "Task completion (0–1): mean task stars ÷ 4 over tasks with stars.",
    },
    DictEntry {
        file: "sites",
        column: "accessibility_value",
        meaning: "Accessibility (0–1): share of audited pages with no failed finding, less 0.10 per critical and 0.05 per serious failure per audited page, floored at 0.",
    },
    DictEntry {
        file: "sites",
        column: "coverage_value",
        meaning: "Service coverage (0–1): share of the services the council's type provides that have a findable page.",
    },
    DictEntry {
        file: "sites",
        column: "digital_value",
        meaning: "Digital first (0–1): share of tested indicators that hold (HTTPS everywhere, responsive viewport, site search, A–Z, online account, accessibility statement linked), with the accessibility statement's parts (statement_value) and, for Welsh councils, the Welsh-language checks (welsh_value) counted as indicators weighted by the ruleset.",
    },
    DictEntry {
        file: "sites",
        column: "a11y_pages_audited",
        meaning: "HTML pages audited for accessibility.",
    },
    DictEntry {
        file: "sites",
        column: "a11y_pages_without_failures",
        meaning: "Audited pages with no failed finding.",
    },
    DictEntry {
        file: "sites",
        column: "a11y_critical",
        meaning: "Critical failures on all pages.",
    },
    DictEntry {
        file: "sites",
        column: "a11y_serious",
        meaning: "Serious failures on all pages.",
    },
    DictEntry {
        file: "sites",
        column: "a11y_moderate",
        meaning: "Moderate failures on all pages.",
    },
    DictEntry {
        file: "sites",
        column: "a11y_minor",
        meaning: "Minor failures on all pages.",
    },
    DictEntry {
        file: "sites",
        column: "a11y_key_page_critical",
        meaning: "Critical failures on the home page and key task pages.",
    },
    DictEntry {
        file: "sites",
        column: "a11y_key_page_serious",
        meaning: "Serious failures on the home page and key task pages.",
    },
    DictEntry {
        file: "sites",
        column: "statement_found",
        meaning: "An accessibility statement was found (linked from the site, or at one of the ruleset's usual addresses); empty when not checked or when a linked statement could not be fetched.",
    },
    DictEntry {
        file: "sites",
        column: "statement_url",
        meaning: "The accessibility statement's address.",
    },
    DictEntry {
        file: "sites",
        column: "statement_status",
        meaning: "The compliance status the statement gives: fully, partially or not (compliant); empty when none was read.",
    },
    DictEntry {
        file: "sites",
        column: "statement_reviewed",
        meaning: "The latest date (YYYY-MM-DD) the statement says it was reviewed or updated.",
    },
    DictEntry {
        file: "sites",
        column: "statement_value",
        meaning: "Accessibility statement (0–1): the ruleset's weighted share of required parts answered yes among those decided (see duties). Counts in digital_value with the ruleset's statement.weight_in_digital.",
    },
    DictEntry {
        file: "sites",
        column: "welsh_value",
        meaning: "Welsh language (0–1), Welsh councils only: the ruleset's weighted share of yes among the Welsh questions decided (see duties). Counts in digital_value with welsh.weight_in_digital.",
    },
    DictEntry {
        file: "sites",
        column: "welsh_share",
        meaning: "Welsh councils only: share of sampled English pages that declare a Welsh counterpart (hreflang=\"cy\" or a language switch not leading to the Welsh home page).",
    },
    DictEntry {
        file: "scores",
        column: "site_slug",
        meaning: "The council (sites.slug).",
    },
    DictEntry {
        file: "scores",
        column: "key",
        meaning: "overall, a dimension (tasks, accessibility, coverage, digital) or task:<task id>.",
    },
    DictEntry {
        file: "scores",
        column: "value",
        meaning: "The 0–1 value the stars come from; for a task, Yes ÷ (Yes + No).",
    },
    DictEntry {
        file: "scores",
        column: "stars",
        meaning: "Stars 1–4; empty when not tested. Task stars are capped when the essential question or the out-of-date question is answered No.",
    },
    DictEntry {
        file: "scores",
        column: "rank",
        meaning: "National rank (overall only).",
    },
    DictEntry {
        file: "scores",
        column: "type_rank",
        meaning: "Rank within the council type (overall only).",
    },
    DictEntry {
        file: "task_answers",
        column: "site_slug",
        meaning: "The council (sites.slug).",
    },
    DictEntry {
        file: "task_answers",
        column: "task",
        meaning: "The task's id in the ruleset.",
    },
    DictEntry {
        file: "task_answers",
        column: "task_page_url",
        meaning: "The page taken as the task page; empty when none was found.",
    },
    DictEntry {
        file: "task_answers",
        column: "question",
        meaning: "The question's id within the task.",
    },
    DictEntry {
        file: "task_answers",
        column: "essential",
        meaning: "Whether it is the task's essential question.",
    },
    DictEntry {
        file: "task_answers",
        column: "out_of_date",
        meaning: "Whether it is the task's out-of-date question.",
    },
    DictEntry {
        file: "task_answers",
        column: "answer",
        meaning: "yes, no or not_tested (not tested leaves the denominator).",
    },
    DictEntry {
        file: "task_answers",
        column: "evidence_url",
        meaning: "The page that shows the answer.",
    },
    DictEntry {
        file: "task_answers",
        column: "reason",
        meaning: "Why, in a sentence.",
    },
    DictEntry {
        file: "findings",
        column: "site_slug",
        meaning: "The council (sites.slug).",
    },
    DictEntry {
        file: "findings",
        column: "page_url",
        meaning: "The page the finding is on.",
    },
    DictEntry {
        file: "findings",
        column: "rule",
        meaning: "The accessibility rule's id.",
    },
    DictEntry {
        file: "findings",
        column: "outcome",
        meaning: "failed, or cantTell (needs a person to check).",
    },
    DictEntry {
        file: "findings",
        column: "impact",
        meaning: "critical, serious, moderate or minor (axe-core's scale).",
    },
    DictEntry {
        file: "findings",
        column: "wcag",
        meaning: "WCAG 2.2 success criteria, space-separated.",
    },
    DictEntry {
        file: "findings",
        column: "act",
        meaning: "W3C ACT rule ids, space-separated.",
    },
    DictEntry {
        file: "findings",
        column: "selector",
        meaning: "A CSS selector to the element.",
    },
    DictEntry {
        file: "findings",
        column: "snippet",
        meaning: "The element's markup, shortened.",
    },
    DictEntry {
        file: "findings",
        column: "message",
        meaning: "What is wrong.",
    },
    DictEntry {
        file: "findings",
        column: "rendered",
        meaning: "true when seen in the page as a browser rendered it (after its scripts ran; runs with --render), false when in the page as served.",
    },
    DictEntry {
        file: "coverage",
        column: "site_slug",
        meaning: "The council (sites.slug).",
    },
    DictEntry {
        file: "coverage",
        column: "lgsl",
        meaning: "The service's LGSL code.",
    },
    DictEntry {
        file: "coverage",
        column: "title",
        meaning: "The service's title.",
    },
    DictEntry {
        file: "coverage",
        column: "url",
        meaning: "The page found for it; empty when none was found.",
    },
    DictEntry {
        file: "pages",
        column: "site_slug",
        meaning: "The council.",
    },
    DictEntry {
        file: "pages",
        column: "url",
        meaning: "The URL requested (normalised).",
    },
    DictEntry {
        file: "pages",
        column: "final_url",
        meaning: "The URL that answered, after redirects.",
    },
    DictEntry {
        file: "pages",
        column: "status",
        meaning: "HTTP status of the final answer; 0 when none came.",
    },
    DictEntry {
        file: "pages",
        column: "outcome",
        meaning: "ok, too_big, http_4xx, http_5xx, timeout, refused, network, not_allowed or not_archived (see the sites columns of the same names).",
    },
    DictEntry {
        file: "pages",
        column: "error",
        meaning: "Why the fetch failed, when it did.",
    },
    DictEntry {
        file: "pages",
        column: "bytes",
        meaning: "Bytes of body read (after decompression; documents only their first bytes).",
    },
    DictEntry {
        file: "pages",
        column: "truncated",
        meaning: "Whether the body was cut off at the size budget.",
    },
    DictEntry {
        file: "pages",
        column: "ttfb_ms",
        meaning: "Milliseconds from sending the request to the first byte of the answer.",
    },
    DictEntry {
        file: "pages",
        column: "depth",
        meaning: "Clicks from the home page.",
    },
    DictEntry {
        file: "pages",
        column: "fetched_at_ms",
        meaning: "When it was fetched, in Unix milliseconds.",
    },
    DictEntry {
        file: "pages",
        column: "content_type",
        meaning: "The Content-Type header.",
    },
    DictEntry {
        file: "duties",
        column: "site_slug",
        meaning: "The council (sites.slug).",
    },
    DictEntry {
        file: "duties",
        column: "duty",
        meaning: "statement (the accessibility statement the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 require) or welsh (Welsh-language pages under the Welsh Language Standards).",
    },
    DictEntry {
        file: "duties",
        column: "part",
        meaning: "The question's id: for statement found, status, non-accessible, format-request, report-problem, enforcement, prepared, reviewed, testing; for welsh home-switch, task-switch, task-counterparts, share.",
    },
    DictEntry {
        file: "duties",
        column: "question",
        meaning: "The question as asked.",
    },
    DictEntry {
        file: "duties",
        column: "answer",
        meaning: "yes, no or cant_tell (the pages do not say either way; left out of the value).",
    },
    DictEntry {
        file: "duties",
        column: "evidence",
        meaning: "The words on the page that show the answer, quoted and shortened.",
    },
    DictEntry {
        file: "duties",
        column: "evidence_url",
        meaning: "The page they are on.",
    },
    DictEntry {
        file: "duties",
        column: "reason",
        meaning: "Why, in a sentence.",
    },
];

/// The rows of one assessed council: its assessment, its score, its findings (with the URL of
/// the page of each) and its fetches.
pub fn council_tables(
    a: &SiteAssessment,
    s: &SiteScore,
    findings: &[(String, Finding)],
    pages: Vec<PageLogRow>,
    ruleset: &Ruleset,
) -> Tables {
    let mut t = Tables {
        scores: score::rows(std::slice::from_ref(s)),
        pages,
        ..Tables::default()
    };
    let dim = |d: Dimension| s.dimension(d).and_then(|x| x.value);
    t.sites.push(SiteRow {
        slug: a.site.slug.clone(),
        name: a.site.name.clone(),
        gss: a.site.gss.clone(),
        council_type: a.site.council_type.code().into(),
        nation: a.site.nation.clone(),
        region: a.site.region.clone(),
        homepage_url: a.site.homepage.to_string(),
        failure: a.failure.clone(),
        pages_fetched: a.pages_fetched,
        pages_ok: a.crawl.pages(PageOutcome::Ok),
        pages_too_big: a.crawl.pages(PageOutcome::TooBig),
        pages_http_4xx: a.crawl.pages(PageOutcome::ClientError),
        pages_http_5xx: a.crawl.pages(PageOutcome::ServerError),
        pages_timeout: a.crawl.pages(PageOutcome::Timeout),
        pages_refused: a.crawl.pages(PageOutcome::Refused),
        pages_network: a.crawl.pages(PageOutcome::Network),
        pages_not_allowed: a.crawl.pages(PageOutcome::NotAllowed),
        pages_not_archived: a.crawl.pages(PageOutcome::NotArchived),
        robots_blocked: a.crawl.robots_blocked,
        overall_stars: s.stars,
        overall_value: s.value,
        rank: s.rank,
        type_rank: s.type_rank,
        accessibility_pass: s.accessibility_pass,
        four_stars_withheld: s.four_stars_withheld,
        tasks_value: dim(Dimension::Tasks),
        accessibility_value: dim(Dimension::Accessibility),
        coverage_value: dim(Dimension::Coverage),
        digital_value: dim(Dimension::Digital),
        a11y_pages_audited: a.a11y.pages_audited,
        a11y_pages_without_failures: a.a11y.pages_without_failures,
        a11y_critical: a.a11y.critical,
        a11y_serious: a.a11y.serious,
        a11y_moderate: a.a11y.moderate,
        a11y_minor: a.a11y.minor,
        a11y_key_page_critical: a.a11y.key_page_critical,
        a11y_key_page_serious: a.a11y.key_page_serious,
        statement_found: a.digital.statement.as_ref().and_then(|s| {
            use crate::audit::statement::FoundBy;
            match s.found_by {
                FoundBy::Link | FoundBy::Path => Some(true),
                FoundBy::NotFound => Some(false),
                FoundBy::Unfetched => None,
            }
        }),
        statement_url: a.digital.statement.as_ref().and_then(|s| s.url.clone()),
        statement_status: a
            .digital
            .statement
            .as_ref()
            .and_then(|s| s.status.map(|x| x.label().to_string())),
        statement_reviewed: a
            .digital
            .statement
            .as_ref()
            .and_then(|s| s.reviewed.clone()),
        statement_value: a.digital.statement.as_ref().and_then(|s| s.value),
        welsh_value: a.digital.welsh.as_ref().and_then(|w| w.value),
        welsh_share: a.digital.welsh.as_ref().and_then(|w| w.share),
    });
    t.duties.extend(super::duties::duty_rows(a));
    for r in &a.tasks {
        let task = ruleset.task(&r.task);
        for qa in &r.answers {
            let q = task.and_then(|t| t.questions.iter().find(|q| q.id == qa.question));
            t.task_answers.push(AnswerRow {
                site_slug: a.site.slug.clone(),
                task: r.task.clone(),
                task_page_url: r.page_url.clone(),
                question: qa.question.clone(),
                essential: q.is_some_and(|q| q.essential),
                out_of_date: q.is_some_and(|q| q.out_of_date),
                answer: serde_json::to_value(qa.answer)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                evidence_url: qa.evidence_url.clone(),
                reason: qa.reason.clone(),
            });
        }
    }
    for (page_url, f) in findings {
        t.findings.push(FindingRow {
            site_slug: a.site.slug.clone(),
            page_url: page_url.clone(),
            rule: f.rule.clone(),
            outcome: f.outcome.as_str().into(),
            impact: f.impact.as_str().into(),
            wcag: f.wcag.join(" "),
            act: f.act.join(" "),
            selector: f.selector.clone(),
            snippet: f.snippet.clone(),
            message: f.message.clone(),
            rendered: f.rendered,
        });
    }
    for c in &a.coverage.services {
        t.coverage.push(CoverageRow {
            site_slug: a.site.slug.clone(),
            lgsl: c.lgsl,
            title: c.title.clone(),
            url: c.url.clone(),
        });
    }
    t
}
