//! WARC files (ISO 28500, WARC/1.1 as published by the IIPC at
//! <https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/>): building
//! records with their digests ([`record`]), writing them one gzip member per record into files
//! that roll at a size limit ([`write`]), reading records back from any WARC file, compressed per
//! record or not ([`read`]), the HTTP messages inside them ([`http`]), CDX indexes ([`cdx`], the
//! 11-field `CDX N b a m s k r M S V g` format) and the canonical URL keys web archives match
//! URLs by ([`canon`]).
//!
//! A leaf like `sites` and `page`: it knows nothing of the crawl, the store or councils. The crawl
//! uses it to keep every exchange it makes and to answer a survey from archives
//! (`crawl::archive`).
//!
//! Why not a crate: the `warc` crate (0.4) reads and writes whole records held in memory with its
//! own header types and an old `uuid`; records here are written from bodies the crawl already
//! holds, digests and all, and read back by offset for replay, which is a few hundred lines.

pub mod canon;
pub mod cdx;
pub mod http;
pub mod read;
pub mod record;
pub mod write;

pub use record::{Record, RecordType};

/// Base32 (RFC 4648 §6, upper case, padded), the encoding WARC digests are written in by
/// convention (`sha1:` followed by 32 characters).
pub fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(ALPHABET[((bits >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `sha1:` and the Base32 SHA-1 of `parts` taken as one sequence of bytes.
pub fn sha1_digest(parts: &[&[u8]]) -> String {
    use sha1::Digest;
    let mut h = sha1::Sha1::new();
    for p in parts {
        h.update(p);
    }
    format!("sha1:{}", base32(&h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_the_rfc_4648_test_vectors() {
        for (input, output) in [
            ("", ""),
            ("f", "MY======"),
            ("fo", "MZXQ===="),
            ("foo", "MZXW6==="),
            ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI======"),
        ] {
            assert_eq!(base32(input.as_bytes()), output, "{input}");
        }
    }

    #[test]
    fn sha1_digests_are_labelled_base32() {
        // SHA-1 of the empty string is da39a3ee…, whose Base32 is the well-known value below.
        assert_eq!(sha1_digest(&[]), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
        assert_eq!(sha1_digest(&[b"ab", b"c"]), sha1_digest(&[b"abc"]));
    }
}
