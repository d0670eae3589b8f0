//! Task recognition measured on real UK council pages, not on our own demo web.
//!
//! `tests/fixtures/real-pages/pages.jsonl` holds a few hundred pages from the public sites of
//! UK councils (how they were gathered and labelled: the README beside it). Each page is rebuilt
//! as a small HTML document from its stored parts (title, breadcrumb, main heading, opening text,
//! subheadings, at its real URL), parsed by the same code a crawled page goes through, and named
//! by [`civicscan::audit::tasks::classify`], the function `civicscan audit` uses. The test prints
//! accuracy per task, the held-out fifth of councils on its own, and every miss with the evidence
//! the classifier gave (misses of the held-out fifth stay hidden unless asked for); it fails
//! below 90 % overall, or on any task named for a page that serves none (a wrong task costs a
//! council's trust more than a miss).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use civicscan::audit::tasks;
use civicscan::page::ParsedPage;
use civicscan::ruleset::{self, Ruleset};
use serde::Deserialize;
use url::Url;

/// One stored page, as in `pages.jsonl`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RealPage {
    council: String,
    url: String,
    title: Option<String>,
    h1: Option<String>,
    #[serde(default)]
    headings: Vec<String>,
    #[serde(default)]
    breadcrumb: Vec<String>,
    excerpt: String,
    label: String,
    query: String,
}

const NONE: &str = "none";

fn load() -> Vec<RealPage> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/real-pages/pages.jsonl"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}:{}: {e}", i + 1)))
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page as a council CMS would serve it: title in the head; the breadcrumb in a labelled
/// `nav` in the header; the main heading, the opening text and the subheadings in `main`.
fn html(page: &RealPage) -> String {
    let mut h = String::from("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    if let Some(t) = &page.title {
        let _ = write!(h, "<title>{}</title>", escape(t));
    }
    h.push_str("</head><body><header>");
    if !page.breadcrumb.is_empty() {
        h.push_str("<nav aria-label=\"Breadcrumb\" class=\"breadcrumb\"><ol>");
        for (i, crumb) in page.breadcrumb.iter().enumerate() {
            let _ = write!(h, "<li><a href=\"/crumb-{i}\">{}</a></li>", escape(crumb));
        }
        h.push_str("</ol></nav>");
    }
    h.push_str("</header><main>");
    if let Some(h1) = &page.h1 {
        let _ = write!(h, "<h1>{}</h1>", escape(h1));
    }
    let _ = write!(h, "<p>{}</p>", escape(&page.excerpt));
    for sub in &page.headings {
        let _ = write!(h, "<h2>{}</h2><p></p>", escape(sub));
    }
    h.push_str("</main></body></html>");
    h
}

/// FNV-1a, so the held-out split is the same on every machine and every run.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A fifth of the councils, chosen by a hash of the council's slug before any tuning, whose
/// pages stand in for the unseen pages the recognition will meet.
fn held_out(council: &str) -> bool {
    fnv1a(council) % 5 == 0
}

struct Outcome<'p> {
    page: &'p RealPage,
    predicted: String,
    evidence: Vec<String>,
}

