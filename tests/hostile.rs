//! Reliability on a hostile web: servers started on 127.0.0.1 that misbehave on purpose (bodies
//! that never end, a byte a second, compression bombs, redirect chains, lying headers, broken
//! robots.txt and sitemaps, 429 storms, resets, bad certificates). For each: the crawl finishes
//! within its budget, the reason is recorded, and a healthy site crawled beside it is unaffected.

#[allow(dead_code, reason = "shared with tests/crawl.rs, which uses all of it")]
#[path = "crawl/support.rs"]
mod support;

mod common;

#[path = "hostile/raw.rs"]
mod raw;

#[path = "hostile/resume.rs"]
mod resume;

#[path = "hostile/escaping.rs"]
mod escaping;

#[path = "hostile/memory.rs"]
mod memory;

#[path = "fuzz/targets.rs"]
mod fuzz_targets;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use civicscan::crawl::{CrawlConfig, Crawler, PageKind, Resume, RobotsOutcome, SiteCrawlReport};
use civicscan::ruleset::CrawlBudget;
use civicscan::sites::Site;
use raw::RawWeb;
use support::{Recorder, Reply, TestWeb};

/// Small budgets so every misbehaviour costs seconds, not minutes.
fn budget() -> CrawlBudget {
    let mut b = support::budget();
    b.request_timeout = Duration::from_millis(1500);
    b.connect_timeout = Duration::from_secs(1);
    b.site_time_budget = Duration::from_secs(10);
    b.requests_per_second = 200.0;
    b.retries = 1;
    b.max_bytes = 256 * 1024;
    b
}

fn config(b: CrawlBudget) -> CrawlConfig {
    let mut c = support::config(b);
    c.max_retry_after = Duration::from_secs(2);
    c
}

/// Generous: a hostile site may use its whole time budget, never much more.
fn assert_within_budget(report: &SiteCrawlReport, b: &CrawlBudget) {
    assert!(
        report.elapsed <= b.site_time_budget + Duration::from_secs(5),
        "{} took {:?}, budget {:?}",
        report.site_slug,
        report.elapsed,
        b.site_time_budget
    );
}

/// Crawls `site` with one crawler beside a healthy three-page site, checks the healthy one came
/// through untouched and the hostile one kept to its budget, and returns the hostile report.
async fn crawl_beside_healthy(c: CrawlConfig, site: Site, rec: Arc<Recorder>) -> SiteCrawlReport {
    let healthy = TestWeb::new()
        .page("/", &[("/a", "A"), ("/b", "B")])
        .page("/a", &[])
        .page("/b", &[])
        .serve()
        .await;
    let b = c.budget.clone();
    let crawler = Crawler::new(c).expect("crawler builds");
    let healthy_site = healthy.site("healthy");
    let healthy_rec = Recorder::new();
    let (report, good) = tokio::join!(
        crawler.crawl_site(&site, rec, Resume::none()),
        crawler.crawl_site(&healthy_site, healthy_rec.clone(), Resume::none()),
    );
    assert_eq!(
        (good.pages, good.errors, good.failure.as_deref()),
        (3, 0, None),
        "the healthy site is unaffected: {good:?}"
    );
    assert!(healthy_rec.pages().iter().all(|p| p.status == 200));
    assert_within_budget(&report, &b);
    report
}

fn html_page(links: &[&str]) -> Vec<u8> {
    let mut s = String::from("<!doctype html><html lang=en><head><title>t</title></head><body>");
    for l in links {
        s.push_str(&format!("<a href=\"{l}\">{l}</a>\n"));
    }
    s.push_str("</body></html>");
    s.into_bytes()
}

#[tokio::test]
async fn cuts_a_body_that_never_ends_at_the_byte_cap() {
    let sent = Arc::new(AtomicU64::new(0));
    let chunk = b"<p>and on and on</p>".repeat(800);
    let server = RawWeb::new()
        .route("/", raw::fixed(200, "text/html", html_page(&["/endless"])))
        .route(
            "/endless",
            raw::stream("text/html", chunk, None, sent.clone()),
        )
        .serve()
        .await;
    let b = budget();
    let rec = Recorder::new();
    let report = crawl_beside_healthy(config(b.clone()), server.site("endless"), rec.clone()).await;
    let page = rec.page("/endless").expect("the endless page is recorded");
    assert!(page.truncated, "{page:?}");
    assert_eq!(page.bytes, b.max_bytes);
    assert!(report.budgets.bytes);
    assert_eq!(report.failure, None);
    // We stopped reading, so the server stopped sending (socket buffers aside).
    assert!(
        sent.load(Ordering::Relaxed) < 64 * 1024 * 1024,
        "{} bytes sent",
        sent.load(Ordering::Relaxed)
    );
}

