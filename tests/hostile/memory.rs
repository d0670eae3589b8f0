//! Hostile input cannot buy memory: the real `civicscan` binary surveys a calm council beside a
//! hostile one (a 50 MB page, a compression bomb, a drip-fed page, an endless calendar, fresh
//! session ids on every link) and its peak resident memory, read from `/proc/<pid>/status`
//! (VmHWM) while it runs, stays under a bound. Measured, not timed.

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use super::raw::{self, RawWeb};
use super::support::TestWeb;

/// The survey process's peak resident memory may not pass this.
const PEAK_RSS_BOUND_KB: u64 = 200 * 1024;

fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn calendar_page(path: &str) -> Vec<u8> {
    // /events/YYYY/MM links to the next and previous month and year, for ever.
    let parts: Vec<i64> = path
        .trim_start_matches("/events/")
        .split('/')
        .filter_map(|p| p.parse().ok())
        .collect();
    let (y, m) = (
        parts.first().copied().unwrap_or(2026),
        parts.get(1).copied().unwrap_or(1),
    );
    let link = |y: i64, m: i64| {
        let (y, m) = (y + (m - 1).div_euclid(12), (m - 1).rem_euclid(12) + 1);
        format!("<a href=\"/events/{y}/{m:02}\">{y}-{m:02}</a> ")
    };
    format!(
        "<!doctype html><html lang=en><head><title>Events {y}-{m}</title></head><body><main><h1>What's on</h1>{}{}{}{}<a href=\"/s;jsessionid={y}{m}\">Council tax</a></main></body></html>",
        link(y, m + 1),
        link(y, m - 1),
        link(y + 1, m),
        link(y - 1, m)
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_council_beside_a_calm_one_cannot_buy_the_survey_memory() {
    const FIFTY_MB: u64 = 50 * 1024 * 1024;
    let bomb =
        super::gzip(&[b"<!doctype html><p>".to_vec(), vec![b'a'; 64 * 1024 * 1024]].concat());
    let hostile = RawWeb::new()
        .route(
            "/",
            raw::fixed(
                200,
                "text/html",
                super::html_page(&[
                    "/huge",
                    "/bomb",
                    "/drip",
                    "/events/2026/01",
                    "/s;jsessionid=A1",
                ]),
            ),
        )
        .route(
            "/huge",
            raw::stream(
                "text/html; charset=utf-8",
                b"<div><p>council tax <b>bands</b></p></div>".repeat(1024),
                Some(FIFTY_MB),
                Arc::new(AtomicU64::new(0)),
            ),
        )
        .route(
            "/bomb",
            raw::with_headers(
                200,
                vec![
                    ("content-type", "text/html".to_string()),
                    ("content-encoding", "gzip".to_string()),
                ],
                bomb,
            ),
        )
        .route(
            "/drip",
            raw::drip(
                "text/html",
                super::html_page(&[]),
                Duration::from_millis(200),
            ),
        )
        .pages("/events/", Arc::new(calendar_page))
        .pages(
            "/s;",
            Arc::new(|p: &str| super::html_page(&[&format!("{p}x")])),
        )
        .serve()
        .await;
    let mut calm = TestWeb::new().page(
        "/",
        &[
            ("/bins", "Bins"),
            ("/council-tax", "Council tax"),
            ("/planning", "Planning"),
        ],
    );
    for p in ["/bins", "/council-tax", "/planning"] {
        calm = calm.page(p, &[("/", "Home")]);
    }
    let calm = calm.serve().await;

    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("sites.csv");
    std::fs::write(
        &sites,
        format!(
            "slug,name,type,homepage_url\nhostile,Hostile Council,SD,{}\ncalm,Calm Council,SD,{}\n",
            hostile.url("/"),
            calm.url("/")
        ),
    )
    .unwrap();
    let rules = ruleset_file(dir.path());
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_civicscan"))
        .args(["survey", "--allow-private", "--rate", "20", "--quiet"])
        .arg("--sites")
        .arg(&sites)
        .arg("--ruleset")
        .arg(&rules)
        .arg("--db")
        .arg(dir.path().join("s.db"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the survey starts");
    let pid = child.id().expect("running");
    let mut peak = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(180);
    while child.try_wait().unwrap().is_none() {
        if let Some(kb) = vm_hwm_kb(pid) {
            peak = peak.max(kb);
        }
        assert!(tokio::time::Instant::now() < deadline, "the survey ends");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let out = child.wait_with_output().await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("2 of 2 councils surveyed"), "{stdout}");
    eprintln!("survey peak RSS {} MB", peak / 1024);
    assert!(
        peak > 0 && peak <= PEAK_RSS_BOUND_KB,
        "peak RSS {peak} kB is over {PEAK_RSS_BOUND_KB} kB"
    );
}

/// The built-in ruleset with short timeouts and no retries, so the drip and the bomb cost
/// seconds, not minutes; the byte caps are the shipped ones.
fn ruleset_file(dir: &Path) -> std::path::PathBuf {
    let text = civicscan::ruleset::BUILTIN_TEXT
        .replace("request_timeout_secs = 20", "request_timeout_secs = 3")
        .replace("retries = 2 ", "retries = 0 ");
    let path = dir.join("fast.toml");
    std::fs::write(&path, text).unwrap();
    path
}
