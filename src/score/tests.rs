use super::*;
use crate::audit::A11ySummary;
use crate::audit::coverage::{CoverageResult, ServiceFinding};
use crate::audit::digital::DigitalIndicators;
use crate::audit::tasks::QuestionAnswer;
use crate::sites::Site;

const BIN: &str = "report-missed-bin";
/// The questions of `report-missed-bin` in the built-in ruleset: 8 common, 2 of its own.
const BIN_QUESTIONS: [&str; 10] = [
    "home-link",
    "landing-link",
    "site-search",
    "a-to-z",
    "same-destination",
    "online-form",
    "mobile",
    "up-to-date",
    "how-to-present",
    "report-window",
];

fn answers(task: &str, answers: &[(&str, Answer)]) -> TaskResult {
    TaskResult {
        task: task.into(),
        page_url: Some("https://x.gov.uk/bins/missed".into()),
        route: vec![],
        reason: "fixture".into(),
        answers: answers
            .iter()
            .map(|&(q, answer)| QuestionAnswer {
                question: q.into(),
                answer,
                evidence_url: None,
                reason: "fixture".into(),
            })
            .collect(),
    }
}

/// Every bin question Yes except those given.
fn bin_with(overrides: &[(&str, Answer)]) -> TaskResult {
    let all: Vec<(&str, Answer)> = BIN_QUESTIONS
        .iter()
        .map(|&q| {
            let a = overrides
                .iter()
                .find(|(o, _)| *o == q)
                .map_or(Answer::Yes, |&(_, a)| a);
            (q, a)
        })
        .collect();
    answers(BIN, &all)
}

fn assessment(slug: &str, council_type: CouncilType) -> SiteAssessment {
    SiteAssessment {
        site: Site::new(
            slug,
            slug,
            council_type,
            url::Url::parse(&format!("https://{slug}.gov.uk/")).unwrap(),
        ),
        pages_fetched: 10,
        failure: None,
        tasks: vec![],
        coverage: CoverageResult::default(),
        digital: DigitalIndicators::default(),
        a11y: A11ySummary::default(),
        crawl: Default::default(),
    }
}

fn clean_a11y() -> A11ySummary {
    A11ySummary {
        pages_audited: 10,
        pages_without_failures: 10,
        ..Default::default()
    }
}

fn stars_of(result: &TaskResult) -> TaskScore {
    let ruleset = crate::ruleset::builtin();
    task_stars(result, ruleset.task(&result.task), &ruleset.scoring)
}

#[test]
fn task_stars_come_from_the_share_of_yes_among_answered() {
    // 8 Yes, 1 No, 1 not tested: 8/9 = 0.889, below 0.90, so 3 stars.
    let s = stars_of(&bin_with(&[
        ("a-to-z", Answer::NotTested),
        ("how-to-present", Answer::No),
    ]));
    assert_eq!((s.yes, s.no, s.not_tested), (8, 1, 1));
    assert!((s.share.unwrap() - 8.0 / 9.0).abs() < 1e-12);
    assert_eq!(s.stars, Some(3));
    assert!(s.caps.is_empty());

    // 9 Yes, 1 not tested: 1.0, 4 stars.
    let s = stars_of(&bin_with(&[("a-to-z", Answer::NotTested)]));
    assert_eq!(s.stars, Some(4));
}

#[test]
fn essential_question_answered_no_caps_the_task() {
    let s = stars_of(&bin_with(&[("online-form", Answer::No)]));
    // 9/10 would be 4 stars; the essential cap is 1.
    assert_eq!(s.stars, Some(1));
    assert_eq!(s.caps, vec![Cap::Essential]);
}

#[test]
fn out_of_date_content_caps_the_task() {
    let s = stars_of(&bin_with(&[("up-to-date", Answer::No)]));
    assert_eq!(s.stars, Some(2));
    assert_eq!(s.caps, vec![Cap::OutOfDate]);
}

#[test]
fn a_task_with_nothing_tested_has_no_stars() {
    let all: Vec<(&str, Answer)> = BIN_QUESTIONS
        .iter()
        .map(|&q| (q, Answer::NotTested))
        .collect();
    let s = stars_of(&answers(BIN, &all));
    assert_eq!(s.stars, None);
    assert_eq!(s.share, None);
}

#[test]
fn accessibility_value_is_clean_share_less_penalties() {
    let a = A11ySummary {
        pages_audited: 10,
        pages_without_failures: 8,
        critical: 1,
        serious: 2,
        ..Default::default()
    };
    // 8/10 − (0.10×1 + 0.05×2)/10 = 0.8 − 0.02 = 0.78
    assert!((accessibility_value(&a).unwrap() - 0.78).abs() < 1e-12);
    assert_eq!(accessibility_value(&A11ySummary::default()), None);
    let awful = A11ySummary {
        pages_audited: 1,
        critical: 50,
        ..Default::default()
    };
    assert_eq!(accessibility_value(&awful), Some(0.0));
}

