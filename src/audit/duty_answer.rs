//! What a legal-duty check answers with: a [`Verdict`] per question in a [`DutyAnswer`], with the
//! words on the page that show it, and the weighted value of a set of answers. The text helpers
//! that find and quote that evidence live here too, so the checks ([`super::statement`],
//! [`super::welsh`]) and what runs them ([`super::duties`]) all draw on one file and none on
//! another's.

use serde::{Deserialize, Serialize};
use url::Url;

use super::{PageRecord, SiteFacts};

/// An answer to one of a duty's questions. "Cannot tell" is never counted as a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Yes.
    Yes,
    /// No.
    No,
    /// The pages do not say either way (cut off, unreadable, not fetched); left out of the score.
    CantTell,
}

impl Verdict {
    /// "Yes", "No" or "Cannot tell".
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Yes => "Yes",
            Verdict::No => "No",
            Verdict::CantTell => "Cannot tell",
        }
    }

    fn from_bool(b: bool) -> Verdict {
        if b { Verdict::Yes } else { Verdict::No }
    }
}

impl From<bool> for Verdict {
    fn from(b: bool) -> Verdict {
        Verdict::from_bool(b)
    }
}

/// One question of a duty, answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DutyAnswer {
    /// The part's id (`status`, `home-switch`, …).
    pub part: String,
    /// The question as a reviewer would ask it.
    pub question: String,
    /// The answer.
    pub verdict: Verdict,
    /// The words on the page that show it, quoted, when there are any.
    pub evidence: Option<String>,
    /// The page they are on.
    pub evidence_url: Option<String>,
    /// Why, in a sentence.
    pub reason: String,
}

/// The weighted share of Yes among the answers that were decided (Yes or No); `None` when none
/// was. Parts without a weight count 1.
pub fn weighted_value(
    answers: &[DutyAnswer],
    weights: &std::collections::BTreeMap<String, f64>,
) -> Option<f64> {
    let (mut yes, mut all) = (0.0, 0.0);
    for a in answers {
        let w = weights.get(&a.part).copied().unwrap_or(1.0);
        match a.verdict {
            Verdict::Yes => {
                yes += w;
                all += w;
            }
            Verdict::No => all += w,
            Verdict::CantTell => {}
        }
    }
    (all > 0.0).then(|| yes / all)
}

/// Quotes the sentence of `text` around `start..end`, trimmed to about `max` characters, for
/// evidence. Sentences end at ". ", "! " or "? " (not at the dots inside addresses and numbers).
pub fn quote(text: &str, start: usize, end: usize, max: usize) -> String {
    let begin = sentence_start(text, start);
    let finish = sentence_end(text, end);
    let mut s = text[begin..finish].trim();
    if s.len() > max {
        // Keep the match in view: cut from the left when it sits late in a long sentence.
        let rel = start.saturating_sub(begin);
        let from = if rel > max / 2 {
            floor_char(s, rel - max / 3)
        } else {
            0
        };
        let to = floor_char(s, (from + max).min(s.len()));
        let cut = &s[from..to];
        return format!(
            "{}{}{}",
            if from > 0 { "…" } else { "" },
            cut.trim(),
            if to < s.len() { "…" } else { "" }
        );
    }
    if s.is_empty() {
        s = text[start..end].trim();
    }
    s.to_string()
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The byte offset where the sentence containing `at` starts.
pub fn sentence_start(text: &str, at: usize) -> usize {
    let at = floor_char(text, at.min(text.len()));
    let head = &text[..at];
    let mut best = 0;
    for (i, c) in head.char_indices() {
        if matches!(c, '.' | '!' | '?')
            && head[i + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(char::is_whitespace)
        {
            best = i + c.len_utf8();
        }
    }
    best
}

/// The byte offset where the sentence containing `at` ends (after its full stop).
pub fn sentence_end(text: &str, at: usize) -> usize {
    let at = floor_char(text, at.min(text.len()));
    let tail = &text[at..];
    let mut chars = tail.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|(_, n)| n.is_whitespace()) {
            return at + i + c.len_utf8();
        }
    }
    text.len()
}

/// The facts of a fetched page, looked up among the crawl's pages and the extra fetches by the
/// address asked for or the one it ended at.
pub fn find_record<'a>(
    site: &'a SiteFacts,
    extra: &'a [PageRecord],
    url: &Url,
) -> Option<&'a PageRecord> {
    let key = strip_fragment(url);
    site.pages
        .iter()
        .chain(extra.iter())
        .find(|r| strip_fragment(&r.page.url) == key || strip_fragment(&r.page.final_url) == key)
}

fn strip_fragment(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    let s = u.to_string();
    s.strip_suffix('/').map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_the_whole_sentence_around_a_match() {
        let text = "Feedback. Email us at web@x.gov.uk or call 01234 567890. We reply in 5 days.";
        let at = text.find("web@").unwrap();
        assert_eq!(
            quote(text, at, at + 4, 200),
            "Email us at web@x.gov.uk or call 01234 567890."
        );
    }

    #[test]
    fn weighs_only_decided_answers() {
        let a = |part: &str, verdict| DutyAnswer {
            part: part.into(),
            question: String::new(),
            verdict,
            evidence: None,
            evidence_url: None,
            reason: String::new(),
        };
        let weights = [("status".to_string(), 3.0)].into_iter().collect();
        let answers = [
            a("status", Verdict::Yes),
            a("testing", Verdict::No),
            a("prepared", Verdict::CantTell),
        ];
        assert_eq!(weighted_value(&answers, &weights), Some(0.75));
        assert_eq!(weighted_value(&answers[2..], &weights), None);
    }
}
