//! The accessibility statement: is there one, and does it have the parts the Public Sector Bodies
//! (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 require, in the
//! form of the GOV.UK model statement?
//!
//! The statement is the page a site links to as its accessibility statement (usually from the
//! footer), or failing a link, one of the ruleset's usual paths (fetched after the crawl). A
//! statement spread over several pages counts the pages below its address too. Each part is a
//! yes/no question answered from the statement's visible text with the sentence quoted:
//!
//! - a compliance status: fully, partially or not compliant with WCAG 2.1 or 2.2;
//! - the content that is not accessible and why (a failed criterion, a disproportionate burden,
//!   content outside the regulations' scope);
//! - how to ask for an accessible format, and how to report a problem, with a way to get in touch;
//! - the enforcement procedure: the Equality and Human Rights Commission (or the Equality Advisory
//!   and Support Service it refers complaints to), or for a Northern Ireland council the
//!   Equality Commission for Northern Ireland;
//! - when it was prepared, and whether it was reviewed within the ruleset's freshness window;
//! - how the site was tested.
//!
//! The patterns are the ruleset's (`[statement]`); this module decides how they combine. Where
//! the text is cut off or a date cannot be read, the answer is "cannot tell", never a guess.

use std::collections::HashMap;
use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;
use serde::{Deserialize, Serialize};
use url::Url;

use super::duty_answer::{DutyAnswer, Verdict, find_record, quote, sentence_start, weighted_value};
use super::{PageRecord, SiteFacts};
use crate::ruleset::{Ruleset, StatementSettings};
use crate::sites::CouncilType;

/// Evidence quotes are cut to about this many characters.
const QUOTE_MAX: usize = 240;
/// How far after a status the WCAG version is looked for.
const VERSION_WINDOW: usize = 160;
/// How far after an ask ("in a different format") the way to get in touch is looked for.
const CONTACT_WINDOW: usize = 320;
/// Text read from a statement and the pages below it at most.
const MAX_TEXT: usize = 256 * 1024;

/// The compliance status a statement gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplianceStatus {
    /// "Fully compliant".
    Fully,
    /// "Partially compliant" (or "not fully compliant").
    Partially,
    /// "Not compliant".
    Not,
}

impl ComplianceStatus {
    /// "fully", "partially" or "not".
    pub fn label(self) -> &'static str {
        match self {
            ComplianceStatus::Fully => "fully",
            ComplianceStatus::Partially => "partially",
            ComplianceStatus::Not => "not",
        }
    }
}

/// Where the enforcement procedure lies: the EHRC in Great Britain, the ECNI in Northern Ireland.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jurisdiction {
    /// England, Scotland and Wales.
    GreatBritain,
    /// Northern Ireland.
    NorthernIreland,
}

impl Jurisdiction {
    /// A council's jurisdiction, from its nation or type.
    pub fn of(council_type: CouncilType, nation: Option<&str>) -> Jurisdiction {
        let ni = council_type == CouncilType::NI
            || nation.is_some_and(|n| n.eq_ignore_ascii_case("northern ireland"));
        if ni {
            Jurisdiction::NorthernIreland
        } else {
            Jurisdiction::GreatBritain
        }
    }
}

/// The enforcement body a statement names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// The Equality and Human Rights Commission (or the Equality Advisory and Support Service).
    Ehrc,
    /// The Equality Commission for Northern Ireland.
    Ecni,
}

/// A contact section: the sentence asking for something and the way to get in touch found after it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactReading {
    /// The first sentence that asks (quoted), when there is one.
    pub ask: Option<String>,
    /// The sentence with a way to get in touch (quoted), when one follows an ask.
    pub contact: Option<String>,
}

/// What a statement's text says, part by part, before it is turned into answers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatementReading {
    /// The status, the WCAG version after it, and the sentence.
    pub status: Option<(ComplianceStatus, Option<String>, String)>,
    /// The sentence naming non-accessible content with a reason.
    pub non_accessible: Option<String>,
    /// Asking for another format.
    pub format_request: ContactReading,
    /// Reporting a problem.
    pub report_problem: ContactReading,
    /// The bodies named, with the sentence naming each.
    pub enforcement: Vec<(Body, String)>,
    /// The date prepared and its sentence.
    pub prepared: Option<(Date, String)>,
    /// The latest date reviewed or updated and its sentence.
    pub reviewed: Option<(Date, String)>,
    /// A marker for a date was found but the date could not be read (quoted).
    pub unreadable_date: Option<String>,
    /// The sentence saying how the site was tested.
    pub testing: Option<String>,
}

