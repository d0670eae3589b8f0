//! Welsh-language pages: does a Welsh council's site offer its pages in Welsh, as the Welsh
//! Language Standards ask of county and county borough councils in Wales?
//!
//! Checked for the council types the ruleset's `[welsh]` table names (Welsh unitary councils by
//! default), four questions:
//!
//! - `home-switch`: the home page shows a switch to Welsh (a link marked `lang`/`hreflang="cy"`,
//!   or with text such as "Cymraeg") and it leads to a page in Welsh;
//! - `task-switch`: the task pages show such a switch;
//! - `task-counterparts`: each task page has a Welsh counterpart: the page its
//!   `<link rel=alternate hreflang="cy">` or its switch points to, or failing both an address
//!   guessed by the ruleset's rules (`/en/`→`/cy/`), which only counts once fetched and checked;
//! - `share`: the share of sampled English pages (the home page and the pages it links to)
//!   that declare a Welsh counterpart.
//!
//! A counterpart is a page that was fetched, is in Welsh (`lang="cy"`, or its text reads as
//! Welsh by the ruleset's word lists), is not the Welsh home page that a generic switch leads to,
//! and whose numbers, e-mail addresses and postcodes do not contradict the English page's.
//! Counterparts the crawl did not reach are fetched after it within `welsh.max_fetches`; one
//! that could not be fetched leaves the page "cannot tell".

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use url::Url;

use super::duty_answer::{DutyAnswer, Verdict, find_record, weighted_value};
use super::{PageRecord, SiteFacts};
use crate::crawl::PageKind;
use crate::page::PageFacts;
use crate::ruleset::{Ruleset, WelshSettings};

/// Fewer words from the two lists than this and a text's language is not told.
const MIN_WORDS: usize = 8;
/// The share of Welsh among the listed words for a text to read as Welsh (and of English to read
/// as English).
const LANGUAGE_SHARE: f64 = 0.65;
/// Candidate counterparts fetched per page at most.
const CANDIDATES_PER_PAGE: usize = 2;

/// The language a text reads in, from common words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Mostly Welsh words.
    Welsh,
    /// Mostly English words.
    English,
    /// Both, or too few words to tell.
    Unknown,
}

/// Counts the ruleset's Welsh and English words in a text: (Welsh, English).
pub fn word_counts(text: &str, settings: &WelshSettings) -> (usize, usize) {
    let (mut cy, mut en) = (0, 0);
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        let w = word.to_lowercase();
        if settings.welsh_words.contains(&w) {
            cy += 1;
        } else if settings.english_words.contains(&w) {
            en += 1;
        }
    }
    (cy, en)
}

/// The language a text reads in.
pub fn language(text: &str, settings: &WelshSettings) -> Language {
    let (cy, en) = word_counts(text, settings);
    let all = cy + en;
    if all < MIN_WORDS {
        return Language::Unknown;
    }
    let share = cy as f64 / all as f64;
    if share >= LANGUAGE_SHARE {
        Language::Welsh
    } else if 1.0 - share >= LANGUAGE_SHARE {
        Language::English
    } else {
        Language::Unknown
    }
}

/// Whether a page is in Welsh, and why (for evidence).
pub fn welsh_page(facts: &PageFacts, settings: &WelshSettings) -> (bool, String) {
    let lang = facts
        .lang
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let lang_cy = lang == "cy" || lang.starts_with("cy-");
    let text = facts.main_text();
    let (cy, en) = word_counts(text, settings);
    let reads = language(text, settings);
    let words = format!("{cy} common Welsh and {en} common English words");
    match (lang_cy, reads) {
        (_, Language::Welsh) => (true, format!("it reads as Welsh ({words})")),
        (true, Language::Unknown) => (true, format!("it declares lang=\"{lang}\" ({words})")),
        (true, Language::English) => (
            false,
            format!("it declares lang=\"{lang}\" but reads as English ({words})"),
        ),
        (false, _) => (
            false,
            format!("it is not marked or written in Welsh ({words})"),
        ),
    }
}

static ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b|£\s?[\d,]+(?:\.\d\d)?|\b0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b|\b\d{3,}\b",
    )
    .expect("static regex")
});

