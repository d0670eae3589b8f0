//! Welsh-language pages for the demo's Welsh councils, with their truth.
//!
//! The three ways real Welsh councils were seen to do it (`tests/fixtures/welsh/`) give three
//! schemes, chosen by the council's quality:
//!
//! - **full**: a Welsh page under `/cy/` with a translated address for the home page, every page
//!   one click from it and every task page; each declares it with `hreflang="cy"` and links to
//!   it from a "Cymraeg" switch; deeper pages' switches lead to the Welsh home page;
//! - **partial**: a switch on every page, but only the home page and some task pages have a
//!   Welsh page of their own (one of them the English text marked `lang="cy"`, not translated);
//!   the other switches lead to the Welsh home page;
//! - **guess**: only the home page has a switch; some task pages have a Welsh page at the same
//!   address under `/cy/`, linked from nowhere (found only by guessing the address).
//!
//! Welsh pages reuse the English page's furniture with `lang="cy"`, a Welsh title and Welsh
//! text that keeps the English page's phone numbers and e-mail addresses, as a translation does.
//! Draws come from a generator of their own, seeded from the council's slug.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::DemoResponse;
use super::expected::Expected;
use super::render::esc;
use super::statement::slug_seed;

/// Welsh pages a full council gets at most, so a site stays within the crawl's page budget.
const MAX_WELSH_PAGES: usize = 45;

/// The truth about a Welsh council's Welsh-language pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WelshTruth {
    /// `full`, `partial` or `guess`.
    pub scheme: String,
    /// The home page shows a switch that leads to a Welsh page.
    pub home_switch: Expected,
    /// The task pages show a switch to Welsh (at least `min_share` of them).
    pub task_switch: Expected,
    /// Each task (present on the site) and whether its page has a Welsh counterpart in Welsh.
    pub tasks: BTreeMap<String, Expected>,
    /// At least `min_share` of the task pages have one.
    pub task_counterparts: Expected,
    /// At least `min_share` of the English pages one click from home declare one.
    pub share: Expected,
    /// English page → its Welsh page, for every page that has one.
    pub counterparts: BTreeMap<String, String>,
}

/// An English page of the site, as the generator knows it.
pub struct EnPage {
    /// Path (and query).
    pub path: String,
    /// Its title.
    pub title: String,
    /// The task it is the page of, if any.
    pub task: Option<String>,
    /// Clicks from the home page (`None` when no link reaches it).
    pub depth: Option<u32>,
}

fn task_title(task: &str) -> Option<&'static str> {
    Some(match task {
        "report-missed-bin" => "Rhoi gwybod am fin heb ei gasglu",
        "bin-collection-day" => "Dod o hyd i’ch diwrnod casglu biniau",
        "pay-council-tax" => "Talu’r dreth gyngor",
        "council-tax-discount" => "Gostyngiad person sengl ar y dreth gyngor",
        "school-place" => "Gwneud cais am le mewn ysgol",
        "planning-applications" => "Chwilio am gais cynllunio a rhoi sylwadau arno",
        "report-pothole" => "Rhoi gwybod am dwll yn y ffordd",
        "blue-badge" => "Gwneud cais am Fathodyn Glas",
        "housing-benefit" => "Gwneud cais am fudd-dal tai neu ostyngiad treth gyngor",
        "find-councillor" => "Dod o hyd i’ch cynghorydd",
        "register-to-vote" => "Cofrestru i bleidleisio",
        "parking-fine" => "Talu dirwy parcio",
        "renew-library-book" => "Adnewyddu llyfr llyfrgell",
        "bulky-waste" => "Trefnu casgliad gwastraff swmpus",
        "fly-tipping" => "Rhoi gwybod am dipio anghyfreithlon",
        "bus-pass" => "Gwneud cais am bàs bws",
        "jobs" => "Swyddi gwag y cyngor",
        _ => return None,
    })
}

