//! Accessibility statements for the demo councils, of varying quality, with their truth.
//!
//! The variety is drawn from the real council statements in `tests/fixtures/statements/`: the
//! GOV.UK model filled in properly; a model whose contact details were lost ("If you need
//! information … in a different format:" followed by nothing); an aim instead of a status ("we
//! aim to meet WCAG 2.2"); "most of our site conforms"; an old statement against WCAG 2.0; a
//! problem list with no reasons; a Northern Ireland council that kept the model's EHRC paragraph;
//! a statement last reviewed years ago; testing described, or only what was not tested; and a
//! statement at `/accessibility` that nothing links to. The wording is the generator's own, in
//! the councils' manner; each part's truth is recorded as the page is written.
//!
//! Draws come from a generator of their own, seeded from the council's slug, so adding the
//! statement never changes the rest of a site.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::expected::Expected;
use super::render::Block;
use crate::sites::{CouncilType, Site};

/// The months within which a statement counts as reviewed (the model asks for a yearly review).
const FRESH_MONTHS: i64 = 12;

/// The truth about a council's accessibility statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementTruth {
    /// Where it is; `None` when the council publishes none.
    pub path: Option<String>,
    /// Linked from every page's footer.
    pub linked: bool,
    /// The true answer for each part (ids as the ruleset's `[statement]` weights name them).
    pub parts: BTreeMap<String, Expected>,
}

