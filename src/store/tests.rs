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
