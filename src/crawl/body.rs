//! A response body decoded as it arrives: its content coding (gzip or brotli, the two the crawl
//! accepts) undone in memory and the decoded bytes capped, so a compression bomb costs no more
//! than its cap. The crawl decodes bodies itself rather than letting the HTTP client do it, so the
//! bytes as received can be kept in a web archive beside the decoded ones (`super::archive`);
//! replaying an archive decodes the same way.

use std::io::Write;

use reqwest::header::{self, HeaderMap};

/// The `Accept-Encoding` the crawl sends: the codings [`Decoder`] undoes.
pub(crate) const ACCEPT_ENCODING: &str = "gzip, br";

/// Keeps up to `cap` bytes and notes when more were offered.
struct Capped {
    buf: Vec<u8>,
    cap: usize,
    over: bool,
}

impl Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = self.cap.saturating_sub(self.buf.len());
        if data.len() > room {
            self.over = true;
        }
        self.buf.extend_from_slice(&data[..data.len().min(room)]);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

enum Coding {
    Identity(Capped),
    Gzip(Box<flate2::write::MultiGzDecoder<Capped>>),
    Brotli(Box<brotli_decompressor::DecompressorWriter<Capped>>),
}

/// The decoder for one body.
pub(crate) struct Decoder {
    coding: Coding,
    failed: Option<String>,
}

