//! The Welsh-language checks over real pairs of Welsh council pages
//! (`tests/fixtures/welsh/`): an English page and its Welsh counterpart, as published.

use std::path::Path;

use civicscan::audit::welsh::{self, Language};
use civicscan::ruleset::{self, WelshSettings};
use serde::Deserialize;
use url::Url;

#[derive(Deserialize)]
struct Pair {
    council: String,
    slug: String,
    topic: String,
    english: Side,
    welsh: Side,
}

#[derive(Deserialize)]
struct Side {
    url: String,
    excerpt: String,
}

fn pairs() -> Vec<(String, Pair)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/welsh");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let p: Pair =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push((path.file_name().unwrap().to_string_lossy().into_owned(), p));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn settings() -> WelshSettings {
    ruleset::builtin()
        .welsh
        .expect("[welsh] in the shipped ruleset")
}

fn text(excerpt: &str) -> String {
    excerpt.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn twenty_pairs_from_ten_councils() {
    let all = pairs();
    assert!(all.len() >= 20, "{} pairs", all.len());
    let councils: std::collections::BTreeSet<&str> =
        all.iter().map(|(_, p)| p.slug.as_str()).collect();
    assert!(councils.len() >= 10, "{councils:?}");
    for (file, p) in &all {
        assert!(!p.council.is_empty() && !p.topic.is_empty(), "{file}");
        Url::parse(&p.english.url).unwrap_or_else(|e| panic!("{file}: {e}"));
        Url::parse(&p.welsh.url).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
}

#[test]
fn every_page_reads_in_its_own_language() {
    let s = settings();
    for (file, p) in pairs() {
        let en = text(&p.english.excerpt);
        let cy = text(&p.welsh.excerpt);
        assert_eq!(
            welsh::language(&en, &s),
            Language::English,
            "{file} English {:?}",
            welsh::word_counts(&en, &s)
        );
        assert_eq!(
            welsh::language(&cy, &s),
            Language::Welsh,
            "{file} Welsh {:?}",
            welsh::word_counts(&cy, &s)
        );
    }
}

/// A translation keeps a page's phone numbers, amounts and postcodes: a true pair never
/// contradicts, and where the anchors decide, every other council's Welsh page (and another page
/// of the same council) does.
#[test]
fn anchors_tell_a_page_s_counterpart_from_other_pages() {
    let all = pairs();
    let (mut own_decided, mut others_decided) = (0, 0);
    for (f, p) in &all {
        let en = text(&p.english.excerpt);
        assert!(
            !welsh::anchors_contradict(&en, &text(&p.welsh.excerpt)),
            "{f}: a true pair contradicts"
        );
        let a = welsh::anchors(&en);
        let own = welsh::anchor_overlap(&a, &welsh::anchors(&text(&p.welsh.excerpt)));
        own_decided += usize::from(own.is_some());
        for (g, q) in &all {
            // Another version of the same page is not another page.
            if g == f || q.english.url == p.english.url {
                continue;
            }
            let other = welsh::anchor_overlap(&a, &welsh::anchors(&text(&q.welsh.excerpt)));
            if let Some(o) = other {
                others_decided += 1;
                assert!(o < 0.2, "{f} matches {g}'s Welsh page ({o:.2})");
                if let Some(own) = own {
                    assert!(own > o, "{f}: {g} matches as well as its own");
                }
            }
        }
    }
    eprintln!(
        "anchors: {own_decided} true pairs decided (none contradicts), {others_decided} wrong pairs decided (all contradict)"
    );
    assert!(own_decided >= 6, "{own_decided} pairs decided by anchors");
    assert!(others_decided >= 20, "{others_decided} wrong pairs decided");
}

/// The guess rules find the counterpart where a council keeps the English path (`EN`→`CY`,
/// a `/cy/` prefix) and are only candidates elsewhere; Welsh addresses are recognised.
#[test]
fn guesses_and_welsh_addresses() {
    let s = settings();
    let key = |u: &Url| format!("{}{}", u.host_str().unwrap_or_default(), u.path()).to_lowercase();
    let mut hits = Vec::new();
    for (f, p) in pairs() {
        let en = Url::parse(&p.english.url).unwrap();
        let cy = Url::parse(&p.welsh.url).unwrap();
        assert!(
            !welsh::welsh_address(&en, &s),
            "{f}: English page taken as Welsh"
        );
        let path = cy.path().to_ascii_lowercase();
        if path.starts_with("/cy/") || path.starts_with("/cym/") {
            assert!(
                welsh::welsh_address(&cy, &s),
                "{f}: Welsh address not recognised"
            );
        }
        if welsh::guesses(&en, &s).iter().any(|g| key(g) == key(&cy)) {
            hits.push(f);
        }
    }
    assert_eq!(
        hits,
        vec![
            "monmouthshire-using-blue-badge.toml".to_string(),
            "rhondda-cynon-taff-blue-badge.toml".to_string()
        ]
    );
}
