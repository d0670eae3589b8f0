use super::*;
use crate::audit::a11y::{Impact, Outcome};
use crate::audit::tasks::{Answer, QuestionAnswer, TaskResult};
use crate::audit::{A11ySummary, SiteAssessment, coverage, digital};
use crate::crawl::PageKind;
use crate::sites::CouncilType;

fn site(slug: &str) -> Site {
    Site::new(
        slug,
        "Test Council",
        CouncilType::SD,
        url::Url::parse(&format!("https://{slug}.gov.uk/")).unwrap(),
    )
}

fn page(url: &str) -> Page {
    let url = url::Url::parse(url).unwrap();
    Page {
        url: url.clone(),
        final_url: url,
        status: 200,
        content_type: Some("text/html".into()),
        kind: PageKind::Html,
        bytes: 1234,
        truncated: false,
        content_length: Some(1234),
        ttfb_ms: 12,
        depth: 1,
        referrer: None,
        link_text: Some("Bins".into()),
        redirects: vec![],
        fetched_at_ms: 1_700_000_000_000,
        etag: Some("\"abc\"".into()),
        last_modified: None,
        body: Some("<p>not stored</p>".into()),
        error: None,
    }
}

fn finding() -> Finding {
    Finding {
        rule: "image-alt".into(),
        outcome: Outcome::Failed,
        wcag: vec!["1.1.1".into()],
        act: vec!["23a2a8".into()],
        impact: Impact::Critical,
        selector: "img:nth-of-type(2)".into(),
        snippet: "<img src=x>".into(),
        message: "Image has no text alternative".into(),
        rendered: false,
    }
}

#[test]
fn round_trips_a_run() {
    let mut store = Store::open_in_memory().unwrap();
    let ruleset = crate::ruleset::builtin();
    let sites = vec![site("alpha"), site("beta")];
    let run = store
        .begin_run(&ruleset, &serde_json::json!({"max_pages": 10}), &sites)
        .unwrap();
    assert_eq!(store.unfinished_run().unwrap().unwrap().id, run);

    store.start_site(run, "alpha").unwrap();
    let facts = PageFacts {
        title: Some("Bins".into()),
        text: "Report a missed bin".into(),
        ..Default::default()
    };
    store
        .record_page(
            run,
            "alpha",
            &page("https://alpha.gov.uk/bins"),
            Some(&facts),
            &[finding()],
        )
        .unwrap();

    let pages = store.pages(run, "alpha").unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].page.etag.as_deref(), Some("\"abc\""));
    assert_eq!(pages[0].page.body, None, "bodies are not stored");
    assert_eq!(pages[0].facts.as_ref(), Some(&facts));
    assert_eq!(
        store.findings(run, "alpha").unwrap(),
        vec![("https://alpha.gov.uk/bins".to_string(), finding())]
    );

    let assessment = SiteAssessment {
        site: sites[0].clone(),
        pages_fetched: 1,
        failure: None,
        tasks: vec![TaskResult {
            task: "report-missed-bin".into(),
            page_url: Some("https://alpha.gov.uk/bins".into()),
            route: vec![
                "https://alpha.gov.uk/".into(),
                "https://alpha.gov.uk/bins".into(),
            ],
            reason: "link text matched".into(),
            answers: vec![QuestionAnswer {
                question: "online-form".into(),
                answer: Answer::Yes,
                evidence_url: Some("https://alpha.gov.uk/bins".into()),
                reason: "form found".into(),
            }],
        }],
        coverage: coverage::CoverageResult::default(),
        digital: digital::DigitalIndicators::default(),
        a11y: A11ySummary::default(),
        crawl: Default::default(),
    };
    store.record_assessment(run, &assessment).unwrap();
    let sites_now = store.sites(run).unwrap();
    assert_eq!(sites_now[0].1, SiteStatus::Done);
    assert_eq!(sites_now[1].1, SiteStatus::Pending);
    assert_eq!(store.assessments(run).unwrap()[0].tasks, assessment.tasks);

    store.finish_run(run).unwrap();
    let info = store.latest_finished_run().unwrap().unwrap();
    assert_eq!(info.ruleset_hash, ruleset.hash);
    assert_eq!(info.settings["max_pages"], 10);
    assert!(store.unfinished_run().unwrap().is_none());
}