/// The facts a translation keeps: e-mail addresses, postcodes, amounts, phone numbers (whole,
/// so a shared area code says nothing) and other numbers of three or more digits (form numbers,
/// years).
pub fn anchors(text: &str) -> HashSet<String> {
    ANCHOR
        .find_iter(text)
        .map(|m| m.as_str().to_lowercase().replace([' ', ',', '-'], ""))
        .collect()
}

/// The share of the smaller anchor set found in the other; `None` when either has fewer than
/// two (too few to say anything).
pub fn anchor_overlap(a: &HashSet<String>, b: &HashSet<String>) -> Option<f64> {
    let small = a.len().min(b.len());
    if small < 2 {
        return None;
    }
    Some(a.intersection(b).count() as f64 / small as f64)
}

/// Two pages' anchors contradict each other: both have some and they hardly share any.
pub fn anchors_contradict(english: &str, welsh: &str) -> bool {
    anchor_overlap(&anchors(english), &anchors(welsh)).is_some_and(|o| o < 0.2)
}

/// How a counterpart was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// `<link rel=alternate hreflang="cy">` in the page's head.
    Hreflang,
    /// The page's visible language switch.
    Switch,
    /// An address guessed by the ruleset's rules, fetched and checked.
    Guess,
}

/// One English page and its Welsh counterpart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counterpart {
    /// What the page is: "home" or the task's id.
    pub label: String,
    /// The English page.
    pub page: String,
    /// The text of its visible switch to Welsh, when it has one.
    pub switch: Option<String>,
    /// The Welsh page, when one was found.
    pub welsh_url: Option<String>,
    /// How it was found.
    pub via: Option<Via>,
    /// Whether the page has a Welsh counterpart.
    pub verdict: Verdict,
    /// The Welsh page's title or heading, quoted.
    pub evidence: Option<String>,
    /// Why, in a sentence.
    pub reason: String,
}

/// The Welsh-language check for one council.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WelshResult {
    /// The home page and its Welsh counterpart.
    pub home: Option<Counterpart>,
    /// Each task page found and its Welsh counterpart.
    pub tasks: Vec<Counterpart>,
    /// English pages sampled for the share.
    pub sampled: u32,
    /// Of those, pages that declare a Welsh counterpart.
    pub with_counterpart: u32,
    /// `with_counterpart / sampled`.
    pub share: Option<f64>,
    /// One answer per question, in the report's order.
    pub answers: Vec<DutyAnswer>,
    /// The weighted share of Yes among decided questions.
    pub value: Option<f64>,
    /// Its weight in the digital-first dimension.
    pub weight: f64,
}

impl WelshResult {
    /// The answer to one question.
    pub fn answer(&self, part: &str) -> Option<&DutyAnswer> {
        self.answers.iter().find(|a| a.part == part)
    }
}

/// The question asked for each part.
pub fn question(part: &str) -> &'static str {
    match part {
        "home-switch" => "Does the home page show a switch to Welsh that leads to a Welsh page?",
        "task-switch" => "Do the task pages show a switch to Welsh?",
        "task-counterparts" => "Does each task page have a Welsh counterpart, in Welsh?",
        "share" => "Do the home page and the pages it links to declare a Welsh counterpart?",
        _ => "",
    }
}

fn same_page(a: &Url, b: &Url) -> bool {
    let key = |u: &Url| {
        let mut u = u.clone();
        u.set_fragment(None);
        let s = u.to_string();
        s.trim_end_matches('/').to_ascii_lowercase()
    };
    key(a) == key(b)
}

/// The page's visible switch to Welsh: the link text and its target.
pub fn visible_switch(facts: &PageFacts, settings: &WelshSettings) -> Option<(String, Url)> {
    let marked: Vec<&Url> = facts
        .alternates
        .iter()
        .filter(|a| !a.in_head && is_cy(&a.lang))
        .map(|a| &a.href)
        .collect();
    facts
        .links
        .iter()
        .find(|l| {
            marked.iter().any(|u| same_page(u, &l.href))
                || settings.switch_text.iter().any(|r| r.is_match(&l.text))
        })
        .map(|l| (l.text.clone(), l.href.clone()))
}

