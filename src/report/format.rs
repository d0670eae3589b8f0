//! How the report writes numbers, links and file names.

/// Rounds to one decimal place (what reports show; data files keep full precision).
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A URL fit for an `href`: only http(s), so a crawled `javascript:` URL is shown, never linked.
pub(crate) fn web_href(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

/// Makes a slug safe as a file name.
pub(crate) fn file_slug(slug: &str) -> String {
    let s: String = slug
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "council".into() } else { s }
}
