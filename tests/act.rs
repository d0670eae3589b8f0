//! The W3C ACT Rules conformance harness: runs every test case of every ACT rule civicscan
//! implements and scores each rule the way W3C does
//! (<https://www.w3.org/WAI/standards-guidelines/act/implementations/>):
//!
//! - *complete* (consistent): no passed or inapplicable case is failed, every failed case is
//!   failed or "cannot tell", and at least one failed case is failed;
//! - *partial*: no false positives, but some failed cases are missed;
//! - *inconsistent*: some passed or inapplicable case is failed.
//!
//! Only civicscan's own outcomes are scored: the harness turns no case into "cannot tell". Two
//! tables: *static* (the HTML as served; the tool itself says "cannot tell" where a page's
//! script could change a verdict) and *rendered* (the page loaded in headless Chromium, the
//! static rules on the DOM after scripts plus the rendered checks). In the rendered table the
//! cases that hold script, and every case of a rule only the browser checks, are rendered; a
//! case without script renders to the DOM it was served as, so its static outcome stands
//! (`ACT_RENDER_ALL=1` renders every HTML case, to hold the rendered audit, whose contrast
//! reads the browser's computed colours, to all of them). The
//! rendered table needs a browser: without one it is skipped, except under CI (`CI` set), where
//! that fails. The cases are vendored in `tests/fixtures/act` (trimmed to
//! the rules civicscan implements: after adding a rule with an ACT id, run
//! `tests/fixtures/act/refresh.py`, see its README); `$ACT_RULES_DIR` points the harness at
//! another copy, e.g. a newer W3C release.
//!
//! Run `cargo test --test act -- --nocapture` to see the table.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod browser;

use civicscan::audit::a11y::rendered::RENDERED_RULES;
use civicscan::audit::a11y::{AAA_RULES, Finding, Outcome, RULES, SiteCss, audit_page_with};
use civicscan::page::ParsedPage;
use civicscan::render::{Refusal, Response, Source, checks};
use civicscan::ruleset::AccessibilitySettings;
use futures::future::BoxFuture;
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

/// Answers the browser from the fixture folder: the W3C prefix maps to it; anything missing
/// is a 404 (W3C's shared copy leaves out the scripts of a few cases, and the tool must cope).
struct FixtureSource(PathBuf);

impl Source for FixtureSource {
    fn get(&self, url: Url) -> BoxFuture<'_, Result<Response, Refusal>> {
        Box::pin(async move {
            let file = url
                .as_str()
                .strip_prefix(PREFIX)
                .map(|rel| self.0.join(rel.split(['?', '#']).next().unwrap_or(rel)))
                .filter(|p| p.is_file());
            let Some(file) = file else {
                return Ok(Response {
                    status: 404,
                    headers: vec![("content-type".into(), "text/plain".into())],
                    body: b"not in the fixture".to_vec(),
                });
            };
            let body = std::fs::read(&file).map_err(|e| Refusal::Failed(e.to_string()))?;
            let ct = match file.extension().and_then(|e| e.to_str()) {
                Some("css") => "text/css",
                Some("js") => "text/javascript",
                Some("svg") => "image/svg+xml",
                Some("xml") => "application/xml",
                _ => "text/html; charset=utf-8",
            };
            Ok(Response {
                status: 200,
                headers: vec![("content-type".into(), ct.into())],
                body,
            })
        })
    }
}

#[derive(Clone)]
struct Case {
    rule: String,
    name: String,
    approved: bool,
    expected: String,
    rel: String,
    title: String,
    text: String,
}

fn got(findings: &[Finding], rule: &str) -> Got {
    let mine: Vec<_> = findings
        .iter()
        .filter(|f| f.act.iter().any(|a| a == rule))
        .collect();
    if mine.iter().any(|f| f.outcome == Outcome::Failed) {
        Got::Failed
    } else if mine.iter().any(|f| f.outcome == Outcome::CantTell) {
        Got::CantTell
    } else {
        Got::Nothing
    }
}

/// Scores outcomes and prints the table; returns (approved complete, inconsistent).
fn table(
    title: &str,
    cases: &[Case],
    outcomes: &[Got],
    all_approved: &BTreeMap<String, bool>,
) -> (usize, usize) {
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    for (case, &got) in cases.iter().zip(outcomes) {
        let score = scores.entry(case.rule.clone()).or_default();
        score.name = case.name.clone();
        score.approved |= case.approved;
        score.cases += 1;
        if case.expected == "failed" {
            score.failed_cases += 1;
        }
        let label = format!("{} ({})", case.title, case.rel);
        match (case.expected.as_str(), got) {
            ("failed", Got::Failed) => score.failed_found += 1,
            ("failed", Got::CantTell) => score.cant_tell += 1,
            ("failed", Got::Nothing) => score.missed.push(label),
            (_, Got::Failed) => score.false_positives.push(label),
            (_, Got::CantTell) => score.cant_tell += 1,
            _ => {}
        }
    }
    println!("\nW3C ACT rules conformance (civicscan, {title})\n");
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
        "\nSUMMARY ({title}): complete on {approved_complete} of {approved_total} approved rules and {proposed_complete} of {proposed_total} proposed rules; inconsistent on {inconsistent}; {} rules implemented",
        scores.len()
    );
    (approved_complete, inconsistent)
}