impl StatementReading {
    /// The enforcement body named for a jurisdiction, if any.
    pub fn body_for(&self, j: Jurisdiction) -> Option<&(Body, String)> {
        let want = match j {
            Jurisdiction::GreatBritain => Body::Ehrc,
            Jurisdiction::NorthernIreland => Body::Ecni,
        };
        self.enforcement.iter().find(|(b, _)| *b == want)
    }
}

/// How the statement was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// A link on the site (text or address matching the ruleset's statement patterns).
    Link,
    /// One of the ruleset's usual paths.
    Path,
    /// Not found.
    NotFound,
    /// Linked, but the page could not be fetched: cannot tell.
    Unfetched,
}

/// The statement check for one council.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementResult {
    /// The statement's address, when found.
    pub url: Option<String>,
    /// How it was found.
    pub found_by: FoundBy,
    /// The status it gives.
    pub status: Option<ComplianceStatus>,
    /// The WCAG version it names with the status.
    pub wcag_version: Option<String>,
    /// When it says it was prepared (`YYYY-MM-DD`).
    pub prepared: Option<String>,
    /// When it says it was last reviewed or updated (`YYYY-MM-DD`).
    pub reviewed: Option<String>,
    /// One answer per part, in the report's order.
    pub answers: Vec<DutyAnswer>,
    /// The weighted share of Yes among decided parts (the ruleset's part weights).
    pub value: Option<f64>,
    /// Its weight in the digital-first dimension.
    pub weight: f64,
}

impl StatementResult {
    /// The answer to one part.
    pub fn answer(&self, part: &str) -> Option<&DutyAnswer> {
        self.answers.iter().find(|a| a.part == part)
    }

    /// Parts answered Yes, and parts decided.
    pub fn tally(&self) -> (usize, usize) {
        let yes = self
            .answers
            .iter()
            .filter(|a| a.verdict == Verdict::Yes)
            .count();
        let decided = self
            .answers
            .iter()
            .filter(|a| a.verdict != Verdict::CantTell)
            .count();
        (yes, decided)
    }
}

/// The question asked of each part.
pub fn question(part: &str, settings: &StatementSettings) -> String {
    match part {
        "found" => "Does the site publish an accessibility statement (linked from its pages or at a usual address)?".into(),
        "status" => "Does the statement say whether the site is fully, partially or not compliant with WCAG 2.1 or 2.2?".into(),
        "non-accessible" => "Does it list the content that is not accessible and say why (a failed criterion, a disproportionate burden, or outside the regulations)?".into(),
        "format-request" => "Does it say how to ask for information in an accessible format, with a way to get in touch?".into(),
        "report-problem" => "Does it say how to report an accessibility problem, with a way to get in touch?".into(),
        "enforcement" => "Does it name the enforcement procedure (the EHRC, or the Equality Commission for Northern Ireland for a council there)?".into(),
        "prepared" => "Does it say when it was prepared?".into(),
        "reviewed" => format!(
            "Was it reviewed or updated in the last {} months?",
            settings.freshness_months
        ),
        "testing" => "Does it say how the site was tested?".into(),
        other => other.to_string(),
    }
}

fn first_match<'t>(patterns: &[Regex], text: &'t str) -> Option<regex::Match<'t>> {
    patterns
        .iter()
        .filter_map(|r| r.find(text))
        .min_by_key(|m| m.start())
}

fn all_matches<'t>(patterns: &[Regex], text: &'t str) -> Vec<regex::Match<'t>> {
    let mut v: Vec<regex::Match<'t>> = patterns.iter().flat_map(|r| r.find_iter(text)).collect();
    v.sort_by_key(|m| m.start());
    v
}

fn window(text: &str, from: usize, len: usize) -> &str {
    let mut end = (from + len).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[from..end]
}

/// Reads a statement's text (whitespace collapsed, as page facts keep it).
pub fn read(text: &str, settings: &StatementSettings) -> StatementReading {
    read_with_headings(text, settings, &[])
}

