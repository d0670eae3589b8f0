//! URL normalisation, the site's scope, and the guard against endless URL spaces.
//!
//! Normalising makes two spellings of one page compare equal (so a page is fetched once); the
//! scope decides whether a URL belongs to the council's site, to a known service portal (fetched
//! when linked, never crawled further) or to neither. Nothing here does I/O.

use std::collections::HashMap;
use std::net::IpAddr;

use url::{Host, Url};

/// Normalises a URL for fetching and de-duplication: only http(s) is kept; the fragment is dropped,
/// scheme and host are lower-cased and default ports removed (both done by the `url` crate's WHATWG
/// parser), an empty path becomes `/`, and listed query parameters are stripped (an entry ending in
/// `*` such as `utm_*` matches by prefix, others by whole name, case-insensitively). The remaining
/// query keeps its order: some CMSs depend on it.
pub fn normalise(url: &Url, strip_query_params: &[String]) -> Option<Url> {
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    let mut url = url.clone();
    url.set_fragment(None);
    if url.query().is_some() {
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !is_stripped(k, strip_query_params))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    Some(url)
}

fn is_stripped(key: &str, patterns: &[String]) -> bool {
    let key = key.to_ascii_lowercase();
    patterns.iter().any(|p| {
        let p = p.to_ascii_lowercase();
        match p.strip_suffix('*') {
            Some(prefix) => key.starts_with(prefix),
            None => key == p,
        }
    })
}

/// Where a URL stands relative to the site being crawled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeClass {
    /// On the council's own site: fetched and crawled further.
    Site,
    /// On a known service portal: fetched when linked, its links not followed.
    Portal,
    /// Elsewhere: not fetched.
    Outside,
}

/// The crawl scope of one site: its registrable domain (or, for an IP-address host, the exact
/// host and port) plus the portal host patterns.
#[derive(Debug, Clone)]
pub struct Scope {
    sites: Vec<SiteKey>,
    portals: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum SiteKey {
    /// A registrable domain such as `leeds.gov.uk`: the domain and all its subdomains.
    Domain(String),
    /// An IP-address host: that host and port only (test and demo sites share 127.0.0.1).
    Authority(String),
}

impl Scope {
    /// The scope of a site whose home page is `home`.
    pub fn new(home: &Url, portal_hosts: &[String]) -> Self {
        let mut scope = Scope {
            sites: Vec::new(),
            portals: portal_hosts
                .iter()
                .map(|p| p.to_ascii_lowercase())
                .collect(),
        };
        scope.add_site_of(home);
        scope
    }

    /// Widens the scope to the site of `url` (the home page redirected to another domain).
    pub fn add_site_of(&mut self, url: &Url) {
        if let Some(key) = site_key(url) {
            if !self.sites.contains(&key) {
                self.sites.push(key);
            }
        }
    }

    /// Classifies a (normalised) URL.
    pub fn classify(&self, url: &Url) -> ScopeClass {
        let Some(key) = site_key(url) else {
            return ScopeClass::Outside;
        };
        let on_site = self.sites.iter().any(|s| match (s, &key) {
            (SiteKey::Domain(d), SiteKey::Domain(_)) => url
                .host_str()
                .is_some_and(|h| h == d || h.ends_with(&format!(".{d}"))),
            (a, b) => a == b,
        });
        if on_site {
            return ScopeClass::Site;
        }
        let host = url.host_str().unwrap_or_default();
        let portal = self.portals.iter().any(|p| match p.strip_prefix("*.") {
            Some(domain) => host == domain || host.ends_with(&format!(".{domain}")),
            None => host == p,
        });
        if portal {
            ScopeClass::Portal
        } else {
            ScopeClass::Outside
        }
    }
}

fn site_key(url: &Url) -> Option<SiteKey> {
    match url.host()? {
        Host::Ipv4(_) | Host::Ipv6(_) => Some(SiteKey::Authority(authority(url))),
        Host::Domain(d) => {
            // `gov.uk` is on the public suffix list, so `leeds.gov.uk` is the registrable domain.
            // A name with no registrable part (`localhost`, a bare suffix) is scoped to itself.
            let d = d.trim_end_matches('.');
            let reg = psl::domain_str(d).unwrap_or(d);
            Some(SiteKey::Domain(reg.to_string()))
        }
    }
}

/// `host:port` of a URL, with the scheme's default port filled in: the key of per-host politeness.
pub fn authority(url: &Url) -> String {
    let host = match url.host() {
        Some(Host::Ipv6(ip)) => format!("[{ip}]"),
        Some(h) => h.to_string().to_ascii_lowercase(),
        None => String::new(),
    };
    format!("{host}:{}", url.port_or_known_default().unwrap_or(0))
}

/// The literal IP of a URL's host, when it is one.
pub fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        Host::Domain(_) => None,
    }
}

