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
        ("pay-business-rates", Some(1), None,
            "home-link N /; landing-link N; site-search - /search?collection=site&q=pay+business+rates; a-to-z N /a-z; same-destination -; online-form N; mobile N; up-to-date -; pay-online N; direct-debit N; instalments N"),
        ("resident-parking-permit", Some(3), Some("/parking/permits"),
            "home-link N /; landing-link Y /parking; site-search - /search?collection=site&q=apply+for+resident+parking+permit; a-to-z N /a-z; same-destination - /parking/permits; online-form Y /parking/permits; mobile Y /parking/permits; up-to-date Y /parking/permits; zones Y /parking/permits; prices Y /parking/permits; visitor-permits Y /parking/permits; pay-online Y /parking/permits"),
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
        ("pay-business-rates", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; pay-online N; direct-debit N; instalments N"),
        ("resident-parking-permit", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; zones N; prices N; visitor-permits N; pay-online N"),
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
        ("school-term-dates", Some(3), Some("/schools/term-dates"),
            "home-link N /; landing-link Y /schools; site-search - /search?query=school+term+dates; a-to-z N /services-a-z; same-destination - /schools/term-dates; mobile Y /schools/term-dates; up-to-date Y /schools/term-dates; dates-listed Y /schools/term-dates; inset-days Y /schools/term-dates; own-dates Y /schools/term-dates; calendar-download Y /schools/term-dates"),
        ("register-birth", Some(1), None,
            "home-link N /; landing-link N; site-search - /search?query=register+a+birth; a-to-z N /services-a-z; same-destination -; online-form N; mobile N; up-to-date -; appointment N; time-limit N; documents N; who-can-register N"),
        ("resident-parking-permit", Some(1), None,
            "home-link N /; landing-link N /parking; site-search - /search?query=apply+for+resident+parking+permit; a-to-z N /services-a-z; same-destination -; online-form N; mobile N; up-to-date -; zones N; prices N; visitor-permits N; pay-online N"),
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
        ("school-term-dates", Some(1), None,
            "home-link N /; landing-link N /schools; site-search -; a-to-z -; same-destination -; mobile N; up-to-date -; dates-listed N; inset-days N; own-dates N; calendar-download N"),
        ("register-birth", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; appointment N; time-limit N; documents N; who-can-register N"),
        ("resident-parking-permit", Some(1), None,
            "home-link N /; landing-link N; site-search -; a-to-z -; same-destination -; online-form N; mobile N; up-to-date -; zones N; prices N; visitor-permits N; pay-online N"),
    ];
    assert_outcomes("poor-county", &results, &ruleset, expected);
}
#[test]
fn finds_the_task_page_nearest_the_home_page_and_keeps_the_route_and_why() {
    let ruleset = ruleset::builtin();
    let results = tasks::assess(&good_district(&ruleset), &ruleset, today());
    let r = results.iter().find(|r| r.task == "parking-fine").unwrap();
    let route: Vec<String> = r.route.iter().map(|u| short(u)).collect();
    assert_eq!(route, vec!["/", "/parking", "/parking/fines"]);
    assert!(
        r.reason.contains("2 click(s) from the home page"),
        "{}",
        r.reason
    );
    assert!(r.reason.contains("title \"Parking fines"), "{}", r.reason);
}

/// A page named only by the jobs hub's name ("Working for us") is the task page when it is all
/// there is, but gives way to a page that names the task itself ("Our vacancies"), even one
/// reached only through the menu; a page of the hub ("Benefits of working for us") is neither.
#[test]
fn the_jobs_hub_gives_way_to_the_vacancies_page() {
    let ruleset = ruleset::builtin();
    let job = |name: &str, home: &str, council_type| {
        tasks::assess(
            &crawl(name, home, council_type, &ruleset),
            &ruleset,
            today(),
        )
        .into_iter()
        .find(|r| r.task == "job-vacancies")
        .unwrap()
    };
    let r = job(
        "jobs-hub",
        "https://jobs-hub-district.test/",
        CouncilType::SD,
    );
    assert_eq!(
        r.page_url.as_deref().map(short).as_deref(),
        Some("/working-for-us/our-vacancies"),
        "{}",
        r.reason
    );
    assert!(
        r.reason.contains("heading \"Our vacancies\""),
        "{}",
        r.reason
    );
    let r = job(
        "jobs-hub-alone",
        "https://jobs-hub-county.test/",
        CouncilType::CC,
    );
    assert_eq!(
        r.page_url.as_deref().map(short).as_deref(),
        Some("/about/working-for-wyeshire-county-council"),
        "{}",
        r.reason
    );
    assert!(
        r.reason
            .contains("heading \"Working for Wyeshire County Council\" matches"),
        "{}",
        r.reason
    );
}

#[test]
fn site_search_counts_only_the_first_five_results() {
    let ruleset = ruleset::builtin();
    let results = tasks::assess(&good_district(&ruleset), &ruleset, today());
    // The fixture lists the parking fines page sixth.
    let a = answer(&results, "parking-fine", "site-search");
    assert_eq!(a.answer, Answer::No);
    assert!(a.reason.contains("first 5 results"), "{}", a.reason);
    let a = answer(&results, "bin-collection-day", "site-search");
    assert_eq!(a.answer, Answer::Yes);
    assert!(a.reason.starts_with("result 2 "), "{}", a.reason);
}

#[test]
fn a_to_z_is_not_tested_without_one_and_follows_letter_pages() {
    let ruleset = ruleset::builtin();
    let poor = tasks::assess(&poor_district(&ruleset), &ruleset, today());
    let a = answer(&poor, "report-missed-bin", "a-to-z");
    assert_eq!(a.answer, Answer::NotTested);
    assert_eq!(a.reason, "the site has no A–Z");
    let good = tasks::assess(&good_district(&ruleset), &ruleset, today());
    // "Bins" is on the letter page /a-z/b, not the A–Z's first page.
    let a = answer(&good, "report-missed-bin", "a-to-z");
    assert_eq!(a.answer, Answer::Yes);
    assert!(a.reason.contains("\"Bins\""), "{}", a.reason);
}

/// The poor county's Blue Badge page offers only a PDF form; its "Was this page useful?" and
/// translate widgets are page furniture, not an online form.
#[test]
fn pdf_only_forms_are_not_online_forms() {
    let ruleset = ruleset::builtin();
    let results = tasks::assess(&poor_county(&ruleset), &ruleset, today());
    let a = answer(&results, "blue-badge", "online-form");
    assert_eq!(a.answer, Answer::No);
    assert!(
        a.reason.contains("blue-badge-application-form.pdf"),
        "{}",
        a.reason
    );
}

#[test]
fn out_of_date_content_caps_a_task_at_two_stars() {
    let ruleset = ruleset::builtin();
    let results = tasks::assess(&good_district(&ruleset), &ruleset, today());
    let r = results
        .iter()
        .find(|r| r.task == "council-tax-discount")
        .unwrap();
    let yes = r.answers.iter().filter(|a| a.answer == Answer::Yes).count();
    assert_eq!((yes, r.answers.len()), (9, 10), "90 % would earn 4 stars");
    let a = answer(&results, "council-tax-discount", "up-to-date");
    assert!(a.reason.contains("14 March 2022"), "{}", a.reason);
    let task = ruleset.task("council-tax-discount").unwrap();
    assert_eq!(tasks::stars(r, task, &ruleset.scoring), Some(2));
}

#[test]
fn failing_the_essential_question_caps_a_task_at_one_star() {
    let ruleset = ruleset::builtin();
    let results = tasks::assess(&good_county(&ruleset), &ruleset, today());
    let r = results
        .iter()
        .find(|r| r.task == "find-councillor")
        .unwrap();
    let yes = r.answers.iter().filter(|a| a.answer == Answer::Yes).count();
    assert_eq!((yes, r.answers.len()), (8, 10), "80 % would earn 3 stars");
    let task = ruleset.task("find-councillor").unwrap();
    assert_eq!(tasks::stars(r, task, &ruleset.scoring), Some(1));
}

fn result_with(task: &ruleset::Task, answers: &[Answer]) -> TaskResult {
    TaskResult {
        task: task.id.clone(),
        page_url: None,
        route: Vec::new(),
        reason: String::new(),
        answers: task
            .questions
            .iter()
            .zip(answers)
            .map(|(q, a)| QuestionAnswer {
                question: q.id.clone(),
                answer: *a,
                evidence_url: None,
                reason: "test".into(),
            })
            .collect(),
    }
}

#[test]
fn stars_follow_the_thresholds_and_leave_untested_questions_out() {
    use Answer::{No, NotTested, Yes};
    let ruleset = ruleset::builtin();
    let task = ruleset.task("report-missed-bin").unwrap();
    let q: Vec<&str> = task.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(q[5], "online-form", "the essential question");
    assert_eq!(q[7], "up-to-date", "the out-of-date question");
    let s = |a: &[Answer]| tasks::stars(&result_with(task, a), task, &ruleset.scoring);
    assert_eq!(s(&[Yes; 10]), Some(4));
    // 7 of 9 tested (78 %): 3 stars; the untested A–Z is not a failure.
    assert_eq!(
        s(&[Yes, Yes, No, NotTested, Yes, Yes, Yes, Yes, Yes, No]),
        Some(3)
    );
    // 5 of 10 (50 %): 2 stars; 4 of 10: 1 star.
    assert_eq!(s(&[Yes, Yes, Yes, Yes, Yes, Yes, No, No, No, No]), Some(2));
    assert_eq!(s(&[Yes, Yes, Yes, No, No, Yes, No, No, No, No]), Some(1));
    assert_eq!(s(&[NotTested; 10]), None);
}

#[test]
fn search_requests_submit_the_home_page_search_form_with_its_hidden_fields() {
    let ruleset = ruleset::builtin();
    let requests = tasks::search_requests(&good_district(&ruleset), &ruleset);
    assert_eq!(
        requests.len(),
        14,
        "one per distinct term of the district's tasks"
    );
    assert_eq!(requests[0].0, "report missed bin");
    assert_eq!(
        requests[0].1.as_str(),
        "https://good-district.test/search?collection=site&q=report+missed+bin"
    );
    let county = tasks::search_requests(&good_county(&ruleset), &ruleset);
    assert_eq!(
        county[0].1.as_str(),
        "https://good-county.test/search?query=apply+for+a+school+place"
    );
    assert!(tasks::search_requests(&poor_district(&ruleset), &ruleset).is_empty());
}

#[test]
fn classify_names_the_tasks_and_services_a_page_serves_best_first() {
    let ruleset = ruleset::builtin();
    let site = good_district(&ruleset);
    let classify = |path: &str| {
        let url = Url::parse(&format!("https://good-district.test{path}")).unwrap();
        let record = site.pages.iter().find(|p| p.page.url == url).unwrap();
        tasks::classify(&url, record.facts.as_ref().unwrap(), &ruleset)
    };
    let missed = classify("/bins/report-missed-bin");
    assert_eq!(missed.tasks, vec!["report-missed-bin"]);
    let tax = classify("/council-tax/pay");
    assert_eq!(tax.tasks, vec!["pay-council-tax"]);
    assert_eq!(tax.services, vec![57]);
    let discount = classify("/council-tax/single-person-discount");
    assert_eq!(discount.tasks, vec!["council-tax-discount"]);
    assert_eq!(discount.services, vec![59]);
    assert_eq!(classify("/").tasks, Vec::<String>::new());
}

/// Tasks that leave out council types of their LGSL tier, and why (the ruleset says so too).
const NOT_RUN_BY: &[(&str, &str)] = &[
    // Northern Ireland has no council tax (rates, housing benefit and rate relief go through
    // Land & Property Services and the Housing Executive), elections are run by the Electoral
    // Office and on-street parking by the Department for Infrastructure: its district councils
    // run none of these.
    ("pay-council-tax", "NI"),
    ("council-tax-discount", "NI"),
    ("pay-business-rates", "NI"),
    ("register-to-vote", "NI"),
    ("resident-parking-permit", "NI"),
    ("parking-fine", "NI"),
    ("housing-benefit", "NI"),
];

#[test]
fn tasks_and_services_follow_the_lgsl_providing_tiers() {
    let ruleset = ruleset::builtin();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lgsl/local-services.csv"
    );
    let mut tier_of = std::collections::HashMap::new();
    for row in csv::Reader::from_path(path).unwrap().records() {
        let row = row.unwrap();
        tier_of.insert(row[0].parse::<u32>().unwrap(), row[2].to_string());
    }
    let raw: toml::Table = toml::from_str(ruleset::BUILTIN_TEXT).unwrap();
    let tiers = raw["tiers"].as_table().unwrap();
    let types_of = |tier: &str| -> Vec<CouncilType> {
        tiers[tier]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().parse().unwrap())
            .collect()
    };
    for service in &ruleset.services {
        let tier = tier_of
            .get(&service.lgsl)
            .unwrap_or_else(|| panic!("LGSL {} is not in the list", service.lgsl));
        let mut want = types_of(tier);
        let mut got = service.council_types.clone();
        want.sort_by_key(|t| t.code());
        got.sort_by_key(|t| t.code());
        assert_eq!(got, want, "service {} ({tier})", service.lgsl);
    }
    for task in &ruleset.tasks {
        let Some(lgsl) = task.lgsl else { continue };
        let tier = tier_of
            .get(&lgsl)
            .unwrap_or_else(|| panic!("{}: LGSL {lgsl} is not in the list", task.id));
        let allowed = types_of(tier);
        for t in &task.council_types {
            assert!(
                allowed.contains(t),
                "{} applies to {} but LGSL {lgsl} is provided by {tier} councils",
                task.id,
                t.code()
            );
        }
        for t in allowed.iter().filter(|t| !task.council_types.contains(t)) {
            assert!(
                NOT_RUN_BY.contains(&(task.id.as_str(), t.code())),
                "{} leaves out {} although LGSL {lgsl} is provided by {tier} councils",
                task.id,
                t.code()
            );
        }
    }
    let birth = ruleset.task("register-birth").unwrap();
    assert!(birth.lgsl.is_none() && !birth.applies_to(CouncilType::SD));
}

