//! Audit throughput: parse + every accessibility rule + facts + task/service classification, the
//! per-page work of a survey, on one core.
//!
//! Two measurements:
//! - a fixed corpus: every HTML page of the demo web (seed 2026, 24 councils, dated 2026-12-01),
//!   audited in a loop; pages per second per core, from this thread's CPU time
//!   (`/proc/thread-self/schedstat`), so other work on the machine does not count against it;
//! - synthetic pages of growing size (50 KB to 2 MB, up to ~20 000 elements): time per KB and per
//!   element at each size, which stays flat when time grows linearly with page size.
//!
//! Run with `cargo bench --bench audit`. `CIVICSCAN_BENCH_SECS` sets the corpus loop's CPU time
//! (default 5 s). Prints figures only; nothing here is a pass/fail test.

use std::time::{Duration, Instant};

use civicscan::audit::a11y::{RULES, SiteCss, audit_page_with};
use civicscan::audit::tasks::classify;
use civicscan::page::ParsedPage;
use civicscan::ruleset::{self, Ruleset};
use url::Url;

/// CPU time this thread has used, from the scheduler (nanosecond resolution).
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// Both clocks around some work.
struct Timer {
    wall: Instant,
    cpu: Duration,
}

impl Timer {
    fn start() -> Timer {
        Timer {
            wall: Instant::now(),
            cpu: thread_cpu(),
        }
    }

    /// (wall, CPU) so far.
    fn read(&self) -> (Duration, Duration) {
        (self.wall.elapsed(), thread_cpu().saturating_sub(self.cpu))
    }
}

/// One page's full audit, as the survey's page handler and `civicscan audit` run it. Returns the
/// number of findings and classifications so the optimiser cannot drop the work.
fn audit_one(url: &Url, html: &str, css: &SiteCss, rules: &Ruleset, aaa: bool) -> usize {
    let page = ParsedPage::parse(url.clone(), html);
    let facts = page.facts();
    let findings = audit_page_with(&page, css, &rules.accessibility, aaa);
    let c = classify(&page.url, &facts, rules);
    findings.len() + c.tasks.len() + c.services.len() + facts.links.len()
}

fn corpus(rules: &Ruleset) -> Vec<(Url, String)> {
    let today = jiff::civil::date(2026, 12, 1);
    let web = civicscan::demo::generate_with(rules, civicscan::demo::DEFAULT_SEED, 24, 0, today);
    let mut out = Vec::new();
    for (i, site) in web.sites.iter().enumerate() {
        let base = format!("http://council{i}.example");
        for (path, resp) in &site.pages {
            if resp.status != 200 || !resp.content_type.starts_with("text/html") {
                continue;
            }
            let Ok(url) = Url::parse(&format!("{base}{path}")) else {
                continue;
            };
            out.push((url, resp.body_for(&base)));
        }
    }
    out
}

/// A paragraph of minutes, so the page has about as much text per element as a real one
/// (roughly 10 elements per KB, like the 2 MB, 20 000-element page of issue 8).
const MINUTES: &str = "The chair welcomed members and officers to the meeting and noted apologies \
    from two councillors. Members considered the report of the head of planning on the proposed \
    extension to the community centre, including the comments received during the consultation \
    from residents, the parish council and the highways authority. The officer explained that the \
    design had been amended to reduce the height of the roof and to retain the existing trees on \
    the northern boundary, and that conditions were proposed on construction hours, drainage and \
    the provision of cycle parking. A resident spoke against the application on the grounds of \
    traffic and noise, and the applicant's agent spoke in support. Following a debate in which \
    members asked about parking provision, the accessibility of the entrance and the hours of \
    use, it was moved and seconded that the application be approved subject to the conditions \
    set out in the report and an additional condition requiring a travel plan to be agreed \
    before the building is first used. On being put to the vote the motion was carried. The \
    committee then noted the schedule of appeal decisions received since the last meeting and \
    the date of the next meeting, and the chair closed the meeting.";

