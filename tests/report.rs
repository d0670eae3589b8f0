//! The report, rendered from a fixture database of hand-made assessments, read back as a reader
//! (and a researcher) would: ranks, stars, averages, the divide against a hand computation, CSV
//! rows, escaping, our own accessibility audit and, in headless Chromium, the league table's
//! sorting and filtering.

use std::path::{Path, PathBuf};
use std::process::Command;

use civicscan::audit::a11y::{Finding, Impact, Outcome};
use civicscan::audit::coverage::{CoverageResult, ServiceFinding};
use civicscan::audit::digital::DigitalIndicators;
use civicscan::audit::tasks::{Answer, QuestionAnswer, TaskResult};
use civicscan::audit::{A11ySummary, SiteAssessment};
use civicscan::crawl::{Page, PageKind};
use civicscan::page::PageFacts;
use civicscan::report;
use civicscan::ruleset;
use civicscan::sites::{CouncilType, Site};
use civicscan::store::{RunId, Store};

const XSS_NAME: &str = "<script>alert(1)</script> Council";
const MARKUP_TITLE: &str = "<b>Bins</b> & more";

/// The questions of `find-councillor` in the built-in ruleset; No answers are taken from the
/// front, so the essential (`postcode-lookup`) and out-of-date (`up-to-date`) questions stay Yes.
const QUESTIONS: [&str; 10] = [
    "home-link",
    "landing-link",
    "site-search",
    "a-to-z",
    "same-destination",
    "mobile",
    "up-to-date",
    "postcode-lookup",
    "party-control",
    "contact-details",
];

/// One fixture council and the numbers its scores follow from.
struct Spec {
    slug: &'static str,
    name: &'static str,
    council_type: CouncilType,
    nation: &'static str,
    region: &'static str,
    /// Stars for `find-councillor`: 4 = no No, 3 = 2 No (0.8), 2 = 4 No (0.6), 1 = 6 No (0.4).
    task_stars: u8,
    /// Pages without failures, of 10 audited.
    clean_pages: u32,
    /// Critical failures (all on key pages).
    critical: u32,
    /// Services found, of 4.
    services: u32,
    /// Digital indicators true, of 4.
    digital: u32,
}

const fn spec(
    slug: &'static str,
    name: &'static str,
    council_type: CouncilType,
    nation: &'static str,
    region: &'static str,
    (task_stars, clean_pages, critical, services, digital): (u8, u32, u32, u32, u32),
) -> Spec {
    Spec {
        slug,
        name,
        council_type,
        nation,
        region,
        task_stars,
        clean_pages,
        critical,
        services,
        digital,
    }
}

use CouncilType::*;
const SPECS: [Spec; 10] = [
    spec(
        "alpha",
        "Alpha District Council",
        SD,
        "England",
        "East of England",
        (3, 8, 0, 3, 3),
    ),
    spec(
        "bravo",
        "Bravo District Council",
        SD,
        "England",
        "South East",
        (2, 6, 0, 2, 2),
    ),
    spec(
        "xss",
        XSS_NAME,
        SD,
        "England",
        "South East",
        (1, 5, 0, 2, 1),
    ),
    spec(
        "delta",
        "Delta County Council",
        CC,
        "England",
        "East of England",
        (4, 9, 0, 4, 4),
    ),
    spec(
        "echo",
        "Echo County Council",
        CC,
        "England",
        "South East",
        (3, 7, 0, 3, 3),
    ),
    spec(
        "foxtrot",
        "Foxtrot Borough",
        LB,
        "England",
        "London",
        (4, 10, 0, 4, 4),
    ),
    spec(
        "golf",
        "Golf Metropolitan",
        MD,
        "England",
        "North West",
        (3, 8, 0, 3, 4),
    ),
    spec(
        "hotel",
        "Hotel Unitary",
        EU,
        "England",
        "South West",
        (4, 9, 1, 4, 3),
    ),
    spec(
        "india",
        "India Council",
        WU,
        "Wales",
        "Wales",
        (2, 7, 0, 3, 2),
    ),
    spec(
        "juliet",
        "Juliet Council",
        SU,
        "Scotland",
        "Scotland",
        (3, 6, 0, 2, 3),
    ),
];

/// The overall value by the formulas in `score`'s module doc, worked out independently here:
/// 0.40 × stars/4 + 0.30 × (clean/10 − 0.10 × critical/10) + 0.15 × services/4 + 0.15 × digital/4.
fn hand_value(s: &Spec) -> f64 {
    0.40 * f64::from(s.task_stars) / 4.0
        + 0.30 * (f64::from(s.clean_pages) / 10.0 - 0.10 * f64::from(s.critical) / 10.0)
        + 0.15 * f64::from(s.services) / 4.0
        + 0.15 * f64::from(s.digital) / 4.0
}

fn site(slug: &str, name: &str, council_type: CouncilType, nation: &str, region: &str) -> Site {
    let mut s = Site::new(
        slug,
        name,
        council_type,
        url::Url::parse(&format!("https://{slug}.gov.uk/")).unwrap(),
    );
    s.nation = Some(nation.into());
    s.region = Some(region.into());
    s
}