/// Classifies one page given as HTML at a URL, as `civicscan audit` does.
fn classify_html(url: &str, html: &str) -> tasks::Classification {
    let url = Url::parse(url).unwrap();
    let page = ParsedPage::parse(url.clone(), html);
    tasks::classify(&url, &page.facts(), &ruleset::builtin())
}

#[test]
fn classify_reads_council_wordings_in_the_url_breadcrumb_and_opening_text() {
    // No title and no main heading naming the task: the URL's words name it ("bin collection
    // problems"), and the opening text words it as councils do.
    let c = classify_html(
        "https://x.gov.uk/residents/Pages/BinCollectionProblems.aspx",
        "<main><p>Use this service to tell us if your waste or recycling was not collected on \
         your scheduled day.</p><h2>Before you start</h2></main>",
    );
    assert_eq!(c.tasks, ["report-missed-bin"]);
    assert!(
        c.evidence
            .iter()
            .any(|e| e.starts_with("URL words \"residents pages bin collection problems\"")),
        "{:?}",
        c.evidence
    );
    assert!(
        c.evidence
            .iter()
            .any(|e| e.starts_with("opening text matches")),
        "{:?}",
        c.evidence
    );
    // A breadcrumb names the task above a page of its terms and conditions, which still serves it.
    let c = classify_html(
        "https://x.gov.uk/info/2/terms",
        "<nav aria-label=\"Breadcrumb\"><ol><li><a href=\"/\">Home</a></li>\
         <li><a href=\"/bins\">Bins</a></li><li><a href=\"/bulky\">Bulky waste collections</a></li>\
         </ol></nav><main><h1>Terms and conditions</h1><p>Items must be outside by 7am.</p>\
         <h2>Collection slots</h2></main>",
    );
    assert_eq!(c.tasks, ["bulky-waste"]);
    assert!(
        c.evidence
            .iter()
            .any(|e| e == "breadcrumb \"Bulky waste collections\" matches \"Bulky waste\""),
        "{:?}",
        c.evidence
    );
}

