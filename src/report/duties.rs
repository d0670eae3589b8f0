//! The two legal duties in the report: the accessibility statement's parts and, for Welsh
//! councils, the Welsh-language pages. View models for the council page and the league table,
//! the researcher table (`duties`, one row per council and question) and `check`'s lines.

use serde::Serialize;

use super::format::web_href;
use crate::audit::SiteAssessment;
use crate::audit::digital::DigitalIndicators;
use crate::audit::duty_answer::{DutyAnswer, Verdict};
use crate::audit::statement::{FoundBy, StatementResult};
use crate::audit::welsh::{Counterpart, Via, WelshResult};
use crate::ruleset::Ruleset;

/// One answered question, as the council page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DutyAnswerView {
    /// The part's id.
    pub part: String,
    /// The question.
    pub question: String,
    /// "Yes", "No" or "Cannot tell".
    pub answer: String,
    /// `yes`, `no` or `not-tested` (the class the task tables use).
    pub answer_class: String,
    /// The words quoted.
    pub evidence: Option<String>,
    /// Where they are.
    pub evidence_url: Option<String>,
    /// The same, when safe to link.
    pub evidence_href: Option<String>,
    /// Why.
    pub reason: String,
}

/// The statement check on the council page.
#[derive(Debug, Clone, Serialize)]
pub struct StatementView {
    /// Its address, when found.
    pub url: Option<String>,
    /// The same, when safe to link.
    pub href: Option<String>,
    /// How it was found, in words.
    pub found_by: String,
    /// The score out of 100 (weighted share of Yes among decided parts).
    pub score: Option<f64>,
    /// For sorting: the score, or -1 when not decided.
    pub sort: f64,
    /// Parts answered Yes.
    pub yes: usize,
    /// Parts decided.
    pub decided: usize,
    /// The answers.
    pub answers: Vec<DutyAnswerView>,
}

/// One page and its Welsh counterpart on the council page.
#[derive(Debug, Clone, Serialize)]
pub struct CounterpartView {
    /// "Home page" or the task's title.
    pub label: String,
    /// The English page.
    pub page: String,
    /// The same, when safe to link.
    pub page_href: Option<String>,
    /// The switch's text, when the page has one.
    pub switch: Option<String>,
    /// The Welsh page.
    pub welsh_url: Option<String>,
    /// The same, when safe to link.
    pub welsh_href: Option<String>,
    /// How it was found, in words.
    pub via: String,
    /// "Yes", "No" or "Cannot tell".
    pub answer: String,
    /// The answer's class.
    pub answer_class: String,
    /// Why.
    pub reason: String,
}

/// The Welsh-language check on the council page.
#[derive(Debug, Clone, Serialize)]
pub struct WelshView {
    /// The score out of 100.
    pub score: Option<f64>,
    /// For sorting: the score, or -1 when not checked.
    pub sort: f64,
    /// The answers.
    pub answers: Vec<DutyAnswerView>,
    /// The home page and each task page with its counterpart.
    pub pages: Vec<CounterpartView>,
    /// English pages sampled.
    pub sampled: u32,
    /// Of those, with a declared Welsh counterpart.
    pub with_counterpart: u32,
}

/// Both duties for one council.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DutiesView {
    /// The statement check; `None` when not run.
    pub statement: Option<StatementView>,
    /// The Welsh check; `None` when not run (not a Welsh council, or no `[welsh]`).
    pub welsh: Option<WelshView>,
}

fn class(v: Verdict) -> &'static str {
    match v {
        Verdict::Yes => "yes",
        Verdict::No => "no",
        Verdict::CantTell => "not-tested",
    }
}

fn answer_view(a: &DutyAnswer) -> DutyAnswerView {
    DutyAnswerView {
        part: a.part.clone(),
        question: a.question.clone(),
        answer: a.verdict.label().into(),
        answer_class: class(a.verdict).into(),
        evidence: a.evidence.clone(),
        evidence_url: a.evidence_url.clone(),
        evidence_href: a.evidence_url.as_deref().and_then(web_href),
        reason: a.reason.clone(),
    }
}

fn score(v: Option<f64>) -> Option<f64> {
    v.map(|v| (v * 1000.0).round() / 10.0)
}

fn found_by(f: FoundBy) -> &'static str {
    match f {
        FoundBy::Link => "linked from the site",
        FoundBy::Path => "at a usual address, not linked from the pages crawled",
        FoundBy::NotFound => "not found",
        FoundBy::Unfetched => "linked, but could not be fetched",
    }
}

fn via(v: Option<Via>) -> &'static str {
    match v {
        Some(Via::Hreflang) => "hreflang=\"cy\"",
        Some(Via::Switch) => "language switch",
        Some(Via::Guess) => "guessed address, checked",
        None => "",
    }
}

fn statement_view(s: &StatementResult) -> StatementView {
    let (yes, decided) = s.tally();
    StatementView {
        url: s.url.clone(),
        href: s.url.as_deref().and_then(web_href),
        found_by: found_by(s.found_by).into(),
        score: score(s.value),
        sort: score(s.value).unwrap_or(-1.0),
        yes,
        decided,
        answers: s.answers.iter().map(answer_view).collect(),
    }
}

