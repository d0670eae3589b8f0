//! The scripted council: a demo council whose main menu is built by script and whose home page
//! holds a keyboard trap, so it is surveyed right only with rendering on.
//!
//! Its menu is an empty `<nav>` that `/assets/menu.js` fills in, as sites built on script-heavy
//! front ends do: the only way to its bins section, and so to its missed-bin task page, is a
//! link that exists after script has run. Its home page has a web-chat box whose script keeps
//! keyboard focus inside it ([`Barrier::KeyboardTrap`]). One task page (paying council tax) is
//! linked from the page as served, so a static survey still finds something. There is no
//! sitemap, A–Z or site search that would lead to the bins pages another way.
//!
//! It is built by hand, not drawn from a seed, and is added to a web only when asked
//! ([`super::DemoWeb::add_scripted`]): no generated council changes because it exists. Its
//! truth records which task pages exist and where the trap is; it decides no question answers
//! (the generated councils test those).

use std::collections::BTreeMap;

use url::Url;

use super::barriers::Barrier;
use super::truth::{OnlineRoute, SearchQuality, SiteTruth, TaskTruth};
use super::{DemoResponse, DemoSite};
use crate::ruleset::Ruleset;
use crate::sites::{CouncilType, Site};

/// The scripted council's slug.
pub const SLUG: &str = "wendlebury-vale";
/// Its name.
pub const NAME: &str = "Wendlebury Vale Council";

/// The task whose page only the script-built menu leads to, and its page.
pub const SCRIPTED_TASK: (&str, &str) = (
    "report-missed-bin",
    "/bins-and-recycling/report-a-missed-bin",
);
/// The task whose page the page as served links to, and its page.
pub const STATIC_TASK: (&str, &str) = ("pay-council-tax", "/council-tax/pay-council-tax");

/// The LGSL services the council has a page for: council tax (its payment page) and recycling
/// collections (its bins and recycling page). Its missed-bin page says nothing of collection
/// days.
const SERVICES: &[u32] = &[57, 533];

/// The menu, as the script builds it: text and path.
const MENU: &[(&str, &str)] = &[
    ("Bins and recycling", "/bins-and-recycling"),
    ("Council tax", STATIC_TASK.1),
    ("Contact us", "/contact-us"),
];

/// Builds the scripted council (its home page a placeholder until served).
pub fn council(ruleset: &Ruleset) -> DemoSite {
    let council_type = CouncilType::EU;
    let homepage =
        Url::parse(&format!("http://{SLUG}.demo.invalid/")).unwrap_or_else(|_| unreachable_url());
    let mut site = Site::new(SLUG, NAME, council_type, homepage);
    site.nation = Some("England".into());
    site.region = Some("South East".into());
    site.tier = Some("unitary".into());

    let mut pages = BTreeMap::new();
    let mut barriers = BTreeMap::new();
    let mut page = |path: &str, title: &str, main: String, planted: Vec<Barrier>| {
        pages.insert(path.to_string(), DemoResponse::html(frame(title, &main)));
        barriers.insert(path.to_string(), planted);
    };
    page(
        "/",
        &format!("Home - {NAME}"),
        format!(
            r#"<h1>Welcome to {NAME}</h1>
<p>Find out about council services in Wendlebury, Marsh Ashton and the villages of the vale.</p>
{trap}
<h2>Popular tasks</h2>
<ul><li><a href="{pay}">Pay your council tax</a></li><li><a href="/news">Latest news</a></li></ul>"#,
            trap = Barrier::KeyboardTrap.body_snippet(1).unwrap_or_default(),
            pay = STATIC_TASK.1,
        ),
        vec![Barrier::KeyboardTrap],
    );
    page(
        "/bins-and-recycling",
        "Bins and recycling",
        format!(
            r#"<h1>Bins and recycling</h1>
<p>We empty general waste bins every other week and recycling boxes every week.</p>
<ul><li><a href="{}">Report a missed bin collection</a></li></ul>"#,
            SCRIPTED_TASK.1
        ),
        Vec::new(),
    );
    page(
        SCRIPTED_TASK.1,
        "Report a missed bin collection",
        r#"<h1>Report a missed bin collection</h1>
<p>If we did not empty your bin on your collection day, tell us by 5pm on the next working day
and we will come back within two working days.</p>
<p>Please check first that your bin was out by 7am and that the lid was closed.</p>
<form action="/bins-and-recycling/report-a-missed-bin" method="post">
<p><label for="postcode">Your postcode</label> <input id="postcode" name="postcode" autocomplete="postal-code"></p>
<p><label for="street">Your street</label> <input id="street" name="street" autocomplete="address-line1"></p>
<p><label for="bin">Which bin was missed</label> <select id="bin" name="bin"><option>General waste</option><option>Recycling</option><option>Garden waste</option></select></p>
<p><button type="submit">Report it</button></p>
</form>"#
            .to_string(),
        Vec::new(),
    );
    page(
        STATIC_TASK.1,
        "Pay your council tax",
        r#"<h1>Pay your council tax</h1>
<p>You can pay your council tax by direct debit, online with a debit or credit card, or by phone
on 01632 960 123.</p>
<form action="/council-tax/pay-council-tax" method="post">
<p><label for="account">Council tax account number</label> <input id="account" name="account"></p>
<p><label for="amount">Amount in pounds</label> <input id="amount" name="amount" inputmode="decimal"></p>
<p><button type="submit">Continue to payment</button></p>
</form>"#
            .to_string(),
        Vec::new(),
    );
    page(
        "/contact-us",
        "Contact us",
        r#"<h1>Contact us</h1>
<p>Phone 01632 960 000, Monday to Friday 9am to 5pm, or visit the council offices on
Market Street, Wendlebury.</p>"#
            .to_string(),
        Vec::new(),
    );
    page(
        "/news",
        "News",
        r#"<h1>News</h1>
<h2>Summer opening hours at the recycling centre</h2>
<p>From June the recycling centre on Mill Lane stays open until 7pm on weekdays.</p>"#
            .to_string(),
        Vec::new(),
    );
    pages.insert(
        "/assets/menu.js".into(),
        DemoResponse::text("text/javascript", &menu_js(), false),
    );
    pages.insert(
        "/robots.txt".into(),
        DemoResponse::text(
            "text/plain; charset=utf-8",
            "User-agent: *\nDisallow:\n",
            false,
        ),
    );

    let present: BTreeMap<&str, (&str, u32)> = BTreeMap::from([
        (SCRIPTED_TASK.0, (SCRIPTED_TASK.1, 2)),
        (STATIC_TASK.0, (STATIC_TASK.1, 1)),
    ]);
    let tasks: Vec<TaskTruth> = ruleset
        .tasks_for(council_type)
        .map(|t| {
            let here = present.get(t.id.as_str());
            TaskTruth {
                task: t.id.clone(),
                page: here.map(|(p, _)| p.to_string()),
                depth: here.map(|(_, d)| *d),
                form_page: None,
                online: if here.is_some() {
                    OnlineRoute::EmbeddedForm
                } else {
                    OnlineRoute::NotApplicable
                },
                answers: BTreeMap::new(),
            }
        })
        .collect();
    let (services, services_missing): (Vec<u32>, Vec<u32>) = ruleset
        .services_for(council_type)
        .map(|s| s.lgsl)
        .partition(|lgsl| SERVICES.contains(lgsl));
    let truth = SiteTruth {
        slug: SLUG.into(),
        council_type,
        template: "scripted".into(),
        quality: 0.5,
        tasks,
        barriers,
        services,
        services_missing,
        a_to_z: false,
        search: SearchQuality::Missing,
        accessibility_statement: false,
        failing_pages: Vec::new(),
        broken_links: Vec::new(),
        robots_disallow: Vec::new(),
        slow_pages: Vec::new(),
        statement: None,
        welsh: None,
    };
    DemoSite {
        site,
        pages,
        search: None,
        truth,
    }
}