#[test]
fn digital_value_is_the_share_of_tested_indicators_that_hold() {
    let d = DigitalIndicators {
        https_everywhere: Some(true),
        responsive_viewport: Some(true),
        site_search: Some(true),
        a_to_z: Some(false),
        ..Default::default()
    };
    assert_eq!(digital_value(&d), Some(0.75));
    assert_eq!(digital_value(&DigitalIndicators::default()), None);
}

fn strong_site(slug: &str, council_type: CouncilType) -> SiteAssessment {
    let mut a = assessment(slug, council_type);
    a.tasks = vec![bin_with(&[])];
    a.a11y = A11ySummary {
        pages_audited: 10,
        pages_without_failures: 8,
        critical: 1,
        serious: 2,
        ..Default::default()
    };
    a.coverage = CoverageResult {
        services: (0..4)
            .map(|i| ServiceFinding {
                lgsl: i,
                title: format!("s{i}"),
                url: (i < 3).then(|| format!("https://{slug}.gov.uk/{i}")),
                reason: String::new(),
            })
            .collect(),
    };
    a.digital = DigitalIndicators {
        https_everywhere: Some(true),
        responsive_viewport: Some(true),
        site_search: Some(true),
        a_to_z: Some(false),
        ..Default::default()
    };
    a
}

#[test]
fn overall_is_the_weighted_mean_of_dimensions() {
    let ruleset = crate::ruleset::builtin();
    let s = score_site(&strong_site("a", CouncilType::SD), &ruleset);
    // tasks 4/4 = 1.0; a11y 0.78; coverage 3/4; digital 3/4.
    // 0.40×1.0 + 0.30×0.78 + 0.15×0.75 + 0.15×0.75 = 0.859, over total weight 1.0.
    let v = s.value.unwrap();
    assert!((v - 0.859).abs() < 1e-12, "{v}");
    let dims: Vec<Option<u8>> = s.dimensions.iter().map(|d| d.stars).collect();
    assert_eq!(dims, vec![Some(4), Some(3), Some(3), Some(3)]);
    assert_eq!(s.accessibility_pass, Some(true));
    assert_eq!(s.stars, Some(4));
    assert!(!s.four_stars_withheld);
}

#[test]
fn four_stars_need_an_accessibility_pass() {
    let ruleset = crate::ruleset::builtin();
    let mut a = strong_site("a", CouncilType::SD);
    a.a11y.key_page_critical = 1;
    let s = score_site(&a, &ruleset);
    assert_eq!(s.accessibility_pass, Some(false));
    assert_eq!(s.stars, Some(3));
    assert!(s.four_stars_withheld);
}

#[test]
fn missing_dimensions_leave_the_weights() {
    let ruleset = crate::ruleset::builtin();
    let mut a = assessment("a", CouncilType::SD);
    a.tasks = vec![bin_with(&[("up-to-date", Answer::No)])]; // 2 stars: 0.5
    a.a11y = clean_a11y(); // 1.0
    let s = score_site(&a, &ruleset);
    // (0.40×0.5 + 0.30×1.0) / 0.70 = 0.5/0.7
    assert!((s.value.unwrap() - 0.5 / 0.7).abs() < 1e-12);
    assert_eq!(s.stars, Some(3));
    assert_eq!(s.dimension(Dimension::Coverage).unwrap().value, None);
}

#[test]
fn a_site_that_failed_gets_no_stars_and_no_rank() {
    let ruleset = crate::ruleset::builtin();
    let mut failed = strong_site("down", CouncilType::SD);
    failed.failure = Some("connection refused".into());
    let scores = score_run(&[failed, strong_site("up", CouncilType::SD)], &ruleset);
    assert_eq!(scores[0].stars, None);
    assert_eq!(scores[0].rank, None);
    assert!(scores[0].tasks.is_empty());
    assert_eq!(scores[1].rank, Some(1));
}

#[test]
fn ties_share_a_rank_nationally_and_within_type() {
    let ruleset = crate::ruleset::builtin();
    let mut weak = strong_site("weak", CouncilType::SD);
    weak.tasks = vec![bin_with(&[("online-form", Answer::No)])];
    let scores = score_run(
        &[
            weak,
            strong_site("b", CouncilType::SD),
            strong_site("c", CouncilType::CC),
            strong_site("d", CouncilType::SD),
        ],
        &ruleset,
    );
    let ranks: Vec<(Option<u32>, Option<u32>)> =
        scores.iter().map(|s| (s.rank, s.type_rank)).collect();
    assert_eq!(
        ranks,
        vec![
            (Some(4), Some(3)),
            (Some(1), Some(1)),
            (Some(1), Some(1)),
            (Some(1), Some(1)),
        ]
    );
}

#[test]
fn rows_trace_every_number() {
    let ruleset = crate::ruleset::builtin();
    let scores = score_run(&[strong_site("a", CouncilType::SD)], &ruleset);
    let rows = rows(&scores);
    let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        vec![
            "overall",
            "tasks",
            "accessibility",
            "coverage",
            "digital",
            "task:report-missed-bin"
        ]
    );
    assert_eq!(rows[0].rank, Some(1));
    assert_eq!(rows[5].stars, Some(4));
}
