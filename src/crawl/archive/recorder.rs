//! The tee: every exchange the wire makes, written as WARC/1.1 records — a `request` (the headers
//! sent), a `response` (status, headers and body as received, before any decoding, with
//! `WARC-Truncated` when the body was cut at its cap, the timeout or a dropped connection) and,
//! for a failed exchange, a `metadata` record saying why — plus `metadata` records for URLs the
//! crawl chose not to fetch and why. One series of files per council (`DIR/SLUG.warc.gz`, rolled
//! at a size limit), each opening with a `warcinfo` record naming civicscan, the run and the
//! ruleset.
//!
//! The wire hands each exchange over when it ends, holding nothing longer than it already did (the
//! body is capped by its purpose); digests, compression and disk writes happen on a thread of
//! their own behind a bounded queue, so the crawl's I/O threads never wait on the disk unless it
//! falls behind. A write that fails (a full disk) stops the survey cleanly: an archive with holes
//! would be worse than none.
//!
//! Two liberties, both usual: a header's case and order are hyper's (it keeps neither), and a
//! chunked body is stored de-chunked without its `Transfer-Encoding` header. HTTP/2 exchanges are
//! written in HTTP/1.1 form with `WARC-Protocol: h2`, as the IIPC's HTTP/2 extension proposes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use jiff::Timestamp;
use reqwest::header::HeaderMap;
use tokio::sync::mpsc;
use url::Url;

use super::{ArchiveError, Capture, current_site, fields};
use crate::crawl::StopSignal;
use crate::crawl::types::FetchError;
use crate::warc::write::{DEFAULT_MAX_FILE_BYTES, WarcDir};
use crate::warc::{Record, RecordType};

/// Exchanges waiting for the writer at most; the crawl waits when the disk falls this far behind.
const QUEUE: usize = 32;

/// The series for exchanges made outside any council's crawl.
const UNASSIGNED: &str = "unassigned";

/// Where and what to write.
#[derive(Debug, Clone)]
pub struct RecorderConfig {
    /// The folder.
    pub dir: PathBuf,
    /// Files roll after about this many bytes.
    pub max_file_bytes: u64,
    /// Fields of every `warcinfo` record besides the software and format (the run, the
    /// database, the ruleset and its hash, the User-Agent…).
    pub info: Vec<(String, String)>,
}

