//! One function per check kind: each answers a question about one task with its evidence.

use jiff::civil::Date;
use regex::Regex;
use url::Url;

use super::find::Found;
use super::site::{AToZ, SiteIndex, any_match, is_transaction_form, is_visible_field};
use super::{Answer, QuestionAnswer};
use crate::audit::SearchRecord;
use crate::page::{Link, PageFacts};
use crate::ruleset::{CheckKind, Question, Ruleset, Task};

/// What the checks of one task share.
pub(crate) struct Ctx<'a, 'i> {
    pub index: &'i SiteIndex<'a>,
    pub ruleset: &'a Ruleset,
    pub task: &'a Task,
    pub page: Option<&'i Found>,
    pub page_facts: Option<&'a PageFacts>,
    pub landing: Option<&'i Found>,
    pub az: &'i AToZ,
    pub today: Date,
}

fn answer(
    q: &Question,
    answer: Answer,
    url: Option<&str>,
    reason: impl Into<String>,
) -> QuestionAnswer {
    QuestionAnswer {
        question: q.id.clone(),
        answer,
        evidence_url: url.map(str::to_string),
        reason: reason.into(),
    }
}

const NO_PAGE: &str = "no page for the task was found";

/// Answers one question.
pub(crate) fn check(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    match q.check {
        CheckKind::LinkedFromHome => linked_from_home(ctx, q),
        CheckKind::LinkedFromLanding => linked_from_landing(ctx, q),
        CheckKind::SiteSearch => site_search(ctx, q),
        CheckKind::InAToZ => in_a_to_z(ctx, q),
        CheckKind::SameDestination => same_destination(ctx, q),
        CheckKind::OnlineForm => online_form(ctx, q),
        CheckKind::OnlinePayment => online_payment(ctx, q),
        CheckKind::MobileFriendly => mobile_friendly(ctx, q),
        CheckKind::UpToDate => up_to_date(ctx, q),
        CheckKind::PageMentions => page_mentions(ctx, q),
        CheckKind::LinksTo => links_to(ctx, q),
        CheckKind::HasInput => has_input(ctx, q),
    }
}

fn linked_from_home(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    let home = ctx.index.home();
    let home_url = home.map(|h| h.page.final_url.as_str());
    let (Some(page), Some(facts)) = (ctx.page, ctx.index.home_facts()) else {
        let why = if ctx.page.is_none() {
            NO_PAGE
        } else {
            "the home page was not fetched"
        };
        return answer(q, Answer::No, home_url, why);
    };
    match ctx.index.links_to(facts, &page.key) {
        Some(l) => answer(
            q,
            Answer::Yes,
            home_url,
            format!("the home page links to {} as \"{}\"", page.url, l.text),
        ),
        None => answer(
            q,
            Answer::No,
            home_url,
            format!("the home page has no direct link to {}", page.url),
        ),
    }
}

fn linked_from_landing(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    let Some(landing) = ctx.landing else {
        return answer(
            q,
            Answer::No,
            ctx.page.map(|p| p.url.as_str()),
            "no service landing page for the task was found",
        );
    };
    let Some(page) = ctx.page else {
        return answer(q, Answer::No, Some(landing.url.as_str()), NO_PAGE);
    };
    let facts = ctx.index.page_facts(&landing.url);
    match facts.and_then(|f| ctx.index.links_to(f, &page.key)) {
        Some(l) => answer(
            q,
            Answer::Yes,
            Some(landing.url.as_str()),
            format!("the landing page links to {} as \"{}\"", page.url, l.text),
        ),
        None => answer(
            q,
            Answer::No,
            Some(landing.url.as_str()),
            format!("the landing page has no direct link to {}", page.url),
        ),
    }
}

fn search_record<'s>(ctx: &Ctx<'s, '_>) -> Option<&'s SearchRecord> {
    let term = ctx.task.search_term.trim();
    ctx.index
        .facts
        .searches
        .iter()
        .find(|s| s.term.trim().eq_ignore_ascii_case(term))
}

