//! The `[statement]` and `[welsh]` tables: the accessibility statement every council must
//! publish, and the Welsh-language pages Welsh councils must offer. Both tables are optional; a
//! ruleset without one leaves that duty untested.

use std::collections::BTreeMap;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::Validator;
use crate::sites::CouncilType;

/// The parts of an accessibility statement a ruleset may weigh, in the report's order.
pub const STATEMENT_PARTS: &[&str] = &[
    "found",
    "status",
    "non-accessible",
    "format-request",
    "report-problem",
    "enforcement",
    "prepared",
    "reviewed",
    "testing",
];

/// The Welsh-language questions a ruleset may weigh, in the report's order.
pub const WELSH_PARTS: &[&str] = &["home-switch", "task-switch", "task-counterparts", "share"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStatement {
    freshness_months: Spanned<u32>,
    weight_in_digital: Spanned<f64>,
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    max_fetches: Option<Spanned<u64>>,
    page: Vec<Spanned<String>>,
    status_fully: Vec<Spanned<String>>,
    status_partially: Vec<Spanned<String>>,
    status_not: Vec<Spanned<String>>,
    wcag_version: Vec<Spanned<String>>,
    non_accessible: Vec<Spanned<String>>,
    format_request: Vec<Spanned<String>>,
    report_problem: Vec<Spanned<String>>,
    contact: Vec<Spanned<String>>,
    #[serde(default)]
    section_end: Vec<Spanned<String>>,
    enforcement_gb: Vec<Spanned<String>>,
    enforcement_ni: Vec<Spanned<String>>,
    prepared: Vec<Spanned<String>>,
    reviewed: Vec<Spanned<String>>,
    testing: Vec<Spanned<String>>,
    testing_method: Vec<Spanned<String>>,
    #[serde(default)]
    testing_negative: Vec<Spanned<String>>,
    weights: BTreeMap<Spanned<String>, Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGuess {
    from: Spanned<String>,
    to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWelsh {
    council_types: Vec<Spanned<String>>,
    weight_in_digital: Spanned<f64>,
    switch_text: Vec<Spanned<String>>,
    welsh_url: Vec<Spanned<String>>,
    #[serde(default)]
    guess: Vec<RawGuess>,
    welsh_words: Vec<String>,
    english_words: Vec<String>,
    min_share: Spanned<f64>,
    sample_pages: Spanned<u64>,
    max_fetches: Spanned<u64>,
    weights: BTreeMap<Spanned<String>, Spanned<f64>>,
}

/// How accessibility statements are found and read (`[statement]`). Patterns are
/// case-insensitive regexes matched against the statement's visible text.
#[derive(Debug, Clone)]
pub struct StatementSettings {
    /// A statement reviewed longer ago than this many months is stale.
    pub freshness_months: u32,
    /// The statement's weight in the digital-first dimension, counted in indicators (each other
    /// indicator counts 1).
    pub weight_in_digital: f64,
    /// Paths tried on the council's host when no page links to a statement.
    pub paths: Vec<String>,
    /// Extra fetches for the statement at most (a linked statement the crawl did not reach, or
    /// the usual paths).
    pub max_fetches: usize,
    /// A page is a statement when its title, a heading or its text matches one of these.
    pub page: Vec<Regex>,
    /// A sentence stating full compliance ("this website is fully compliant with").
    pub status_fully: Vec<Regex>,
    /// … partial compliance.
    pub status_partially: Vec<Regex>,
    /// … non-compliance.
    pub status_not: Vec<Regex>,
    /// The WCAG version named after a status; the first capture group is the version.
    pub wcag_version: Vec<Regex>,
    /// Content named as not accessible together with a reason (a failed criterion, a
    /// disproportionate burden, content outside the regulations' scope).
    pub non_accessible: Vec<Regex>,
    /// Asking for information in another format.
    pub format_request: Vec<Regex>,
    /// Reporting an accessibility problem.
    pub report_problem: Vec<Regex>,
    /// A way to get in touch (an e-mail address, a phone number, "contact us").
    pub contact: Vec<Regex>,
    /// Where a contact section ends ("We'll consider your request", the next section's heading).
    pub section_end: Vec<Regex>,
    /// The enforcement body in Great Britain (the EHRC, or the EASS it refers complaints to).
    pub enforcement_gb: Vec<Regex>,
    /// The enforcement body in Northern Ireland (the ECNI).
    pub enforcement_ni: Vec<Regex>,
    /// Introduces the date the statement was prepared.
    pub prepared: Vec<Regex>,
    /// Introduces the date it was last reviewed or updated.
    pub reviewed: Vec<Regex>,
    /// A sentence about testing the site (tested, audit, checker, scan).
    pub testing: Vec<Regex>,
    /// How it was tested (a tool, manual or automated checks, who did it): needed in the
    /// same sentence as `testing`.
    pub testing_method: Vec<Regex>,
    /// Sentences that say what was not tested; never evidence of testing.
    pub testing_negative: Vec<Regex>,
    /// Each part's weight in the statement's score (part ids as in [`STATEMENT_PARTS`]).
    pub weights: BTreeMap<String, f64>,
}

/// A rule for guessing a page's Welsh counterpart from its address: `from` is a regex over the
/// whole URL, `to` its replacement (`$1` and the like allowed). A guess is only ever a
/// candidate to fetch and check.
#[derive(Debug, Clone)]
pub struct CounterpartGuess {
    /// The pattern.
    pub from: Regex,
    /// The replacement.
    pub to: String,
}

/// How Welsh-language pages are found (`[welsh]`).
#[derive(Debug, Clone)]
pub struct WelshSettings {
    /// The council types checked (Welsh councils: `WU`).
    pub council_types: Vec<CouncilType>,
    /// The Welsh checks' weight in the digital-first dimension, counted in indicators.
    pub weight_in_digital: f64,
    /// Link text of a switch to Welsh ("Cymraeg").
    pub switch_text: Vec<Regex>,
    /// Addresses of Welsh pages (`/cy/`, `lang=cy`).
    pub welsh_url: Vec<Regex>,
    /// Rules for guessing a counterpart's address.
    pub guess: Vec<CounterpartGuess>,
    /// Common Welsh words, for telling a page's language from its text.
    pub welsh_words: Vec<String>,
    /// Common English words, likewise.
    pub english_words: Vec<String>,
    /// The share of sampled pages with a Welsh counterpart needed for a Yes.
    pub min_share: f64,
    /// Pages sampled for the share.
    pub sample_pages: usize,
    /// Extra fetches of Welsh counterparts at most.
    pub max_fetches: usize,
    /// Each question's weight (ids as in [`WELSH_PARTS`]).
    pub weights: BTreeMap<String, f64>,
}

impl WelshSettings {
    /// Whether a council is checked.
    pub fn applies_to(&self, council_type: CouncilType) -> bool {
        self.council_types.contains(&council_type)
    }
}

impl Validator<'_> {
    fn weights(
        &mut self,
        raw: &BTreeMap<Spanned<String>, Spanned<f64>>,
        known: &[&str],
        table: &str,
    ) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for (k, v) in raw {
            if !known.contains(&k.get_ref().as_str()) {
                self.push(
                    k.span(),
                    format!(
                        "`{}` is not a part of [{table}] (parts: {})",
                        k.get_ref(),
                        known.join(", ")
                    ),
                );
            }
            let w = self.range_f64(v, &format!("{table}.weights.{}", k.get_ref()), 0.0, 1000.0);
            out.insert(k.get_ref().clone(), w);
        }
        out
    }

    pub(super) fn statement(&mut self, s: &RawStatement) -> StatementSettings {
        let freshness = *s.freshness_months.get_ref();
        if !(1..=120).contains(&freshness) {
            self.push(
                s.freshness_months.span(),
                format!("`statement.freshness_months` = {freshness} is out of range (1–120)"),
            );
        }
        for p in &s.paths {
            if !p.get_ref().starts_with('/') {
                self.push(
                    p.span(),
                    format!("`{}` is not a path (it must start with /)", p.get_ref()),
                );
            }
        }
        let mut wcag_version = Vec::new();
        for p in &s.wcag_version {
            let Some(r) = self.regex(p) else { continue };
            if r.captures_len() < 2 {
                self.push(
                    p.span(),
                    format!(
                        "`statement.wcag_version` pattern `{}` needs a capture group for the version",
                        p.get_ref()
                    ),
                );
            }
            wcag_version.push(r);
        }
        StatementSettings {
            freshness_months: freshness,
            weight_in_digital: self.range_f64(
                &s.weight_in_digital,
                "statement.weight_in_digital",
                0.0,
                1000.0,
            ),
            paths: s.paths.iter().map(|p| p.get_ref().clone()).collect(),
            max_fetches: s.max_fetches.as_ref().map_or(2, |v| {
                self.range_u64(v, "statement.max_fetches", 0, 20) as usize
            }),
            page: self.regexes(&s.page),
            status_fully: self.regexes(&s.status_fully),
            status_partially: self.regexes(&s.status_partially),
            status_not: self.regexes(&s.status_not),
            wcag_version,
            non_accessible: self.regexes(&s.non_accessible),
            format_request: self.regexes(&s.format_request),
            report_problem: self.regexes(&s.report_problem),
            contact: self.regexes(&s.contact),
            section_end: self.regexes(&s.section_end),
            enforcement_gb: self.regexes(&s.enforcement_gb),
            enforcement_ni: self.regexes(&s.enforcement_ni),
            prepared: self.regexes(&s.prepared),
            reviewed: self.regexes(&s.reviewed),
            testing: self.regexes(&s.testing),
            testing_method: self.regexes(&s.testing_method),
            testing_negative: self.regexes(&s.testing_negative),
            weights: self.weights(&s.weights, STATEMENT_PARTS, "statement"),
        }
    }

    pub(super) fn welsh(&mut self, w: &RawWelsh) -> WelshSettings {
        let min_share = self.range_f64(&w.min_share, "welsh.min_share", 0.0, 1.0);
        let mut guess = Vec::new();
        for g in &w.guess {
            if let Some(from) = self.regex(&g.from) {
                guess.push(CounterpartGuess {
                    from,
                    to: g.to.clone(),
                });
            }
        }
        if w.welsh_words.is_empty() || w.english_words.is_empty() {
            self.push(
                w.min_share.span(),
                "`welsh.welsh_words` and `welsh.english_words` must not be empty",
            );
        }
        WelshSettings {
            council_types: w
                .council_types
                .iter()
                .filter_map(|c| self.council_type(c))
                .collect(),
            weight_in_digital: self.range_f64(
                &w.weight_in_digital,
                "welsh.weight_in_digital",
                0.0,
                1000.0,
            ),
            switch_text: self.regexes(&w.switch_text),
            welsh_url: self.regexes(&w.welsh_url),
            guess,
            welsh_words: w.welsh_words.iter().map(|s| s.to_lowercase()).collect(),
            english_words: w.english_words.iter().map(|s| s.to_lowercase()).collect(),
            min_share,
            sample_pages: self.range_u64(&w.sample_pages, "welsh.sample_pages", 1, 10_000) as usize,
            max_fetches: self.range_u64(&w.max_fetches, "welsh.max_fetches", 0, 200) as usize,
            weights: self.weights(&w.weights, WELSH_PARTS, "welsh"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{BUILTIN_TEXT, RulesetError, parse};

    #[test]
    fn reports_bad_statement_settings_with_lines() {
        let text = BUILTIN_TEXT
            .replace("freshness_months = 12 ", "freshness_months = 0 ")
            .replace(
                r#"paths = ["/accessibility-statement", "#,
                r#"paths = ["accessibility-statement", "#,
            )
            .replace(
                r"wcag_version = ['(?:web content accessibility guidelines|wcag)",
                r"wcag_version = ['(?:web content accessibility guidelines|wcag)(?:x)?', '(?:web content accessibility guidelines|wcag)",
            )
            .replace("weights = { found = 2,", "weights = { founds = 2,");
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let Err(RulesetError::Invalid { problems, .. }) = parse(&text, "t.toml") else {
            panic!("expected problems");
        };
        let mut at: Vec<usize> = problems.iter().map(|p| p.line).collect();
        at.sort_unstable();
        assert_eq!(
            at,
            vec![
                line_of("freshness_months = 0 "),
                line_of(r#"paths = ["accessibility-statement""#),
                line_of("(?:x)?"),
                line_of("weights = { founds = 2,"),
            ],
            "{problems:?}"
        );
    }

    #[test]
    fn reports_bad_welsh_settings_with_lines() {
        let text = BUILTIN_TEXT
            .replace(r#"council_types = ["WU"]"#, r#"council_types = ["XX"]"#)
            .replace("min_share = 0.9 ", "min_share = 1.5 ")
            .replace("task-counterparts = 2,", "task-counterpart = 2,");
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let Err(RulesetError::Invalid { problems, .. }) = parse(&text, "t.toml") else {
            panic!("expected problems");
        };
        let mut at: Vec<usize> = problems.iter().map(|p| p.line).collect();
        at.sort_unstable();
        assert_eq!(
            at,
            vec![
                line_of(r#"council_types = ["XX"]"#),
                line_of("min_share = 1.5 "),
                line_of("task-counterpart = 2,"),
            ],
            "{problems:?}"
        );
    }

    #[test]
    fn the_shipped_ruleset_weighs_every_statement_part() {
        let r = parse(BUILTIN_TEXT, "t.toml").unwrap();
        let s = r.statement.expect("[statement]");
        for part in super::STATEMENT_PARTS {
            assert!(s.weights.contains_key(*part), "{part}");
        }
        assert_eq!(s.freshness_months, 12);
        let w = r.welsh.expect("[welsh]");
        for part in super::WELSH_PARTS {
            assert!(w.weights.contains_key(*part), "{part}");
        }
        assert!(w.applies_to(crate::sites::CouncilType::WU));
        assert!(!w.applies_to(crate::sites::CouncilType::SD));
    }
}
