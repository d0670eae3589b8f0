//! The demo server. By default one axum listener per site, each on its own loopback address
//! (127.0.1.1, 127.0.1.2, … are all loopback on Linux), so any HTTP client reaches each council
//! as a separate host without resolver set-up; where those addresses cannot be bound, every site
//! gets its own port on 127.0.0.1 instead. A listener each takes a file descriptor each, beside
//! the connections a survey keeps to every council, so past a few thousand councils the sites
//! are served by host name instead (`SLUG.localhost`, RFC 6761's loopback names, which the
//! survey resolves to 127.0.0.1 itself), a few listeners shared by all, told apart by the Host
//! header.
//!
//! [`serve`] serves a web built in full (`civicscan demo`, tests); [`serve_planned`] serves one
//! planned only, each site built when first asked for ([`SiteCache`]), as `civicscan demo serve`
//! does ([`run_server`]). Both answer with the same bytes.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rand::Rng;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use url::Url;

use super::cache::SiteCache;
use super::packed::{Reply, reply_built};
use super::{DemoWeb, sites_csv};
use crate::sites::Site;

/// How to serve the demo web.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// The port every site listens on (each on its own address); 0 lets the OS choose. By host
    /// name, the first shared listener's port, the others following it.
    pub port: u16,
    /// Extra delay added to every response, in milliseconds (with up to ±25 % jitter).
    pub latency_ms: u32,
    /// Serve every site on 127.0.0.1 with a port each, instead of an address each.
    pub single_address: bool,
    /// Serve every site by host name (`SLUG.localhost`) on a few listeners on 127.0.0.1 they
    /// share, instead of a listener each: for more councils than the open-files limit allows
    /// a listener and connections each. The survey resolves `.localhost` to loopback itself.
    pub by_name: bool,
}

/// Why the demo web could not be served.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// A listener could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The sites file could not be written.
    #[error("{path}: cannot write the sites file: {source}")]
    WriteSites {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Waiting for Ctrl-C failed.
    #[error("cannot wait for Ctrl-C: {0}")]
    Signal(std::io::Error),
}