/// A statement page to add to a site.
pub struct StatementPage {
    /// Its path.
    pub path: String,
    /// Its title and heading.
    pub title: String,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A seed from a council's slug (FNV-1a), so each council's statement is its own.
pub(super) fn slug_seed(slug: &str, salt: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt;
    for b in slug.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn date_text(rng: &mut ChaCha8Rng, d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS[(d.month() - 1) as usize];
    match rng.random_range(0..3) {
        0 => format!("{} {month} {}", d.day(), d.year()),
        1 => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        _ => {
            let suffix = match d.day() {
                1 | 21 | 31 => "st",
                2 | 22 => "nd",
                3 | 23 => "rd",
                _ => "th",
            };
            format!("{}{suffix} {month} {}", d.day(), d.year())
        }
    }
}

fn one(rng: &mut ChaCha8Rng, options: Vec<String>) -> String {
    options.choose(rng).cloned().unwrap_or_default()
}

fn chance(p: f64, rng: &mut ChaCha8Rng) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

fn days_ago(today: Date, days: i64) -> Date {
    today
        .checked_sub(jiff::Span::new().days(days))
        .unwrap_or(today)
}

/// Draws a council's statement. `linked` says whether the site's footer links to
/// `/accessibility-statement` (the generator decided that already); an unlinked council may
/// still publish one at `/accessibility`.
pub fn draw(
    site: &Site,
    quality: f64,
    linked: bool,
    today: Date,
) -> (Option<StatementPage>, StatementTruth) {
    let mut rng = ChaCha8Rng::seed_from_u64(slug_seed(&site.slug, 0x5747));
    let mut parts: BTreeMap<String, Expected> = BTreeMap::new();
    let set = |parts: &mut BTreeMap<String, Expected>, part: &str, yes: bool| {
        parts.insert(part.to_string(), Expected::from_bool(yes));
    };
    let path = if linked {
        Some("/accessibility-statement".to_string())
    } else if chance(0.5, &mut rng) {
        Some("/accessibility".to_string())
    } else {
        None
    };
    let Some(path) = path else {
        for p in PARTS {
            set(&mut parts, p, false);
        }
        return (
            None,
            StatementTruth {
                path: None,
                linked: false,
                parts,
            },
        );
    };
    set(&mut parts, "found", true);
    let q = quality;
    let host = site
        .homepage
        .host_str()
        .unwrap_or("example.gov.uk")
        .to_string();
    let email = format!("web@{host}");
    let name = site.name.clone();
    let ni = site.council_type == CouncilType::NI;
    let mut b: Vec<Block> = Vec::new();
    let para = |s: String| Block::Para(s);

    b.push(para(format!(
        "This accessibility statement applies to {host}. This website is run by {name}. We want as many people as possible to be able to use this website."
    )));

    // Compliance status, and the non-accessible content that goes with it.
    b.push(Block::Heading("How accessible this website is".into()));
    let status = rng.random_range(0.0..1.0) * 0.6 + q * 0.4;
    let fully = status > 0.78 && chance(0.4, &mut rng);
    let status_text: (String, bool) = if fully {
        (
            "This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard.".into(),
            true,
        )
    } else if status > 0.45 {
        let version = if chance(0.5, &mut rng) { "2.2" } else { "2.1" };
        let form = one(
            &mut rng,
            vec![
                format!(
                    "This website is partially compliant with the Web Content Accessibility Guidelines version {version} AA standard, due to the non-compliances listed below."
                ),
                format!(
                    "This website is partially compliant with the Web Content Accessibility Guidelines (WCAG) {version} AA standard, due to the exemptions and non-compliances listed below."
                ),
                format!(
                    "This website is not fully compliant with the Web Content Accessibility Guidelines version {version} AA standard. The content that is not accessible is outlined below."
                ),
            ],
        );
        (form, true)
    } else {
        let text = one(
            &mut rng,
            vec![
                "We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at AA level.".into(),
                "Most of our site is accessible and it conforms with WCAG 2.1 AA standard.".into(),
                "This website is partially compliant with the Web Content Accessibility Guidelines version 2.0 AA standard.".into(),
                "We are working hard to make this website accessible to everyone.".into(),
            ],
        );
        (text, false)
    };
    b.push(Block::Heading("Compliance status".into()));
    b.push(para(status_text.0.clone()));
    set(&mut parts, "status", status_text.1);

    b.push(Block::Heading("Non-accessible content".into()));
    let reasons = !fully && chance(0.3 + 0.6 * q, &mut rng);
    if reasons {
        let choices = [
            "Some images do not have a text alternative, so people using a screen reader cannot access the information. This fails WCAG 2.2 success criterion 1.1.1 (non-text content).".to_string(),
            "Some of our online forms do not tell you which fields are required. This fails WCAG 2.1 success criterion 3.3.2 (labels or instructions).".to_string(),
            "We have thousands of older PDF documents. We have assessed the cost of fixing them and believe that doing so now would be a disproportionate burden within the meaning of the accessibility regulations.".to_string(),
            "Many of our older PDF and Word documents do not meet accessibility standards. The accessibility regulations do not require us to fix PDFs or other documents published before 23 September 2018 if they are not essential to providing our services.".to_string(),
        ];
        b.push(para(choices.choose(&mut rng).expect("non-empty").clone()));
    } else if !fully {
        b.push(para("We know some parts of this website are not fully accessible: most older PDF documents are not fully accessible to screen reader software, and live video streams do not have captions.".into()));
    }
    set(&mut parts, "non-accessible", fully || reasons);

    // Asking for another format.
    b.push(Block::Heading("Feedback and contact information".into()));
    let format = chance(0.3 + 0.6 * q, &mut rng);
    if format {
        let text = one(
            &mut rng,
            vec![
            format!("If you need information on this website in a different format like accessible PDF, large print, easy read, audio recording or braille, email {email} or call 0300 555 0100. We’ll consider your request and get back to you in 5 working days."),
            "Information on this website is available in different formats, including large print, easy read and braille. If you would like one of these formats, please contact our customer service centre on 0300 555 0100.".to_string(),
        ],
    );
        b.push(para(text.clone()));
    } else if chance(0.6, &mut rng) {
        // The model's sentence with its contact list lost, as many real statements have it.
        b.push(para("If you need information on this website in a different format like accessible PDF, large print, easy read, audio recording or braille:".into()));
        b.push(para(
            "We’ll consider your request and get back to you in 10 working days.".into(),
        ));
    }
    set(&mut parts, "format-request", format);

    // Reporting a problem.
    b.push(Block::Heading(
        "Reporting accessibility problems with this website".into(),
    ));
    let report = chance(0.35 + 0.6 * q, &mut rng);
    if report {
        let text = one(
        &mut rng,
        vec![
            format!("We’re always looking to improve the accessibility of this website. If you find any problems not listed on this page or think we’re not meeting accessibility requirements, contact {email}."),
            "If you find an accessibility problem that is not listed here, please tell us using our website feedback form and we will look into it.".to_string(),
        ],
    );
        b.push(para(text.clone()));
    } else {
        b.push(para(
            "We’re always looking to improve the accessibility of this website.".into(),
        ));
    }
    set(&mut parts, "report-problem", report);

    // The enforcement procedure: the EHRC in Great Britain, the ECNI in Northern Ireland.
    let enforcement = chance(0.3 + 0.6 * q, &mut rng);
    let mut enforcement_right = false;
    if enforcement {
        b.push(Block::Heading("Enforcement procedure".into()));
        let ecni = ni && chance(0.6, &mut rng);
        if ecni {
            b.push(para("The Equality Commission for Northern Ireland (ECNI) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the ‘accessibility regulations’). If you’re not happy with how we respond to your complaint, contact the Equality Commission for Northern Ireland.".into()));
        } else {
            b.push(para("The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the ‘accessibility regulations’). If you’re not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).".into()));
        }
        enforcement_right = ni == ecni;
    }
    set(&mut parts, "enforcement", enforcement_right);

    // How it was tested.
    b.push(Block::Heading("How we tested this website".into()));
    let tested = chance(0.25 + 0.6 * q, &mut rng);
    let test_day = days_ago(today, rng.random_range(20..400));
    if tested {
        let when = date_text(&mut rng, test_day);
        let text = one(
            &mut rng,
            vec![
                format!(
                    "This website was last tested on {when}. The test was carried out by {name}’s web team using automated and manual checks."
                ),
                format!(
                    "We tested a sample of 40 pages on {when} with an automated checker, and checked the main journeys with a screen reader."
                ),
            ],
        );
        b.push(para(text.clone()));
    } else if chance(0.5, &mut rng) {
        b.push(para("We haven’t done extensive testing with screen reader technologies or speech recognition software yet.".into()));
    }
    set(&mut parts, "testing", tested);

    // Preparation and review dates.
    b.push(Block::Heading(
        "Preparation of this accessibility statement".into(),
    ));
    let prepared = chance(0.35 + 0.55 * q, &mut rng);
    let prepared_day = days_ago(today, rng.random_range(400..2200));
    let reviewed = chance(0.3 + 0.6 * q, &mut rng);
    let fresh_review = chance(0.25 + 0.7 * q, &mut rng);
    let reviewed_day = if fresh_review {
        days_ago(today, rng.random_range(10..300))
    } else {
        days_ago(today, rng.random_range(420..1500))
    };
    let mut sentences = Vec::new();
    if prepared {
        sentences.push(format!(
            "This statement was prepared on {}.",
            date_text(&mut rng, prepared_day)
        ));
    }
    if reviewed {
        sentences.push(format!(
            "It was last reviewed on {}.",
            date_text(&mut rng, reviewed_day)
        ));
    }
    if !sentences.is_empty() {
        b.push(para(sentences.join(" ")));
    }
    set(&mut parts, "prepared", prepared);
    let cutoff = today
        .checked_sub(jiff::Span::new().months(FRESH_MONTHS))
        .unwrap_or(today);
    let latest = [
        prepared.then_some(prepared_day),
        reviewed.then_some(reviewed_day),
    ]
    .into_iter()
    .flatten()
    .max();
    set(&mut parts, "reviewed", latest.is_some_and(|d| d >= cutoff));

    (
        Some(StatementPage {
            path: path.clone(),
            title: "Accessibility statement".into(),
            blocks: b,
        }),
        StatementTruth {
            path: Some(path),
            linked,
            parts,
        },
    )
}

/// The statement parts, in the report's order.
const PARTS: [&str; 9] = [
    "found",
    "status",
    "non-accessible",
    "format-request",
    "report-problem",
    "enforcement",
    "prepared",
    "reviewed",
    "testing",
];

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn site(slug: &str, t: CouncilType) -> Site {
        Site::new(
            slug,
            "Test Council",
            t,
            Url::parse("http://t.demo.invalid/").unwrap(),
        )
    }

    #[test]
    fn statements_vary_and_every_part_has_a_truth() {
        let today = Date::new(2026, 11, 24).unwrap();
        let mut yes = BTreeMap::<String, u32>::new();
        let mut no = BTreeMap::<String, u32>::new();
        for i in 0..200 {
            let t = CouncilType::ALL[i % 8];
            let (page, truth) = draw(
                &site(&format!("c{i}"), t),
                (i % 10) as f64 / 10.0,
                i % 3 != 0,
                today,
            );
            assert_eq!(truth.parts.len(), PARTS.len());
            assert_eq!(page.is_some(), truth.path.is_some());
            for (p, e) in &truth.parts {
                let m = if *e == Expected::Yes {
                    &mut yes
                } else {
                    &mut no
                };
                *m.entry(p.clone()).or_default() += 1;
            }
        }
        for p in PARTS {
            assert!(yes.get(p).copied().unwrap_or(0) >= 10, "{p} yes: {yes:?}");
            assert!(no.get(p).copied().unwrap_or(0) >= 10, "{p} no: {no:?}");
        }
    }
}