/// A page of the council: the header with the empty menu the script fills in, the content, and
/// a footer whose links are in the HTML as served.
fn frame(title: &str, main: &str) -> String {
    format!(
        r##"<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 0; color: #1d1d1b; background: #ffffff; }}
header, main, footer {{ padding: 0 1rem; max-width: 60rem; }}
#site-menu ul {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }}
a {{ color: #1d4f91; }}
</style>
</head>
<body>
<a href="#content">Skip to main content</a>
<header>
<p><a href="/">{NAME}</a></p>
<nav id="site-menu" aria-label="Main menu"></nav>
<script src="/assets/menu.js"></script>
</header>
<main id="content">
{main}
</main>
<footer>
<ul><li><a href="/contact-us">Contact us</a></li><li><a href="/news">News</a></li></ul>
<p>&copy; {NAME}</p>
</footer>
</body>
</html>
"##
    )
}

/// The script that builds the main menu; `ITEMS` stands for its list.
const MENU_JS: &str = r#"// Builds the main menu: the page's HTML has an empty <nav id="site-menu">.
(function () {
  var items = [
ITEMS
  ];
  var nav = document.getElementById('site-menu');
  if (!nav) return;
  var list = document.createElement('ul');
  items.forEach(function (item) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = item[1];
    a.textContent = item[0];
    li.appendChild(a);
    list.appendChild(li);
  });
  nav.appendChild(list);
})();
"#;

/// The script that builds the main menu from [`MENU`].
fn menu_js() -> String {
    let items: Vec<String> = MENU
        .iter()
        .map(|(text, href)| format!("    [{text:?}, {href:?}]"))
        .collect();
    MENU_JS.replace("ITEMS", &items.join(",\n"))
}

fn unreachable_url() -> Url {
    Url::parse("http://demo.invalid/").unwrap_or_else(|_| unreachable!("static URL parses"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bins_pages_are_linked_only_from_the_script() {
        let c = council(&crate::ruleset::builtin());
        for (path, r) in &c.pages {
            if r.content_type.starts_with("text/html") {
                assert!(
                    !r.body.contains("href=\"/bins-and-recycling\""),
                    "{path} links to the bins section in its HTML"
                );
            }
        }
        assert!(
            c.pages["/"]
                .body
                .contains(r#"<nav id="site-menu" aria-label="Main menu"></nav>"#)
        );
        assert!(
            c.pages["/assets/menu.js"]
                .body
                .contains(r#"["Bins and recycling", "/bins-and-recycling"]"#)
        );
        assert_eq!(
            c.truth
                .task(SCRIPTED_TASK.0)
                .and_then(|t| t.page.as_deref()),
            Some(SCRIPTED_TASK.1)
        );
        assert_eq!(c.truth.barriers["/"], vec![Barrier::KeyboardTrap]);
        assert!(!c.pages.contains_key("/sitemap.xml"));
    }
}