/// A Welsh title for a page that is not a task page: a few common words, else a numbered page.
fn page_title(title: &str, n: usize) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("contact", "Cysylltu â ni"),
        ("privacy", "Hysbysiad preifatrwydd"),
        ("cookie", "Cwcis"),
        ("accessibility", "Datganiad hygyrchedd"),
        ("news", "Newyddion"),
        ("account", "Fy nghyfrif"),
        ("bin", "Biniau ac ailgylchu"),
        ("council tax", "Y dreth gyngor"),
        ("parking", "Parcio"),
        ("planning", "Cynllunio"),
        ("school", "Ysgolion"),
        ("librar", "Llyfrgelloedd"),
        ("housing", "Tai"),
        ("job", "Swyddi"),
        ("election", "Etholiadau"),
        ("road", "Ffyrdd a thrafnidiaeth"),
        ("benefit", "Budd-daliadau"),
        ("service", "Gwasanaethau"),
    ];
    let lower = title.to_lowercase();
    let base = WORDS
        .iter()
        .find(|(en, _)| lower.contains(en))
        .map_or("Gwybodaeth", |(_, cy)| cy);
    format!("{base} ({n})")
}

static ANCHORS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b0\d{3} ?\d{3} ?\d{4}\b").expect("static regex")
});
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("static regex"));
static HTML_OPEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<html[^>]*>").expect("static regex"));
static TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<title>.*?</title>").expect("static regex"));
static H1: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<h1[^>]*>.*?</h1>").expect("static regex"));
static MAIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)(<main[^>]*>).*?(</main>)").expect("static regex"));

const SENTENCES: &[&str] = &[
    "Mae’r dudalen hon yn esbonio beth sydd angen i chi ei wneud a sut i gysylltu â ni.",
    "Gallwch wneud hyn ar-lein, ar y ffôn neu drwy ymweld â’n canolfan gyswllt.",
    "Os oes angen help arnoch, cysylltwch â ni a byddwn yn ymateb cyn gynted â phosibl.",
    "Bydd angen i chi roi eich enw a’ch cyfeiriad pan fyddwch yn cysylltu â ni.",
    "Rhaid i chi gwblhau’r ffurflen gais cyn y gallwn ystyried eich cais.",
    "Rydym yn croesawu gohebiaeth yn Gymraeg ac ni fydd gohebu yn Gymraeg yn arwain at oedi.",
];

/// The English page's main content text, for its numbers and addresses.
fn main_text(html: &str) -> String {
    MAIN.captures(html)
        .and_then(|c| c.get(0))
        .map(|m| TAG.replace_all(m.as_str(), " ").into_owned())
        .unwrap_or_default()
}

