//! Task completion, service coverage and digital-first indicators on small fixture sites: a good
//! and a poor council site of each type, written by hand under `tests/fixtures/tasks/`.
//!
//! The sites are "crawled" in memory: pages are read from the fixture folder breadth-first from
//! the home page, as the crawler would fetch them (depth and referrer recorded), and the site's
//! own search is run through the search requests the tasks stage asks for. No network is used.

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

use civicscan::audit::tasks::{self, Answer, QuestionAnswer, TaskResult};
use civicscan::audit::{PageRecord, SearchRecord, SiteFacts, coverage, digital};
use civicscan::crawl::{Page, PageKind};
use civicscan::page::ParsedPage;
use civicscan::ruleset::{self, Ruleset};
use civicscan::sites::{CouncilType, Site};
use jiff::civil::Date;
use url::Url;

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tasks")
        .join(name)
}

/// The fixture file behind a URL: `/` is `index.html`, `/a/b` is `a/b.html`, and a search
/// `/search?q=pay+council+tax` is `search/pay-council-tax.html`.
fn fixture_file(dir: &Path, url: &Url) -> PathBuf {
    let mut path = url.path().trim_matches('/').to_string();
    if path.is_empty() {
        path = "index".to_string();
    }
    // The search term is the last query value (hidden fields come first in these forms).
    if let Some((_, term)) = url.query_pairs().last() {
        path = format!("{path}/{}", term.replace(' ', "-").replace('\'', ""));
    }
    dir.join(format!("{path}.html"))
}

fn record(dir: &Path, url: &Url, depth: u32, referrer: Option<(&Url, &str)>) -> PageRecord {
    let file = fixture_file(dir, url);
    let document = url.path().ends_with(".pdf");
    let html = if document {
        None
    } else {
        std::fs::read_to_string(&file).ok()
    };
    let status = if document || html.is_some() { 200 } else { 404 };
    let kind = match (&html, document) {
        (Some(_), _) => PageKind::Html,
        (None, true) => PageKind::Document,
        _ => PageKind::Other,
    };
    let facts = html
        .as_deref()
        .map(|h| ParsedPage::parse(url.clone(), h).facts());
    PageRecord {
        page: Page {
            url: url.clone(),
            final_url: url.clone(),
            status,
            content_type: html.as_ref().map(|_| "text/html".to_string()),
            kind,
            bytes: html.as_ref().map_or(0, |h| h.len() as u64),
            truncated: false,
            content_length: None,
            ttfb_ms: 120,
            depth,
            referrer: referrer.map(|(u, _)| u.clone()),
            link_text: referrer.map(|(_, t)| t.to_string()),
            redirects: Vec::new(),
            fetched_at_ms: 0,
            etag: None,
            last_modified: None,
            body: None,
            error: None,
        },
        facts,
    }
}

/// Crawls a fixture site breadth-first from its home page (same host only), then runs the site
/// searches the tasks stage asks for.
fn crawl(name: &str, home: &str, council_type: CouncilType, ruleset: &Ruleset) -> SiteFacts {
    let dir = fixture_dir(name);
    let home = Url::parse(home).unwrap();
    let site = Site::new(name, name, council_type, home.clone());
    let mut pages = Vec::new();
    let mut seen = HashSet::from([home.to_string()]);
    let mut queue = VecDeque::from([(home.clone(), 0, None::<(Url, String)>)]);
    while let Some((url, depth, referrer)) = queue.pop_front() {
        let r = record(
            &dir,
            &url,
            depth,
            referrer.as_ref().map(|(u, t)| (u, t.as_str())),
        );
        if let Some(facts) = &r.facts {
            for link in &facts.links {
                if link.href.host() == home.host() && seen.insert(link.href.to_string()) {
                    queue.push_back((
                        link.href.clone(),
                        depth + 1,
                        Some((url.clone(), link.text.clone())),
                    ));
                }
            }
        }
        pages.push(r);
    }
    let mut facts = SiteFacts {
        site,
        pages,
        searches: Vec::new(),
    };
    facts.searches = tasks::search_requests(&facts, ruleset)
        .into_iter()
        .map(|(term, url)| SearchRecord {
            term,
            results: Some(record(&dir, &url, 1, None)).filter(|r| r.page.status == 200),
            url,
        })
        .collect();
    facts
}

fn today() -> Date {
    Date::new(2026, 11, 24).unwrap()
}