/// Reads a statement's text knowing its headings: a contact section also ends at the next
/// heading (of a dozen characters or more, so "Email" or "By phone" inside a section do not end
/// it), which keeps the site's footer links out of the last section.
pub fn read_with_headings(
    text: &str,
    settings: &StatementSettings,
    headings: &[String],
) -> StatementReading {
    let headings: Vec<&str> = headings
        .iter()
        .map(String::as_str)
        .filter(|h| h.chars().count() >= 12 && !settings.contact.iter().any(|r| r.is_match(h)))
        .collect();
    let mut r = StatementReading {
        status: read_status(text, settings),
        ..Default::default()
    };
    r.non_accessible = first_match(&settings.non_accessible, text)
        .map(|m| quote(text, m.start(), m.end(), QUOTE_MAX));
    r.format_request = read_contact(text, &settings.format_request, settings, &headings);
    r.report_problem = read_contact(text, &settings.report_problem, settings, &headings);
    for (patterns, body) in [
        (&settings.enforcement_gb, Body::Ehrc),
        (&settings.enforcement_ni, Body::Ecni),
    ] {
        if let Some(m) = first_match(patterns, text) {
            r.enforcement
                .push((body, quote(text, m.start(), m.end(), QUOTE_MAX)));
        }
    }
    let (prepared, bad) = read_dated(text, &settings.prepared);
    r.prepared = prepared;
    let (reviewed, bad2) = read_dated(text, &settings.reviewed);
    r.reviewed = reviewed;
    r.unreadable_date = bad.or(bad2);
    r.testing = read_testing(text, settings);
    r
}

fn read_status(
    text: &str,
    s: &StatementSettings,
) -> Option<(ComplianceStatus, Option<String>, String)> {
    // "not fully compliant" and "partially compliant" are tried before "compliant", so a
    // partial status is never read as a full one.
    for (patterns, status) in [
        (&s.status_partially, ComplianceStatus::Partially),
        (&s.status_not, ComplianceStatus::Not),
        (&s.status_fully, ComplianceStatus::Fully),
    ] {
        if let Some(m) = first_match(patterns, text) {
            let after = window(text, m.end(), VERSION_WINDOW);
            let version = s
                .wcag_version
                .iter()
                .find_map(|r| r.captures(after))
                .and_then(|c| c.get(1))
                .map(|v| v.as_str().to_string());
            let end = m.end() + after.len();
            return Some((
                status,
                version,
                quote(text, m.start(), end.min(text.len()), QUOTE_MAX),
            ));
        }
    }
    None
}

fn read_contact(
    text: &str,
    asks: &[Regex],
    s: &StatementSettings,
    headings: &[&str],
) -> ContactReading {
    let mut out = ContactReading::default();
    for m in all_matches(asks, text) {
        let ask = quote(text, m.start(), m.end(), QUOTE_MAX);
        out.ask.get_or_insert(ask);
        // The way to get in touch may come before the ask in the same sentence ("Email us if
        // you need … a different format") or after it, up to where the section ends.
        let from = sentence_start(text, m.start());
        let after = window(text, m.end(), CONTACT_WINDOW);
        let by_heading = headings.iter().filter_map(|h| after.find(h)).min();
        let stop = first_match(&s.section_end, after)
            .map(|e| e.start())
            .into_iter()
            .chain(by_heading)
            .min()
            .unwrap_or(after.len());
        let span = &text[from..m.end() + stop];
        if let Some(c) = first_match(&s.contact, span) {
            let (cs, ce) = (from + c.start(), from + c.end());
            out.contact = Some(quote(text, cs, ce, QUOTE_MAX));
            return out;
        }
    }
    out
}

/// The latest date introduced by one of the markers, and a marker whose date could not be read.
fn read_dated(text: &str, markers: &[Regex]) -> (Option<(Date, String)>, Option<String>) {
    let mut best: Option<(Date, String)> = None;
    let mut unreadable = None;
    for m in all_matches(markers, text) {
        let rest = window(text, m.end(), 60);
        match parse_date(rest) {
            Some((d, len)) => {
                if best.as_ref().is_none_or(|(b, _)| d > *b) {
                    best = Some((d, quote(text, m.start(), m.end() + len, QUOTE_MAX)));
                }
            }
            None => {
                unreadable.get_or_insert_with(|| quote(text, m.start(), m.end(), QUOTE_MAX));
            }
        }
    }
    (best, unreadable)
}