/// The first results of the task's site search: (target, text), when the search ran.
fn search_results(ctx: &Ctx<'_, '_>) -> Result<(Url, Vec<(Url, String)>), String> {
    let Some(record) = search_record(ctx) else {
        let has_form = ctx.index.home_facts().is_some_and(|f| {
            f.forms
                .iter()
                .any(|form| super::site::search_field(form, &ctx.ruleset.navigation).is_some())
        });
        return Err(if has_form {
            format!("the search for \"{}\" was not run", ctx.task.search_term)
        } else {
            "the home page has no site search form the survey can use".to_string()
        });
    };
    let Some(results) = &record.results else {
        return Err(format!(
            "the results page {} could not be fetched",
            record.url
        ));
    };
    let Some(facts) = results
        .facts
        .as_ref()
        .filter(|_| (200..300).contains(&results.page.status))
    else {
        return Err(format!(
            "the results page {} answered {} without readable HTML",
            record.url, results.page.status
        ));
    };
    // Some site searches redirect a confident match straight to its page: that is result one.
    let landed = &results.page.final_url;
    if landed.path() != record.url.path() || landed.host() != record.url.host() {
        let title = facts.title.clone().unwrap_or_default();
        return Ok((record.url.clone(), vec![(landed.clone(), title)]));
    }
    let n = ctx.ruleset.navigation.search_result_count;
    let mut links = ctx.index.search_results(&results.page.final_url, facts);
    links.truncate(n);
    Ok((record.url.clone(), links))
}

fn site_search(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    let (url, results) = match search_results(ctx) {
        Ok(r) => r,
        Err(why) => {
            let url = search_record(ctx).map(|s| s.url.to_string());
            return answer(q, Answer::NotTested, url.as_deref(), why);
        }
    };
    let n = ctx.ruleset.navigation.search_result_count;
    let Some(page) = ctx.page else {
        return answer(q, Answer::No, Some(url.as_str()), NO_PAGE);
    };
    match results
        .iter()
        .position(|(href, _)| ctx.index.canonical(href) == page.key)
    {
        Some(i) => answer(
            q,
            Answer::Yes,
            Some(url.as_str()),
            format!(
                "result {} of the search for \"{}\" is the task page (\"{}\")",
                i + 1,
                ctx.task.search_term,
                results[i].1
            ),
        ),
        None => answer(
            q,
            Answer::No,
            Some(url.as_str()),
            format!(
                "the first {} results for \"{}\" (at most {n} read) do not include {}",
                results.len(),
                ctx.task.search_term,
                page.url
            ),
        ),
    }
}

/// Words of a label, lower case, with a plural ending dropped, for matching A–Z entries.
fn stems(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_lowercase();
            if let Some(s) = w.strip_suffix("ies").filter(|s| s.len() > 2) {
                format!("{s}y")
            } else if let Some(s) = w.strip_suffix("sses") {
                format!("{s}ss")
            } else if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
                w[..w.len() - 1].to_string()
            } else {
                w
            }
        })
        .collect()
}

/// Whether an A–Z entry names the task: it contains the A–Z term's words in order, or matches
/// the task's patterns.
fn entry_matches(task: &Task, text: &str) -> bool {
    let term = stems(&task.az_term);
    let words = stems(text);
    (!term.is_empty() && words.windows(term.len()).any(|w| w == term.as_slice()))
        || any_match(&task.patterns, text)
}

/// Whether a fetched page is about the task itself (its title, heading, URL or inbound links
/// match the task's patterns), not a service landing page that merely leads on to it (its main
/// heading names the service and not the task, as [`super::find::task_page`] reads a hub).
fn about_task(ctx: &Ctx<'_, '_>, url: &Url) -> bool {
    ctx.index.page_facts(url).is_some_and(|facts| {
        let hub = facts.headings.iter().any(|(level, h)| {
            *level == 1
                && any_match(&ctx.task.landing_patterns, h)
                && !any_match(&ctx.task.patterns, h)
        });
        !hub && super::find::score_page(
            &super::find::Terms::task(ctx.task),
            url,
            facts,
            ctx.index.inbound_texts(url),
        )
        .strong()
    })
}

