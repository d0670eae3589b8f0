//! Runs a surveyor can trust, through the `civicscan` binary as a surveyor runs it: progress they
//! can watch when stderr is not a terminal, failures they can see (per council, in the report
//! and in the pages export), exit codes scripts can rely on, subsets of the register, `runs`,
//! `compare` refusing what cannot be compared, and inputs refused with one clear message each.

#[allow(dead_code, reason = "shared with tests/crawl.rs, which uses all of it")]
#[path = "crawl/support.rs"]
mod support;

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use support::{Reply, TestServer, TestWeb};

/// A council whose pages answer a little late (so a run lasts long enough to report progress),
/// with one broken link (404) and one page that fails on the server (500).
async fn healthy() -> TestServer {
    let slow = Duration::from_millis(60);
    let home = r#"<!doctype html><html lang="en"><head><title>Healthy Council</title></head><body>
        <main><h1>Healthy Council</h1>
        <a href="/bins">Bins and recycling</a> <a href="/council-tax">Council tax</a>
        <a href="/planning">Planning</a> <a href="/libraries">Libraries</a>
        <a href="/gone">An old page</a> <a href="/broken">A broken page</a></main></body></html>"#;
    let page = |title: &'static str| {
        move |_: support::Hit<'_>| {
            Reply::html(&format!(
                "<!doctype html><html lang=en><head><title>{title}</title></head><body><main><h1>{title}</h1><p><a href=\"/\">Home</a></p></main></body></html>"
            ))
            .delayed(Duration::from_millis(60))
        }
    };
    TestWeb::new()
        .route("/", move |_| Reply::html(home).delayed(slow))
        .route("/bins", page("Bins and recycling"))
        .route("/council-tax", page("Council tax"))
        .route("/planning", page("Planning"))
        .route("/libraries", page("Libraries"))
        .route("/broken", |_| Reply::status(500))
        .serve()
        .await
}

/// A free loopback port with nothing listening: every connection is refused.
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/")
}