#[test]
fn classify_names_no_task_for_news_committee_papers_and_near_misses() {
    let news = classify_html(
        "https://x.gov.uk/news/primary-school-place-countdown-begins",
        "<main><h1>Primary school place countdown begins</h1><p>Parents are urged to apply \
         online and on time for primary school places.</p></main>",
    );
    assert!(news.tasks.is_empty(), "{news:?}");
    assert!(
        news.evidence[0].starts_with("not a task page: URL x.gov.uk/news/"),
        "{news:?}"
    );
    let minutes = classify_html(
        "https://democracy.x.gov.uk/ieIssueDetails.aspx?IId=1",
        "<main><h1>Issue - meetings</h1><h2>School term dates</h2></main>",
    );
    assert!(minutes.tasks.is_empty(), "{minutes:?}");
    let card = classify_html(
        "https://x.gov.uk/libraries/renew-your-library-card",
        "<main><h1>Renew your library card</h1><p>You can renew your library card online \
         and keep renewing your books.</p></main>",
    );
    assert!(card.tasks.is_empty(), "{card:?}");
    let pay_fpn = classify_html(
        "https://x.gov.uk/pay/fixed-penalty-notices",
        "<main><h1>Pay a fixed penalty notice for fly-tipping</h1></main>",
    );
    assert!(pay_fpn.tasks.is_empty(), "{pay_fpn:?}");
    // A page of the jobs section that mentions working for the council is not its jobs hub, and
    // a page on how term dates are decided does not give them.
    let benefits = classify_html(
        "https://x.gov.uk/careers/benefits",
        "<main><h1>Benefits of working for us</h1><p>Generous leave and a local government \
         pension.</p></main>",
    );
    assert!(benefits.tasks.is_empty(), "{benefits:?}");
    let how_set = classify_html(
        "https://x.gov.uk/schools/term-dates/how-set",
        "<main><h1>How are school term dates set?</h1><p>We consult all schools before we set \
         the term dates.</p></main>",
    );
    assert!(how_set.tasks.is_empty(), "{how_set:?}");
}