/// The A–Z's entry for the task, and where it leads: an entry leading to the task page; else one
/// that names the task or its service (the A–Z term) and leads to a page about the task (an old
/// copy, say); else one that names it and leads to a page (the service's landing page, for an
/// entry such as "Bins") that links on to the task. An entry that leads nowhere near the task
/// does not list it.
fn az_entry<'z>(ctx: &Ctx<'_, '_>, az: &'z AToZ) -> Option<(&'z (Url, String), String)> {
    let AToZ::Found { entries, .. } = az else {
        return None;
    };
    if let Some(page) = ctx.page
        && let Some(e) = entries
            .iter()
            .find(|(target, _)| ctx.index.canonical(target) == page.key)
    {
        return Some((e, page.key.clone()));
    }
    let named = || {
        entries
            .iter()
            .filter(|(_, text)| entry_matches(ctx.task, text))
    };
    if let Some(e) = named().find(|(target, _)| about_task(ctx, target)) {
        return Some((e, ctx.index.canonical(&e.0)));
    }
    named().find_map(|e| {
        let onward = ctx.index.page_facts(&e.0).and_then(|f| task_link(ctx, f))?;
        Some((e, ctx.index.canonical(&onward.href)))
    })
}

fn in_a_to_z(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    match ctx.az {
        AToZ::Missing => answer(q, Answer::NotTested, None, "the site has no A–Z"),
        AToZ::NotFetched(url) => answer(
            q,
            Answer::NotTested,
            Some(url.as_str()),
            "the A–Z was linked but not fetched",
        ),
        AToZ::Found { url, entries, .. } => match az_entry(ctx, ctx.az) {
            Some(((target, text), dest)) => answer(
                q,
                Answer::Yes,
                Some(url.as_str()),
                if ctx.index.canonical(target) == dest {
                    format!("the A–Z lists \"{text}\", leading to {target}")
                } else {
                    format!("the A–Z lists \"{text}\", leading to {target} and on to {dest}")
                },
            ),
            None => answer(
                q,
                Answer::No,
                Some(url.as_str()),
                format!(
                    "none of the A–Z's {} entries is \"{}\" leading to the task",
                    entries.len(),
                    ctx.task.az_term
                ),
            ),
        },
    }
}

/// The link on a page that leads to the task: straight to the task page, else the first whose
/// text or URL matches the task.
fn task_link<'f>(ctx: &Ctx<'_, '_>, facts: &'f PageFacts) -> Option<&'f Link> {
    if let Some(page) = ctx.page
        && let Some(l) = ctx.index.links_to(facts, &page.key)
    {
        return Some(l);
    }
    facts.links.iter().find(|l| {
        any_match(&ctx.task.patterns, &l.text) || any_match(&ctx.task.url_patterns, l.href.path())
    })
}

fn same_destination(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    let mut routes: Vec<(&str, String)> = Vec::new();
    if let Some(l) = ctx.index.home_facts().and_then(|f| task_link(ctx, f)) {
        routes.push(("home page", ctx.index.canonical(&l.href)));
    }
    if let Some(l) = ctx
        .landing
        .and_then(|p| ctx.index.page_facts(&p.url))
        .and_then(|f| task_link(ctx, f))
    {
        routes.push(("landing page", ctx.index.canonical(&l.href)));
    }
    if let Ok((_, results)) = search_results(ctx) {
        // A resident picks the task page among the results when it is there, else the first
        // result that names the task.
        let hit = results
            .iter()
            .find(|(href, _)| ctx.page.is_some_and(|p| ctx.index.canonical(href) == p.key))
            .or_else(|| {
                results
                    .iter()
                    .find(|(_, text)| any_match(&ctx.task.patterns, text))
            });
        if let Some((href, _)) = hit {
            routes.push(("site search", ctx.index.canonical(href)));
        }
    }
    if let Some((_, dest)) = az_entry(ctx, ctx.az) {
        routes.push(("A–Z", dest));
    }
    let evidence = ctx.page.map(|p| p.url.as_str());
    if routes.len() < 2 {
        return answer(
            q,
            Answer::NotTested,
            evidence,
            format!("only {} route(s) to the task were found", routes.len()),
        );
    }
    let described = routes
        .iter()
        .map(|(name, dest)| format!("{name} → {dest}"))
        .collect::<Vec<_>>()
        .join(", ");
    let first = &routes[0].1;
    if routes.iter().all(|(_, d)| d == first) {
        answer(
            q,
            Answer::Yes,
            Some(first.as_str()),
            format!("every route leads to the same page: {described}"),
        )
    } else {
        answer(
            q,
            Answer::No,
            evidence,
            format!("routes lead to different pages: {described}"),
        )
    }
}

