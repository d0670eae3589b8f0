//! The accessibility audit end to end: `audit_page` on whole pages, and the `civicscan audit`
//! command on files, folders, a loopback web server and through the binary.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use civicscan::audit::a11y::cli::{self, Classification, Format, Options};
use civicscan::audit::a11y::{Outcome, SiteCss, audit_page};
use civicscan::page::ParsedPage;
use civicscan::ruleset::AccessibilitySettings;
use url::Url;

fn settings() -> AccessibilitySettings {
    AccessibilitySettings {
        disabled_rules: Vec::new(),
        max_findings_per_rule: 20,
        duplicate_title_min_pages: 3,
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/a11y")
}

fn json_lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect()
}

fn rules_failed(page: &serde_json::Value) -> Vec<String> {
    page["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| f["outcome"] == "failed")
        .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
        .collect()
}

const BROKEN: &str = r#"<!doctype html><html><head><title></title>
<link rel="stylesheet" href="broken.css"></head><body>
<img src="photo.jpg"><a href="/x"></a><input type="text" placeholder="Postcode">
<p class="faint">Faint text</p><div role="buton">x</div></body></html>"#;
const BROKEN_CSS: &str = ".faint { color: #bbb; background-color: #fff }";

#[test]
fn well_made_council_page_has_no_failures() {
    let dir = fixtures();
    let html = std::fs::read_to_string(dir.join("council-home.html")).expect("fixture");
    let css_text = std::fs::read_to_string(dir.join("site.css")).expect("fixture");
    let url = Url::parse("https://www.exampleshire.gov.uk/").expect("url");
    let css = SiteCss::from_sheets([(url.join("site.css").expect("url"), css_text)]);
    let page = ParsedPage::parse(url, &html);
    let findings = audit_page(&page, &css, &settings());
    let failed: Vec<_> = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Failed)
        .collect();
    assert!(failed.is_empty(), "unexpected failures: {failed:#?}");
}

#[test]
fn broken_page_fails_the_rules_it_breaks() {
    let url = Url::parse("https://c.gov.uk/p").expect("url");
    let css =
        SiteCss::from_sheets([(url.join("broken.css").expect("url"), BROKEN_CSS.to_string())]);
    let page = ParsedPage::parse(url, BROKEN);
    let findings = audit_page(&page, &css, &settings());
    let failed: Vec<&str> = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Failed)
        .map(|f| f.rule.as_str())
        .collect();
    for rule in [
        "document-title",
        "html-has-lang",
        "image-alt",
        "link-name",
        "label-title-only",
        "color-contrast",
        "aria-roles",
    ] {
        assert!(failed.contains(&rule), "{rule} should fail; got {failed:?}");
    }
    let img = findings
        .iter()
        .find(|f| f.rule == "image-alt")
        .expect("image-alt finding");
    assert_eq!(img.wcag, vec!["1.1.1"]);
    assert_eq!(img.act, vec!["23a2a8"]);
    assert!(img.snippet.starts_with("<img"));
    assert!(!img.selector.is_empty());
}

#[test]
fn findings_are_capped_per_rule() {
    let imgs = "<img src=a.png>".repeat(50);
    let html = format!(
        "<!doctype html><html lang=en><head><title>t</title></head><body><main>{imgs}</main></body></html>"
    );
    let page = ParsedPage::parse(Url::parse("https://c.gov.uk/").expect("url"), &html);
    let mut s = settings();
    s.max_findings_per_rule = 5;
    let n = audit_page(&page, &SiteCss::empty(), &s)
        .iter()
        .filter(|f| f.rule == "image-alt")
        .count();
    assert_eq!(n, 5);
}

