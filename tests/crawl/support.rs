//! The loopback test web for the crawl tests: an axum server on 127.0.0.1 whose routes are
//! closures, which records every request's path and arrival time server-side, plus a page handler
//! that extracts links with scraper and keeps every page it is given.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use civicscan::crawl::{CrawlConfig, Discovered, Page, PageHandler, Validators};
use civicscan::ruleset::CrawlBudget;
use civicscan::sites::{CouncilType, Site};
use scraper::{Html, Selector};
use tokio::time::Instant;
use url::Url;

/// What a route sees: how many times it was requested before, and the request headers.
pub struct Hit<'a> {
    pub count: usize,
    pub headers: &'a HeaderMap,
}

type Route = Arc<dyn Fn(Hit<'_>) -> Reply + Send + Sync>;

/// A route's answer.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Reply {
    pub fn html(body: &str) -> Reply {
        Reply::bytes("text/html; charset=utf-8", body.as_bytes().to_vec())
    }

    pub fn bytes(content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("content-type", content_type.to_string())],
            body,
            delay: Duration::ZERO,
        }
    }

    pub fn text(body: &str) -> Reply {
        Reply::bytes("text/plain", body.as_bytes().to_vec())
    }

    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn redirect(to: &str) -> Reply {
        Reply::status(302).header("location", to)
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Reply {
        self.headers.push((name, value.to_string()));
        self
    }

    pub fn delayed(mut self, by: Duration) -> Reply {
        self.delay = by;
        self
    }
}

/// A page of links, `(href, text)`.
pub fn links_page(links: &[(&str, &str)]) -> Reply {
    let mut body = String::from("<!doctype html><html><head><title>t</title></head><body>");
    for (href, text) in links {
        body.push_str(&format!("<a href=\"{href}\">{text}</a>\n"));
    }
    body.push_str("</body></html>");
    Reply::html(&body)
}

struct ServerState {
    routes: HashMap<String, Route>,
    hits: Mutex<HashMap<String, usize>>,
    log: Mutex<Vec<(String, Instant)>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// A running test site.
pub struct TestServer {
    pub addr: SocketAddr,
    state: Arc<ServerState>,
}

/// Builds a test site route by route.
#[derive(Default)]
pub struct TestWeb {
    routes: HashMap<String, Route>,
}

impl TestWeb {
    pub fn new() -> Self {
        TestWeb::default()
    }

    /// Adds a route for a path (with its query, if any).
    pub fn route(
        mut self,
        path: &str,
        f: impl Fn(Hit<'_>) -> Reply + Send + Sync + 'static,
    ) -> Self {
        self.routes.insert(path.to_string(), Arc::new(f));
        self
    }

    /// Adds a route that always gives the same HTML page of links.
    pub fn page(self, path: &str, links: &[(&str, &str)]) -> Self {
        let links: Vec<(String, String)> = links
            .iter()
            .map(|(h, t)| (h.to_string(), t.to_string()))
            .collect();
        self.route(path, move |_| {
            let borrowed: Vec<(&str, &str)> = links
                .iter()
                .map(|(h, t)| (h.as_str(), t.as_str()))
                .collect();
            links_page(&borrowed)
        })
    }

    /// Serves on 127.0.0.1 at a free port.
    pub async fn serve(self) -> TestServer {
        self.serve_on("127.0.0.1").await
    }

    /// Serves on another loopback address (127.0.0.0/8 only).
    pub async fn serve_on(self, ip: &str) -> TestServer {
        let state = Arc::new(ServerState {
            routes: self.routes,
            hits: Mutex::new(HashMap::new()),
            log: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        });
        let app = axum::Router::new()
            .fallback(answer)
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind((ip, 0))
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestServer { addr, state }
    }
}

async fn answer(State(state): State<Arc<ServerState>>, req: Request) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    state
        .log
        .lock()
        .unwrap()
        .push((path.clone(), Instant::now()));
    let now_in_flight = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state
        .max_in_flight
        .fetch_max(now_in_flight, Ordering::SeqCst);
    let count = {
        let mut hits = state.hits.lock().unwrap();
        let n = hits.entry(path.clone()).or_default();
        *n += 1;
        *n - 1
    };
    let reply = match state.routes.get(&path) {
        Some(route) => route(Hit {
            count,
            headers: req.headers(),
        }),
        None => Reply::status(404),
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    state.in_flight.fetch_sub(1, Ordering::SeqCst);
    let mut resp = Response::builder().status(StatusCode::from_u16(reply.status).unwrap());
    for (k, v) in &reply.headers {
        resp = resp.header(*k, v);
    }
    if !reply
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
    {
        resp = resp.header(header::CONTENT_LENGTH, reply.body.len());
    }
    resp.body(Body::from(reply.body)).unwrap()
}

impl TestServer {
    /// A URL on this server.
    pub fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://{}{path}", self.addr)).unwrap()
    }