fn read_testing(text: &str, s: &StatementSettings) -> Option<String> {
    for m in all_matches(&s.testing, text) {
        let start = sentence_start(text, m.start());
        let end = super::duty_answer::sentence_end(text, m.end());
        let sentence = &text[start..end];
        if s.testing_negative.iter().any(|r| r.is_match(sentence)) {
            continue;
        }
        if s.testing_method.iter().any(|r| r.is_match(sentence)) {
            return Some(quote(text, m.start(), m.end(), QUOTE_MAX));
        }
    }
    None
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        ^[\s:\-–—,(]*(?:on\s+|in\s+)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?
        (?:
          (?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?P<y>(?:19|20)\d{2})
        | (?P<m2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+)?(?P<y2>(?:19|20)\d{2})
        | (?P<d3>\d{1,2})[/.](?P<m3>\d{1,2})[/.](?P<y3>(?:19|20)\d{2})
        | (?P<y4>(?:19|20)\d{2})-(?P<m4>\d{1,2})-(?P<d4>\d{1,2})
        )",
    )
    .expect("static regex")
});

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A date at the start of `text` ("12th September 2023", "02 January 2024", "17/04/2025",
/// "September 2023", "2023-09-12") and the bytes it took. A month without a day means its last
/// day. A year alone is not a date here.
pub fn parse_date(text: &str) -> Option<(Date, usize)> {
    let c = DATE.captures(text)?;
    let end = c.get(0)?.end();
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i16>().ok());
    let month = |name: &str| {
        let lower = c.name(name)?.as_str().to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| lower.starts_with(m))
            .and_then(|i| i8::try_from(i + 1).ok())
    };
    let (y, m, d) = if let Some(y) = num("y") {
        (y, month("m")?, num("d"))
    } else if let Some(y) = num("y2") {
        (y, month("m2")?, num("d2"))
    } else if let Some(y) = num("y3") {
        (y, i8::try_from(num("m3")?).ok()?, num("d3"))
    } else {
        (num("y4")?, i8::try_from(num("m4")?).ok()?, num("d4"))
    };
    let date = match d {
        Some(d) => Date::new(y, m, i8::try_from(d).ok()?).ok()?,
        None => Date::new(y, m, 1).ok()?.last_of_month(),
    };
    Some((date, end))
}

/// WCAG 2.1 or a later 2.x version (what the regulations ask for).
fn wcag_21_or_later(version: &str) -> bool {
    version
        .strip_prefix("2.")
        .and_then(|m| m.parse::<u8>().ok())
        .is_some_and(|m| m >= 1)
}