/// A council-like page of about `target` bytes: the usual header, navigation and footer around
/// `n` content sections, each with a heading, text, links, an image, a form field and, every tenth
/// section, a table. Every id is unique, so the size, not repetition, is what grows.
fn synthetic_page(target: usize) -> String {
    let mut h = String::with_capacity(target + 4096);
    h.push_str(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Council minutes \
         archive</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <style>body{font-family:Arial,sans-serif;color:#0b0c0c;background:#fff}a{color:#1d70b8}\
         .note{color:#505a5f}h2{font-size:1.5rem}</style></head><body>\
         <a href=\"#main\" class=\"skip\">Skip to main content</a><header><a href=\"/\">\
         <img src=\"/logo.png\" alt=\"Example Council\"></a><form action=\"/search\" role=\"search\">\
         <label for=\"q\">Search</label><input id=\"q\" name=\"q\" type=\"search\"><button>Search\
         </button></form><nav aria-label=\"Main\"><ul><li><a href=\"/bins\">Bins and recycling</a>\
         </li><li><a href=\"/council-tax\">Council Tax</a></li><li><a href=\"/planning\">Planning\
         </a></li><li><a href=\"/parking\">Parking</a></li></ul></nav></header>\
         <main id=\"main\"><h1>Council minutes archive</h1>",
    );
    let mut i = 0usize;
    while h.len() < target {
        h.push_str(&format!(
            "<section aria-labelledby=\"s{i}\"><h2 id=\"s{i}\">Meeting {i} of the planning \
             committee</h2><p>The committee met to consider applications for the ward, including \
             <a href=\"/planning/applications/{i}\">application {i}</a> and the officers' report. \
             <span class=\"note\">Published {d} March 2026.</span></p><ul><li><a href=\"/minutes/{i}.pdf\">\
             Minutes (PDF, 120 KB)</a></li><li><a href=\"/agenda/{i}\">Agenda</a></li><li><a \
             href=\"/webcast/{i}\">Webcast</a></li></ul><img src=\"/img/{i}.jpg\" alt=\"Councillors \
             at meeting {i}\" width=\"320\" height=\"200\"><p><label for=\"c{i}\">Comment on item \
             {i}</label> <input id=\"c{i}\" name=\"c{i}\" type=\"text\"></p><p>{MINUTES}</p>",
            d = 1 + i % 28
        ));
        if i % 10 == 0 {
            h.push_str(&format!(
                "<table><caption>Votes on item {i}</caption><thead><tr><th scope=\"col\">Member\
                 </th><th scope=\"col\">Vote</th></tr></thead><tbody><tr><td>Cllr A</td><td>For</td>\
                 </tr><tr><td>Cllr B</td><td>Against</td></tr></tbody></table>"
            ));
        }
        h.push_str("</section>");
        i += 1;
    }
    h.push_str(
        "</main><footer><ul><li><a href=\"/accessibility\">Accessibility statement</a></li><li>\
         <a href=\"/privacy\">Privacy</a></li><li><a href=\"/contact\">Contact us</a></li></ul>\
         </footer></body></html>",
    );
    h
}

/// Start tags in some HTML (a close enough count of elements for scaling).
fn elements(html: &str) -> usize {
    let b = html.as_bytes();
    b.windows(2)
        .filter(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic()))
        .count()
}

/// CPU seconds of one call of `f` (the best of three).
fn best_of_3(mut f: impl FnMut() -> usize, sink: &mut usize) -> f64 {
    (0..3)
        .map(|_| {
            let t = Timer::start();
            *sink += f();
            t.read().1.as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Where the time of one 512 KB page goes: parse, facts, the audit's shared context (every rule
/// disabled), classification, and each rule alone (its time above the context's). Opt-in with
/// `CIVICSCAN_BENCH_PROFILE=1`, since it audits the page a few hundred times.
fn profile(url: &Url, css: &SiteCss, rules: &Ruleset) -> usize {
    let mut sink = 0;
    let html = synthetic_page(512 * 1024);
    let parse = best_of_3(
        || {
            ParsedPage::parse(url.clone(), &html)
                .html
                .tree
                .nodes()
                .count()
        },
        &mut sink,
    );
    let page = ParsedPage::parse(url.clone(), &html);
    let facts_s = best_of_3(|| page.facts().links.len(), &mut sink);
    let facts = page.facts();
    let classify_s = best_of_3(|| classify(&page.url, &facts, rules).tasks.len(), &mut sink);
    let all: Vec<String> = RULES.iter().map(|r| r.info.id.to_string()).collect();
    let mut none = rules.accessibility.clone();
    none.disabled_rules = all.clone();
    let ctx = best_of_3(
        || audit_page_with(&page, css, &none, false).len(),
        &mut sink,
    );
    println!(
        "profile, 512 KB page: parse {:.1} ms, facts {:.1} ms, classify {:.1} ms, audit context {:.1} ms",
        parse * 1e3,
        facts_s * 1e3,
        classify_s * 1e3,
        ctx * 1e3
    );
    let mut per_rule: Vec<(f64, &str)> = RULES
        .iter()
        .map(|r| {
            let mut only = rules.accessibility.clone();
            only.disabled_rules = all.iter().filter(|id| *id != r.info.id).cloned().collect();
            let t = best_of_3(
                || audit_page_with(&page, css, &only, false).len(),
                &mut sink,
            );
            ((t - ctx).max(0.0), r.info.id)
        })
        .collect();
    per_rule.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (t, id) in per_rule.iter().take(8) {
        println!("  rule {id:<28} {:>8.1} ms", t * 1e3);
    }
    sink
}

fn main() {
    // `cargo bench` passes `--bench`; this harness takes no arguments.
    let budget = std::env::var("CIVICSCAN_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(5.0);
    let rules = ruleset::builtin();
    let css = SiteCss::empty();

    let pages = corpus(&rules);
    let bytes: usize = pages.iter().map(|(_, h)| h.len()).sum();
    let elems: usize = pages.iter().map(|(_, h)| elements(h)).sum();
    println!(
        "corpus: {} demo pages, {:.1} KB and {} elements on average",
        pages.len(),
        bytes as f64 / pages.len().max(1) as f64 / 1024.0,
        elems / pages.len().max(1)
    );
    // Warm up (lazy statics, allocator) on one pass, untimed.
    let mut sink = 0usize;
    for (url, html) in &pages {
        sink += audit_one(url, html, &css, &rules, false);
    }

    for aaa in [false, true] {
        let t = Timer::start();
        let mut n = 0usize;
        let mut passes = 0usize;
        // Whole passes over the corpus, until the CPU budget is spent (at most 1000 passes).
        while passes < 1000 && t.read().1.as_secs_f64() < budget {
            for (url, html) in &pages {
                sink += audit_one(url, html, &css, &rules, aaa);
                n += 1;
            }
            passes += 1;
        }
        let (wall, cpu) = t.read();
        println!(
            "corpus audit ({}): {n} pages in {:.2} s CPU ({:.2} s wall): {:.0} pages/s per core, \
             {:.2} ms per page",
            if aaa {
                "A, AA and AAA rules"
            } else {
                "A and AA rules, as surveyed"
            },
            cpu.as_secs_f64(),
            wall.as_secs_f64(),
            n as f64 / cpu.as_secs_f64(),
            1000.0 * cpu.as_secs_f64() / n as f64
        );
    }

    // Size series: a typical 50 KB page (issue 4's yardstick), then 0.5, 1 and 2 MB.
    let url = Url::parse("http://council.example/minutes").expect("static URL");
    let mut per_kb = Vec::new();
    for kb in [50usize, 512, 1024, 2048] {
        let html = synthetic_page(kb * 1024);
        let el = elements(&html);
        sink += audit_one(&url, &html, &css, &rules, false);
        // Repeat so each size gets ~1 s of CPU or at least 3 runs (at most 200).
        let t = Timer::start();
        let mut runs = 0u32;
        while runs < 200 && (runs < 3 || t.read().1.as_secs_f64() < 1.0) {
            sink += audit_one(&url, &html, &css, &rules, false);
            runs += 1;
        }
        let cpu = t.read().1.as_secs_f64() / f64::from(runs);
        let kib = html.len() as f64 / 1024.0;
        per_kb.push(cpu / kib);
        println!(
            "large page {:>6.0} KB, {:>6} elements: {:>8.2} ms per page, {:>6.2} µs per KB, \
             {:>5.2} µs per element ({runs} runs)",
            kib,
            el,
            cpu * 1000.0,
            cpu * 1e6 / kib,
            cpu * 1e6 / el as f64
        );
    }
    let (first, last) = (per_kb[1], per_kb[per_kb.len() - 1]);
    println!(
        "linearity: time per KB at 2 MB ÷ at 0.5 MB = {:.2} (1.00 is linear)",
        last / first
    );
    if std::env::var_os("CIVICSCAN_BENCH_PROFILE").is_some() {
        sink += profile(&url, &css, &rules);
    }
    // Keep the work observable.
    if sink == usize::MAX {
        println!("{sink}");
    }
}