#[tokio::test]
async fn a_server_sending_one_byte_a_second_times_out_and_fails_the_site() {
    let server = RawWeb::new()
        .route(
            "/",
            raw::drip("text/html", html_page(&[]), Duration::from_secs(1)),
        )
        .serve()
        .await;
    let b = budget();
    let rec = Recorder::new();
    let report = crawl_beside_healthy(config(b.clone()), server.site("drip"), rec.clone()).await;
    let failure = report.failure.expect("the site failed");
    assert!(failure.contains("timed out after 1500 ms"), "{failure}");
    let home = rec.page("/").unwrap();
    assert_eq!(home.status, 0);
    // One try and one retry, each cut at the request timeout.
    assert_eq!(server.count("/"), 2);
    assert!(
        report.elapsed < Duration::from_secs(8),
        "{:?}",
        report.elapsed
    );
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        w.write_all(data).unwrap();
    }
    out
}

#[tokio::test]
async fn caps_compression_bombs_at_their_decoded_size() {
    let expanded = [b"<!doctype html><p>".to_vec(), vec![b'a'; 8 * 1024 * 1024]].concat();
    let (gz, br) = (gzip(&expanded), brotli(&expanded));
    let mut b = budget();
    b.max_bytes = 64 * 1024;
    assert!(
        (gz.len() as u64) < b.max_bytes && (br.len() as u64) < b.max_bytes,
        "bombs are smaller than the cap compressed: gzip {}, brotli {}",
        gz.len(),
        br.len()
    );
    let encoded = |encoding: &str, body: Vec<u8>| {
        raw::with_headers(
            200,
            vec![
                ("content-type", "text/html".to_string()),
                ("content-encoding", encoding.to_string()),
            ],
            body,
        )
    };
    let server = RawWeb::new()
        .route(
            "/",
            raw::fixed(200, "text/html", html_page(&["/gz", "/br"])),
        )
        .route("/gz", encoded("gzip", gz.clone()))
        .route("/br", encoded("br", br.clone()))
        .serve()
        .await;
    let rec = Recorder::new();
    let report = crawl_beside_healthy(config(b.clone()), server.site("bombs"), rec.clone()).await;
    for (path, compressed) in [("/gz", gz.len()), ("/br", br.len())] {
        let page = rec.page(path).unwrap();
        assert_eq!(page.error, None, "{page:?}");
        assert!(page.truncated, "{path} is cut");
        assert_eq!(
            page.bytes, b.max_bytes,
            "{path}: the cap counts decoded bytes"
        );
        // The decoder drops Content-Length (it counts compressed bytes), so the cap cannot
        // have been judged by it.
        assert_eq!(
            page.content_length, None,
            "{path} was {compressed} bytes compressed"
        );
        assert_eq!(
            page.body.as_ref().map(String::len),
            Some(b.max_bytes as usize)
        );
    }
    assert!(report.budgets.bytes);
}

#[tokio::test]
async fn a_coded_body_that_decodes_to_nothing_is_cut_at_its_coded_size() {
    // Empty gzip members, one after another: megabytes that decode to no bytes at all.
    let empty = gzip(b"");
    let endless: Vec<u8> = empty.repeat(4 * 1024 * 1024 / empty.len());
    let mut b = budget();
    b.max_bytes = 16 * 1024;
    let body = raw::with_headers(
        200,
        vec![
            ("content-type", "text/html".to_string()),
            ("content-encoding", "gzip".to_string()),
        ],
        endless,
    );
    let server = RawWeb::new()
        .route("/", raw::fixed(200, "text/html", html_page(&["/empty"])))
        .route("/empty", body)
        .serve()
        .await;
    let rec = Recorder::new();
    crawl_beside_healthy(config(b), server.site("empty-members"), rec.clone()).await;
    let page = rec.page("/empty").unwrap();
    assert_eq!(page.error, None, "{page:?}");
    assert!(page.truncated, "cut at its coded size, not read for ever");
    assert_eq!(page.bytes, 0);
}