#[test]
fn classify_names_the_jobs_hub_by_the_names_councils_give_it() {
    for (url, h1) in [
        (
            "https://x.gov.uk/about/working-for-x",
            "Working for Exshire County Council",
        ),
        (
            "https://x.gov.uk/your-council/working-here",
            "Working for us",
        ),
        (
            "https://x.gov.uk/residents/how-to-apply-for-a-job-with-the-council",
            "Applying for a job with the council",
        ),
    ] {
        let c = classify_html(
            url,
            &format!("<main><h1>{h1}</h1><p>See our latest jobs.</p></main>"),
        );
        assert_eq!(c.tasks, ["job-vacancies"], "{h1}: {c:?}");
        assert!(
            c.evidence.iter().any(|e| e.starts_with("heading \"")),
            "{h1}: {c:?}"
        );
    }
    // "How to apply" on its own is guidance on the form.
    let c = classify_html(
        "https://x.gov.uk/jobs/how-to-apply",
        "<main><h1>How to apply</h1><p>Read the job description before you apply.</p></main>",
    );
    assert!(c.tasks.is_empty(), "{c:?}");
}

#[test]
fn coverage_counts_only_the_services_the_council_type_provides() {
    let ruleset = ruleset::builtin();
    let district = coverage::assess(&good_district(&ruleset), &ruleset);
    let county = coverage::assess(&good_county(&ruleset), &ruleset);
    let lgsl = |c: &coverage::CoverageResult| c.services.iter().map(|s| s.lgsl).collect::<Vec<_>>();
    assert!(lgsl(&district).contains(&524) && !lgsl(&district).contains(&14));
    assert!(lgsl(&county).contains(&14) && !lgsl(&county).contains(&524));
    let found = |c: &coverage::CoverageResult, l: u32| {
        c.services
            .iter()
            .find(|s| s.lgsl == l)
            .and_then(|s| s.url.as_deref())
            .map(short)
    };
    assert_eq!(
        found(&district, 524).as_deref(),
        Some("/bins/collection-day")
    );
    assert_eq!(
        found(&district, 516).as_deref(),
        Some("/planning/applications")
    );
    assert_eq!(
        found(&district, 112),
        None,
        "no homelessness page on the fixture"
    );
    assert_eq!(
        found(&county, 557).as_deref(),
        Some("/roads-and-transport/potholes")
    );
    assert_eq!(
        found(&county, 279).as_deref(),
        Some("/social-care/blue-badges")
    );
    let with_reason = district
        .services
        .iter()
        .filter(|s| !s.reason.is_empty())
        .count();
    assert_eq!(with_reason, district.services.len());
    // 15 of the 32 district and all-tier services have a page on the good district.
    assert_eq!(district.services.len(), 32);
    assert_eq!(district.share(), Some(15.0 / 32.0));
    let poor = coverage::assess(&poor_district(&ruleset), &ruleset);
    assert_eq!(poor.share(), Some(2.0 / 32.0));
}