/// The task page and the pages its own content links to (fetched HTML), for checks that
/// accept the form being one click on.
fn page_and_next<'a>(ctx: &Ctx<'a, '_>) -> Vec<(Url, &'a PageFacts)> {
    let (Some(page), Some(facts)) = (ctx.page, ctx.page_facts) else {
        return Vec::new();
    };
    let mut out = vec![(page.url.clone(), facts)];
    for l in facts.links.iter().filter(|l| !l.area.is_chrome()) {
        if let Some(f) = ctx.index.page_facts(&l.href) {
            let url = ctx
                .index
                .record(&l.href)
                .map_or_else(|| l.href.clone(), |r| r.page.final_url.clone());
            if !out.iter().any(|(u, _)| *u == url) {
                out.push((url, f));
            }
        }
    }
    out
}

fn online_form(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    let (Some(page), Some(facts)) = (ctx.page, ctx.page_facts) else {
        return answer(q, Answer::No, None, NO_PAGE);
    };
    let nav = &ctx.ruleset.navigation;
    for (url, f) in page_and_next(ctx) {
        if f.forms.iter().any(|form| is_transaction_form(form, nav)) {
            let where_ = if url == page.url {
                "the task page".to_string()
            } else {
                format!("{url}, linked from the task page,")
            };
            return answer(
                q,
                Answer::Yes,
                Some(url.as_str()),
                format!("{where_} has an online form"),
            );
        }
    }
    let content = || facts.links.iter().filter(|l| !l.area.is_chrome());
    // A payment is a transaction too: paying a fine online is doing the task online.
    let online = |l: &&Link| {
        !ctx.index.is_document(&l.href)
            && (any_match(&nav.form_platforms, l.href.as_str())
                || any_match(&nav.payment_platforms, l.href.as_str()))
    };
    if let Some(l) = content().find(online) {
        return answer(
            q,
            Answer::Yes,
            Some(page.url.as_str()),
            format!(
                "the task page links to the online form {} (\"{}\")",
                l.href, l.text
            ),
        );
    }
    if let Some(l) = content().find(|l| ctx.index.is_document(&l.href)) {
        return answer(
            q,
            Answer::No,
            Some(page.url.as_str()),
            format!(
                "only a document form is offered: {} (\"{}\")",
                l.href, l.text
            ),
        );
    }
    answer(
        q,
        Answer::No,
        Some(page.url.as_str()),
        "the task page has no online form and links to none",
    )
}

fn online_payment(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    let (Some(page), Some(_)) = (ctx.page, ctx.page_facts) else {
        return answer(q, Answer::No, None, NO_PAGE);
    };
    let pay = &ctx.ruleset.navigation.payment_platforms;
    for (url, f) in page_and_next(ctx) {
        if let Some(form) = f
            .forms
            .iter()
            .find(|form| any_match(pay, form.action.as_str()))
        {
            return answer(
                q,
                Answer::Yes,
                Some(url.as_str()),
                format!(
                    "a form on {url} submits to the payment service {}",
                    form.action
                ),
            );
        }
        if url != page.url {
            continue;
        }
        if let Some(l) = f.links.iter().filter(|l| !l.area.is_chrome()).find(|l| {
            !ctx.index.is_document(&l.href)
                && (any_match(pay, l.href.as_str()) || any_match(pay, &l.text))
        }) {
            return answer(
                q,
                Answer::Yes,
                Some(url.as_str()),
                format!(
                    "the task page links to online payment {} (\"{}\")",
                    l.href, l.text
                ),
            );
        }
    }
    answer(
        q,
        Answer::No,
        Some(page.url.as_str()),
        "no online payment link or form on the task page",
    )
}

