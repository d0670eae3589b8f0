//! Accuracy of a survey against the demo web's ground truth.
//!
//! Compares, per site: each task's page found with the true task page (precision and recall);
//! each question's answer with the true answer (`NotTested` must match "not tested"); each
//! accessibility finding with the barriers planted on that page, by rule id (precision and recall
//! per rule; a "cannot tell" finding counts as detecting a barrier that is really there, since it
//! flags the element for review, but is never a false positive; pages the crawl never reached
//! count as missed, since the demo's budgets reach every page); and service coverage with the services each site really has.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use serde::Serialize;
use url::Url;

use super::truth::{Expected, SiteTruth};
use crate::audit::SiteAssessment;
use crate::audit::a11y::{Finding, Outcome};
use crate::audit::duty_answer::Verdict;
use crate::audit::tasks::Answer;

/// A count of right answers out of a total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Ratio {
    /// Right.
    pub right: u32,
    /// Compared.
    pub total: u32,
}

impl Ratio {
    /// The share right (1 when nothing was compared).
    pub fn share(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            f64::from(self.right) / f64::from(self.total)
        }
    }

    fn add(&mut self, right: bool) {
        self.total += 1;
        if right {
            self.right += 1;
        }
    }
}

/// True positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PrecisionRecall {
    /// Found and real.
    pub tp: u32,
    /// Found but not real.
    pub fp: u32,
    /// Real but not found.
    pub missed: u32,
}

impl PrecisionRecall {
    /// tp / (tp + fp); 1 when nothing was found.
    pub fn precision(&self) -> f64 {
        let d = self.tp + self.fp;
        if d == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(d)
        }
    }

    /// tp / (tp + missed); 1 when nothing was real.
    pub fn recall(&self) -> f64 {
        let d = self.tp + self.missed;
        if d == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(d)
        }
    }
}

/// How well a survey matched the truth.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Accuracy {
    /// All question answers.
    pub answers: Ratio,
    /// Answers by question id across tasks.
    pub by_question: BTreeMap<String, Ratio>,
    /// Answers by task.
    pub by_task: BTreeMap<String, Ratio>,
    /// Task-page finding, all tasks.
    pub task_pages: PrecisionRecall,
    /// Task-page finding by task.
    pub task_pages_by_task: BTreeMap<String, PrecisionRecall>,
    /// Barrier detection by rule id.
    pub barriers: BTreeMap<String, PrecisionRecall>,
    /// Service coverage.
    pub services: PrecisionRecall,
    /// Accessibility statement parts answered as the truth says ("cannot tell" is wrong).
    pub statement_parts: Ratio,
    /// Welsh-language answers and task counterparts, for the Welsh councils.
    pub welsh_answers: Ratio,
    /// Sites in the truth with no assessment.
    pub sites_missing: Vec<String>,
    /// Some of the mismatches, for debugging (`site task question: expected …, got …`).
    pub mismatches: Vec<String>,
}

/// Mismatches kept in [`Accuracy::mismatches`] at most.
const MAX_MISMATCHES: usize = 100_000;

/// The path and query of a URL string (the string itself if it does not parse).
fn path_of(url: &str) -> String {
    match Url::parse(url) {
        Ok(u) => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        },
        Err(_) => url.to_string(),
    }
}

fn same(expected: Expected, got: Answer) -> bool {
    matches!(
        (expected, got),
        (Expected::Yes, Answer::Yes)
            | (Expected::No, Answer::No)
            | (Expected::NotTested, Answer::NotTested)
    )
}

