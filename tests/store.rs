//! The store survives a crash: a writer killed mid-run leaves a consistent database that a resumed
//! run can continue; the survey's batching writer loses at most the pages it had not committed,
//! always the last ones sent, each whole or not at all.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use civicscan::audit::a11y::{Finding, Impact, Outcome};
use civicscan::crawl::{Page, PageKind};
use civicscan::page::PageFacts;
use civicscan::sites::{CouncilType, Site};
use civicscan::store::{SiteStatus, Store, StoreWriter, Write, WriterConfig};

const FINDINGS_PER_PAGE: usize = 5;
const CHILD_ENV: &str = "CIVICSCAN_CRASH_CHILD_DB";
const WRITER_CHILD_ENV: &str = "CIVICSCAN_CRASH_WRITER_CHILD_DB";

fn page(n: usize) -> Page {
    let url = url::Url::parse(&format!("https://crash.gov.uk/page/{n}")).unwrap();
    Page {
        url: url.clone(),
        final_url: url,
        status: 200,
        content_type: Some("text/html".into()),
        kind: PageKind::Html,
        bytes: 2048,
        truncated: false,
        content_length: None,
        ttfb_ms: 3,
        depth: 1,
        referrer: None,
        link_text: None,
        redirects: vec![],
        fetched_at_ms: 0,
        etag: None,
        last_modified: None,
        body: None,
        error: None,
    }
}

fn finding(i: usize) -> Finding {
    Finding {
        rule: format!("rule-{i}"),
        outcome: Outcome::Failed,
        wcag: vec!["1.1.1".into()],
        act: vec![],
        impact: Impact::Serious,
        selector: format!("img:nth-of-type({i})"),
        snippet: "<img>".into(),
        message: "x".repeat(2000),
        rendered: false,
    }
}

fn crash_site() -> Site {
    Site::new(
        "crash",
        "Crash Council",
        CouncilType::SD,
        url::Url::parse("https://crash.gov.uk/").unwrap(),
    )
}

/// Not a test on its own: the child process the crash test kills. It writes pages until killed.
#[test]
#[ignore = "run only as the child of kill_mid_run_leaves_a_consistent_resumable_database"]
fn crash_child_writer() {
    let Ok(db) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut store = Store::open(std::path::Path::new(&db)).unwrap();
    let site = Site::new(
        "crash",
        "Crash Council",
        CouncilType::SD,
        url::Url::parse("https://crash.gov.uk/").unwrap(),
    );
    let run = store
        .begin_run(
            &civicscan::ruleset::builtin(),
            &serde_json::json!({}),
            &[site],
        )
        .unwrap();
    store.start_site(run, "crash").unwrap();
    let findings: Vec<Finding> = (0..FINDINGS_PER_PAGE).map(finding).collect();
    let facts = PageFacts {
        text: "words ".repeat(2000),
        ..Default::default()
    };
    for n in 0.. {
        store
            .record_page(run, "crash", &page(n), Some(&facts), &findings)
            .unwrap();
        println!("stored {n}");
    }
}

#[test]
fn kill_mid_run_leaves_a_consistent_resumable_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash_child_writer",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stored = 0;
    for line in BufReader::new(stdout).lines() {
        if line.unwrap().starts_with("stored ") {
            stored += 1;
            if stored == 50 {
                break;
            }
        }
    }
    assert_eq!(stored, 50, "the child wrote pages");
    child.kill().unwrap(); // SIGKILL: no destructors, no clean close, maybe mid-transaction.
    child.wait().unwrap();

    let store = Store::open(&db).expect("the database opens after a crash");
    let run = store
        .unfinished_run()
        .unwrap()
        .expect("the run is unfinished, so --resume can find it");
    assert_eq!(store.sites(run.id).unwrap()[0].1, SiteStatus::Crawling);
    let pages = store.pages(run.id, "crash").unwrap();
    assert!(
        pages.len() >= 50,
        "every committed page survives ({} found)",
        pages.len()
    );
    let findings = store.findings(run.id, "crash").unwrap();
    assert_eq!(
        findings.len(),
        pages.len() * FINDINGS_PER_PAGE,
        "no page is stored without all its findings"
    );
    for p in &pages {
        assert!(p.facts.is_some(), "{} lost its facts", p.page.url);
    }
    let urls = store.fetched_urls(run.id, "crash").unwrap();
    assert_eq!(urls.len(), pages.len());
}

/// Not a test on its own: the child the writer's crash test kills. It sends pages to a batching
/// writer until killed, saying which it has sent.
#[test]
#[ignore = "run only as the child of a_writer_killed_mid_run_keeps_whole_pages_sent_first"]
fn crash_child_batching_writer() {
    let Ok(db) = std::env::var(WRITER_CHILD_ENV) else {
        return;
    };
    let mut store = Store::open(std::path::Path::new(&db)).unwrap();
    let run = store
        .begin_run(
            &civicscan::ruleset::builtin(),
            &serde_json::json!({}),
            &[crash_site()],
        )
        .unwrap();
    let store = std::sync::Arc::new(std::sync::Mutex::new(store));
    // Batches of up to 16 pages, gathered for up to 20 ms: a kill lands mid-batch.
    let config = WriterConfig {
        capacity: 8,
        max_batch: 16,
        max_delay: std::time::Duration::from_millis(20),
    };
    let writer = StoreWriter::start(&store, run, config).unwrap();
    writer
        .write(Write::StartSite {
            slug: "crash".into(),
        })
        .unwrap();
    let findings: Vec<Finding> = (0..FINDINGS_PER_PAGE).map(finding).collect();
    let facts = PageFacts {
        text: "words ".repeat(2000),
        ..Default::default()
    };
    for n in 0.. {
        writer
            .write(Write::page(
                "crash",
                &page(n),
                Some(&facts),
                findings.clone(),
            ))
            .unwrap();
        println!("sent {n}");
    }
}

#[test]
fn a_writer_killed_mid_run_keeps_whole_pages_sent_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash_child_batching_writer",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WRITER_CHILD_ENV, &db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut sent = 0;
    for line in BufReader::new(stdout).lines() {
        if line.unwrap().starts_with("sent ") {
            sent += 1;
            if sent == 200 {
                break;
            }
        }
    }
    assert_eq!(sent, 200, "the child sent pages");
    child.kill().unwrap(); // SIGKILL: mid-batch, with pages queued.
    child.wait().unwrap();

    let store = Store::open(&db).expect("the database opens after a crash");
    let run = store
        .unfinished_run()
        .unwrap()
        .expect("the run is unfinished");
    let pages = store.pages(run.id, "crash").unwrap();
    // At most the queue, the batch being gathered and the page in hand are lost.
    assert!(
        pages.len() >= 200 - 8 - 16 - 1,
        "pages committed before the kill survive ({} found)",
        pages.len()
    );
    assert_eq!(store.sites(run.id).unwrap()[0].1, SiteStatus::Crawling);
    let urls: Vec<String> = pages.iter().map(|p| p.page.url.to_string()).collect();
    let first: Vec<String> = (0..pages.len()).map(|n| page(n).url.to_string()).collect();
    assert_eq!(
        urls, first,
        "what survives is the pages sent first, in order"
    );
    let findings = store.findings(run.id, "crash").unwrap();
    assert_eq!(
        findings.len(),
        pages.len() * FINDINGS_PER_PAGE,
        "no page is stored without all its findings"
    );
    assert!(pages.iter().all(|p| p.facts.is_some()));
}
