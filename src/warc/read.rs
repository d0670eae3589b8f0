//! Reading WARC files written by any tool: compressed one gzip member per record (the usual
//! `.warc.gz`), a whole file compressed as one stream, or not compressed at all. [`scan`] walks
//! every record of a file, telling where each starts; [`open_record`] reads one record back from
//! there. Records are found by their header's `Content-Length`, so a block is never searched.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// A record header's size at most: a longer one is not a WARC record.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// A WARC record header: the version line and the named fields, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Head {
    /// `WARC/1.0`, `WARC/1.1`, …
    pub version: String,
    /// The named fields as written (names keep their case; look them up with [`Head::get`]).
    pub fields: Vec<(String, String)>,
}

impl Head {
    /// The first field of this name (names are case-insensitive, WARC/1.1 §4).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The block's length.
    pub fn content_length(&self) -> Option<u64> {
        self.get("Content-Length")?.trim().parse().ok()
    }
}

/// Where a record starts: the byte offset of its gzip member (or of the record itself in an
/// uncompressed file), and how many decompressed bytes into the member it begins (0 when every
/// record has its own member).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Offset in the file.
    pub offset: u64,
    /// Offset inside the decompressed member.
    pub inner: u64,
}

/// Why a WARC file could not be read (from where on).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The bytes at `offset` are not a readable WARC record.
    #[error("{}: at byte {offset}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// Where.
        offset: u64,
        /// What is wrong.
        message: String,
    },
}

/// Calls `visit` for every record of the file at `path`, with its location, header and a reader
/// of its block (what the visitor leaves unread is skipped). Stops at the first record that
/// cannot be read, returning the error: the records before it were visited.
pub fn scan(
    path: &Path,
    mut visit: impl FnMut(Location, &Head, &mut dyn Read) -> std::io::Result<()>,
) -> Result<(), ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = BufReader::with_capacity(64 * 1024, File::open(path).map_err(io)?);
    let gzip = file.fill_buf().map_err(io)?.starts_with(&[0x1f, 0x8b]);
    if !gzip {
        let mut at = 0u64;
        return records_of(&mut file, &mut at, |inner, head, block| {
            visit(
                Location {
                    offset: inner,
                    inner: 0,
                },
                head,
                block,
            )
        })
        .map_err(|(offset, message)| ReadError::Format {
            path: path.to_path_buf(),
            offset,
            message,
        });
    }
    loop {
        let offset = file.stream_position().map_err(io)?;
        if file.fill_buf().map_err(io)?.is_empty() {
            return Ok(());
        }
        let mut member = BufReader::new(flate2::bufread::GzDecoder::new(&mut file));
        let mut inner = 0u64;
        records_of(&mut member, &mut inner, |inner, head, block| {
            visit(Location { offset, inner }, head, block)
        })
        .map_err(|(_, message)| ReadError::Format {
            path: path.to_path_buf(),
            offset,
            message,
        })?;
    }
}

/// Every record of a file with its whole block: for small files and tests.
pub fn records(path: &Path) -> Result<Vec<(Head, Vec<u8>)>, ReadError> {
    let mut out = Vec::new();
    scan(path, |_, head, block| {
        let mut b = Vec::new();
        block.read_to_end(&mut b)?;
        out.push((head.clone(), b));
        Ok(())
    })?;
    Ok(out)
}

/// Opens the record at `loc` in `path`: its header and a reader limited to its block.
pub fn open_record(path: &Path, loc: Location) -> Result<(Head, Box<dyn Read + Send>), ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let format = |message: String| ReadError::Format {
        path: path.to_path_buf(),
        offset: loc.offset,
        message,
    };
    let mut file = File::open(path).map_err(io)?;
    file.seek(SeekFrom::Start(loc.offset)).map_err(io)?;
    let mut file = BufReader::new(file);
    let gzip = file.fill_buf().map_err(io)?.starts_with(&[0x1f, 0x8b]);
    let mut reader: Box<dyn BufRead + Send> = if gzip {
        Box::new(BufReader::new(flate2::bufread::GzDecoder::new(file)))
    } else {
        Box::new(file)
    };
    if loc.inner > 0 {
        let skipped = std::io::copy(&mut (&mut reader).take(loc.inner), &mut std::io::sink())
            .map_err(|e| format(e.to_string()))?;
        if skipped < loc.inner {
            return Err(format("the member ends before the record".into()));
        }
    }
    let mut consumed = 0;
    let head = read_head(&mut reader, &mut consumed)
        .map_err(format)?
        .ok_or_else(|| format("no record here".into()))?;
    let length = head
        .content_length()
        .ok_or_else(|| format("the record has no Content-Length".into()))?;
    Ok((head, Box::new(reader.take(length))))
}

/// Reads the records of one stream (a gzip member, or a whole uncompressed file), counting the
/// bytes consumed in `at`. Errors carry the offset of the record that failed.
fn records_of<R: BufRead>(
    r: &mut R,
    at: &mut u64,
    mut visit: impl FnMut(u64, &Head, &mut dyn Read) -> std::io::Result<()>,
) -> Result<(), (u64, String)> {
    loop {
        let mut consumed = 0u64;
        skip_blank_lines(r, &mut consumed).map_err(|e| (*at, e.to_string()))?;
        *at += consumed;
        let start = *at;
        let mut consumed = 0u64;
        let Some(head) = read_head(r, &mut consumed).map_err(|e| (start, e))? else {
            return Ok(());
        };
        let length = head
            .content_length()
            .ok_or_else(|| (start, "the record has no Content-Length".to_string()))?;
        let mut block = r.take(length);
        visit(start, &head, &mut block).map_err(|e| (start, e.to_string()))?;
        std::io::copy(&mut block, &mut std::io::sink()).map_err(|e| (start, e.to_string()))?;
        let read = length - block.limit();
        if read < length {
            return Err((
                start,
                format!("the record is cut short ({read} of {length} bytes)"),
            ));
        }
        *at += consumed + length;
    }
}