fn is_cy(lang: &str) -> bool {
    lang == "cy" || lang.starts_with("cy-")
}

/// Whether an address is a Welsh page's by the ruleset's patterns (`/cy/`, `lang=cy`).
pub fn welsh_address(url: &Url, settings: &WelshSettings) -> bool {
    settings.welsh_url.iter().any(|r| r.is_match(url.as_str()))
}

/// The addresses a guess rule makes of a page's, different from it.
pub fn guesses(url: &Url, settings: &WelshSettings) -> Vec<Url> {
    if welsh_address(url, settings) {
        return Vec::new();
    }
    let mut out: Vec<Url> = Vec::new();
    for g in &settings.guess {
        if !g.from.is_match(url.as_str()) {
            continue;
        }
        let to = g.from.replace(url.as_str(), g.to.as_str());
        if let Ok(u) = Url::parse(&to)
            && !same_page(&u, url)
            && !out.iter().any(|o| same_page(o, &u))
        {
            out.push(u);
        }
    }
    out
}

/// A page's candidate counterparts, best first: declared in its head, its visible switch, then
/// guesses.
fn candidates(url: &Url, facts: &PageFacts, settings: &WelshSettings) -> Vec<(Url, Via)> {
    let mut out: Vec<(Url, Via)> = Vec::new();
    let add = |u: Url, via: Via, out: &mut Vec<(Url, Via)>| {
        if !same_page(&u, url) && !out.iter().any(|(o, _)| same_page(o, &u)) {
            out.push((u, via));
        }
    };
    for a in facts
        .alternates
        .iter()
        .filter(|a| a.in_head && is_cy(&a.lang))
    {
        add(a.href.clone(), Via::Hreflang, &mut out);
    }
    if let Some((_, u)) = visible_switch(facts, settings) {
        add(u, Via::Switch, &mut out);
    }
    for u in guesses(url, settings) {
        add(u, Via::Guess, &mut out);
    }
    out
}

/// A Welsh home page, which a generic switch leads to from any page: the root of a host, a
/// bare `/cy` path, or where the home page's own switch leads.
fn is_welsh_home(url: &Url, home_welsh: Option<&Url>) -> bool {
    let path = url.path().trim_matches('/').to_ascii_lowercase();
    let bare =
        path.is_empty() || matches!(path.as_str(), "cy" | "cym" | "cy-gb" | "hafan" | "cy/hafan");
    bare && url
        .query()
        .is_none_or(|q| q.to_ascii_lowercase().contains("=cy"))
        || home_welsh.is_some_and(|h| same_page(h, url))
}

fn home_record(site: &SiteFacts) -> Option<&PageRecord> {
    site.pages
        .first()
        .filter(|r| r.facts.is_some() && r.page.status < 400)
}

/// The pages to judge: the home page, then each task page (label, record).
fn judged_pages<'a>(
    site: &'a SiteFacts,
    tasks: &[(String, String)],
) -> Vec<(String, &'a PageRecord)> {
    let mut out = Vec::new();
    if let Some(h) = home_record(site) {
        out.push(("home".to_string(), h));
    }
    for (label, url) in tasks {
        let Ok(u) = Url::parse(url) else { continue };
        if let Some(r) = find_record(site, &[], &u)
            && r.facts.is_some()
            && !out
                .iter()
                .any(|(_, o): &(String, &PageRecord)| same_page(&o.page.final_url, &u))
        {
            out.push((label.clone(), r));
        }
    }
    out
}