fn counterpart_view(c: &Counterpart, ruleset: &Ruleset) -> CounterpartView {
    CounterpartView {
        label: if c.label == "home" {
            "Home page".into()
        } else {
            ruleset
                .task(&c.label)
                .map_or_else(|| c.label.clone(), |t| t.title.clone())
        },
        page: c.page.clone(),
        page_href: web_href(&c.page),
        switch: c.switch.clone(),
        welsh_url: c.welsh_url.clone(),
        welsh_href: c.welsh_url.as_deref().and_then(web_href),
        via: via(c.via).into(),
        answer: c.verdict.label().into(),
        answer_class: class(c.verdict).into(),
        reason: c.reason.clone(),
    }
}

fn welsh_view(w: &WelshResult, ruleset: &Ruleset) -> WelshView {
    WelshView {
        score: score(w.value),
        sort: score(w.value).unwrap_or(-1.0),
        answers: w.answers.iter().map(answer_view).collect(),
        pages: w
            .home
            .iter()
            .chain(&w.tasks)
            .map(|c| counterpart_view(c, ruleset))
            .collect(),
        sampled: w.sampled,
        with_counterpart: w.with_counterpart,
    }
}

/// The duties' view for a council's page and its league-table row.
pub fn duties_view(d: &DigitalIndicators, ruleset: &Ruleset) -> DutiesView {
    DutiesView {
        statement: d.statement.as_ref().map(statement_view),
        welsh: d.welsh.as_ref().map(|w| welsh_view(w, ruleset)),
    }
}

/// A duty's score in a council's league-table row.
#[derive(Debug, Clone, Serialize)]
pub struct DutyScore {
    /// The score out of 100, when decided.
    pub score: Option<f64>,
    /// For sorting: the score, or -1 when not decided.
    pub sort: f64,
}

/// Both duties' scores in a council's league-table row: what the table shows of [`DutiesView`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct LeagueDuties {
    /// The statement's; `None` when not checked.
    pub statement: Option<DutyScore>,
    /// The Welsh pages'; `None` when not checked.
    pub welsh: Option<DutyScore>,
}

/// The duties' scores for a council's league-table row.
pub fn league_duties(d: &DigitalIndicators) -> LeagueDuties {
    let of = |v: Option<f64>| DutyScore {
        score: score(v),
        sort: score(v).unwrap_or(-1.0),
    };
    LeagueDuties {
        statement: d.statement.as_ref().map(|s| of(s.value)),
        welsh: d.welsh.as_ref().map(|w| of(w.value)),
    }
}

/// One question of a duty for one council (`data/duties.csv`).
#[derive(Debug, Clone, Serialize)]
pub struct DutyRow {
    pub site_slug: String,
    pub duty: String,
    pub part: String,
    pub question: String,
    pub answer: String,
    pub evidence: Option<String>,
    pub evidence_url: Option<String>,
    pub reason: String,
}

/// A council's rows of the `duties` table.
pub fn duty_rows(a: &SiteAssessment) -> Vec<DutyRow> {
    let d = &a.digital;
    let statement = d
        .statement
        .iter()
        .flat_map(|s| &s.answers)
        .map(|x| ("statement", x));
    let welsh = d
        .welsh
        .iter()
        .flat_map(|w| &w.answers)
        .map(|x| ("welsh", x));
    statement
        .chain(welsh)
        .map(|(duty, x)| DutyRow {
            site_slug: a.site.slug.clone(),
            duty: duty.into(),
            part: x.part.clone(),
            question: x.question.clone(),
            answer: match x.verdict {
                Verdict::Yes => "yes",
                Verdict::No => "no",
                Verdict::CantTell => "cant_tell",
            }
            .into(),
            evidence: x.evidence.clone(),
            evidence_url: x.evidence_url.clone(),
            reason: x.reason.clone(),
        })
        .collect()
}

fn answer_lines(title: String, list: &[DutyAnswer], out: &mut Vec<String>) {
    out.push(title);
    for a in list {
        out.push(format!(
            "    {:<11} {:<17} {}",
            a.verdict.label(),
            a.part,
            a.reason
        ));
        if let Some(e) = &a.evidence {
            let e: String = e.chars().take(160).collect();
            out.push(format!("{:<34}“{e}”", ""));
        }
    }
}

/// `check`'s lines for the duties, evidence quoted.
pub fn terminal_lines(d: &DigitalIndicators) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = &d.statement {
        let (yes, decided) = s.tally();
        answer_lines(
            format!(
                "  accessibility statement: {} ({yes} of {decided} parts decided are yes){}",
                found_by(s.found_by),
                s.url.as_deref().map_or(String::new(), |u| format!(", {u}"))
            ),
            &s.answers,
            &mut out,
        );
    }
    if let Some(w) = &d.welsh {
        answer_lines(
            format!(
                "  Welsh language: {} of {} sampled pages declare a Welsh counterpart",
                w.with_counterpart, w.sampled
            ),
            &w.answers,
            &mut out,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_out_of_100_and_sort_last_when_untested() {
        assert_eq!(score(Some(0.756)), Some(75.6));
        assert_eq!(score(None), None);
        let v = duties_view(&DigitalIndicators::default(), &crate::ruleset::builtin());
        assert!(v.statement.is_none() && v.welsh.is_none());
    }
}
