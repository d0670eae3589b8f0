//! The survey pipeline end to end over real HTTP: a fixture council site served on loopback is
//! crawled, audited, assessed, scored and stored; a second command resumes nothing twice.

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use civicscan::audit::tasks::Answer;
use civicscan::store::{SiteStatus, Store};
use civicscan::survey::{self, SurveyOptions};
use civicscan::{ruleset, sites};

/// Serves a fixture folder as a site: `/` is `index.html`, `/a/b` is `a/b.html`, and a search
/// `/search?q=pay+council+tax` is `search/pay-council-tax.html`. Records every path requested.
struct FixtureSite {
    addr: SocketAddr,
    hits: Arc<Mutex<Vec<String>>>,
}

#[derive(Clone)]
struct Served {
    dir: PathBuf,
    hits: Arc<Mutex<Vec<String>>>,
}

async fn serve_file(State(s): State<Served>, req: Request) -> Response {
    let uri = req.uri();
    s.hits.lock().unwrap().push(uri.to_string());
    let mut path = uri.path().trim_matches('/').to_string();
    if path == "robots.txt" || path == "sitemap.xml" {
        return StatusCode::NOT_FOUND.into_response();
    }
    if path.is_empty() {
        path = "index".into();
    }
    if let Some(query) = uri.query() {
        let term = url::form_urlencoded::parse(query.as_bytes())
            .last()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        path = format!("{path}/{}", term.replace(' ', "-").replace('\'', ""));
    }
    match tokio::fs::read(s.dir.join(format!("{path}.html"))).await {
        Ok(body) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn serve_fixture(name: &str) -> FixtureSite {
    let dir = common::repo().join("tests/fixtures/tasks").join(name);
    let hits = Arc::new(Mutex::new(Vec::new()));
    let app = axum::Router::new().fallback(serve_file).with_state(Served {
        dir,
        hits: hits.clone(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    FixtureSite { addr, hits }
}

fn fast_ruleset() -> ruleset::Ruleset {
    let mut rules = ruleset::builtin();
    rules.crawl.requests_per_second = 200.0;
    rules.crawl.max_pages = 60;
    rules
}

fn options() -> SurveyOptions {
    SurveyOptions::allowing_private()
}

/// Surveys `list` into the database at `db` with the fast ruleset, loopback allowed.
async fn survey_fast(list: &[sites::Site], db: &Path) -> survey::SurveyOutcome {
    survey::survey(
        list,
        Arc::new(fast_ruleset()),
        Store::open(db).unwrap(),
        &options(),
    )
    .await
    .unwrap()
}

fn sites_file(dir: &Path, addr: SocketAddr) -> Vec<sites::Site> {
    let text = format!(
        "slug,name,type,homepage_url\ngood-district,Good District Council,SD,http://{addr}/\n"
    );
    let path = dir.join("sites.csv");
    std::fs::write(&path, text).unwrap();
    sites::load(&path).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn surveys_a_site_into_the_store_with_evidence() {
    let site = serve_fixture("good-district").await;
    let dir = tempfile::tempdir().unwrap();
    let list = sites_file(dir.path(), site.addr);
    let db = dir.path().join("survey.db");

    let outcome = survey_fast(&list, &db).await;
    assert_eq!(outcome.sites_assessed, 1);
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    assert!(
        outcome.pages >= 20,
        "the fixture site has more than 20 pages ({} stored)",
        outcome.pages
    );

    let store = Store::open(&db).unwrap();
    let run = store
        .latest_finished_run()
        .unwrap()
        .expect("the run finished");
    assert_eq!(store.sites(run.id).unwrap()[0].1, SiteStatus::Done);
    let assessment = &store.assessments(run.id).unwrap()[0];
    let bins = assessment
        .tasks
        .iter()
        .find(|t| t.task == "report-missed-bin")
        .expect("bins task assessed");
    let page = bins
        .page_url
        .as_deref()
        .expect("the missed-bin page is found");
    assert!(page.ends_with("/bins/report-missed-bin"), "{page}");
    let search = bins
        .answers
        .iter()
        .find(|a| a.question == "site-search")
        .unwrap();
    assert_eq!(
        search.answer,
        Answer::Yes,
        "the site's own search was run over HTTP: {}",
        search.reason
    );
    assert!(
        site.hits
            .lock()
            .unwrap()
            .iter()
            .any(|h| h.starts_with("/search?")),
        "the search query went through the crawler"
    );
    assert!(
        !assessment.tasks.iter().any(|t| t.task == "school-place"),
        "a district is not asked about schools"
    );
    let scores = store.scores(run.id).unwrap();
    assert!(
        scores
            .iter()
            .any(|s| s.site_slug == "good-district" && s.key == "overall" && s.stars.is_some())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_continues_an_interrupted_run_without_refetching() {
    let site = serve_fixture("good-district").await;
    let dir = tempfile::tempdir().unwrap();
    let list = sites_file(dir.path(), site.addr);
    let db = dir.path().join("survey.db");

    // An interrupted run: pages stored, the site never assessed, the run never finished.
    let mut small = fast_ruleset();
    small.crawl.max_pages = 8;
    {
        let mut store = Store::open(&db).unwrap();
        // What `survey` stores when a run starts: the crawl budget in force and the flags.
        let fast = fast_ruleset();
        let settings = survey::RunSettings::new(&fast.crawl, &options().overrides);
        let run = store
            .begin_run(&fast, &serde_json::to_value(&settings).unwrap(), &list)
            .unwrap();
        store.start_site(run, "good-district").unwrap();
        drop(store);
        // Crawl part of the site into that run with the pipeline's own handler.
        let store = Arc::new(Mutex::new(Store::open(&db).unwrap()));
        let mut config = civicscan::crawl::CrawlConfig::from_budget(&small.crawl);
        config.allow_private = true;
        let crawler = Arc::new(civicscan::crawl::Crawler::new(config).unwrap());
        let run_sites = store.lock().unwrap().sites(run).unwrap();
        let writer = Arc::new(
            civicscan::store::StoreWriter::start(&store, run, Default::default()).unwrap(),
        );
        let handler = Arc::new(survey::SurveyHandler::new(
            run,
            store.clone(),
            writer.clone(),
            Arc::new(small),
            crawler.clone(),
            &run_sites,
            survey::Progress::quiet(),
        ));
        crawler
            .crawl_site(&list[0], handler, civicscan::crawl::Resume::none())
            .await;
        writer.close();
    }
    let first: Vec<String> = site.hits.lock().unwrap().drain(..).collect();
    assert!(first.len() >= 8);

    let checks = survey::ResumeChecks::default();
    let outcome = survey::resume(Store::open(&db).unwrap(), &options(), &checks)
        .await
        .unwrap();
    assert_eq!(outcome.sites_assessed, 1);
    let second = site.hits.lock().unwrap().clone();
    // robots.txt is read again by a new process (RFC 9309 caching is per run); pages are not.
    let pages_first: Vec<&String> = first
        .iter()
        .filter(|h| !h.contains('?') && *h != "/robots.txt" && *h != "/sitemap.xml")
        .collect();
    for page in pages_first {
        assert!(
            !second.contains(page),
            "{page} was fetched again after resuming"
        );
    }
    let store = Store::open(&db).unwrap();
    assert!(
        store.unfinished_run().unwrap().is_none(),
        "the resumed run finished"
    );
    let err = survey::resume(store, &options(), &checks)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("no unfinished run to resume"),
        "{err}"
    );
}

fn civicscan(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_civicscan"))
        .args(args)
        .output()
        .expect("the civicscan binary runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_prints_a_summary_and_writes_the_report_beside_national_averages() {
    let site = serve_fixture("good-district").await;
    let other = serve_fixture("poor-district").await;
    let dir = tempfile::tempdir().unwrap();
    let national = dir.path().join("national.db");
    // The national run holds the council being checked (as `good-district`) and one other.
    let mut list = sites_file(dir.path(), site.addr);
    list.push(sites::Site::new(
        "poor-district",
        "Poor District Council",
        sites::CouncilType::SD,
        url::Url::parse(&format!("http://{}/", other.addr)).unwrap(),
    ));
    survey_fast(&list, &national).await;

    let out = dir.path().join("check");
    let home = format!("http://{}/", site.addr);
    let args = [
        "check",
        home.as_str(),
        "--type",
        "SD",
        "--name",
        "Good <b>District</b>",
        "--allow-private",
        "--rate",
        "200",
        "--max-pages",
        "60",
        "--out",
        out.to_str().unwrap(),
        "--db",
        national.to_str().unwrap(),
    ];
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let run = tokio::task::spawn_blocking(move || {
        civicscan(&args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains("Good <b>District</b> (Shire district"),
        "{stdout}"
    );
    assert!(stdout.contains("overall"), "{stdout}");
    assert!(
        stdout.contains("of 2; national mean"),
        "ranked among the national run's other council, not beside its own earlier result: {stdout}"
    );
    assert!(
        stdout.contains("Good District Council's own result in the national survey is left out"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Report a missed bin collection"),
        "{stdout}"
    );
    let html = std::fs::read_to_string(out.join("index.html")).expect("the report is written");
    assert!(
        html.contains("Good &lt;b&gt;District&lt;&#x2f;b&gt;"),
        "the name is escaped"
    );
    assert!(
        !html.contains("<b>District"),
        "no markup from the command line gets in"
    );
    assert!(out.join("check.db").exists());
}

#[test]
fn check_refuses_a_url_it_cannot_use() {
    let run = civicscan(&["check", "not a url", "--type", "SD"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("not a url: not a URL"), "{stderr}");
    let run = civicscan(&["check", "https://www.example.gov.uk/", "--type", "XX"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("unknown council type `XX`"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// One council of the stylesheet test: `/` (or any path in `pages`) answers HTML once `gate`
/// opens, and opens `opens` when requested; robots.txt and everything else are not found.
#[derive(Clone)]
struct Gated {
    /// Path → (body, content type, the gate it waits for, the gate it opens).
    pages: Arc<Vec<Gate>>,
}

struct Gate {
    path: &'static str,
    body: &'static str,
    content_type: &'static str,
    waits_for: Option<tokio::sync::watch::Receiver<bool>>,
    opens: Option<tokio::sync::watch::Sender<bool>>,
}

async fn serve_gated(State(s): State<Gated>, req: Request) -> Response {
    let Some(page) = s.pages.iter().find(|p| p.path == req.uri().path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Some(open) = &page.opens {
        open.send_replace(true);
    }
    if let Some(gate) = &page.waits_for {
        let mut gate = gate.clone();
        let _ = gate.wait_for(|open| *open).await;
    }
    ([(header::CONTENT_TYPE, page.content_type)], page.body).into_response()
}

async fn gated_site(pages: Vec<Gate>) -> SocketAddr {
    let app = axum::Router::new().fallback(serve_gated).with_state(Gated {
        pages: Arc::new(pages),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// A page's stylesheet is fetched without holding a thread: with one blocking thread, council A's
/// stylesheet is only served once council B's second page is asked for, which B asks for only
/// after handling its home page, which is only served once A's stylesheet is asked for. A handler
/// that waited for the stylesheet on its thread held the only one B needed, until the
/// stylesheet's request timed out and A's page was audited without it.
#[test]
fn a_page_waiting_for_its_stylesheet_holds_no_thread_another_council_needs() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (css_asked, css_asked_rx) = tokio::sync::watch::channel(false);
        let (b_second, b_second_rx) = tokio::sync::watch::channel(false);
        let a = gated_site(vec![
            Gate {
                path: "/",
                body: "<!doctype html><html lang=en><head><title>A</title>\
                       <link rel=stylesheet href=/style.css></head>\
                       <body><main><h1>A council</h1><p>Pale words on white</p></main></body></html>",
                content_type: "text/html; charset=utf-8",
                waits_for: None,
                opens: None,
            },
            Gate {
                path: "/style.css",
                body: "body { background: #ffffff } p { color: #bbbbbb }",
                content_type: "text/css",
                waits_for: Some(b_second_rx),
                opens: Some(css_asked),
            },
        ])
        .await;
        let b = gated_site(vec![
            Gate {
                path: "/",
                body: "<!doctype html><html lang=en><head><title>B</title></head>\
                       <body><main><h1>B council</h1><a href=/second>More</a></main></body></html>",
                content_type: "text/html; charset=utf-8",
                waits_for: Some(css_asked_rx),
                opens: None,
            },
            Gate {
                path: "/second",
                body: "<!doctype html><html lang=en><head><title>B 2</title></head>\
                       <body><main><h1>More</h1></main></body></html>",
                content_type: "text/html; charset=utf-8",
                waits_for: None,
                opens: Some(b_second),
            },
        ])
        .await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sites.csv");
        std::fs::write(
            &path,
            format!(
                "slug,name,type,homepage_url\na,A Council,SD,http://{a}/\nb,B Council,SD,http://{b}/\n"
            ),
        )
        .unwrap();
        let list = sites::load(&path).unwrap();
        let mut rules = fast_ruleset();
        // The old handler's wait ended only at the request timeout: short, so it fails soon.
        rules.crawl.request_timeout = std::time::Duration::from_secs(5);
        let db = dir.path().join("survey.db");
        let outcome = tokio::time::timeout(
            std::time::Duration::from_secs(120),
            survey::survey(&list, Arc::new(rules), Store::open(&db).unwrap(), &options()),
        )
        .await
        .expect("the survey stalled")
        .unwrap();
        assert_eq!(outcome.sites_assessed, 2, "{outcome}");

        let store = Store::open(&db).unwrap();
        let run = store.latest_finished_run().unwrap().expect("the run finished");
        let pages = store.pages(run.id, "b").unwrap();
        assert!(
            pages.iter().any(|p| p.page.url.path() == "/second"),
            "B's second page was crawled"
        );
        let findings = store.findings(run.id, "a").unwrap();
        assert!(
            findings
                .iter()
                .any(|(page, f)| page.ends_with('/') && f.rule == "color-contrast"),
            "A's home page was audited with its stylesheet (pale text fails contrast): {:?}",
            findings.iter().map(|(_, f)| &f.rule).collect::<Vec<_>>()
        );
    });
}

#[derive(Clone, Default)]
struct Conditional {
    /// Paths asked for with `If-None-Match`.
    conditional: Arc<Mutex<Vec<String>>>,
}

async fn serve_with_etags(State(s): State<Conditional>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let body = match path.as_str() {
        "/" => {
            "<!doctype html><html lang=en><head><title>Home</title></head><body><main>\
                <h1>Home</h1><img src=/logo.png><a href=/about>About us</a></main></body></html>"
        }
        "/about" => {
            "<!doctype html><html lang=en><head><title>About</title></head><body><main>\
                     <h1>About us</h1></main></body></html>"
        }
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    if req
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v == "\"v1\"")
    {
        s.conditional.lock().unwrap().push(path);
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, "\"v1\"")]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::ETAG, "\"v1\""),
        ],
        body,
    )
        .into_response()
}

/// A council fetched by an earlier run is asked for its pages conditionally, and a page that has
/// not changed keeps the earlier run's facts and findings.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_run_asks_for_unchanged_pages_conditionally_and_reuses_their_findings() {
    let state = Conditional::default();
    let app = axum::Router::new()
        .fallback(serve_with_etags)
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let dir = tempfile::tempdir().unwrap();
    let list = sites_file(dir.path(), addr);
    let db = dir.path().join("survey.db");
    let mut runs = Vec::new();
    for _ in 0..2 {
        let outcome = survey_fast(&list, &db).await;
        runs.push(outcome.run);
    }
    let mut asked = state.conditional.lock().unwrap().clone();
    asked.sort();
    assert_eq!(
        asked,
        ["/", "/about"],
        "only the second run asks conditionally"
    );

    let store = Store::open(&db).unwrap();
    let home = |run| {
        store
            .pages(run, "good-district")
            .unwrap()
            .into_iter()
            .find(|p| p.page.url.path() == "/")
            .expect("the home page is stored")
    };
    assert_eq!(home(runs[0]).page.status, 200);
    let again = home(runs[1]);
    assert_eq!(again.page.status, 304);
    assert_eq!(
        again.facts.map(|f| f.title),
        Some(Some("Home".to_string())),
        "the earlier facts are kept"
    );
    let image_alt = |run| {
        store
            .findings(run, "good-district")
            .unwrap()
            .into_iter()
            .filter(|(page, f)| page.ends_with('/') && f.rule == "image-alt")
            .count()
    };
    assert_eq!(image_alt(runs[0]), 1, "the image without alt text fails");
    assert_eq!(image_alt(runs[1]), 1, "and its finding is kept");
}
