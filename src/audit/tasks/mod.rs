//! Task completion: can a resident find and complete each top task?
//!
//! For each task that applies to the council's type, [`assess`] finds the task page (title, main
//! heading, URL and the text of links pointing at it against the task's patterns; the match
//! fewest clicks from the home page wins) and the service landing page, reads the site's own
//! search results and its A–Z, then answers the ruleset's questions, each with the page that
//! shows it and a reason. [`stars`] turns the answers into 1–4 stars. [`classify`] says which tasks
//! and services one page serves, for `civicscan audit`. [`search_requests`] builds the site-search
//! URLs the crawler fetches.
//!
//! It works on the facts the crawl kept ([`SiteFacts`]); it fetches nothing and does not judge
//! accessibility (see [`crate::audit::a11y`]). What it cannot decide is [`Answer::NotTested`].

mod checks;
mod dates;
mod find;
pub(crate) mod site;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::audit::SiteFacts;
use crate::page::PageFacts;
use crate::ruleset::{Ruleset, Scoring, Task};
use site::{SiteIndex, search_field};

/// A yes/no answer, or why it could not be given. "Yes" is always the good answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Could not be decided (no A–Z, search form missing, …); leaves the denominator.
    NotTested,
}

/// One question's answer with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionAnswer {
    /// The question's id within the task.
    pub question: String,
    /// The answer.
    pub answer: Answer,
    /// The page that shows it, when there is one.
    pub evidence_url: Option<String>,
    /// Why, in a sentence.
    pub reason: String,
}

/// The outcome of one task for one council.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskResult {
    /// The task's id.
    pub task: String,
    /// The task page found, if any.
    pub page_url: Option<String>,
    /// The click path from the home page to it (home first).
    pub route: Vec<String>,
    /// Why this page was taken as the task page.
    pub reason: String,
    /// Answers, in the ruleset's question order.
    pub answers: Vec<QuestionAnswer>,
}

/// The page for some patterns (title, main heading, URL and inbound link text), fewest clicks
/// from home first; shared with the coverage stage.
pub(crate) fn find_page(
    index: &SiteIndex<'_>,
    nav: &crate::ruleset::Navigation,
    patterns: &[regex::Regex],
    url_patterns: &[regex::Regex],
    skip: &[&str],
) -> Option<find::Found> {
    find::best_page(index, nav, patterns, url_patterns, skip)
}

/// Which tasks and services a page serves, best first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// Task ids.
    pub tasks: Vec<String>,
    /// LGSL codes.
    pub services: Vec<u32>,
    /// Why the first task was named: which words of which part of the page matched.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// Which tasks and LGSL services a page serves, best first: those whose names appear in its
/// title, main heading, breadcrumb or URL, backed by its subheadings, its opening text or the
/// council wordings the ruleset lists. A page the ruleset's `[recognition]` cues mark as news,
/// a consultation, a committee paper or an FOI answer serves no task, whatever it talks about.
/// When two tasks match equally well the page is taken to serve neither: no task is better than
/// a wrong one. Every task and service of the ruleset is considered, whatever the council type.
pub fn classify(url: &Url, facts: &PageFacts, ruleset: &Ruleset) -> Classification {
    let none = || std::iter::empty::<&str>();
    let words = find::UrlWords::of(url);
    let vetoed = find::not_task_page(&ruleset.recognition, url, facts);
    let mut tasks: Vec<(u32, usize, String, Vec<String>)> = if vetoed.is_some() {
        Vec::new()
    } else {
        ruleset
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    i,
                    t,
                    find::score_page_words(&find::Terms::task(t), url, &words, facts, none()),
                )
            })
            .filter(|(_, _, m)| m.strong())
            .map(|(i, t, m)| (m.score, i, t.id.clone(), m.why))
            .collect()
    };
    tasks.sort_by_key(|(score, i, _, _)| (std::cmp::Reverse(*score), *i));
    let tied = tasks.len() > 1 && tasks[0].0 == tasks[1].0;
    let evidence = if tied {
        vec![format!(
            "{} and {} match equally well ({}); naming neither",
            tasks[0].2, tasks[1].2, tasks[0].0
        )]
    } else {
        tasks
            .first()
            .map(|t| t.3.clone())
            .or_else(|| vetoed.map(|v| vec![v]))
            .unwrap_or_default()
    };
    if tied {
        tasks.clear();
    }
    let mut services: Vec<(u32, usize, u32)> = ruleset
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m = find::score_page_words(
                &find::Terms::names(&s.patterns, &s.url_patterns),
                url,
                &words,
                facts,
                none(),
            );
            (i, s, m)
        })
        .filter(|(_, _, m)| m.strong())
        .map(|(i, s, m)| (m.score, i, s.lgsl))
        .collect();
    services.sort_by_key(|(score, i, _)| (std::cmp::Reverse(*score), *i));
    let mut services: Vec<u32> = services.into_iter().map(|(_, _, l)| l).collect();
    // A task's page serves the task's LGSL service too, when the task alone is that service.
    for (_, i, _, _) in &tasks {
        if let Some(l) = ruleset.tasks[*i].lgsl
            && ruleset.services.iter().any(|s| s.lgsl == l)
            && ruleset.tasks.iter().filter(|t| t.lgsl == Some(l)).count() == 1
            && !services.contains(&l)
        {
            services.push(l);
        }
    }
    Classification {
        tasks: tasks.into_iter().map(|(_, _, id, _)| id).collect(),
        services,
        evidence,
    }
}