/// The running listeners.
struct Listeners {
    stops: Vec<oneshot::Sender<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Listeners {
    async fn shutdown(self) {
        for stop in self.stops {
            let _ = stop.send(());
        }
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// The demo web being served, built in full; drop it or call [`ServedDemo::shutdown`] to stop.
pub struct ServedDemo {
    /// The web, with every site's `homepage` set to where it is served.
    pub web: Arc<DemoWeb>,
    listeners: Listeners,
}

impl ServedDemo {
    /// The councils, with their served home pages.
    pub fn sites(&self) -> Vec<Site> {
        self.web.sites()
    }

    /// Stops every listener and waits for in-flight responses to finish.
    pub async fn shutdown(self) {
        self.listeners.shutdown().await;
    }
}

/// The demo web being served from its plans, each site built when first asked for
/// ([`SiteCache`]); drop it or call [`ServedPlans::shutdown`] to stop.
pub struct ServedPlans {
    /// The sites, built and held as they are asked for.
    pub cache: Arc<SiteCache>,
    sites: Vec<Site>,
    listeners: Listeners,
}

impl ServedPlans {
    /// The councils, with their served home pages.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// Stops every listener and waits for in-flight responses to finish.
    pub async fn shutdown(self) {
        self.listeners.shutdown().await;
    }
}

/// Where the sites come from.
enum Sites {
    /// Built in advance (`civicscan demo`, tests).
    Built(Arc<DemoWeb>),
    /// Built on demand ([`SiteCache`]).
    Planned(Arc<SiteCache>),
}

/// What every listener shares.
struct Shared {
    sites: Sites,
    /// Each site's origin as served (`http://127.0.1.3:8080`, `http://leeds.localhost:8080`).
    bases: Vec<String>,
    /// Site by host name, when sites share listeners.
    by_host: HashMap<String, usize>,
    latency_ms: u32,
}

/// One listener's state: its site, or `None` when sites are told apart by host name.
#[derive(Clone)]
struct Listening {
    shared: Arc<Shared>,
    site: Option<usize>,
}

/// The loopback address of the `i`-th site: 127.0.1.1, 127.0.1.2, …, then 127.0.2.1, ….
fn site_ip(i: usize) -> Ipv4Addr {
    let third = 1 + (i / 254) as u8;
    let fourth = 1 + (i % 254) as u8;
    Ipv4Addr::new(127, 0, third, fourth)
}

/// Listeners shared by host name: enough that no one address and port carries more than a few
/// hundred councils' connections (each connection to it takes an ephemeral port of the client).
const SHARED_LISTENERS: usize = 32;

/// What bind gives: each site's origin and the listeners with the site each serves.
struct Bound {
    bases: Vec<String>,
    by_host: HashMap<String, usize>,
    listeners: Vec<(TcpListener, Option<usize>)>,
}

fn local_addr(l: &TcpListener) -> Result<SocketAddr, DemoError> {
    l.local_addr().map_err(|source| DemoError::Bind {
        addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
        source,
    })
}

/// A listener with a long accept queue: when a survey starts, every council connects at once.
fn listen(addr: SocketAddr) -> Result<TcpListener, DemoError> {
    let bind = || -> std::io::Result<TcpListener> {
        let socket = TcpSocket::new_v4()?;
        socket.set_reuseaddr(true)?;
        socket.bind(addr)?;
        socket.listen(4096)
    };
    bind().map_err(|source| DemoError::Bind { addr, source })
}

/// A host name for each site, `SLUG.localhost`, made unique and kept within DNS's 63-character
/// label.
fn host_names(slugs: &[&str]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    slugs
        .iter()
        .enumerate()
        .map(|(i, slug)| {
            let mut label: String = slug.chars().take(63).collect();
            if label.is_empty() || !seen.insert(label.clone()) {
                let suffix = format!("-{i}");
                label = slug.chars().take(63 - suffix.len()).collect::<String>() + &suffix;
                seen.insert(label.clone());
            }
            format!("{}.localhost", label.trim_matches('-'))
        })
        .collect()
}

async fn bind_all(slugs: &[&str], opts: &ServeOptions) -> Result<Bound, DemoError> {
    let n = slugs.len();
    if opts.by_name {
        let mut listeners = Vec::new();
        for j in 0..SHARED_LISTENERS.min(n) {
            let port = if opts.port == 0 {
                0
            } else {
                opts.port.saturating_add(j as u16)
            };
            let l = listen(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port))?;
            listeners.push((l, None));
        }
        let ports = listeners
            .iter()
            .map(|(l, _)| local_addr(l).map(|a| a.port()))
            .collect::<Result<Vec<_>, _>>()?;
        let names = host_names(slugs);
        let bases = names
            .iter()
            .enumerate()
            .map(|(i, host)| format!("http://{host}:{}", ports[i % ports.len()]))
            .collect();
        let by_host = names.into_iter().enumerate().map(|(i, h)| (h, i)).collect();
        return Ok(Bound {
            bases,
            by_host,
            listeners,
        });
    }
    let mut listeners = Vec::with_capacity(n);
    if !opts.single_address {
        for i in 0..n {
            let addr = SocketAddr::new(IpAddr::V4(site_ip(i)), opts.port);
            match TcpListener::bind(addr).await {
                Ok(l) => listeners.push((l, Some(i))),
                Err(e) if e.kind() == std::io::ErrorKind::AddrNotAvailable => {
                    listeners.clear();
                    tracing::info!(
                        "127.0.1.x is not bindable here; serving each site on its own port on 127.0.0.1"
                    );
                    break;
                }
                Err(source) => return Err(DemoError::Bind { addr, source }),
            }
        }
    }
    if listeners.len() < n {
        for i in 0..n {
            let port = if opts.port == 0 {
                0
            } else {
                opts.port.saturating_add(i as u16)
            };
            let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port);
            let l = TcpListener::bind(addr)
                .await
                .map_err(|source| DemoError::Bind { addr, source })?;
            listeners.push((l, Some(i)));
        }
    }
    let bases = listeners
        .iter()
        .map(|(l, _)| local_addr(l).map(|a| format!("http://{a}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Bound {
        bases,
        by_host: HashMap::new(),
        listeners,
    })
}

fn launch(listeners: Vec<(TcpListener, Option<usize>)>, shared: &Arc<Shared>) -> Listeners {
    let mut stops = Vec::new();
    let mut tasks = Vec::new();
    for (listener, site) in listeners {
        let state = Listening {
            shared: shared.clone(),
            site,
        };
        let app = Router::new().fallback(respond).with_state(state);
        let (tx, rx) = oneshot::channel::<()>();
        stops.push(tx);
        tasks.push(tokio::spawn(async move {
            let addr = listener.local_addr().ok();
            let server = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = rx.await;
            });
            if let Err(e) = server.await {
                tracing::warn!("demo listener {addr:?} stopped: {e}");
            }
        }));
    }
    Listeners { stops, tasks }
}

