//! The render stage in Debian's headless Chromium: the DOM after scripts, requests answered
//! through the caller's source, and the rendered checks. Skipped when no browser is installed,
//! except under CI, where a missing browser fails.

mod browser;

use browser::{MapSource, renderer};
use civicscan::audit::a11y::{Outcome, SiteCss};
use civicscan::render::{RenderedPage, checks};
use civicscan::ruleset::AccessibilitySettings;
use url::Url;

fn settings() -> AccessibilitySettings {
    AccessibilitySettings {
        disabled_rules: Vec::new(),
        max_findings_per_rule: 50,
        duplicate_title_min_pages: 3,
    }
}

fn page(body: &str) -> String {
    format!(
        "<!doctype html><html lang=en><head><title>A council page</title></head><body>{body}</body></html>"
    )
}

fn rendered(html: &str, source: &MapSource) -> Option<RenderedPage> {
    let r = renderer()?;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = Url::parse("http://council.test/page").unwrap();
    Some(
        rt.block_on(r.render(&url, html, source))
            .expect("the page renders"),
    )
}

fn rules(p: &RenderedPage) -> Vec<(String, Outcome)> {
    let (findings, _) = checks::audit(p, &SiteCss::empty(), &settings(), false);
    assert!(
        findings.iter().all(|f| f.rendered),
        "every finding is marked rendered"
    );
    findings.into_iter().map(|f| (f.rule, f.outcome)).collect()
}