/// Turns a reading into answers, one per part. `url` is where the statement was read.
pub fn answers(
    reading: &StatementReading,
    settings: &StatementSettings,
    jurisdiction: Jurisdiction,
    today: Date,
    url: Option<&str>,
) -> Vec<DutyAnswer> {
    let at = url.map(str::to_string);
    let answer =
        |part: &str, verdict: Verdict, evidence: Option<String>, reason: String| DutyAnswer {
            part: part.to_string(),
            question: question(part, settings),
            verdict,
            evidence_url: evidence.as_ref().and(at.clone()),
            evidence,
            reason,
        };
    let mut out = vec![answer(
        "found",
        Verdict::Yes,
        None,
        "An accessibility statement was found.".into(),
    )];

    let status = match &reading.status {
        Some((s, Some(v), q)) if wcag_21_or_later(v) => answer(
            "status",
            Verdict::Yes,
            Some(q.clone()),
            format!("It says the site is {} compliant with WCAG {v}.", s.label()),
        ),
        Some((s, Some(v), q)) => answer(
            "status",
            Verdict::No,
            Some(q.clone()),
            format!(
                "It gives a status ({} compliant) against WCAG {v}; the regulations ask for WCAG 2.1 or 2.2 AA.",
                s.label()
            ),
        ),
        Some((s, None, q)) => answer(
            "status",
            Verdict::CantTell,
            Some(q.clone()),
            format!(
                "It says the site is {} compliant but the WCAG version could not be read.",
                s.label()
            ),
        ),
        None => answer(
            "status",
            Verdict::No,
            None,
            "No sentence says the site is fully, partially or not compliant.".into(),
        ),
    };
    out.push(status);

    let fully = matches!(reading.status, Some((ComplianceStatus::Fully, _, _)));
    out.push(match (&reading.non_accessible, fully) {
        (Some(q), _) => answer(
            "non-accessible",
            Verdict::Yes,
            Some(q.clone()),
            "It names content that is not accessible and why.".into(),
        ),
        (None, true) => answer(
            "non-accessible",
            Verdict::Yes,
            None,
            "Not needed: the statement says the site is fully compliant.".into(),
        ),
        (None, false) => answer(
            "non-accessible",
            Verdict::No,
            None,
            "No content is named as not accessible with a reason (a failed criterion, a disproportionate burden, or outside the regulations).".into(),
        ),
    });

    for (part, c, what) in [
        (
            "format-request",
            &reading.format_request,
            "ask for another format",
        ),
        (
            "report-problem",
            &reading.report_problem,
            "report a problem",
        ),
    ] {
        out.push(match (&c.ask, &c.contact) {
            (_, Some(contact)) => answer(
                part,
                Verdict::Yes,
                Some(contact.clone()),
                format!("It says how to {what}."),
            ),
            (Some(ask), None) => answer(
                part,
                Verdict::No,
                Some(ask.clone()),
                format!("It mentions how to {what} but gives no e-mail address, phone number, form or contact page near it."),
            ),
            (None, None) => answer(
                part,
                Verdict::No,
                None,
                format!("Nothing says how to {what}."),
            ),
        });
    }

    let (want, other) = match jurisdiction {
        Jurisdiction::GreatBritain => (
            "the Equality and Human Rights Commission (or the Equality Advisory and Support Service)",
            "the Equality Commission for Northern Ireland",
        ),
        Jurisdiction::NorthernIreland => (
            "the Equality Commission for Northern Ireland",
            "the Equality and Human Rights Commission",
        ),
    };
    out.push(
        match (reading.body_for(jurisdiction), reading.enforcement.first()) {
            (Some((_, q)), _) => answer(
                "enforcement",
                Verdict::Yes,
                Some(q.clone()),
                format!("It names {want}."),
            ),
            (None, Some((_, q))) => answer(
                "enforcement",
                Verdict::No,
                Some(q.clone()),
                format!("It names {other}, but for this council it is {want}."),
            ),
            (None, None) => answer(
                "enforcement",
                Verdict::No,
                None,
                format!("It does not name {want}."),
            ),
        },
    );

    out.push(match &reading.prepared {
        Some((d, q)) => answer(
            "prepared",
            Verdict::Yes,
            Some(q.clone()),
            format!("It was prepared on {d}."),
        ),
        None => answer(
            "prepared",
            Verdict::No,
            None,
            "It does not say when it was prepared.".into(),
        ),
    });

    let latest = [&reading.reviewed, &reading.prepared]
        .into_iter()
        .flatten()
        .max_by_key(|(d, _)| *d);
    let cutoff = today
        .checked_sub(jiff::Span::new().months(i64::from(settings.freshness_months)))
        .unwrap_or(today);
    let soon = today
        .checked_add(jiff::Span::new().days(31))
        .unwrap_or(today);
    out.push(match (latest, &reading.unreadable_date) {
        (Some((d, q)), _) if *d > soon => answer(
            "reviewed",
            Verdict::CantTell,
            Some(q.clone()),
            format!("Its date {d} is in the future."),
        ),
        (Some((d, q)), _) if *d >= cutoff => answer(
            "reviewed",
            Verdict::Yes,
            Some(q.clone()),
            format!(
                "Last reviewed or updated on {d}, within {} months.",
                settings.freshness_months
            ),
        ),
        (Some((d, q)), _) => answer(
            "reviewed",
            Verdict::No,
            Some(q.clone()),
            format!(
                "Last reviewed or updated on {d}: more than {} months before {today}.",
                settings.freshness_months
            ),
        ),
        (None, Some(q)) => answer(
            "reviewed",
            Verdict::CantTell,
            Some(q.clone()),
            "It mentions a review or update, but the date could not be read.".into(),
        ),
        (None, None) => answer(
            "reviewed",
            Verdict::No,
            None,
            "It gives no date it was prepared, reviewed or updated.".into(),
        ),
    });

    out.push(match &reading.testing {
        Some(q) => answer(
            "testing",
            Verdict::Yes,
            Some(q.clone()),
            "It says how the site was tested.".into(),
        ),
        None => answer(
            "testing",
            Verdict::No,
            None,
            "It does not say how the site was tested.".into(),
        ),
    });
    out
}

/// Every part answered the same way, for a statement not found or not fetched.
fn uniform(settings: &StatementSettings, verdict: Verdict, reason: &str) -> Vec<DutyAnswer> {
    crate::ruleset::STATEMENT_PARTS
        .iter()
        .map(|p| DutyAnswer {
            part: (*p).to_string(),
            question: question(p, settings),
            verdict,
            evidence: None,
            evidence_url: None,
            reason: reason.to_string(),
        })
        .collect()
}

