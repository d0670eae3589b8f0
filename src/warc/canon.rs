//! Canonical URL keys, so a URL asked for matches its capture the way web archives match them:
//! the Internet Archive's SURT form (host labels reversed, `uk,gov,council)/path`) after its
//! canonicalisation — scheme ignored, host and everything else lower-cased, a leading `www.` (or
//! `www2.`…) dropped, default ports dropped, the fragment dropped, query parameters sorted.
//! (The form of the `N` field of CDX files, as in the example of the IIPC's CDX page,
//! <https://iipc.github.io/warc-specifications/specifications/cdx-format/cdx-2015/>; the rules
//! follow the Internet Archive's canonicaliser, re-implemented here.)

use url::Url;

/// The key `url` is matched by.
pub fn key(url: &Url) -> String {
    key_with(url, true)
}

/// The key without lower-casing the path and query: among captures sharing a [`key`], those
/// sharing this one too are the better match (`/Bins` and `/bins` may be different pages).
pub fn strict_key(url: &Url) -> String {
    key_with(url, false)
}

fn key_with(url: &Url, lower: bool) -> String {
    let fold = |s: &str| {
        if lower {
            s.to_lowercase()
        } else {
            s.to_string()
        }
    };
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    let host = strip_www(host);
    let host_key = if url
        .host()
        .is_some_and(|h| !matches!(h, url::Host::Domain(_)))
    {
        host.to_string() // an IP address is not reversed
    } else {
        host.split('.').rev().collect::<Vec<_>>().join(",")
    };
    let port = match (url.scheme(), url.port()) {
        (_, None) | ("http", Some(80)) | ("https", Some(443)) => String::new(),
        (_, Some(p)) => format!(":{p}"),
    };
    let path = if url.path().is_empty() {
        "/"
    } else {
        url.path()
    };
    let mut out = format!("{host_key}{port}){}", fold(path));
    if let Some(q) = url.query() {
        let mut params: Vec<String> = q.split('&').filter(|p| !p.is_empty()).map(fold).collect();
        params.sort();
        if !params.is_empty() {
            out.push('?');
            out.push_str(&params.join("&"));
        }
    }
    out
}

fn strip_www(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix("www") {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Some(after) = rest[digits..].strip_prefix('.')
            && after.contains('.')
        {
            return after;
        }
    }
    host
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> String {
        key(&Url::parse(s).unwrap())
    }

    #[test]
    fn urls_web_archives_treat_as_one_share_a_key() {
        let base = k("http://www.council.gov.uk/bins?b=2&a=1");
        assert_eq!(base, "uk,gov,council)/bins?a=1&b=2");
        for same in [
            "https://council.gov.uk/bins?a=1&b=2",
            "http://WWW.Council.gov.uk:80/bins?a=1&b=2#top",
            "https://www2.council.gov.uk:443/BINS?b=2&a=1",
        ] {
            assert_eq!(k(same), base, "{same}");
        }
        for different in [
            "http://council.gov.uk/bins?a=1",
            "http://council.gov.uk:8080/bins?a=1&b=2",
            "http://other.gov.uk/bins?a=1&b=2",
            "http://council.gov.uk/bins/?a=1&b=2",
        ] {
            assert_ne!(k(different), base, "{different}");
        }
    }

    #[test]
    fn the_strict_key_keeps_the_case_of_the_path() {
        let u = |s| Url::parse(s).unwrap();
        assert_eq!(
            strict_key(&u("http://www.a.test/Bins?B=1")),
            "test,a)/Bins?B=1"
        );
        assert_eq!(
            strict_key(&u("https://a.test/Bins?B=1")),
            strict_key(&u("http://www.a.test:80/Bins?B=1"))
        );
    }

    #[test]
    fn ip_hosts_and_bare_www_hosts_are_kept() {
        assert_eq!(k("http://127.0.1.2:40749/"), "127.0.1.2:40749)/");
        assert_eq!(k("http://www.uk/"), "uk,www)/");
        assert_eq!(k("http://a.test"), "test,a)/");
    }
}