/// Compares a survey with the truth. `findings` holds, by site slug, each accessibility finding
/// with the URL of the page it was found on.
pub fn verify(
    truth: &[SiteTruth],
    assessments: &[SiteAssessment],
    findings: &HashMap<String, Vec<(String, Finding)>>,
) -> Accuracy {
    let mut acc = Accuracy::default();
    let by_slug: HashMap<&str, &SiteAssessment> = assessments
        .iter()
        .map(|a| (a.site.slug.as_str(), a))
        .collect();
    for site in truth {
        let Some(assessment) = by_slug.get(site.slug.as_str()) else {
            acc.sites_missing.push(site.slug.clone());
            continue;
        };
        compare_tasks(&mut acc, site, assessment);
        compare_barriers(&mut acc, site, findings.get(&site.slug));
        for (right, line) in compare_statement(site, assessment) {
            acc.statement_parts.add(right);
            if !right {
                note(&mut acc, line);
            }
        }
        for (right, line) in compare_welsh(site, assessment) {
            acc.welsh_answers.add(right);
            if !right {
                note(&mut acc, line);
            }
        }
        for s in &assessment.coverage.services {
            let real = site.services.contains(&s.lgsl);
            match (&s.url, real) {
                (Some(_), true) => acc.services.tp += 1,
                (Some(url), false) => {
                    acc.services.fp += 1;
                    let line = format!(
                        "{} service {} ({}): found at {url}, but the site has none",
                        site.slug, s.lgsl, s.title
                    );
                    note(&mut acc, line);
                }
                (None, true) => {
                    acc.services.missed += 1;
                    let line = format!("{} service {} ({}): not found", site.slug, s.lgsl, s.title);
                    note(&mut acc, line);
                }
                (None, false) => {}
            }
        }
    }
    acc
}

fn note(acc: &mut Accuracy, line: String) {
    if acc.mismatches.len() < MAX_MISMATCHES {
        acc.mismatches.push(line);
    }
}

fn compare_tasks(acc: &mut Accuracy, site: &SiteTruth, assessment: &SiteAssessment) {
    for t in &site.tasks {
        let result = assessment.tasks.iter().find(|r| r.task == t.task);
        let found = result.and_then(|r| r.page_url.as_deref()).map(path_of);
        let pr = acc.task_pages_by_task.entry(t.task.clone()).or_default();
        match (&t.page, &found) {
            (Some(p), Some(f)) if p == f => {
                pr.tp += 1;
                acc.task_pages.tp += 1;
            }
            (Some(p), Some(f)) => {
                pr.fp += 1;
                pr.missed += 1;
                acc.task_pages.fp += 1;
                acc.task_pages.missed += 1;
                note(
                    acc,
                    format!("{} {}: task page {f}, expected {p}", site.slug, t.task),
                );
            }
            (Some(p), None) => {
                pr.missed += 1;
                acc.task_pages.missed += 1;
                note(
                    acc,
                    format!(
                        "{} {}: task page not found, expected {p}",
                        site.slug, t.task
                    ),
                );
            }
            (None, Some(f)) => {
                pr.fp += 1;
                acc.task_pages.fp += 1;
                note(
                    acc,
                    format!(
                        "{} {}: task page {f}, but the site has none",
                        site.slug, t.task
                    ),
                );
            }
            (None, None) => {}
        }
        for (question, expected) in &t.answers {
            let got = result.and_then(|r| r.answers.iter().find(|a| &a.question == question));
            let right = got.is_some_and(|a| same(*expected, a.answer));
            acc.answers.add(right);
            acc.by_question
                .entry(question.clone())
                .or_default()
                .add(right);
            acc.by_task.entry(t.task.clone()).or_default().add(right);
            if !right {
                let got = got.map_or("no answer".to_string(), |a| format!("{:?}", a.answer));
                note(
                    acc,
                    format!(
                        "{} {} {question}: expected {expected:?}, got {got}",
                        site.slug, t.task
                    ),
                );
            }
        }
    }
}

fn compare_barriers(acc: &mut Accuracy, site: &SiteTruth, found: Option<&Vec<(String, Finding)>>) {
    let mut by_page: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut review: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (url, f) in found.map(Vec::as_slice).unwrap_or_default() {
        let map = match f.outcome {
            Outcome::Failed => &mut by_page,
            Outcome::CantTell => &mut review,
        };
        map.entry(path_of(url)).or_default().insert(f.rule.clone());
    }
    for (path, planted) in &site.barriers {
        let expected: BTreeSet<String> = planted.iter().map(|b| b.rule_id().to_string()).collect();
        let empty = BTreeSet::new();
        let got = by_page.get(path).unwrap_or(&empty);
        let flagged = review.get(path).unwrap_or(&empty);
        for rule in expected.union(got) {
            let pr = acc.barriers.entry(rule.clone()).or_default();
            let detected = got.contains(rule) || flagged.contains(rule);
            match (expected.contains(rule), detected) {
                (true, true) => pr.tp += 1,
                (true, false) => {
                    pr.missed += 1;
                    let line = format!("{} {path}: barrier {rule} not detected", site.slug);
                    note(acc, line);
                }
                (false, true) => pr.fp += 1,
                (false, false) => {}
            }
        }
    }
}