#[tokio::test]
async fn a_fifty_megabyte_page_is_cut_at_max_bytes_and_not_downloaded() {
    const FIFTY_MB: u64 = 50 * 1024 * 1024;
    let sent = Arc::new(AtomicU64::new(0));
    let server = RawWeb::new()
        .route("/", raw::fixed(200, "text/html", html_page(&["/big"])))
        .route(
            "/big",
            raw::stream(
                "text/html; charset=utf-8",
                b"<p>council tax</p>".repeat(3641),
                Some(FIFTY_MB),
                sent.clone(),
            ),
        )
        .serve()
        .await;
    let b = budget();
    let rec = Recorder::new();
    crawl_beside_healthy(config(b.clone()), server.site("big"), rec.clone()).await;
    let big = rec.page("/big").unwrap();
    assert!(big.truncated);
    assert!(big.bytes <= b.max_bytes, "{} bytes kept", big.bytes);
    assert_eq!(big.content_length, Some(FIFTY_MB));
    let sent = sent.load(Ordering::Relaxed);
    assert!(
        sent < FIFTY_MB / 2,
        "the download stopped at the cap, not at the end ({sent} bytes sent)"
    );
}

#[tokio::test]
async fn a_home_page_redirect_loop_fails_the_site_with_the_reason() {
    let server = TestWeb::new()
        .route("/", |_| Reply::redirect("/home"))
        .route("/home", |_| Reply::redirect("/"))
        .serve()
        .await;
    let rec = Recorder::new();
    let report = crawl_beside_healthy(config(budget()), server.site("loop"), rec).await;
    let failure = report.failure.unwrap();
    assert!(failure.contains("redirect loop"), "{failure}");
    assert_eq!(server.count("/"), 1);
}

#[tokio::test]
async fn an_endless_chain_of_fresh_redirects_stops_at_max_redirects() {
    let mut web = TestWeb::new().page("/", &[("/chain?n=0", "Start")]);
    for n in 0..100 {
        let next = format!("/chain?n={}", n + 1);
        web = web.route(&format!("/chain?n={n}"), move |_| Reply::redirect(&next));
    }
    let server = web.serve().await;
    let mut b = budget();
    b.max_redirects = 5;
    let rec = Recorder::new();
    crawl_beside_healthy(config(b), server.site("chain"), rec.clone()).await;
    let page = rec.page("/chain").unwrap();
    assert!(page.error.unwrap().contains("more than 5 redirects"));
    let hops = server
        .paths()
        .iter()
        .filter(|p| p.starts_with("/chain"))
        .count();
    assert_eq!(hops, 6, "{:?}", server.paths());
}

#[tokio::test]
async fn redirects_to_script_data_and_mail_urls_are_not_followed() {
    let server = TestWeb::new()
        .page("/", &[("/js", "A"), ("/data", "B"), ("/mail", "C")])
        .route("/js", |_| Reply::redirect("javascript:alert(1)"))
        .route("/data", |_| {
            Reply::redirect("data:text/html,<script>alert(1)</script>")
        })
        .route("/mail", |_| Reply::redirect("mailto:x@example.org"))
        .serve()
        .await;
    let rec = Recorder::new();
    crawl_beside_healthy(config(budget()), server.site("schemes"), rec.clone()).await;
    for path in ["/js", "/data", "/mail"] {
        let page = rec.page(path).unwrap();
        let error = page.error.unwrap_or_default();
        assert!(error.contains("unusable location"), "{path}: {error}");
        assert_eq!(page.final_url.path(), path);
    }
}

