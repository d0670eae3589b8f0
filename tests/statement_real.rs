//! The statement checker over real council accessibility statements
//! (`tests/fixtures/statements/`, labelled by reading before the checker was written): at least
//! 90 % of parts judged right, few judged wrong. "Cannot tell" is not right, but it is not wrong
//! either; the checker prefers it to a wrong call.

use std::path::Path;

use civicscan::audit::duties::Verdict;
use civicscan::audit::statement::{self, Jurisdiction};
use civicscan::ruleset;
use civicscan::sites::{self, CouncilType};
use jiff::civil::Date;
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    council: String,
    slug: String,
    #[serde(rename = "type")]
    council_type: String,
    nation: String,
    url: String,
    excerpt: String,
    #[serde(default)]
    former: bool,
    labels: Labels,
}

#[derive(Deserialize)]
struct Labels {
    status: String,
    non_accessible: bool,
    format_request: bool,
    report_problem: bool,
    enforcement: String,
    prepared: String,
    reviewed: String,
    testing: bool,
}

fn fixtures() -> Vec<(String, Fixture)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/statements");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let f: Fixture =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push((path.file_name().unwrap().to_string_lossy().into_owned(), f));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The excerpt as page facts keep a page's text: one line per block, whitespace collapsed.
fn text_of(excerpt: &str) -> String {
    excerpt.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Default)]
struct Tally {
    /// Parts labelled present, and of those judged present.
    present: usize,
    present_found: usize,
    right: usize,
    wrong: usize,
    cant_tell: usize,
    misses: Vec<String>,
}

impl Tally {
    fn judge(&mut self, file: &str, part: &str, ok: Option<bool>, got: String, want: String) {
        if !matches!(want.as_str(), "none" | "false") {
            self.present += 1;
            self.present_found += usize::from(ok == Some(true));
        }
        match ok {
            Some(true) => self.right += 1,
            Some(false) => {
                self.wrong += 1;
                self.misses
                    .push(format!("{file} {part}: got {got}, labelled {want}"));
            }
            None => {
                self.cant_tell += 1;
                self.misses
                    .push(format!("{file} {part}: cannot tell, labelled {want}"));
            }
        }
    }
}

#[test]
fn the_checker_judges_real_statements_as_a_reader_did() {
    let rules = ruleset::builtin();
    let settings = rules
        .statement
        .as_ref()
        .expect("[statement] in the shipped ruleset");
    let today = Date::new(2026, 6, 1).unwrap();
    let mut t = Tally::default();
    for (file, f) in fixtures() {
        let council_type: Option<CouncilType> = f.council_type.parse().ok();
        let jurisdiction = Jurisdiction::of(
            council_type.unwrap_or(CouncilType::SD),
            Some(f.nation.as_str()),
        );
        let text = text_of(&f.excerpt);
        let reading = statement::read(&text, settings);
        let answers = statement::answers(&reading, settings, jurisdiction, today, Some(&f.url));
        let verdict = |part: &str| answers.iter().find(|a| a.part == part).unwrap().verdict;
        let l = &f.labels;

        // Status: the kind read must be the one labelled; "cannot tell" when the version is unread.
        let got = reading.status.as_ref().map_or("none", |s| s.0.label());
        let ok = match verdict("status") {
            Verdict::CantTell if got == l.status => None,
            _ => Some(got == l.status),
        };
        t.judge(&file, "status", ok, got.into(), l.status.clone());

        for (part, want) in [
            ("non-accessible", l.non_accessible),
            ("format-request", l.format_request),
            ("report-problem", l.report_problem),
            ("testing", l.testing),
        ] {
            let v = verdict(part);
            let ok = (v != Verdict::CantTell).then_some((v == Verdict::Yes) == want);
            t.judge(&file, part, ok, v.label().into(), want.to_string());
        }

        // Enforcement: the body named for the council's jurisdiction.
        let want_body = match jurisdiction {
            Jurisdiction::GreatBritain => "ehrc",
            Jurisdiction::NorthernIreland => "ecni",
        };
        let want = l.enforcement == want_body;
        let v = verdict("enforcement");
        t.judge(
            &file,
            "enforcement",
            Some((v == Verdict::Yes) == want),
            v.label().into(),
            l.enforcement.clone(),
        );

        for (part, got, want) in [
            ("prepared", &reading.prepared, &l.prepared),
            ("reviewed", &reading.reviewed, &l.reviewed),
        ] {
            let got = got.as_ref().map_or("none".to_string(), |d| d.0.to_string());
            let ok = if got == "none" && reading.unreadable_date.is_some() && *want != "none" {
                None
            } else {
                Some(got == *want)
            };
            t.judge(&file, part, ok, got, want.clone());
        }
    }
    let total = t.right + t.wrong + t.cant_tell;
    let share = t.right as f64 / total as f64;
    eprintln!(
        "statement parts: {} right, {} wrong, {} cannot tell of {total} ({:.1} % right); \
         {} of {} parts labelled present found\n{}",
        t.right,
        t.wrong,
        t.cant_tell,
        share * 100.0,
        t.present_found,
        t.present,
        t.misses.join("\n")
    );
    assert!(share >= 0.90, "only {:.1} % of parts right", share * 100.0);
    assert!(
        t.present_found * 100 >= t.present * 85,
        "only {} of {} parts labelled present found",
        t.present_found,
        t.present
    );
    assert!(
        t.wrong * 100 <= total * 4,
        "{} of {total} parts judged wrong",
        t.wrong
    );
}

#[test]
fn the_statements_span_councils_types_and_nations() {
    let sites = sites::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sites.csv")).unwrap();
    let all = fixtures();
    assert!(all.len() >= 40, "{} statements", all.len());
    let mut principal = std::collections::BTreeSet::new();
    let mut types = std::collections::BTreeSet::new();
    let mut nations = std::collections::BTreeSet::new();
    for (file, f) in &all {
        assert!(f.url.starts_with("http"), "{file}: {}", f.url);
        assert!(!f.council.is_empty(), "{file}");
        if let Some(site) = sites.iter().find(|s| s.slug == f.slug) {
            assert_eq!(site.council_type.to_string(), f.council_type, "{file}");
            principal.insert(f.slug.clone());
            types.insert(f.council_type.clone());
            nations.insert(f.nation.clone());
        } else {
            assert!(
                f.former || matches!(f.council_type.as_str(), "town" | "parish"),
                "{file}: {} is not in sites.csv",
                f.slug
            );
        }
    }
    assert!(
        principal.len() >= 30,
        "{} principal councils",
        principal.len()
    );
    assert_eq!(types.len(), 8, "{types:?}");
    assert_eq!(nations.len(), 4, "{nations:?}");
}