fn mobile_friendly(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    let (Some(page), Some(facts)) = (ctx.page, ctx.page_facts) else {
        return answer(q, Answer::No, None, NO_PAGE);
    };
    let url = Some(page.url.as_str());
    let responsive = facts.viewport.as_deref().is_some_and(|v| {
        v.replace(' ', "")
            .to_ascii_lowercase()
            .contains("width=device-width")
    });
    match (responsive, facts.fixed_width) {
        (true, false) => answer(
            q,
            Answer::Yes,
            url,
            "responsive viewport and no fixed page width",
        ),
        (false, _) => answer(
            q,
            Answer::No,
            url,
            "no responsive viewport (width=device-width)",
        ),
        (true, true) => answer(
            q,
            Answer::No,
            url,
            "a fixed width of 768px or more stops the page reflowing",
        ),
    }
}

fn up_to_date(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    let (Some(page), Some(facts)) = (ctx.page, ctx.page_facts) else {
        return answer(q, Answer::NotTested, None, NO_PAGE);
    };
    let cutoff = super::dates::cutoff(ctx.today, ctx.ruleset.scoring.out_of_date_months);
    let url = Some(page.url.as_str());
    // The whole page: a "last updated" line often sits below the main content.
    match super::dates::stale_evidence(
        &facts.text,
        &ctx.ruleset.navigation.freshness_markers,
        cutoff,
    ) {
        Some(what) => answer(
            q,
            Answer::No,
            url,
            format!("out of date: {what} is before {cutoff}"),
        ),
        None => answer(
            q,
            Answer::Yes,
            url,
            format!("no review date or financial year before {cutoff}"),
        ),
    }
}

fn quote(text: &str, start: usize, end: usize) -> String {
    let from = text[..start]
        .char_indices()
        .rev()
        .nth(30)
        .map_or(0, |(i, _)| i);
    let to = text[end..]
        .char_indices()
        .nth(30)
        .map_or(text.len(), |(i, _)| end + i);
    format!("\"…{}…\"", &text[from..to])
}

fn find_in(patterns: &[Regex], text: &str) -> Option<(usize, usize)> {
    patterns
        .iter()
        .find_map(|p| p.find(text))
        .map(|m| (m.start(), m.end()))
}

fn page_mentions(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    let (Some(page), Some(facts)) = (ctx.page, ctx.page_facts) else {
        return answer(q, Answer::No, None, NO_PAGE);
    };
    let url = Some(page.url.as_str());
    let title = facts.title.as_deref().unwrap_or_default();
    match find_in(&q.patterns, facts.main_text())
        .map(|(s, e)| quote(facts.main_text(), s, e))
        .or_else(|| find_in(&q.patterns, title).map(|(s, e)| quote(title, s, e)))
    {
        Some(snippet) => answer(q, Answer::Yes, url, format!("the task page says {snippet}")),
        None => answer(
            q,
            Answer::No,
            url,
            "the task page says nothing that matches",
        ),
    }
}

fn links_to(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    let (Some(page), Some(facts)) = (ctx.page, ctx.page_facts) else {
        return answer(q, Answer::No, None, NO_PAGE);
    };
    let url = Some(page.url.as_str());
    match facts
        .links
        .iter()
        .filter(|l| !l.area.is_chrome())
        .find(|l| any_match(&q.patterns, &l.text) || any_match(&q.patterns, l.href.as_str()))
    {
        Some(l) => answer(
            q,
            Answer::Yes,
            url,
            format!("the task page links to {} (\"{}\")", l.href, l.text),
        ),
        None => answer(q, Answer::No, url, "the task page has no matching link"),
    }
}

fn has_input(ctx: &Ctx<'_, '_>, q: &Question) -> QuestionAnswer {
    if ctx.page.is_none() {
        return answer(q, Answer::No, None, NO_PAGE);
    }
    for (url, f) in page_and_next(ctx) {
        for form in f.forms.iter().filter(|form| !form.area.is_chrome()) {
            if let Some(field) = form
                .fields
                .iter()
                .filter(|d| is_visible_field(&d.kind))
                .find(|d| any_match(&q.patterns, &d.name) || any_match(&q.patterns, &d.label))
            {
                let label = if field.label.is_empty() {
                    &field.name
                } else {
                    &field.label
                };
                return answer(
                    q,
                    Answer::Yes,
                    Some(url.as_str()),
                    format!("a form on {url} asks for \"{label}\""),
                );
            }
        }
    }
    answer(
        q,
        Answer::No,
        ctx.page.map(|p| p.url.as_str()),
        "no form on or one click from the task page asks for it",
    )
}