/// A URL as the expectations write it: the path and query on the fixture's own host, in full
/// elsewhere.
fn short(url: &str) -> String {
    let u = Url::parse(url).unwrap();
    let host = u.host_str().unwrap_or_default();
    if host.ends_with("-district.test") || host.ends_with("-county.test") {
        u[url::Position::BeforePath..].to_string()
    } else {
        u.to_string()
    }
}

/// One task's expected outcome: its id, stars, task page, and every answer in question order as
/// `question Y|N|- [evidence]` separated by `;`.
type Expected = (&'static str, Option<u8>, Option<&'static str>, &'static str);

fn assert_outcomes(site: &str, results: &[TaskResult], ruleset: &Ruleset, expected: &[Expected]) {
    let got: Vec<&str> = results.iter().map(|r| r.task.as_str()).collect();
    let want: Vec<&str> = expected.iter().map(|e| e.0).collect();
    assert_eq!(got, want, "{site}: the tasks that apply");
    for (r, (id, stars, page, answers)) in results.iter().zip(expected) {
        let task = ruleset.task(id).unwrap();
        assert_eq!(
            r.page_url.as_deref().map(short).as_deref(),
            *page,
            "{site} {id}: task page ({})",
            r.reason
        );
        assert!(
            !r.reason.is_empty(),
            "{site} {id}: the task page comes with a reason"
        );
        assert_eq!(
            tasks::stars(r, task, &ruleset.scoring),
            *stars,
            "{site} {id}: stars"
        );
        let want: Vec<&str> = answers.split(';').map(str::trim).collect();
        assert_eq!(
            r.answers.len(),
            want.len(),
            "{site} {id}: one answer per question"
        );
        for (a, w) in r.answers.iter().zip(want) {
            let mut parts = w.split(' ');
            let (q, code, url) = (parts.next().unwrap(), parts.next().unwrap(), parts.next());
            let answer = match code {
                "Y" => Answer::Yes,
                "N" => Answer::No,
                _ => Answer::NotTested,
            };
            assert_eq!(a.question, q, "{site} {id}: question order");
            assert_eq!(a.answer, answer, "{site} {id} {q}: {}", a.reason);
            assert_eq!(
                a.evidence_url.as_deref().map(short).as_deref(),
                url,
                "{site} {id} {q}: evidence ({})",
                a.reason
            );
            assert!(!a.reason.is_empty(), "{site} {id} {q}: a reason is given");
        }
    }
}

fn answer<'r>(results: &'r [TaskResult], task: &str, question: &str) -> &'r QuestionAnswer {
    results
        .iter()
        .find(|r| r.task == task)
        .and_then(|r| r.answers.iter().find(|a| a.question == question))
        .unwrap_or_else(|| panic!("no answer to {task}/{question}"))
}

fn good_district(ruleset: &Ruleset) -> SiteFacts {
    crawl(
        "good-district",
        "https://good-district.test/",
        CouncilType::SD,
        ruleset,
    )
}
fn poor_district(ruleset: &Ruleset) -> SiteFacts {
    crawl(
        "poor-district",
        "http://poor-district.test/",
        CouncilType::SD,
        ruleset,
    )
}
fn good_county(ruleset: &Ruleset) -> SiteFacts {
    crawl(
        "good-county",
        "https://good-county.test/",
        CouncilType::CC,
        ruleset,
    )
}
fn poor_county(ruleset: &Ruleset) -> SiteFacts {
    crawl(
        "poor-county",
        "http://poor-county.test/",
        CouncilType::CC,
        ruleset,
    )
}