fn pct(x: f64) -> String {
    format!("{:5.1}%", 100.0 * x)
}

impl fmt::Display for Accuracy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Accuracy against the demo web's ground truth")?;
        writeln!(
            f,
            "  question answers right: {} ({}/{})",
            pct(self.answers.share()),
            self.answers.right,
            self.answers.total
        )?;
        writeln!(
            f,
            "  task pages: precision {}  recall {}",
            pct(self.task_pages.precision()),
            pct(self.task_pages.recall())
        )?;
        writeln!(
            f,
            "  services: precision {}  recall {}",
            pct(self.services.precision()),
            pct(self.services.recall())
        )?;
        writeln!(
            f,
            "  accessibility statement parts right: {} ({}/{})   Welsh-language answers right: {} ({}/{})",
            pct(self.statement_parts.share()),
            self.statement_parts.right,
            self.statement_parts.total,
            pct(self.welsh_answers.share()),
            self.welsh_answers.right,
            self.welsh_answers.total
        )?;
        if !self.sites_missing.is_empty() {
            writeln!(f, "  sites not surveyed: {}", self.sites_missing.join(", "))?;
        }
        writeln!(f, "\n  {:<28} {:>8} {:>9}", "question", "right", "of")?;
        for (q, r) in &self.by_question {
            writeln!(f, "  {q:<28} {} {:>9}", pct(r.share()), r.total)?;
        }
        writeln!(
            f,
            "\n  {:<28} {:>8} {:>9} {:>9} {:>9}",
            "task", "answers", "page P", "page R", "pages"
        )?;
        for (t, r) in &self.by_task {
            let pr = self.task_pages_by_task.get(t).copied().unwrap_or_default();
            writeln!(
                f,
                "  {t:<28} {} {:>9} {:>9} {:>9}",
                pct(r.share()),
                pct(pr.precision()),
                pct(pr.recall()),
                pr.tp + pr.missed
            )?;
        }
        writeln!(
            f,
            "\n  {:<28} {:>8} {:>9} {:>6} {:>6} {:>6}",
            "accessibility rule", "recall", "precision", "tp", "fp", "missed"
        )?;
        for (rule, pr) in &self.barriers {
            writeln!(
                f,
                "  {rule:<28} {} {:>9} {:>6} {:>6} {:>6}",
                pct(pr.recall()),
                pct(pr.precision()),
                pr.tp,
                pr.fp,
                pr.missed
            )?;
        }
        Ok(())
    }
}

/// Compares a survey's accessibility-statement answers with the truth, part by part, as (right,
/// description). "Cannot tell" is never right.
fn compare_statement(truth: &SiteTruth, assessment: &SiteAssessment) -> Vec<(bool, String)> {
    let Some(t) = &truth.statement else {
        return Vec::new();
    };
    let got = assessment.digital.statement.as_ref();
    t.parts
        .iter()
        .map(|(part, expected)| {
            let a = got.and_then(|s| s.answer(part));
            let v = a.map(|a| a.verdict);
            let right = matches!(
                (expected, v),
                (Expected::Yes, Some(Verdict::Yes)) | (Expected::No, Some(Verdict::No))
            );
            (
                right,
                format!(
                    "{} statement {part}: expected {expected:?}, got {v:?}{}",
                    truth.slug,
                    a.map_or(String::new(), |a| format!(" ({})", a.reason))
                ),
            )
        })
        .collect()
}