fn assessment(s: &Spec) -> SiteAssessment {
    let noes = match s.task_stars {
        4 => 0,
        3 => 2,
        2 => 4,
        _ => 6,
    };
    let answers = QUESTIONS
        .iter()
        .enumerate()
        .map(|(i, q)| QuestionAnswer {
            question: (*q).into(),
            answer: if i < noes { Answer::No } else { Answer::Yes },
            // The hostile council's first evidence URL is a script, which must never be linked.
            evidence_url: Some(if s.slug == "xss" && i == 0 {
                "javascript:alert(2)".to_string()
            } else {
                format!("https://{}.gov.uk/councillors", s.slug)
            }),
            reason: format!("fixture answer {i}"),
        })
        .collect();
    let flag = |i: u32| Some(i < s.digital);
    SiteAssessment {
        site: site(s.slug, s.name, s.council_type, s.nation, s.region),
        pages_fetched: 12,
        failure: None,
        tasks: vec![TaskResult {
            task: "find-councillor".into(),
            page_url: Some(format!("https://{}.gov.uk/councillors", s.slug)),
            route: vec![format!("https://{}.gov.uk/", s.slug)],
            reason: "fixture".into(),
            answers,
        }],
        coverage: CoverageResult {
            services: (0..4)
                .map(|i| ServiceFinding {
                    lgsl: 100 + i,
                    title: format!("Service {i}"),
                    url: (i < s.services).then(|| format!("https://{}.gov.uk/s{i}", s.slug)),
                    reason: String::new(),
                })
                .collect(),
        },
        digital: DigitalIndicators {
            https_everywhere: flag(0),
            responsive_viewport: flag(1),
            site_search: flag(2),
            a_to_z: flag(3),
            ..Default::default()
        },
        a11y: A11ySummary {
            pages_audited: 10,
            pages_without_failures: s.clean_pages,
            critical: s.critical,
            key_page_critical: s.critical,
            ..Default::default()
        },
        crawl: Default::default(),
    }
}

fn unreachable_council() -> SiteAssessment {
    SiteAssessment {
        site: site("kilo", "Kilo District Council", SD, "England", "North West"),
        pages_fetched: 0,
        failure: Some("connection refused".into()),
        tasks: vec![],
        coverage: CoverageResult::default(),
        digital: DigitalIndicators::default(),
        a11y: A11ySummary::default(),
        crawl: Default::default(),
    }
}

fn page(url: &str) -> Page {
    let url = url::Url::parse(url).unwrap();
    Page {
        url: url.clone(),
        final_url: url,
        status: 200,
        content_type: Some("text/html".into()),
        kind: PageKind::Html,
        bytes: 1000,
        truncated: false,
        content_length: None,
        ttfb_ms: 5,
        depth: 1,
        referrer: None,
        link_text: None,
        redirects: vec![],
        fetched_at_ms: 1_700_000_000_000,
        etag: None,
        last_modified: None,
        body: None,
        error: None,
    }
}

/// The rendered fixture, its ruleset and national scores, and a district council named `name`
/// to check beside them (not in the survey).
fn newtown_beside_the_nation(
    name: &'static str,
) -> (
    Fixture,
    ruleset::Ruleset,
    Vec<civicscan::score::SiteScore>,
    SiteAssessment,
) {
    let f = rendered();
    let store = Store::open(&f.db).unwrap();
    let rules = ruleset::builtin();
    let national = report::national_scores(&store, f.run, &rules).unwrap();
    let newtown = assessment(&spec(
        "newtown",
        name,
        SD,
        "England",
        "South West",
        (4, 10, 0, 4, 4),
    ));
    (f, rules, national, newtown)
}

/// One council's evidence for `render_single`, with no pages logged and no run settings.
fn single<'a>(
    assessment: &'a civicscan::audit::SiteAssessment,
    findings: &'a [(String, Finding)],
    titles: &'a std::collections::HashMap<String, String>,
) -> report::SingleCouncil<'a> {
    report::SingleCouncil {
        assessment,
        findings,
        titles,
        pages: &[],
        run_settings: None,
    }
}

fn image_alt() -> Finding {
    Finding {
        rule: "image-alt".into(),
        outcome: Outcome::Failed,
        wcag: vec!["1.1.1".into()],
        act: vec!["23a2a8".into()],
        impact: Impact::Critical,
        selector: "main > img".into(),
        snippet: "<img src=\"bin.png\">".into(),
        message: "Image has no text alternative".into(),
        rendered: false,
    }
}

/// Writes a run of the fixture councils (with `tweak` applied) into the database.
fn record_run(store: &mut Store, tweak: impl Fn(&mut SiteAssessment)) -> RunId {
    let ruleset = ruleset::builtin();
    let mut assessments: Vec<SiteAssessment> = SPECS.iter().map(assessment).collect();
    assessments.push(unreachable_council());
    for a in &mut assessments {
        tweak(a);
    }
    let sites: Vec<Site> = assessments.iter().map(|a| a.site.clone()).collect();
    let run = store
        .begin_run(&ruleset, &serde_json::json!({"fixture": true}), &sites)
        .unwrap();
    let facts = PageFacts {
        title: Some(MARKUP_TITLE.into()),
        ..Default::default()
    };
    store
        .record_page(
            run,
            "alpha",
            &page("https://alpha.gov.uk/bins"),
            Some(&facts),
            &[image_alt()],
        )
        .unwrap();
    for a in &assessments {
        store.record_assessment(run, a).unwrap();
    }
    store.finish_run(run).unwrap();
    run
}

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
    out: PathBuf,
    run: RunId,
}