/// The Welsh page made from an English page's HTML: the same furniture, `lang="cy"`, a Welsh
/// title and Welsh text keeping the English page's phone numbers and e-mail addresses. With
/// `translated` false only the title and heading are Welsh and the text stays English under
/// `lang="cy"`. `None` when the page has no `<main>` to translate.
fn welsh_html(
    english: &str,
    title: &str,
    translated: bool,
    rng: &mut ChaCha8Rng,
) -> Option<String> {
    let caps = MAIN.captures(english)?;
    let open = caps.get(1)?.as_str();
    let mut html = HTML_OPEN
        .replace(english, "<html lang=\"cy\">")
        .into_owned();
    let council = TITLE
        .find(english)
        .map(|m| {
            let t = TAG.replace_all(m.as_str(), "").into_owned();
            t.rsplit([':', '-', '|'])
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .unwrap_or_default();
    html = TITLE
        .replace(
            &html,
            format!("<title>{} - {}</title>", esc(title), esc(&council)).as_str(),
        )
        .into_owned();
    if !translated {
        // Only the headings were translated; the text is still English.
        return Some(
            H1.replace(&html, format!("<h1>{}</h1>", esc(title)).as_str())
                .into_owned(),
        );
    }
    let anchors: BTreeSet<String> = ANCHORS
        .find_iter(&main_text(english))
        .map(|m| m.as_str().to_string())
        .collect();
    let mut sentences: Vec<&str> = SENTENCES.to_vec();
    sentences.shuffle(rng);
    let mut body = format!("<h1>{}</h1>\n", esc(title));
    for s in sentences.iter().take(4) {
        body.push_str(&format!("<p>{s}</p>\n"));
    }
    if !anchors.is_empty() {
        let list: Vec<String> = anchors.iter().map(|a| esc(a)).collect();
        body.push_str(&format!("<p>Manylion cyswllt: {}.</p>\n", list.join(", ")));
    }
    let main = format!("{open}\n{body}</main>");
    Some(MAIN.replace(&html, main.as_str()).into_owned())
}

/// Adds the switch and, when `hreflang`, the head declaration to an English page.
fn declare(html: &str, target: &str, hreflang: bool) -> String {
    let mut out = html.to_string();
    if hreflang {
        out = out.replacen(
            "</head>",
            &format!(
                "<link rel=\"alternate\" hreflang=\"cy\" href=\"{}\">\n</head>",
                esc(target)
            ),
            1,
        );
    }
    out.replacen(
        "<body>\n",
        &format!(
            "<body>\n<p class=\"language\"><a href=\"{}\" lang=\"cy\" hreflang=\"cy\">Cymraeg</a></p>\n",
            esc(target)
        ),
        1,
    )
}

fn translated_path(title: &str) -> String {
    let slug: String = title
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'â' => 'a',
            'ê' => 'e',
            'î' => 'i',
            'ô' => 'o',
            'û' => 'u',
            'ŵ' => 'w',
            'ŷ' => 'y',
            'à' => 'a',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("/cy/{slug}")
}

/// Adds Welsh pages to a Welsh council's site and returns their truth. `min_share` is the share
/// of pages the ruleset needs for a yes.
pub fn add(
    raw: &mut BTreeMap<String, DemoResponse>,
    slug: &str,
    quality: f64,
    pages: &[EnPage],
    min_share: f64,
) -> WelshTruth {
    let mut rng = ChaCha8Rng::seed_from_u64(slug_seed(slug, 0xC7));
    let scheme = if quality >= 0.69 {
        "full"
    } else if quality >= 0.58 {
        "partial"
    } else {
        "guess"
    };
    let html_of = |raw: &BTreeMap<String, DemoResponse>, p: &str| {
        raw.get(p)
            .filter(|r| r.status == 200 && r.content_type.starts_with("text/html"))
            .map(|r| r.body.clone())
    };
    let has_main = |raw: &BTreeMap<String, DemoResponse>, p: &str| {
        html_of(raw, p).is_some_and(|h| MAIN.is_match(&h))
    };
    let tasks: Vec<&EnPage> = pages.iter().filter(|p| p.task.is_some()).collect();
    // The pages that get a Welsh page of their own, and whether it is translated.
    let mut own: BTreeMap<String, bool> = BTreeMap::new();
    own.insert("/".into(), true);
    match scheme {
        "full" => {
            for p in &tasks {
                own.insert(p.path.clone(), true);
            }
            for p in pages.iter().filter(|p| p.depth == Some(1)) {
                if own.len() >= MAX_WELSH_PAGES {
                    break;
                }
                own.insert(p.path.clone(), true);
            }
        }
        _ => {
            let mut chosen: Vec<&&EnPage> = tasks.iter().collect();
            chosen.shuffle(&mut rng);
            let keep = (chosen.len() as f64 * rng.random_range(0.45..0.75)).round() as usize;
            for (i, p) in chosen.iter().take(keep).enumerate() {
                // In the partial scheme one Welsh page is the English text, not translated.
                own.insert(p.path.clone(), !(scheme == "partial" && i == 0));
            }
        }
    }
    own.retain(|p, _| has_main(raw, p));

    let mut counterparts: BTreeMap<String, String> = BTreeMap::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (n, (path, translated)) in own.iter().enumerate() {
        let page = pages.iter().find(|p| &p.path == path);
        let title = if path == "/" {
            "Hafan".to_string()
        } else if let Some(t) = page.and_then(|p| p.task.as_deref()).and_then(task_title) {
            t.to_string()
        } else {
            page_title(page.map_or("", |p| p.title.as_str()), n)
        };
        let welsh_path = if path == "/" {
            "/cy".to_string()
        } else if scheme == "guess" {
            format!("/cy{path}")
        } else {
            let mut p = translated_path(&title);
            while !used.insert(p.clone()) {
                p.push('-');
                p.push_str(&n.to_string());
            }
            p
        };
        let Some(english) = html_of(raw, path) else {
            continue;
        };
        let Some(html) = welsh_html(&english, &title, *translated, &mut rng) else {
            continue;
        };
        raw.insert(welsh_path.clone(), DemoResponse::html(html));
        counterparts.insert(path.clone(), welsh_path);
    }

    // Declarations on the English pages.
    let english_paths: Vec<String> = pages
        .iter()
        .filter(|p| html_of(raw, &p.path).is_some())
        .map(|p| p.path.clone())
        .collect();
    for path in &english_paths {
        let own_page = counterparts.get(path);
        let (target, hreflang) = match (scheme, own_page) {
            ("full", Some(cy)) => (cy.clone(), true),
            ("partial", Some(cy)) => (cy.clone(), false),
            ("full" | "partial", None) => ("/cy".to_string(), false),
            ("guess", _) if path == "/" => ("/cy".to_string(), false),
            _ => continue,
        };
        if let Some(r) = raw.get_mut(path) {
            r.body = declare(&r.body, &target, hreflang);
        }
    }

    // The truth.
    let yes = |b: bool| Expected::from_bool(b);
    let by_share = |n: usize, of: usize| yes(of > 0 && n as f64 >= min_share * of as f64);
    let translated = |p: &str| own.get(p).copied().unwrap_or(false) && counterparts.contains_key(p);
    let task_truth: BTreeMap<String, Expected> = tasks
        .iter()
        .filter_map(|p| p.task.clone().map(|t| (t, yes(translated(&p.path)))))
        .collect();
    let with = task_truth.values().filter(|e| **e == Expected::Yes).count();
    let switches = if scheme == "guess" { 0 } else { tasks.len() };
    let near: Vec<&String> = pages
        .iter()
        .filter(|p| p.depth.is_some_and(|d| d <= 1) && english_paths.contains(&p.path))
        .map(|p| &p.path)
        .collect();
    let declared = near
        .iter()
        .filter(|p| p.as_str() == "/" || translated(p))
        .count();
    WelshTruth {
        scheme: scheme.to_string(),
        home_switch: yes(counterparts.contains_key("/")),
        task_switch: by_share(switches, tasks.len()),
        task_counterparts: by_share(with, task_truth.len()),
        share: by_share(declared, near.len()),
        tasks: task_truth,
        counterparts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_welsh_page_keeps_numbers_and_gets_lang_cy() {
        let en = "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head><title>Bins - Penddu Council</title></head>\n<body>\n<main id=\"main\"><h1>Bins</h1><p>Call 0300 555 0100 or email bins@penddu.gov.uk.</p></main></body></html>";
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let cy = welsh_html(en, "Biniau", true, &mut rng).unwrap();
        assert!(cy.contains("<html lang=\"cy\">"));
        assert!(cy.contains("<title>Biniau - Penddu Council</title>"));
        assert!(cy.contains("0300 555 0100") && cy.contains("bins@penddu.gov.uk"));
        assert!(!cy.contains("Call "));
        let declared = declare(en, "/cy/biniau", true);
        assert!(declared.contains("hreflang=\"cy\" href=\"/cy/biniau\">\n</head>"));
        assert!(
            declared.contains("<a href=\"/cy/biniau\" lang=\"cy\" hreflang=\"cy\">Cymraeg</a>")
        );
        assert_eq!(
            translated_path("Talu’r dreth gyngor"),
            "/cy/talu-r-dreth-gyngor"
        );
    }
}