#[test]
fn offers_validators_from_an_earlier_run() {
    let mut store = Store::open_in_memory().unwrap();
    let ruleset = crate::ruleset::builtin();
    let first = store
        .begin_run(&ruleset, &serde_json::json!({}), &[site("alpha")])
        .unwrap();
    store
        .record_page(first, "alpha", &page("https://alpha.gov.uk/"), None, &[])
        .unwrap();
    let second = store
        .begin_run(&ruleset, &serde_json::json!({}), &[site("alpha")])
        .unwrap();
    let v = store
        .validators(second, "alpha", "https://alpha.gov.uk/")
        .unwrap()
        .unwrap();
    assert_eq!(v.run, first);
    assert_eq!(v.etag.as_deref(), Some("\"abc\""));
    assert!(
        store
            .validators(first, "alpha", "https://alpha.gov.uk/")
            .unwrap()
            .is_none()
    );
}

#[test]
fn refuses_a_database_from_a_newer_civicscan() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let err = Store::open(&path).unwrap_err().to_string();
    assert!(err.contains("schema version 999 is newer"), "{err}");
}

/// An assessment that cannot be stored: the same task twice breaks `task_results`' key, after
/// its other rows are written.
fn broken_assessment(slug: &str) -> SiteAssessment {
    let task = TaskResult {
        task: "report-missed-bin".into(),
        page_url: None,
        route: vec![],
        reason: "not found".into(),
        answers: vec![],
    };
    SiteAssessment {
        site: site(slug),
        pages_fetched: 0,
        failure: None,
        tasks: vec![task.clone(), task],
        coverage: coverage::CoverageResult::default(),
        digital: digital::DigitalIndicators::default(),
        a11y: A11ySummary::default(),
        crawl: Default::default(),
    }
}

fn page_write(n: usize) -> Write {
    Write::page(
        "alpha",
        &page(&format!("https://alpha.gov.uk/p{n}")),
        Some(&PageFacts::default()),
        vec![finding(), finding()],
    )
}

fn begin(store: &mut Store) -> RunId {
    store
        .begin_run(
            &crate::ruleset::builtin(),
            &serde_json::json!({}),
            &[site("alpha")],
        )
        .unwrap()
}

#[test]
fn a_batch_is_stored_whole_or_not_at_all() {
    let mut store = Store::open_in_memory().unwrap();
    let run = begin(&mut store);
    let batch = vec![
        Write::StartSite {
            slug: "alpha".into(),
        },
        page_write(1),
        page_write(2),
        Write::Assessment(Box::new(broken_assessment("alpha"))),
    ];
    assert!(store.write_batch(run, &batch).is_err());
    assert!(store.pages(run, "alpha").unwrap().is_empty());
    assert!(store.findings(run, "alpha").unwrap().is_empty());
    assert_eq!(store.sites(run).unwrap()[0].1, SiteStatus::Pending);

    store.write_batch(run, &batch[..3]).unwrap();
    assert_eq!(store.pages(run, "alpha").unwrap().len(), 2);
    assert_eq!(store.findings(run, "alpha").unwrap().len(), 4);
    assert_eq!(store.sites(run).unwrap()[0].1, SiteStatus::Crawling);
}

/// A writer that commits only when told to (or when a batch of a thousand is full).
fn lazy() -> WriterConfig {
    WriterConfig {
        capacity: 64,
        max_batch: 1000,
        max_delay: std::time::Duration::from_secs(3600),
    }
}