/// A site-search results page's facts cut to what the task checks read of them: the title (a
/// search that redirects to its match) and the links that can be results (`site::result_links`).
/// A council's searches are held from the first until its assessment, and a results page's full
/// facts (its text, headings, forms and navigation) were most of what a council waiting at the
/// end of a run held.
pub fn search_results_facts(facts: PageFacts, results_url: &Url) -> PageFacts {
    PageFacts {
        links: site::result_links(&facts.links, results_url)
            .cloned()
            .collect(),
        title: facts.title,
        ..PageFacts::default()
    }
}

/// The site-search requests to make, one per distinct search term of the tasks that apply to the
/// council: the home page's GET search form submitted with the term (its hidden fields kept).
/// Empty when the home page has no such form.
pub fn search_requests(site: &SiteFacts, ruleset: &Ruleset) -> Vec<(String, Url)> {
    let index = SiteIndex::new(site);
    let Some(home) = index.home_facts() else {
        return Vec::new();
    };
    let nav = &ruleset.navigation;
    // A form marked as search, or in the page furniture, is the site search rather than a lookup.
    let Some((form, field)) = home
        .forms
        .iter()
        .filter_map(|f| search_field(f, nav).map(|field| (f, field)))
        .max_by_key(|(f, field)| (f.search_role, field.kind == "search", f.area.is_chrome()))
    else {
        return Vec::new();
    };
    let mut out: Vec<(String, Url)> = Vec::new();
    for task in ruleset.tasks_for(site.site.council_type) {
        let term = task.search_term.trim();
        if out.iter().any(|(t, _)| t.eq_ignore_ascii_case(term)) {
            continue;
        }
        let mut url = form.action.clone();
        url.set_query(None);
        url.set_fragment(None);
        {
            let mut q = url.query_pairs_mut();
            for f in &form.fields {
                if f.name.is_empty() {
                    continue;
                }
                if std::ptr::eq(f, field) {
                    q.append_pair(&f.name, term);
                } else if f.kind == "hidden" {
                    q.append_pair(&f.name, &f.value);
                }
            }
        }
        out.push((term.to_string(), url));
    }
    out
}