impl RecorderConfig {
    /// Writing into `dir`, files rolled at 1 GB.
    pub fn new(dir: &Path) -> RecorderConfig {
        RecorderConfig {
            dir: dir.to_path_buf(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            info: Vec::new(),
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct RecorderSummary {
    /// The files started, in order.
    pub files: Vec<PathBuf>,
    /// Bytes written (compressed).
    pub bytes: u64,
    /// Exchanges recorded.
    pub exchanges: u64,
}

enum Msg {
    Exchange(Option<Arc<str>>, Box<Capture>),
    Note(Option<Arc<str>>, Url, Timestamp, Vec<(String, String)>),
}

/// The archive writer of a run.
pub struct Recorder {
    dir: PathBuf,
    tx: Mutex<Option<mpsc::Sender<Msg>>>,
    thread: Mutex<Option<std::thread::JoinHandle<RecorderSummary>>>,
    failed: Arc<Mutex<Option<String>>>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder").field("dir", &self.dir).finish()
    }
}

impl Recorder {
    /// Creates the folder and starts the writer. A failed write raises `stop`.
    pub fn start(config: RecorderConfig, stop: StopSignal) -> Result<Recorder, ArchiveError> {
        let info = config.info.clone();
        let warcinfo = Box::new(move |file_name: &str, series: &str| {
            let mut block = format!(
                "software: civicscan/{}\r\nformat: WARC File Format 1.1\r\nconformsTo: \
                 https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n\
                 robots: obey (RFC 9309)\r\ncouncil: {series}\r\n",
                env!("CARGO_PKG_VERSION")
            );
            for (name, value) in &info {
                let value: String = value.chars().filter(|c| !c.is_control()).collect();
                block.push_str(&format!("{name}: {value}\r\n"));
            }
            Record::new(RecordType::Warcinfo, Timestamp::now())
                .field("WARC-Filename", file_name)
                .block("application/warc-fields", block.into_bytes())
        });
        let mut dir =
            WarcDir::create(&config.dir, config.max_file_bytes, warcinfo).map_err(|e| {
                ArchiveError::File {
                    path: config.dir.display().to_string(),
                    message: format!("cannot create the archive folder: {e}"),
                }
            })?;
        let (tx, mut rx) = mpsc::channel::<Msg>(QUEUE);
        let failed = Arc::new(Mutex::new(None));
        let failed_w = Arc::clone(&failed);
        let thread = std::thread::Builder::new()
            .name("warc-writer".into())
            .spawn(move || {
                let mut summary = RecorderSummary::default();
                while let Some(msg) = rx.blocking_recv() {
                    if lock(&failed_w).is_some() {
                        continue; // drain: the survey is stopping
                    }
                    let (series, records) = match msg {
                        Msg::Exchange(site, capture) => {
                            summary.exchanges += 1;
                            (site, exchange_records(&capture))
                        }
                        Msg::Note(site, url, at, lines) => {
                            (site, vec![note_record(&url, at, &lines)])
                        }
                    };
                    let series = series.as_deref().unwrap_or(UNASSIGNED);
                    if let Err(e) = dir.append(series, &records) {
                        let why =
                            format!("cannot write the web archive in {}: {e}", dir_name(&dir));
                        tracing::error!("{why}");
                        *lock(&failed_w) = Some(why);
                        stop.stop();
                    }
                }
                if let Err(e) = dir.close() {
                    lock(&failed_w).get_or_insert(format!("cannot close the web archive: {e}"));
                }
                let (bytes, files) = dir.written();
                summary.bytes = bytes;
                summary.files = files.to_vec();
                summary
            })
            .map_err(|e| ArchiveError::File {
                path: config.dir.display().to_string(),
                message: format!("cannot start the archive writer: {e}"),
            })?;
        Ok(Recorder {
            dir: config.dir,
            tx: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
            failed,
        })
    }

    fn sender(&self) -> Option<mpsc::Sender<Msg>> {
        lock(&self.tx).clone()
    }

    /// Records one exchange, in the current council's file.
    pub(crate) async fn exchange(&self, capture: Capture) {
        if let Some(tx) = self.sender() {
            let _ = tx
                .send(Msg::Exchange(current_site(), Box::new(capture)))
                .await;
        }
    }

    /// Records URLs the crawl did not fetch, with why (`reason`, `url` pairs), as a `metadata`
    /// record about `target` (the page they were found on, or the URL itself).
    pub(crate) fn not_fetched(&self, target: &Url, skipped: &[(&str, &Url)]) {
        if skipped.is_empty() {
            return;
        }
        let Some(tx) = self.sender() else { return };
        let lines = skipped
            .iter()
            .map(|(why, url)| (fields::NOT_FETCHED.to_string(), format!("{why} {url}")))
            .collect();
        let msg = Msg::Note(current_site(), target.clone(), Timestamp::now(), lines);
        match tx.try_send(msg) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(msg)) => {
                // Called from the crawl's loop, which must not block: sent when there is room.
                if let Ok(handle) = tokio::runtime::Handle::try_current() {
                    handle.spawn(async move {
                        let _ = tx.send(msg).await;
                    });
                }
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }

    /// Why writing failed, if it did.
    pub fn failure(&self) -> Option<String> {
        lock(&self.failed).clone()
    }

    /// Writes what is queued, closes the files and says what was written (or why writing
    /// failed).
    pub async fn finish(&self) -> Result<RecorderSummary, String> {
        drop(lock(&self.tx).take());
        let thread = lock(&self.thread).take();
        let summary = match thread {
            Some(t) => tokio::task::spawn_blocking(move || t.join())
                .await
                .map_err(|e| e.to_string())?
                .map_err(|_| "the archive writer failed".to_string())?,
            None => RecorderSummary::default(),
        };
        match self.failure() {
            Some(why) => Err(why),
            None => Ok(summary),
        }
    }
}

fn dir_name(dir: &WarcDir) -> String {
    dir.written()
        .1
        .first()
        .and_then(|f| f.parent())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "its folder".into())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The records of one exchange: request, response (when one came), and why it failed.
fn exchange_records(c: &Capture) -> Vec<Record> {
    let target = c.url.as_str();
    let protocol = c.response.as_ref().and_then(|r| match r.version {
        reqwest::Version::HTTP_2 => Some("h2"),
        reqwest::Version::HTTP_3 => Some("h3"),
        _ => None,
    });
    let ip = c.response.as_ref().and_then(|r| r.remote);
    let base = |kind| {
        let mut r = Record::new(kind, c.started).field("WARC-Target-URI", target);
        if let Some(ip) = ip {
            r = r.field("WARC-IP-Address", ip.to_string());
        }
        if let Some(p) = protocol {
            r = r.field("WARC-Protocol", p);
        }
        r
    };
    let request = base(RecordType::Request);
    let mut records = Vec::new();
    let response = c.response.as_ref().map(|resp| {
        let mut r = base(RecordType::Response).field("WARC-Concurrent-To", request.id());
        if let Some(why) = resp.truncated {
            r = r.field("WARC-Truncated", why);
        }
        r.http(
            "application/http;msgtype=response",
            response_head(resp.status, &resp.headers),
            resp.body.clone(),
        )
    });
    let mut request = request.http(
        "application/http;msgtype=request",
        request_head(&c.url, &c.request),
        Bytes::new(),
    );
    if let Some(r) = &response {
        request = request.field("WARC-Concurrent-To", r.id());
    }
    let request_id = request.id().to_string();
    records.push(request);
    records.extend(response);
    if let Some(e) = &c.error {
        let mut block = String::new();
        let (kind, detail) = match e {
            FetchError::Timeout { ms, .. } => {
                block.push_str(&format!("{}: {ms}\r\n", fields::TIMEOUT_MS));
                ("timeout", None)
            }
            FetchError::Private { detail, .. } => ("private", Some(detail)),
            FetchError::Network { detail, .. } => ("network", Some(detail)),
            _ => ("other", None),
        };
        block.insert_str(0, &format!("{}: {kind}\r\n", fields::FETCH_ERROR));
        if let Some(d) = detail {
            block.push_str(&format!("{}: {}\r\n", fields::ERROR_DETAIL, one_line(d)));
        }
        block.push_str(&format!(
            "{}: {}\r\n",
            fields::ERROR_MESSAGE,
            one_line(&e.to_string())
        ));
        records.push(
            base(RecordType::Metadata)
                .field("WARC-Concurrent-To", &request_id)
                .block("application/warc-fields", block.into_bytes()),
        );
    }
    records
}

fn note_record(url: &Url, at: Timestamp, lines: &[(String, String)]) -> Record {
    let block: String = lines
        .iter()
        .map(|(n, v)| format!("{n}: {}\r\n", one_line(v)))
        .collect();
    Record::new(RecordType::Metadata, at)
        .field("WARC-Target-URI", url.as_str())
        .block("application/warc-fields", block.into_bytes())
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `GET /path?query HTTP/1.1`, `Host` and the headers sent.
fn request_head(url: &Url, headers: &HeaderMap) -> Vec<u8> {
    let mut out = Vec::new();
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    out.extend_from_slice(format!("GET {target} HTTP/1.1\r\n").as_bytes());
    let host = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    };
    out.extend_from_slice(format!("host: {host}\r\n").as_bytes());
    push_headers(&mut out, headers);
    out.extend_from_slice(b"\r\n");
    out
}

/// The status line and headers received (HTTP/1.1 form, RFC 9112).
fn response_head(status: u16, headers: &HeaderMap) -> Vec<u8> {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut out = format!("HTTP/1.1 {status} {reason}\r\n").into_bytes();
    push_headers(&mut out, headers);
    out.extend_from_slice(b"\r\n");
    out
}

fn push_headers(out: &mut Vec<u8>, headers: &HeaderMap) {
    for (name, value) in headers {
        // The body is stored de-chunked, so its transfer coding is not claimed.
        if name == reqwest::header::TRANSFER_ENCODING {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
}
