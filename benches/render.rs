//! Rendered mode's cost: key pages of the demo web rendered in headless Chromium, the browser's
//! memory, and `civicscan survey --render key` against the static survey.
//!
//! Three measurements, on the demo web (seed 2026, `CIVICSCAN_BENCH_COUNCILS` councils, 24 by
//! default, dated 2026-12-01) served in this process on loopback:
//! - pages per second: every key page (each council's home page, task pages and separate form
//!   pages, from the web's ground truth) rendered and measured by one browser with two tabs,
//!   every request answered through a crawler as in a survey (robots.txt, a per-host rate of
//!   1 000 a second so the browser is what is timed), then audited;
//! - the browser's memory meanwhile: the resident memory of the Chromium process tree, summed
//!   over its processes from `/proc/<pid>/status` (an upper bound: they share pages) and as
//!   proportional set size from `/proc/<pid>/smaps_rollup` (shared pages split between them),
//!   sampled every 100 ms (proportional sets every second), peak;
//! - `civicscan survey --sites … --render off` and `--render key` of the same web at the demo's
//!   rate (50 a second a host), as separate processes one after the other: wall time of each,
//!   and the peak memory of the survey's browser tree.
//!
//! Run with `cargo bench --bench render` (about 5 minutes). Needs Debian's
//! `chromium-headless-shell` or `chromium` (found as the render stage finds it, or
//! `$CIVICSCAN_CHROMIUM`). Prints figures only; nothing here is a pass/fail test. The first
//! measurement also prints where a page's time goes (mean milliseconds per phase); with
//! `CIVICSCAN_BENCH_PAGES_ONLY=1` the bench stops after it (no surveys), and
//! `CIVICSCAN_BENCH_TABS` sets its tabs (by default as many as a survey uses);
//! `CIVICSCAN_BENCH_SURVEYS_ONLY=1` skips it and runs only the two surveys; `CIVICSCAN_BENCH_RATE`
//! sets their requests a second a host (50 by default; 1 is the shipped rate).
//! `CIVICSCAN_BENCH_FINDINGS=FILE` writes every finding of the rendered pages to FILE, one
//! sorted line each (page, rule, outcome, selector, message), to show that a change to the
//! render stage leaves its verdicts as they were. `CIVICSCAN_BENCH_MAX_TAB_STOPS=N` sets the
//! keyboard walk's most presses for the first measurement (0: no walk), to see what it costs.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use civicscan::audit::a11y::SiteCss;
use civicscan::demo::{ServeOptions, generate_with, serve};
use civicscan::render::{CrawlerSource, RenderOptions, Renderer, checks, find_chromium};
use civicscan::ruleset;
use futures::StreamExt;
use url::Url;

const BIN: &str = env!("CARGO_BIN_EXE_civicscan");

/// Memory of a process tree, in kB: resident (summed) and proportional.
#[derive(Debug, Clone, Copy, Default)]
struct TreeMemory {
    rss_kb: u64,
    pss_kb: u64,
    processes: usize,
    /// CPU seconds the tree's processes used (user and system, each process as last sampled).
    cpu_s: f64,
}

impl TreeMemory {
    fn max(self, other: TreeMemory) -> TreeMemory {
        TreeMemory {
            rss_kb: self.rss_kb.max(other.rss_kb),
            pss_kb: self.pss_kb.max(other.pss_kb),
            processes: self.processes.max(other.processes),
            cpu_s: self.cpu_s.max(other.cpu_s),
        }
    }
}

/// A `kB` line's value in a `/proc` file.
fn kb(path: &str, key: &str) -> Option<u64> {
    let s = std::fs::read_to_string(path).ok()?;
    let line = s.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].split_whitespace().next()?.parse().ok()
}

/// Every process's parent, from `/proc/<pid>/stat`.
fn parents() -> HashMap<u32, u32> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The command name may hold spaces and parentheses: fields restart after the last ')'.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else {
            continue;
        };
        if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
            out.insert(pid, ppid);
        }
    }
    out
}

/// A process's CPU time so far (user and system), in clock ticks, from `/proc/<pid>/stat`.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(user + system)
}

/// The memory of `root` and its descendants (`root` itself left out unless `with_root`), and
/// each one's CPU ticks so far into `ticks`.
fn tree_memory(
    root: u32,
    with_root: bool,
    with_pss: bool,
    ticks: &mut HashMap<u32, u64>,
) -> TreeMemory {
    let parents = parents();
    let mut tree: BTreeSet<u32> = BTreeSet::from([root]);
    loop {
        let before = tree.len();
        for (pid, ppid) in &parents {
            if tree.contains(ppid) {
                tree.insert(*pid);
            }
        }
        if tree.len() == before {
            break;
        }
    }
    if !with_root {
        tree.remove(&root);
    }
    let mut m = TreeMemory::default();
    for pid in tree {
        if let Some(rss) = kb(&format!("/proc/{pid}/status"), "VmRSS:") {
            m.rss_kb += rss;
            m.processes += 1;
        }
        if with_pss {
            m.pss_kb += kb(&format!("/proc/{pid}/smaps_rollup"), "Pss:").unwrap_or(0);
        }
        if let Some(t) = cpu_ticks(pid) {
            ticks.insert(pid, t);
        }
    }
    m
}