/// The links on the site that point to a statement, most linked first.
fn statement_links(site: &SiteFacts, ruleset: &Ruleset) -> Vec<Url> {
    let patterns = &ruleset.navigation.accessibility_statement;
    let mut count: HashMap<String, (usize, usize, Url)> = HashMap::new();
    let mut order = 0;
    for r in &site.pages {
        let Some(f) = &r.facts else { continue };
        for l in &f.links {
            let hit = patterns
                .iter()
                .any(|p| p.is_match(&l.text) || p.is_match(l.href.path()));
            if !hit || !matches!(l.href.scheme(), "http" | "https") {
                continue;
            }
            let mut u = l.href.clone();
            u.set_fragment(None);
            order += 1;
            count
                .entry(u.to_string())
                .and_modify(|e| e.0 += 1)
                .or_insert((1, order, u));
        }
    }
    let mut v: Vec<(usize, usize, Url)> = count.into_values().collect();
    // Most linked first (a footer link is on every page), then first seen.
    v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    v.into_iter().map(|(_, _, u)| u).collect()
}

fn usual_paths(site: &SiteFacts, settings: &StatementSettings) -> Vec<Url> {
    let home = site
        .pages
        .first()
        .map_or(&site.site.homepage, |r| &r.page.final_url);
    settings
        .paths
        .iter()
        .filter_map(|p| home.join(p).ok())
        .collect()
}

/// The pages the statement check wants and the crawl did not fetch: the statement links' targets,
/// or when nothing links to a statement, the usual paths.
pub fn wanted_pages(site: &SiteFacts, ruleset: &Ruleset, settings: &StatementSettings) -> Vec<Url> {
    let links = statement_links(site, ruleset);
    let fetched = |u: &Url| find_record(site, &[], u).is_some();
    // A crawled page that is a statement needs nothing more.
    if links
        .iter()
        .filter_map(|u| find_record(site, &[], u))
        .any(|r| looks_like_statement(r, settings))
    {
        return Vec::new();
    }
    let mut out: Vec<Url> = links.into_iter().filter(|u| !fetched(u)).collect();
    if out.is_empty() {
        out = usual_paths(site, settings)
            .into_iter()
            .filter(|u| !fetched(u))
            .collect();
    }
    out
}

fn looks_like_statement(r: &PageRecord, settings: &StatementSettings) -> bool {
    let Some(f) = &r.facts else { return false };
    if r.page.status >= 400 {
        return false;
    }
    let title = f.title.as_deref().unwrap_or_default();
    settings.page.iter().any(|p| {
        p.is_match(title)
            || f.headings.iter().any(|(_, h)| p.is_match(h))
            || p.is_match(f.main_text())
    })
}

/// The statement's text and headings: its own main text, then that of crawled pages below its
/// address (a statement split over several pages).
fn statement_text(
    record: &PageRecord,
    site: &SiteFacts,
    extra: &[PageRecord],
) -> (String, Vec<String>) {
    let mut text = record
        .facts
        .as_ref()
        .map(|f| f.main_text().to_string())
        .unwrap_or_default();
    let mut headings: Vec<String> = record
        .facts
        .iter()
        .flat_map(|f| f.headings.iter().map(|(_, h)| h.clone()))
        .collect();
    let base = record.page.final_url.clone();
    let prefix = format!("{}/", base.path().trim_end_matches('/'));
    for r in site.pages.iter().chain(extra) {
        let u = &r.page.final_url;
        if text.len() >= MAX_TEXT {
            break;
        }
        if u.host_str() == base.host_str()
            && u.path().starts_with(&prefix)
            && r.page.status < 400
            && let Some(f) = &r.facts
        {
            text.push_str(". ");
            text.push_str(f.main_text());
            headings.extend(f.headings.iter().map(|(_, h)| h.clone()));
        }
    }
    (text, headings)
}