#[test]
fn digital_indicators_tell_a_good_site_from_a_poor_one() {
    let ruleset = ruleset::builtin();
    let good = digital::assess(&good_district(&ruleset), &ruleset);
    assert_eq!(good.https_everywhere, Some(true));
    assert_eq!(
        good.http_redirects_to_https, None,
        "nothing was asked for over http"
    );
    assert_eq!(good.responsive_viewport, Some(true));
    assert_eq!(good.site_search, Some(true));
    assert_eq!(good.a_to_z, Some(true));
    assert_eq!(good.my_account, Some(true));
    assert_eq!(good.accessibility_statement, Some(true));
    assert_eq!(
        (
            good.online_form_pages,
            good.document_form_links,
            good.phone_only_pages
        ),
        (8, 0, 0)
    );
    // One dead news link among the site's own links.
    assert_eq!(
        (good.internal_links_checked, good.internal_links_broken),
        (37, 1)
    );
    assert_eq!(
        (good.home_weight_ok, good.home_speed_ok),
        (Some(true), Some(true))
    );

    let poor = digital::assess(&poor_district(&ruleset), &ruleset);
    assert_eq!(poor.https_everywhere, Some(false));
    assert_eq!(poor.http_redirects_to_https, Some(false));
    assert_eq!(poor.responsive_viewport, Some(false));
    assert_eq!(poor.site_search, Some(false));
    assert_eq!(poor.a_to_z, Some(false));
    assert_eq!(poor.my_account, Some(false));
    assert_eq!(poor.accessibility_statement, Some(false));
    // Three PDF forms; the missed bins, council tax and contact pages offer only the phone.
    assert_eq!(
        (
            poor.online_form_pages,
            poor.document_form_links,
            poor.phone_only_pages
        ),
        (0, 3, 3)
    );
    assert_eq!(
        (poor.internal_links_checked, poor.internal_links_broken),
        (12, 1)
    );

    let (g, p) = (good.score().unwrap(), poor.score().unwrap());
    assert!(g > 0.95 && p < 0.35, "good {g}, poor {p}");
    assert_eq!(digital::DigitalIndicators::default().score(), None);
}