/// The Welsh counterparts the check wants and the crawl did not fetch: for the home page and
/// each task page without a crawled Welsh counterpart, up to two candidates, declared before
/// guessed.
pub fn wanted_pages(site: &SiteFacts, task_pages: &[String], settings: &WelshSettings) -> Vec<Url> {
    let tasks: Vec<(String, String)> = task_pages
        .iter()
        .map(|u| ("task".to_string(), u.clone()))
        .collect();
    let mut out: Vec<Url> = Vec::new();
    // Where the home page's switch leads, among the crawled pages: a task page's switch to the
    // same page is a generic one, and its own counterpart is still wanted.
    let home_welsh = home_record(site)
        .map(|h| judge("home", h, true, None, site, &[], settings))
        .and_then(|c| c.welsh_url)
        .and_then(|u| Url::parse(&u).ok());
    for (label, record) in judged_pages(site, &tasks) {
        let Some(f) = &record.facts else { continue };
        let is_home = label == "home";
        let cands = candidates(&record.page.final_url, f, settings);
        let crawled_welsh = cands.iter().any(|(u, _)| {
            find_record(site, &[], u).is_some_and(|r| {
                r.page.status < 400
                    && r.facts.as_ref().is_some_and(|f| welsh_page(f, settings).0)
                    && (is_home || !is_welsh_home(&r.page.final_url, home_welsh.as_ref()))
            })
        });
        if crawled_welsh {
            continue;
        }
        for (u, _) in cands
            .into_iter()
            .filter(|(u, _)| find_record(site, &[], u).is_none())
            .take(CANDIDATES_PER_PAGE)
        {
            if !out.iter().any(|o| same_page(o, &u)) {
                out.push(u);
            }
        }
    }
    out
}

/// Judges one page's counterpart among the crawled and extra-fetched pages.
fn judge(
    label: &str,
    record: &PageRecord,
    is_home: bool,
    home_welsh: Option<&Url>,
    site: &SiteFacts,
    extra: &[PageRecord],
    settings: &WelshSettings,
) -> Counterpart {
    let facts = record.facts.as_ref().expect("judged pages have facts");
    let url = &record.page.final_url;
    let switch = visible_switch(facts, settings).map(|(t, _)| t);
    let mut out = Counterpart {
        label: label.to_string(),
        page: url.to_string(),
        switch,
        welsh_url: None,
        via: None,
        verdict: Verdict::No,
        evidence: None,
        reason: String::new(),
    };
    let cands = candidates(url, facts, settings);
    if cands.is_empty() {
        out.reason = "No Welsh version is declared (hreflang=\"cy\"), linked from a language switch, or at a Welsh address.".into();
        return out;
    }
    let (mut unfetched, mut contradicted, mut generic, mut failed) =
        (false, None, None, None::<String>);
    for (cand, via) in &cands {
        let Some(r) = find_record(site, extra, cand) else {
            unfetched = true;
            continue;
        };
        let target = &r.page.final_url;
        let Some(f) = r.facts.as_ref().filter(|_| r.page.status < 400) else {
            if *via != Via::Guess {
                failed.get_or_insert(format!(
                    "Its Welsh link {target} did not give a page (status {}).",
                    r.page.status
                ));
            }
            continue;
        };
        let (welsh, why) = welsh_page(f, settings);
        if !welsh {
            if *via != Via::Guess {
                failed.get_or_insert(format!(
                    "Its Welsh link {target} is not a Welsh page: {why}."
                ));
            }
            continue;
        }
        if !is_home && is_welsh_home(target, home_welsh) {
            generic.get_or_insert(format!(
                "Its switch leads to the Welsh home page ({target}), not to this page in Welsh."
            ));
            continue;
        }
        if anchors_contradict(facts.main_text(), f.main_text()) {
            contradicted.get_or_insert(format!(
                "{target} is in Welsh, but its numbers and addresses do not match this page's."
            ));
            continue;
        }
        out.verdict = Verdict::Yes;
        out.welsh_url = Some(target.to_string());
        out.via = Some(*via);
        out.evidence = f
            .headings
            .iter()
            .find(|(l, _)| *l == 1)
            .map(|(_, h)| h.clone())
            .or_else(|| f.title.clone());
        let how = match via {
            Via::Hreflang => "declared with hreflang=\"cy\"",
            Via::Switch => "linked from its language switch",
            Via::Guess => "at the address the ruleset's rules guess",
        };
        out.reason = format!("Its Welsh version {target}, {how}: {why}.");
        return out;
    }
    if let Some(c) = contradicted {
        out.verdict = Verdict::CantTell;
        out.reason = c;
    } else if unfetched {
        out.verdict = Verdict::CantTell;
        out.reason =
            "A Welsh version is linked or guessed but was not fetched within the check's budget."
                .into();
    } else if let Some(g) = generic {
        out.reason = g;
    } else if let Some(f) = failed {
        out.reason = f;
    } else {
        out.reason = "No Welsh version was found: the addresses guessed gave no Welsh page.".into();
    }
    out
}

