//! `civicscan report` on a national-scale database: 10,000 councils by default, against the
//! target of under a minute (issue 16).
//!
//! The database is built through the store's own API from a real survey: the real `civicscan
//! demo` surveys its synthetic councils (24 by default), and each council of the big run is a
//! copy of one of them under its own slug, name and host (`https://www.<slug>.gov.uk`), with
//! its pages (the first ones the crawl stored, with their facts), their accessibility
//! findings (the demo council's own, then more of its kinds spread over its pages, up to the
//! number asked for), and its assessment (tasks with answers and evidence, coverage, duties,
//! digital indicators). The councils of a copy of the demo keep its county–district pairs. The
//! pages go through the survey's `StoreWriter`, so building also measures the store's writes
//! (its `store:` line). The run is scored and finished as a survey leaves it, then the real
//! `civicscan report` binary writes the whole report (HTML, CSV, JSON) from it; its wall time,
//! CPU time and peak memory (VmHWM, polled) are printed with the target, met or missed.
//!
//! Run with `cargo bench --bench report`. Sizes come from the environment:
//!
//! | variable                       | default | meaning                                         |
//! |--------------------------------|---------|-------------------------------------------------|
//! | `CIVICSCAN_BENCH_COUNCILS`     | 10000   | councils in the run                             |
//! | `CIVICSCAN_BENCH_PAGES`        | 25      | pages stored per council                        |
//! | `CIVICSCAN_BENCH_FINDINGS`     | 100     | accessibility findings per council              |
//! | `CIVICSCAN_BENCH_TEMPLATES`    | 24      | demo councils surveyed to copy                  |
//! | `CIVICSCAN_BENCH_DB`           | unset   | keep the database at this path; reuse it if there |
//!
//! Building 10,000 councils takes a few minutes and about 3 GB of disk in the temporary folder
//! (or at `CIVICSCAN_BENCH_DB`); the report writes some 10,000 files beside it. Only loopback
//! traffic (the demo's own web).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use civicscan::audit::SiteAssessment;
use civicscan::audit::a11y::Finding;
use civicscan::page::PageFacts;
use civicscan::report;
use civicscan::sites::Site;
use civicscan::store::{RunId, Store, StoreWriter, StoredPage, Write, WriterConfig};

const BIN: &str = env!("CARGO_BIN_EXE_civicscan");
/// The target for a 10,000-council report.
const TARGET: Duration = Duration::from_secs(60);

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// One surveyed demo council, as stored.
struct Template {
    site: Site,
    origin: String,
    pages: Vec<StoredPage>,
    findings: Vec<(String, Finding)>,
    assessment: SiteAssessment,
}

