//! Out-of-date content: a review date older than the ruleset's threshold ("Last reviewed: March
//! 2019"), or a financial year that ended before it ("2019/20 charges").
//!
//! Only dates introduced by a freshness marker are read, and financial years wherever they are:
//! a page may rightly cite an old Act or the date a scheme began.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        ^[\s:\-–—]*(?:on\s+)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?
        (?:
          (?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?P<y>(?:19|20)\d{2})
        | (?P<m2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+)?(?P<y2>(?:19|20)\d{2})
        | (?P<d3>\d{1,2})[/.](?P<m3>\d{1,2})[/.](?P<y3>(?:19|20)\d{2})
        | (?P<y4>(?:19|20)\d{2})-(?P<m4>\d{2})-(?P<d4>\d{2})
        | (?P<y5>(?:19|20)\d{2})\b
        )",
    )
    .expect("static regex")
});

static FINANCIAL_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(20\d{2})\s?[/–-]\s?(20\d{2}|\d{2})\b").expect("static regex"));

fn month_number(name: &str) -> Option<i8> {
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| lower.starts_with(m))
        .and_then(|i| i8::try_from(i + 1).ok())
}

/// The latest day a written date can mean ("March 2019" is 31 March 2019), when it is valid.
fn date_at(text: &str) -> Option<(Date, usize)> {
    let c = DATE.captures(text)?;
    let end = c.get(0)?.end();
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i16>().ok());
    let (y, m, d) = if let Some(y) = num("y") {
        (y, month_number(c.name("m")?.as_str())?, num("d"))
    } else if let Some(y) = num("y2") {
        (y, month_number(c.name("m2")?.as_str())?, num("d2"))
    } else if let Some(y) = num("y3") {
        (y, i8::try_from(num("m3")?).ok()?, num("d3"))
    } else if let Some(y) = num("y4") {
        (y, i8::try_from(num("m4")?).ok()?, num("d4"))
    } else {
        (num("y5")?, 12, None)
    };
    let first = Date::new(y, m, 1).ok()?;
    let date = match d {
        Some(d) => Date::new(y, m, i8::try_from(d).ok()?).ok()?,
        None => first.last_of_month(),
    };
    Some((date, end))
}

/// The cut-off: content dated before it is out of date.
pub(crate) fn cutoff(today: Date, months: u32) -> Date {
    today
        .checked_sub(jiff::Span::new().months(i64::from(months)))
        .unwrap_or(today)
}

/// The first out-of-date evidence in a text, quoted, if any.
pub(crate) fn stale_evidence(text: &str, markers: &[Regex], cutoff: Date) -> Option<String> {
    for marker in markers {
        for m in marker.find_iter(text) {
            let rest = &text[m.end()..];
            if let Some((date, len)) = date_at(rest)
                && date < cutoff
            {
                return Some(format!("\"{}{}\"", m.as_str(), &rest[..len]));
            }
        }
    }
    for c in FINANCIAL_YEAR.captures_iter(text) {
        let (Some(a), Some(b)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let (Ok(start), Ok(end)) = (a.as_str().parse::<i16>(), b.as_str().parse::<i16>()) else {
            continue;
        };
        // "2019/20" and "2019-2020" are financial years; "2011-2031" is a plan period.
        let follows = if b.as_str().len() == 2 {
            end == (start + 1) % 100
        } else {
            end == start + 1
        };
        if !follows {
            continue;
        }
        // A financial year ends on 31 March of its second year.
        if let Ok(ends) = Date::new(start + 1, 3, 31)
            && ends < cutoff
        {
            return c
                .get(0)
                .map(|m| format!("the financial year \"{}\"", m.as_str()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markers() -> Vec<Regex> {
        vec![Regex::new(r"(?i)\blast (reviewed|updated)\b").unwrap()]
    }

    fn stale(text: &str) -> Option<String> {
        stale_evidence(
            text,
            &markers(),
            cutoff(Date::new(2026, 11, 24).unwrap(), 24),
        )
    }

    #[test]
    fn flags_old_review_dates_in_every_common_form() {
        assert!(stale("Page last reviewed: 3 March 2019").is_some());
        assert!(stale("Last updated March 2019.").is_some());
        assert!(stale("Last updated on 12/05/2020").is_some());
        assert!(stale("Last reviewed 2020-01-31").is_some());
        assert!(stale("Last reviewed: 2018").is_some());
    }

    #[test]
    fn passes_recent_review_dates() {
        assert_eq!(stale("Last reviewed: 1 October 2026"), None);
        assert_eq!(stale("Last updated December 2024"), None);
    }

    #[test]
    fn flags_old_financial_years_but_not_plan_periods_or_acts() {
        assert_eq!(
            stale("See the 2019/20 charges").as_deref(),
            Some("the financial year \"2019/20\"")
        );
        assert!(stale("Charges for 2023-2024").is_some());
        assert_eq!(stale("Charges for 2025/26"), None);
        assert_eq!(
            stale("The Local Plan 2011-2031 and the Planning Act 1990"),
            None
        );
    }
}