/// Why a URL looks like part of an endless URL space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trap {
    /// Longer than any real page address.
    TooLong,
    /// Too many path segments.
    TooDeep,
    /// The same path segment keeps repeating (`/a/b/a/b/a/b`, relative-link loops).
    RepeatedSegments,
    /// A session id in the path (`;jsessionid=`, ASP.NET `(S(…))`).
    SessionId,
    /// A year far from now in the path or query (calendars that page on for ever).
    FarDate,
    /// Too many URLs of the same shape (digits folded), e.g. `/events?month=N`.
    PatternFlood,
}

/// Detects endless URL spaces: calendar-style paging, session ids in paths and repeated path
/// segments. Stateful: it counts URLs per shape to stop floods of one pattern.
#[derive(Debug)]
pub struct TrapGuard {
    /// URLs counted per shape, the shape kept as a 64-bit hash (a fixed-key SipHash): a site's
    /// shapes are about as many as its URLs, and every council in flight holds its guard. Two
    /// shapes sharing a hash would share one count, a chance of about n²/2⁶⁵.
    per_pattern: HashMap<u64, usize>,
    max_per_pattern: usize,
    this_year: i32,
}

/// URLs longer than this are treated as traps (sitemaps.org caps URLs at 2,048 characters).
const MAX_URL_LEN: usize = 2048;
/// Path segments at most.
const MAX_SEGMENTS: usize = 16;

impl TrapGuard {
    /// A guard allowing `max_per_pattern` URLs of one shape, judging dates against `this_year`.
    pub fn new(max_per_pattern: usize, this_year: i32) -> Self {
        TrapGuard {
            per_pattern: HashMap::new(),
            max_per_pattern,
            this_year,
        }
    }