#[test]
fn links_built_by_script_are_in_the_rendered_dom_and_scripts_come_through_the_source() {
    let source = MapSource::default().with(
        "http://council.test/menu.js",
        "text/javascript",
        "const nav = document.createElement('nav'); nav.innerHTML = '<a href=\"/bins\">Bin collections</a>'; document.body.append(nav);",
    );
    let html =
        page(r#"<h1>Home</h1><script src="/menu.js"></script><img src="/logo.png" alt="Logo">"#);
    let Some(p) = rendered(&html, &source) else {
        return;
    };
    assert!(
        p.html.contains(r#"<a href="/bins">Bin collections</a>"#),
        "{}",
        p.html
    );
    let asked = source.asked.lock().unwrap().clone();
    assert_eq!(
        asked,
        vec!["http://council.test/menu.js"],
        "the script was asked of the source, the image never"
    );
    assert!(p.requests_blocked >= 1, "the image was refused");
}

#[test]
fn focus_that_changes_nothing_on_screen_fails_and_the_default_outline_passes() {
    let html = page(
        r#"<style>.bare:focus{outline:none}</style><p><a href="/a">Visible focus</a></p><p><a class="bare" href="/b">Invisible focus</a></p>"#,
    );
    let Some(p) = rendered(&html, &MapSource::default()) else {
        return;
    };
    let found = rules(&p);
    let focus: Vec<_> = found.iter().filter(|(r, _)| r == "focus-visible").collect();
    assert_eq!(
        focus,
        vec![&("focus-visible".to_string(), Outcome::Failed)],
        "{:#?}",
        p.measurements.stops
    );
}

#[test]
fn a_keyboard_trap_is_found_and_a_page_without_one_is_not() {
    let trap = page(
        r#"<a href="/1">One</a>
        <div id="widget"><button id="first">First</button><button id="last">Last</button></div>
        <a href="/2">Two</a>
        <script>
          document.getElementById('last').addEventListener('keydown', e => {
            if (e.key === 'Tab') { e.preventDefault(); document.getElementById('first').focus(); }
          });
          document.getElementById('first').addEventListener('keydown', e => {
            if (e.key === 'Tab') { e.preventDefault(); document.getElementById('last').focus(); }
          });
        </script>"#,
    );
    let Some(p) = rendered(&trap, &MapSource::default()) else {
        return;
    };
    assert!(
        rules(&p).contains(&("keyboard-trap".to_string(), Outcome::Failed)),
        "{:#?}",
        p.measurements
    );
    let free = page(
        r#"<a href="/1">One</a><button>First</button><button>Last</button><a href="/2">Two</a>"#,
    );
    let Some(p) = rendered(&free, &MapSource::default()) else {
        return;
    };
    assert!(p.measurements.walk_complete);
    assert!(!rules(&p).iter().any(|(r, _)| r == "keyboard-trap"));
}

#[test]
fn text_wider_than_320_px_fails_reflow_and_a_wide_table_does_not() {
    let wide = page(
        r#"<p style="width:900px">A paragraph set to a fixed width of nine hundred pixels.</p>"#,
    );
    let Some(p) = rendered(&wide, &MapSource::default()) else {
        return;
    };
    assert!(
        rules(&p).contains(&("reflow".to_string(), Outcome::Failed)),
        "{:?}",
        p.measurements.reflow
    );
    let table = page(
        r#"<p>Short text.</p><table style="width:900px"><tr><td>Data</td><td>More data</td></tr></table>"#,
    );
    let Some(p) = rendered(&table, &MapSource::default()) else {
        return;
    };
    assert!(
        !rules(&p).iter().any(|(r, _)| r == "reflow"),
        "{:?}",
        p.measurements.reflow
    );
}

#[test]
fn text_cut_off_under_wcag_spacing_fails() {
    let html = page(
        r#"<div style="height:1.3em;overflow:hidden;width:300px;line-height:1.2">Collections are on Tuesdays</div>"#,
    );
    let Some(p) = rendered(&html, &MapSource::default()) else {
        return;
    };
    assert!(
        rules(&p).contains(&("text-spacing-clipped".to_string(), Outcome::Failed)),
        "{:?}",
        p.measurements.text_spacing
    );
}

#[test]
fn small_targets_close_together_fail_and_spaced_ones_pass() {
    let close = page(
        r#"<div><button style="width:16px;height:16px;padding:0">a</button><button style="width:16px;height:16px;padding:0">b</button></div>"#,
    );
    let Some(p) = rendered(&close, &MapSource::default()) else {
        return;
    };
    assert!(rules(&p).contains(&("target-size".to_string(), Outcome::Failed)));
    let apart = page(
        r#"<div><button style="width:16px;height:16px;padding:0">a</button><button style="width:16px;height:16px;padding:0;margin-left:40px">b</button></div>"#,
    );
    let Some(p) = rendered(&apart, &MapSource::default()) else {
        return;
    };
    assert!(
        !rules(&p).iter().any(|(r, _)| r == "target-size"),
        "{:?}",
        p.measurements.target_size
    );
}

const COUNCIL_HOME: &str = r#"<!doctype html><html lang=en><head><title>Council home</title><style>.bare:focus{outline:none}</style></head>
<body><main><h1>Welcome</h1><p><a class="bare" href="/bins">Bins</a></p><script src="/menu.js"></script></main></body></html>"#;
const MENU_JS: &str = "const a = document.createElement('a'); a.href = '/pay'; a.textContent = 'Pay council tax'; document.querySelector('main').append(a);";

/// A council home page on loopback whose only focus style is removed, with a script.
fn serve_council() -> std::net::SocketAddr {
    use axum::Router;
    use axum::http::header;
    use axum::response::Html;
    use axum::routing::get;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let app = Router::new()
                .route("/", get(|| async { Html(COUNCIL_HOME) }))
                .route(
                    "/menu.js",
                    get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], MENU_JS) }),
                );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind loopback");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    rx.recv().expect("server address")
}

#[test]
fn audit_render_all_gives_rendered_findings_in_the_same_json_shape() {
    if renderer().is_none() {
        return;
    }
    let addr = serve_council();
    let url = format!("http://{addr}/");
    let run = |render: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_civicscan"))
            .args([
                "audit",
                "--render",
                render,
                "--format",
                "json",
                "--allow-private",
                &url,
            ])
            .output()
            .expect("the civicscan binary runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
        line["findings"].as_array().expect("findings").clone()
    };
    let rendered = run("all");
    let focus: Vec<_> = rendered
        .iter()
        .filter(|f| f["rule"] == "focus-visible")
        .collect();
    assert_eq!(focus.len(), 1, "{rendered:#?}");
    assert_eq!(focus[0]["outcome"], "failed");
    assert!(rendered.iter().all(|f| f["rendered"] == true));
    let statics = run("off");
    assert!(statics.iter().all(|f| f["rendered"] == false));
    assert!(!statics.iter().any(|f| f["rule"] == "focus-visible"));
    // The same keys on every finding, rendered or not.
    let keys = |f: &serde_json::Value| f.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert!(
        statics
            .iter()
            .chain(&rendered)
            .all(|f| keys(f) == keys(&rendered[0]))
    );
}
