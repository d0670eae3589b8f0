//! One WARC record: its named fields and its block, serialised with `Content-Length` and digests
//! (WARC/1.1 §5), alone or as one gzip member (the `.warc.gz` convention, §Annex D, which lets a
//! reader seek to any record by its offset).

use std::io::Write;

use bytes::Bytes;
use jiff::Timestamp;

/// The record types civicscan writes (WARC/1.1 §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordType {
    /// Describes the records that follow it in the file.
    Warcinfo,
    /// An HTTP request as sent.
    Request,
    /// An HTTP response as received.
    Response,
    /// Something about other records, or about a URL that was not fetched.
    Metadata,
}

impl RecordType {
    /// The `WARC-Type` value.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Warcinfo => "warcinfo",
            RecordType::Request => "request",
            RecordType::Response => "response",
            RecordType::Metadata => "metadata",
        }
    }
}

/// A record ready to be written: named fields (beside `WARC-Type`, `WARC-Record-ID`,
/// `WARC-Date` and `Content-Length`, which every record has) and a block made of a head (the
/// HTTP message head, or the whole block for records without a payload) and a payload.
#[derive(Debug, Clone)]
pub struct Record {
    kind: RecordType,
    id: String,
    date: Timestamp,
    fields: Vec<(String, String)>,
    content_type: Option<String>,
    head: Vec<u8>,
    payload: Bytes,
    has_payload: bool,
}

impl Record {
    /// An empty record of `kind`, captured at `date`, with a fresh record id.
    pub fn new(kind: RecordType, date: Timestamp) -> Record {
        Record {
            kind,
            id: new_record_id(),
            date,
            fields: Vec::new(),
            content_type: None,
            head: Vec::new(),
            payload: Bytes::new(),
            has_payload: false,
        }
    }

    /// The record's `WARC-Record-ID` (`<urn:uuid:…>`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The record's type.
    pub fn kind(&self) -> RecordType {
        self.kind
    }

    /// Adds a named field. Line breaks and other control characters in the value are replaced
    /// by spaces: a field value is one line.
    pub fn field(mut self, name: &str, value: impl AsRef<str>) -> Record {
        let value: String = value
            .as_ref()
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        self.fields.push((name.to_string(), value));
        self
    }

    /// Sets a block without a payload (warcinfo, metadata): `WARC-Block-Digest` only.
    pub fn block(mut self, content_type: &str, block: Vec<u8>) -> Record {
        self.content_type = Some(content_type.to_string());
        self.head = block;
        self.payload = Bytes::new();
        self.has_payload = false;
        self
    }

    /// Sets an HTTP block: `head` (status or request line and headers, ending in the blank line)
    /// and `payload` (the entity body as received), so both digests are written.
    pub fn http(mut self, content_type: &str, head: Vec<u8>, payload: Bytes) -> Record {
        self.content_type = Some(content_type.to_string());
        self.head = head;
        self.payload = payload;
        self.has_payload = true;
        self
    }

    /// The uncompressed record: header, block, and the two CRLFs that end it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let length = self.head.len() + self.payload.len();
        let mut out = Vec::with_capacity(length + 512);
        let date = warc_date(self.date);
        let _ = write!(
            out,
            "WARC/1.1\r\nWARC-Type: {}\r\nWARC-Record-ID: {}\r\nWARC-Date: {date}\r\n",
            self.kind.as_str(),
            self.id
        );
        for (name, value) in &self.fields {
            let _ = write!(out, "{name}: {value}\r\n");
        }
        if let Some(ct) = &self.content_type {
            let _ = write!(out, "Content-Type: {ct}\r\n");
        }
        let _ = write!(
            out,
            "WARC-Block-Digest: {}\r\n",
            super::sha1_digest(&[&self.head, &self.payload])
        );
        if self.has_payload {
            let _ = write!(
                out,
                "WARC-Payload-Digest: {}\r\n",
                super::sha1_digest(&[&self.payload])
            );
        }
        let _ = write!(out, "Content-Length: {length}\r\n\r\n");
        out.extend_from_slice(&self.head);
        out.extend_from_slice(&self.payload);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    /// The record as one gzip member.
    pub fn to_gzip_member(&self) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        // Writing to a Vec cannot fail.
        let _ = gz.write_all(&self.to_bytes());
        gz.finish().unwrap_or_default()
    }
}

/// A fresh `<urn:uuid:…>` (a random, version 4 UUID, RFC 9562 §5.4).
pub fn new_record_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// A `WARC-Date`: `YYYY-MM-DDThh:mm:ssZ` in UTC (WARC/1.1 §5.4).
pub fn warc_date(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Reads a `WARC-Date` (with or without fractions of a second) or a 14-digit CDX timestamp
/// (`YYYYMMDDhhmmss`, shorter forms padded as archives do: `2019` is 1 January 2019).
pub fn parse_date(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t);
    }
    if s.len() >= 4 && s.len() <= 14 && s.bytes().all(|b| b.is_ascii_digit()) {
        let padded = format!("{s:0<14}");
        let (y, rest) = padded.split_at(4);
        let month = if &rest[..2] == "00" { "01" } else { &rest[..2] };
        let day = if &rest[2..4] == "00" {
            "01"
        } else {
            &rest[2..4]
        };
        let text = format!(
            "{y}-{month}-{day}T{}:{}:{}Z",
            &rest[4..6],
            &rest[6..8],
            &rest[8..10]
        );
        return text.parse().ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_states_its_length_and_digests() {
        let date: Timestamp = "2026-03-01T10:20:30Z".parse().unwrap();
        let r = Record::new(RecordType::Response, date)
            .field("WARC-Target-URI", "http://a.gov.uk/x")
            .http(
                "application/http;msgtype=response",
                b"HTTP/1.1 200 OK\r\n\r\n".to_vec(),
                Bytes::from_static(b"hello"),
            );
        let text = String::from_utf8(r.to_bytes()).unwrap();
        assert!(
            text.starts_with("WARC/1.1\r\nWARC-Type: response\r\n"),
            "{text}"
        );
        assert!(text.contains("WARC-Date: 2026-03-01T10:20:30Z\r\n"));
        assert!(text.contains("Content-Length: 24\r\n\r\nHTTP/1.1 200 OK\r\n\r\nhello\r\n\r\n"));
        assert!(text.contains(&format!(
            "WARC-Payload-Digest: {}",
            crate::warc::sha1_digest(&[b"hello"])
        )));
        assert!(
            r.id().starts_with("<urn:uuid:") && r.id().len() == 47,
            "{}",
            r.id()
        );
    }

    #[test]
    fn field_values_stay_on_one_line() {
        let r = Record::new(RecordType::Metadata, Timestamp::UNIX_EPOCH)
            .field("X", "a\r\nWARC-Type: forged")
            .block("text/plain", Vec::new());
        let text = String::from_utf8(r.to_bytes()).unwrap();
        assert!(text.contains("X: a  WARC-Type: forged\r\n"), "{text}");
    }

    #[test]
    fn dates_read_in_warc_and_cdx_forms() {
        let t: Timestamp = "2019-05-04T03:02:01Z".parse().unwrap();
        assert_eq!(parse_date("2019-05-04T03:02:01Z"), Some(t));
        assert_eq!(parse_date("20190504030201"), Some(t));
        assert_eq!(
            parse_date("2019"),
            Some("2019-01-01T00:00:00Z".parse().unwrap())
        );
        assert_eq!(
            parse_date("2019-05-04T03:02:01.250Z").map(warc_date),
            Some("2019-05-04T03:02:01Z".into())
        );
        assert_eq!(parse_date("yesterday"), None);
    }
}