#[tokio::test]
async fn session_ids_in_urls_do_not_multiply_pages() {
    // Every visit hands out fresh session ids, in the query and in the path.
    let server = TestWeb::new()
        .route("/", |hit| {
            let (a, b) = (
                format!("/a?PHPSESSID=s{}", hit.count),
                format!("/b;jsessionid=J{}", hit.count),
            );
            support::links_page(&[(a.as_str(), "A"), (b.as_str(), "B")])
        })
        .route("/a", |hit| {
            let again = format!("/a?sid={}&sessionid=x{}", hit.count, hit.count);
            let home = format!("/?PHPSESSID=h{}", hit.count);
            support::links_page(&[(again.as_str(), "Again"), (home.as_str(), "Home")])
        })
        .serve()
        .await;
    let mut b = budget();
    b.strip_query_params = civicscan::ruleset::builtin().crawl.strip_query_params;
    let rec = Recorder::new();
    let report = crawl_beside_healthy(config(b), server.site("sessions"), rec).await;
    assert_eq!(server.count("/a"), 1, "{:?}", server.paths());
    assert_eq!(server.count("/"), 1, "{:?}", server.paths());
    assert!(
        !server.paths().iter().any(|p| p.contains("jsessionid")),
        "{:?}",
        server.paths()
    );
    assert!(report.traps_skipped >= 1);
}

#[tokio::test]
async fn lying_and_invalid_charsets_decode_without_losing_links() {
    let lie = [b"<!doctype html><title>caf\xe9</title><a href=/after-lie>x</a>".to_vec()].concat();
    let bogus =
        b"<!doctype html><meta charset=windows-1252><title>caf\xe9</title><a href=/after-bogus>x</a>"
            .to_vec();
    let utf16_lie = b"<!doctype html><title>t</title><a href=/after-utf16>x</a>".to_vec();
    let server = RawWeb::new()
        .route(
            "/",
            raw::fixed(200, "text/html", html_page(&["/lie", "/bogus", "/utf16"])),
        )
        .route("/lie", raw::fixed(200, "text/html; charset=utf-8", lie))
        .route(
            "/bogus",
            raw::fixed(200, "text/html; charset=x-klingon", bogus),
        )
        .route(
            "/utf16",
            raw::fixed(200, "text/html; charset=utf-16le", utf16_lie),
        )
        .route("/after-lie", raw::fixed(200, "text/html", html_page(&[])))
        .route("/after-bogus", raw::fixed(200, "text/html", html_page(&[])))
        .serve()
        .await;
    let rec = Recorder::new();
    let report = crawl_beside_healthy(config(budget()), server.site("charsets"), rec.clone()).await;
    assert_eq!(report.failure, None);
    let lie = rec.page("/lie").unwrap().body.unwrap();
    assert!(
        lie.contains("caf\u{FFFD}"),
        "bad bytes become U+FFFD: {lie}"
    );
    let bogus = rec.page("/bogus").unwrap().body.unwrap();
    assert!(
        bogus.contains("café"),
        "an unknown label falls back to <meta>: {bogus}"
    );
    assert_eq!(server.count("/after-lie"), 1);
    assert_eq!(server.count("/after-bogus"), 1);
    // Decoded as the header says (as browsers do): garbage, but a page, not a panic.
    let utf16 = rec.page("/utf16").unwrap();
    assert_eq!((utf16.status, utf16.kind), (200, PageKind::Html));
}

#[tokio::test]
async fn a_huge_robots_txt_is_read_up_to_its_cap() {
    let sent = Arc::new(AtomicU64::new(0));
    let rules = b"User-agent: *\nDisallow: /private\n".repeat(64);
    let server = RawWeb::new()
        .route(
            "/robots.txt",
            raw::stream("text/plain", rules, None, sent.clone()),
        )
        .route(
            "/",
            raw::fixed(200, "text/html", html_page(&["/private/x", "/public"])),
        )
        .route("/public", raw::fixed(200, "text/html", html_page(&[])))
        .serve()
        .await;
    let rec = Recorder::new();
    let report = crawl_beside_healthy(config(budget()), server.site("robots-huge"), rec).await;
    assert_eq!(report.robots, Some(RobotsOutcome::Obeyed { status: 200 }));
    assert_eq!(server.count("/private/x"), 0);
    assert_eq!(server.count("/public"), 1);
    assert!(sent.load(Ordering::Relaxed) < 64 * 1024 * 1024);
}

