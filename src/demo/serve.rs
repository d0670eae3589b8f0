//! The demo server: one axum listener per site, each on its own loopback address
//! (127.0.1.1, 127.0.1.2, … are all loopback on Linux), so any HTTP client reaches each council
//! as a separate host without resolver set-up. Where those addresses cannot be bound, every site
//! gets its own port on 127.0.0.1 instead.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rand::Rng;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use url::Url;

use super::{DemoSite, DemoWeb, sites_csv};

/// How to serve the demo web.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// The port every site listens on (each on its own address); 0 lets the OS choose.
    pub port: u16,
    /// Extra delay added to every response, in milliseconds (with up to ±25 % jitter).
    pub latency_ms: u32,
    /// Serve every site on 127.0.0.1 with a port each, instead of an address each.
    pub single_address: bool,
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

/// The demo web being served; drop it or call [`ServedDemo::shutdown`] to stop.
pub struct ServedDemo {
    /// The web, with every site's `homepage` set to where it is served.
    pub web: DemoWeb,
    stops: Vec<oneshot::Sender<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl ServedDemo {
    /// The councils, with their served home pages.
    pub fn sites(&self) -> Vec<crate::sites::Site> {
        self.web.sites()
    }

    /// Stops every listener and waits for in-flight responses to finish.
    pub async fn shutdown(self) {
        for stop in self.stops {
            let _ = stop.send(());
        }
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

struct SiteState {
    site: DemoSite,
    base: String,
    latency_ms: u32,
}

/// The loopback address of the `i`-th site: 127.0.1.1, 127.0.1.2, …, then 127.0.2.1, ….
fn site_ip(i: usize) -> Ipv4Addr {
    let third = 1 + (i / 254) as u8;
    let fourth = 1 + (i % 254) as u8;
    Ipv4Addr::new(127, 0, third, fourth)
}

async fn bind_all(n: usize, opts: &ServeOptions) -> Result<Vec<TcpListener>, DemoError> {
    if !opts.single_address {
        let mut listeners = Vec::with_capacity(n);
        let mut ok = true;
        for i in 0..n {
            let addr = SocketAddr::new(IpAddr::V4(site_ip(i)), opts.port);
            match TcpListener::bind(addr).await {
                Ok(l) => listeners.push(l),
                Err(e) if e.kind() == std::io::ErrorKind::AddrNotAvailable => {
                    ok = false;
                    break;
                }
                Err(source) => return Err(DemoError::Bind { addr, source }),
            }
        }
        if ok {
            return Ok(listeners);
        }
        tracing::info!(
            "127.0.1.x is not bindable here; serving each site on its own port on 127.0.0.1"
        );
    }
    let mut listeners = Vec::with_capacity(n);
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
        listeners.push(l);
    }
    Ok(listeners)
}

/// Serves every site of the web on loopback and fills in each site's home page.
pub async fn serve(mut web: DemoWeb, opts: ServeOptions) -> Result<ServedDemo, DemoError> {
    let listeners = bind_all(web.sites.len(), &opts).await?;
    let mut stops = Vec::new();
    let mut tasks = Vec::new();
    for (site, listener) in web.sites.iter_mut().zip(listeners) {
        let addr = listener.local_addr().map_err(|source| DemoError::Bind {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            source,
        })?;
        let base = format!("http://{addr}");
        if let Ok(url) = Url::parse(&format!("{base}/")) {
            site.site.homepage = url;
        }
        let state = Arc::new(SiteState {
            site: site.clone(),
            base,
            latency_ms: opts.latency_ms,
        });
        let app = Router::new().fallback(respond).with_state(state);
        let (tx, rx) = oneshot::channel::<()>();
        stops.push(tx);
        tasks.push(tokio::spawn(async move {
            let server = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = rx.await;
            });
            if let Err(e) = server.await {
                tracing::warn!("demo site {addr} stopped: {e}");
            }
        }));
    }
    Ok(ServedDemo { web, stops, tasks })
}

async fn respond(State(state): State<Arc<SiteState>>, uri: Uri) -> Response {
    let path = uri.path();
    let full = uri
        .path_and_query()
        .map_or(path.to_string(), |pq| pq.as_str().to_string());
    let site = &state.site;

    let mut delay = state.latency_ms;
    let response = if let Some(search) = site.search.as_ref().filter(|s| s.path == path) {
        let query = uri
            .query()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == search.param.as_str())
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8".to_string())],
            search.page(&query),
        )
            .into_response()
    } else if let Some(page) = site.pages.get(&full).or_else(|| site.pages.get(path)) {
        delay += page.latency_ms;
        let status = StatusCode::from_u16(page.status).unwrap_or(StatusCode::OK);
        (
            status,
            [(header::CONTENT_TYPE, page.content_type.clone())],
            page.body_for(&state.base),
        )
            .into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8".to_string())],
            "<!DOCTYPE html><html lang=\"en\"><head><title>Page not found</title></head>\
             <body><h1>Page not found</h1><p>The page you asked for is not here.</p></body></html>"
                .to_string(),
        )
            .into_response()
    };
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
    response
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
}

/// Serves the demo web in the foreground until Ctrl-C, printing where each council is.
pub async fn run_server(cmd: ServeCommand) -> Result<(), DemoError> {
    let web = super::generate(cmd.seed, cmd.councils, cmd.pages);
    let served = serve(
        web,
        ServeOptions {
            port: cmd.port,
            latency_ms: cmd.latency_ms,
            single_address: false,
        },
    )
    .await?;
    let pages: usize = served.web.sites.iter().map(|s| s.pages.len()).sum();
    println!(
        "Serving {} demo councils ({pages} pages, seed {}):",
        served.web.sites.len(),
        cmd.seed
    );
    for s in &served.web.sites {
        println!(
            "  {:<36} {:<2} {:<9} {}",
            s.site.slug, s.site.council_type, s.truth.template, s.site.homepage
        );
    }
    if let Some(path) = &cmd.write_sites {
        std::fs::write(path, sites_csv(&served.sites())).map_err(|source| {
            DemoError::WriteSites {
                path: path.display().to_string(),
                source,
            }
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
    waited.map_err(DemoError::Signal)
}
