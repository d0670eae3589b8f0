//! The foundation as a user meets it: the shipped register and ruleset, their validators' errors,
//! and the store surviving a crash.

mod common;

use std::collections::BTreeMap;

use civicscan::ruleset;
use civicscan::sites::{self, CouncilType};
use common::{civicscan, fixture, repo, stderr, stdout};

#[test]
fn shipped_register_has_every_uk_principal_council() {
    let sites = sites::load(&repo().join("sites.csv")).expect("sites.csv is valid");
    assert_eq!(sites.len(), 382);
    let counts: BTreeMap<CouncilType, usize> = sites::counts_by_type(&sites);
    let expected = [
        (CouncilType::SD, 164),
        (CouncilType::CC, 21),
        (CouncilType::EU, 63),
        (CouncilType::MD, 36),
        (CouncilType::LB, 33),
        (CouncilType::SU, 32),
        (CouncilType::WU, 22),
        (CouncilType::NI, 11),
    ];
    for (t, n) in expected {
        assert_eq!(counts[&t], n, "{t}");
    }
    let ny = sites
        .iter()
        .find(|s| s.slug == "north-yorkshire")
        .expect("North Yorkshire is listed");
    assert_eq!(
        ny.council_type,
        CouncilType::EU,
        "North Yorkshire became unitary in 2023"
    );
    assert_eq!(ny.gss.as_deref(), Some("E06000065"));
    let adur = sites
        .iter()
        .find(|s| s.slug == "adur")
        .expect("Adur is listed");
    assert_eq!(adur.shared_with.as_deref(), Some("worthing"));
    assert_eq!(adur.parent_slug.as_deref(), Some("west-sussex"));
}

#[test]
fn sites_validate_prints_counts_by_type() {
    let out = civicscan(&repo(), &["sites", "validate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("382 councils"), "{text}");
    for line in [
        "164 SD", "21 CC", "63 EU", "36 MD", "33 LB", "32 SU", "22 WU", "11 NI",
    ] {
        assert!(text.contains(line), "missing `{line}` in:\n{text}");
    }
}

#[test]
fn sites_validate_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.csv");
    std::fs::write(&file, "slug,name,type,homepage_url\nok,Ok,SD,https://ok.gov.uk/\nbad,Bad,ZZ,https://bad.gov.uk/\n")
        .unwrap();
    let out = civicscan(dir.path(), &["sites", "validate", "mine.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("mine.csv:3: field `type`: unknown council type `ZZ`"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn register_rederives_from_its_sources() {
    let src = fixture("sources");
    let derived = sites::derive::derive(
        &src.join("local-links-manager-local-authorities.csv"),
        &src.join("mysociety-uk-local-authorities.csv"),
    )
    .expect("the sources join");
    let shipped = std::fs::read_to_string(repo().join("sites.csv")).unwrap();
    assert_eq!(
        derived, shipped,
        "sites.csv is out of date: run `civicscan sites derive`"
    );
}

/// Validates `text` as a ruleset and returns its one-line errors.
fn ruleset_errors(text: &str) -> Vec<String> {
    match ruleset::parse(text, "rules.toml") {
        Ok(_) => vec![],
        Err(e) => e.to_string().lines().map(str::to_string).collect(),
    }
}

/// The 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle present")
        + 1
}

fn builtin() -> String {
    std::fs::read_to_string(repo().join("rulesets/better-connected.toml")).unwrap()
}

#[test]
fn shipped_ruleset_validates() {
    let rules = ruleset::load(&repo().join("rulesets/better-connected.toml")).expect("valid");
    assert!(rules.tasks.len() >= 14);
    for task in &rules.tasks {
        assert!(
            (8..=15).contains(&task.questions.len()),
            "{} has {} questions",
            task.id,
            task.questions.len()
        );
        assert_eq!(
            task.questions.iter().filter(|q| q.essential).count(),
            1,
            "{}",
            task.id
        );
        assert_eq!(
            task.questions.iter().filter(|q| q.out_of_date).count(),
            1,
            "{}",
            task.id
        );
    }
    let bins = rules.task("report-missed-bin").unwrap();
    assert!(
        !bins.applies_to(CouncilType::CC),
        "a county is never asked about bins"
    );
    let school = rules.task("school-place").unwrap();
    assert!(
        !school.applies_to(CouncilType::SD),
        "a district is never asked about school places"
    );
}

#[test]
fn ruleset_rejects_an_unknown_key_with_its_line() {
    let text = builtin().replacen("max_pages = 150", "max_pages = 150\nmax_pagez = 3", 1);
    let errors = ruleset_errors(&text);
    let line = line_of(&text, "max_pagez");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!("rules.toml:{line}:")),
        "{errors:?}"
    );
    assert!(
        errors[0].contains("unknown field `max_pagez`"),
        "{errors:?}"
    );
}