/// Samples a tree's memory every 100 ms (its proportional set every second) until stopped;
/// returns the peak, with the CPU seconds
/// its processes used (a process's last 100 ms before it ended are missed; Linux counts 100
/// ticks a second).
fn sample(
    root: impl Fn() -> Option<(u32, bool)> + Send + 'static,
) -> (Arc<AtomicBool>, std::thread::JoinHandle<TreeMemory>) {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = std::thread::spawn(move || {
        let mut peak = TreeMemory::default();
        let mut ticks: HashMap<u32, u64> = HashMap::new();
        let mut round = 0u64;
        while !flag.load(Ordering::Relaxed) {
            if let Some((pid, with_root)) = root() {
                // Proportional sets once a second: reading them walks every page table of a
                // browser of a gigabyte, which took a tenth of a core (perf) from what is timed.
                let with_pss = round % 10 == 0;
                peak = peak.max(tree_memory(pid, with_root, with_pss, &mut ticks));
            }
            round += 1;
            std::thread::sleep(Duration::from_millis(100));
        }
        peak.cpu_s = ticks.values().sum::<u64>() as f64 / 100.0;
        peak
    });
    (stop, handle)
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

/// Runs `civicscan survey` of `sites` with `--render mode`; wall seconds, the browser tree's peak
/// memory, and what the survey printed.
fn survey(dir: &Path, sites: &Path, mode: &str, rate: f64) -> (f64, TreeMemory, String) {
    let db = dir.join(format!("{mode}.db"));
    let started = Instant::now();
    let child = Command::new(BIN)
        .args(["survey", "--sites"])
        .arg(sites)
        .arg("--db")
        .arg(&db)
        .args(["--allow-private", "--rate"])
        .arg(rate.to_string())
        .args(["--quiet", "--render", mode])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start civicscan survey");
    let pid = child.id();
    let (stop, peak) = sample(move || Some((pid, false)));
    let out = child.wait_with_output().expect("civicscan survey runs");
    let wall = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let peak = peak.join().unwrap_or_default();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "civicscan survey --render {mode} failed:\n{said}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (wall, peak, said)
}

fn main() {
    let chromium = match find_chromium(None) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("render bench skipped: {e}");
            return;
        }
    };
    let councils: usize = std::env::var("CIVICSCAN_BENCH_COUNCILS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(civicscan::demo::DEFAULT_COUNCILS);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let rules = ruleset::builtin();
    let today = jiff::civil::date(2026, 12, 1);
    let web = generate_with(&rules, civicscan::demo::DEFAULT_SEED, councils, 0, today);
    let served = rt
        .block_on(serve(web, ServeOptions::default()))
        .expect("serve the demo web");

    // The key pages, from the ground truth: home, task pages, separate form pages.
    let mut pages: Vec<(Url, String)> = Vec::new();
    for s in &served.web.sites {
        let base = s.site.homepage.clone();
        let mut paths: BTreeSet<String> = BTreeSet::from(["/".to_string()]);
        for t in &s.truth.tasks {
            paths.extend(t.page.clone());
            paths.extend(t.form_page.clone());
        }
        for p in paths {
            let Some(r) = s.pages.get(&p) else { continue };
            if r.status != 200 || !r.content_type.starts_with("text/html") {
                continue;
            }
            let Ok(url) = base.join(&p) else { continue };
            pages.push((url, r.body_for(base.as_str())));
        }
    }

    let tmp = tempfile::tempdir().expect("a temporary folder");
    let sites = tmp.path().join("sites.csv");
    std::fs::write(&sites, civicscan::demo::sites_csv(&served.sites())).expect("write sites");
    if std::env::var_os("CIVICSCAN_BENCH_SURVEYS_ONLY").is_none() {
        pages_per_second(&rt, &rules, &chromium, &pages, councils);
    }
    if std::env::var_os("CIVICSCAN_BENCH_PAGES_ONLY").is_some() {
        rt.block_on(served.shutdown());
        return;
    }
    // 50 requests a second a host by default, so the comparison measures the browser's cost
    // rather than the wait for each host's turn; `CIVICSCAN_BENCH_RATE=1` runs both at the
    // shipped rate, where the crawl's waits can hide the rendering.
    let rate: f64 = std::env::var("CIVICSCAN_BENCH_RATE")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|r: &f64| *r > 0.0)
        .unwrap_or(50.0);
    let (static_wall, _, _) = survey(tmp.path(), &sites, "off", rate);
    let (key_wall, tree, said) = survey(tmp.path(), &sites, "key", rate);
    let rendered = said
        .lines()
        .find(|l| l.starts_with("rendered in the browser"))
        .unwrap_or("(no render line)");
    println!(
        "survey of {councils} councils at {rate} requests/s a host: --render off {static_wall:.1} s, --render key {key_wall:.1} s ({:.2}×)",
        key_wall / static_wall
    );
    println!("  {rendered}");
    println!(
        "  the survey's browser tree peak: {:.0} MB resident summed over {} processes, {:.0} MB proportional; browser CPU {:.1} s",
        mb(tree.rss_kb),
        tree.processes,
        mb(tree.pss_kb),
        tree.cpu_s
    );
    rt.block_on(served.shutdown());
}