/// The English pages the share is judged on: the home page and the pages it links to that
/// were crawled, are on the home page's host and are not themselves Welsh.
struct Sample<'a> {
    /// The first `sample_pages` of them, in the order the home page links to them (the pages a
    /// resident reaches first, whatever order the crawl took).
    pages: Vec<&'a PageRecord>,
    /// How many there are in all (the sample and those past it).
    total: usize,
}

fn sample<'a>(site: &'a SiteFacts, settings: &WelshSettings) -> Sample<'a> {
    let Some(home) = home_record(site) else {
        return Sample {
            pages: Vec::new(),
            total: 0,
        };
    };
    let host = home.page.final_url.host_str();
    let english = |r: &PageRecord| {
        r.page.kind == PageKind::Html
            && r.page.status < 400
            && r.page.final_url.host_str() == host
            && !welsh_address(&r.page.final_url, settings)
            && r.facts.as_ref().is_some_and(|f| !welsh_page(f, settings).0)
    };
    let mut all: Vec<&PageRecord> = vec![home];
    let links = home.facts.iter().flat_map(|f| &f.links);
    for l in links {
        if let Some(r) = find_record(site, &[], &l.href)
            && english(r)
            && !all
                .iter()
                .any(|o| same_page(&o.page.final_url, &r.page.final_url))
        {
            all.push(r);
        }
    }
    let total = all.len();
    all.truncate(settings.sample_pages.max(1));
    Sample { pages: all, total }
}

/// Whether a sampled page declares a Welsh counterpart (in its head or by its switch) that is
/// not the Welsh home page and, where it was fetched, is in Welsh.
fn declares_counterpart(
    record: &PageRecord,
    is_home: bool,
    home_welsh: Option<&Url>,
    site: &SiteFacts,
    extra: &[PageRecord],
    settings: &WelshSettings,
) -> bool {
    let Some(f) = &record.facts else { return false };
    candidates(&record.page.final_url, f, settings)
        .into_iter()
        .filter(|(_, via)| *via != Via::Guess)
        .any(|(u, _)| match find_record(site, extra, &u) {
            Some(r) => {
                r.page.status < 400
                    && r.facts.as_ref().is_some_and(|f| welsh_page(f, settings).0)
                    && (is_home || !is_welsh_home(&r.page.final_url, home_welsh))
            }
            None => is_home || !is_welsh_home(&u, home_welsh),
        })
}

fn answer(
    part: &str,
    verdict: Verdict,
    evidence: Option<String>,
    url: Option<String>,
    reason: String,
) -> DutyAnswer {
    DutyAnswer {
        part: part.to_string(),
        question: question(part).to_string(),
        verdict,
        evidence_url: evidence.as_ref().and(url),
        evidence,
        reason,
    }
}

/// Yes when at least `min_share` of `total` hold, No when too many fail for that, else cannot tell.
fn by_share(yes: usize, no: usize, total: usize, min_share: f64) -> Verdict {
    let need = (min_share * total as f64).ceil() as usize;
    if total == 0 {
        Verdict::CantTell
    } else if yes >= need {
        Verdict::Yes
    } else if no > total - need {
        Verdict::No
    } else {
        Verdict::CantTell
    }
}

