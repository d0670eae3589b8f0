//! Answering a survey from web archives: every request the crawl makes is looked up in WARC files
//! (scanned once when the survey starts) or in a CDX index of them, and answered with the archived
//! response — status, headers and body decoded and capped exactly as the wire does — or, when
//! civicscan wrote the archive and the live request failed, with the same failure. A URL the
//! archives do not hold is answered [`FetchError::NotArchived`].
//!
//! URLs are matched by their canonical key ([`crate::warc::canon`]), captures whose path has the
//! same case first. When the
//! archives hold several captures of a URL, the newest is used; with an as-of date, the capture
//! nearest that date — and then the last of the captures that followed it within two minutes
//! (the crawl's retries of one request), so a request that was retried is answered as it ended.

use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use jiff::{SignedDuration, Timestamp};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use url::Url;

use super::{ArchiveError, fields};
use crate::crawl::body::Decoder;
use crate::crawl::http::{Caps, Exchange, Want, is_redirect, kind_of, labelled_kind};
use crate::crawl::types::FetchError;
use crate::warc::read::{self, Location};
use crate::warc::{canon, cdx, http as warc_http, record::parse_date};

/// Captures closer than this to the one before them are one request and its retries.
const RETRY_BURST: SignedDuration = SignedDuration::from_secs(120);

/// What the archives say about a URL at one moment.
#[derive(Debug, Clone)]
enum Answer {
    /// A response record, read when asked for.
    Response { file: u32, loc: Location },
    /// civicscan's record of a request that failed.
    Failed {
        kind: String,
        detail: String,
        ms: u128,
    },
}

#[derive(Debug, Clone)]
struct Capture {
    url: Url,
    when: Timestamp,
    /// Archive order: the file's rank, then the offset in it.
    order: (u32, u64),
    answer: Answer,
}

/// What was found in the archives.
#[derive(Debug, Clone, Default)]
pub struct ReplaySummary {
    /// WARC files read (scanned or named by an index).
    pub files: usize,
    /// Captures of URLs found.
    pub captures: usize,
    /// Distinct URLs (by canonical key).
    pub urls: usize,
    /// Problems that did not stop the replay (a file cut short), one line each.
    pub warnings: Vec<String>,
}

/// The archives a survey is answered from.
#[derive(Debug)]
pub struct Replay {
    files: Vec<PathBuf>,
    by_key: HashMap<String, Vec<Capture>>,
    as_of: Option<Timestamp>,
    summary: ReplaySummary,
}

impl Replay {
    /// Reads the archives at `paths`: WARC files (`.warc`, `.warc.gz`), CDX indexes (`.cdx`,
    /// whose file names are found beside the index) and folders of them (not descending). A WARC
    /// file an index names is not scanned. `as_of` picks, per URL, the capture nearest that date.
    pub fn open(paths: &[PathBuf], as_of: Option<Timestamp>) -> Result<Replay, ArchiveError> {
        let (warcs, cdxs) = expand(paths)?;
        let mut replay = Replay {
            files: Vec::new(),
            by_key: HashMap::new(),
            as_of,
            summary: ReplaySummary::default(),
        };
        let mut indexed = std::collections::HashSet::new();
        let mut from_cdx = Vec::new();
        for index in &cdxs {
            let text = std::fs::read_to_string(index).map_err(|e| file_error(index, &e))?;
            let base = index.parent().unwrap_or(Path::new("."));
            for line in cdx::parse(&text, index)? {
                let path = base.join(&line.file);
                let path = path.canonicalize().map_err(|e| ArchiveError::File {
                    path: format!("{}:{}", index.display(), line.line),
                    message: format!("the WARC file `{}` it names: {e}", line.file),
                })?;
                indexed.insert(path.clone());
                from_cdx.push((path, line));
            }
        }
        // Scanned files are ranked by their first record's date (a resumed run's files come
        // after the first run's), then by name.
        let mut scanned: Vec<(Option<Timestamp>, PathBuf, Vec<Capture>)> = Vec::new();
        for path in warcs {
            let canonical = path.canonicalize().map_err(|e| file_error(&path, &e))?;
            if indexed.contains(&canonical) {
                continue;
            }
            let (first, captures, warning) = scan_file(&canonical);
            if let Some(w) = warning {
                replay.summary.warnings.push(w);
            }
            scanned.push((first, canonical, captures));
        }
        scanned.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        for (_, path, captures) in scanned {
            let rank = replay.add_file(path);
            for mut c in captures {
                c.order.0 = rank;
                if let Answer::Response { file, .. } = &mut c.answer {
                    *file = rank;
                }
                replay.add(c);
            }
        }
        from_cdx.sort_by(|a, b| a.0.cmp(&b.0));
        let mut ranks: HashMap<PathBuf, u32> = HashMap::new();
        for (path, line) in from_cdx {
            let rank = match ranks.get(&path) {
                Some(r) => *r,
                None => {
                    let r = replay.add_file(path.clone());
                    ranks.insert(path, r);
                    r
                }
            };
            let loc = Location {
                offset: line.offset,
                inner: 0,
            };
            replay.add(Capture {
                url: line.url,
                when: line.date,
                order: (rank, line.offset),
                answer: Answer::Response { file: rank, loc },
            });
        }
        replay.summary.files = replay.files.len();
        replay.summary.urls = replay.by_key.len();
        for list in replay.by_key.values_mut() {
            list.sort_by_key(|c| (c.when, c.order));
        }
        Ok(replay)
    }

