//! The render stage in Debian's headless Chromium: the DOM after scripts, requests answered
//! through the caller's source, and the rendered checks. Skipped when no browser is installed,
//! except under CI, where a missing browser fails.

mod browser;
mod common;

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
        p.html.contains(r#"<a href="/bins" "#) && p.html.contains(">Bin collections</a>"),
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

// IDs reach only within one tree: a list in the document cannot own list items inside a
// shadow root by aria-owns (ACT ff89c9 Failed Example 4), while a list host whose shadow root
// holds the items (Passed Example 6) and items slotted into a shadow list are its children.
#[test]
fn aria_owns_does_not_reach_into_a_shadow_root_of_the_rendered_page() {
    let shadow = |host: &str, inner: &str, light: &str| {
        page(&format!(
            r#"{host}<div id="host">{light}</div><script>
            document.querySelector('#host').attachShadow({{ mode: 'open' }}).innerHTML = '{inner}';
            </script>"#
        ))
    };
    let items =
        r#"<div id="item1" role="listitem">One</div><div id="item2" role="listitem">Two</div>"#;
    let cases = [
        (
            "owned across the boundary",
            shadow(
                r#"<div role="list" aria-owns="item1 item2"></div>"#,
                items,
                "",
            ),
            2,
        ),
        (
            "the host is the list",
            shadow("", items, "").replace(r#"<div id="host">"#, r#"<div id="host" role="list">"#),
            0,
        ),
        (
            "slotted into a shadow list",
            shadow("", r#"<div role="list"><slot></slot></div>"#, items),
            0,
        ),
    ];
    for (what, html, failures) in cases {
        let Some(p) = rendered(&html, &MapSource::default()) else {
            return;
        };
        let found = rules(&p)
            .iter()
            .filter(|(r, o)| r == "aria-required-parent" && *o == Outcome::Failed)
            .count();
        assert_eq!(found, failures, "{what}: {}", p.html);
    }
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
fn each_stop_is_compared_on_screen_even_when_the_screen_without_focus_is_taken_once() {
    // Three links with no focus style at one scroll position: the walk takes the screen
    // without focus once, and still sees that focus on the second shows (a script writes
    // elsewhere on the page) while focus on the first and third does not.
    let html = page(
        r#"<style>a:focus{outline:none}</style><p id="status">Nothing chosen</p>
        <p><a id="one" href="/1">One</a> <a id="two" href="/2">Two</a> <a id="three" href="/3">Three</a></p>
        <script>
          const two = document.getElementById('two'), status = document.getElementById('status');
          two.addEventListener('focus', () => { status.textContent = 'Two is chosen'; });
          two.addEventListener('blur', () => { status.textContent = 'Nothing chosen'; });
        </script>"#,
    );
    let Some(p) = rendered(&html, &MapSource::default()) else {
        return;
    };
    let seen: Vec<(Option<&str>, Option<bool>)> = p
        .measurements
        .stops
        .iter()
        .map(|s| (s.key.as_deref(), s.screen_changed))
        .collect();
    assert_eq!(
        seen,
        vec![
            (Some("#one"), Some(false)),
            (Some("#two"), Some(true)),
            (Some("#three"), Some(false)),
        ],
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

fn contrast(p: &RenderedPage) -> Vec<Outcome> {
    rules(p)
        .into_iter()
        .filter(|(r, _)| r == "color-contrast")
        .map(|(_, o)| o)
        .collect()
}

// CSS-in-JS libraries (emotion, styled-components) add their rules through the CSSOM in
// production, so the `<style>` element in the DOM stays empty: the colours are the browser's.
#[test]
fn colours_a_script_set_through_the_cssom_are_judged_as_the_browser_paints_them() {
    let styled = |rule: &str| {
        page(&format!(
            r#"<style>p.note {{ color: #111; background: #fff }}</style><style data-emotion="css"></style>
            <p class="note">Your bin is collected on Tuesdays.</p>
            <script>document.styleSheets[1].insertRule('p.note {{ {rule} }}', 0);</script>"#
        ))
    };
    let Some(faint) = rendered(&styled("color: #bbb"), &MapSource::default()) else {
        return;
    };
    assert_eq!(
        contrast(&faint),
        vec![Outcome::Failed],
        "#bbb on white is 1.9:1, whatever the serialised style says"
    );
    let Some(fixed) = rendered(
        &page(
            r#"<style>p.note { color: #bbb; background: #fff }</style><style data-emotion="css"></style>
            <p class="note">Your bin is collected on Tuesdays.</p>
            <script>document.styleSheets[1].insertRule('p.note { color: #222 }', 0);</script>"#,
        ),
        &MapSource::default(),
    ) else {
        return;
    };
    assert_eq!(
        contrast(&fixed),
        Vec::<Outcome>::new(),
        "the script's rule makes the text dark: no false failure from the stylesheet it overrides"
    );
}

// A banner darkened by a ::before overlay: white on the banner's #ccc alone would be 1.6:1,
// but the text is drawn over the overlay, which the audit cannot composite. A small box a
// ::before paints (a bullet, an underline bar) changes nothing behind the text.
#[test]
fn text_under_a_pseudo_element_overlay_is_left_to_a_person() {
    let banner = |before: &str| {
        page(&format!(
            r#"<style>.hero {{ position: relative; background: #ccc; padding: 2em }}
            .hero::before {{ content: ""; position: absolute; {before} }}
            .hero p {{ color: #fff; position: relative }}</style>
            <div class="hero"><p>Pay your council tax online</p></div>"#
        ))
    };
    let Some(overlay) = rendered(
        &banner("inset: 0; background: rgba(0, 0, 0, .6)"),
        &MapSource::default(),
    ) else {
        return;
    };
    assert_eq!(
        contrast(&overlay),
        vec![Outcome::CantTell],
        "{}",
        overlay.html
    );
    for small in [
        "top: 0; left: 0; width: 8px; height: 8px; background: #000",
        "bottom: 0; left: 0; width: 100%; height: 3px; background: #000",
    ] {
        let Some(p) = rendered(&banner(small), &MapSource::default()) else {
            return;
        };
        assert_eq!(contrast(&p), vec![Outcome::Failed], "{small}: {}", p.html);
    }
}

#[test]
fn text_whose_colour_is_animating_is_left_to_a_person() {
    let html = page(
        r#"<style>@keyframes pulse { from { color: #eee } to { color: #000 } }
        .news { animation: pulse 2s infinite alternate; background: #fff }</style>
        <p class="news">Council tax bills are on their way.</p>"#,
    );
    let Some(p) = rendered(&html, &MapSource::default()) else {
        return;
    };
    assert_eq!(contrast(&p), vec![Outcome::CantTell], "{}", p.html);
    // The colour an ancestor animates is inherited, frame by frame, by text on a background
    // of its own.
    let inherited = page(
        r#"<style>@keyframes pulse { from { color: #eee } to { color: #000 } }
        .news { animation: pulse 2s infinite alternate }</style>
        <div class="news"><p style="background: #fff">Council tax bills are on their way.</p></div>"#,
    );
    let Some(p) = rendered(&inherited, &MapSource::default()) else {
        return;
    };
    assert_eq!(contrast(&p), vec![Outcome::CantTell], "{}", p.html);
}

#[test]
fn a_page_cannot_speak_for_the_browser_with_our_own_attributes() {
    let html = page(
        r#"<p style="color: #ccc; background: #fff" data-civicscan-paint="rgb(0, 0, 0)|rgb(255, 255, 255)|0|1|16|400|0|0|0|0">Pale text.</p>"#,
    );
    let Some(p) = rendered(&html, &MapSource::default()) else {
        return;
    };
    assert_eq!(
        p.html.matches("data-civicscan-paint").count(),
        3,
        "one each on html, body and p, the page's own dropped: {}",
        p.html
    );
    assert_eq!(contrast(&p), vec![Outcome::Failed], "{}", p.html);
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

/// A council footer's links as a plain list: each link one line of text high (under 24 px),
/// the lines touching. The footer of `tests/fixtures/a11y/council-home.html`, where axe-core
/// failed 2.5.8 and civicscan did not (`tools/axe-compare`).
fn footer_list(li_style: &str) -> String {
    page(&format!(
        r#"<footer><ul style="font:16px/19px sans-serif"><li style="{li_style}"><a href="/accessibility-statement">Accessibility statement</a></li><li style="{li_style}"><a href="/privacy">Privacy notice</a></li><li style="{li_style}"><a href="/cookies">Cookies</a></li></ul></footer>"#
    ))
}

#[test]
fn stacked_links_whose_circles_reach_the_next_link_fail_target_size_and_spaced_ones_pass() {
    // Understanding 2.5.8: an undersized target's 24 px circle may intersect neither another
    // target nor another undersized target's circle; menu items 18 px high, stacked, fail.
    // Here the centres are far apart (the links differ in width), but each circle reaches
    // into the link below.
    let Some(p) = rendered(&footer_list(""), &MapSource::default()) else {
        return;
    };
    assert!(
        rules(&p).contains(&("target-size".to_string(), Outcome::Failed)),
        "{:?}",
        p.measurements.target_size
    );
    let spaced = footer_list("margin:6px 0");
    let Some(p) = rendered(&spaced, &MapSource::default()) else {
        return;
    };
    assert!(
        !rules(&p).iter().any(|(r, _)| r == "target-size"),
        "{:?}",
        p.measurements.target_size
    );
}

#[test]
fn stacked_items_that_are_targets_by_role_alone_are_left_to_a_person() {
    // ACT bc4a75, Passed Example 6: menu items with a role but no tabindex and no handler. axe
    // does not count them as targets; nothing on the page says they take a click.
    let menu = page(
        r#"<div role="menu"><div role="group"><span role="menuitem">Item 1</span><div role="group"><span role="menuitem">Item 2</span><span role="menuitem">Item 3</span></div></div></div>"#,
    );
    let Some(p) = rendered(&menu, &MapSource::default()) else {
        return;
    };
    let found = rules(&p);
    assert!(
        !found.contains(&("target-size".to_string(), Outcome::Failed)),
        "{found:?}"
    );
    assert!(
        found.contains(&("target-size".to_string(), Outcome::CantTell)),
        "{found:?}"
    );
}

#[test]
fn focus_that_goes_into_a_frame_is_left_to_a_person_once_not_failed() {
    // A council page embedding a feedback form (the demo's frame barrier): Tab walks into the
    // frame's links, which show the browser's focus ring in the frame's own document.
    let frame = "<!doctype html><html lang=en><head><title>Feedback</title></head><body><a href=\"/a\">One</a> <a href=\"/b\">Two</a></body></html>";
    let source = MapSource::default().with(
        "http://council.test/embed/feedback",
        "text/html; charset=utf-8",
        frame,
    );
    let html = page(
        r#"<p><a href="/before">Before</a></p><iframe title="Feedback" src="/embed/feedback" width="300" height="120"></iframe><p><a href="/after">After</a></p>"#,
    );
    let Some(p) = rendered(&html, &source) else {
        return;
    };
    let focus: Vec<Outcome> = rules(&p)
        .into_iter()
        .filter(|(r, _)| r == "focus-visible")
        .map(|(_, o)| o)
        .collect();
    assert!(
        focus.iter().all(|o| *o == Outcome::CantTell) && focus.len() <= 1,
        "{focus:?}: {:?}",
        p.measurements.stops
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

/// A council on loopback for rendered surveys: a home page with a script and a link whose focus
/// is hidden, an application form page, a news page (not a key page), a script robots.txt
/// forbids, and every path asked for counted.
struct Council {
    addr: std::net::SocketAddr,
    hits: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

const RENDER_HOME: &str = r#"<!doctype html><html lang=en><head><title>Home - Rendered District Council</title><style>.bare:focus{outline:none}</style></head>
<body><header><a href="/">Rendered District Council</a></header><main><h1>Welcome to Rendered District Council</h1>
<p><a class="bare" href="/news/summer-fair">Summer fair</a></p><p><a href="/apply">Apply for a garden waste permit</a></p>
<script src="/js/site.js"></script><script src="/private/tracker.js"></script></main></body></html>"#;
const RENDER_FORM: &str = r#"<!doctype html><html lang=en><head><title>Apply for a garden waste permit</title></head>
<body><main><h1>Apply for a garden waste permit</h1><form action="/apply" method="post"><p><label for="n">Your name</label> <input id="n" name="name"></p>
<p><label for="a">Your address</label> <input id="a" name="address"></p><button type="submit">Apply</button></form><script src="/js/site.js"></script></main></body></html>"#;
const RENDER_NEWS: &str = r#"<!doctype html><html lang=en><head><title>Summer fair</title></head>
<body><main><h1>Summer fair</h1><p>The summer fair is in the park on Saturday.</p><p><a href="/">Home</a></p></main></body></html>"#;
/// The council's menu, built by script: the only link to its missed-bin page.
const SITE_JS: &str = "const nav = document.createElement('nav'); nav.setAttribute('aria-label', 'Services'); nav.innerHTML = '<a href=\"/bins/report-a-missed-bin\">Report a missed bin collection</a>'; document.body.prepend(nav);";
const RENDER_BINS: &str = r#"<!doctype html><html lang=en><head><title>Report a missed bin collection</title></head>
<body><main><h1>Report a missed bin collection</h1><p>If we did not empty your bin on your collection day, tell us by the end of the next working day.</p>
<p>Phone 01234 567890 to report a missed bin collection.</p></main></body></html>"#;
/// A home page whose link names a task its target's own title does not.
const PLAIN_HOME: &str = r#"<!doctype html><html lang=en><head><title>Plain Council</title></head>
<body><main><h1>Plain Council</h1><p><a href="/waste/problem">Report a missed bin collection</a></p></main></body></html>"#;
const VAGUE_TASK: &str = r#"<!doctype html><html lang=en><head><title>Tell us about a problem</title></head>
<body><main><h1>Tell us about a problem</h1><p>If we did not empty your bin on your collection day, tell us by the end of the next working day.</p>
<p><img src="/lorry.jpg" width="300" height="200"></p></main></body></html>"#;
const RENDER_HANG: &str = r#"<!doctype html><html lang=en><head><title>Pay for a permit</title></head>
<body><main><h1>Pay for a permit</h1><p><img src="/photo.jpg" width="400" height="200"></p>
<form action="/pay" method="post"><label for="r">Reference</label> <input id="r" name="ref"><button>Pay</button></form>
<script>for (;;) {}</script></main></body></html>"#;

fn serve_rendered_council() -> Council {
    use axum::Router;
    use axum::extract::{Request, State};
    use axum::http::{StatusCode, header};
    use axum::response::{Html, IntoResponse, Response};
    type Hits = std::sync::Arc<std::sync::Mutex<Vec<String>>>;
    async fn answer(State(hits): State<Hits>, req: Request) -> Response {
        let path = req.uri().path().to_string();
        hits.lock().unwrap().push(path.clone());
        match path.as_str() {
            "/robots.txt" => "User-agent: *\nDisallow: /private/\n".into_response(),
            "/" => Html(RENDER_HOME).into_response(),
            "/apply" => Html(RENDER_FORM).into_response(),
            "/news/summer-fair" => Html(RENDER_NEWS).into_response(),
            "/hang" => Html(RENDER_HANG).into_response(),
            "/bins/report-a-missed-bin" => Html(RENDER_BINS).into_response(),
            "/plain-home" => Html(PLAIN_HOME).into_response(),
            "/waste/problem" => Html(VAGUE_TASK).into_response(),
            "/js/site.js" | "/private/tracker.js" => {
                ([(header::CONTENT_TYPE, "text/javascript")], SITE_JS).into_response()
            }
            _ => StatusCode::NOT_FOUND.into_response(),
        }
    }
    let hits: Hits = Default::default();
    let state = hits.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let app = Router::new().fallback(answer).with_state(state);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind loopback");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    Council {
        addr: rx.recv().expect("server address"),
        hits,
    }
}

fn write_sites(dir: &std::path::Path, addr: std::net::SocketAddr) {
    std::fs::write(
        dir.join("sites.csv"),
        format!(
            "slug,name,type,homepage_url\nrendered,Rendered District Council,SD,http://{addr}/\n"
        ),
    )
    .unwrap();
}

/// `civicscan survey --render MODE` of one council into `db` in `dir`.
fn survey_rendering(dir: &std::path::Path, db: &str, mode: &str) -> String {
    let out = common::civicscan(
        dir,
        &[
            "survey",
            "--sites",
            "sites.csv",
            "--db",
            db,
            "--allow-private",
            "--rate",
            "50",
            "--max-pages",
            "10",
            "--quiet",
            "--render",
            mode,
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    common::stdout(&out)
}

#[test]
fn survey_render_key_renders_the_key_pages_politely_and_stores_rendered_findings() {
    if renderer().is_none() {
        return;
    }
    let council = serve_rendered_council();
    let dir = tempfile::tempdir().unwrap();
    write_sites(dir.path(), council.addr);
    let said = survey_rendering(dir.path(), "s.db", "key");
    assert!(
        said.contains("rendered in the browser (key pages): 3 pages"),
        "{said}"
    );

    let store = civicscan::store::Store::open(&dir.path().join("s.db")).unwrap();
    let run = store.latest_finished_run().unwrap().unwrap();
    assert_eq!(run.settings["render"], "key");
    let pages = store.pages(run.id, "rendered").unwrap();
    let rendering = |path: &str| {
        pages
            .iter()
            .find(|p| p.page.url.path() == path)
            .unwrap_or_else(|| panic!("{path} was crawled"))
            .facts
            .as_ref()
            .unwrap()
            .rendering
            .clone()
    };
    use civicscan::page::Rendering;
    assert_eq!(
        rendering("/"),
        Some(Rendering::Rendered { scripts_missing: 1 }),
        "the home page is rendered, without the script robots.txt forbids"
    );
    assert!(
        matches!(rendering("/apply"), Some(Rendering::Rendered { .. })),
        "a form page is key"
    );
    assert!(
        matches!(
            rendering("/bins/report-a-missed-bin"),
            Some(Rendering::Rendered { .. })
        ),
        "a task page is key"
    );
    assert_eq!(
        rendering("/news/summer-fair"),
        None,
        "a news page is not key"
    );

    let findings = store.findings(run.id, "rendered").unwrap();
    let on = |path: &str| -> Vec<&civicscan::audit::a11y::Finding> {
        findings
            .iter()
            .filter(|(u, _)| url::Url::parse(u).unwrap().path() == path)
            .map(|(_, f)| f)
            .collect()
    };
    assert!(
        on("/")
            .iter()
            .any(|f| f.rule == "focus-visible" && f.outcome == Outcome::Failed),
        "the hidden focus is seen in the browser: {:#?}",
        on("/")
    );
    assert!(on("/").iter().chain(&on("/apply")).all(|f| f.rendered));
    assert!(on("/news/summer-fair").iter().all(|f| !f.rendered));

    // The browser's requests went through the crawler: robots.txt kept it from the forbidden
    // script, and the council's script was asked for once for both pages.
    let hits = council.hits.lock().unwrap().clone();
    assert!(!hits.iter().any(|h| h.starts_with("/private/")), "{hits:?}");
    assert_eq!(
        hits.iter().filter(|h| *h == "/js/site.js").count(),
        1,
        "{hits:?}"
    );
    assert_eq!(
        hits.iter().filter(|h| *h == "/").count(),
        1,
        "the page itself is fetched once: {hits:?}"
    );
}

#[test]
fn survey_render_without_a_browser_is_refused_before_the_run_begins() {
    let dir = tempfile::tempdir().unwrap();
    write_sites(dir.path(), "127.0.0.1:9".parse().unwrap());
    let out = common::civicscan(
        dir.path(),
        &[
            "survey",
            "--sites",
            "sites.csv",
            "--db",
            "s.db",
            "--allow-private",
            "--render",
            "key",
            "--chromium",
            "/no/such/chromium",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let said = common::stderr(&out);
    assert!(
        said.contains("--render key: cannot render pages, no browser: /no/such/chromium: no such file (from --chromium)"),
        "{said}"
    );
    let store = civicscan::store::Store::open(&dir.path().join("s.db")).unwrap();
    assert!(store.runs().unwrap().is_empty(), "no run was begun");
}

/// A council checking its own site is told what the browser rendered, as a survey is.
#[test]
fn check_renders_its_key_pages_by_default_and_says_how_many() {
    if renderer().is_none() {
        return;
    }
    let council = serve_rendered_council();
    let dir = tempfile::tempdir().unwrap();
    let home = format!("http://{}/", council.addr);
    let out = common::civicscan(
        dir.path(),
        &[
            "check",
            &home,
            "--type",
            "SD",
            "--allow-private",
            "--rate",
            "50",
            "--max-pages",
            "10",
            "--quiet",
            "--out",
            "out",
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let said = common::stdout(&out);
    assert!(
        said.contains("rendered in the browser (key pages): 3 pages"),
        "{said}"
    );
}

#[test]
fn check_without_a_browser_says_rendering_was_skipped_and_completes() {
    let council = serve_rendered_council();
    let dir = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let home = format!("http://{}/", council.addr);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_civicscan"))
        .args([
            "check",
            &home,
            "--type",
            "SD",
            "--allow-private",
            "--rate",
            "50",
            "--quiet",
            "--out",
            "out",
        ])
        .current_dir(dir.path())
        .env("PATH", empty.path())
        .env_remove("CIVICSCAN_CHROMIUM")
        .output()
        .unwrap();
    let said = common::stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("warning: rendering skipped, so the checks only a browser can make were not made: no browser: none of chromium-headless-shell, chromium"),
        "{said}"
    );
    assert!(dir.path().join("out/index.html").exists());
    let store = civicscan::store::Store::open(&dir.path().join("out/check.db")).unwrap();
    let run = store.latest_finished_run().unwrap().unwrap();
    assert_eq!(run.settings["render"], "key");
    assert!(
        run.settings["render_skipped"]
            .as_str()
            .unwrap()
            .starts_with("no browser"),
        "{}",
        run.settings
    );
    let findings = store.findings(run.id, &run_slug(&home)).unwrap();
    assert!(!findings.is_empty() && findings.iter().all(|(_, f)| !f.rendered));
}

fn run_slug(home: &str) -> String {
    civicscan::survey::check::slug_for(&url::Url::parse(home).unwrap())
}

#[test]
fn a_page_that_cannot_be_rendered_keeps_its_static_findings_and_says_why() {
    use civicscan::survey::render::RenderStage;
    use std::sync::{Arc, Mutex};
    let Some(path) = civicscan::render::find_chromium(None).ok().or_else(|| {
        renderer();
        None
    }) else {
        return;
    };
    let council = serve_rendered_council();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let mut rules = civicscan::ruleset::builtin();
    rules.crawl.requests_per_second = 50.0;
    rules.crawl.max_pages = 1;
    let site = civicscan::sites::Site::new(
        "hang",
        "Hanging Council",
        civicscan::sites::CouncilType::SD,
        url::Url::parse(&format!("http://{}/hang", council.addr)).unwrap(),
    );
    let mut store = civicscan::store::Store::open(&db).unwrap();
    let run = store
        .begin_run(&rules, &serde_json::json!({}), std::slice::from_ref(&site))
        .unwrap();
    store.start_site(run, "hang").unwrap();
    let run_sites = store.sites(run).unwrap();
    let store = Arc::new(Mutex::new(store));
    rt.block_on(async {
        let mut config = civicscan::crawl::CrawlConfig::from_budget(&rules.crawl);
        config.allow_private = true;
        let crawler = Arc::new(civicscan::crawl::Crawler::new(config).unwrap());
        // A short budget: the page's script never ends, so the page is never ready.
        let mut opts = civicscan::render::RenderOptions::new(path);
        opts.page_budget = std::time::Duration::from_secs(2);
        let browser = civicscan::render::Renderer::start(opts).expect("the browser starts");
        let stage = Arc::new(RenderStage::new(
            civicscan::render::RenderMode::Key,
            browser,
            crawler.clone(),
        ));
        let writer = Arc::new(
            civicscan::store::StoreWriter::start(&store, run, Default::default()).unwrap(),
        );
        let handler = civicscan::survey::SurveyHandler::new(
            run,
            store.clone(),
            writer.clone(),
            Arc::new(rules.clone()),
            crawler.clone(),
            &run_sites,
            civicscan::survey::Progress::quiet(),
        )
        .with_render(stage.clone());
        crawler
            .crawl_site(&site, Arc::new(handler), civicscan::crawl::Resume::none())
            .await;
        writer.close();
        assert!(
            stage
                .summary()
                .contains("1 could not be rendered and keep their static findings"),
            "{}",
            stage.summary()
        );
    });
    let store = store.lock().unwrap();
    let pages = store.pages(run, "hang").unwrap();
    let rendering = pages[0].facts.as_ref().unwrap().rendering.clone();
    match rendering {
        Some(civicscan::page::Rendering::NotRendered { reason }) => {
            assert!(
                reason.ends_with("/hang: not rendered within 2000 ms"),
                "{reason}"
            )
        }
        other => panic!("expected the reason it was not rendered, got {other:?}"),
    }
    let findings = store.findings(run, "hang").unwrap();
    assert!(
        findings
            .iter()
            .any(|(_, f)| f.rule == "image-alt" && !f.rendered),
        "the static findings stand: {findings:#?}"
    );
    assert!(findings.iter().all(|(_, f)| !f.rendered));
}

#[test]
fn links_built_by_script_are_crawled_only_when_rendered_and_say_so() {
    if renderer().is_none() {
        return;
    }
    let council = serve_rendered_council();
    let dir = tempfile::tempdir().unwrap();
    write_sites(dir.path(), council.addr);
    let task = |db: &str| {
        let store = civicscan::store::Store::open(&dir.path().join(db)).unwrap();
        let run = store.latest_finished_run().unwrap().unwrap();
        let pages = store.pages(run.id, "rendered").unwrap();
        let a = store.assessments(run.id).unwrap().remove(0);
        let t = a
            .tasks
            .into_iter()
            .find(|t| t.task == "report-missed-bin")
            .unwrap();
        (pages, t)
    };

    survey_rendering(dir.path(), "static.db", "off");
    let (pages, bins) = task("static.db");
    assert!(
        !pages.iter().any(|p| p.page.url.path().starts_with("/bins")),
        "the menu is built by script, so the page as served links nowhere near it"
    );
    assert_eq!(bins.page_url, None, "{}", bins.reason);

    survey_rendering(dir.path(), "rendered.db", "key");
    let (pages, bins) = task("rendered.db");
    let home = pages.iter().find(|p| p.page.url.path() == "/").unwrap();
    let links: Vec<(&str, bool)> = home
        .facts
        .as_ref()
        .unwrap()
        .links
        .iter()
        .map(|l| (l.href.path(), l.from_script))
        .collect();
    assert!(
        links.contains(&("/bins/report-a-missed-bin", true)),
        "{links:?}"
    );
    assert!(links.contains(&("/apply", false)), "{links:?}");
    assert_eq!(
        bins.page_url
            .as_deref()
            .map(|u| url::Url::parse(u).unwrap().path().to_string()),
        Some("/bins/report-a-missed-bin".to_string()),
        "{}",
        bins.reason
    );
    assert!(
        bins.reason
            .contains("\"Report a missed bin collection\" (a link built by script)"),
        "the evidence says the way there was built by script: {}",
        bins.reason
    );
}

/// `civicscan demo` of the scripted council alone, rendering `render`.
fn scripted_demo(
    render: civicscan::render::RenderMode,
    dir: &std::path::Path,
) -> civicscan::demo::DemoOutcome {
    let opts = civicscan::demo::DemoOptions {
        councils: 0,
        scripted: true,
        render,
        out: dir.to_path_buf(),
        rate: 100.0,
        ..Default::default()
    };
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(civicscan::demo::run_demo(&opts))
        .expect("the demo runs")
}

#[test]
fn the_scripted_demo_council_is_surveyed_right_only_with_rendering_on() {
    use civicscan::demo::scripted::{SCRIPTED_TASK, SLUG, STATIC_TASK};
    use civicscan::render::RenderMode;
    if renderer().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pages = |acc: &civicscan::demo::Accuracy, task: &str| acc.task_pages_by_task[task];
    let trap = |acc: &civicscan::demo::Accuracy| acc.barriers["keyboard-trap"];

    // As served: the menu is empty, so the bins pages are never reached; the trap is script.
    let off = scripted_demo(RenderMode::Off, &dir.path().join("off"));
    let acc = &off.accuracy;
    assert_eq!(pages(acc, STATIC_TASK.0).tp, 1, "{acc}");
    let missed = pages(acc, SCRIPTED_TASK.0);
    assert_eq!((missed.tp, missed.missed), (0, 1), "{acc}");
    assert_eq!((trap(acc).tp, trap(acc).missed), (0, 1), "{acc}");
    let store = civicscan::store::Store::open(&off.db).unwrap();
    let findings = store.findings(off.survey.run, SLUG).unwrap();
    assert!(
        !findings
            .iter()
            .any(|(_, f)| f.rule == "keyboard-trap" && f.outcome == Outcome::Failed),
        "{findings:#?}"
    );

    // Rendered: the menu is there, its links are followed, and the trap is felt.
    let key = scripted_demo(RenderMode::Key, &dir.path().join("key"));
    let acc = &key.accuracy;
    assert_eq!(pages(acc, STATIC_TASK.0).tp, 1, "{acc}");
    let found = pages(acc, SCRIPTED_TASK.0);
    assert_eq!((found.tp, found.fp, found.missed), (1, 0, 0), "{acc}");
    assert_eq!(
        (trap(acc).tp, trap(acc).fp, trap(acc).missed),
        (1, 0, 0),
        "{acc}"
    );
    assert_eq!(
        acc.task_pages.fp, 0,
        "no task page where there is none: {acc}"
    );
    let store = civicscan::store::Store::open(&key.db).unwrap();
    let a = store.assessments(key.survey.run).unwrap().remove(0);
    let bins = a.tasks.iter().find(|t| t.task == SCRIPTED_TASK.0).unwrap();
    assert!(
        bins.reason.contains("(a link built by script)"),
        "{}",
        bins.reason
    );
    let findings = store.findings(key.survey.run, SLUG).unwrap();
    let traps: Vec<_> = findings
        .iter()
        .filter(|(_, f)| f.rule == "keyboard-trap")
        .collect();
    assert_eq!(traps.len(), 1, "{traps:#?}");
    assert!(
        traps[0].0.ends_with('/') && traps[0].1.rendered,
        "{traps:#?}"
    );
    assert!(
        key.survey
            .to_string()
            .contains("rendered in the browser (key pages)"),
        "{}",
        key.survey
    );
}

#[test]
fn a_task_page_known_only_by_the_links_to_it_is_rendered_after_the_assessment() {
    if renderer().is_none() {
        return;
    }
    let council = serve_rendered_council();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sites.csv"),
        format!(
            "slug,name,type,homepage_url\nplain,Plain Council,SD,http://{}/plain-home\n",
            council.addr
        ),
    )
    .unwrap();
    let said = survey_rendering(dir.path(), "s.db", "key");
    let store = civicscan::store::Store::open(&dir.path().join("s.db")).unwrap();
    let run = store.latest_finished_run().unwrap().unwrap();
    let a = store.assessments(run.id).unwrap().remove(0);
    let bins = a
        .tasks
        .iter()
        .find(|t| t.task == "report-missed-bin")
        .unwrap();
    assert!(
        bins.page_url
            .as_deref()
            .is_some_and(|u| u.ends_with("/waste/problem")),
        "the link's words name the task: {}",
        bins.reason
    );
    let pages = store.pages(run.id, "plain").unwrap();
    let page = pages
        .iter()
        .find(|p| p.page.url.path() == "/waste/problem")
        .unwrap();
    assert!(
        matches!(
            page.facts.as_ref().unwrap().rendering,
            Some(civicscan::page::Rendering::Rendered { .. })
        ),
        "{:?}",
        page.facts.as_ref().unwrap().rendering
    );
    assert_eq!(
        pages[1].page.url.path(),
        "/waste/problem",
        "it keeps its place"
    );
    let findings = store.findings(run.id, "plain").unwrap();
    let on_task: Vec<_> = findings
        .iter()
        .filter(|(u, _)| u.ends_with("/waste/problem"))
        .map(|(_, f)| f)
        .collect();
    assert!(
        on_task.iter().any(|f| f.rule == "image-alt") && on_task.iter().all(|f| f.rendered),
        "{on_task:#?}"
    );
    // The crawl did not take it for a key page; it was fetched again, politely, to render it.
    let hits = council.hits.lock().unwrap().clone();
    assert_eq!(
        hits.iter().filter(|h| *h == "/waste/problem").count(),
        2,
        "{hits:?}"
    );
    assert!(
        said.contains("rendered in the browser (key pages): 2 pages"),
        "{said}"
    );
}

#[test]
fn a_resumed_run_renders_as_it_began_and_refuses_another_render_mode() {
    let dir = tempfile::tempdir().unwrap();
    write_sites(dir.path(), "127.0.0.1:9".parse().unwrap());
    // An unfinished run that began with --render key, as `survey` stores it.
    let rules = civicscan::ruleset::builtin();
    let overrides = civicscan::survey::CrawlOverrides {
        allow_private: true,
        render: Some(civicscan::render::RenderMode::Key),
        ..Default::default()
    };
    let settings = civicscan::survey::RunSettings::new(&rules.crawl, &overrides);
    let sites = civicscan::sites::load(&dir.path().join("sites.csv")).unwrap();
    let mut store = civicscan::store::Store::open(&dir.path().join("s.db")).unwrap();
    store
        .begin_run(&rules, &serde_json::to_value(&settings).unwrap(), &sites)
        .unwrap();
    drop(store);

    let resume = |extra: &[&str]| {
        let mut args = vec!["survey", "--resume", "--db", "s.db"];
        args.extend_from_slice(extra);
        common::civicscan(dir.path(), &args)
    };
    let out = resume(&["--render", "off"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("--render off contradicts run 1, which started with key"),
        "{}",
        common::stderr(&out)
    );
    let out = resume(&["--chromium", "/no/such/chromium"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains(
            "--render key: cannot render pages, no browser: /no/such/chromium: no such file (from --chromium) (run 1 renders its pages)"
        ),
        "{}",
        common::stderr(&out)
    );
}

/// A page that leaves all it can behind in its tab: focus held by a keyboard trap's listeners,
/// and a script asking for `/poll.json` (answered by [`polled`]) every 10 ms.
fn trapping_polling_page() -> String {
    page(
        r#"<a href="/1">One</a><div><button id="a">A</button><button id="b">B</button></div>
        <script>
          for (const [from, to] of [['a','b'],['b','a']]) document.getElementById(from)
            .addEventListener('keydown', e => { if (e.key === 'Tab') { e.preventDefault(); document.getElementById(to).focus(); } });
          setInterval(() => fetch('/poll.json'), 10);
        </script>"#,
    )
}

/// A source answering the polling page's requests.
fn polled() -> MapSource {
    MapSource::default().with("http://council.test/poll.json", "application/json", "{}")
}

/// A browser with a single tab, so pages take turns in it; `None` without a browser (as
/// [`renderer`] says why).
fn one_tab_renderer() -> Option<civicscan::render::Renderer> {
    let path = civicscan::render::find_chromium(None).ok()?;
    let mut opts = civicscan::render::RenderOptions::new(path);
    opts.tabs = 1;
    Some(civicscan::render::Renderer::start(opts).expect("the browser starts"))
}

/// `got` was measured as a fresh browser measured `fresh`: the same measurements, the same
/// requests answered, blocked and missing, and the same verdicts.
fn assert_measured_alike(got: &RenderedPage, fresh: &RenderedPage) {
    assert_eq!(
        serde_json::to_value(&got.measurements).unwrap(),
        serde_json::to_value(&fresh.measurements).unwrap()
    );
    assert_eq!(
        (
            got.requests_answered,
            got.requests_blocked,
            got.scripts_missing
        ),
        (
            fresh.requests_answered,
            fresh.requests_blocked,
            fresh.scripts_missing
        )
    );
    assert_eq!(rules(got), rules(fresh));
}

#[test]
fn a_tab_reused_for_the_next_page_measures_it_as_a_fresh_browser_does() {
    // The first page leaves all it can behind: a keyboard trap with listeners, a viewport
    // narrowed to 320 px for reflow, a script that keeps asking for data.
    let trap = trapping_polling_page();
    let next = page(
        r#"<nav><a href="/bins">Bins</a> <a href="/tax">Council tax</a></nav>
        <p style="width:900px">A paragraph set to a fixed width of nine hundred pixels, so its words run on past the edge of a narrow screen.</p>
        <button style="width:10px;height:10px"></button><button style="width:10px;height:10px"></button>
        <div style="height:1.3em;overflow:hidden;width:300px;line-height:1.2">Collections are on Tuesdays</div>"#,
    );
    let Some(fresh) = rendered(&next, &MapSource::default()) else {
        return;
    };
    let Some(r) = one_tab_renderer() else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = Url::parse("http://council.test/page").unwrap();
    let source = polled();
    let first = rt
        .block_on(r.render(&url, &trap, &source))
        .expect("renders");
    assert!(
        !first.measurements.trap.is_empty(),
        "{:?}",
        first.measurements
    );
    let reused = rt
        .block_on(r.render(&url, &next, &MapSource::default()))
        .expect("renders");
    assert_eq!(
        r.tabs_opened(),
        1,
        "the second page used the first page's tab"
    );
    assert_measured_alike(&reused, &fresh);
    assert_eq!(reused.html, fresh.html);
    assert!(
        rules(&reused).contains(&("reflow".to_string(), Outcome::Failed)),
        "the measured page fails reflow whichever tab measured it"
    );
}

#[test]
fn a_page_that_waited_for_the_tab_is_measured_as_a_fresh_browser_does() {
    // A page waiting for the only tab while another is rendered in it (as in a survey, where
    // pages queue for tabs): none of the first page's requests may count as the second's,
    // though it keeps asking for data (a tab that went from one page straight to the next
    // without leaving for `about:blank` counted them), kept focus in a trap and left the
    // viewport at 320 px; both pages are of one origin.
    let trap = trapping_polling_page();
    let next = page(
        r#"<nav><a href="/bins">Bins</a> <a href="/tax">Council tax</a></nav>
        <p style="width:900px">A paragraph set to a fixed width of nine hundred pixels, so its words run on past the edge of a narrow screen.</p>
        <a href="/x" style="outline:none">No focus shown</a>
        <button style="width:10px;height:10px"></button><button style="width:10px;height:10px"></button>
        <div style="height:1.3em;overflow:hidden;width:300px;line-height:1.2">Collections are on Tuesdays</div>"#,
    );
    let Some(fresh) = rendered(&next, &MapSource::default()) else {
        return;
    };
    let Some(r) = one_tab_renderer() else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (first_url, next_url) = (
        Url::parse("http://council.test/page").unwrap(),
        Url::parse("http://council.test/next").unwrap(),
    );
    let source = polled();
    let empty = MapSource::default();
    let (first, waited) = rt.block_on(async {
        futures::join!(
            r.render(&first_url, &trap, &source),
            r.render(&next_url, &next, &empty)
        )
    });
    let (first, waited) = (first.expect("renders"), waited.expect("renders"));
    assert!(
        !first.measurements.trap.is_empty(),
        "{:?}",
        first.measurements
    );
    assert_eq!(
        r.tabs_opened(),
        1,
        "the waiting page used the first page's tab"
    );
    assert_measured_alike(&waited, &fresh);
    assert!(
        rules(&waited).contains(&("reflow".to_string(), Outcome::Failed)),
        "the waiting page is measured at 320 px like a fresh one"
    );
}

#[test]
fn a_page_that_guards_its_timers_still_leaves_nothing_running_for_the_next() {
    // A page that replaces the functions that would stop it, keeps asking for data, and asks
    // before it may be left: the next page in its tab is still measured as in a fresh browser.
    let stubborn = page(
        r#"<a href="/1">One</a>
        <script>
          window.clearTimeout = window.clearInterval = () => {};
          window.cancelAnimationFrame = () => {};
          Document.prototype.open = function () { return this; };
          window.stop = () => {};
          setInterval(() => fetch('/poll.json'), 10);
          const frame = () => { fetch('/poll.json?frame'); requestAnimationFrame(frame); };
          requestAnimationFrame(frame);
          addEventListener('resize', () => fetch('/poll.json?resize'));
          addEventListener('beforeunload', (e) => { e.preventDefault(); e.returnValue = 'stay'; });
        </script>"#,
    );
    let next = page(
        r#"<nav><a href="/bins">Bins</a> <a href="/tax">Council tax</a></nav>
        <a href="/x" style="outline:none">No focus shown</a>
        <p style="width:900px">A paragraph set to a fixed width of nine hundred pixels, so its words run on past the edge of a narrow screen.</p>"#,
    );
    let Some(fresh) = rendered(&next, &MapSource::default()) else {
        return;
    };
    let Some(r) = one_tab_renderer() else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let source = polled()
        .with(
            "http://council.test/poll.json?frame",
            "application/json",
            "{}",
        )
        .with(
            "http://council.test/poll.json?resize",
            "application/json",
            "{}",
        );
    let first = rt
        .block_on(r.render(
            &Url::parse("http://council.test/stubborn").unwrap(),
            &stubborn,
            &source,
        ))
        .expect("renders");
    assert!(first.requests_answered > 1, "the first page polled");
    let after = rt
        .block_on(r.render(
            &Url::parse("http://council.test/next").unwrap(),
            &next,
            &MapSource::default(),
        ))
        .expect("renders");
    assert_eq!(
        r.tabs_opened(),
        1,
        "the next page used the first page's tab"
    );
    assert_measured_alike(&after, &fresh);
}

/// The browser's processes (the one at `pid` and every descendant), read from /proc.
fn process_tree(pid: u32) -> Vec<u32> {
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        let children = std::fs::read_to_string(format!("/proc/{parent}/task/{parent}/children"))
            .unwrap_or_default();
        tree.extend(
            children
                .split_whitespace()
                .filter_map(|c| c.parse::<u32>().ok()),
        );
        i += 1;
    }
    tree
}

#[test]
fn a_stopped_renderer_leaves_no_browser_process_and_no_profile_folder_behind() {
    let Some(r) = renderer() else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = Url::parse("http://council.test/page").unwrap();
    rt.block_on(r.render(&url, &page("<p>Hello</p>"), &MapSource::default()))
        .expect("the page renders");
    let pid = r.browser_pid().expect("the browser runs");
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).expect("the browser's cmdline");
    let profile = cmdline
        .split(|b| *b == 0)
        .filter_map(|arg| std::str::from_utf8(arg).ok())
        .find_map(|arg| arg.strip_prefix("--user-data-dir="))
        .map(std::path::PathBuf::from)
        .expect("the browser was given a profile folder");
    let processes = process_tree(pid);
    assert!(
        profile.is_dir(),
        "{} exists while the browser runs",
        profile.display()
    );
    assert!(
        processes.len() > 1,
        "the browser has helper processes: {processes:?}"
    );

    drop(r);

    assert!(!profile.exists(), "{} was removed", profile.display());
    // A helper may take a moment to be reaped by init; give it a second, no more.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
    let alive = |p: &u32| {
        std::fs::read_to_string(format!("/proc/{p}/stat")).is_ok_and(|s| {
            !s.rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('Z')
        })
    };
    while processes.iter().any(alive) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let left: Vec<_> = processes.iter().filter(|p| alive(p)).collect();
    assert!(left.is_empty(), "browser processes still running: {left:?}");
}

#[test]
fn a_page_that_opens_dialogs_is_rendered_as_if_each_were_answered_ok() {
    // alert(), confirm() and prompt() while loading, and an alert when a control gains focus:
    // a person would press OK and carry on; the render must not wait for ever.
    let html = page(
        r#"<p id="out">waiting</p><button id="b">Go</button>
        <script>
          alert('Welcome');
          const ok = confirm('Accept cookies?');
          const name = prompt('Your name?', 'resident');
          document.getElementById('out').textContent = 'answered ' + ok + ' ' + name;
          document.getElementById('b').addEventListener('focus', () => alert('Focused'));
        </script>"#,
    );
    let Some(p) = rendered(&html, &MapSource::default()) else {
        return;
    };
    assert!(p.html.contains("answered true resident"), "{}", p.html);
    assert!(
        p.measurements
            .stops
            .iter()
            .any(|s| s.key.as_deref() == Some("#b")),
        "the walk went on past the dialog opened on focus: {:#?}",
        p.measurements.stops
    );
}
