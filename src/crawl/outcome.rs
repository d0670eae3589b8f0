//! How a fetch ended ([`PageOutcome`]), in the categories a surveyor reads failures by: decided
//! from a [`Page`]'s status and the crawl's own error messages.

use serde::{Deserialize, Serialize};

use super::types::Page;

/// How a fetch ended, in the categories a surveyor reads failures by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageOutcome {
    /// A 2xx or 3xx answer (including 304 Not Modified), read whole.
    Ok,
    /// Read, but cut off at the size budget.
    TooBig,
    /// HTTP 4xx.
    ClientError,
    /// HTTP 5xx.
    ServerError,
    /// No complete response within the request timeout.
    Timeout,
    /// The connection was refused (by the server, or by the private-address guard).
    Refused,
    /// Another connection or protocol failure: DNS, TLS, a reset, a redirect loop.
    Network,
    /// Not fetched: robots.txt disallows it, could not be read, or the host was given up.
    NotAllowed,
    /// A survey answered from web archives: the archives hold no capture of the URL. Not a
    /// failure of the site; a page the survey could not read.
    NotArchived,
}

impl PageOutcome {
    /// Every outcome, in the order reports list them.
    pub const ALL: [PageOutcome; 9] = [
        PageOutcome::Ok,
        PageOutcome::TooBig,
        PageOutcome::ClientError,
        PageOutcome::ServerError,
        PageOutcome::Timeout,
        PageOutcome::Refused,
        PageOutcome::Network,
        PageOutcome::NotAllowed,
        PageOutcome::NotArchived,
    ];

    /// The name stored in the database and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            PageOutcome::Ok => "ok",
            PageOutcome::TooBig => "too_big",
            PageOutcome::ClientError => "http_4xx",
            PageOutcome::ServerError => "http_5xx",
            PageOutcome::Timeout => "timeout",
            PageOutcome::Refused => "refused",
            PageOutcome::Network => "network",
            PageOutcome::NotAllowed => "not_allowed",
            PageOutcome::NotArchived => "not_archived",
        }
    }

    /// The outcome a stored name stands for.
    pub fn parse(s: &str) -> Option<PageOutcome> {
        PageOutcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            PageOutcome::Ok => "fetched",
            PageOutcome::TooBig => "too big (cut off)",
            PageOutcome::ClientError => "HTTP 4xx",
            PageOutcome::ServerError => "HTTP 5xx",
            PageOutcome::Timeout => "timed out",
            PageOutcome::Refused => "refused",
            PageOutcome::Network => "network error",
            PageOutcome::NotAllowed => "not allowed (robots.txt or host given up)",
            PageOutcome::NotArchived => "not archived",
        }
    }

    /// Whether the page failed (anything but read, whole or cut off).
    pub fn is_failure(self) -> bool {
        !matches!(self, PageOutcome::Ok | PageOutcome::TooBig)
    }
}

impl Page {
    /// How this fetch ended. Decided from the status and the crawler's own error messages
    /// (see [`super::FetchError`]; a test pins each message to its outcome).
    pub fn outcome(&self) -> PageOutcome {
        if let Some(error) = &self.error {
            // An HTTP error status carries a message too; the status decides.
            if self.status == 0 || self.status < 400 {
                return error_outcome(error);
            }
        }
        match self.status {
            500.. => PageOutcome::ServerError,
            400..=499 => PageOutcome::ClientError,
            0 => PageOutcome::Network,
            _ if self.truncated => PageOutcome::TooBig,
            _ => PageOutcome::Ok,
        }
    }
}