fn skip_blank_lines<R: BufRead>(r: &mut R, consumed: &mut u64) -> std::io::Result<()> {
    loop {
        let buf = r.fill_buf()?;
        let n = buf
            .iter()
            .take_while(|b| **b == b'\r' || **b == b'\n')
            .count();
        if n == 0 {
            return Ok(());
        }
        r.consume(n);
        *consumed += n as u64;
    }
}

/// Reads a record header; `None` at the end of the stream.
fn read_head<R: BufRead>(r: &mut R, consumed: &mut u64) -> Result<Option<Head>, String> {
    let mut head = Head::default();
    let mut line = Vec::new();
    let mut total = 0usize;
    loop {
        line.clear();
        let n = r
            .take((MAX_HEAD_BYTES - total.min(MAX_HEAD_BYTES)) as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| e.to_string())?;
        *consumed += n as u64;
        total += n;
        if n == 0 {
            if head.version.is_empty() {
                return Ok(None);
            }
            return Err("the record header is cut short".into());
        }
        if total > MAX_HEAD_BYTES {
            return Err(format!(
                "a record header longer than {MAX_HEAD_BYTES} bytes"
            ));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if head.version.is_empty() {
            if !text.starts_with("WARC/") {
                let shown: String = text.chars().take(40).collect();
                return Err(format!("not a WARC record (it starts `{shown}`)"));
            }
            head.version = text.to_string();
            continue;
        }
        if text.is_empty() {
            return Ok(Some(head));
        }
        if text.starts_with([' ', '\t']) {
            if let Some((_, v)) = head.fields.last_mut() {
                v.push(' ');
                v.push_str(text.trim());
            }
            continue;
        }
        match text.split_once(':') {
            Some((name, value)) => head
                .fields
                .push((name.trim().to_string(), value.trim().to_string())),
            None => return Err(format!("a header line without a colon: `{text}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warc::{Record, RecordType};
    use jiff::Timestamp;
    use std::io::Write;

    fn record(n: u8) -> Record {
        Record::new(RecordType::Metadata, Timestamp::now())
            .field("WARC-Target-URI", format!("http://a.test/{n}"))
            .block("text/plain", vec![b'0' + n; 100 * n as usize])
    }

    fn check_file(path: &Path) {
        let mut seen = Vec::new();
        scan(path, |loc, head, _| {
            seen.push((loc, head.get("warc-target-uri").unwrap().to_string()));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.len(), 3);
        for (i, (loc, uri)) in seen.into_iter().enumerate() {
            assert_eq!(uri, format!("http://a.test/{}", i + 1));
            let (head, mut block) = open_record(path, loc).unwrap();
            let mut b = Vec::new();
            block.read_to_end(&mut b).unwrap();
            assert_eq!(head.get("WARC-Target-URI"), Some(uri.as_str()));
            assert_eq!(b, vec![b'1' + i as u8; 100 * (i + 1)]);
        }
    }

    #[test]
    fn records_are_found_again_by_location_in_every_layout() {
        let dir = tempfile::tempdir().unwrap();
        let records: Vec<Record> = (1..=3).map(record).collect();
        // One gzip member per record.
        let per_record = dir.path().join("a.warc.gz");
        let bytes: Vec<u8> = records.iter().flat_map(|r| r.to_gzip_member()).collect();
        std::fs::write(&per_record, bytes).unwrap();
        check_file(&per_record);
        // Not compressed.
        let plain = dir.path().join("b.warc");
        let bytes: Vec<u8> = records.iter().flat_map(|r| r.to_bytes()).collect();
        std::fs::write(&plain, &bytes).unwrap();
        check_file(&plain);
        // The whole file one gzip stream.
        let whole = dir.path().join("c.warc.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&bytes).unwrap();
        std::fs::write(&whole, gz.finish().unwrap()).unwrap();
        check_file(&whole);
    }

    #[test]
    fn a_file_cut_mid_record_keeps_the_records_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.warc.gz");
        let mut bytes: Vec<u8> = (1..=2).flat_map(|n| record(n).to_gzip_member()).collect();
        let last = record(3).to_gzip_member();
        bytes.extend_from_slice(&last[..last.len() / 2]);
        std::fs::write(&path, bytes).unwrap();
        let mut n = 0;
        let err = scan(&path, |_, _, _| {
            n += 1;
            Ok(())
        })
        .unwrap_err();
        assert_eq!(n, 2);
        assert!(
            err.to_string()
                .starts_with(&format!("{}: at byte ", path.display())),
            "{err}"
        );
    }

    #[test]
    fn other_files_are_refused_with_what_they_start_with() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        std::fs::write(&path, "<!doctype html><p>hello").unwrap();
        let err = scan(&path, |_, _, _| Ok(())).unwrap_err().to_string();
        assert!(
            err.contains("at byte 0: not a WARC record (it starts `<!doctype html>"),
            "{err}"
        );
    }
}
