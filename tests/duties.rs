//! The legal-duty checks end to end over real HTTP: council sites served on loopback are
//! surveyed, and the accessibility statement (linked, or only at a usual address) and the Welsh
//! counterparts of a Welsh council's pages are found, fetched politely and read.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use civicscan::audit::SiteAssessment;
use civicscan::audit::duties::Verdict;
use civicscan::audit::statement::FoundBy;
use civicscan::store::Store;
use civicscan::survey::{self, SurveyOptions};
use civicscan::{ruleset, sites};

#[derive(Clone)]
struct Site {
    pages: Arc<HashMap<String, String>>,
    hits: Arc<Mutex<Vec<String>>>,
}

async fn serve(State(s): State<Site>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    s.hits.lock().unwrap().push(path.clone());
    match s.pages.get(&path) {
        Some(body) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn start(pages: HashMap<String, String>) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let hits = Arc::new(Mutex::new(Vec::new()));
    let app = axum::Router::new().fallback(serve).with_state(Site {
        pages: Arc::new(pages),
        hits: hits.clone(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, hits)
}

fn page(lang: &str, title: &str, head: &str, body: &str, footer: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta name=\"viewport\" content=\"width=device-width\">{head}</head>\
         <body><main><h1>{title}</h1>{body}</main><footer>{footer}</footer></body></html>"
    )
}

/// A surveyed run: the database stays while this lives.
struct Surveyed {
    dir: tempfile::TempDir,
    db: std::path::PathBuf,
    run: civicscan::store::RunId,
    assessments: Vec<SiteAssessment>,
}

async fn survey_one(rows: &[(&str, &str, &str, SocketAddr)], rules: ruleset::Ruleset) -> Surveyed {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("slug,name,type,nation,homepage_url\n");
    for (slug, council_type, nation, addr) in rows {
        csv.push_str(&format!(
            "{slug},{slug} Council,{council_type},{nation},http://{addr}/\n"
        ));
    }
    let path = dir.path().join("sites.csv");
    std::fs::write(&path, csv).unwrap();
    let list = sites::load(&path).unwrap();
    let db = dir.path().join("survey.db");
    let options = SurveyOptions::allowing_private();
    let outcome = survey::survey(&list, Arc::new(rules), Store::open(&db).unwrap(), &options)
        .await
        .unwrap();
    let store = Store::open(&db).unwrap();
    let assessments = store.assessments(outcome.run).unwrap();
    Surveyed {
        dir,
        db,
        run: outcome.run,
        assessments,
    }
}

fn fast_ruleset() -> ruleset::Ruleset {
    let mut rules = ruleset::builtin();
    rules.crawl.requests_per_second = 200.0;
    rules.crawl.max_pages = 40;
    rules
}

/// A statement in the model's shape, dated relative to today so it is never stale.
fn statement_body(body: &str) -> String {
    let today = jiff::Zoned::now().date();
    let prepared = today.checked_sub(jiff::Span::new().months(20)).unwrap();
    let reviewed = today.checked_sub(jiff::Span::new().months(2)).unwrap();
    let d = |d: jiff::civil::Date| d.strftime("%-d %B %Y").to_string();
    format!(
        "<p>This accessibility statement applies to our website.</p>\
         <h2>Feedback and contact information</h2>\
         <p>If you need information on this website in a different format like large print or braille, email access@example.gov.uk or call 01632 960000.</p>\
         <h2>Reporting accessibility problems with this website</h2>\
         <p>If you find any problems not listed on this page, use our accessibility feedback form.</p>\
         {body}\
         <h2>Compliance status</h2><p>This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliances listed below.</p>\
         <h2>Non-accessible content</h2><p>Some older PDF forms have no headings. This fails WCAG 2.2 success criterion 1.3.1 (info and relationships).</p>\
         <h2>Preparation of this accessibility statement</h2><p>This statement was prepared on {}. It was last reviewed on {}.</p>\
         <p>We tested the site with an automated checker and a manual review of 30 pages.</p>",
        d(prepared),
        d(reviewed)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finds_and_reads_statements_linked_or_at_the_usual_address() {
    let ehrc = "<h2>Enforcement procedure</h2><p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the accessibility regulations.</p>";
    // An English district: the footer links to its statement.
    let linked: HashMap<String, String> = [
        (
            "/".to_string(),
            page(
                "en",
                "Linked District Council",
                "",
                "<p><a href=\"/bins\">Bins</a></p>",
                "<a href=\"/accessibility-statement\">Accessibility statement</a>",
            ),
        ),
        (
            "/bins".to_string(),
            page(
                "en",
                "Bins",
                "",
                "<p>Bin days.</p>",
                "<a href=\"/accessibility-statement\">Accessibility statement</a>",
            ),
        ),
        (
            "/accessibility-statement".to_string(),
            page(
                "en",
                "Accessibility statement",
                "",
                &statement_body(ehrc),
                "",
            ),
        ),
    ]
    .into_iter()
    .collect();
    // A Northern Ireland council: nothing links to its statement, which is at /accessibility and
    // names the EHRC where the ECNI is the enforcement body.
    let unlinked: HashMap<String, String> = [
        (
            "/".to_string(),
            page("en", "Unlinked Council", "", "<p>Welcome.</p>", ""),
        ),
        (
            "/accessibility".to_string(),
            page(
                "en",
                "Accessibility statement",
                "",
                &statement_body(ehrc),
                "",
            ),
        ),
    ]
    .into_iter()
    .collect();
    // A council with no statement anywhere.
    let none: HashMap<String, String> = [(
        "/".to_string(),
        page("en", "Silent Council", "", "<p>Welcome.</p>", ""),
    )]
    .into_iter()
    .collect();
    let (a, _) = start(linked).await;
    let (b, b_hits) = start(unlinked).await;
    let (c, c_hits) = start(none).await;
    let surveyed = survey_one(
        &[
            ("linked", "SD", "England", a),
            ("unlinked", "NI", "Northern Ireland", b),
            ("silent", "SU", "Scotland", c),
        ],
        fast_ruleset(),
    )
    .await;
    let assessments = &surveyed.assessments;
    let get = |slug: &str| {
        let a = assessments.iter().find(|a| a.site.slug == slug).unwrap();
        a.digital.statement.clone().expect("statement checked")
    };
    let verdict = |s: &civicscan::audit::statement::StatementResult, part: &str| {
        s.answer(part).unwrap().verdict
    };

    let s = get("linked");
    assert_eq!(s.found_by, FoundBy::Link);
    for a in &s.answers {
        assert_eq!(a.verdict, Verdict::Yes, "{}: {}", a.part, a.reason);
    }
    assert_eq!(s.value, Some(1.0));
    let format = s.answer("format-request").unwrap();
    assert!(
        format
            .evidence
            .as_deref()
            .unwrap()
            .contains("access@example.gov.uk"),
        "{format:?}"
    );

    let s = get("unlinked");
    assert_eq!(s.found_by, FoundBy::Path);
    assert_eq!(verdict(&s, "enforcement"), Verdict::No);
    assert_eq!(verdict(&s, "status"), Verdict::Yes);
    assert!(b_hits.lock().unwrap().iter().any(|p| p == "/accessibility"));

    let s = get("silent");
    assert_eq!(s.found_by, FoundBy::NotFound);
    assert!(s.answers.iter().all(|a| a.verdict == Verdict::No));
    assert_eq!(s.value, Some(0.0));
    // Only the ruleset's usual paths were tried, once each.
    let hits = c_hits.lock().unwrap();
    for p in ["/accessibility-statement", "/accessibility"] {
        assert_eq!(hits.iter().filter(|h| *h == p).count(), 1, "{hits:?}");
    }
}

const EN_TEXT: &str = "<p>You can find out more about this service on this page. If you need help, please contact us and we will get back to you. You can also use our online form.</p>";
const CY_TEXT: &str = "<p>Gallwch gael rhagor o wybodaeth am y gwasanaeth hwn ar y dudalen hon. Os oes angen help arnoch, cysylltwch â ni a byddwn yn cysylltu â chi. Mae ffurflen ar-lein gyda ni hefyd.</p>";

fn welsh_site() -> HashMap<String, String> {
    let switch = |to: &str| format!("<header><a href=\"{to}\" lang=\"cy\">Cymraeg</a></header>");
    let alt = |to: &str| format!("<link rel=\"alternate\" hreflang=\"cy\" href=\"{to}\">");
    let en = |title: &str, head: &str, header: &str, extra: &str| {
        let body = format!("{header}{EN_TEXT}{extra}");
        page("en-GB", title, head, &body, "")
    };
    let cy = |title: &str, extra: &str| {
        page(
            "cy",
            title,
            "",
            &format!("{CY_TEXT}{extra}"),
            "<a href=\"/\" lang=\"en\">English</a>",
        )
    };
    let home_links = "<ul><li><a href=\"/bins/report-missed-bin\">Report a missed bin collection</a></li>\
        <li><a href=\"/council-tax/pay\">Pay council tax</a></li>\
        <li><a href=\"/parking/blue-badge\">Apply for a Blue Badge</a></li>\
        <li><a href=\"/councillors\">Find my councillor</a></li>\
        <li><a href=\"/about\">About the council</a></li></ul>";
    [
        ("/", en("Example County Borough Council", "", &switch("/cy"), home_links)),
        // Declared in the head and switched to: its Welsh page is crawled through the switch.
        (
            "/bins/report-missed-bin",
            en(
                "Report a missed bin collection",
                &alt("/cy/biniau/bin-heb-ei-gasglu"),
                &switch("/cy/biniau/bin-heb-ei-gasglu"),
                "<p>Call 01632 960123 or email bins@example.gov.uk, quoting reference 4521.</p>",
            ),
        ),
        (
            "/cy/biniau/bin-heb-ei-gasglu",
            cy(
                "Rhoi gwybod am fin heb ei gasglu",
                "<p>Ffoniwch 01632 960123 neu e-bostiwch bins@example.gov.uk, gan nodi cyfeirnod 4521.</p>",
            ),
        ),
        // A generic switch to the Welsh home page only.
        ("/council-tax/pay", en("Pay council tax", "", &switch("/cy"), "")),
        // No switch and nothing declared, but its Welsh page keeps the path under /cy/.
        ("/parking/blue-badge", en("Apply for a Blue Badge", "", "", "")),
        ("/cy/parking/blue-badge", cy("Gwneud cais am Fathodyn Glas", "")),
        // Declared, but the "Welsh" page is the English text marked lang="cy".
        (
            "/councillors",
            en("Find my councillor", &alt("/cy/cynghorwyr"), &switch("/cy/cynghorwyr"), ""),
        ),
        ("/cy/cynghorwyr", page("cy", "Find my councillor", "", EN_TEXT, "")),
        // Declared and never fetched: the share trusts a declaration.
        ("/about", en("About the council", &alt("/cy/amdanom"), "", "")),
        ("/cy", cy("Cyngor Bwrdeistref Sirol Enghraifft", "")),
    ]
    .into_iter()
    .map(|(p, b)| (p.to_string(), b))
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_share_of_the_first_pages_decides_only_when_the_rest_could_not_change_it() {
    let (addr, _) = start(welsh_site()).await;
    let mut rules = fast_ruleset();
    // Judge only the home page and the first page it links to: both declare a counterpart, but
    // four more pages are linked from home and could bring the share under 90 %.
    rules
        .welsh
        .as_mut()
        .expect("the built-in ruleset checks Welsh")
        .sample_pages = 2;
    let surveyed = survey_one(&[("enghraifft", "WU", "Wales", addr)], rules).await;
    let w = surveyed.assessments[0]
        .digital
        .welsh
        .as_ref()
        .expect("a Welsh council is checked");
    assert_eq!((w.with_counterpart, w.sampled), (2, 2), "{w:?}");
    let share = w.answer("share").unwrap();
    assert_eq!(share.verdict, Verdict::CantTell, "{}", share.reason);
    assert!(
        share.reason.contains("first 2 of 6") && share.reason.contains("other 4 were not checked"),
        "{}",
        share.reason
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_a_welsh_council_s_counterparts_within_its_budget() {
    let (addr, hits) = start(welsh_site()).await;
    let (english_addr, _) = start(welsh_site()).await;
    let surveyed = survey_one(
        &[
            ("enghraifft", "WU", "Wales", addr),
            ("english-district", "SD", "England", english_addr),
        ],
        fast_ruleset(),
    )
    .await;
    let assessments = &surveyed.assessments;
    let english = assessments
        .iter()
        .find(|a| a.site.slug == "english-district")
        .unwrap();
    assert!(
        english.digital.welsh.is_none(),
        "only Welsh councils are checked"
    );

    let a = assessments
        .iter()
        .find(|a| a.site.slug == "enghraifft")
        .unwrap();
    let w = a
        .digital
        .welsh
        .as_ref()
        .expect("a Welsh council is checked");
    let verdict = |part: &str| w.answer(part).unwrap().verdict;
    assert_eq!(verdict("home-switch"), Verdict::Yes, "{:?}", w.home);
    assert!(
        w.home
            .as_ref()
            .unwrap()
            .welsh_url
            .as_deref()
            .unwrap()
            .ends_with("/cy")
    );

    // Each task page found is judged by what its page offers.
    let expected = [
        ("/bins/report-missed-bin", Verdict::Yes),
        ("/council-tax/pay", Verdict::No),
        ("/parking/blue-badge", Verdict::Yes),
        ("/councillors", Verdict::No),
    ];
    let mut judged = 0;
    for c in &w.tasks {
        let path = url::Url::parse(&c.page).unwrap().path().to_string();
        if let Some((_, want)) = expected.iter().find(|(p, _)| *p == path) {
            assert_eq!(c.verdict, *want, "{path}: {}", c.reason);
            judged += 1;
        }
    }
    assert!(judged >= 3, "task pages judged: {:?}", w.tasks);
    let badge = w
        .tasks
        .iter()
        .find(|c| c.page.ends_with("/parking/blue-badge"));
    if let Some(b) = badge {
        assert_eq!(b.via, Some(civicscan::audit::welsh::Via::Guess));
        assert!(b.switch.is_none());
    }
    let tax = w
        .tasks
        .iter()
        .find(|c| c.page.ends_with("/council-tax/pay"));
    if let Some(t) = tax {
        assert!(t.reason.contains("Welsh home page"), "{}", t.reason);
    }
    assert_eq!(verdict("task-switch"), Verdict::No);
    assert_eq!(verdict("task-counterparts"), Verdict::No);

    // Home, bins and about declare a counterpart; the generic switch, the missing one and the
    // English page marked Welsh do not count.
    assert_eq!((w.with_counterpart, w.sampled), (3, 6), "{w:?}");
    assert_eq!(verdict("share"), Verdict::No);
    assert!(w.value.is_some_and(|v| v > 0.0 && v < 1.0));

    // Counterparts the crawl did not reach were fetched once each, politely; a guess that gives
    // no page costs one request.
    let hits = hits.lock().unwrap();
    for p in ["/cy/parking/blue-badge", "/cy/council-tax/pay"] {
        assert!(
            hits.iter().filter(|h| *h == p).count() <= 1,
            "{p}: {hits:?}"
        );
    }
    assert!(
        hits.iter().any(|h| h == "/cy/parking/blue-badge"),
        "{hits:?}"
    );
}

/// The report shows both duties: a section on each council's page with the evidence quoted,
/// sortable league-table columns, the `duties` data table with its dictionary, and `check`'s lines.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_shows_both_duties_with_evidence() {
    let ehrc = "<h2>Enforcement procedure</h2><p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the accessibility regulations.</p>";
    let mut pages = welsh_site();
    pages.insert(
        "/accessibility-statement".into(),
        page(
            "en",
            "Accessibility statement",
            "",
            &statement_body(ehrc),
            "",
        ),
    );
    let (addr, _) = start(pages).await;
    let none: HashMap<String, String> = [(
        "/".to_string(),
        page("en", "Silent Council", "", EN_TEXT, ""),
    )]
    .into_iter()
    .collect();
    let (silent, _) = start(none).await;
    let rules = fast_ruleset();
    let s = survey_one(
        &[
            ("enghraifft", "WU", "Wales", addr),
            ("silent", "SD", "England", silent),
        ],
        rules.clone(),
    )
    .await;
    let out = s.dir.path().join("report");
    let store = Store::open(&s.db).unwrap();
    civicscan::report::render(&store, s.run, &rules, &out).unwrap();

    let council = std::fs::read_to_string(out.join("councils/enghraifft.html")).unwrap();
    let duties = &council[council.find("id=\"duties\"").expect("a duties section")..];
    assert!(
        duties.contains("Accessibility statement: 100 out of 100"),
        "{duties}"
    );
    assert!(
        duties.contains("access@example.gov.uk"),
        "evidence is quoted"
    );
    assert!(duties.contains("Welsh language:"));
    assert!(
        duties.contains("cy&#x2f;parking&#x2f;blue-badge"),
        "the guessed counterpart is shown"
    );

    // The new section passes the report's own accessibility audit.
    for file in [
        "councils/enghraifft.html",
        "councils/silent.html",
        "index.html",
    ] {
        let path = out.join(file);
        let html = std::fs::read_to_string(&path).unwrap();
        let parsed =
            civicscan::page::ParsedPage::parse(url::Url::from_file_path(&path).unwrap(), &html);
        let failed: Vec<_> = civicscan::audit::a11y::audit_page(
            &parsed,
            &civicscan::audit::a11y::SiteCss::empty(),
            &rules.accessibility,
        )
        .into_iter()
        .filter(|f| f.outcome == civicscan::audit::a11y::Outcome::Failed)
        .collect();
        assert!(failed.is_empty(), "{file}: {failed:#?}");
    }

    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("data-key=\"statement\"") && index.contains("data-key=\"welsh\""));
    let row = &index[index.find("data-slug=\"silent\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("data-sort=\"0.0\" data-label=\"Accessibility statement\">0<")
            && row.contains("n/a"),
        "{row}"
    );

    let csv = std::fs::read_to_string(out.join("data/duties.csv")).unwrap();
    // Nine statement parts for each council, four Welsh questions for the Welsh one.
    assert_eq!(csv.lines().count(), 1 + 9 * 2 + 4, "{csv}");
    assert!(
        csv.lines()
            .any(|l| l.starts_with("silent,statement,found,") && l.contains(",no,"))
    );
    let dictionary = std::fs::read_to_string(out.join("data/dictionary.csv")).unwrap();
    for column in ["statement_value", "welsh_value", "welsh_share"] {
        assert!(dictionary.contains(&format!("sites,{column},")), "{column}");
    }

    let a = s
        .assessments
        .iter()
        .find(|a| a.site.slug == "enghraifft")
        .unwrap();
    let summary = civicscan::report::terminal_summary(a, &rules, &[]);
    assert!(
        summary.contains("accessibility statement: at a usual address"),
        "{summary}"
    );
    assert!(summary.contains("Welsh language:"), "{summary}");
    assert!(summary.contains("“"), "evidence is quoted: {summary}");
}