/// The built-in ruleset with no retries (a 500 is not retried with backoff) and short timeouts.
fn fast_ruleset(dir: &Path) -> PathBuf {
    let text = civicscan::ruleset::BUILTIN_TEXT
        .replace("retries = 2 ", "retries = 0 ")
        .replace("request_timeout_secs = 20", "request_timeout_secs = 5");
    assert_ne!(
        text,
        civicscan::ruleset::BUILTIN_TEXT,
        "the ruleset was changed"
    );
    let path = dir.join("fast.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn register(dir: &Path, rows: &[(&str, &str, &str, &str, &str)]) -> PathBuf {
    let mut csv = String::from("slug,name,type,nation,parent_slug,homepage_url\n");
    for (slug, name, kind, parent, url) in rows {
        csv.push_str(&format!("{slug},{name},{kind},England,{parent},{url}\n"));
    }
    let path = dir.join("sites.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

/// Runs the binary off the async threads.
async fn civicscan(dir: &Path, args: Vec<String>) -> Output {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        common::civicscan(&dir, &args)
    })
    .await
    .unwrap()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_shows_progress_and_failures_and_exits_1_when_some_councils_failed() {
    let dir = tempfile::tempdir().unwrap();
    let web = healthy().await;
    let ruleset = fast_ruleset(dir.path());
    let sites = register(
        dir.path(),
        &[
            (
                "healthy",
                "Healthy Council",
                "EU",
                "",
                web.url("/").as_str(),
            ),
            ("dead", "Dead Council", "EU", "", &dead_url()),
        ],
    );
    let out = civicscan(
        dir.path(),
        args(&[
            "survey",
            "--sites",
            sites.to_str().unwrap(),
            "--ruleset",
            ruleset.to_str().unwrap(),
            "--db",
            "s.db",
            "--allow-private",
            "--rate",
            "20",
            "--progress-every",
            "1",
        ]),
    )
    .await;
    let (stdout, stderr) = (common::stdout(&out), common::stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");

    // Progress without a terminal: a line per council as each is assessed, and status lines.
    assert!(
        stderr.contains("] dead: not surveyed: home page failed:"),
        "{stderr}"
    );
    let line = stderr
        .lines()
        .find(|l| l.contains("] healthy: "))
        .unwrap_or_else(|| panic!("a line for the healthy council: {stderr}"));
    assert!(
        line.contains("7 pages, 2 failed in"),
        "home, four pages, a 404 and a 500: {line}"
    );
    assert!(
        stderr.contains("councils · ") && stderr.contains("pages (") && stderr.contains("/s)"),
        "a status line with councils, pages and rate: {stderr}"
    );
    assert!(
        stdout.contains("run 1: 1 of 2 councils surveyed, 8 pages stored (3 failed)"),
        "{stdout}"
    );
    assert!(stdout.contains("dead: home page failed"), "{stdout}");

    // `runs` lists it with what `compare` and `--resume` need.
    let runs = civicscan(dir.path(), args(&["runs", "--db", "s.db"])).await;
    let table = common::stdout(&runs);
    let row = table
        .lines()
        .find(|l| l.trim_start().starts_with('1'))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("finished") && row.contains("1/2"), "{row}");
    assert!(
        row.trim_end().ends_with(" 8  3") || row.contains("  8  "),
        "{row}"
    );

    // The report shows the failures: per council, in the pages export, and the dead council
    // as not surveyed rather than scored.
    let report = civicscan(
        dir.path(),
        args(&["report", "--db", "s.db", "--out", "report"]),
    )
    .await;
    assert!(report.status.success(), "{}", common::stderr(&report));
    let council = std::fs::read_to_string(dir.path().join("report/councils/healthy.html")).unwrap();
    assert!(
        council.contains("Pages fetched") && council.contains("HTTP 4xx"),
        "{council}"
    );
    assert!(
        council.contains("<td>HTTP 500</td>"),
        "the reason, without the URL again"
    );
    let at = council.find("Pages that failed").unwrap_or(0);
    assert!(
        council.contains("&#x2f;gone</code>") && council.contains("&#x2f;broken</code>"),
        "{}",
        &council[at..]
    );
    let pages = std::fs::read_to_string(dir.path().join("report/data/pages.csv")).unwrap();
    let row = |path: &str| {
        pages
            .lines()
            .find(|l| l.contains(&format!("{path},")))
            .unwrap_or_else(|| panic!("{path} in {pages}"))
            .to_string()
    };
    assert!(row("/gone").contains(",404,http_4xx,"), "{pages}");
    assert!(row("/broken").contains(",500,http_5xx,"), "{pages}");
    assert!(
        pages
            .lines()
            .any(|l| l.starts_with("dead,") && l.contains(",0,refused,")),
        "{pages}"
    );
    let index = std::fs::read_to_string(dir.path().join("report/index.html")).unwrap();
    assert!(
        index.contains("Not scored") && index.contains("Dead Council"),
        "{index}"
    );
    for page in [
        "index.html",
        "divide.html",
        "compare.html",
        "councils/healthy.html",
    ] {
        let html = std::fs::read_to_string(dir.path().join("report").join(page)).unwrap();
        assert!(
            html.contains("compare.html\">Year on year</a>")
                && html.contains("index.html\">League table</a>"),
            "{page} has the report's navigation"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_shows_no_progress_and_a_survey_where_nothing_could_be_surveyed_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let sites = register(
        dir.path(),
        &[("dead", "Dead Council", "SD", "", &dead_url())],
    );
    let out = civicscan(
        dir.path(),
        args(&[
            "survey",
            "--sites",
            sites.to_str().unwrap(),
            "--db",
            "s.db",
            "--allow-private",
            "--quiet",
        ]),
    )
    .await;
    let stderr = common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "error: no council could be surveyed",
        "nothing but the error when quiet"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subset_of_the_register_is_surveyed_with_its_parent_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let web = healthy().await;
    let other = healthy().await;
    let sites = register(
        dir.path(),
        &[
            ("county", "A County Council", "CC", "", &dead_url()),
            (
                "district",
                "A District Council",
                "SD",
                "county",
                web.url("/").as_str(),
            ),
            (
                "other",
                "Another District Council",
                "SD",
                "county",
                other.url("/").as_str(),
            ),
        ],
    );
    let survey = |extra: &[&str]| {
        let mut a = args(&[
            "survey",
            "--sites",
            sites.to_str().unwrap(),
            "--db",
            "s.db",
            "--allow-private",
            "--rate",
            "50",
            "--quiet",
        ]);
        a.extend(args(extra));
        a
    };
    let out = civicscan(dir.path(), survey(&["--only", "district"])).await;
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        common::stdout(&out).contains("run 1: 1 of 1 councils surveyed"),
        "{}",
        common::stdout(&out)
    );
    assert_eq!(
        other.paths().len(),
        0,
        "a council outside the subset is not visited"
    );

    // --type picks by type; a slug that is not there is named, with the nearest one.
    let out = civicscan(dir.path(), survey(&["--only", "distric"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out)
            .contains("--only distric: no council has that slug (did you mean `district`?)"),
        "{}",
        common::stderr(&out)
    );
    let out = civicscan(dir.path(), survey(&["--type", "SD"])).await;
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("run 2: 2 of 2 councils surveyed"));

    // Two runs: compare refuses the same run twice and the wrong order.
    let out = civicscan(dir.path(), args(&["compare", "1", "1", "--db", "s.db"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("compare needs two different runs"));
    let out = civicscan(dir.path(), args(&["compare", "2", "1", "--db", "s.db"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("give the earlier run first: `civicscan compare 1 2`"),
        "{}",
        common::stderr(&out)
    );
    let out = civicscan(
        dir.path(),
        args(&["compare", "1", "2", "--db", "s.db", "--out", "cmp"]),
    )
    .await;
    assert!(out.status.success(), "{}", common::stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_of_an_unreachable_site_exits_2_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let web = healthy().await;
    let out = civicscan(
        dir.path(),
        args(&["check", web.url("/").as_str(), "--type", "SD", "--quiet"]),
    )
    .await;
    let stderr = common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the site could not be surveyed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--allow-private"),
        "the hint names the flag: {stderr}"
    );
    assert!(
        web.paths().is_empty(),
        "nothing was fetched from a loopback address"
    );
}

#[test]
fn bad_input_gets_one_clear_message_each() {
    let dir = tempfile::tempdir().unwrap();
    let run = |a: &[&str]| common::civicscan(dir.path(), a);
    let out = run(&["survey", "--sites", "missing.csv", "--db", "s.db"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = common::stderr(&out);
    assert_eq!(
        stderr.matches("No such file or directory").count(),
        1,
        "the cause is said once: {stderr}"
    );
    assert!(
        !dir.path().join("s.db").exists(),
        "a typo leaves no empty database behind"
    );

    std::fs::write(
        dir.path().join("sites.csv"),
        "slug,name,type,homepage_url\na,\"A,SD,https://a.gov.uk/\nb,B,SD,https://b.gov.uk/\n",
    )
    .unwrap();
    for (flags, expected) in [
        (
            vec!["--rate", "0"],
            "--rate 0: requests per second per host must be more than 0",
        ),
        (
            vec!["--max-pages", "0"],
            "--max-pages 0: a survey needs at least one page per site",
        ),
        (
            vec![],
            "sites.csv:2: a quoted field opens on this line and is not closed before line 3",
        ),
    ] {
        let mut a = vec!["survey", "--db", "s.db"];
        a.extend(flags);
        let out = run(&a);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            common::stderr(&out).contains(expected),
            "{}",
            common::stderr(&out)
        );
    }

    let weights = civicscan::ruleset::BUILTIN_TEXT
        .replace("weights = { tasks = 0.40,", "weights = { tasks = 0.90,");
    std::fs::write(dir.path().join("heavy.toml"), weights).unwrap();
    let out = run(&["rules", "validate", "heavy.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("must sum to 1; these sum to 1.5"),
        "{}",
        common::stderr(&out)
    );
    // With no sites.csv in the folder, the register built into civicscan is used.
    let empty = tempfile::tempdir().unwrap();
    let out = common::civicscan(
        empty.path(),
        &["survey", "--only", "nosuch", "--db", "s.db"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = common::stderr(&out);
    assert!(
        stderr.contains("using the built-in register (382 councils)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("sites.csv (built in): --only nosuch: no council has that slug"),
        "{stderr}"
    );
    let out = run(&["runs", "--db", "none.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("none.db: no such database"));
}
