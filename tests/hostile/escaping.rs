//! Nothing gets in: markup, script and formulas from crawled pages (and from the sites file) come
//! out of the report inert, and the private-address guard holds across redirects.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use civicscan::crawl::{Crawler, Resume};
use civicscan::sites::{CouncilType, Site};
use civicscan::store::Store;

use super::support::{Recorder, Reply, TestServer, TestWeb};
use super::{budget, config, fast_ruleset};

const HOME: &str = r#"<!doctype html><html lang=en><head><title><script>alert('title')</script> Home</title></head>
<body><main><h1>"><img src=x onerror=alert('h1')></h1>
<a href="/bins">&lt;script&gt;alert('link')&lt;/script&gt; Bins and recycling</a>
<a href="javascript:alert('js')">Pay council tax</a>
<a href="data:text/html,&lt;script&gt;alert('data')&lt;/script&gt;">Report a pothole</a>
<a href='/x"><script>alert("url")</script>'>Planning</a>
<a href="/=cmd|' /C calc'!A0">=cmd|' /C calc'!A0</a>
<img src="javascript:alert('img')">
<img src="x.png" title="=HYPERLINK(&quot;http://evil.example&quot;)">
</main></body></html>"#;

const BINS: &str = r#"<!doctype html><html lang=en><head><title>"><img src=x onerror=alert('t2')>=1+1</title></head>
<body><main><h1>Bins</h1><p>Your collection day.</p><img src="bin.png">
<a href="javascript:void(0)"></a></main></body></html>"#;

async fn hostile_council() -> TestServer {
    TestWeb::new()
        .route("/", |_| Reply::html(HOME))
        .route("/bins", |_| Reply::html(BINS))
        .serve()
        .await
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crawled_markup_script_urls_and_formulas_come_out_of_the_report_inert() {
    let (a, b) = (hostile_council().await, hostile_council().await);
    let sites = vec![
        Site::new(
            "markup",
            "<script>alert('name')</script> Council",
            CouncilType::SD,
            a.url("/"),
        ),
        Site::new(
            "formula",
            "=HYPERLINK(\"http://evil.example\",\"Council\")",
            CouncilType::SD,
            b.url("/"),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("survey.db");
    let options = civicscan::survey::SurveyOptions::allowing_private();
    civicscan::survey::survey(
        &sites,
        Arc::new(fast_ruleset()),
        Store::open(&db).unwrap(),
        &options,
    )
    .await
    .expect("the survey runs");
    let out = dir.path().join("report");
    civicscan::report::run_report(&db, None, None, &out).expect("the report renders");

    let mut html = Vec::new();
    files(&out, "html", &mut html);
    assert!(html.len() >= 3, "{html:?}");
    let mut escaped_seen = false;
    for path in &html {
        let text = std::fs::read_to_string(path).unwrap();
        let lower = text.to_ascii_lowercase();
        for raw in [
            "<script>alert",
            "<img src=x onerror",
            "href=\"javascript:",
            "href='javascript:",
            "href=\"data:",
            "href='data:",
            "src=\"javascript:",
        ] {
            assert!(!lower.contains(raw), "{} contains {raw}", path.display());
        }
        escaped_seen |= text.contains("&lt;script&gt;alert(");
    }
    assert!(
        escaped_seen,
        "the crawled and listed markup reaches the report, escaped"
    );

    let mut csvs = Vec::new();
    files(&out.join("data"), "csv", &mut csvs);
    assert!(!csvs.is_empty());
    let mut defused = 0;
    for path in &csvs {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(path)
            .unwrap();
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                assert!(
                    !risky || cell.trim().parse::<f64>().is_ok(),
                    "{}: formula cell {cell:?}",
                    path.display()
                );
                defused += usize::from(cell.starts_with("'="));
            }
        }
    }
    assert!(
        defused >= 1,
        "the formula council name is in the CSV, defused"
    );
}

#[tokio::test]
async fn the_private_address_guard_holds_across_redirects() {
    // An internal service on 127.0.0.1, and a council on 127.0.0.2 that is allowed by address
    // (as a surveyor's local mirror would be) and redirects into the internal one.
    let internal = TestWeb::new()
        .page("/secret", &[])
        .serve_on("127.0.0.1")
        .await;
    let literal = internal.url("/secret").to_string();
    let named = format!("http://intranet.test:{}/secret", internal.addr.port());
    let council = TestWeb::new()
        .page(
            "/",
            &[("/to-literal", "A"), ("/to-name", "B"), ("/ok", "C")],
        )
        .route("/to-literal", move |_| Reply::redirect(&literal))
        .route("/to-name", move |_| Reply::redirect(&named))
        .page("/ok", &[])
        .serve_on("127.0.0.2")
        .await;
    let mut c = config(budget());
    c.allow_private = false;
    c.allow_addresses = vec![council.addr.ip()];
    c.resolve = HashMap::from([
        ("www.council.test".to_string(), council.addr),
        ("intranet.test".to_string(), internal.addr),
    ]);
    let url = format!("http://www.council.test:{}/", council.addr.port())
        .parse()
        .unwrap();
    let site = Site::new("council", "Council", CouncilType::SD, url);
    let rec = Recorder::new();
    let report = Crawler::new(c)
        .unwrap()
        .crawl_site(&site, rec.clone(), Resume::none())
        .await;
    assert_eq!(report.failure, None);
    assert_eq!(rec.page("/ok").unwrap().status, 200);
    for hop in ["/to-literal", "/to-name"] {
        let page = rec.page(hop).unwrap();
        let error = page.error.unwrap_or_default();
        assert!(error.contains("private address"), "{hop}: {error}");
        assert_eq!(page.redirects.len(), 1, "{hop}: the redirect was read");
    }
    assert!(
        internal.paths().is_empty(),
        "nothing reached the internal service: {:?}",
        internal.paths()
    );
}