/// Surveys the demo web with the real binary and reads back each council it assessed.
fn templates(councils: usize, dir: &Path) -> (Vec<Template>, civicscan::ruleset::Ruleset) {
    let out = dir.join("demo");
    let started = Instant::now();
    let output = Command::new(BIN)
        .arg("demo")
        .arg("--out")
        .arg(&out)
        .arg("--councils")
        .arg(councils.to_string())
        .output()
        .expect("run `civicscan demo`");
    assert!(
        output.status.success(),
        "civicscan demo failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let store = Store::open(&out.join("survey.db")).expect("open the demo's database");
    let info = store
        .latest_finished_run()
        .expect("read runs")
        .expect("the demo finished its run");
    let ruleset = report::ruleset_for_run(&info, None).expect("the demo run's ruleset");
    let assessments = store.assessments(info.id).expect("read assessments");
    let templates: Vec<Template> = assessments
        .into_iter()
        .filter(|a| a.failure.is_none())
        .map(|assessment| {
            let slug = &assessment.site.slug;
            Template {
                site: assessment.site.clone(),
                origin: assessment.site.homepage.origin().ascii_serialization(),
                pages: store.pages(info.id, slug).expect("read pages"),
                findings: store.findings(info.id, slug).expect("read findings"),
                assessment,
            }
        })
        .collect();
    println!(
        "templates: {} demo councils surveyed in {:.1} s ({} pages, {} findings)",
        templates.len(),
        started.elapsed().as_secs_f64(),
        templates.iter().map(|t| t.pages.len()).sum::<usize>(),
        templates.iter().map(|t| t.findings.len()).sum::<usize>()
    );
    (templates, ruleset)
}

/// A value with the template's host swapped for the copy's, through its JSON.
fn rehost<T: serde::Serialize + serde::de::DeserializeOwned>(v: &T, from: &str, to: &str) -> T {
    let json = serde_json::to_string(v).expect("serialize");
    serde_json::from_str(&json.replace(from, to)).expect("deserialize")
}

/// The copy of template `t` in block `block` (one block per copy of the whole demo).
fn copy_slug(slug: &str, block: usize) -> String {
    format!("{slug}-{block}")
}

/// The councils of the big run: copies of the templates, block by block.
fn sites(templates: &[Template], councils: usize) -> Vec<Site> {
    (0..councils)
        .map(|i| {
            let (t, block) = (&templates[i % templates.len()], i / templates.len());
            let slug = copy_slug(&t.site.slug, block);
            let mut site = t.site.clone();
            site.homepage =
                url::Url::parse(&format!("https://www.{slug}.gov.uk/")).expect("a homepage URL");
            site.name = format!("{} {}", t.site.name, block + 1);
            site.parent_slug = t.site.parent_slug.as_ref().map(|p| copy_slug(p, block));
            site.shared_with = t.site.shared_with.as_ref().map(|p| copy_slug(p, block));
            site.gss = None;
            site.slug = slug;
            site
        })
        .collect()
}

/// The writes of one council: its pages (with findings up to `findings` in all) and its
/// assessment.
fn council_writes(t: &Template, site: &Site, pages: usize, findings: usize) -> Vec<Write> {
    let to = site.homepage.origin().ascii_serialization();
    let kept: Vec<&StoredPage> = t.pages.iter().take(pages).collect();
    let urls: Vec<String> = kept.iter().map(|p| p.page.url.to_string()).collect();
    // The page's own findings first, then the council's other findings spread over its pages.
    let mut per_page: Vec<Vec<Finding>> = urls
        .iter()
        .map(|u| {
            t.findings
                .iter()
                .filter(|(p, _)| p == u)
                .map(|(_, f)| f.clone())
                .collect()
        })
        .collect();
    let mut total: usize = per_page.iter().map(Vec::len).sum();
    let mut k = 0;
    while total < findings && !t.findings.is_empty() && !per_page.is_empty() {
        let mut f = t.findings[k % t.findings.len()].1.clone();
        f.selector = format!("{} >:nth-child({})", f.selector, k + 1);
        let n = per_page.len();
        per_page[k % n].push(f);
        total += 1;
        k += 1;
    }
    let mut writes = vec![Write::StartSite {
        slug: site.slug.clone(),
    }];
    for (stored, found) in kept.iter().zip(per_page) {
        let page = rehost(&stored.page, &t.origin, &to);
        let facts: Option<PageFacts> = stored.facts.as_ref().map(|f| rehost(f, &t.origin, &to));
        writes.push(Write::page(&site.slug, &page, facts.as_ref(), found));
    }
    let mut assessment = rehost(&t.assessment, &t.origin, &to);
    assessment.site = site.clone();
    assessment.pages_fetched = kept.len() as u32;
    writes.push(Write::Assessment(Box::new(assessment)));
    writes
}

/// Builds the big run; returns its id.
fn build(db: &Path, councils: usize, pages: usize, findings: usize, templates_n: usize) -> RunId {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let (templates, ruleset) = templates(templates_n, tmp.path());
    assert!(!templates.is_empty(), "the demo surveyed no council");
    let sites = sites(&templates, councils);
    let started = Instant::now();
    let mut store = Store::open(db).expect("create the bench database");
    let run = store
        .begin_run(
            &ruleset,
            &serde_json::json!({"bench": "report", "councils": councils}),
            &sites,
        )
        .expect("begin the run");
    let store = Arc::new(Mutex::new(store));
    let writer = StoreWriter::start(&store, run, WriterConfig::default()).expect("the writer");
    for (i, site) in sites.iter().enumerate() {
        let t = &templates[i % templates.len()];
        for w in council_writes(t, site, pages, findings) {
            writer.write(w).expect("queue a write");
        }
    }
    let stats = writer.close();
    let written = started.elapsed();
    let mut store = store.lock().unwrap_or_else(|e| e.into_inner());
    civicscan::score::score_and_record(&mut store, run, &ruleset).expect("score the run");
    store.finish_run(run).expect("finish the run");
    println!(
        "built: {councils} councils in {:.1} s ({:.0} pages a second through the writer), scored in {:.1} s",
        written.as_secs_f64(),
        stats.pages as f64 / written.as_secs_f64(),
        (started.elapsed() - written).as_secs_f64()
    );
    println!("  {stats}");
    run
}

/// A `/proc/<pid>/status` line's value in kB.
fn status_kb(pid: u32, key: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines().find_map(|l| {
        l.strip_prefix(key)?
            .trim()
            .strip_suffix("kB")?
            .trim()
            .parse()
            .ok()
    })
}

fn ticks_of_children() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let f: Vec<u64> = s[s.rfind(')')? + 2..]
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    Some(f.get(13)? + f.get(14)?)
}