fn error_outcome(error: &str) -> PageOutcome {
    // Messages name the URL first, and URLs carry no spaces: the phrases below cannot come
    // from a URL. A host given up or a robots.txt rule is checked first, since a given-up
    // host's reason quotes the failure that led to it ("… last: timed out"); a robots.txt that
    // could not be reached is judged by why (a host that refuses every connection is refused,
    // not a robots.txt rule).
    let e = error.to_ascii_lowercase();
    if e.ends_with(": not archived") {
        return PageOutcome::NotArchived;
    }
    if e.contains(": host given up (") || e.contains(" disallowed by robots.txt") {
        return PageOutcome::NotAllowed;
    }
    let network = if e.contains(" timed out") {
        PageOutcome::Timeout
    } else if e.contains("private address") || e.contains("connection refused") {
        PageOutcome::Refused
    } else {
        PageOutcome::Network
    };
    if e.contains(" robots.txt unreachable (") && !e.contains(": error sending request") {
        // Unreachable for a reason other than the network (HTTP 5xx on robots.txt): the
        // crawler may not fetch the site (RFC 9309 §2.3.1.4).
        if network == PageOutcome::Network {
            return PageOutcome::NotAllowed;
        }
    }
    network
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crawl::{FetchError, PageKind};
    use url::Url;

    fn failed(error: &str, status: u16) -> Page {
        let url = Url::parse("https://www.example.gov.uk/bins").unwrap();
        Page {
            url: url.clone(),
            final_url: url,
            status,
            content_type: None,
            kind: PageKind::Other,
            bytes: 0,
            truncated: false,
            content_length: None,
            ttfb_ms: 0,
            depth: 1,
            referrer: None,
            link_text: None,
            redirects: Vec::new(),
            fetched_at_ms: 0,
            etag: None,
            last_modified: None,
            body: None,
            error: (!error.is_empty()).then(|| error.to_string()),
        }
    }

    #[test]
    fn every_fetch_error_message_maps_to_its_outcome() {
        let url = Url::parse("https://www.example.gov.uk/timed-out/robots.txt").unwrap();
        let cases = [
            (
                FetchError::Timeout {
                    url: url.clone(),
                    ms: 20_000,
                },
                PageOutcome::Timeout,
            ),
            (
                FetchError::Private {
                    url: url.clone(),
                    detail: "127.0.0.1".into(),
                },
                PageOutcome::Refused,
            ),
            (
                FetchError::Network {
                    url: url.clone(),
                    detail: "error sending request: tcp connect error: Connection refused (os error 111)".into(),
                },
                PageOutcome::Refused,
            ),
            (
                FetchError::Network {
                    url: url.clone(),
                    detail: "dns error: failed to lookup address".into(),
                },
                PageOutcome::Network,
            ),
            (
                FetchError::Disallowed { url: url.clone() },
                PageOutcome::NotAllowed,
            ),
            (
                FetchError::RobotsUnreachable {
                    url: url.clone(),
                    reason: "http://x/robots.txt: timed out after 20000 ms".into(),
                },
                PageOutcome::Timeout,
            ),
            (
                FetchError::RobotsUnreachable {
                    url: url.clone(),
                    reason: "http://x/robots.txt: error sending request: tcp connect error: Connection refused (os error 111)".into(),
                },
                PageOutcome::Refused,
            ),
            (
                FetchError::RobotsUnreachable {
                    url: url.clone(),
                    reason: "HTTP 503 from http://x/robots.txt".into(),
                },
                PageOutcome::NotAllowed,
            ),
            (
                FetchError::NotArchived { url: url.clone() },
                PageOutcome::NotArchived,
            ),
            (
                FetchError::HostGivenUp {
                    url: url.clone(),
                    reason: "5 failed requests in a row, last: x: timed out after 20000 ms".into(),
                },
                PageOutcome::NotAllowed,
            ),
        ];
        for (error, outcome) in cases {
            let message = error.to_string();
            assert_eq!(failed(&message, 0).outcome(), outcome, "{message}");
        }
    }

    #[test]
    fn the_status_decides_for_http_errors_and_cut_pages_are_too_big() {
        assert_eq!(failed("", 200).outcome(), PageOutcome::Ok);
        assert_eq!(failed("", 304).outcome(), PageOutcome::Ok);
        assert_eq!(
            failed("x: HTTP 404", 404).outcome(),
            PageOutcome::ClientError
        );
        assert_eq!(
            failed("x: HTTP 503", 503).outcome(),
            PageOutcome::ServerError
        );
        let mut cut = failed("", 200);
        cut.truncated = true;
        assert_eq!(cut.outcome(), PageOutcome::TooBig);
        assert!(!PageOutcome::TooBig.is_failure() && PageOutcome::Timeout.is_failure());
        for o in PageOutcome::ALL {
            assert_eq!(PageOutcome::parse(o.as_str()), Some(o));
        }
    }
}
