//! The demo web: deterministic generation, ground truth that matches the pages, and the loopback
//! server that any HTTP client can crawl.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use civicscan::demo::{self, Barrier, DemoWeb, Expected, ServeOptions, SiteCache};
use civicscan::ruleset;
use civicscan::sites::{self, CouncilType};
use common::{civicscan, db_rows, stderr};

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 24)
}

fn web(seed: u64) -> DemoWeb {
    demo::generate_with(
        &ruleset::builtin(),
        seed,
        demo::DEFAULT_COUNCILS,
        0,
        today(),
    )
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

#[test]
fn the_same_seed_gives_identical_sites() {
    assert_eq!(web(7), web(7));
    assert_ne!(web(7).sites[0].pages, web(8).sites[0].pages);
}

#[test]
fn has_at_least_24_councils_of_all_eight_types_in_every_template() {
    let w = web(demo::DEFAULT_SEED);
    assert!(w.sites.len() >= 24);
    let types: BTreeSet<CouncilType> = w.sites.iter().map(|s| s.site.council_type).collect();
    assert_eq!(types.len(), 8);
    let templates: BTreeSet<&str> = w.sites.iter().map(|s| s.truth.template.as_str()).collect();
    assert_eq!(templates.len(), 4, "{templates:?}");
    let slugs: BTreeSet<&str> = w.sites.iter().map(|s| s.site.slug.as_str()).collect();
    assert_eq!(slugs.len(), w.sites.len(), "slugs are unique");
}

#[test]
fn names_no_real_council() {
    let real = sites::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sites.csv"))
        .expect("the shipped register loads");
    let real_names: BTreeSet<String> = real.iter().map(|s| s.name.to_lowercase()).collect();
    let real_slugs: BTreeSet<&str> = real.iter().map(|s| s.slug.as_str()).collect();
    for seed in [1, 2, demo::DEFAULT_SEED] {
        for s in web(seed).sites {
            assert!(
                !real_names.contains(&s.site.name.to_lowercase()),
                "{}",
                s.site.name
            );
            assert!(
                !real_slugs.contains(s.site.slug.as_str()),
                "{}",
                s.site.slug
            );
        }
    }
}

#[test]
fn districts_are_built_worse_than_counties_and_unitaries() {
    let (mut districts, mut others) = (Vec::new(), Vec::new());
    for seed in 1..=4 {
        for s in web(seed).sites {
            let m = s.truth.quality_measure();
            match s.site.council_type {
                CouncilType::SD | CouncilType::NI => districts.push(m),
                _ => others.push(m),
            }
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(
        mean(&districts) + 0.05 < mean(&others),
        "districts {:.3}, others {:.3}",
        mean(&districts),
        mean(&others)
    );
}

#[test]
fn truth_answers_every_question_of_every_applicable_task() {
    let rules = ruleset::builtin();
    for s in web(demo::DEFAULT_SEED).sites {
        let expected: Vec<&str> = rules
            .tasks_for(s.site.council_type)
            .map(|t| t.id.as_str())
            .collect();
        let got: Vec<&str> = s.truth.tasks.iter().map(|t| t.task.as_str()).collect();
        assert_eq!(got, expected, "{}", s.site.slug);
        for t in &s.truth.tasks {
            let task = rules.task(&t.task).expect("task in ruleset");
            for q in &task.questions {
                assert!(
                    t.answers.contains_key(&q.id),
                    "{} {} {}",
                    s.site.slug,
                    t.task,
                    q.id
                );
            }
        }
    }
}

#[test]
fn truth_matches_the_pages() {
    for s in web(demo::DEFAULT_SEED).sites {
        for t in &s.truth.tasks {
            let Some(path) = &t.page else {
                assert!(t.answers.values().all(|a| *a != Expected::Yes));
                continue;
            };
            let page = &s.pages[path];
            assert_eq!(page.status, 200, "{path}");
            assert!(page.content_type.starts_with("text/html"));
            let mobile = t.answers.get("mobile") == Some(&Expected::Yes);
            assert_eq!(
                mobile,
                page.body.contains("width=device-width") && !page.body.contains("{width:"),
                "{} {path}",
                s.site.slug
            );
            if let Some(form) = &t.form_page {
                assert!(
                    page.body
                        .contains(&format!("href=\"{}\"", form.replace('&', "&amp;")))
                );
                assert!(s.pages[form].body.contains("<form"));
            }
            if t.answers.get("a-to-z") == Some(&Expected::NotTested) {
                assert!(!s.truth.a_to_z);
            }
        }
        for path in s.truth.barriers.keys() {
            assert_eq!(s.pages[path].status, 200, "{path}");
        }
        for path in &s.truth.failing_pages {
            assert_eq!(s.pages[path].status, 500);
        }
    }
}

/// A string in the page's markup that shows each planted barrier is really there.
fn marker(b: Barrier) -> &'static str {
    match b {
        Barrier::ImageAlt => "<img src=\"/images/photo-",
        Barrier::Label => "<input type=\"text\" name=\"page-feedback-",
        Barrier::LinkName => "<span class=\"icon icon-share\"></span></a>",
        Barrier::ButtonName => "<span class=\"icon-print\"></span></button>",
        Barrier::HtmlLang => "<html>",
        Barrier::HtmlLangValid => "<html lang=\"english\">",
        Barrier::DocumentTitle => "<title></title>",
        Barrier::HeadingOrder => "<h4>",
        Barrier::EmptyHeading => "<h2></h2>",
        Barrier::ColorContrast => "color:#b4b4b4",
        Barrier::MetaViewport => "user-scalable=no",
        Barrier::Tabindex => "tabindex=\"3\"",
        Barrier::AriaRoles => "role=\"sidebar-box\"",
        Barrier::AutoplayAudio => "autoplay",
        Barrier::MetaRefresh => "http-equiv=\"refresh\"",
        Barrier::DuplicateId => "id=\"content-block\"",
        Barrier::LinkPurpose => ">click here<",
        Barrier::PdfLinkFormat => "\">Guidance notes</a>",
        Barrier::FrameTitle => "<iframe src",
        Barrier::InputImageAlt => "<input type=\"image\" src",
        Barrier::SelectName => "<select name=\"lang\">",
        Barrier::Marquee => "<marquee>",
        Barrier::Bypass => "<main",
        Barrier::KeyboardTrap => "<section class=\"webchat\"",
    }
}

#[test]
fn every_planted_barrier_is_in_the_markup_and_only_there() {
    let mut seen = BTreeSet::new();
    for s in web(demo::DEFAULT_SEED).sites {
        for (path, planted) in &s.truth.barriers {
            let body = &s.pages[path].body;
            for b in Barrier::all() {
                // A missing landmark shows as the absence of <main>.
                let shows = body.contains(marker(b)) != (b == Barrier::Bypass);
                assert_eq!(planted.contains(&b), shows, "{} {path} {b:?}", s.site.slug);
            }
            seen.extend(planted.iter().copied());
        }
    }
    assert_eq!(
        seen.len(),
        Barrier::all().count(),
        "every kind is planted somewhere"
    );
}

#[test]
fn clean_pages_have_alt_text_labels_lang_and_titles() {
    for s in web(3).sites {
        for (path, planted) in &s.truth.barriers {
            if !planted.is_empty() {
                continue;
            }
            let html = scraper::Html::parse_document(&s.pages[path].body);
            let sel = |css: &str| scraper::Selector::parse(css).expect("selector");
            for img in html.select(&sel("img")) {
                assert!(img.value().attr("alt").is_some(), "{} {path}", s.site.slug);
            }
            let lang = html.root_element().value().attr("lang");
            assert_eq!(lang, Some("en-GB"), "{} {path}", s.site.slug);
            let title: String = html.select(&sel("title")).flat_map(|t| t.text()).collect();
            assert!(!title.trim().is_empty());
            for input in html.select(&sel("input[type=text], input[type=search]")) {
                let labelled = input.value().attr("aria-label").is_some()
                    || input.value().attr("id").is_some_and(|id| {
                        html.select(&sel(&format!("label[for=\"{id}\"]")))
                            .next()
                            .is_some()
                    })
                    || input
                        .ancestors()
                        .any(|a| a.value().as_element().is_some_and(|e| e.name() == "label"));
                assert!(labelled, "{} {path}: {:?}", s.site.slug, input.value());
            }
            let mut last = 0u8;
            for h in html.select(&sel("h1, h2, h3, h4, h5, h6")) {
                let level = h.value().name().as_bytes()[1] - b'0';
                assert!(
                    level <= last + 1,
                    "{} {path}: h{last} then h{level}",
                    s.site.slug
                );
                last = level;
            }
        }
    }
}

#[test]
fn search_truth_follows_the_search_engine() {
    let rules = ruleset::builtin();
    for s in web(demo::DEFAULT_SEED).sites {
        for t in &s.truth.tasks {
            let term = &rules.task(&t.task).expect("task").search_term;
            let expected = t.answers["site-search"];
            match &s.search {
                None => assert_eq!(expected, Expected::NotTested),
                Some(search) => {
                    let top: Vec<String> = search.result_paths(term).into_iter().take(5).collect();
                    let hit = t.page.as_ref().is_some_and(|p| top.contains(p));
                    assert_eq!(
                        expected,
                        Expected::from_bool(hit),
                        "{} {}",
                        s.site.slug,
                        t.task
                    );
                }
            }
        }
    }
}

#[test]
fn sites_file_validates() {
    let w = web(demo::DEFAULT_SEED);
    let csv = demo::sites_csv(&w.sites());
    let parsed = sites::parse(&csv, "demo-sites.csv").expect("the demo sites file is valid");
    assert_eq!(parsed, w.sites());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_pages_robots_sitemap_and_search_on_loopback() {
    let w = demo::generate_with(&ruleset::builtin(), demo::DEFAULT_SEED, 10, 0, today());
    let served = demo::serve(w, ServeOptions::default())
        .await
        .expect("serves");
    let http = client();
    let sites = served.sites();
    let hosts: BTreeSet<String> = sites
        .iter()
        .map(|s| {
            format!(
                "{}:{:?}",
                s.homepage.host_str().unwrap_or(""),
                s.homepage.port()
            )
        })
        .collect();
    assert_eq!(hosts.len(), sites.len(), "each council is a separate host");
    for s in &sites {
        assert!(s.homepage.host_str().unwrap_or("").starts_with("127."));
    }
    // Every site answers its home page; robots.txt and sitemaps carry the served origin.
    for ds in &served.web.sites {
        let home = ds.site.homepage.clone();
        let r = http.get(home.clone()).send().await.expect("home");
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap_or_default().contains("<h1>"));
        if ds.pages.contains_key("/sitemap.xml") {
            let xml = http
                .get(home.join("/sitemap.xml").expect("url"))
                .send()
                .await
                .expect("sitemap")
                .text()
                .await
                .unwrap_or_default();
            let origin = home.as_str().trim_end_matches('/');
            assert!(xml.contains(&format!("<loc>{origin}/</loc>")), "{xml}");
        }
        if ds.pages.contains_key("/robots.txt") {
            let r = http
                .get(home.join("/robots.txt").expect("url"))
                .send()
                .await
                .expect("robots");
            assert_eq!(r.status(), 200);
            assert!(r.text().await.unwrap_or_default().contains("User-agent: *"));
        }
        let r = http
            .get(home.join("/no-such-page").expect("url"))
            .send()
            .await
            .expect("404");
        assert_eq!(r.status(), 404);
        for path in &ds.truth.failing_pages {
            let r = http
                .get(home.join(path).expect("url"))
                .send()
                .await
                .expect("500");
            assert_eq!(r.status(), 500, "{path}");
        }
        for (path, page) in ds.pages.iter().filter(|(p, _)| p.ends_with(".pdf")).take(1) {
            let r = http
                .get(home.join(path).expect("url"))
                .send()
                .await
                .expect("pdf");
            assert_eq!(r.status(), 200);
            let ct = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            assert_eq!(ct.as_deref(), Some(page.content_type.as_str()));
        }
    }
    // A working search answers the query it is given.
    let good = served
        .web
        .sites
        .iter()
        .find(|s| s.truth.search == demo::SearchQuality::Good)
        .expect("a site with a good search");
    let spec = good.search.as_ref().expect("search");
    let task = good
        .truth
        .tasks
        .iter()
        .find(|t| t.answers.get("site-search") == Some(&Expected::Yes))
        .expect("a task its search finds");
    let term = &ruleset::builtin()
        .task(&task.task)
        .expect("task")
        .search_term
        .clone();
    let mut url = good.site.homepage.join(&spec.path).expect("url");
    url.query_pairs_mut().append_pair(&spec.param, term);
    let html = http
        .get(url)
        .send()
        .await
        .expect("search")
        .text()
        .await
        .unwrap_or_default();
    let page = task.page.as_ref().expect("page");
    assert!(
        html.contains(&format!("href=\"{}\"", page.replace('&', "&amp;"))),
        "{html}"
    );
    served.shutdown().await;
}

/// A planned web served by host name from a cache with room for one site: every request for
/// another council evicts the last, which is built again when asked for.
async fn serve_planned_by_name(seed: u64, councils: usize, extra: usize) -> demo::ServedPlans {
    let cache = Arc::new(SiteCache::new(
        Arc::new(ruleset::builtin()),
        demo::plan_at(seed, councils),
        extra,
        today(),
        1,
    ));
    demo::serve_planned(
        cache,
        ServeOptions {
            by_name: true,
            ..ServeOptions::default()
        },
    )
    .await
    .expect("serves")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sites_built_on_request_serve_every_page_with_the_generated_bytes() {
    let (seed, councils, extra) = (19, 5, 12);
    let web = demo::generate_with(&ruleset::builtin(), seed, councils, extra, today());
    let served = serve_planned_by_name(seed, councils, extra).await;
    assert_eq!(
        served.cache.builds(),
        0,
        "nothing is built before it is asked for"
    );
    let sites = served.sites().to_vec();
    let hosts: BTreeSet<&str> = sites.iter().filter_map(|s| s.homepage.host_str()).collect();
    assert_eq!(
        hosts.len(),
        councils,
        "each council has a host name of its own"
    );
    let csv = sites::parse(&demo::sites_csv(&sites), "sites.csv").expect("a valid sites file");
    assert_eq!(csv, sites);
    // Any HTTP client that resolves `.localhost` to loopback, as browsers and curl do.
    let mut http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20));
    for s in &sites {
        let host = s.homepage.host_str().expect("a host");
        assert!(host.ends_with(".localhost"), "{host}");
        http = http.resolve(host, "127.0.0.1:0".parse().expect("an address"));
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = http.build().expect("client builds");
    let mut requests = 0;
    // Round the councils page by page, so sites are evicted and built again between pages.
    let most = web.sites.iter().map(|s| s.pages.len()).max().unwrap_or(0);
    for n in (0..most).step_by(7) {
        for (built, site) in web.sites.iter().zip(&sites) {
            assert_eq!(built.site.slug, site.slug);
            let Some((path, page)) = built.pages.iter().nth(n) else {
                continue;
            };
            let url = site.homepage.join(path).expect("a url");
            let r = http.get(url).send().await.expect("answers");
            assert_eq!(r.status().as_u16(), page.status, "{} {path}", site.slug);
            let ct = r.headers().get("content-type").cloned();
            assert_eq!(
                ct.as_ref().and_then(|v| v.to_str().ok()),
                Some(page.content_type.as_str())
            );
            let base = site.homepage.as_str().trim_end_matches('/');
            let body = r.bytes().await.expect("a body");
            assert!(
                body == page.body_for(base).as_bytes(),
                "{} {path}: served bytes differ from the generated page",
                site.slug
            );
            requests += 1;
        }
    }
    assert!(requests > 3 * councils, "{requests} pages compared");
    for (built, site) in web.sites.iter().zip(&sites) {
        if let Some(spec) = &built.search {
            let mut url = site.homepage.join(&spec.path).expect("a url");
            url.query_pairs_mut()
                .append_pair(&spec.param, "pay council tax");
            let html = http.get(url).send().await.expect("search").text().await;
            assert_eq!(
                html.expect("a page"),
                spec.page("pay council tax"),
                "{}",
                site.slug
            );
        }
    }
    assert!(
        served.cache.builds() > councils,
        "sites were evicted and built again ({} builds)",
        served.cache.builds()
    );
    // A host name the server does not know is not a council.
    let stranger = format!(
        "http://127.0.0.1:{}/",
        sites[0].homepage.port().expect("a port")
    );
    let r = http.get(stranger).send().await.expect("answers");
    assert_eq!(r.status(), 404);
    served.shutdown().await;
}

/// A survey of councils served by host name, built on request, stores exactly what a survey of
/// the same web served a listener each does: the same pages with the same status, depth and
/// size, and the same task answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_of_councils_served_by_host_name_matches_one_served_a_listener_each() {
    let (seed, councils, extra) = (23, 3, 10);
    let dir = tempfile::tempdir().expect("a folder");
    let by_name = serve_planned_by_name(seed, councils, extra).await;
    let web = demo::generate_with(&ruleset::builtin(), seed, councils, extra, today());
    let by_address = demo::serve(web, ServeOptions::default())
        .await
        .expect("serves");
    std::fs::write(
        dir.path().join("by-name.csv"),
        demo::sites_csv(by_name.sites()),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("by-address.csv"),
        demo::sites_csv(&by_address.sites()),
    )
    .expect("write");
    for which in ["by-name", "by-address"] {
        let out = tokio::task::block_in_place(|| {
            civicscan(
                dir.path(),
                &[
                    "survey",
                    "--sites",
                    &format!("{which}.csv"),
                    "--db",
                    &format!("{which}.db"),
                    "--allow-private",
                    "--quiet",
                    "--rate",
                    "200",
                ],
            )
        });
        assert!(out.status.success(), "{which}: {}", stderr(&out));
    }
    by_name.shutdown().await;
    by_address.shutdown().await;
    let rows = |which: &str, sql: &str| {
        let conn = rusqlite::Connection::open(dir.path().join(format!("{which}.db"))).unwrap();
        let mut rows = db_rows(&conn, sql);
        rows.sort();
        rows
    };
    // URLs differ by origin only; compare paths.
    let pages = "SELECT site_slug, substr(url, instr(substr(url, 8), '/') + 7), status, depth, \
                 bytes FROM pages";
    let a = rows("by-name", pages);
    assert!(a.len() > councils * 40, "{} pages", a.len());
    assert_eq!(a, rows("by-address", pages));
    let answers = "SELECT site_slug, task, question, answer FROM task_answers";
    assert_eq!(rows("by-name", answers), rows("by-address", answers));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injects_latency_into_every_response() {
    let w = demo::generate_with(&ruleset::builtin(), 5, 1, 0, today());
    let served = demo::serve(
        w,
        ServeOptions {
            latency_ms: 200,
            ..ServeOptions::default()
        },
    )
    .await
    .expect("serves");
    let http = client();
    let home = served.sites()[0].homepage.clone();
    let start = Instant::now();
    let r = http.get(home).send().await.expect("home");
    assert_eq!(r.status(), 200);
    // Jitter is at most ±25 %, so the answer cannot come sooner than 150 ms.
    assert!(
        start.elapsed() >= Duration::from_millis(150),
        "{:?}",
        start.elapsed()
    );
    served.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn falls_back_to_a_port_per_site_on_one_address() {
    let w = demo::generate_with(&ruleset::builtin(), 5, 3, 0, today());
    let served = demo::serve(
        w,
        ServeOptions {
            single_address: true,
            ..ServeOptions::default()
        },
    )
    .await
    .expect("serves");
    let ports: BTreeSet<Option<u16>> = served.sites().iter().map(|s| s.homepage.port()).collect();
    assert_eq!(ports.len(), 3);
    let http = client();
    let mut statuses = HashMap::new();
    for s in served.sites() {
        assert_eq!(s.homepage.host_str(), Some("127.0.0.1"));
        let r = http.get(s.homepage.clone()).send().await.expect("home");
        statuses.insert(s.slug.clone(), r.status().as_u16());
    }
    assert!(statuses.values().all(|&s| s == 200));
    served.shutdown().await;
}

/// The survey measured against the demo web's ground truth, end to end over loopback HTTP: the
/// targets of the demo issue (95 % of answers right, task pages found with 95 % precision and
/// recall, no barrier rule under 90 % recall), and the report written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_survey_matches_the_ground_truth() {
    let mut rules = ruleset::builtin();
    // Robots.txt Crawl-delay is honoured but capped low, so the test does not wait on it.
    rules.crawl.crawl_delay_cap = Duration::from_millis(50);
    let dir = tempfile::tempdir().expect("temp dir");
    let opts = demo::DemoOptions {
        out: dir.path().join("demo"),
        ruleset: Some(rules),
        rate: 200.0,
        today: Some(today()),
        ..Default::default()
    };
    let outcome = demo::run_demo(&opts).await.expect("the demo runs");
    let acc = &outcome.accuracy;
    let report = format!("{acc}\n{}", acc.mismatches.join("\n"));

    assert_eq!(outcome.survey.sites_assessed, demo::DEFAULT_COUNCILS);
    assert!(acc.sites_missing.is_empty(), "{report}");
    assert!(acc.answers.total > 1000, "{report}");
    assert!(acc.answers.share() >= 0.95, "{report}");
    assert!(acc.task_pages.precision() >= 0.95, "{report}");
    assert!(acc.task_pages.recall() >= 0.95, "{report}");
    assert!(acc.services.precision() >= 0.95, "{report}");
    assert!(acc.barriers.len() >= 15, "{report}");
    for (rule, pr) in &acc.barriers {
        assert!(pr.recall() >= 0.90, "{rule}: {report}");
        assert_eq!(pr.fp, 0, "{rule} has false positives: {report}");
    }
    // The legal duties: every statement part of every council, and the Welsh councils' answers.
    assert!(acc.statement_parts.total >= 200, "{report}");
    assert!(acc.statement_parts.share() >= 0.90, "{report}");
    assert!(acc.welsh_answers.total >= 30, "{report}");
    assert!(acc.welsh_answers.share() >= 0.90, "{report}");
    let index = std::fs::read_to_string(&outcome.report.index).expect("index.html is written");
    for s in &outcome.sites {
        assert!(
            index.contains(&render_escaped(&s.name)),
            "{} in the league table",
            s.name
        );
    }
    // Every task of the ruleset, the four added for issue 12 among them, has its page in the
    // report, its answers in the data export and its accuracy measured against the truth.
    let report_dir = outcome.report.index.parent().expect("report folder");
    let answers_csv = std::fs::read_to_string(report_dir.join("data/task_answers.csv"))
        .expect("task_answers.csv is written");
    for task in [
        "school-term-dates",
        "pay-business-rates",
        "register-birth",
        "resident-parking-permit",
    ] {
        assert!(
            report_dir.join(format!("tasks/{task}.html")).is_file(),
            "{task} has a report page"
        );
        assert!(
            answers_csv
                .lines()
                .any(|l| l.contains(&format!(",{task},"))),
            "{task} in task_answers.csv"
        );
        assert!(report.contains(&format!("\n  {task} ")), "{task}: {report}");
    }
}

fn render_escaped(s: &str) -> String {
    s.replace('&', "&amp;").replace('\'', "&#x27;")
}

#[test]
fn statements_vary_and_welsh_councils_show_every_scheme() {
    let w = web(demo::DEFAULT_SEED);
    let mut yes = std::collections::BTreeMap::<String, usize>::new();
    let mut no = std::collections::BTreeMap::<String, usize>::new();
    let mut schemes = BTreeSet::new();
    for s in &w.sites {
        let st = s
            .truth
            .statement
            .as_ref()
            .expect("every council has statement truth");
        for (part, e) in &st.parts {
            let m = if *e == Expected::Yes {
                &mut yes
            } else {
                &mut no
            };
            *m.entry(part.clone()).or_default() += 1;
        }
        if let Some(p) = &st.path {
            let page = &s.pages[p];
            assert_eq!(page.status, 200, "{p}");
        }
        match (&s.truth.welsh, s.site.council_type) {
            (Some(cy), CouncilType::WU) => {
                schemes.insert(cy.scheme.clone());
                for (en, cy_path) in &cy.counterparts {
                    let page = &s.pages[cy_path];
                    assert!(page.body.contains("<html lang=\"cy\">"), "{en} → {cy_path}");
                }
            }
            (None, t) => assert_ne!(t, CouncilType::WU),
            (Some(_), t) => panic!("Welsh pages for a {t:?} council"),
        }
    }
    for part in [
        "found",
        "status",
        "format-request",
        "report-problem",
        "enforcement",
        "reviewed",
    ] {
        assert!(yes.get(part).copied().unwrap_or(0) >= 2, "{part}: {yes:?}");
        assert!(no.get(part).copied().unwrap_or(0) >= 2, "{part}: {no:?}");
    }
    assert_eq!(schemes.len(), 3, "{schemes:?}");
}

/// The national-scale check of issue 12: the whole register's worth of councils (382), on seed
/// 11 and two others, each reaching 95 % of answers right and 95 % precision and recall on task
/// pages. Slow (tens of minutes in a debug build), so run by hand:
/// `cargo test --release --test demo -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "slow: surveys 382 demo councils three times"]
async fn the_demo_survey_holds_at_national_scale_on_several_seeds() {
    for seed in [11, 2026, 7] {
        let mut rules = ruleset::builtin();
        rules.crawl.crawl_delay_cap = Duration::from_millis(50);
        let dir = tempfile::tempdir().expect("temp dir");
        let opts = demo::DemoOptions {
            seed,
            councils: 382,
            out: dir.path().join("demo"),
            ruleset: Some(rules),
            rate: 200.0,
            today: Some(today()),
            ..Default::default()
        };
        let outcome = demo::run_demo(&opts).await.expect("the demo runs");
        let acc = &outcome.accuracy;
        println!(
            "seed {seed}: answers {:.1} %, task pages precision {:.1} % recall {:.1} %, services precision {:.1} %",
            100.0 * acc.answers.share(),
            100.0 * acc.task_pages.precision(),
            100.0 * acc.task_pages.recall(),
            100.0 * acc.services.precision()
        );
        let report = format!("seed {seed}\n{acc}");
        assert_eq!(outcome.survey.sites_assessed, 382, "{report}");
        assert!(acc.answers.share() >= 0.95, "{report}");
        assert!(acc.task_pages.precision() >= 0.95, "{report}");
        assert!(acc.task_pages.recall() >= 0.95, "{report}");
    }
}

/// A digest of everything the demo web serves and knows for one seed: every site's register row,
/// every response (path, status, type, delay, body), its search engine and its ground truth.
/// Lengths frame each part, so no two different webs run together into the same bytes.
fn demo_digest(seed: u64, councils: usize, extra_pages: usize) -> String {
    use sha2::{Digest, Sha256};
    fn part(h: &mut Sha256, bytes: &[u8]) {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    let w = demo::generate_with(&ruleset::builtin(), seed, councils, extra_pages, today());
    let mut h = Sha256::new();
    part(&mut h, w.today.as_bytes());
    for s in &w.sites {
        part(
            &mut h,
            &serde_json::to_vec(&s.site).expect("a site serialises"),
        );
        for (path, r) in &s.pages {
            part(&mut h, path.as_bytes());
            part(&mut h, &r.status.to_le_bytes());
            part(&mut h, r.content_type.as_bytes());
            part(&mut h, &r.latency_ms.to_le_bytes());
            part(&mut h, &[u8::from(r.templated)]);
            part(&mut h, r.body.as_bytes());
        }
        part(
            &mut h,
            &serde_json::to_vec(&s.search).expect("a search serialises"),
        );
        part(
            &mut h,
            &serde_json::to_vec(&s.truth).expect("a truth serialises"),
        );
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The demo's output is pinned: a change to the generator, its vocabulary or the built-in ruleset
/// that alters one byte of one page, or of the truth, fails here. Refactoring must leave these
/// digests alone; a deliberate change to the demo updates them in the same commit, saying why.
#[test]
fn the_demo_web_for_a_seed_is_byte_identical_to_the_pinned_digest() {
    let cases: [(u64, usize, usize, &str); 3] = [
        (
            demo::DEFAULT_SEED,
            demo::DEFAULT_COUNCILS,
            0,
            "6051f346ac31de2bdac623f305232ca2f0d33327e9c8eceb03696e3b5615de9d",
        ),
        (
            7,
            9,
            30,
            "f10101a4587f6ed3a333527f548442ef8763bf25f07f69cccd1c1e38231f25f3",
        ),
        (
            123,
            41,
            0,
            "03e31d433311c3fad2947a36f9e54ea4efb5acf5fc53eeb2c264d3ff5feea512",
        ),
    ];
    let mut wrong = Vec::new();
    for (seed, councils, extra, pinned) in cases {
        let got = demo_digest(seed, councils, extra);
        if got != pinned {
            wrong.push(format!(
                "seed {seed}, {councils} councils, {extra} extra pages: digest {got}, pinned {pinned}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "the demo web changed:\n{}",
        wrong.join("\n")
    );
}