    fn add_file(&mut self, path: PathBuf) -> u32 {
        self.files.push(path);
        (self.files.len() - 1) as u32
    }

    fn add(&mut self, c: Capture) {
        self.summary.captures += 1;
        self.by_key.entry(canon::key(&c.url)).or_default().push(c);
    }

    /// What was read.
    pub fn summary(&self) -> &ReplaySummary {
        &self.summary
    }

    /// The capture answering `url`.
    fn choose(&self, url: &Url) -> Option<&Capture> {
        let list = self.by_key.get(&canon::key(url))?;
        let strict = canon::strict_key(url);
        let closer: Vec<&Capture> = list
            .iter()
            .filter(|c| canon::strict_key(&c.url) == strict)
            .collect();
        let pool: Vec<&Capture> = if closer.is_empty() {
            list.iter().collect()
        } else {
            closer
        };
        let Some(as_of) = self.as_of else {
            return pool.last().copied();
        };
        let distance = |c: &Capture| c.when.duration_since(as_of).abs();
        let mut i = (0..pool.len()).min_by_key(|i| distance(pool[*i]))?;
        while i + 1 < pool.len() && pool[i + 1].when.duration_since(pool[i].when) <= RETRY_BURST {
            i += 1;
        }
        Some(pool[i])
    }

    /// Answers a request for `url` made for `want`, as the wire would have (blocking: reads a
    /// file).
    pub(crate) fn answer(
        &self,
        url: &Url,
        want: Want,
        caps: &Caps,
    ) -> Result<Exchange, FetchError> {
        let not_archived = || FetchError::NotArchived { url: url.clone() };
        let capture = self.choose(url).ok_or_else(not_archived)?;
        match &capture.answer {
            Answer::Failed { kind, detail, ms } => Err(match kind.as_str() {
                "timeout" => FetchError::Timeout {
                    url: url.clone(),
                    ms: *ms,
                },
                "private" => FetchError::Private {
                    url: url.clone(),
                    detail: detail.clone(),
                },
                _ => FetchError::Network {
                    url: url.clone(),
                    detail: detail.clone(),
                },
            }),
            Answer::Response { file, loc } => {
                let path = &self.files[*file as usize];
                let unreadable = |why: String| FetchError::Network {
                    url: url.clone(),
                    detail: format!("archived response unreadable: {why}"),
                };
                let (head, block) =
                    read::open_record(path, *loc).map_err(|e| unreadable(e.to_string()))?;
                if !head
                    .get("WARC-Type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("response"))
                {
                    return Err(not_archived());
                }
                let cut = head.get("WARC-Truncated").is_some();
                let mut ex = response(block, want, caps, cut).map_err(unreadable)?;
                ex.captured_at_ms = Some(capture.when.as_millisecond());
                Ok(ex)
            }
        }
    }
}

/// The exchange an archived response block stands for.
fn response(
    block: Box<dyn Read + Send>,
    want: Want,
    caps: &Caps,
    cut: bool,
) -> Result<Exchange, String> {
    let mut r = BufReader::new(block);
    let head = warc_http::read_response_head(&mut r)?;
    let mut headers = HeaderMap::new();
    for (name, value) in &head.headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value),
        ) {
            headers.append(n, v);
        }
    }
    let cap = caps.cap(want, labelled_kind(&headers));
    let mut raw = Vec::new();
    let mut whole = true;
    if !is_redirect(head.status) {
        let limit = Caps::raw_limit(cap);
        (&mut r)
            .take(limit)
            .read_to_end(&mut raw)
            .map_err(|e| e.to_string())?;
        whole = r.fill_buf_empty();
    }
    if head.is_chunked() {
        raw = warc_http::dechunk(&raw);
        headers.remove(header::TRANSFER_ENCODING);
    }
    let mut decoder = Decoder::new(&mut headers, cap);
    decoder.push(&raw)?;
    let complete = whole && !cut;
    let (body, over) = decoder.finish(complete)?;
    let truncated = !is_redirect(head.status) && (over || cut || !whole);
    Ok(Exchange {
        status: head.status,
        kind: kind_of(&headers, &body),
        headers,
        body: Bytes::from(body),
        truncated,
        ttfb: std::time::Duration::ZERO,
        captured_at_ms: None,
    })
}