#[test]
fn answers_every_question_with_evidence_on_a_good_district_site() {
    let ruleset = ruleset::builtin();
    let site = good_district(&ruleset);
    let results = tasks::assess(&site, &ruleset, today());
    #[rustfmt::skip]
    let expected: &[Expected] = &[
        ("report-missed-bin", Some(4), Some("/bins/report-missed-bin"),
            "home-link Y /; landing-link Y /bins; site-search Y /search?collection=site&q=report+missed+bin; a-to-z Y /a-z; same-destination Y /bins/report-missed-bin; online-form Y /forms/missed-bin; mobile Y /bins/report-missed-bin; up-to-date Y /bins/report-missed-bin; how-to-present Y /bins/report-missed-bin; report-window Y /bins/report-missed-bin"),
        ("bin-collection-day", Some(4), Some("/bins/collection-day"),
            "home-link Y /; landing-link Y /bins; site-search Y /search?collection=site&q=bin+collection+day; a-to-z Y /a-z; same-destination Y /bins/collection-day; mobile Y /bins/collection-day; up-to-date Y /bins/collection-day; address-lookup Y /bins/collection-day; calendar Y /bins/collection-day"),
        ("pay-council-tax", Some(4), Some("/council-tax/pay"),
            "home-link Y /; landing-link Y /council-tax; site-search Y /search?collection=site&q=pay+council+tax; a-to-z Y /a-z; same-destination Y /council-tax/pay; online-form Y /council-tax/pay; mobile Y /council-tax/pay; up-to-date Y /council-tax/pay; pay-online Y /council-tax/pay; direct-debit Y /council-tax/pay; trouble-paying Y /council-tax/pay; e-billing Y /council-tax/pay"),
        ("council-tax-discount", Some(2), Some("/council-tax/single-person-discount"),
            "home-link Y /; landing-link Y /council-tax; site-search Y /search?collection=site&q=apply+single+person+discount; a-to-z Y /a-z; same-destination Y /council-tax/single-person-discount; online-form Y /council-tax/single-person-discount; mobile Y /council-tax/single-person-discount; up-to-date N /council-tax/single-person-discount; eligibility Y /council-tax/single-person-discount; percentage Y /council-tax/single-person-discount"),
        ("planning-applications", Some(4), Some("/planning/applications"),
            "home-link Y /; landing-link Y /planning; site-search Y /search?collection=site&q=comment+on+planning+application; a-to-z Y /a-z; same-destination Y /planning/applications; online-form Y /online-applications/search; mobile Y /planning/applications; up-to-date Y /planning/applications; search-applications Y /planning/applications; valid-objections Y /planning/applications; comments-published Y /planning/applications; email-alerts Y /planning/applications"),
        ("housing-benefit", Some(4), Some("/benefits/housing-benefit"),
            "home-link Y /; landing-link Y /benefits; site-search Y /search?collection=site&q=apply+for+housing+benefit; a-to-z Y /a-z; same-destination Y /benefits/housing-benefit; online-form Y /forms/housing-benefit; mobile Y /benefits/housing-benefit; up-to-date Y /benefits/housing-benefit; universal-credit Y /benefits/housing-benefit; calculator Y /benefits/housing-benefit"),
        ("find-councillor", Some(4), Some("/democracy/councillors"),
            "home-link Y /; landing-link Y /democracy; site-search Y /search?collection=site&q=find+my+councillor; a-to-z Y /a-z; same-destination Y /democracy/councillors; mobile Y /democracy/councillors; up-to-date Y /democracy/councillors; postcode-lookup Y /democracy/councillors; party-control Y /democracy/councillors; contact-details Y /democracy/councillors"),
        ("register-to-vote", Some(4), Some("/elections/register-to-vote"),
            "home-link Y /; landing-link Y /democracy; site-search Y /search?collection=site&q=register+to+vote; a-to-z Y /a-z; same-destination Y /elections/register-to-vote; mobile Y /elections/register-to-vote; up-to-date Y /elections/register-to-vote; gov-uk-link Y /elections/register-to-vote; deadline Y /elections/register-to-vote; postal-vote Y /elections/register-to-vote"),
        ("parking-fine", Some(3), Some("/parking/fines"),
            "home-link N /; landing-link Y /parking; site-search N /search?collection=site&q=pay+parking+fine; a-to-z Y /a-z; same-destination Y /parking/fines; online-form Y /parking/fines; mobile Y /parking/fines; up-to-date Y /parking/fines; pay-online Y /parking/fines; challenge Y /parking/fines; discount-period Y /parking/fines"),
        ("bulky-waste", Some(4), Some("/bins/bulky-waste"),
            "home-link Y /; landing-link Y /bins; site-search Y /search?collection=site&q=book+bulky+waste+collection; a-to-z Y /a-z; same-destination Y /bins/bulky-waste; online-form Y /forms/bulky-waste; mobile Y /bins/bulky-waste; up-to-date Y /bins/bulky-waste; prices Y /bins/bulky-waste; pay-online Y /bins/bulky-waste; what-items Y /bins/bulky-waste"),
        ("report-fly-tipping", Some(4), Some("/environment/fly-tipping"),
            "home-link Y /; landing-link Y /environment; site-search Y /search?collection=site&q=report+fly+tipping; a-to-z Y /a-z; same-destination Y /environment/fly-tipping; online-form Y /forms/fly-tipping; mobile Y /environment/fly-tipping; up-to-date Y /environment/fly-tipping; what-to-report Y /environment/fly-tipping; do-not-touch Y /environment/fly-tipping"),
        ("job-vacancies", Some(4), Some("/jobs"),
            "home-link Y /; landing-link Y /democracy; site-search Y /search?collection=site&q=council+job+vacancies; a-to-z Y /a-z; same-destination Y /jobs; mobile Y /jobs; up-to-date Y /jobs; vacancy-list Y /jobs; apply-online Y /jobs; job-alerts Y /jobs"),
    ];
    assert_outcomes("good-district", &results, &ruleset, expected);
}