#[test]
fn reads_see_what_was_written_once_the_writer_is_flushed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("w.db")).unwrap();
    let run = begin(&mut store);
    let store = std::sync::Arc::new(std::sync::Mutex::new(store));
    let writer = StoreWriter::start(&store, run, lazy()).unwrap();
    for n in 0..3 {
        writer.write(page_write(n)).unwrap();
    }
    let read = || store.lock().unwrap().pages(run, "alpha").unwrap().len();
    assert_eq!(read(), 0, "a batch still gathering is not committed");
    writer.flush().unwrap();
    assert_eq!(read(), 3);
    assert_eq!(
        store.lock().unwrap().findings(run, "alpha").unwrap().len(),
        6
    );

    writer.write(page_write(3)).unwrap();
    writer
        .write_and_wait(Write::StartSite {
            slug: "alpha".into(),
        })
        .unwrap();
    assert_eq!(
        read(),
        4,
        "a write waited for commits everything sent before it"
    );
    assert_eq!(
        store.lock().unwrap().sites(run).unwrap()[0].1,
        SiteStatus::Crawling
    );

    writer.write(page_write(4)).unwrap();
    let stats = writer.close();
    assert_eq!(read(), 5, "closing commits what is left");
    assert_eq!(stats.pages, 5);
    assert_eq!(stats.batches, 3);
    assert!(stats.queue_peak >= 1 && stats.queue_peak <= 64, "{stats:?}");
    assert!(
        writer.write(page_write(5)).is_err(),
        "a closed writer refuses writes"
    );
}

#[test]
fn a_write_that_fails_loses_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("w.db")).unwrap();
    let run = begin(&mut store);
    let store = std::sync::Arc::new(std::sync::Mutex::new(store));
    let writer = StoreWriter::start(&store, run, lazy()).unwrap();
    writer.write(page_write(1)).unwrap();
    let err = writer
        .write_and_wait(Write::Assessment(Box::new(broken_assessment("alpha"))))
        .unwrap_err();
    assert!(err.to_string().contains("UNIQUE"), "{err}");
    writer.write(page_write(2)).unwrap();
    let stats = writer.close();
    assert_eq!((stats.pages, stats.failed), (2, 1));
    let store = store.lock().unwrap();
    assert_eq!(store.pages(run, "alpha").unwrap().len(), 2);
    assert!(store.assessments(run).unwrap().is_empty());
}

#[test]
fn a_writer_on_a_database_in_memory_shares_its_connection() {
    let mut store = Store::open_in_memory().unwrap();
    let run = begin(&mut store);
    let store = std::sync::Arc::new(std::sync::Mutex::new(store));
    let writer = StoreWriter::start(&store, run, WriterConfig::default()).unwrap();
    writer.write(page_write(1)).unwrap();
    writer.flush().unwrap();
    assert_eq!(store.lock().unwrap().pages(run, "alpha").unwrap().len(), 1);
}

#[test]
fn a_small_queue_under_many_senders_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("w.db")).unwrap();
    let run = begin(&mut store);
    let store = std::sync::Arc::new(std::sync::Mutex::new(store));
    let config = WriterConfig {
        capacity: 2,
        max_batch: 3,
        max_delay: std::time::Duration::from_millis(5),
    };
    let writer = std::sync::Arc::new(StoreWriter::start(&store, run, config).unwrap());
    let senders: Vec<_> = (0..4)
        .map(|t| {
            let writer = writer.clone();
            std::thread::spawn(move || {
                for n in 0..50 {
                    writer.write(page_write(t * 100 + n)).unwrap();
                }
            })
        })
        .collect();
    for s in senders {
        s.join().unwrap();
    }
    let stats = writer.close();
    assert_eq!(stats.pages, 200);
    assert!(stats.batches >= 200 / 3, "batches of at most 3: {stats:?}");
    assert_eq!(
        store.lock().unwrap().pages(run, "alpha").unwrap().len(),
        200
    );
}
