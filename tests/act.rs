//! The W3C ACT Rules conformance harness: runs every test case of every ACT rule civicscan
//! implements and scores each rule the way W3C does
//! (<https://www.w3.org/WAI/standards-guidelines/act/implementations/>):
//!
//! - *complete* (consistent): no passed or inapplicable case is failed, every failed case is
//!   failed or "cannot tell", and at least one failed case is failed;
//! - *partial*: no false positives, but some failed cases are missed;
//! - *inconsistent*: some passed or inapplicable case is failed.
//!
//! Cases that need script (they contain `<script>`) or are not HTML are reported as "cannot
//! tell", as W3C allows for linters. The cases are vendored in `tests/fixtures/act` (trimmed to
//! the rules civicscan implements: after adding a rule with an ACT id, run
//! `tests/fixtures/act/refresh.py`, see its README); `$ACT_RULES_DIR` points the harness at
//! another copy, e.g. a newer W3C release.
//!
//! Run `cargo test --test act -- --nocapture` to see the table.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use civicscan::audit::a11y::{AAA_RULES, Outcome, RULES, SiteCss, audit_page_with};
use civicscan::page::ParsedPage;
use civicscan::ruleset::AccessibilitySettings;
use scraper::Selector;
use url::Url;

const PREFIX: &str = "https://www.w3.org/WAI/content-assets/wcag-act-rules/";

const REFRESH: &str = "run tests/fixtures/act/refresh.py with a copy of W3C's test cases (see tests/fixtures/act/README.md)";

fn act_dir() -> PathBuf {
    std::env::var_os("ACT_RULES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/act"))
}

/// Reads a file of the test-case folder; a missing one means the fixture is out of date.
fn read_case_file(dir: &Path, rel: &str) -> String {
    let path = dir.join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; the ACT fixture lacks it: {REFRESH}",
            path.display()
        )
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Got {
    Failed,
    CantTell,
    Nothing,
}

#[derive(Debug, Default)]
struct Score {
    name: String,
    approved: bool,
    cases: usize,
    failed_cases: usize,
    failed_found: usize,
    cant_tell: usize,
    false_positives: Vec<String>,
    missed: Vec<String>,
    skipped: usize,
}

impl Score {
    fn verdict(&self) -> &'static str {
        if !self.false_positives.is_empty() {
            "inconsistent"
        } else if self.missed.is_empty() && self.failed_found > 0 {
            "complete"
        } else if self.failed_found > 0 || self.failed_cases == 0 {
            "partial"
        } else {
            "untested"
        }
    }
}

/// Reads linked stylesheets that live in the test-assets folder.
fn site_css(dir: &Path, page: &ParsedPage) -> SiteCss {
    let mut css = SiteCss::empty();
    let Ok(sel) = Selector::parse("link[rel~=stylesheet][href]") else {
        return css;
    };
    let base = page.base_url();
    for link in page.html.select(&sel) {
        let Some(href) = link.value().attr("href") else {
            continue;
        };
        let Ok(u) = base.join(href) else { continue };
        if let Some(rel) = u.as_str().strip_prefix(PREFIX) {
            let text = read_case_file(dir, rel);
            css.insert(u, &text);
        }
    }
    css
}

#[test]
fn act_rules_conformance() {
    let dir = act_dir();
    let json = read_case_file(&dir, "testcases.json");
    let data: serde_json::Value = serde_json::from_str(&json).expect("testcases.json is JSON");
    let cases = data["testcases"].as_array().expect("testcases array");

    let implemented: Vec<&str> = RULES
        .iter()
        .chain(AAA_RULES)
        .flat_map(|r| r.info.act.iter().copied())
        .collect();
    let settings = AccessibilitySettings {
        disabled_rules: Vec::new(),
        max_findings_per_rule: 1000,
        duplicate_title_min_pages: 3,
    };
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    let mut all_approved: BTreeMap<String, bool> = BTreeMap::new();
    for case in cases {
        let rule = case["ruleId"].as_str().unwrap_or_default().to_string();
        let approved = case["approved"].as_bool().unwrap_or(false);
        *all_approved.entry(rule.clone()).or_default() |= approved;
        if !implemented.contains(&rule.as_str()) {
            continue;
        }
        let expected = case["expected"].as_str().unwrap_or_default();
        let rel = case["relativePath"].as_str().unwrap_or_default();
        let title = case["testcaseTitle"].as_str().unwrap_or_default();
        let score = scores.entry(rule.clone()).or_default();
        score.name = case["ruleName"].as_str().unwrap_or_default().to_string();
        score.approved |= approved;
        score.cases += 1;
        if expected == "failed" {
            score.failed_cases += 1;
        }
        let text = read_case_file(&dir, rel);
        let got = if !rel.ends_with(".html") || text.contains("<script") {
            score.skipped += 1;
            Got::CantTell
        } else {
            let url = Url::parse(&format!("{PREFIX}{rel}")).expect("case url");
            let page = ParsedPage::parse(url, &text);
            let css = site_css(&dir, &page);
            let findings = audit_page_with(&page, &css, &settings, true);
            let mine: Vec<_> = findings.iter().filter(|f| f.act.contains(&rule)).collect();
            if mine.iter().any(|f| f.outcome == Outcome::Failed) {
                Got::Failed
            } else if mine.iter().any(|f| f.outcome == Outcome::CantTell) {
                Got::CantTell
            } else {
                Got::Nothing
            }
        };
        let label = format!("{title} ({rel})");
        match (expected, got) {
            ("failed", Got::Failed) => score.failed_found += 1,
            ("failed", Got::CantTell) => score.cant_tell += 1,
            ("failed", Got::Nothing) => score.missed.push(label),
            (_, Got::Failed) => score.false_positives.push(label),
            (_, Got::CantTell) => score.cant_tell += 1,
            _ => {}
        }
    }

    println!("\nW3C ACT rules conformance (civicscan, static HTML + CSS)\n");
    println!(
        "{:<7} {:<9} {:<62} {:>5} {:>9} {:>8} {:>4}  consistency",
        "rule", "status", "name", "cases", "failed", "cantTell", "FP"
    );
    let mut approved_complete = 0;
    let mut proposed_complete = 0;
    let mut inconsistent = 0;
    for (id, s) in &scores {
        let verdict = s.verdict();
        println!(
            "{:<7} {:<9} {:<62} {:>5} {:>4}/{:<4} {:>8} {:>4}  {}",
            id,
            if s.approved { "approved" } else { "proposed" },
            s.name.chars().take(62).collect::<String>(),
            s.cases,
            s.failed_found,
            s.failed_cases,
            s.cant_tell,
            s.false_positives.len(),
            verdict
        );
        for fp in &s.false_positives {
            println!("          false positive: {fp}");
        }
        for m in &s.missed {
            println!("          missed: {m}");
        }
        match (verdict, s.approved) {
            ("complete", true) => approved_complete += 1,
            ("complete", false) => proposed_complete += 1,
            ("inconsistent", _) => inconsistent += 1,
            _ => {}
        }
    }
    let approved_total = all_approved.values().filter(|a| **a).count();
    let proposed_total = all_approved.len() - approved_total;
    println!(
        "\nSUMMARY: complete on {approved_complete} of {approved_total} approved rules and {proposed_complete} of {proposed_total} proposed rules; inconsistent on {inconsistent}; {} rules implemented",
        scores.len()
    );
    assert_eq!(inconsistent, 0, "no ACT rule may have false positives");
    assert!(
        approved_complete >= 30,
        "complete on at least 30 approved rules (got {approved_complete})"
    );
}
