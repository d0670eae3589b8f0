//! The HTTP messages inside `request` and `response` records (`application/http`, RFC 9112
//! syntax): reading a response's status line and headers back, and undoing chunked transfer
//! coding, which some writers (wget, warcio) keep as it came off the socket.

use std::io::{BufRead, Read};

/// Header bytes read at most before a response head is given up as not HTTP.
const MAX_HEAD_BYTES: usize = 256 * 1024;

/// A response's status line and headers, as archived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    /// `HTTP/1.1`, `HTTP/1.0`, …
    pub version: String,
    /// The status code.
    pub status: u16,
    /// The headers in order, values as bytes.
    pub headers: Vec<(String, Vec<u8>)>,
}

impl ResponseHead {
    /// The first header of this name, as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| String::from_utf8_lossy(v).trim().to_string())
    }

    /// Whether the body is in chunked transfer coding (the last coding listed).
    pub fn is_chunked(&self) -> bool {
        self.header("transfer-encoding").is_some_and(|te| {
            te.rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
        })
    }
}

/// Reads a response head (status line and headers up to the blank line), leaving `r` at the
/// body. Bare LF line ends are accepted, as readers of archives must.
pub fn read_response_head<R: BufRead>(r: &mut R) -> Result<ResponseHead, String> {
    let mut line = Vec::new();
    let mut total = 0;
    let mut next_line = |r: &mut R, line: &mut Vec<u8>| -> Result<String, String> {
        line.clear();
        let n = r
            .take(MAX_HEAD_BYTES as u64)
            .read_until(b'\n', line)
            .map_err(|e| e.to_string())?;
        total += n;
        if n == 0 {
            return Err("the HTTP head is cut short".into());
        }
        if total > MAX_HEAD_BYTES {
            return Err(format!("an HTTP head longer than {MAX_HEAD_BYTES} bytes"));
        }
        Ok(String::from_utf8_lossy(line)
            .trim_end_matches(['\r', '\n'])
            .to_string())
    };
    let status_line = next_line(r, &mut line)?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default().to_string();
    let status = parts
        .next()
        .and_then(|s| s.trim().parse::<u16>().ok())
        .filter(|s| (100..1000).contains(s));
    let (true, Some(status)) = (version.starts_with("HTTP/"), status) else {
        let shown: String = status_line.chars().take(60).collect();
        return Err(format!("not an HTTP response (status line `{shown}`)"));
    };
    let mut headers: Vec<(String, Vec<u8>)> = Vec::new();
    loop {
        let l = next_line(r, &mut line)?;
        if l.is_empty() {
            break;
        }
        if l.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(b' ');
                v.extend_from_slice(l.trim().as_bytes());
            }
            continue;
        }
        if let Some((name, value)) = l.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().as_bytes().to_vec()));
        }
    }
    Ok(ResponseHead {
        version,
        status,
        headers,
    })
}

/// Undoes chunked transfer coding. A body that does not parse as chunks is returned as it is
/// (some writers drop the coding but keep the header); one cut short keeps the chunks read.
pub fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let Some(eol) = rest.iter().position(|b| *b == b'\n') else {
            return if out.is_empty() { body.to_vec() } else { out };
        };
        let size_text = String::from_utf8_lossy(&rest[..eol]);
        let size_text = size_text
            .trim()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            return if out.is_empty() { body.to_vec() } else { out };
        };
        rest = &rest[eol + 1..];
        if size == 0 {
            return out;
        }
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        if take < size {
            return out;
        }
        // The CRLF after the chunk's data.
        let crlf = rest
            .iter()
            .take(2)
            .take_while(|b| **b == b'\r' || **b == b'\n')
            .count();
        rest = &rest[crlf..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_response_head_and_leaves_the_body() {
        let raw =
            b"HTTP/1.1 301 Moved Permanently\r\nLocation: /new\r\nX-Long: a\r\n b\r\n\r\nbody";
        let mut r = &raw[..];
        let head = read_response_head(&mut r).unwrap();
        assert_eq!((head.version.as_str(), head.status), ("HTTP/1.1", 301));
        assert_eq!(head.header("location").as_deref(), Some("/new"));
        assert_eq!(head.header("x-long").as_deref(), Some("a b"));
        assert_eq!(r, b"body");
        let lf = b"HTTP/1.0 200\nContent-Type: text/html\n\n<p>";
        let head = read_response_head(&mut &lf[..]).unwrap();
        assert_eq!(head.status, 200);
        assert!(read_response_head(&mut &b"GET / HTTP/1.1\r\n\r\n"[..]).is_err());
    }

    #[test]
    fn dechunks_and_tolerates_bodies_that_are_not_chunked() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n6;x=y\r\npedia \r\n0\r\n\r\n"),
            b"Wikipedia "
        );
        assert_eq!(dechunk(b"<!doctype html>"), b"<!doctype html>");
        assert_eq!(dechunk(b"5\r\nabc"), b"abc");
    }
}