#[test]
fn act_rules_conformance() {
    let dir = act_dir();
    let json = read_case_file(&dir, "testcases.json");
    let data: serde_json::Value = serde_json::from_str(&json).expect("testcases.json is JSON");
    let all = data["testcases"].as_array().expect("testcases array");

    let rendered_only: Vec<&str> = RENDERED_RULES
        .iter()
        .flat_map(|r| r.act.iter().copied())
        .collect();
    let implemented: Vec<&str> = RULES
        .iter()
        .chain(AAA_RULES)
        .flat_map(|r| r.info.act.iter().copied())
        .chain(rendered_only.iter().copied())
        .collect();
    let settings = AccessibilitySettings {
        disabled_rules: Vec::new(),
        max_findings_per_rule: 1000,
        duplicate_title_min_pages: 3,
    };
    let mut all_approved: BTreeMap<String, bool> = BTreeMap::new();
    let mut cases = Vec::new();
    for case in all {
        let rule = case["ruleId"].as_str().unwrap_or_default().to_string();
        let approved = case["approved"].as_bool().unwrap_or(false);
        *all_approved.entry(rule.clone()).or_default() |= approved;
        if !implemented.contains(&rule.as_str()) {
            continue;
        }
        let rel = case["relativePath"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        cases.push(Case {
            name: case["ruleName"].as_str().unwrap_or_default().to_string(),
            approved,
            expected: case["expected"].as_str().unwrap_or_default().to_string(),
            title: case["testcaseTitle"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            text: read_case_file(&dir, &rel),
            rel,
            rule,
        });
    }

    // Static: every case, the HTML as served. civicscan audits HTML pages only (a survey
    // parses what is served as HTML, `civicscan audit` reads .html files), so an SVG or XML
    // document gets no page rule's outcome.
    let statics: Vec<Got> = cases
        .iter()
        .map(|c| {
            if !c.rel.ends_with(".html") {
                return Got::Nothing;
            }
            let url = Url::parse(&format!("{PREFIX}{}", c.rel)).expect("case url");
            let page = ParsedPage::parse(url, &c.text);
            let css = site_css(&dir, &page);
            got(&audit_page_with(&page, &css, &settings, true), &c.rule)
        })
        .collect();
    // Rules only the browser checks are not in the static table.
    let (static_cases, static_outcomes): (Vec<_>, Vec<_>) = cases
        .iter()
        .zip(&statics)
        .filter(|(c, _)| !rendered_only.contains(&c.rule.as_str()))
        .map(|(c, g)| (c.clone(), *g))
        .unzip();
    let (static_complete, static_inconsistent) = table(
        "static HTML + CSS",
        &static_cases,
        &static_outcomes,
        &all_approved,
    );

    // Rendered: the cases with script, and every case of a rule only the browser checks
    // (`ACT_RENDER_ALL=1`: every HTML case, to hold the rendered audit to all of them).
    let render_all = std::env::var_os("ACT_RENDER_ALL").is_some();
    let rendered = browser::renderer().map(|renderer| {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let source = FixtureSource(dir.clone());
        let to_render: Vec<usize> = (0..cases.len())
            .filter(|&i| {
                let c = &cases[i];
                c.rel.ends_with(".html")
                    && (render_all
                        || c.text.contains("<script")
                        || rendered_only.contains(&c.rule.as_str()))
            })
            .collect();
        let pages = rt.block_on(futures::future::join_all(to_render.iter().map(|&i| {
            let c = &cases[i];
            let url = Url::parse(&format!("{PREFIX}{}", c.rel)).expect("case url");
            let (renderer, source) = (&renderer, &source);
            async move { (i, renderer.render(&url, &c.text, source).await) }
        })));
        let mut outcomes = statics.clone();
        for (i, page) in pages {
            let c = &cases[i];
            let page = page.unwrap_or_else(|e| panic!("{}: not rendered: {e}", c.rel));
            let parsed = ParsedPage::parse(page.url.clone(), &page.html);
            let css = site_css(&dir, &parsed);
            let (findings, _) = checks::audit(&page, &css, &settings, true);
            outcomes[i] = got(&findings, &c.rule);
        }
        println!("\n{} of {} cases rendered", to_render.len(), cases.len());
        table(
            "rendered in headless Chromium",
            &cases,
            &outcomes,
            &all_approved,
        )
    });

    assert_eq!(
        static_inconsistent, 0,
        "static: no ACT rule may have false positives"
    );
    assert!(
        static_complete >= 30,
        "static: complete on at least 30 approved rules (got {static_complete})"
    );
    if let Some((complete, inconsistent)) = rendered {
        assert_eq!(
            inconsistent, 0,
            "rendered: no ACT rule may have false positives"
        );
        assert!(
            complete >= 33,
            "rendered: complete on at least 33 approved rules (got {complete})"
        );
    }
}