impl Bound {
    /// Each site's home page on its bound address, in the order the sites were bound.
    fn homepages(&self) -> impl Iterator<Item = Option<Url>> + '_ {
        self.bases
            .iter()
            .map(|base| Url::parse(&format!("{base}/")).ok())
    }

    /// Starts answering on every bound listener from `sites`.
    fn launch(self, sites: Sites, latency_ms: u32) -> Listeners {
        let shared = Arc::new(Shared {
            sites,
            bases: self.bases,
            by_host: self.by_host,
            latency_ms,
        });
        launch(self.listeners, &shared)
    }
}

/// Serves every site of the web on loopback and fills in each site's home page.
pub async fn serve(mut web: DemoWeb, opts: ServeOptions) -> Result<ServedDemo, DemoError> {
    let slugs: Vec<&str> = web.sites.iter().map(|s| s.site.slug.as_str()).collect();
    let bound = bind_all(&slugs, &opts).await?;
    for (site, url) in web.sites.iter_mut().zip(bound.homepages()) {
        if let Some(url) = url {
            site.site.homepage = url;
        }
    }
    let web = Arc::new(web);
    let listeners = bound.launch(Sites::Built(web.clone()), opts.latency_ms);
    Ok(ServedDemo { web, listeners })
}

/// Serves the planned sites of a [`SiteCache`] on loopback, building each when first asked for.
pub async fn serve_planned(
    cache: Arc<SiteCache>,
    opts: ServeOptions,
) -> Result<ServedPlans, DemoError> {
    let mut sites: Vec<Site> = (0..cache.len())
        .filter_map(|i| cache.plan(i).map(|p| p.site.clone()))
        .collect();
    let slugs: Vec<&str> = sites.iter().map(|s| s.slug.as_str()).collect();
    let bound = bind_all(&slugs, &opts).await?;
    for (site, url) in sites.iter_mut().zip(bound.homepages()) {
        if let Some(url) = url {
            site.homepage = url;
        }
    }
    let listeners = bound.launch(Sites::Planned(cache.clone()), opts.latency_ms);
    Ok(ServedPlans {
        cache,
        sites,
        listeners,
    })
}

/// The site a request is for: the listener's own, or the one its Host header names.
fn which_site(state: &Listening, headers: &HeaderMap) -> Option<usize> {
    if state.site.is_some() {
        return state.site;
    }
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    state
        .shared
        .by_host
        .get(&name.trim_end_matches('.').to_ascii_lowercase())
        .copied()
}

async fn respond(State(state): State<Listening>, headers: HeaderMap, uri: Uri) -> Response {
    let shared = &state.shared;
    let (path, query) = (uri.path(), uri.query());
    let reply = match which_site(&state, &headers) {
        None => Ok(Reply::not_found()),
        Some(i) => {
            let base = shared.bases.get(i).map_or("", String::as_str);
            match &shared.sites {
                Sites::Built(web) => Ok(web
                    .sites
                    .get(i)
                    .map_or_else(Reply::not_found, |s| reply_built(s, path, query, base))),
                Sites::Planned(cache) => match cache.get(i).await {
                    None => Ok(Reply::not_found()),
                    Some(Ok(site)) => site.reply(path, query, base).map_err(|e| e.to_string()),
                    Some(Err(e)) => Err(e.to_string()),
                },
            }
        }
    };
    let reply = reply.unwrap_or_else(|why| {
        tracing::warn!("{why}");
        Reply {
            status: 500,
            content_type: "text/plain; charset=utf-8".into(),
            latency_ms: 0,
            body: why,
        }
    });
    let delay = shared.latency_ms + reply.latency_ms;
    if delay > 0 {
        let spread = delay / 4;
        let jittered = if spread > 0 {
            let j = rand::rng().random_range(0..=2 * spread);
            delay - spread + j
        } else {
            delay
        };
        tokio::time::sleep(Duration::from_millis(u64::from(jittered))).await;
    }
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    (
        status,
        [(header::CONTENT_TYPE, reply.content_type)],
        reply.body,
    )
        .into_response()
}