impl Decoder {
    /// A decoder for a response with these headers, keeping `cap` decoded bytes. When the body
    /// is content-coded, `Content-Encoding` and `Content-Length` (which counts coded bytes) are
    /// taken out of `headers`, which then describe the decoded body.
    pub(crate) fn new(headers: &mut HeaderMap, cap: u64) -> Decoder {
        let sink = Capped {
            buf: Vec::new(),
            cap: usize::try_from(cap).unwrap_or(usize::MAX),
            over: false,
        };
        let coding = headers
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_ascii_lowercase());
        let coding = match coding.as_deref() {
            Some("gzip" | "x-gzip") => {
                Coding::Gzip(Box::new(flate2::write::MultiGzDecoder::new(sink)))
            }
            Some("br") => Coding::Brotli(Box::new(brotli_decompressor::DecompressorWriter::new(
                sink, 4096,
            ))),
            // Identity, or a coding that was not asked for: kept as it came.
            _ => return Decoder::identity(sink),
        };
        headers.remove(header::CONTENT_ENCODING);
        headers.remove(header::CONTENT_LENGTH);
        Decoder {
            coding,
            failed: None,
        }
    }

    fn identity(sink: Capped) -> Decoder {
        Decoder {
            coding: Coding::Identity(sink),
            failed: None,
        }
    }

    /// Whether the body is kept as it came (no content coding undone).
    pub(crate) fn is_identity(&self) -> bool {
        matches!(self.coding, Coding::Identity(_))
    }

    /// Decodes the next bytes as received. An error means the coded stream is corrupt.
    pub(crate) fn push(&mut self, data: &[u8]) -> Result<(), String> {
        if self.failed.is_some() {
            return Ok(());
        }
        let r = match &mut self.coding {
            Coding::Identity(s) => s.write_all(data),
            Coding::Gzip(d) => d.write_all(data),
            Coding::Brotli(d) => d.write_all(data),
        };
        r.map_err(|e| {
            let message = format!("error decoding response body: {e}");
            self.failed = Some(message.clone());
            message
        })
    }

    /// Marks the body as cut: more came than is read.
    pub(crate) fn cut(&mut self) {
        match &mut self.coding {
            Coding::Identity(s) => s.over = true,
            Coding::Gzip(d) => d.get_mut().over = true,
            Coding::Brotli(d) => d.get_mut().over = true,
        }
    }

    /// Whether more bytes were decoded than the cap keeps: reading can stop.
    pub(crate) fn is_full(&self) -> bool {
        self.sink().over
    }

    /// The decoded bytes so far.
    pub(crate) fn decoded(&self) -> &[u8] {
        &self.sink().buf
    }

    fn sink(&self) -> &Capped {
        match &self.coding {
            Coding::Identity(s) => s,
            Coding::Gzip(d) => d.get_ref(),
            Coding::Brotli(d) => d.get_ref(),
        }
    }

    /// The decoded body and whether it was cut at the cap. `complete` says the whole coded body
    /// arrived: a coded stream that then does not end properly is an error (as a cut-off one
    /// read up to the cap is not).
    pub(crate) fn finish(self, complete: bool) -> Result<(Vec<u8>, bool), String> {
        let (sink, end) = match self.coding {
            Coding::Identity(s) => (s, Ok(())),
            Coding::Gzip(mut d) => {
                let end = d.try_finish();
                let s = d.get_mut();
                let taken = Capped {
                    buf: std::mem::take(&mut s.buf),
                    cap: s.cap,
                    over: s.over,
                };
                (taken, end)
            }
            Coding::Brotli(d) => match d.into_inner() {
                Ok(s) => (s, Ok(())),
                Err(s) => (
                    s,
                    Err(std::io::Error::other("the brotli stream is incomplete")),
                ),
            },
        };
        if let Some(e) = self.failed {
            return Err(e);
        }
        if complete
            && !sink.over
            && let Err(e) = end
        {
            return Err(format!("error decoding response body: {e}"));
        }
        Ok((sink.buf, sink.over))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(data).unwrap();
        gz.finish().unwrap()
    }

    fn coded(encoding: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_ENCODING,
            HeaderValue::from_str(encoding).unwrap(),
        );
        h.insert(header::CONTENT_LENGTH, HeaderValue::from_static("99"));
        h
    }

    #[test]
    fn gzip_is_undone_and_its_length_header_dropped() {
        let mut h = coded("gzip");
        let mut d = Decoder::new(&mut h, 1000);
        assert!(!d.is_identity());
        let body = gzip(b"<!doctype html><p>hello");
        for chunk in body.chunks(3) {
            d.push(chunk).unwrap();
        }
        assert_eq!(
            d.finish(true).unwrap(),
            (b"<!doctype html><p>hello".to_vec(), false)
        );
        assert!(
            h.get(header::CONTENT_LENGTH).is_none() && h.get(header::CONTENT_ENCODING).is_none()
        );
    }

    #[test]
    fn a_bomb_stops_at_the_cap() {
        let mut h = coded("gzip");
        let mut d = Decoder::new(&mut h, 1024);
        d.push(&gzip(&vec![b'a'; 1 << 20])).unwrap();
        assert!(d.is_full());
        let (body, cut) = d.finish(false).unwrap();
        assert_eq!((body.len(), cut), (1024, true));
    }

    #[test]
    fn corrupt_and_cut_streams_are_errors_unless_cut_on_purpose() {
        let mut d = Decoder::new(&mut coded("gzip"), 1000);
        assert!(d.push(b"\x1f\x8bnot gzip at all").is_err() || d.finish(true).is_err());
        let whole = gzip(b"some text that is long enough");
        let mut d = Decoder::new(&mut coded("gzip"), 1000);
        d.push(&whole[..whole.len() - 6]).unwrap();
        assert!(d.finish(true).is_err(), "a gzip body that ends early");
        let mut d = Decoder::new(&mut coded("gzip"), 1000);
        d.push(&whole[..whole.len() - 6]).unwrap();
        assert!(d.finish(false).is_ok(), "cut by the reader, so kept");
    }

    #[test]
    fn unknown_codings_and_identity_are_kept_as_received() {
        let mut h = coded("zstd");
        let mut d = Decoder::new(&mut h, 4);
        assert!(d.is_identity());
        d.push(b"abcdef").unwrap();
        assert_eq!(d.finish(true).unwrap(), (b"abcd".to_vec(), true));
        assert!(h.get(header::CONTENT_ENCODING).is_some());
    }
}