/// Checks a council's statement: finds it among the crawled and extra-fetched pages, reads it
/// and answers each part. `None` when the ruleset has no `[statement]` table or nothing was
/// fetched.
pub fn assess(
    site: &SiteFacts,
    extra: &[PageRecord],
    ruleset: &Ruleset,
    today: Date,
) -> Option<StatementResult> {
    let settings = ruleset.statement.as_ref()?;
    if !site.pages.iter().any(|r| r.facts.is_some()) {
        return None;
    }
    let links = statement_links(site, ruleset);
    let candidates: Vec<(Url, FoundBy)> = links
        .iter()
        .map(|u| (u.clone(), FoundBy::Link))
        .chain(
            usual_paths(site, settings)
                .into_iter()
                .map(|u| (u, FoundBy::Path)),
        )
        .collect();
    let mut found: Option<(&PageRecord, FoundBy)> = None;
    let mut unfetched_link = false;
    for (url, how) in &candidates {
        match find_record(site, extra, url) {
            Some(r) if looks_like_statement(r, settings) => {
                found = Some((r, *how));
                break;
            }
            Some(_) => {}
            None => unfetched_link |= *how == FoundBy::Link,
        }
    }
    let result = |url, found_by, answers: Vec<DutyAnswer>, reading: Option<&StatementReading>| {
        let value = weighted_value(&answers, &settings.weights);
        StatementResult {
            url,
            found_by,
            status: reading.and_then(|r| r.status.as_ref().map(|s| s.0)),
            wcag_version: reading.and_then(|r| r.status.as_ref().and_then(|s| s.1.clone())),
            prepared: reading.and_then(|r| r.prepared.as_ref().map(|d| d.0.to_string())),
            reviewed: reading.and_then(|r| r.reviewed.as_ref().map(|d| d.0.to_string())),
            answers,
            value,
            weight: settings.weight_in_digital,
        }
    };
    let Some((record, how)) = found else {
        if unfetched_link {
            let answers = uniform(
                settings,
                Verdict::CantTell,
                "The site links to an accessibility statement, but the page could not be fetched.",
            );
            return Some(result(None, FoundBy::Unfetched, answers, None));
        }
        let answers = uniform(
            settings,
            Verdict::No,
            "No accessibility statement was found: no page links to one and none is at the usual addresses.",
        );
        return Some(result(None, FoundBy::NotFound, answers, None));
    };
    let (text, headings) = statement_text(record, site, extra);
    let reading = read_with_headings(&text, settings, &headings);
    let url = record.page.final_url.to_string();
    let mut answers = answers(
        &reading,
        settings,
        Jurisdiction::of(site.site.council_type, site.site.nation.as_deref()),
        today,
        Some(&url),
    );
    if let Some(first) = answers.first_mut() {
        first.evidence_url = Some(url.clone());
        first.reason = match how {
            FoundBy::Path => format!(
                "An accessibility statement is at {url} (nothing links to it from the pages crawled)."
            ),
            _ => format!("The site links to its accessibility statement at {url}."),
        };
    }
    Some(result(Some(url), how, answers, Some(&reading)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> StatementSettings {
        crate::ruleset::builtin()
            .statement
            .expect("the shipped ruleset has [statement]")
    }

    fn today() -> Date {
        Date::new(2026, 11, 24).unwrap()
    }

    /// The GOV.UK model statement's wording, as a council would fill it in.
    const MODEL: &str = "Accessibility statement for Example Council. This website is run by Example Council. \
        How accessible this website is We know some parts of this website are not fully accessible: most older PDF documents are not fully accessible to screen reader software. \
        Feedback and contact information If you need information on this website in a different format like accessible PDF, large print, easy read, audio recording or braille: email web@example.gov.uk call 01234 567890 We'll consider your request and get back to you in 5 days. \
        Reporting accessibility problems with this website We're always looking to improve the accessibility of this website. If you find any problems not listed on this page or think we're not meeting accessibility requirements, contact: web@example.gov.uk. \
        Enforcement procedure The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility regulations'). If you're not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS). \
        Technical information about this website's accessibility Example Council is committed to making its website accessible. \
        Compliance status This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliances listed below. \
        Non-accessible content The content listed below is non-accessible for the following reasons. Some images do not have a text alternative. This fails WCAG 2.2 success criterion 1.1.1 (non-text content). \
        Preparation of this accessibility statement This statement was prepared on 3 March 2026. It was last reviewed on 1 October 2026. \
        This website was last tested on 28 September 2026. The test was carried out by Example Council's web team using automated and manual checks.";

    fn verdicts(text: &str, j: Jurisdiction) -> Vec<(String, Verdict)> {
        let s = settings();
        answers(&read(text, &s), &s, j, today(), None)
            .into_iter()
            .map(|a| (a.part, a.verdict))
            .collect()
    }

    #[test]
    fn the_model_statement_has_every_part() {
        let v = verdicts(MODEL, Jurisdiction::GreatBritain);
        assert!(v.iter().all(|(_, x)| *x == Verdict::Yes), "{v:?}");
        let r = read(MODEL, &settings());
        assert_eq!(r.prepared.unwrap().0, Date::new(2026, 3, 3).unwrap());
        assert_eq!(r.reviewed.unwrap().0, Date::new(2026, 10, 1).unwrap());
        assert_eq!(r.status.unwrap().1.as_deref(), Some("2.2"));
    }

    #[test]
    fn northern_ireland_needs_the_ecni() {
        let v = verdicts(MODEL, Jurisdiction::NorthernIreland);
        let e = v.iter().find(|(p, _)| p == "enforcement").unwrap();
        assert_eq!(e.1, Verdict::No);
        let ni = MODEL.replace(
            "contact the Equality Advisory and Support Service (EASS)",
            "contact the Equality Commission for Northern Ireland (ECNI)",
        );
        let v = verdicts(&ni, Jurisdiction::NorthernIreland);
        assert_eq!(
            v.iter().find(|(p, _)| p == "enforcement").unwrap().1,
            Verdict::Yes
        );
    }

    #[test]
    fn a_stale_review_date_fails_and_a_missing_one_is_no() {
        let old = MODEL
            .replace("prepared on 3 March 2026", "prepared on 23 September 2020")
            .replace(
                "last reviewed on 1 October 2026",
                "last reviewed on 12/05/2024",
            );
        let s = settings();
        let a = answers(
            &read(&old, &s),
            &s,
            Jurisdiction::GreatBritain,
            today(),
            None,
        );
        let reviewed = a.iter().find(|a| a.part == "reviewed").unwrap();
        assert_eq!(reviewed.verdict, Verdict::No);
        assert!(
            reviewed.reason.contains("2024-05-12"),
            "{}",
            reviewed.reason
        );
    }

    #[test]
    fn not_fully_compliant_is_never_read_as_fully() {
        let r = read(
            "This website is not fully compliant with the Web Content Accessibility Guidelines version 2.1 AA standard.",
            &settings(),
        );
        assert_eq!(r.status.unwrap().0, ComplianceStatus::Partially);
    }

    #[test]
    fn an_aim_or_a_table_of_contents_is_not_a_status() {
        let s = settings();
        for text in [
            "We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at AA level.",
            "Contents Compliance status Non-accessible content Disproportionate burden Preparation of this accessibility statement",
            "Most of our site is accessible and it conforms with WCAG2.1 AA standard.",
        ] {
            let r = read(text, &s);
            assert_eq!(r.status, None, "{text}");
            assert_eq!(r.non_accessible, None, "{text}");
            assert_eq!(r.prepared, None, "{text}");
        }
    }

    #[test]
    fn wcag_2_0_is_not_enough() {
        let v = verdicts(
            "This website is fully compliant with the Web Content Accessibility Guidelines version 2.0 AA standard.",
            Jurisdiction::GreatBritain,
        );
        assert_eq!(
            v.iter().find(|(p, _)| p == "status").unwrap().1,
            Verdict::No
        );
    }

    #[test]
    fn a_format_request_without_a_way_in_touch_is_no() {
        let r = read(
            "If you need information on this website in a different format like accessible PDF or braille: We’ll consider your request and get back to you. If you cannot view the map on our ‘contact us’ page, call or email us for directions.",
            &settings(),
        );
        assert!(r.format_request.ask.is_some());
        assert_eq!(r.format_request.contact, None);
    }

    #[test]
    fn a_section_ends_at_the_next_heading() {
        let text = "Reporting accessibility problems with this website We’re always looking to improve. How we tested this website We tested it with a checker. Contact us Privacy Cookies";
        let s = settings();
        assert!(
            read(text, &s).report_problem.contact.is_some(),
            "the footer's 'Contact us' without headings"
        );
        let headings = [
            "Reporting accessibility problems with this website".to_string(),
            "How we tested this website".to_string(),
        ];
        assert_eq!(
            read_with_headings(text, &s, &headings)
                .report_problem
                .contact,
            None
        );
    }

    #[test]
    fn saying_what_was_not_tested_is_not_how_it_was_tested() {
        let r = read(
            "We haven’t done extensive testing with screen reader technologies or speech recognition software.",
            &settings(),
        );
        assert_eq!(r.testing, None);
    }

    #[test]
    fn dates_in_common_forms() {
        let d = |s: &str| parse_date(s).map(|(d, _)| d.to_string());
        assert_eq!(d(": 12th September 2023").as_deref(), Some("2023-09-12"));
        assert_eq!(d(" on 02 January 2024.").as_deref(), Some("2024-01-02"));
        assert_eq!(d(": 17/04/2025 11:37").as_deref(), Some("2025-04-17"));
        assert_eq!(d(" in September 2023").as_deref(), Some("2023-09-30"));
        assert_eq!(d(" 2023-09-12").as_deref(), Some("2023-09-12"));
        assert_eq!(d(" 31/02/2024"), None);
        assert_eq!(d(" 2024"), None);
    }
}