fn classify_all<'p>(pages: &'p [RealPage], rules: &Ruleset) -> Vec<Outcome<'p>> {
    pages
        .iter()
        .map(|page| {
            let url = Url::parse(&page.url).unwrap_or_else(|e| panic!("{}: {e}", page.url));
            let parsed = ParsedPage::parse(url.clone(), &html(page));
            let class = tasks::classify(&url, &parsed.facts(), rules);
            let predicted = class.tasks.first().cloned().unwrap_or_else(|| NONE.into());
            Outcome {
                page,
                predicted,
                evidence: class.evidence,
            }
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    pages: usize,
    right: usize,
}

impl Tally {
    fn pct(&self) -> f64 {
        if self.pages == 0 {
            return 100.0;
        }
        100.0 * self.right as f64 / self.pages as f64
    }
}

/// The report printed by the test and the figures it asserts on.
struct Report {
    text: String,
    overall: Tally,
    development: Tally,
    held_out: Tally,
    false_on_none: usize,
}

fn report(outcomes: &[Outcome<'_>], rules: &Ruleset) -> Report {
    let known = |t: &str| t == NONE || rules.tasks.iter().any(|k| k.id == t);
    let mut per_label: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut false_calls: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut overall, mut development, mut held) =
        (Tally::default(), Tally::default(), Tally::default());
    let mut false_on_none = 0;
    let mut misses = String::new();
    let mut skipped = 0;
    // The held-out misses stay out of sight unless asked for, so tuning cannot look at them.
    let show_held_out = std::env::var_os("REAL_PAGES_SHOW_HELD_OUT").is_some();
    let mut hidden = 0;
    for o in outcomes {
        let label = o.page.label.as_str();
        if !known(label) {
            skipped += 1;
            continue;
        }
        let right = o.predicted == label;
        for t in [
            &mut overall,
            per_label.entry(label).or_default(),
            if held_out(&o.page.council) {
                &mut held
            } else {
                &mut development
            },
        ] {
            t.pages += 1;
            t.right += usize::from(right);
        }
        if !right && held_out(&o.page.council) && !show_held_out {
            hidden += 1;
            if label == NONE {
                false_on_none += 1;
            }
            if o.predicted != NONE {
                *false_calls.entry(o.predicted.as_str()).or_default() += 1;
            }
        } else if !right {
            if o.predicted != NONE {
                *false_calls.entry(o.predicted.as_str()).or_default() += 1;
            }
            if label == NONE {
                false_on_none += 1;
            }
            let _ = writeln!(
                misses,
                "  {label} -> {}  {}{}\n      {}",
                o.predicted,
                o.page.url,
                if held_out(&o.page.council) {
                    "  [held out]"
                } else {
                    ""
                },
                if o.evidence.is_empty() {
                    "no evidence".to_string()
                } else {
                    o.evidence.join("; ")
                }
            );
        }
    }
    let mut text = String::new();
    let _ = writeln!(
        text,
        "real council pages: {} pages from {} councils ({} labelled with tasks this ruleset lacks, skipped)",
        outcomes.len(),
        outcomes
            .iter()
            .map(|o| o.page.council.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        skipped
    );
    let _ = writeln!(
        text,
        "{:<26} {:>6} {:>6} {:>8} {:>12}",
        "label", "pages", "right", "recall", "false calls"
    );
    for (label, t) in &per_label {
        let _ = writeln!(
            text,
            "{label:<26} {:>6} {:>6} {:>7.1}% {:>12}",
            t.pages,
            t.right,
            t.pct(),
            false_calls.get(label).copied().unwrap_or(0)
        );
    }
    let _ = writeln!(
        text,
        "overall {:.1} % ({}/{}); development {:.1} % ({}/{}); held out (a fifth of councils) {:.1} % ({}/{}); tasks named on no-task pages: {}",
        overall.pct(),
        overall.right,
        overall.pages,
        development.pct(),
        development.right,
        development.pages,
        held.pct(),
        held.right,
        held.pages,
        false_on_none
    );
    let _ = writeln!(
        text,
        "misses (label -> named){}:\n{misses}",
        if hidden > 0 {
            format!(", {hidden} held-out misses not shown (REAL_PAGES_SHOW_HELD_OUT=1 shows them)")
        } else {
            String::new()
        }
    );
    Report {
        text,
        overall,
        development,
        held_out: held,
        false_on_none,
    }
}

#[test]
fn the_corpus_is_well_formed_and_spread_over_the_register() {
    let pages = load();
    let rules = ruleset::builtin();
    let mut councils = std::collections::BTreeSet::new();
    let mut urls = std::collections::BTreeSet::new();
    for p in &pages {
        assert!(
            p.label == NONE || rules.tasks.iter().any(|t| t.id == p.label),
            "{}: unknown label {}",
            p.url,
            p.label
        );
        assert!(urls.insert(p.url.as_str()), "{} appears twice", p.url);
        assert!(!p.query.trim().is_empty(), "{}: no query recorded", p.url);
        assert!(
            p.excerpt.len() <= 600,
            "{}: the excerpt is {} bytes; keep it short, not a copy of the page",
            p.url,
            p.excerpt.len()
        );
        councils.insert(p.council.as_str());
    }
    assert!(pages.len() >= 400, "{} pages", pages.len());
    assert!(councils.len() >= 150, "{} councils", councils.len());
    let mut per_label: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &pages {
        *per_label.entry(p.label.as_str()).or_default() += 1;
    }
    assert!(
        per_label.get(NONE).copied().unwrap_or(0) >= 80,
        "{per_label:?}"
    );
    // The snapshot the corpus was drawn from holds few pages for two tasks (README, "Spread").
    let short = [("job-vacancies", 8), ("renew-library-book", 12)];
    for (label, n) in &per_label {
        let floor = short
            .iter()
            .find(|(l, _)| l == label)
            .map_or(15, |(_, n)| *n);
        assert!(*n >= floor, "{label}: {n} pages, fewer than {floor}");
    }
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/real-pages/README.md"
    ))
    .expect("README.md beside pages.jsonl");
    for p in &pages {
        assert!(
            readme.contains(&format!("(<{}>)", p.url)),
            "{} is not linked from the README",
            p.url
        );
    }
}

/// The audit's classifier names the task of nine real council pages in ten, and never names a
/// task for a page that serves none. `--nocapture` shows the table, the held-out figure and
/// the misses.
#[test]
fn the_classifier_names_the_task_of_real_council_pages() {
    let pages = load();
    let rules = ruleset::builtin();
    let outcomes = classify_all(&pages, &rules);
    let r = report(&outcomes, &rules);
    println!("{}", r.text);
    assert!(
        r.overall.pct() >= 90.0,
        "{:.1} % overall, below 90 %\n{}",
        r.overall.pct(),
        r.text
    );
    assert_eq!(
        r.false_on_none, 0,
        "a task was named for a page that serves none\n{}",
        r.text
    );
    // The held-out fifth is reported, not bound: it is there to show overfitting, and a bound
    // on it would invite tuning to it.
    let _ = (r.development.pct(), r.held_out.pct());
}

#[test]
fn civicscan_audit_names_the_task_of_a_real_page_with_its_evidence() {
    // A real page served at its own address: `--base-url` maps the file to its URL.
    let page = load()
        .into_iter()
        .find(|p| {
            p.label != NONE
                && Url::parse(&p.url).is_ok_and(|u| u.query().is_none() && !u.path().ends_with('/'))
        })
        .expect("a task page without a query");
    let url = Url::parse(&page.url).unwrap();
    let name = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap()
        .to_string();
    let base = url.join("./").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(&name);
    std::fs::write(&file, html(&page)).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_civicscan"))
        .args(["audit", "--format", "json", "--base-url", base.as_str()])
        .arg(&file)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: serde_json::Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(line["page"], page.url.as_str());
    assert_eq!(line["tasks"][0], page.label.as_str(), "{line}");
    let evidence = line["task_evidence"].as_array().expect("evidence");
    assert!(
        !evidence.is_empty()
            && evidence
                .iter()
                .all(|e| e.as_str().is_some_and(|s| !s.is_empty())),
        "the evidence says which words decided: {line}"
    );
}