#[tokio::test]
async fn a_binary_robots_txt_does_not_stop_the_crawl() {
    use rand::{RngCore, SeedableRng};
    let mut noise = vec![0u8; 64 * 1024];
    rand_chacha::ChaCha8Rng::seed_from_u64(9).fill_bytes(&mut noise);
    let server = RawWeb::new()
        .route(
            "/robots.txt",
            raw::fixed(200, "application/octet-stream", noise),
        )
        .route("/", raw::fixed(200, "text/html", html_page(&["/a"])))
        .route("/a", raw::fixed(200, "text/html", html_page(&[])))
        .serve()
        .await;
    let rec = Recorder::new();
    let report = crawl_beside_healthy(config(budget()), server.site("robots-binary"), rec).await;
    assert_eq!(report.failure, None);
    assert_eq!(report.pages, 2);
}

#[tokio::test]
async fn a_robots_txt_redirect_loop_counts_as_unavailable() {
    let server = TestWeb::new()
        .route("/robots.txt", |_| Reply::redirect("/robots-moved.txt"))
        .route("/robots-moved.txt", |_| Reply::redirect("/robots.txt"))
        .page("/", &[("/a", "A")])
        .page("/a", &[])
        .serve()
        .await;
    let rec = Recorder::new();
    let report = crawl_beside_healthy(config(budget()), server.site("robots-loop"), rec).await;
    assert_eq!(
        report.robots,
        Some(RobotsOutcome::Unavailable { status: 404 })
    );
    assert_eq!(report.pages, 2);
    let robots_requests = server
        .paths()
        .iter()
        .filter(|p| p.starts_with("/robots"))
        .count();
    assert_eq!(robots_requests, 6, "five redirects followed, then given up");
}

#[tokio::test]
async fn sitemaps_that_recurse_or_point_off_site_are_contained() {
    let elsewhere = TestWeb::new()
        .route("/sitemap.xml", |_| Reply::status(404))
        .page("/offsite-page", &[])
        .route("/evil-sitemap.xml", |_| {
            Reply::bytes("application/xml", urlset(&["/offsite-page"]).into_bytes())
        })
        .serve()
        .await;
    let evil_sitemap = elsewhere.url("/evil-sitemap.xml").to_string();
    let offsite_page = elsewhere.url("/offsite-page").to_string();
    // An index that names itself, a urlset, and a sitemap on another site.
    let index = index_xml(&["/sm-index.xml", "/sm-b.xml", evil_sitemap.as_str()]);
    let sm_b = urlset(&["/from-sitemap", offsite_page.as_str()]);
    let mut web = TestWeb::new()
        .route("/robots.txt", |_| Reply::text("Sitemap: /sm-index.xml\n"))
        .page("/", &[])
        .page("/from-sitemap", &[])
        .route("/sm-index.xml", move |_| {
            Reply::bytes("application/xml", index.clone().into_bytes())
        })
        .route("/sm-b.xml", move |_| {
            Reply::bytes("application/xml", sm_b.clone().into_bytes())
        });
    // An index that names a fresh index, for ever.
    web = web.route("/sitemap.xml", |_| {
        Reply::bytes("application/xml", index_xml(&["/gen/1.xml"]).into_bytes())
    });
    for n in 1..200 {
        let next = format!("/gen/{}.xml", n + 1);
        web = web.route(&format!("/gen/{n}.xml"), move |_| {
            Reply::bytes("application/xml", index_xml(&[next.as_str()]).into_bytes())
        });
    }
    let server = web.serve().await;
    let rec = Recorder::new();
    let report = crawl_beside_healthy(config(budget()), server.site("sitemaps"), rec).await;
    assert_eq!(report.failure, None);
    assert_eq!(server.count("/sm-index.xml"), 1, "{:?}", server.paths());
    assert_eq!(server.count("/sm-b.xml"), 1);
    assert_eq!(server.count("/from-sitemap"), 1);
    assert!(
        elsewhere.paths().is_empty(),
        "nothing off-site is fetched, sitemap or page: {:?}",
        elsewhere.paths()
    );
    let generated = server
        .paths()
        .iter()
        .filter(|p| p.starts_with("/gen/"))
        .count();
    assert!(generated < 60, "{generated} generated sitemaps read");
}