#[test]
fn answers_every_question_with_evidence_on_a_poor_district_site() {
    let ruleset = ruleset::builtin();
    let site = poor_district(&ruleset);
    let results = tasks::assess(&site, &ruleset, today());
    #[rustfmt::skip]
    let expected: &[Expected] = &[
        ("report-missed-bin", Some(1), Some("/waste/missed-bins"),
            "home-link N /; landing-link Y /waste; site-search -; a-to-z -; same-destination - /waste/missed-bins; online-form N /waste/missed-bins; mobile N /waste/missed-bins; up-to-date N /waste/missed-bins; how-to-present Y /waste/missed-bins; report-window N /waste/missed-bins"),
        ("bin-collection-day", Some(1), None,
            "home-link N /; landing-link N /waste; site-search -; a-to-z -; same-destination -; mobile N; up-to-date -; address-lookup N; calendar N"),
        ("pay-council-tax", Some(1), None,
            "home-link N /; landing-link N /counciltax; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; pay-online N; direct-debit N; trouble-paying N; e-billing N"),
        ("council-tax-discount", Some(1), Some("/counciltax/discounts"),
            "home-link N /; landing-link Y /counciltax; site-search -; a-to-z -; same-destination - /counciltax/discounts; online-form N /counciltax/discounts; mobile N /counciltax/discounts; up-to-date Y /counciltax/discounts; eligibility Y /counciltax/discounts; percentage Y /counciltax/discounts"),
        ("planning-applications", Some(1), None,
            "home-link N /; landing-link N /planning; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; search-applications N; valid-objections N; comments-published N; email-alerts N"),
        ("housing-benefit", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; universal-credit N; calculator N"),
        ("find-councillor", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; mobile N; up-to-date -; postcode-lookup N; party-control N; contact-details N"),
        ("register-to-vote", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; mobile N; up-to-date -; gov-uk-link N; deadline N; postal-vote N"),
        ("parking-fine", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; pay-online N; challenge N; discount-period N"),
        ("bulky-waste", Some(1), None,
            "home-link N /; landing-link N /waste; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; prices N; pay-online N; what-items N"),
        ("report-fly-tipping", Some(1), None,
            "home-link N /; landing-link N /waste; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; what-to-report N; do-not-touch N"),
        ("job-vacancies", Some(1), None,
            "home-link N /; landing-link N /about; site-search -; a-to-z -; same-destination -; mobile N; up-to-date -; vacancy-list N; apply-online N; job-alerts N"),
    ];
    assert_outcomes("poor-district", &results, &ruleset, expected);
}

#[test]
fn answers_every_question_with_evidence_on_a_good_county_site() {
    let ruleset = ruleset::builtin();
    let site = good_county(&ruleset);
    let results = tasks::assess(&site, &ruleset, today());
    #[rustfmt::skip]
    let expected: &[Expected] = &[
        ("school-place", Some(4), Some("/schools/admissions"),
            "home-link Y /; landing-link Y /schools; site-search Y /search?query=apply+for+a+school+place; a-to-z Y /services-a-z; same-destination Y /schools/admissions; online-form Y /forms/school-admissions; mobile Y /schools/admissions; up-to-date Y /schools/admissions; deadlines Y /schools/admissions; offer-day Y /schools/admissions; late-applications Y /schools/admissions"),
        ("report-pothole", Some(4), Some("/roads-and-transport/potholes"),
            "home-link Y /; landing-link Y /roads-and-transport; site-search Y /search?query=report+a+pothole; a-to-z Y /services-a-z; same-destination Y /roads-and-transport/potholes; online-form Y /roads-and-transport/potholes; mobile Y /roads-and-transport/potholes; up-to-date Y /roads-and-transport/potholes; map-location Y /roads-and-transport/potholes; repair-times Y /roads-and-transport/potholes; damage-claims Y /roads-and-transport/potholes"),
        ("blue-badge", Some(4), Some("/social-care/blue-badges"),
            "home-link N /; landing-link Y /social-care; site-search Y /search?query=apply+for+a+blue+badge; a-to-z Y /services-a-z; same-destination Y /social-care/blue-badges; online-form Y /social-care/blue-badges; mobile Y /social-care/blue-badges; up-to-date Y /social-care/blue-badges; eligibility Y /social-care/blue-badges; documents Y /social-care/blue-badges; fee Y /social-care/blue-badges"),
        ("find-councillor", Some(1), Some("/council/councillors"),
            "home-link Y /; landing-link Y /council; site-search Y /search?query=find+my+councillor; a-to-z Y /services-a-z; same-destination Y /council/councillors; mobile Y /council/councillors; up-to-date Y /council/councillors; postcode-lookup N /council/councillors; party-control Y /council/councillors; contact-details N /council/councillors"),
        ("parking-fine", Some(4), Some("/parking/penalty-charge-notices"),
            "home-link Y /; landing-link Y /parking; site-search Y /search?query=pay+parking+fine; a-to-z N /services-a-z; same-destination Y /parking/penalty-charge-notices; online-form Y /parking/penalty-charge-notices; mobile Y /parking/penalty-charge-notices; up-to-date Y /parking/penalty-charge-notices; pay-online Y /parking/penalty-charge-notices; challenge Y /parking/penalty-charge-notices; discount-period Y /parking/penalty-charge-notices"),
        ("renew-library-book", Some(4), Some("/libraries/renew"),
            "home-link Y /; landing-link Y /libraries; site-search Y /search?query=renew+library+books; a-to-z Y /services-a-z; same-destination Y /libraries/renew; mobile Y /libraries/renew; up-to-date Y /libraries/renew; catalogue-link Y /libraries/renew; loan-period Y /libraries/renew"),
        ("bus-pass", Some(2), Some("/roads-and-transport/bus-passes"),
            "home-link Y /; landing-link Y /roads-and-transport; site-search Y /search?query=apply+for+older+person%27s+bus+pass; a-to-z Y /services-a-z; same-destination Y /roads-and-transport/bus-passes; online-form Y /forms/bus-pass; mobile Y /roads-and-transport/bus-passes; up-to-date N /roads-and-transport/bus-passes; eligibility-age Y /roads-and-transport/bus-passes; travel-times Y /roads-and-transport/bus-passes"),
        ("job-vacancies", Some(4), Some("/jobs"),
            "home-link Y /; landing-link Y /council; site-search N /search?query=council+job+vacancies; a-to-z Y /services-a-z; same-destination Y /jobs; mobile Y /jobs; up-to-date Y /jobs; vacancy-list Y /jobs; apply-online Y /jobs; job-alerts Y /jobs"),
    ];
    assert_outcomes("good-county", &results, &ruleset, expected);
}

#[test]
fn answers_every_question_with_evidence_on_a_poor_county_site() {
    let ruleset = ruleset::builtin();
    let site = poor_county(&ruleset);
    let results = tasks::assess(&site, &ruleset, today());
    #[rustfmt::skip]
    let expected: &[Expected] = &[
        ("school-place", Some(2), Some("/schools/admissions"),
            "home-link N /; landing-link Y /schools; site-search -; a-to-z -; same-destination - /schools/admissions; online-form Y /schools/admissions; mobile N /schools/admissions; up-to-date Y /schools/admissions; deadlines Y /schools/admissions; offer-day N /schools/admissions; late-applications N /schools/admissions"),
        ("report-pothole", Some(1), None,
            "home-link N /; landing-link N /roads; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; map-location N; repair-times N; damage-claims N"),
        ("blue-badge", Some(1), Some("/social-care/blue-badges"),
            "home-link N /; landing-link Y /social-care; site-search -; a-to-z -; same-destination - /social-care/blue-badges; online-form N /social-care/blue-badges; mobile N /social-care/blue-badges; up-to-date N /social-care/blue-badges; eligibility Y /social-care/blue-badges; documents Y /social-care/blue-badges; fee N /social-care/blue-badges"),
        ("find-councillor", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; mobile N; up-to-date -; postcode-lookup N; party-control N; contact-details N"),
        ("parking-fine", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; pay-online N; challenge N; discount-period N"),
        ("renew-library-book", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; mobile N; up-to-date -; catalogue-link N; loan-period N"),
        ("bus-pass", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; eligibility-age N; travel-times N"),
        ("job-vacancies", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; mobile N; up-to-date -; vacancy-list N; apply-online N; job-alerts N"),
    ];
    assert_outcomes("poor-county", &results, &ruleset, expected);
}