/// What `civicscan demo serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeCommand {
    /// Port (0: chosen by the OS).
    pub port: u16,
    /// Councils.
    pub councils: usize,
    /// Extra pages per site.
    pub pages: usize,
    /// Injected latency, ms.
    pub latency_ms: u32,
    /// Seed.
    pub seed: u64,
    /// Where to write the sites file.
    pub write_sites: Option<PathBuf>,
    /// Memory the built sites may hold, in bytes; past it the least recently used are dropped
    /// and built again when asked for.
    pub cache_bytes: usize,
    /// Build sites up to the cache's budget before saying the server is ready (benchmarks),
    /// rather than each when first asked for.
    pub prebuild: bool,
    /// Serve by host name (`SLUG.localhost`) even when a listener per council would fit.
    pub by_name: bool,
    /// Serve the scripted council ([`super::scripted`]) too, on a port of its own on 127.0.0.1.
    pub scripted: bool,
}

/// File descriptors a council served on its own listener may take: the listener and a
/// surveyor's connections (up to two in flight, one idle between requests).
const FDS_PER_COUNCIL: u64 = 3;

/// Descriptors kept for everything else the server opens.
const FDS_RESERVED: u64 = 256;

/// Serves the demo web in the foreground until Ctrl-C, printing where each council is. Only
/// the councils are planned up front; each site is built when first asked for (or before, with
/// `prebuild`) and kept, packed, in a cache bounded by `cache_bytes`.
pub async fn run_server(cmd: ServeCommand) -> Result<(), DemoError> {
    let started = Instant::now();
    let fds = crate::crawl::limiter::raise_fd_limit();
    let needed = cmd.councils as u64 * FDS_PER_COUNCIL + FDS_RESERVED;
    let by_name = cmd.by_name || needed > fds;
    let plans = super::plan_at(cmd.seed, cmd.councils);
    let templates: Vec<&str> = plans.iter().map(|p| p.template().name()).collect();
    let cache = Arc::new(SiteCache::new(
        Arc::new(crate::ruleset::builtin()),
        plans,
        cmd.pages,
        jiff::Zoned::now().date(),
        cmd.cache_bytes,
    ));
    let served = serve_planned(
        cache.clone(),
        ServeOptions {
            port: cmd.port,
            latency_ms: cmd.latency_ms,
            single_address: false,
            by_name,
        },
    )
    .await?;
    println!(
        "Serving {} demo councils ({} extra pages each, seed {}){}:",
        served.sites().len(),
        cmd.pages,
        cmd.seed,
        if by_name {
            " by host name on 127.0.0.1"
        } else {
            ", each on its own loopback address"
        }
    );
    if by_name && !cmd.by_name {
        println!(
            "  (a listener each would need {needed} open files, over this process's limit of {fds})"
        );
    }
    for (s, template) in served.sites().iter().zip(templates) {
        println!(
            "  {:<36} {:<2} {:<9} {}",
            s.slug, s.council_type, template, s.homepage
        );
    }
    if cmd.prebuild {
        let built = cache.prebuild().await;
        let (_, bytes) = cache.held();
        println!(
            "Built {built} of {} sites in {:.1} s ({:.1} MB held, budget {:.0} MB){}",
            cache.len(),
            started.elapsed().as_secs_f64(),
            bytes as f64 / 1048576.0,
            cache.budget() as f64 / 1048576.0,
            if built < cache.len() {
                "; the others are built when first asked for"
            } else {
                ""
            }
        );
    }
    // The scripted council is built by hand, not planned from the seed, so it is served apart
    // from the cache, on 127.0.0.1 (its own address would be the first generated council's).
    let scripted = if cmd.scripted {
        let rules = crate::ruleset::builtin();
        let mut web = super::generate_with(&rules, cmd.seed, 0, 0, jiff::Zoned::now().date());
        web.add_scripted(&rules);
        let opts = ServeOptions {
            port: 0,
            latency_ms: cmd.latency_ms,
            single_address: true,
            by_name: false,
        };
        let extra = serve(web, opts).await?;
        for s in extra.sites() {
            println!(
                "  {:<36} {:<2} {:<9} {}",
                s.slug, s.council_type, "scripted", s.homepage
            );
        }
        Some(extra)
    } else {
        None
    };
    if let Some(path) = &cmd.write_sites {
        let mut sites = served.sites().to_vec();
        sites.extend(scripted.iter().flat_map(ServedDemo::sites));
        std::fs::write(path, sites_csv(&sites)).map_err(|source| DemoError::WriteSites {
            path: path.display().to_string(),
            source,
        })?;
        println!(
            "Sites file: {} (survey it with `civicscan survey --sites {} --allow-private`)",
            path.display(),
            path.display()
        );
    }
    println!("Press Ctrl-C to stop.");
    let waited = tokio::signal::ctrl_c().await;
    served.shutdown().await;
    if let Some(extra) = scripted {
        extra.shutdown().await;
    }
    waited.map_err(DemoError::Signal)
}