fn urlset(locs: &[&str]) -> String {
    let mut s = String::from(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#);
    for l in locs {
        s.push_str(&format!("<url><loc>{l}</loc></url>"));
    }
    s.push_str("</urlset>");
    s
}

fn index_xml(locs: &[&str]) -> String {
    let mut s =
        String::from(r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#);
    for l in locs {
        s.push_str(&format!("<sitemap><loc>{l}</loc></sitemap>"));
    }
    s.push_str("</sitemapindex>");
    s
}

#[tokio::test]
async fn a_429_storm_gives_the_host_up_after_a_bounded_number_of_requests() {
    let paths: Vec<String> = (0..20).map(|i| format!("/p{i}")).collect();
    let links: Vec<(&str, &str)> = paths.iter().map(|p| (p.as_str(), "page")).collect();
    let mut web = TestWeb::new().page("/", &links);
    for p in &paths {
        web = web.route(p, |_| Reply::status(429).header("retry-after", "0"));
    }
    let server = web.serve().await;
    let c = config(budget());
    let (limit, retries) = (c.host_failure_limit as usize, c.budget.retries as usize);
    let others = c.site_concurrency - 1;
    let rec = Recorder::new();
    let report = crawl_beside_healthy(c, server.site("storm"), rec.clone()).await;
    let given_up = report.host_given_up.expect("the host is given up");
    assert!(given_up.contains("HTTP 429"), "{given_up}");
    let storm = server
        .paths()
        .iter()
        .filter(|p| p.starts_with("/p"))
        .count();
    // The failure limit of pages, each tried 1 + retries times, plus what the other pages in
    // flight had tried so far (short of their last try); not one request after the give-up.
    assert!(
        storm <= limit * (retries + 1) + others * retries,
        "{storm} requests in the storm"
    );
    assert_eq!(
        rec.pages().len(),
        21,
        "every link is recorded with a reason"
    );
    assert!(rec.pages().iter().skip(1).all(|p| p.error.is_some()));
}

#[tokio::test]
async fn a_long_retry_after_on_the_home_page_fails_fast() {
    let server = TestWeb::new()
        .route("/", |_| Reply::status(429).header("retry-after", "3600"))
        .serve()
        .await;
    let rec = Recorder::new();
    let report = crawl_beside_healthy(config(budget()), server.site("later"), rec).await;
    let failure = report.failure.unwrap();
    assert!(failure.contains("HTTP 429"), "{failure}");
    assert_eq!(
        server.count("/"),
        1,
        "a Retry-After of an hour is not waited for"
    );
    assert!(
        report.elapsed < Duration::from_secs(5),
        "{:?}",
        report.elapsed
    );
}

#[tokio::test]
async fn connections_reset_or_closed_mid_body_are_recorded_and_retried() {
    let partial = b"<!doctype html><p>half a page".repeat(40);
    let server = RawWeb::new()
        .route(
            "/",
            raw::fixed(200, "text/html", html_page(&["/reset", "/eof", "/ok"])),
        )
        .route(
            "/reset",
            raw::reset_mid_body("text/html", 100_000, partial.clone()),
        )
        .route(
            "/eof",
            raw::with_headers(
                200,
                vec![
                    ("content-type", "text/html".to_string()),
                    ("content-length", "100000".to_string()),
                ],
                partial,
            ),
        )
        .route("/ok", raw::fixed(200, "text/html", html_page(&[])))
        .serve()
        .await;
    let c = config(budget());
    let tries = c.budget.retries as usize + 1;
    let rec = Recorder::new();
    let report = crawl_beside_healthy(c, server.site("resets"), rec.clone()).await;
    for path in ["/reset", "/eof"] {
        let page = rec.page(path).unwrap();
        assert_eq!(page.status, 0, "{path}: {page:?}");
        assert!(page.error.is_some(), "{path}: {page:?}");
        assert_eq!(server.count(path), tries, "{path} is retried");
    }
    assert_eq!(rec.page("/ok").unwrap().status, 200);
    assert_eq!(report.failure, None);
}

/// An HTTPS server with a self-signed certificate (tests/fixtures/hostile, made with openssl),
/// answering every request that gets through the handshake. Returns its address and a count of
/// connections accepted.
fn self_signed_tls_server() -> (std::net::SocketAddr, Arc<AtomicU64>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use std::io::Read;

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile");
    let certs = CertificateDer::pem_file_iter(format!("{dir}/self-signed.crt"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{dir}/self-signed.key")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let tls = Arc::new(tls);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicU64::new(0));
    let count = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for tcp in listener.incoming() {
            let Ok(tcp) = tcp else { break };
            count.fetch_add(1, Ordering::Relaxed);
            let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
            let conn = rustls::ServerConnection::new(Arc::clone(&tls)).unwrap();
            let mut stream = rustls::StreamOwned::new(conn, tcp);
            let mut buf = [0u8; 4096];
            if stream.read(&mut buf).is_ok_and(|n| n > 0) {
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                );
            }
        }
    });
    (addr, accepted)
}

#[tokio::test]
async fn a_self_signed_certificate_fails_the_site_with_a_tls_reason() {
    let (addr, accepted) = self_signed_tls_server();
    let url = format!("https://{addr}/").parse().unwrap();
    let site = Site::new("tls", "TLS", civicscan::sites::CouncilType::SD, url);
    let rec = Recorder::new();
    let report = crawl_beside_healthy(config(budget()), site, rec).await;
    let failure = report.failure.expect("the site failed");
    assert!(
        failure.to_ascii_lowercase().contains("certificate"),
        "the reason names the certificate: {failure}"
    );
    assert!(
        accepted.load(Ordering::Relaxed) >= 1,
        "the connection was made; the handshake failed"
    );
}

/// A fast ruleset for surveys of loopback sites.
fn fast_ruleset() -> civicscan::ruleset::Ruleset {
    let mut rules = civicscan::ruleset::builtin();
    rules.crawl.requests_per_second = 200.0;
    rules.crawl.max_pages = 40;
    rules.crawl.max_bytes = 1_000_000;
    rules.crawl.request_timeout = Duration::from_secs(2);
    rules.crawl.site_time_budget = Duration::from_secs(30);
    rules
}

/// Pages that break parsers: 100 000 nested elements, everything left unclosed, a PDF that says
/// it is HTML and HTML that says it is a PDF, a 50 MB page.
fn malformed_site() -> RawWeb {
    let mut nested = String::from(
        "<!doctype html><html lang=en><head><title>Deep</title></head><body><main>\
         <a href=\"/before-deep\">Before</a>",
    );
    nested.push_str(&"<div>".repeat(100_000));
    nested.push_str("<a href=\"/deep-link\">Deep link</a>");
    nested.push_str(&"</div>".repeat(10_000));
    // Everything unclosed but the title (whose text would otherwise run to the end).
    let mut unclosed = String::from("<html><head><title>Unclosed</title><body>");
    unclosed.push_str(
        &"<div><span><p><b><i><table><tr><td><ul><li><form><select><option><a href=/unclosed-link>x"
            .repeat(500),
    );
    unclosed.push_str("<img alt=\"never ends <!-- <script>var x = '");
    let pdf_as_html = [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n".to_vec(),
        b"<a href=/from-pdf-bytes>not a link</a><img src=x>".to_vec(),
        (0..=255u8).cycle().take(20_000).collect(),
    ]
    .concat();
    let html_as_pdf = html_page(&["/hidden-in-pdf"]);
    RawWeb::new()
        .route(
            "/",
            raw::fixed(
                200,
                "text/html",
                html_page(&["/nested", "/unclosed", "/big", "/fake.pdf", "/real.pdf"]),
            ),
        )
        .route(
            "/nested",
            raw::fixed(200, "text/html; charset=utf-8", nested.into_bytes()),
        )
        .route("/before-deep", raw::fixed(200, "text/html", html_page(&[])))
        .route("/deep-link", raw::fixed(200, "text/html", html_page(&[])))
        .route(
            "/unclosed",
            raw::fixed(200, "text/html", unclosed.into_bytes()),
        )
        .route(
            "/unclosed-link",
            raw::fixed(200, "text/html", html_page(&[])),
        )
        .route(
            "/big",
            raw::stream(
                "text/html",
                b"<p>council tax</p>".repeat(3641),
                Some(50 * 1024 * 1024),
                Arc::new(AtomicU64::new(0)),
            ),
        )
        .route("/fake.pdf", raw::fixed(200, "application/pdf", html_as_pdf))
        .route("/real.pdf", raw::fixed(200, "text/html", pdf_as_html))
        .route(
            "/hidden-in-pdf",
            raw::fixed(200, "text/html", html_page(&[])),
        )
        .route(
            "/from-pdf-bytes",
            raw::fixed(200, "text/html", html_page(&[])),
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_pages_go_through_the_survey_and_audit_with_bytes_capped() {
    use civicscan::store::Store;
    let hostile = malformed_site().serve().await;
    let healthy = TestWeb::new()
        .page("/", &[("/a", "A")])
        .page("/a", &[])
        .serve()
        .await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("survey.db");
    let sites = vec![hostile.site("malformed"), healthy.site("healthy")];
    let rules = fast_ruleset();
    let cap = rules.crawl.max_bytes;
    let options = civicscan::survey::SurveyOptions::allowing_private();
    let outcome = tokio::time::timeout(
        Duration::from_secs(90),
        civicscan::survey::survey(&sites, Arc::new(rules), Store::open(&db).unwrap(), &options),
    )
    .await
    .expect("the survey finishes")
    .expect("the survey runs");
    assert_eq!(outcome.sites_assessed, 2);
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);

    let store = Store::open(&db).unwrap();
    let run = outcome.run;
    let pages = store.pages(run, "malformed").unwrap();
    let page = |path: &str| {
        pages
            .iter()
            .find(|p| p.page.url.path() == path)
            .unwrap_or_else(|| panic!("{path} stored"))
    };
    // Parsed up to page::MAX_NESTING elements deep (parsing costs the square of the depth), in
    // seconds: the link before the nesting is followed, the one under 100 000 divs is cut off.
    let nested = page("/nested");
    let facts = nested.facts.as_ref().expect("the deep page is parsed");
    assert_eq!(facts.title.as_deref(), Some("Deep"));
    page("/before-deep");
    assert_eq!(hostile.count("/deep-link"), 0);
    assert!(page("/unclosed").facts.is_some());
    page("/unclosed-link");
    let big = page("/big");
    assert!(
        big.page.truncated && big.page.bytes <= cap,
        "{:?}",
        big.page
    );
    assert!(pages.iter().all(|p| p.page.bytes <= cap));

    let fake = page("/fake.pdf");
    assert_eq!(
        (fake.page.kind, fake.facts.is_none()),
        (PageKind::Document, true)
    );
    let real = page("/real.pdf");
    assert_eq!(
        real.page.kind,
        PageKind::Document,
        "a PDF labelled text/html is a document, not a page full of failures"
    );
    assert!(real.facts.is_none());
    let findings = store.findings(run, "malformed").unwrap();
    assert!(
        !findings.iter().any(|(url, _)| url.ends_with("/real.pdf")),
        "no accessibility findings on PDF bytes"
    );
    for never in ["/hidden-in-pdf", "/from-pdf-bytes"] {
        assert_eq!(hostile.count(never), 0, "{never} is not a link");
    }
    let healthy_assessment = store
        .assessments(run)
        .unwrap()
        .into_iter()
        .find(|a| a.site.slug == "healthy")
        .unwrap();
    assert_eq!(healthy_assessment.failure, None);
    assert_eq!(healthy_assessment.pages_fetched, 2);
}

/// The fuzz targets (tests/fuzz) on stable: every saved crash is replayed through its target, and
/// each target runs on the shipped inputs it is seeded with, so a broken target shows here.
#[test]
fn fuzz_artifacts_replay_without_crashing() {
    let fuzz = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    type Target = fn(&[u8]);
    let targets: [(&str, Target); 5] = [
        ("sites", fuzz_targets::sites),
        ("ruleset", fuzz_targets::ruleset),
        ("robots", fuzz_targets::robots),
        ("sitemap", fuzz_targets::sitemap),
        ("page_audit", fuzz_targets::page_audit),
    ];
    for (name, target) in targets {
        let Ok(entries) = std::fs::read_dir(fuzz.join("artifacts").join(name)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            // A panic names the input; libFuzzer's own replay is `cargo fuzz run TARGET FILE`.
            eprintln!("replaying {}", path.display());
            target(&data);
        }
    }
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    fuzz_targets::sites(&std::fs::read(repo.join("sites.csv")).unwrap());
    fuzz_targets::ruleset(&std::fs::read(repo.join("rulesets/better-connected.toml")).unwrap());
    fuzz_targets::robots(b"User-agent: *\nDisallow: /private\nSitemap: /sm.xml\n\0\xff");
    fuzz_targets::sitemap(&gzip(urlset(&["/a", "b?c=1&amp;d"]).as_bytes()));
    fuzz_targets::page_audit(&html_page(&["/a", "javascript:x"]));
}
