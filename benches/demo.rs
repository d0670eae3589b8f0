//! End to end: `civicscan demo` wall time, and the share of it spent crawling, auditing, storing
//! and reporting.
//!
//! Runs the real `civicscan demo --out <tmp>` as a child process and reads the timing line it
//! prints (`time: serving … s, survey … s, report … s`). The survey stage crawls, audits and
//! stores at once (pages are audited and stored on blocking threads while other requests are in
//! flight), so its split is measured by replaying its work: every HTML page the survey stored is
//! taken from the same generated demo web and parsed, audited and classified again (audit), then
//! recorded into a fresh database (store), one page at a time on this thread. Crawling is the
//! rest of the survey's wall time: waiting on the per-host rate limit, HTTP, the in-process demo
//! server, site searches and the scores.
//!
//! Run with `cargo bench --bench demo`. `CIVICSCAN_BENCH_COUNCILS` sets the councils (default 24,
//! the demo's own default).

use std::process::Command;
use std::time::Instant;

use civicscan::audit::a11y::{SiteCss, audit_page};
use civicscan::audit::tasks::classify;
use civicscan::crawl::PageKind;
use civicscan::page::ParsedPage;
use civicscan::ruleset;
use civicscan::store::Store;

const BIN: &str = env!("CARGO_BIN_EXE_civicscan");

/// The seconds after `label` in the demo's timing line.
fn secs(line: &str, label: &str) -> Option<f64> {
    let rest = &line[line.find(label)? + label.len()..];
    rest.split_whitespace().next()?.parse().ok()
}

fn ticks_of_children() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let f: Vec<u64> = s[s.rfind(')')? + 2..]
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    Some(f.get(13)? + f.get(14)?)
}

fn main() {
    let councils: usize = std::env::var("CIVICSCAN_BENCH_COUNCILS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(civicscan::demo::DEFAULT_COUNCILS);
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let out = tmp.path().join("demo");

    let before = ticks_of_children().unwrap_or(0);
    let started = Instant::now();
    let output = Command::new(BIN)
        .arg("demo")
        .arg("--out")
        .arg(&out)
        .arg("--councils")
        .arg(councils.to_string())
        .output()
        .expect("run `civicscan demo`");
    let wall = started.elapsed().as_secs_f64();
    let cpu = (ticks_of_children().unwrap_or(0).saturating_sub(before)) as f64 / 100.0;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "civicscan demo failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("time:"))
        .expect("civicscan demo printed no timing line");
    let serving = secs(line, "serving").expect("serving time");
    let survey = secs(line, "survey").expect("survey time");
    let report = secs(line, "report").expect("report time");

    // Replay the survey's per-page work on the pages it stored.
    let rules = ruleset::builtin();
    let db = Store::open(&out.join("survey.db")).expect("open the demo's database");
    let run = db
        .latest_run()
        .expect("read runs")
        .expect("the demo recorded a run")
        .id;
    // The demo generates its web for today with the built-in ruleset; so does this.
    let web = civicscan::demo::generate(civicscan::demo::DEFAULT_SEED, councils, 0);
    let mut replay = Store::open(&tmp.path().join("replay.db")).expect("a replay database");
    let sites: Vec<_> = db
        .sites(run)
        .expect("read sites")
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let replay_run = replay
        .begin_run(&rules, &serde_json::json!({"bench": true}), &sites)
        .expect("begin the replay run");
    let (mut audit_s, mut store_s, mut pages, mut html_pages) = (0.0, 0.0, 0, 0);
    let css = SiteCss::empty();
    for (site, demo_site) in sites.iter().zip(&web.sites) {
        for stored in db.pages(run, &site.slug).expect("read pages") {
            pages += 1;
            let page = stored.page;
            let path = page.final_url.path().to_string();
            let full = match page.final_url.query() {
                Some(q) => format!("{path}?{q}"),
                None => path.clone(),
            };
            let body = demo_site
                .pages
                .get(&full)
                .or_else(|| demo_site.pages.get(&path))
                .filter(|_| page.kind == PageKind::Html && page.status < 400)
                .map(|r| r.body_for(site.homepage.as_str()));
            let t = Instant::now();
            let (facts, findings) = match &body {
                Some(html) => {
                    html_pages += 1;
                    let parsed = ParsedPage::parse(page.final_url.clone(), html);
                    let facts = parsed.facts();
                    let findings = audit_page(&parsed, &css, &rules.accessibility);
                    let _ = classify(&parsed.url, &facts, &rules);
                    (Some(facts), findings)
                }
                None => (None, Vec::new()),
            };
            audit_s += t.elapsed().as_secs_f64();
            let t = Instant::now();
            replay
                .record_page(replay_run, &site.slug, &page, facts.as_ref(), &findings)
                .expect("record a page");
            store_s += t.elapsed().as_secs_f64();
        }
    }
    let crawl = (survey - audit_s - store_s).max(0.0);
    let share = |x: f64| 100.0 * x / wall;
    println!(
        "civicscan demo ({councils} councils): {wall:.1} s wall, {cpu:.1} s CPU; {pages} pages stored, {html_pages} HTML"
    );
    println!(
        "  serving (generate + bind) {serving:.2} s ({:.0} %), survey {survey:.2} s ({:.0} %), report {report:.2} s ({:.0} %), start-up and exit {:.2} s",
        share(serving),
        share(survey),
        share(report),
        (wall - serving - survey - report).max(0.0)
    );
    println!(
        "  of the survey, replayed one page at a time: audit (parse, rules, facts, classify) {audit_s:.2} s ({:.0} % of wall), \
         store {store_s:.2} s ({:.0} %), crawl and the rest {crawl:.2} s ({:.0} %)",
        share(audit_s),
        share(store_s),
        share(crawl)
    );
    println!(
        "demo shares: crawl {:.0} %, audit {:.0} %, store {:.0} %, report {:.0} %, serve {:.0} % of {wall:.1} s",
        share(crawl),
        share(audit_s),
        share(store_s),
        share(report),
        share(serving)
    );
}