/// Renders every key page with one browser and prints pages per second, where a page's time
/// goes, and the browser tree's peak memory.
fn pages_per_second(
    rt: &tokio::runtime::Runtime,
    rules: &ruleset::Ruleset,
    chromium: &Path,
    pages: &[(Url, String)],
    councils: usize,
) {
    let mut budget = rules.crawl.clone();
    budget.requests_per_second = 1000.0;
    budget.crawl_delay_cap = Duration::from_millis(0);
    let mut config = civicscan::crawl::CrawlConfig::from_budget(&budget);
    config.allow_private = true;
    let crawler = rt
        .block_on(async { civicscan::crawl::Crawler::new(config) })
        .expect("crawler");
    let source = CrawlerSource {
        crawler: Arc::new(crawler),
    };
    let mut opts = RenderOptions::new(chromium.to_path_buf());
    opts.tabs = std::env::var("CIVICSCAN_BENCH_TABS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(opts.tabs);
    if let Some(n) = std::env::var("CIVICSCAN_BENCH_MAX_TAB_STOPS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        opts.max_tab_stops = n;
    }
    let tabs = opts.tabs;
    let renderer = Arc::new(Renderer::start(opts).expect("start the browser"));
    let watched = renderer.clone();
    let (stop, peak) = sample(move || watched.browser_pid().map(|p| (p, true)));
    let started = Instant::now();
    let (ok, failed, findings) = rt.block_on(async {
        let results: Vec<_> = futures::stream::iter(pages.iter())
            .map(|(url, html)| {
                let renderer = renderer.clone();
                let source = &source;
                async move { renderer.render(url, html, source).await }
            })
            .buffer_unordered(tabs)
            .collect()
            .await;
        let mut ok = 0usize;
        let mut failed = Vec::new();
        let mut findings = 0usize;
        let mut phases = [0.0f64; 6];
        let mut dump: Vec<String> = Vec::new();
        for r in results {
            match r {
                Ok(p) => {
                    ok += 1;
                    let t = p.timings;
                    for (sum, ms) in phases.iter_mut().zip([
                        t.tab_ms,
                        t.load_ms,
                        t.settle_ms,
                        t.dom_ms,
                        t.walk_ms,
                        t.layout_ms,
                    ]) {
                        *sum += ms;
                    }
                    let (found, _) =
                        checks::audit(&p, &SiteCss::empty(), &rules.accessibility, false);
                    findings += found.len();
                    dump.extend(found.iter().map(|f| {
                        format!(
                            "{}\t{}\t{:?}\t{}\t{}",
                            p.url, f.rule, f.outcome, f.selector, f.message
                        )
                    }));
                }
                Err(e) => failed.push(e.to_string()),
            }
        }
        if let Some(path) = std::env::var_os("CIVICSCAN_BENCH_FINDINGS") {
            dump.sort();
            dump.push(String::new());
            std::fs::write(&path, dump.join("\n")).expect("write the findings");
        }
        let n = ok.max(1) as f64;
        println!(
            "mean ms a page, {tabs} tabs at once: tab {:.0}, load {:.0}, settle {:.0}, DOM {:.0}, keyboard walk {:.0}, spacing and reflow {:.0}",
            phases[0] / n,
            phases[1] / n,
            phases[2] / n,
            phases[3] / n,
            phases[4] / n,
            phases[5] / n
        );
        (ok, failed, findings)
    });
    let wall = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let browser = peak.join().unwrap_or_default();
    println!(
        "key pages rendered: {ok} of {} ({} councils) in {wall:.1} s with {tabs} tabs: {:.2} pages/s; {findings} findings; browser restarts {}",
        pages.len(),
        councils,
        ok as f64 / wall,
        renderer.restarts()
    );
    for f in failed.iter().take(5) {
        println!("  not rendered: {f}");
    }
    println!(
        "browser tree peak: {:.0} MB resident summed over {} processes, {:.0} MB proportional; browser CPU {:.1} s ({:.0} ms a page)",
        mb(browser.rss_kb),
        browser.processes,
        mb(browser.pss_kb),
        browser.cpu_s,
        browser.cpu_s * 1000.0 / ok.max(1) as f64
    );
    drop(renderer);
}