#[test]
fn a_county_is_never_asked_about_bins_nor_a_district_about_school_places() {
    let ruleset = ruleset::builtin();
    let county: Vec<String> = tasks::assess(&good_county(&ruleset), &ruleset, today())
        .into_iter()
        .map(|r| r.task)
        .collect();
    assert!(
        !county
            .iter()
            .any(|t| t.contains("bin") || t == "bulky-waste")
    );
    let district: Vec<String> = tasks::assess(&good_district(&ruleset), &ruleset, today())
        .into_iter()
        .map(|r| r.task)
        .collect();
    assert!(
        !district
            .iter()
            .any(|t| t == "school-place" || t == "blue-badge")
    );
}

#[test]
fn the_shipped_ruleset_has_the_top_tasks_questions_and_services() {
    let ruleset = ruleset::builtin();
    assert!(ruleset.tasks.len() >= 14);
    assert!(ruleset.services.len() >= 40);
    for task in &ruleset.tasks {
        let n = task.questions.len();
        assert!((8..=15).contains(&n), "{}: {n} questions", task.id);
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
        assert!(
            !task.search_term.eq_ignore_ascii_case(&task.az_term),
            "{}",
            task.id
        );
        // A task never applies to a council type that does not provide its LGSL service.
        if let Some(service) = task
            .lgsl
            .and_then(|l| ruleset.services.iter().find(|s| s.lgsl == l))
        {
            for t in &task.council_types {
                assert!(
                    service.provided_by(*t),
                    "{} asks {t} about LGSL {}",
                    task.id,
                    service.lgsl
                );
            }
        }
    }
}

#[test]
fn a_search_that_redirects_to_the_task_page_counts_as_its_first_result() {
    let ruleset = ruleset::builtin();
    let mut site = good_district(&ruleset);
    let dir = fixture_dir("good-district");
    let search = site
        .searches
        .iter_mut()
        .find(|s| s.term == "pay parking fine")
        .unwrap();
    let target = Url::parse("https://good-district.test/parking/fines").unwrap();
    let mut landed = record(&dir, &target, 1, None);
    landed.page.url = search.url.clone();
    landed.page.redirects = vec![search.url.clone()];
    search.results = Some(landed);
    let results = tasks::assess(&site, &ruleset, today());
    let a = answer(&results, "parking-fine", "site-search");
    assert_eq!(a.answer, Answer::Yes, "{}", a.reason);
    assert!(a.reason.starts_with("result 1 "), "{}", a.reason);
}