    /// Checks a URL that is about to join the frontier; counts it when it passes.
    pub fn check(&mut self, url: &Url) -> Result<(), Trap> {
        let s = url.as_str();
        if s.len() > MAX_URL_LEN {
            return Err(Trap::TooLong);
        }
        let lower = s.to_ascii_lowercase();
        if lower.contains(";jsessionid=") || lower.contains(";sid=") || lower.contains("/(s(") {
            return Err(Trap::SessionId);
        }
        let segments: Vec<&str> = url.path().split('/').filter(|s| !s.is_empty()).collect();
        if segments.len() > MAX_SEGMENTS {
            return Err(Trap::TooDeep);
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for (i, seg) in segments.iter().enumerate() {
            let n = counts.entry(seg).or_default();
            *n += 1;
            if *n >= 3 || (i > 0 && segments[i - 1] == *seg && !is_numeric(seg)) {
                return Err(Trap::RepeatedSegments);
            }
        }
        if self.has_far_year(url) {
            return Err(Trap::FarDate);
        }
        let n = self.per_pattern.entry(shape_hash(url)).or_default();
        if *n >= self.max_per_pattern {
            return Err(Trap::PatternFlood);
        }
        *n += 1;
        Ok(())
    }

    fn has_far_year(&self, url: &Url) -> bool {
        // Only what reads as a date is a year: a date such as 2031-05 or 2031-05-01, a four-digit
        // path segment followed by a month or day (/2031/05), or a four-digit value of a query
        // key named like a date (?year=2031). A lone number is an id: CMSs number articles
        // /article/2125/title, and ids like /page/20315 are not dates either.
        let segments: Vec<&str> = url.path().split('/').collect();
        let path_years = segments.iter().enumerate().filter_map(|(i, seg)| {
            let next_is_month = segments
                .get(i + 1)
                .is_some_and(|n| (1..=2).contains(&n.len()) && is_numeric(n));
            year_of(seg, next_is_month)
        });
        let query_years = url.query_pairs().filter_map(|(k, v)| {
            let k = k.to_ascii_lowercase();
            let date_key = ["year", "date", "month", "day", "from", "start"]
                .iter()
                .any(|d| k.contains(d))
                || matches!(k.as_str(), "y" | "m" | "d" | "yr");
            year_of(&v, date_key)
        });
        path_years
            .chain(query_years)
            .filter(|y| (1900..=2200).contains(y))
            .any(|y| y < self.this_year - 20 || y > self.this_year + 3)
    }
}

/// The year a part of a URL names: `2031-05…` always, a bare `2031` only when `bare_counts`.
fn year_of(part: &str, bare_counts: bool) -> Option<i32> {
    let head: String = part.chars().take_while(char::is_ascii_digit).collect();
    let rest = &part[head.len()..];
    let dated = rest.starts_with('-') && rest[1..].starts_with(|c: char| c.is_ascii_digit());
    (head.len() == 4 && ((rest.is_empty() && bare_counts) || dated))
        .then(|| head.parse().ok())
        .flatten()
}

fn is_numeric(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The shape of a URL: host, path and query keys with every run of digits folded to `#`.
/// Whether a query key names one record (`articleid`, `pageid`, `id`): its values are distinct
/// pages of a CMS (`index.aspx?articleid=29742`), not steps through an endless space such as
/// `?month=` or `?page=`. Session ids are not records.
fn record_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    (k == "id" || (k.ends_with("id") && k.len() <= 16))
        && !k.contains("session")
        && k != "sid"
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The key a URL's shape is counted under.
fn shape_hash(url: &Url) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    shape(url).hash(&mut h);
    h.finish()
}

/// A URL's shape: host, path and query keys with every run of digits folded to `#`, so
/// `/cal?m=4` and `/cal?m=5` share one. The values of record keys ([`record_key`]) are kept as
/// they are: each article of an `?articleid=` CMS is its own shape.
fn shape(url: &Url) -> String {
    let mut keys: Vec<String> = Vec::new();
    let mut records: Vec<String> = Vec::new();
    for (k, v) in url.query_pairs() {
        if record_key(&k) {
            records.push(format!("{k}={v}"));
        } else {
            keys.push(k.into_owned());
        }
    }
    keys.sort();
    records.sort();
    let raw = format!(
        "{}{}?{}",
        url.host_str().unwrap_or_default(),
        url.path(),
        keys.join("&")
    );
    let mut out = String::with_capacity(raw.len());
    let mut in_digits = false;
    for c in raw.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    if !records.is_empty() {
        out.push('|');
        out.push_str(&records.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn strip() -> Vec<String> {
        vec!["utm_*".into(), "fbclid".into()]
    }

    #[test]
    fn normalise_drops_fragment_default_port_and_case() {
        let n = normalise(&u("HTTP://WWW.Leeds.GOV.uk:80/Bins#top"), &strip()).unwrap();
        assert_eq!(n.as_str(), "http://www.leeds.gov.uk/Bins");
        let n = normalise(&u("https://leeds.gov.uk:443"), &strip()).unwrap();
        assert_eq!(n.as_str(), "https://leeds.gov.uk/");
    }

    #[test]
    fn normalise_strips_listed_params_keeping_order() {
        let n = normalise(
            &u("https://a.gov.uk/p?b=2&utm_source=x&UTM_Medium=y&a=1&fbclid=z"),
            &strip(),
        )
        .unwrap();
        assert_eq!(n.as_str(), "https://a.gov.uk/p?b=2&a=1");
        let n = normalise(&u("https://a.gov.uk/p?utm_source=x"), &strip()).unwrap();
        assert_eq!(n.as_str(), "https://a.gov.uk/p");
        // A prefix pattern matches only prefixes; an exact pattern only the whole name.
        let n = normalise(&u("https://a.gov.uk/p?xutm_a=1&fbclid2=3"), &strip()).unwrap();
        assert_eq!(n.as_str(), "https://a.gov.uk/p?xutm_a=1&fbclid2=3");
    }

    #[test]
    fn normalise_rejects_other_schemes() {
        assert!(normalise(&u("mailto:a@b.gov.uk"), &[]).is_none());
        assert!(normalise(&u("javascript:void(0)"), &[]).is_none());
        assert!(normalise(&u("ftp://a.gov.uk/x"), &[]).is_none());
    }

    #[test]
    fn scope_is_registrable_domain_under_gov_uk() {
        let scope = Scope::new(&u("https://www.leeds.gov.uk/"), &[]);
        assert_eq!(
            scope.classify(&u("https://leeds.gov.uk/a")),
            ScopeClass::Site
        );
        assert_eq!(
            scope.classify(&u("https://forms.leeds.gov.uk/a")),
            ScopeClass::Site
        );
        assert_eq!(
            scope.classify(&u("https://www.york.gov.uk/")),
            ScopeClass::Outside
        );
        assert_eq!(scope.classify(&u("https://gov.uk/")), ScopeClass::Outside);
    }

    #[test]
    fn scope_admits_portals_by_pattern() {
        let portals = vec!["*.achieveservice.com".to_string(), "www.gov.uk".to_string()];
        let scope = Scope::new(&u("https://www.leeds.gov.uk/"), &portals);
        assert_eq!(
            scope.classify(&u("https://leeds.form.achieveservice.com/x")),
            ScopeClass::Portal
        );
        assert_eq!(
            scope.classify(&u("https://www.gov.uk/x")),
            ScopeClass::Portal
        );
        assert_eq!(
            scope.classify(&u("https://other.gov.uk/x")),
            ScopeClass::Outside
        );
    }

    #[test]
    fn scope_of_ip_host_is_host_and_port() {
        let scope = Scope::new(&u("http://127.0.0.1:8080/"), &[]);
        assert_eq!(
            scope.classify(&u("http://127.0.0.1:8080/a")),
            ScopeClass::Site
        );
        assert_eq!(
            scope.classify(&u("http://127.0.0.1:8081/a")),
            ScopeClass::Outside
        );
        assert_eq!(
            scope.classify(&u("http://127.0.0.2:8080/a")),
            ScopeClass::Outside
        );
    }

    #[test]
    fn authority_fills_default_port() {
        assert_eq!(authority(&u("https://A.gov.uk/x")), "a.gov.uk:443");
        assert_eq!(authority(&u("http://127.0.0.1:9000/")), "127.0.0.1:9000");
    }

    #[test]
    fn trap_guard_stops_repeats_sessions_and_far_dates() {
        let mut g = TrapGuard::new(5, 2026);
        assert_eq!(
            g.check(&u("https://a.gov.uk/x/y/x/y/x/y")),
            Err(Trap::RepeatedSegments)
        );
        assert_eq!(
            g.check(&u("https://a.gov.uk/news/news")),
            Err(Trap::RepeatedSegments)
        );
        assert_eq!(
            g.check(&u("https://a.gov.uk/a;jsessionid=ABC/b")),
            Err(Trap::SessionId)
        );
        assert_eq!(
            g.check(&u("https://a.gov.uk/events/2099/01")),
            Err(Trap::FarDate)
        );
        assert_eq!(
            g.check(&u("https://a.gov.uk/events?date=2090-01-01")),
            Err(Trap::FarDate)
        );
        assert_eq!(
            g.check(&u("https://a.gov.uk/events?year=2099&month=1")),
            Err(Trap::FarDate)
        );
        assert_eq!(g.check(&u("https://a.gov.uk/events/2026/11")), Ok(()));
        assert_eq!(g.check(&u("https://a.gov.uk/page/20991")), Ok(()));
        // Article ids are not years.
        assert_eq!(
            g.check(&u(
                "https://a.gov.uk/article/2125/Residents-parking-permits"
            )),
            Ok(())
        );
        assert_eq!(
            g.check(&u("https://a.gov.uk/index.aspx?articleid=2230")),
            Ok(())
        );
    }

    #[test]
    fn trap_guard_caps_urls_of_one_shape() {
        let mut g = TrapGuard::new(3, 2026);
        for m in 1..=3 {
            assert_eq!(g.check(&u(&format!("https://a.gov.uk/cal?m={m}"))), Ok(()));
        }
        assert_eq!(
            g.check(&u("https://a.gov.uk/cal?m=4")),
            Err(Trap::PatternFlood)
        );
        assert_eq!(g.check(&u("https://a.gov.uk/other")), Ok(()));
    }

    #[test]
    fn article_ids_are_pages_not_a_flood() {
        let mut g = TrapGuard::new(3, 2026);
        for id in 1000..1010 {
            let url = format!("https://a.gov.uk/index.aspx?articleid={id}");
            assert_eq!(g.check(&u(&url)), Ok(()), "{url}");
        }
        for p in 1..=3 {
            let url = format!("https://a.gov.uk/news.aspx?articleid=1&page={p}");
            assert_eq!(g.check(&u(&url)), Ok(()));
        }
        assert_eq!(
            g.check(&u("https://a.gov.uk/news.aspx?articleid=1&page=4")),
            Err(Trap::PatternFlood),
            "paging through one article still floods"
        );
    }
}
