//! A raw HTTP/1.1 test server on 127.0.0.1 for servers that misbehave below what axum can express:
//! bodies that never end, a byte a second, connections reset mid-body, lying encodings. Each
//! route writes its own bytes to the socket and the connection closes after one response.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// What a route does with the connection once the request head has been read.
pub type Handler = Arc<dyn Fn(TcpStream) -> BoxFuture + Send + Sync>;

/// Makes an HTML page for a path under a prefix (endless spaces such as calendars).
pub type PageFn = Arc<dyn Fn(&str) -> Vec<u8> + Send + Sync>;

/// A raw site, route by route; unknown paths answer 404.
#[derive(Default)]
pub struct RawWeb {
    routes: HashMap<String, Handler>,
    prefixes: Vec<(String, PageFn)>,
}

/// A running raw site.
pub struct RawServer {
    pub addr: SocketAddr,
    hits: Arc<Mutex<Vec<String>>>,
}

impl RawWeb {
    pub fn new() -> Self {
        RawWeb::default()
    }

    /// Adds a route for a path (with its query, if any).
    pub fn route(mut self, path: &str, handler: Handler) -> Self {
        self.routes.insert(path.to_string(), handler);
        self
    }

    /// Answers every path starting with `prefix` with the HTML `page` makes of it.
    pub fn pages(mut self, prefix: &str, page: PageFn) -> Self {
        self.prefixes.push((prefix.to_string(), page));
        self
    }

    /// Serves on 127.0.0.1 at a free port.
    pub async fn serve(self) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let hits = Arc::new(Mutex::new(Vec::new()));
        let routes = Arc::new(self.routes);
        let prefixes = Arc::new(self.prefixes);
        let log = Arc::clone(&hits);
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (routes, log) = (Arc::clone(&routes), Arc::clone(&log));
                let prefixes = Arc::clone(&prefixes);
                tokio::spawn(async move {
                    let Some(path) = read_head(&mut stream).await else {
                        return;
                    };
                    log.lock().unwrap().push(path.clone());
                    if let Some(handler) = routes.get(&path) {
                        return handler(stream).await;
                    }
                    match prefixes.iter().find(|(p, _)| path.starts_with(p.as_str())) {
                        Some((_, page)) => fixed(200, "text/html", page(&path))(stream).await,
                        None => fixed(404, "text/plain", b"not found".to_vec())(stream).await,
                    }
                });
            }
        });
        RawServer { addr, hits }
    }
}

impl RawServer {
    /// A URL on this server.
    pub fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://{}{path}", self.addr)).unwrap()
    }

    /// A site whose home page is `/` on this server.
    pub fn site(&self, slug: &str) -> civicscan::sites::Site {
        civicscan::sites::Site::new(slug, slug, civicscan::sites::CouncilType::SD, self.url("/"))
    }

    /// The paths requested, in arrival order.
    pub fn paths(&self) -> Vec<String> {
        self.hits.lock().unwrap().clone()
    }

    /// How often a path was requested.
    pub fn count(&self, path: &str) -> usize {
        self.paths().iter().filter(|p| *p == path).count()
    }
}

/// Reads the request head and returns the request target.
async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 || head.len() > 64 * 1024 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head);
    line.split_whitespace().nth(1).map(str::to_string)
}

fn head(status: u16, headers: &[(&str, String)]) -> Vec<u8> {
    let mut h = format!("HTTP/1.1 {status} X\r\nconnection: close\r\n");
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    h.into_bytes()
}

/// A complete response with a Content-Length.
pub fn fixed(status: u16, content_type: &str, body: Vec<u8>) -> Handler {
    with_headers(
        status,
        vec![("content-type", content_type.to_string())],
        body,
    )
}

/// A complete response with these headers (Content-Length added unless given, so it can lie).
pub fn with_headers(status: u16, headers: Vec<(&'static str, String)>, body: Vec<u8>) -> Handler {
    let body = Arc::new(body);
    Arc::new(move |mut s: TcpStream| {
        let mut headers = headers.clone();
        if !headers.iter().any(|(k, _)| *k == "content-length") {
            headers.push(("content-length", body.len().to_string()));
        }
        let body = Arc::clone(&body);
        Box::pin(async move {
            let _ = s.write_all(&head(status, &headers)).await;
            let _ = s.write_all(&body).await;
            let _ = s.shutdown().await;
        })
    })
}

/// A 200 that repeats `chunk` until `total` bytes are sent (for ever when `None`), counting into
/// `sent` every byte the socket accepted. Without a total there is no Content-Length: the body
/// ends only when the connection does.
pub fn stream(
    content_type: &str,
    chunk: Vec<u8>,
    total: Option<u64>,
    sent: Arc<AtomicU64>,
) -> Handler {
    let content_type = content_type.to_string();
    let chunk = Arc::new(chunk);
    Arc::new(move |mut s: TcpStream| {
        let mut headers = vec![("content-type", content_type.clone())];
        if let Some(t) = total {
            headers.push(("content-length", t.to_string()));
        }
        let (chunk, sent) = (Arc::clone(&chunk), Arc::clone(&sent));
        Box::pin(async move {
            if s.write_all(&head(200, &headers)).await.is_err() {
                return;
            }
            let mut left = total.unwrap_or(u64::MAX);
            while left > 0 {
                let n = (chunk.len() as u64).min(left) as usize;
                if s.write_all(&chunk[..n]).await.is_err() {
                    return;
                }
                sent.fetch_add(n as u64, Ordering::Relaxed);
                left -= n as u64;
            }
        })
    })
}

/// A 200 whose body arrives one byte every `every`.
pub fn drip(content_type: &str, body: Vec<u8>, every: Duration) -> Handler {
    let content_type = content_type.to_string();
    let body = Arc::new(body);
    Arc::new(move |mut s: TcpStream| {
        let headers = vec![
            ("content-type", content_type.clone()),
            ("content-length", body.len().to_string()),
        ];
        let body = Arc::clone(&body);
        Box::pin(async move {
            if s.write_all(&head(200, &headers)).await.is_err() {
                return;
            }
            for b in body.iter() {
                tokio::time::sleep(every).await;
                if s.write_all(&[*b]).await.is_err() {
                    return;
                }
            }
        })
    })
}

/// A 200 that promises `declared` bytes, sends `partial`, then resets the connection (RST).
pub fn reset_mid_body(content_type: &str, declared: usize, partial: Vec<u8>) -> Handler {
    let content_type = content_type.to_string();
    let partial = Arc::new(partial);
    Arc::new(move |s: TcpStream| {
        let headers = vec![
            ("content-type", content_type.clone()),
            ("content-length", declared.to_string()),
        ];
        let partial = Arc::clone(&partial);
        Box::pin(async move {
            let mut s = s;
            let _ = s.write_all(&head(200, &headers)).await;
            let _ = s.write_all(&partial).await;
            let _ = s.flush().await;
            // Zero linger: closing sends RST instead of FIN, as a crashed proxy would.
            let _ = s.set_zero_linger();
            drop(s);
        })
    })
}