trait FillBufEmpty {
    fn fill_buf_empty(&mut self) -> bool;
}

impl<R: Read> FillBufEmpty for BufReader<R> {
    /// Whether nothing is left to read.
    fn fill_buf_empty(&mut self) -> bool {
        use std::io::BufRead;
        self.fill_buf().map(|b| b.is_empty()).unwrap_or(true)
    }
}

/// The WARC files and CDX indexes named by `paths` (folders listed one level deep).
fn expand(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>), ArchiveError> {
    let mut warcs = Vec::new();
    let mut cdxs = Vec::new();
    let is_cdx = |p: &Path| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().to_ascii_lowercase().ends_with(".cdx"))
    };
    let is_warc = |p: &Path| {
        p.file_name().is_some_and(|n| {
            let n = n.to_string_lossy().to_ascii_lowercase();
            n.ends_with(".warc") || n.ends_with(".warc.gz")
        })
    };
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| file_error(path, &e))?;
        if meta.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| file_error(path, &e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            entries.sort();
            let before = warcs.len() + cdxs.len();
            for e in entries {
                if is_cdx(&e) {
                    cdxs.push(e);
                } else if is_warc(&e) {
                    warcs.push(e);
                }
            }
            if warcs.len() + cdxs.len() == before {
                return Err(ArchiveError::File {
                    path: path.display().to_string(),
                    message: "no WARC files (.warc, .warc.gz) or CDX indexes (.cdx) in this folder"
                        .into(),
                });
            }
        } else if is_cdx(path) {
            cdxs.push(path.clone());
        } else {
            warcs.push(path.clone());
        }
    }
    Ok((warcs, cdxs))
}

fn file_error(path: &Path, e: &std::io::Error) -> ArchiveError {
    ArchiveError::File {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// The captures in one file, the date of its first record, and a warning when the file could
/// not be read to its end (the captures before the problem are kept).
fn scan_file(path: &Path) -> (Option<Timestamp>, Vec<Capture>, Option<String>) {
    let mut first = None;
    let mut captures = Vec::new();
    let result = read::scan(path, |loc, head, block| {
        let when = head.get("WARC-Date").and_then(parse_date);
        if first.is_none() {
            first = when;
        }
        let (Some(when), Some(target)) = (when, head.get("WARC-Target-URI")) else {
            return Ok(());
        };
        // Some writers wrap the URI in angle brackets (as WARC/1.0's grammar showed).
        let target = target.trim_start_matches('<').trim_end_matches('>');
        let Ok(url) = Url::parse(target) else {
            return Ok(());
        };
        if !matches!(url.scheme(), "http" | "https") {
            return Ok(());
        }
        let kind = head
            .get("WARC-Type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let answer = match kind.as_str() {
            "response" => Answer::Response { file: 0, loc },
            "metadata" => {
                let mut text = String::new();
                block.take(64 * 1024).read_to_string(&mut text).ok();
                match failure(&text) {
                    Some(a) => a,
                    None => return Ok(()),
                }
            }
            _ => return Ok(()),
        };
        captures.push(Capture {
            url,
            when,
            order: (0, loc.offset * 1_000_000 + loc.inner.min(999_999)),
            answer,
        });
        Ok(())
    });
    let warning = result
        .err()
        .map(|e| format!("{e} (the {} captures before it are used)", captures.len()));
    (first, captures, warning)
}

/// A failed request as civicscan records it in a `metadata` record.
fn failure(block: &str) -> Option<Answer> {
    let get = |name: &str| {
        block.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            (n.trim() == name).then(|| v.trim().to_string())
        })
    };
    let kind = get(fields::FETCH_ERROR)?;
    Some(Answer::Failed {
        kind,
        detail: get(fields::ERROR_DETAIL).unwrap_or_default(),
        ms: get(fields::TIMEOUT_MS)
            .and_then(|m| m.parse().ok())
            .unwrap_or(0),
    })
}