/// Checks a council's Welsh-language pages. `tasks` are (task id, task page) for the tasks
/// whose page was found. `None` when the ruleset has no `[welsh]`, the council's type is not
/// checked, or no page was fetched.
pub fn assess(
    site: &SiteFacts,
    extra: &[PageRecord],
    tasks: &[(String, String)],
    ruleset: &Ruleset,
) -> Option<WelshResult> {
    let settings = ruleset.welsh.as_ref()?;
    if !settings.applies_to(site.site.council_type) {
        return None;
    }
    let home = home_record(site)?;
    let pages = judged_pages(site, tasks);
    let home_cp = judge("home", home, true, None, site, extra, settings);
    let home_welsh = home_cp
        .welsh_url
        .as_deref()
        .and_then(|u| Url::parse(u).ok());
    let task_cps: Vec<Counterpart> = pages
        .iter()
        .filter(|(label, _)| label != "home")
        .map(|(label, r)| judge(label, r, false, home_welsh.as_ref(), site, extra, settings))
        .collect();

    let mut answers = Vec::new();
    let home_url = Some(home_cp.page.clone());
    answers.push(match (&home_cp.switch, home_cp.verdict) {
        (None, _) => answer(
            "home-switch",
            Verdict::No,
            None,
            None,
            "The home page shows no switch to Welsh (no link marked lang=\"cy\" or reading \"Cymraeg\").".into(),
        ),
        (Some(text), v) => answer(
            "home-switch",
            v,
            Some(format!("“{text}” → {}", home_cp.welsh_url.as_deref().unwrap_or("?"))),
            home_url,
            home_cp.reason.clone(),
        ),
    });

    let with_switch = task_cps.iter().filter(|c| c.switch.is_some()).count();
    let total = task_cps.len();
    let missing = task_cps.iter().find(|c| c.switch.is_none());
    answers.push(answer(
        "task-switch",
        by_share(with_switch, total - with_switch, total, settings.min_share),
        missing
            .map(|c| format!("No switch on {}", c.page))
            .or_else(|| {
                task_cps
                    .first()
                    .and_then(|c| c.switch.as_ref().map(|s| format!("“{s}” on {}", c.page)))
            }),
        missing.or(task_cps.first()).map(|c| c.page.clone()),
        if total == 0 {
            "No task page was found to check.".into()
        } else {
            format!("{with_switch} of {total} task pages show a switch to Welsh.")
        },
    ));

    let yes = task_cps
        .iter()
        .filter(|c| c.verdict == Verdict::Yes)
        .count();
    let no = task_cps.iter().filter(|c| c.verdict == Verdict::No).count();
    let example = task_cps
        .iter()
        .find(|c| c.verdict == Verdict::No)
        .or_else(|| task_cps.iter().find(|c| c.verdict == Verdict::Yes));
    answers.push(answer(
        "task-counterparts",
        by_share(yes, no, total, settings.min_share),
        example.map(|c| format!("{} ({}): {}", c.label, c.page, c.reason)),
        example.map(|c| c.page.clone()),
        if total == 0 {
            "No task page was found to check.".into()
        } else {
            format!(
                "{yes} of {total} task pages have a Welsh counterpart in Welsh ({no} have none, {} cannot tell).",
                total - yes - no
            )
        },
    ));

    let Sample {
        pages: sampled,
        total,
    } = sample(site, settings);
    let with = sampled
        .iter()
        .filter(|r| {
            let is_home = std::ptr::eq(**r, home);
            declares_counterpart(r, is_home, home_welsh.as_ref(), site, extra, settings)
        })
        .count();
    let share = (!sampled.is_empty()).then(|| with as f64 / sampled.len() as f64);
    answers.push(answer(
        "share",
        // The pages past the sample count as unknown: a share of the first pages decides only
        // when the rest could not change the answer.
        by_share(with, sampled.len() - with, total, settings.min_share),
        None,
        None,
        match share {
            None => "No English page was sampled.".into(),
            Some(s) if total > sampled.len() => format!(
                "{with} of the first {} of {total} pages ({:.0} %) declare a Welsh counterpart; \
                 {:.0} % needed; the other {} were not checked (welsh.sample_pages).",
                sampled.len(),
                s * 100.0,
                settings.min_share * 100.0,
                total - sampled.len()
            ),
            Some(s) => format!(
                "{with} of {} sampled pages ({:.0} %) declare a Welsh counterpart; {:.0} % needed.",
                sampled.len(),
                s * 100.0,
                settings.min_share * 100.0
            ),
        },
    ));

    let value = weighted_value(&answers, &settings.weights);
    Some(WelshResult {
        home: Some(home_cp),
        tasks: task_cps,
        sampled: sampled.len() as u32,
        with_counterpart: with as u32,
        share,
        answers,
        value,
        weight: settings.weight_in_digital,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::ParsedPage;
    use crate::sites::{CouncilType, Site};

    fn settings() -> WelshSettings {
        crate::ruleset::builtin().welsh.expect("[welsh]")
    }

    fn site(pages: Vec<PageRecord>) -> SiteFacts {
        SiteFacts {
            site: Site::new(
                "t",
                "T",
                CouncilType::WU,
                Url::parse("https://t.gov.uk/").unwrap(),
            ),
            pages,
            searches: Vec::new(),
        }
    }

    const EN: &str = "You can find out more about this service on this page. If you need help, please contact us.";
    const CY: &str = "Gallwch gael rhagor o wybodaeth am y gwasanaeth ar y dudalen hon. Os oes angen help, cysylltwch â ni.";

    #[test]
    fn a_welsh_page_that_contradicts_the_english_one_is_cannot_tell() {
        let en = PageRecord::html(
            "https://t.gov.uk/bins",
            &format!(
                "<html lang=en><head><link rel=alternate hreflang=cy href=/cy/biniau></head><body><main><p>{EN} Call 01632 960123 or 01632 960124, ref 4521.</p></main></body></html>"
            ),
        );
        let cy = PageRecord::html(
            "https://t.gov.uk/cy/biniau",
            &format!(
                "<html lang=cy><body><main><p>{CY} Ffoniwch 01632 970999 neu 01632 970998, cyf 8888.</p></main></body></html>"
            ),
        );
        let s = site(vec![en.clone(), cy]);
        let c = judge("bins", &en, false, None, &s, &[], &settings());
        assert_eq!(c.verdict, Verdict::CantTell, "{}", c.reason);
        assert!(c.reason.contains("do not match"), "{}", c.reason);
    }

    #[test]
    fn shares_decide_only_when_the_rest_cannot_change_the_answer() {
        assert_eq!(by_share(9, 1, 10, 0.9), Verdict::Yes);
        assert_eq!(by_share(8, 2, 10, 0.9), Verdict::No);
        assert_eq!(by_share(8, 1, 10, 0.9), Verdict::CantTell);
        assert_eq!(by_share(0, 0, 0, 0.9), Verdict::CantTell);
    }

    #[test]
    fn a_welsh_home_page_is_a_root_or_where_the_home_switch_leads() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(is_welsh_home(&u("https://www.abertawe.gov.uk/"), None));
        assert!(is_welsh_home(&u("https://t.gov.uk/cy/"), None));
        assert!(is_welsh_home(&u("https://t.gov.uk/?lang=cy"), None));
        assert!(!is_welsh_home(&u("https://t.gov.uk/cy/biniau"), None));
        let home = u("https://t.gov.uk/cy/hafan-cyngor");
        assert!(is_welsh_home(
            &u("https://t.gov.uk/cy/hafan-cyngor/"),
            Some(&home)
        ));
    }

    #[test]
    fn guesses_keep_the_case_of_the_path() {
        let s = settings();
        let g = |u: &str| -> Vec<String> {
            guesses(&Url::parse(u).unwrap(), &s)
                .into_iter()
                .map(|u| u.to_string())
                .collect()
        };
        assert_eq!(
            g("https://www.rctcbc.gov.uk/EN/Resident/Parking.aspx"),
            vec![
                "https://www.rctcbc.gov.uk/CY/Resident/Parking.aspx",
                "https://www.rctcbc.gov.uk/cy/EN/Resident/Parking.aspx"
            ]
        );
        assert!(g("https://t.gov.uk/cy/biniau").is_empty());
    }

    #[test]
    fn a_switch_is_a_marked_link_or_one_reading_cymraeg() {
        let s = settings();
        let f =
            |html: &str| ParsedPage::parse(Url::parse("https://t.gov.uk/x").unwrap(), html).facts();
        let by_text = f("<a href=/cy/x>Cymraeg</a>");
        assert_eq!(visible_switch(&by_text, &s).unwrap().1.path(), "/cy/x");
        let by_lang = f("<a href=/y hreflang=cy>Newid iaith</a>");
        assert_eq!(visible_switch(&by_lang, &s).unwrap().0, "Newid iaith");
        let head_only =
            f("<head><link rel=alternate hreflang=cy href=/cy/x></head><a href=/a>Home</a>");
        assert!(visible_switch(&head_only, &s).is_none());
    }
}