#[test]
fn audit_command_reads_files_and_their_stylesheets() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("page.html"), BROKEN).expect("write");
    std::fs::write(dir.path().join("broken.css"), BROKEN_CSS).expect("write");
    let opts = Options {
        base_url: None,
        format: Format::Json,
        settings: settings(),
    };
    let mut out = Vec::new();
    let input = dir.path().join("page.html").display().to_string();
    let n = cli::run(&[input], &opts, None, &mut out).expect("audit runs");
    assert_eq!(n, 1);
    let pages = json_lines(&out);
    assert_eq!(pages.len(), 1);
    let failed = rules_failed(&pages[0]);
    assert!(
        failed.contains(&"color-contrast".to_string()),
        "the linked stylesheet was applied: {failed:?}"
    );
    assert_eq!(pages[0]["tasks"], serde_json::json!([]));
    assert_eq!(pages[0]["services"], serde_json::json!([]));
    let f = &pages[0]["findings"][0];
    for key in [
        "rule", "outcome", "wcag", "act", "impact", "selector", "message",
    ] {
        assert!(f.get(key).is_some(), "finding has {key}");
    }
}

#[test]
fn audit_command_walks_folders_with_a_base_url_and_calls_the_classifier() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    std::fs::write(dir.path().join("index.html"), BROKEN).expect("write");
    std::fs::write(dir.path().join("broken.css"), BROKEN_CSS).expect("write");
    std::fs::write(
        dir.path().join("sub/page.htm"),
        "<html lang=en><head><title>Sub</title></head><body><main>ok</main></body></html>",
    )
    .expect("write");
    std::fs::write(dir.path().join("notes.txt"), "not html").expect("write");
    let opts = Options {
        base_url: Some(Url::parse("https://www.c.gov.uk/").expect("url")),
        format: Format::Json,
        settings: settings(),
    };
    let classify = |_: &ParsedPage| Classification {
        tasks: vec!["bins".into()],
        services: vec![524],
    };
    let mut out = Vec::new();
    let n = cli::run(
        &[dir.path().display().to_string()],
        &opts,
        Some(&classify),
        &mut out,
    )
    .expect("audit runs");
    assert_eq!(n, 2);
    let pages = json_lines(&out);
    assert_eq!(pages[0]["page"], "https://www.c.gov.uk/index.html");
    assert_eq!(pages[1]["page"], "https://www.c.gov.uk/sub/page.htm");
    assert_eq!(pages[1]["title"], "Sub");
    assert_eq!(pages[0]["tasks"], serde_json::json!(["bins"]));
    assert!(
        rules_failed(&pages[0]).contains(&"color-contrast".to_string()),
        "stylesheet found through --base-url"
    );
    assert!(rules_failed(&pages[1]).is_empty());
}

#[test]
fn audit_command_rejects_missing_inputs_naming_them() {
    let opts = Options {
        base_url: None,
        format: Format::Text,
        settings: settings(),
    };
    let err = cli::run(
        &["/no/such/file.html".to_string()],
        &opts,
        None,
        &mut Vec::new(),
    )
    .expect_err("missing input");
    assert!(err.to_string().contains("/no/such/file.html"));
}

/// Serves a page and its stylesheet on 127.0.0.1 from a thread with its own runtime.
fn serve() -> std::net::SocketAddr {
    use axum::Router;
    use axum::http::header;
    use axum::response::Html;
    use axum::routing::get;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let app = Router::new()
                .route("/", get(|| async { Html(BROKEN) }))
                .route(
                    "/broken.css",
                    get(|| async { ([(header::CONTENT_TYPE, "text/css")], BROKEN_CSS) }),
                );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind loopback");
            tx.send(listener.local_addr().expect("addr"))
                .expect("send addr");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    rx.recv().expect("server address")
}

#[test]
fn audit_command_fetches_a_loopback_url_and_its_stylesheet() {
    let addr = serve();
    let opts = Options {
        base_url: None,
        format: Format::Json,
        settings: settings(),
    };
    let mut out = Vec::new();
    cli::run(&[format!("http://{addr}/")], &opts, None, &mut out).expect("audit runs");
    let pages = json_lines(&out);
    assert_eq!(pages[0]["page"], format!("http://{addr}/"));
    let failed = rules_failed(&pages[0]);
    assert!(failed.contains(&"image-alt".to_string()));
    assert!(
        failed.contains(&"color-contrast".to_string()),
        "stylesheet fetched: {failed:?}"
    );
}