#[test]
fn ruleset_rejects_a_bad_regex_with_its_line() {
    let text = builtin().replacen(r"'\bpotholes?\b'", "'(pothole'", 1);
    let errors = ruleset_errors(&text);
    let line = line_of(&text, "'(pothole'");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!("rules.toml:{line}:")),
        "{errors:?}"
    );
    assert!(errors[0].contains("bad regex `(pothole`"), "{errors:?}");
}

#[test]
fn ruleset_rejects_an_unknown_council_type_with_its_line() {
    let text = builtin().replacen(
        r#"council_types = ["CC", "MD", "EU", "LB", "SU", "WU"]"#,
        r#"council_types = ["CC", "XY"]"#,
        1,
    );
    let errors = ruleset_errors(&text);
    let line = line_of(&text, r#"["CC", "XY"]"#);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!("rules.toml:{line}:")),
        "{errors:?}"
    );
    assert!(
        errors[0].contains("unknown council type `XY`"),
        "{errors:?}"
    );
}

#[test]
fn ruleset_rejects_duplicate_ids_with_their_lines() {
    let text = builtin().replacen(
        r#"id = "bin-collection-day""#,
        r#"id = "report-missed-bin""#,
        1,
    );
    let errors = ruleset_errors(&text);
    let second = text
        .match_indices(r#"id = "report-missed-bin""#)
        .nth(1)
        .unwrap()
        .0;
    let line = text[..second].matches('\n').count() + 1;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!("rules.toml:{line}:")),
        "{errors:?}"
    );
    assert!(
        errors[0].contains("duplicate task id `report-missed-bin`"),
        "{errors:?}"
    );
}

#[test]
fn ruleset_rejects_an_out_of_range_threshold_with_its_line() {
    let text = builtin().replacen("task_stars = { four = 0.90", "task_stars = { four = 1.5", 1);
    let errors = ruleset_errors(&text);
    let line = line_of(&text, "four = 1.5");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!("rules.toml:{line}:")),
        "{errors:?}"
    );
    assert!(
        errors[0].contains("`task_stars.four` = 1.5 is out of range"),
        "{errors:?}"
    );
}

#[test]
fn ruleset_reports_every_problem_at_once() {
    let text = builtin()
        .replacen("max_redirects = 10", "max_redirects = 500", 1)
        .replacen(r"'\bblue badges?\b'", "'[blue'", 1);
    assert_eq!(ruleset_errors(&text).len(), 2);
}

#[test]
fn rules_validate_command_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.toml"),
        builtin().replacen("retries = 2", "retries = \"two\"", 1),
    )
    .unwrap();
    let out = civicscan(dir.path(), &["rules", "validate", "broken.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let line = line_of(&builtin(), "retries = 2");
    assert!(err.contains(&format!("broken.toml:{line}:")), "{err}");
    let ok = civicscan(
        &repo(),
        &["rules", "validate", "rulesets/better-connected.toml"],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
}