    /// A site whose home page is `/` on this server.
    pub fn site(&self, slug: &str) -> Site {
        Site::new(slug, slug, CouncilType::SD, self.url("/"))
    }

    /// Every request so far: path and arrival time.
    pub fn log(&self) -> Vec<(String, Instant)> {
        self.state.log.lock().unwrap().clone()
    }

    /// The paths requested, in arrival order.
    pub fn paths(&self) -> Vec<String> {
        self.log().into_iter().map(|(p, _)| p).collect()
    }

    /// How often a path was requested.
    pub fn count(&self, path: &str) -> usize {
        self.paths().iter().filter(|p| *p == path).count()
    }

    /// The most requests the server was answering at once.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }

    /// The smallest gap between two consecutive requests.
    pub fn min_gap(&self) -> Option<Duration> {
        let log = self.log();
        log.windows(2).map(|w| w[1].1.duration_since(w[0].1)).min()
    }

    /// Asserts that requests arrived no faster than one per `interval`: over the whole crawl
    /// (first to last request, within `tolerance`), and with no two requests in a burst (no gap
    /// under half the interval). Single gaps may be shorter than the interval when the machine is
    /// loaded, since a request sent late and the next sent on time arrive closer together; the
    /// limiter's promise is about the pace.
    pub fn assert_paced(&self, interval: Duration, tolerance: Duration) {
        let log = self.log();
        assert!(log.len() >= 2, "at least two requests: {:?}", self.paths());
        let span = log[log.len() - 1].1.duration_since(log[0].1);
        let gaps = u32::try_from(log.len() - 1).unwrap_or(u32::MAX);
        assert!(
            span + tolerance >= interval * gaps,
            "{} requests in {span:?}, faster than one per {interval:?}",
            log.len()
        );
        let gap = self.min_gap().unwrap_or_default();
        assert!(
            gap * 2 >= interval,
            "a burst: gap {gap:?} for an interval of {interval:?}"
        );
    }
}

/// Fast, small test budgets: 50 requests per second per host, short timeouts.
pub fn budget() -> CrawlBudget {
    CrawlBudget {
        max_pages: 50,
        max_depth: 5,
        max_bytes: 1_000_000,
        max_document_bytes: 1024,
        request_timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        site_time_budget: Duration::from_secs(60),
        requests_per_second: 50.0,
        crawl_delay_cap: Duration::from_secs(30),
        max_redirects: 5,
        retries: 2,
        global_concurrency: 16,
        portal_hosts: Vec::new(),
        strip_query_params: vec!["utm_*".to_string()],
        max_sitemap_urls: 50_000,
    }
}

/// A config for loopback tests: private addresses allowed, fast retries.
pub fn config(budget: CrawlBudget) -> CrawlConfig {
    let mut c = CrawlConfig::from_budget(&budget);
    c.allow_private = true;
    c.retry_base = Duration::from_millis(10);
    c
}

/// A page handler that keeps every page and extracts `a[href]` links (leaving out
/// `rel=nofollow`, honouring `<meta name=robots content=nofollow>`), as the pipeline's would.
#[derive(Default)]
pub struct Recorder {
    pub pages: Mutex<Vec<Page>>,
    pub discovered: Mutex<Vec<(Page, Discovered)>>,
    pub validators: HashMap<String, Validators>,
}

impl Recorder {
    pub fn new() -> Arc<Self> {
        Arc::new(Recorder::default())
    }

    pub fn pages(&self) -> Vec<Page> {
        self.pages.lock().unwrap().clone()
    }

    pub fn page(&self, path: &str) -> Option<Page> {
        self.pages().into_iter().find(|p| p.url.path() == path)
    }
}

impl PageHandler for Recorder {
    fn handle(&self, _site: &str, page: &Page) -> Discovered {
        let mut discovered = Discovered::default();
        if let Some(body) = &page.body {
            let doc = Html::parse_document(body);
            let a = Selector::parse("a[href]").unwrap();
            let meta = Selector::parse("meta[name=robots]").unwrap();
            discovered.nofollow = doc.select(&meta).any(|m| {
                m.value()
                    .attr("content")
                    .is_some_and(|c| c.to_ascii_lowercase().contains("nofollow"))
            });
            for el in doc.select(&a) {
                if el
                    .value()
                    .attr("rel")
                    .is_some_and(|r| r.contains("nofollow"))
                {
                    continue;
                }
                let href = el.value().attr("href").unwrap_or_default();
                if let Ok(url) = page.final_url.join(href) {
                    discovered.links.push((url, el.text().collect::<String>()));
                }
            }
        }
        self.pages.lock().unwrap().push(page.clone());
        self.discovered
            .lock()
            .unwrap()
            .push((page.clone(), discovered.clone()));
        discovered
    }

    fn validators(&self, _site: &str, url: &Url) -> Option<Validators> {
        self.validators.get(url.path()).cloned()
    }
}