#[test]
fn civicscan_audit_binary_prints_text_and_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("page.html");
    let mut f = std::fs::File::create(&path).expect("create");
    f.write_all(BROKEN.as_bytes()).expect("write");
    let bin = env!("CARGO_BIN_EXE_civicscan");
    let out = std::process::Command::new(bin)
        .args(["audit", "--format", "json"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages = json_lines(&out.stdout);
    assert!(rules_failed(&pages[0]).contains(&"image-alt".to_string()));
    let out = std::process::Command::new(bin)
        .arg("audit")
        .arg(&path)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("image-alt") && text.contains("failed"),
        "{text}"
    );
}

// --- One failing and one passing page per rule ----------------------------------------------

/// The rules the issue-15 barrier families added or changed: each must have both fixtures.
const FIXTURED: &[&str] = &[
    "table-header-cells",
    "layout-table-semantics",
    "radio-group",
    "label-title-only",
    "required-colour-only",
    "required-asterisk-unexplained",
    "image-alt-filename",
    "image-alt-placeholder",
    "image-alt-prefix",
    "image-redundant-alt",
    "decorative-image-title",
    "video-caption",
    "no-autoplay-audio",
    "tabindex",
    "click-not-focusable",
    "focus-blur",
    "select-onchange-navigation",
    "justified-text",
    "all-caps-text",
    "tiny-text",
    "image-of-text",
    "marquee",
    "blink",
    "duplicate-id-referenced",
    "lang-of-parts",
    "p-as-heading",
    "bypass",
    "skip-link",
    "landmark-one-main",
    "link-in-context",
    "link-text-vague",
    "color-contrast",
];

/// `rule=… expect=…` from a fixture's `<!-- civicscan fixture: … -->` line.
fn fixture_header(html: &str, path: &Path) -> (String, String) {
    let line = html
        .lines()
        .find(|l| l.contains("civicscan fixture:"))
        .unwrap_or_else(|| panic!("{} has no civicscan fixture line", path.display()));
    let field = |k: &str| {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(k))
            .unwrap_or_else(|| panic!("{}: no {k}", path.display()))
            .to_string()
    };
    (field("rule="), field("expect="))
}

#[test]
fn every_rule_fixture_fails_or_passes_as_labelled() {
    let dir = fixtures().join("rules");
    let mut seen: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/a11y/rules")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    paths.sort();
    for path in &paths {
        let html = std::fs::read_to_string(path).expect("fixture");
        let (rule, expect) = fixture_header(&html, path);
        assert!(
            civicscan::audit::a11y::rule_info(&rule).is_some(),
            "{}: unknown rule {rule}",
            path.display()
        );
        let url = Url::parse("https://www.exampleshire.gov.uk/page").expect("url");
        let findings = audit_page(
            &ParsedPage::parse(url, &html),
            &SiteCss::empty(),
            &settings(),
        );
        let mine: Vec<_> = findings.iter().filter(|f| f.rule == rule).collect();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        match expect.as_str() {
            "failed" => assert!(
                mine.iter().any(|f| f.outcome == Outcome::Failed),
                "{name}: {rule} should fail; got {findings:#?}"
            ),
            "cantTell" => assert!(
                mine.iter().any(|f| f.outcome == Outcome::CantTell)
                    && mine.iter().all(|f| f.outcome != Outcome::Failed),
                "{name}: {rule} should be a review item; got {mine:#?}"
            ),
            "none" => {
                assert!(
                    mine.is_empty(),
                    "{name}: {rule} should not report; got {mine:#?}"
                );
                let wcag: Vec<_> = findings.iter().filter(|f| f.is_wcag_failure()).collect();
                assert!(
                    wcag.is_empty(),
                    "{name}: a passing page has no WCAG failure; got {wcag:#?}"
                );
            }
            other => panic!("{name}: expect={other}?"),
        }
        assert!(
            name.starts_with(&format!("{rule}.")),
            "{name}: file named after its rule"
        );
        seen.entry(rule).or_default().push(expect);
    }
    for rule in FIXTURED {
        let kinds = seen.get(*rule).cloned().unwrap_or_default();
        assert!(
            kinds.iter().any(|k| k == "none") && kinds.iter().any(|k| k != "none"),
            "{rule} needs a failing and a passing fixture; has {kinds:?}"
        );
    }
}