/// Compares a survey's Welsh-language answers with the truth: each question and each task
/// page's counterpart, as (right, description). "Cannot tell" is never right.
fn compare_welsh(truth: &SiteTruth, assessment: &SiteAssessment) -> Vec<(bool, String)> {
    let Some(t) = &truth.welsh else {
        return Vec::new();
    };
    let got = assessment.digital.welsh.as_ref();
    let same = |e: Expected, v: Option<Verdict>| {
        matches!(
            (e, v),
            (Expected::Yes, Some(Verdict::Yes)) | (Expected::No, Some(Verdict::No))
        )
    };
    let mut out = Vec::new();
    for (part, expected) in [
        ("home-switch", t.home_switch),
        ("task-switch", t.task_switch),
        ("task-counterparts", t.task_counterparts),
        ("share", t.share),
    ] {
        let v = got.and_then(|w| w.answer(part)).map(|a| a.verdict);
        out.push((
            same(expected, v),
            format!(
                "{} welsh {part} ({}): expected {expected:?}, got {v:?}",
                truth.slug, t.scheme
            ),
        ));
    }
    for (task, expected) in &t.tasks {
        let c = got.and_then(|w| w.tasks.iter().find(|c| &c.label == task));
        // A task page the survey did not find has no counterpart to judge; the task-page
        // comparison already counts that miss.
        let Some(c) = c else { continue };
        // Nor does a page taken for the task that is not the task's page.
        let true_page = truth.task(task).and_then(|t| t.page.as_deref());
        let page = url::Url::parse(&c.page).ok().map(|u| match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        });
        if true_page.is_none() || page.as_deref() != true_page {
            continue;
        }
        out.push((
            same(*expected, Some(c.verdict)),
            format!(
                "{} welsh counterpart of {task} ({}): expected {expected:?}, got {:?} ({})",
                truth.slug, t.scheme, c.verdict, c.reason
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::audit::a11y::Impact;
    use crate::audit::tasks::{QuestionAnswer, TaskResult};
    use crate::demo::barriers::Barrier;
    use crate::demo::truth::{OnlineRoute, SearchQuality, TaskTruth};
    use crate::sites::{CouncilType, Site};

    fn truth() -> SiteTruth {
        let mut answers = BTreeMap::new();
        answers.insert("online-form".to_string(), Expected::Yes);
        answers.insert("a-to-z".to_string(), Expected::NotTested);
        let mut barriers = BTreeMap::new();
        barriers.insert("/".to_string(), vec![Barrier::ImageAlt]);
        barriers.insert("/bins/missed".to_string(), vec![]);
        SiteTruth {
            slug: "fenmere".into(),
            council_type: CouncilType::SD,
            template: "gov".into(),
            quality: 0.5,
            tasks: vec![
                TaskTruth {
                    task: "report-missed-bin".into(),
                    page: Some("/bins/missed".into()),
                    depth: Some(2),
                    form_page: None,
                    online: OnlineRoute::EmbeddedForm,
                    answers: answers.clone(),
                },
                TaskTruth {
                    task: "bulky-waste".into(),
                    page: Some("/bins/bulky".into()),
                    depth: Some(2),
                    form_page: None,
                    online: OnlineRoute::EmbeddedForm,
                    answers,
                },
            ],
            barriers,
            services: vec![524],
            services_missing: vec![530],
            a_to_z: false,
            search: SearchQuality::Good,
            accessibility_statement: true,
            failing_pages: vec![],
            broken_links: vec![],
            robots_disallow: vec![],
            slow_pages: vec![],
            statement: None,
            welsh: None,
        }
    }

    fn result(task: &str, page: Option<&str>, form: Answer) -> TaskResult {
        let qa = |q: &str, a: Answer| QuestionAnswer {
            question: q.into(),
            answer: a,
            evidence_url: None,
            reason: String::new(),
        };
        TaskResult {
            task: task.into(),
            page_url: page.map(str::to_string),
            route: vec![],
            reason: String::new(),
            answers: vec![qa("online-form", form), qa("a-to-z", Answer::NotTested)],
        }
    }

    fn finding(rule: &str) -> Finding {
        Finding {
            rule: rule.into(),
            outcome: Outcome::Failed,
            wcag: vec![],
            act: vec![],
            impact: Impact::Critical,
            selector: String::new(),
            snippet: String::new(),
            message: String::new(),
            rendered: false,
        }
    }

    fn assessment() -> SiteAssessment {
        let url = Url::parse("http://127.0.1.1:8080/").unwrap();
        SiteAssessment {
            site: Site::new("fenmere", "Fenmere District Council", CouncilType::SD, url),
            pages_fetched: 10,
            failure: None,
            tasks: vec![
                // Right page, right answers.
                result(
                    "report-missed-bin",
                    Some("http://127.0.1.1:8080/bins/missed"),
                    Answer::Yes,
                ),
                // Wrong page, one wrong answer.
                result(
                    "bulky-waste",
                    Some("http://127.0.1.1:8080/news"),
                    Answer::No,
                ),
            ],
            coverage: crate::audit::coverage::CoverageResult {
                services: vec![
                    crate::audit::coverage::ServiceFinding {
                        lgsl: 524,
                        title: "Bin collection day".into(),
                        url: Some("http://127.0.1.1:8080/bins".into()),
                        reason: String::new(),
                    },
                    crate::audit::coverage::ServiceFinding {
                        lgsl: 530,
                        title: "Garden waste".into(),
                        url: Some("http://127.0.1.1:8080/news".into()),
                        reason: String::new(),
                    },
                ],
            },
            digital: Default::default(),
            a11y: Default::default(),
            crawl: Default::default(),
        }
    }

    #[test]
    fn scores_a_right_and_a_wrong_task() {
        let mut findings = HashMap::new();
        findings.insert(
            "fenmere".to_string(),
            vec![
                ("http://127.0.1.1:8080/".to_string(), finding("image-alt")),
                (
                    "http://127.0.1.1:8080/bins/missed".to_string(),
                    finding("label"),
                ),
            ],
        );
        let acc = verify(&[truth()], &[assessment()], &findings);
        assert_eq!(acc.answers, Ratio { right: 3, total: 4 });
        assert_eq!(acc.by_question["online-form"], Ratio { right: 1, total: 2 });
        assert_eq!(acc.by_question["a-to-z"], Ratio { right: 2, total: 2 });
        assert_eq!(
            acc.task_pages,
            PrecisionRecall {
                tp: 1,
                fp: 1,
                missed: 1
            }
        );
        assert_eq!(
            acc.barriers["image-alt"],
            PrecisionRecall {
                tp: 1,
                fp: 0,
                missed: 0
            }
        );
        assert_eq!(
            acc.barriers["label"],
            PrecisionRecall {
                tp: 0,
                fp: 1,
                missed: 0
            }
        );
        assert_eq!(
            acc.services,
            PrecisionRecall {
                tp: 1,
                fp: 1,
                missed: 0
            }
        );
        assert!(
            acc.mismatches
                .iter()
                .any(|m| m.contains("bulky-waste: task page /news"))
        );
        let table = acc.to_string();
        assert!(
            table.contains("question answers right:  75.0% (3/4)"),
            "{table}"
        );
    }

    #[test]
    fn counts_a_site_never_surveyed() {
        let acc = verify(&[truth()], &[], &HashMap::new());
        assert_eq!(acc.sites_missing, vec!["fenmere".to_string()]);
        assert_eq!(acc.answers.total, 0);
    }

    #[test]
    fn cannot_tell_detects_a_real_barrier_but_is_never_a_false_positive() {
        let review = |rule: &str| Finding {
            outcome: Outcome::CantTell,
            ..finding(rule)
        };
        let mut findings = HashMap::new();
        findings.insert(
            "fenmere".to_string(),
            vec![
                ("http://127.0.1.1:8080/".to_string(), review("image-alt")),
                (
                    "http://127.0.1.1:8080/bins/missed".to_string(),
                    review("color-contrast"),
                ),
            ],
        );
        let acc = verify(&[truth()], &[assessment()], &findings);
        assert_eq!(
            acc.barriers["image-alt"],
            PrecisionRecall {
                tp: 1,
                fp: 0,
                missed: 0
            }
        );
        assert!(!acc.barriers.contains_key("color-contrast"));
    }

    #[test]
    fn a_missed_barrier_lowers_recall() {
        let acc = verify(&[truth()], &[assessment()], &HashMap::new());
        assert_eq!(acc.barriers["image-alt"].recall(), 0.0);
    }
}