/// Answers every question of every task that applies to the site's council type.
pub fn assess(site: &SiteFacts, ruleset: &Ruleset, today: Date) -> Vec<TaskResult> {
    let index = SiteIndex::new(site);
    let nav = &ruleset.navigation;
    let az = index.a_to_z(nav);
    let skip = az.page_keys();
    ruleset
        .tasks_for(site.site.council_type)
        .map(|task| {
            let page = find::task_page(&index, nav, &ruleset.recognition, task, &skip);
            let landing = find::landing_page(&index, nav, task, page.as_ref(), &skip);
            let ctx = checks::Ctx {
                index: &index,
                ruleset,
                task,
                page: page.as_ref(),
                page_facts: page.as_ref().and_then(|p| index.page_facts(&p.url)),
                landing: landing.as_ref(),
                az: &az,
                today,
            };
            let answers = task
                .questions
                .iter()
                .map(|q| checks::check(&ctx, q))
                .collect();
            let (route, reason) = match &page {
                Some(p) => {
                    let route = index.route(&p.url);
                    let path = route
                        .iter()
                        .skip(1)
                        .map(|(_, link)| match link {
                            Some((text, true)) => format!("\"{text}\" (a link built by script)"),
                            Some((text, false)) => format!("\"{text}\""),
                            None => "\"\"".to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(" → ");
                    let how = match p.clicks {
                        Some(0) => "the home page itself".to_string(),
                        Some(n) => format!("{n} click(s) from the home page: {path}"),
                        None => "not reachable by links from the home page".to_string(),
                    };
                    (
                        route.into_iter().map(|(k, _)| k).collect(),
                        format!("{}; {how}", p.why),
                    )
                }
                None => (
                    Vec::new(),
                    format!(
                        "no fetched page's title, main heading, URL or links match the task \"{}\"",
                        task.title
                    ),
                ),
            };
            TaskResult {
                task: task.id.clone(),
                page_url: page.as_ref().map(|p| p.url.to_string()),
                route,
                reason,
                answers,
            }
        })
        .collect()
}

/// A task's stars (1–4) from the share of yes answers among those tested, capped when the
/// essential question fails or out-of-date content is found. `None` when nothing was tested.
pub fn stars(result: &TaskResult, task: &Task, scoring: &Scoring) -> Option<u8> {
    let tested: Vec<&QuestionAnswer> = result
        .answers
        .iter()
        .filter(|a| a.answer != Answer::NotTested)
        .collect();
    if tested.is_empty() {
        return None;
    }
    let yes = tested.iter().filter(|a| a.answer == Answer::Yes).count();
    let mut stars = scoring.task_stars.stars(yes as f64 / tested.len() as f64);
    for q in &task.questions {
        let failed = result
            .answers
            .iter()
            .any(|a| a.question == q.id && a.answer == Answer::No);
        if failed && q.essential {
            stars = stars.min(scoring.essential_cap);
        }
        if failed && q.out_of_date {
            stars = stars.min(scoring.out_of_date_cap);
        }
    }
    Some(stars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::PageRecord;
    use crate::sites::{CouncilType, Site};

    #[test]
    fn a_results_page_cut_to_its_results_reads_as_the_whole_page_does() {
        let home = PageRecord::html(
            "https://t.gov.uk/",
            "<html><body><form action=/search><input name=q></form></body></html>",
        );
        let site = SiteFacts {
            site: Site::new(
                "t",
                "T",
                CouncilType::SD,
                Url::parse("https://t.gov.uk/").unwrap(),
            ),
            pages: vec![home],
            searches: Vec::new(),
        };
        let index = SiteIndex::new(&site);
        let url = Url::parse("https://t.gov.uk/search?q=bins").unwrap();
        let pages = [
            // Results in <main>, the menu and footer around them.
            "<html><head><title>Search</title></head><body><nav><a href=/bins>Bins menu</a>\
             <a href=/>Home</a></nav><main><h1>Results</h1><p>Lots of text.</p>\
             <a href=/bins/missed>Report a missed bin</a><a href=/bins/missed>Again</a>\
             <a href=/search?q=bins&page=2>Next</a><a href=/x><img src=x.png></a>\
             <a href=/>Home</a><a href=/council-tax>Council tax</a></main>\
             <footer><a href=/privacy>Privacy</a></footer></body></html>",
            // No <main>: every link outside the page furniture.
            "<html><body><nav><a href=/menu>Menu</a></nav><div><a href=/bins/missed>Missed bins</a>\
             <a href=/search?q=other>Search again</a></div></body></html>",
        ];
        for html in pages {
            let full = PageRecord::html(url.as_str(), html).facts.unwrap();
            let cut = search_results_facts(full.clone(), &url);
            let expected = index.search_results(&url, &full);
            assert!(!expected.is_empty(), "{html}");
            assert_eq!(index.search_results(&url, &cut), expected, "{html}");
            assert_eq!(cut.title, full.title);
            assert!(cut.links.len() < full.links.len());
            assert!(cut.text.is_empty() && cut.headings.is_empty() && cut.forms.is_empty());
        }
    }
}
