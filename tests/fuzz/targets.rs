//! The fuzz targets' bodies, shared by the cargo-fuzz binaries (`fuzz_targets/*.rs`) and by the
//! regression test in `tests/hostile.rs` that replays every saved crash in `artifacts/`. Each
//! feeds arbitrary bytes to one stage that reads input from outside: none may panic, hang or
//! allocate without bound.

use std::sync::OnceLock;

use url::Url;

/// A sites file (`civicscan::sites::parse`).
pub fn sites(data: &[u8]) {
    let _ = civicscan::sites::parse(&String::from_utf8_lossy(data), "fuzz.csv");
}

/// A ruleset file (`civicscan::ruleset::parse`: TOML, then validation and regex compilation).
pub fn ruleset(data: &[u8]) {
    let _ = civicscan::ruleset::parse(&String::from_utf8_lossy(data), "fuzz.toml");
}

/// A robots.txt body, then questions about it.
pub fn robots(data: &[u8]) {
    let base = Url::parse("https://www.council.gov.uk/robots.txt").expect("static URL");
    let robots = civicscan::crawl::robots::Robots::from_response(&base, 200, data);
    for path in ["/", "/bins", "/a/b?c=d&e", "/%E2%82%AC/*", "/robots.txt"] {
        let _ = robots.allowed(&base.join(path).expect("static path"));
    }
}

/// A sitemap body, plain or gzip (detected by its magic bytes).
pub fn sitemap(data: &[u8]) {
    let base = Url::parse("https://www.council.gov.uk/sitemap.xml").expect("static URL");
    let _ = civicscan::crawl::sitemap::parse(data, &base, 1_000);
}

/// An HTML body as a crawled page: charset decoding, parsing, facts and the accessibility audit.
pub fn page_audit(data: &[u8]) {
    static RULES: OnceLock<civicscan::ruleset::Ruleset> = OnceLock::new();
    let rules = RULES.get_or_init(civicscan::ruleset::builtin);
    let (text, _, _) = civicscan::crawl::charset::decode_html(data, None);
    let url = Url::parse("https://www.council.gov.uk/page").expect("static URL");
    let page = civicscan::page::ParsedPage::parse(url, &text);
    let _ = page.facts();
    let css = civicscan::audit::a11y::SiteCss::empty();
    let _ = civicscan::audit::a11y::audit_page(&page, &css, &rules.accessibility);
}