fn dir_size(dir: &Path) -> (u64, usize) {
    let mut total = (0, 0);
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                let (b, n) = dir_size(&path);
                total = (total.0 + b, total.1 + n);
            } else if let Ok(m) = e.metadata() {
                total = (total.0 + m.len(), total.1 + 1);
            }
        }
    }
    total
}

fn main() {
    let councils: usize = env_or("CIVICSCAN_BENCH_COUNCILS", 10_000);
    let pages: usize = env_or("CIVICSCAN_BENCH_PAGES", 25);
    let findings: usize = env_or("CIVICSCAN_BENCH_FINDINGS", 100);
    let templates_n: usize = env_or(
        "CIVICSCAN_BENCH_TEMPLATES",
        civicscan::demo::DEFAULT_COUNCILS,
    );
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let db: PathBuf = std::env::var_os("CIVICSCAN_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("national.db"));
    if db.exists() {
        println!("reusing {}", db.display());
    } else {
        build(&db, councils, pages, findings, templates_n);
    }
    let store = Store::open(&db).expect("open the bench database");
    let run = store
        .latest_finished_run()
        .expect("read runs")
        .expect("a finished run");
    let counts = store.run_counts(run.id).expect("count the run");
    drop(store);
    let db_bytes: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", db.display())).ok())
        .map(|m| m.len())
        .sum();
    let conn = rusqlite::Connection::open(&db).expect("open the database to count findings");
    let findings_n: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM findings WHERE run_id = ?1",
            [run.id],
            |r| r.get(0),
        )
        .expect("count findings");
    drop(conn);
    println!(
        "database: {} councils, {} pages, {findings_n} findings; {:.2} GB",
        counts.sites,
        counts.pages,
        db_bytes as f64 / 1e9
    );

    let out = tmp.path().join("report");
    let before = ticks_of_children().unwrap_or(0);
    let started = Instant::now();
    let mut child = Command::new(BIN)
        .arg("report")
        .arg("--db")
        .arg(&db)
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start civicscan report");
    let pid = child.id();
    let mut peak_kb = 0;
    let status = loop {
        if let Some(kb) = status_kb(pid, "VmHWM:") {
            peak_kb = peak_kb.max(kb);
        }
        match child.try_wait().expect("poll civicscan report") {
            Some(status) => break status,
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let took = started.elapsed();
    let cpu = ticks_of_children().unwrap_or(0).saturating_sub(before) as f64 / 100.0;
    let output = child.wait_with_output().expect("read the report's output");
    assert!(
        status.success(),
        "civicscan report failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (bytes, files) = dir_size(&out);
    println!(
        "report: {:.1} s wall, {cpu:.1} s CPU, peak RSS {:.0} MB; {files} files, {:.0} MB written",
        took.as_secs_f64(),
        peak_kb as f64 / 1024.0,
        bytes as f64 / 1e6
    );
    println!(
        "report at {} councils: {:.1} s against the target of < {} s: {}",
        counts.sites,
        took.as_secs_f64(),
        TARGET.as_secs(),
        if took < TARGET { "met" } else { "missed" }
    );
}