fn rendered() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("survey.db");
    let out = dir.path().join("report");
    let mut store = Store::open(&db).unwrap();
    let run = record_run(&mut store, |_| {});
    report::render(&store, run, &ruleset::builtin(), &out).unwrap();
    Fixture {
        _dir: dir,
        db,
        out,
        run,
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect()
}

fn csv_headers(path: &Path) -> Vec<String> {
    csv::Reader::from_path(path)
        .unwrap()
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect()
}

/// The part of `html` from the first occurrence of `start` to the next `end`.
fn slice<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"));
    let rest = &html[i..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn ranks_and_stars_follow_the_hand_computation() {
    let f = rendered();
    let sites = f.out.join("data/sites.csv");
    let headers = csv_headers(&sites);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows = csv_rows(&sites);
    assert_eq!(rows.len(), 11, "ten scored councils and one unreachable");
    let get = |slug: &str| rows.iter().find(|r| &r[col("slug")] == slug).unwrap();

    // By hand: foxtrot 1.0, delta 0.97, hotel 0.9295 (4 stars withheld: a critical failure on a
    // key page), golf 0.8025, alpha 0.765, echo 0.735, juliet 0.6675, india 0.5975, bravo 0.53,
    // xss 0.3625.
    let expected = [
        ("foxtrot", 1, 1, 4),
        ("delta", 2, 1, 4),
        ("hotel", 3, 1, 3),
        ("golf", 4, 1, 3),
        ("alpha", 5, 1, 3),
        ("echo", 6, 2, 3),
        ("juliet", 7, 1, 3),
        ("india", 8, 1, 2),
        ("bravo", 9, 2, 2),
        ("xss", 10, 3, 1),
    ];
    for (slug, rank, type_rank, stars) in expected {
        let r = get(slug);
        assert_eq!(&r[col("rank")], rank.to_string(), "{slug} rank");
        assert_eq!(
            &r[col("type_rank")],
            type_rank.to_string(),
            "{slug} type rank"
        );
        assert_eq!(&r[col("overall_stars")], stars.to_string(), "{slug} stars");
        let spec = SPECS.iter().find(|s| s.slug == slug).unwrap();
        let value: f64 = r[col("overall_value")].parse().unwrap();
        assert!((value - hand_value(spec)).abs() < 1e-9, "{slug}: {value}");
    }
    assert_eq!(&get("hotel")[col("four_stars_withheld")], "true");
    assert_eq!(&get("kilo")[col("rank")], "");
    assert_eq!(&get("kilo")[col("failure")], "connection refused");

    // The league table lists the scored councils in rank order; the unreachable one separately.
    let index = read(&f.out.join("index.html"));
    let body = slice(&index, "<tbody>", "</tbody>");
    let order: Vec<&str> = body
        .split("data-slug=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(
        order,
        expected.iter().map(|e| e.0).collect::<Vec<_>>(),
        "league table order"
    );
    assert!(index.contains("Kilo District Council</a> (SD): connection refused"));
    // Headline: 7 of 10 at 3–4 stars, the best named.
    assert!(
        index.contains("7 of 10 councils scored (70 %) reach 3 or 4 stars"),
        "{index}"
    );
    assert!(index.contains(">Foxtrot Borough</a>."));
}

#[test]
fn council_page_shows_task_stars_beside_type_and_national_averages() {
    let f = rendered();
    let alpha = read(&f.out.join("councils/alpha.html"));
    let row = slice(&alpha, "<tr data-task=\"find-councillor\">", "</tr>");
    // Alpha has 3 stars. SD average: (3 + 2 + 1) / 3 = 2.00. All councils:
    // (3 + 2 + 1 + 4 + 3 + 4 + 3 + 4 + 2 + 3) / 10 = 2.90.
    assert!(row.contains("3 of 4 stars"), "{row}");
    assert!(row.contains(">2.00<"), "{row}");
    assert!(row.contains(">2.90<"), "{row}");
    // Each question with its answer and evidence.
    assert!(
        alpha.contains("Can I find my councillor by postcode rather than needing to know my ward?")
    );
    assert!(alpha.contains("<td class=\"no\">No</td>"));
    assert!(alpha.contains("https:&#x2f;&#x2f;alpha.gov.uk&#x2f;councillors"));
    // Findings grouped by rule, with where and how to fix.
    assert!(alpha.contains("image-alt: failed, critical (1 found)"));
    // How to fix: the rule's own advice, naming the element and the fix.
    assert!(alpha.contains("Give the image an alt attribute that says what it shows"));
    // Services not found: alpha found 3 of 4.
    assert!(alpha.contains("3 of 4 services"));
    assert!(alpha.contains("Service 3 (LGSL 103)"));
}

#[test]
fn markup_in_names_and_titles_is_escaped() {
    let f = rendered();
    let index = read(&f.out.join("index.html"));
    assert!(index.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; Council"));
    assert!(!index.contains("<script>alert(1)"));
    let page = read(&f.out.join("councils/xss.html"));
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("<h1>&lt;script&gt;alert(1)"));
    assert!(page.contains("javascript:alert(2)"), "shown as text");
    assert!(!page.contains("href=\"javascript"), "never linked");
    let alpha = read(&f.out.join("councils/alpha.html"));
    assert!(
        alpha.contains("&lt;b&gt;Bins&lt;&#x2f;b&gt; &amp; more"),
        "page title escaped"
    );
    assert!(!alpha.contains("<b>Bins</b>"));
    assert!(!alpha.contains("<img src=\"bin.png\">"), "snippet escaped");
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

#[test]
fn the_divide_matches_a_hand_computation() {
    let f = rendered();
    let scores = |types: &[CouncilType]| -> Vec<f64> {
        SPECS
            .iter()
            .filter(|s| types.contains(&s.council_type))
            .map(|s| 100.0 * hand_value(s))
            .collect()
    };
    let sd = scores(&[SD]);
    let upper = scores(&[CC, EU, MD, LB]);
    // SD: 76.5, 53.0, 36.25 → 55.25; CC/EU/MD/LB: 97, 73.5, 100, 80.25, 92.95 → 88.74.
    assert!((mean(&sd) - 55.25).abs() < 1e-9);
    assert!((mean(&upper) - 88.74).abs() < 1e-9);
    // Cliff's delta by counting the 15 pairs: only alpha (76.5) beats echo (73.5): (1 − 14) / 15.
    let delta = -13.0 / 15.0;

    let json: serde_json::Value =
        serde_json::from_str(&read(&f.out.join("data/divide.json"))).unwrap();
    let c = &json["comparisons"][0];
    let num = |v: &serde_json::Value| v.as_f64().unwrap();
    assert_eq!(c["a"]["n"], 3);
    assert_eq!(c["b"]["n"], 5);
    assert!((num(&c["a"]["mean"]) - mean(&sd)).abs() <= 0.05 + 1e-9);
    assert!((num(&c["b"]["mean"]) - mean(&upper)).abs() <= 0.05 + 1e-9);
    assert_eq!(num(&c["a"]["median"]), 53.0);
    assert!((num(&c["diff"]) - (mean(&sd) - mean(&upper))).abs() <= 0.05 + 1e-9);
    assert!((num(&c["cliffs_delta"]) - delta).abs() <= 0.005 + 1e-9);
    assert_eq!(c["cliffs_magnitude"], "large");
    let (lo, hi) = (num(&c["diff_ci_low"]), num(&c["diff_ci_high"]));
    assert!(
        lo < num(&c["diff"]) && num(&c["diff"]) < hi && hi < 0.0,
        "{lo}..{hi}"
    );
    // Task completion gap: SD stars 3, 2, 1 → 50; others 4, 3, 4, 3, 4 → 90; gap −40.
    let tasks_gap = &c["dimensions"][0];
    assert_eq!(tasks_gap["label"], "Task completion");
    assert_eq!(num(&tasks_gap["gap"]), -40.0);

    // Two-tier (SD + CC) against single-tier.
    let t = &json["comparisons"][1];
    assert_eq!(t["a"]["n"], 5);
    assert_eq!(t["b"]["n"], 5);
    let two = scores(&[SD, CC]);
    assert!((num(&t["a"]["mean"]) - mean(&two)).abs() <= 0.05 + 1e-9);

    // The page says it in words and draws it.
    let page = read(&f.out.join("divide.html"));
    assert!(
        page.contains("scored 55.3 out of 100 on average against 88.7"),
        "{page}"
    );
    assert!(page.contains("a gap of -33.5 points"));
    assert!(page.contains("<svg role=\"img\""));
    assert!(page.contains("<title id=\"districts-title\">"));
    let nations: Vec<&str> = json["by_nation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["place"].as_str().unwrap())
        .collect();
    assert_eq!(nations, ["England", "Scotland", "Wales"]);
}

#[test]
fn task_page_gives_the_share_at_three_or_four_stars_and_the_best() {
    let f = rendered();
    let page = read(&f.out.join("tasks/find-councillor.html"));
    // Stars 3,2,1,4,3,4,3,4,2,3: 7 of 10 at 3–4; three at 4 stars.
    assert!(
        page.contains("7 of 10 councils scored (70 %) reach 3 or 4 stars"),
        "{page}"
    );
    assert!(page.contains("<th scope=\"row\">4 stars</th><td class=\"n\">3</td>"));
    let best = slice(&page, "<h2>The best</h2>", "</ul>");
    for name in ["Delta County Council", "Foxtrot Borough", "Hotel Unitary"] {
        assert!(best.contains(name), "{best}");
    }
    assert!(!best.contains("Alpha"));
}

#[test]
fn data_files_hold_every_row_with_a_dictionary() {
    let f = rendered();
    let data = f.out.join("data");
    // 10 scored councils × 10 questions.
    assert_eq!(csv_rows(&data.join("task_answers.csv")).len(), 100);
    let findings = csv_rows(&data.join("findings.csv"));
    assert_eq!(findings.len(), 1);
    assert_eq!(&findings[0][2], "image-alt");
    // Whether the finding was seen in a browser, so runs with and without --render compare.
    let headers = csv_headers(&data.join("findings.csv"));
    let rendered = headers.iter().position(|h| h == "rendered").unwrap();
    assert_eq!(&findings[0][rendered], "false");
    assert_eq!(csv_rows(&data.join("coverage.csv")).len(), 40);
    // overall + 4 dimensions + 1 task per scored council, and overall + 4 for the unreachable.
    assert_eq!(csv_rows(&data.join("scores.csv")).len(), 10 * 6 + 5);
    let dictionary = csv_rows(&data.join("dictionary.csv"));
    for file in [
        "sites",
        "scores",
        "task_answers",
        "findings",
        "coverage",
        "duties",
    ] {
        for column in csv_headers(&data.join(format!("{file}.csv"))) {
            assert!(
                dictionary.iter().any(|d| &d[0] == file && d[1] == column),
                "{file}.{column} is not in the dictionary"
            );
        }
        let json: serde_json::Value =
            serde_json::from_str(&read(&data.join(format!("{file}.json")))).unwrap();
        assert_eq!(
            json.as_array().unwrap().len(),
            csv_rows(&data.join(format!("{file}.csv"))).len()
        );
    }
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            html_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
}

#[test]
fn report_pages_pass_our_own_accessibility_audit() {
    let f = rendered();
    let settings = ruleset::builtin().accessibility;
    let mut files = Vec::new();
    html_files(&f.out, &mut files);
    assert!(files.len() >= 15, "{} pages", files.len());
    for path in files {
        let html = read(&path);
        let url = url::Url::from_file_path(&path).unwrap();
        let parsed = civicscan::page::ParsedPage::parse(url, &html);
        let failed: Vec<Finding> = civicscan::audit::a11y::audit_page(
            &parsed,
            &civicscan::audit::a11y::SiteCss::empty(),
            &settings,
        )
        .into_iter()
        .filter(|f| f.outcome == Outcome::Failed)
        .collect();
        assert!(failed.is_empty(), "{}: {failed:#?}", path.display());
        // What the audit cannot see yet, checked here: the page's furniture.
        assert!(html.contains("<html lang=\"en-GB\">"));
        assert!(html.contains("<main id=\"main\">"));
        assert!(html.contains("href=\"#main\">Skip to main content</a>"));
    }
}

#[test]
fn report_command_writes_the_site_and_stores_scores() {
    let f = rendered();
    let out = f.out.with_file_name("cli-report");
    let status = Command::new(env!("CARGO_BIN_EXE_civicscan"))
        .args(["report", "--db"])
        .arg(&f.db)
        .args(["--run", &f.run.to_string(), "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    assert!(String::from_utf8_lossy(&status.stdout).contains("10 scored, 7 at 3–4 stars"));
    assert!(out.join("index.html").exists());
    let store = Store::open(&f.db).unwrap();
    let overall = store
        .scores(f.run)
        .unwrap()
        .into_iter()
        .find(|r| r.site_slug == "foxtrot" && r.key == "overall")
        .unwrap();
    assert_eq!((overall.rank, overall.stars), (Some(1), Some(4)));
}

#[test]
fn report_command_names_a_missing_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nope.db");
    let out = Command::new(env!("CARGO_BIN_EXE_civicscan"))
        .args(["report", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(dir.path().join("r"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such database"));
    assert!(!db.exists(), "reporting must not create a database");
}

#[test]
fn compare_shows_movers_and_the_divide_then_and_now() {
    let f = rendered();
    let mut store = Store::open(&f.db).unwrap();
    // A year on: bravo fixes its councillor page (4 stars), xss loses its online services.
    let later = record_run(&mut store, |a| match a.site.slug.as_str() {
        "bravo" => {
            for q in &mut a.tasks[0].answers {
                q.answer = Answer::Yes;
            }
        }
        "xss" => a.coverage.services.iter_mut().for_each(|s| s.url = None),
        _ => {}
    });
    drop(store);
    let out = f.out.with_file_name("compare");
    let run = Command::new(env!("CARGO_BIN_EXE_civicscan"))
        .args(["compare", &f.run.to_string(), &later.to_string(), "--db"])
        .arg(&f.db)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.join("data/compare.json"))).unwrap();
    // bravo: task value 0.5 → 1.0, +0.40 × 0.5 = +20 points. xss: coverage 0.5 → 0, −7.5 points.
    assert_eq!(json["up"][0]["name"], "Bravo District Council");
    assert_eq!(json["up"][0]["change"].as_f64().unwrap(), 20.0);
    assert_eq!(json["down"][0]["name"], XSS_NAME);
    assert_eq!(json["down"][0]["change"].as_f64().unwrap(), -7.5);
    assert_eq!(json["up"].as_array().unwrap().len(), 1);
    let page = read(&out.join("compare.html"));
    assert!(page.contains("Biggest rises"));
    assert!(!page.contains("<script>alert(1)"));
}

// --- headless Chromium ------------------------------------------------------------------------

const CHROMIUM: &str = "/usr/bin/chromium";

/// Headless Chromium's DOM of `url` after its scripts ran (with `extra` flags), or `None` (with
/// a note) when Chromium is absent.
fn chromium_dom(url: &str, profile: &Path, extra: &[&str]) -> Option<String> {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("skipping: {CHROMIUM} is not installed (CI installs it in .ci/run)");
        return None;
    }
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
        ])
        .args(extra)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium failed: {out:?}");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The DOM of a page after its scripts ran, or `None` (with a note) when Chromium is absent.
fn dump_dom(url: &str, profile: &Path) -> Option<String> {
    chromium_dom(url, profile, &[])
}

/// Measures a report page shown 320 CSS pixels wide (a phone, or 1280 px at 400 % zoom: WCAG
/// 1.4.10): the page's scroll width and the elements that stick out past its right edge. The
/// page is loaded in a 320 px frame of a probe page beside it (headless windows are at least
/// 500 px wide).
fn at_320px(report: &Path, page: &str, profile: &Path) -> Option<serde_json::Value> {
    let probe = report.join("probe-320.html");
    std::fs::write(
        &probe,
        r#"<!doctype html><html><body><iframe id="f" style="width:320px;height:900px;border:0"></iframe>
<script>
var f = document.getElementById("f");
f.onload = function () {
  var w = f.contentWindow, d = f.contentDocument, out = [];
  /* An element sticking out counts unless a box that clips or scrolls it (a table's own
     scrolling region, a visually hidden header) keeps it within the page. */
  function contained(e) {
    for (var a = e.parentElement; a && a !== d.body; a = a.parentElement) {
      var cs = w.getComputedStyle(a);
      if (cs.overflowX !== "visible" && a.getBoundingClientRect().right <= w.innerWidth + 1) { return true; }
    }
    return false;
  }
  d.querySelectorAll("body *").forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > w.innerWidth + 1 && !contained(e)) { out.push(e.tagName + " " + e.className + " " + Math.round(r.right)); }
  });
  /* A word of a table cell laid out on more than one line was broken inside itself (a line
     may end after a hyphen, dash or slash: those parts count as words; code may break). */
  var broken = [];
  d.querySelectorAll("td, th").forEach(function (cell) {
    var walk = d.createTreeWalker(cell, NodeFilter.SHOW_TEXT), t;
    while ((t = walk.nextNode())) {
      if (t.parentElement.closest("code")) { continue; }
      var re = /[^\s\/\u2010-\u2014-]+/g, m;
      while ((m = re.exec(t.data))) {
        var r = d.createRange();
        r.setStart(t, m.index);
        r.setEnd(t, m.index + m[0].length);
        var tops = {};
        Array.prototype.forEach.call(r.getClientRects(), function (b) { if (b.width > 0) { tops[Math.round(b.top)] = 1; } });
        if (Object.keys(tops).length > 1) { broken.push(m[0]); }
      }
    }
  });
  document.body.setAttribute("data-probe", JSON.stringify({ width: w.innerWidth, scroll: d.documentElement.scrollWidth, out: out, broken: broken }));
};
f.src = location.hash.slice(1);
</script></body></html>"#,
    )
    .unwrap();
    let url = format!("{}#{page}", url::Url::from_file_path(&probe).unwrap());
    let dom = chromium_dom(
        &url,
        profile,
        &[
            "--allow-file-access-from-files",
            "--virtual-time-budget=5000",
        ],
    )?;
    let doc = scraper::Html::parse_document(&dom);
    let body = scraper::Selector::parse("body").unwrap();
    let probe = doc
        .select(&body)
        .next()
        .and_then(|b| b.value().attr("data-probe"))
        .unwrap_or_else(|| panic!("the probe ran on {page}: {dom}"));
    Some(serde_json::from_str(probe).unwrap())
}

#[test]
fn every_report_page_reflows_at_320_css_pixels() {
    let f = rendered();
    let profile = tempfile::tempdir().unwrap();
    for page in [
        "index.html",
        "councils/xss.html",
        "councils/alpha.html",
        "divide.html",
        "compare.html",
        "data/index.html",
        "tasks/find-councillor.html",
    ] {
        let Some(m) = at_320px(&f.out, page, profile.path()) else {
            return;
        };
        assert_eq!(m["width"], 320, "{page}: the frame is 320 px wide");
        assert!(
            m["scroll"].as_u64().unwrap() <= 320 && m["out"].as_array().unwrap().is_empty(),
            "{page} scrolls sideways at 320 px: {m}"
        );
        // A phone reader sees "46.0" and "Score", not "46./0" and "Sc/or/e": a table too wide
        // for the screen scrolls in its own box rather than breaking its words.
        let broken: Vec<&str> = m["broken"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|w| w.as_str())
            // Long addresses in links may still break (those in <code> are not measured).
            .filter(|w| w.chars().count() <= 20)
            .collect();
        assert!(
            broken.is_empty(),
            "{page}: table words broken across lines at 320 px: {broken:?}"
        );
    }
}

/// The league table's rows as (slug, hidden) in DOM order.
fn league_rows(dom: &str) -> Vec<(String, bool)> {
    let doc = scraper::Html::parse_document(dom);
    let sel = scraper::Selector::parse("#league tbody tr").unwrap();
    doc.select(&sel)
        .map(|tr| {
            (
                tr.value().attr("data-slug").unwrap_or_default().to_string(),
                tr.value().attr("hidden").is_some(),
            )
        })
        .collect()
}

#[test]
fn league_table_sorts_and_filters_in_a_browser() {
    let f = rendered();
    let profile = tempfile::tempdir().unwrap();
    let base = url::Url::from_file_path(f.out.join("index.html")).unwrap();

    let Some(dom) = dump_dom(&format!("{base}?sort=name&dir=asc&type=SD"), profile.path()) else {
        return;
    };
    let rows = league_rows(&dom);
    let visible: Vec<&str> = rows.iter().filter(|r| !r.1).map(|r| r.0.as_str()).collect();
    // Sorted by name, case-insensitively: "<script>…" sorts before letters.
    assert_eq!(visible, ["xss", "alpha", "bravo"], "{dom}");
    assert_eq!(rows.len(), 10);
    assert!(dom.contains("Showing 3 of 10 councils."));
    assert!(dom.contains("aria-sort=\"ascending\""));
    assert!(!dom.contains("<form id=\"filters\" class=\"filters\" hidden"));

    let dom = dump_dom(
        &format!("{base}#sort=overall&dir=asc&nation=England"),
        profile.path(),
    )
    .unwrap();
    let rows = league_rows(&dom);
    let visible: Vec<&str> = rows.iter().filter(|r| !r.1).map(|r| r.0.as_str()).collect();
    // Worst first among English councils: xss (1 star), bravo (2), then the 3-star councils by
    // score: echo 73.5, alpha 76.5, golf 80.25, hotel 92.95, then delta 97, foxtrot 100.
    assert_eq!(
        visible,
        [
            "xss", "bravo", "echo", "alpha", "golf", "hotel", "delta", "foxtrot"
        ]
    );
    assert!(
        rows.iter()
            .filter(|r| r.1)
            .all(|r| r.0 == "india" || r.0 == "juliet")
    );
}

#[test]
fn single_council_report_sits_beside_the_national_averages() {
    let (f, rules, national, newtown) =
        newtown_beside_the_nation("Newtown <i>District</i> Council");
    let out = f.out.with_file_name("single");
    let findings = vec![("https://newtown.gov.uk/".to_string(), image_alt())];
    let titles = [(
        "https://newtown.gov.uk/".to_string(),
        MARKUP_TITLE.to_string(),
    )]
    .into_iter()
    .collect();
    let index = report::render_single(
        &single(&newtown, &findings, &titles),
        &rules,
        &national,
        &out,
    )
    .unwrap();
    let html = read(&index);
    // Newtown scores 1.0, level with Foxtrot: rank 1 of 11. Its task stars (4) join the SD
    // average: (3 + 2 + 1 + 4) / 4 = 2.50; all councils: (29 + 4) / 11 = 3.00.
    assert!(
        html.contains("1 of 11 nationally; 1 of 4 shire district councils"),
        "{html}"
    );
    let row = slice(&html, "<tr data-task=\"find-councillor\">", "</tr>");
    assert!(row.contains(">2.50<") && row.contains(">3.00<"), "{row}");
    assert!(html.contains("Newtown &lt;i&gt;District&lt;&#x2f;i&gt; Council"));
    assert!(
        !html.contains("League table</a>"),
        "a single report links to no other pages"
    );

    let summary = report::terminal_summary(&newtown, &rules, &national);
    assert!(
        summary.contains("overall     ★★★★ 100.0/100  (rank 1 of 11"),
        "{summary}"
    );
    assert!(summary.contains("accessibility pass: yes"));
    // A cap is said where the stars are: 9 of 10 yes would be 4 stars, but the essential
    // question (the postcode lookup) was answered No.
    let mut capped = newtown.clone();
    for a in &mut capped.tasks[0].answers {
        if a.question == "postcode-lookup" {
            a.answer = Answer::No;
        }
    }
    let summary = report::terminal_summary(&capped, &rules, &national);
    assert!(
        summary.contains("yes 9 no 1")
            && summary.contains("capped at 1 star: the essential question was answered No"),
        "{summary}"
    );
    // With no survey in the database, no averages are claimed.
    let alone = report::terminal_summary(&newtown, &rules, &[]);
    assert!(
        !alone.contains("rank") && !alone.contains("mean"),
        "{alone}"
    );
}

#[test]
fn best_practice_findings_have_their_own_section() {
    let (f, rules, national, newtown) = newtown_beside_the_nation("Newtown District Council");
    let heading_order = Finding {
        rule: "heading-order".into(),
        outcome: Outcome::Failed,
        wcag: vec![],
        act: vec![],
        impact: Impact::Moderate,
        selector: "main > h4".into(),
        snippet: "<h4>".into(),
        message: "Heading level 4 follows level 2".into(),
        rendered: false,
    };
    let url = "https://newtown.gov.uk/".to_string();
    let findings = vec![(url.clone(), image_alt()), (url.clone(), heading_order)];
    let titles = [(url, "Home".to_string())].into_iter().collect();
    let out = f.out.with_file_name("single-bp");
    let index = report::render_single(
        &single(&newtown, &findings, &titles),
        &rules,
        &national,
        &out,
    )
    .unwrap();
    let html = read(&index);
    let wcag = slice(
        &html,
        "<h2>Accessibility findings</h2>",
        "<h2>Best practice</h2>",
    );
    assert!(wcag.contains("image-alt: failed"), "{wcag}");
    assert!(!wcag.contains("heading-order"), "{wcag}");
    let bp = slice(
        &html,
        "<h2>Best practice</h2>",
        "<h2>Services not found</h2>",
    );
    assert!(bp.contains("heading-order (1 found)"), "{bp}");
    assert!(bp.contains("Do not skip heading levels"), "{bp}");
}

#[test]
fn a_council_page_says_which_findings_were_seen_in_the_browser_and_which_pages_were_rendered() {
    let (f, rules, national, newtown) = newtown_beside_the_nation("Newtown District Council");
    let seen_rendered = Finding {
        selector: "#menu img".into(),
        rendered: true,
        ..image_alt()
    };
    let url = "https://newtown.gov.uk/".to_string();
    let findings = vec![(url.clone(), image_alt()), (url.clone(), seen_rendered)];
    let titles = [(url, "Home".to_string())].into_iter().collect();
    let settings = serde_json::json!({"render": "key"});
    let council = report::SingleCouncil {
        run_settings: Some(&settings),
        ..single(&newtown, &findings, &titles)
    };
    let out = f.out.with_file_name("single-rendered");
    let html = read(&report::render_single(&council, &rules, &national, &out).unwrap());
    let wcag = slice(
        &html,
        "<h2>Accessibility findings</h2>",
        "<h2>Services not found</h2>",
    );
    assert!(wcag.contains("image-alt: failed"), "{wcag}");
    assert!(
        wcag.contains("1 of 2 in the page as a browser rendered it"),
        "{wcag}"
    );
    // Only the rendered place carries the mark, beside its own selector.
    assert_eq!(wcag.matches("(seen in the browser)").count(), 1, "{wcag}");
    assert!(
        wcag.contains("<code>#menu img</code> <span class=\"note\">(seen in the browser)</span>"),
        "{wcag}"
    );
    assert!(
        html.contains("Key pages (the home page, task pages and pages with a form) were also rendered in headless Chromium"),
        "{html}"
    );

    // A run that rendered nothing says so, and no place is marked.
    let settings = serde_json::json!({"render": "off"});
    let statics = vec![findings[0].clone()];
    let council = report::SingleCouncil {
        run_settings: Some(&settings),
        ..single(&newtown, &statics, &titles)
    };
    let out = f.out.with_file_name("single-static");
    let html = read(&report::render_single(&council, &rules, &national, &out).unwrap());
    assert!(!html.contains("seen in the browser)"), "{html}");
    assert!(!html.contains("How it was seen"), "{html}");
    assert!(html.contains("none was rendered in a browser"), "{html}");
}

#[test]
fn a_council_not_assessed_yet_keeps_its_fetches_in_site_order_and_has_no_page() {
    // An unfinished run: the report is written council by council in site order, and a council
    // without an assessment between two assessed ones adds only its fetches.
    let dir = tempfile::tempdir().unwrap();
    let (db, out) = (dir.path().join("survey.db"), dir.path().join("report"));
    let mut store = Store::open(&db).unwrap();
    let rules = ruleset::builtin();
    let (first, last) = (assessment(&SPECS[0]), assessment(&SPECS[1]));
    let waiting = site(
        "waiting",
        "Waiting District Council",
        CouncilType::SD,
        "England",
        "South East",
    );
    let sites = vec![first.site.clone(), waiting.clone(), last.site.clone()];
    let run = store
        .begin_run(&rules, &serde_json::json!({"fixture": true}), &sites)
        .unwrap();
    // Stored out of site order, as a survey of councils at once stores them.
    for (slug, url) in [
        (last.site.slug.as_str(), "https://last.example/a"),
        ("waiting", "https://waiting.gov.uk/"),
        (first.site.slug.as_str(), "https://first.example/a"),
        ("waiting", "https://waiting.gov.uk/bins"),
    ] {
        store.record_page(run, slug, &page(url), None, &[]).unwrap();
    }
    store.record_assessment(run, &last).unwrap();
    store.record_assessment(run, &first).unwrap();
    let summary = report::render(&store, run, &rules, &out).unwrap();
    assert_eq!((summary.councils, summary.scored), (3, 2));

    let pages: Vec<(String, String)> = csv_rows(&out.join("data").join("pages.csv"))
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    let want = vec![
        (
            first.site.slug.clone(),
            "https://first.example/a".to_string(),
        ),
        ("waiting".into(), "https://waiting.gov.uk/".into()),
        ("waiting".into(), "https://waiting.gov.uk/bins".into()),
        (last.site.slug.clone(), "https://last.example/a".to_string()),
    ];
    assert_eq!(pages, want);
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&read(&out.join("data").join("pages.json"))).unwrap();
    let from_json: Vec<(String, String)> = json
        .iter()
        .map(|p| {
            (
                p["site_slug"].as_str().unwrap().to_string(),
                p["url"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(from_json, want);
    let councils: Vec<String> = csv_rows(&out.join("data").join("sites.csv"))
        .iter()
        .map(|r| r[0].to_string())
        .collect();
    assert_eq!(
        councils,
        vec![first.site.slug.clone(), last.site.slug.clone()]
    );
    assert!(!out.join("councils").join("waiting.html").exists());
    assert!(
        out.join("councils")
            .join(format!("{}.html", first.site.slug))
            .exists()
    );
    let index = read(&out.join("index.html"));
    let not_scored = slice(&index, "<h2>Not scored</h2>", "</ul>");
    assert!(
        not_scored.contains("Waiting District Council (SD): Not surveyed in this run."),
        "{not_scored}"
    );
}
