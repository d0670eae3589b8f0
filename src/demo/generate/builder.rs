//! The site under construction: what has been drawn and built so far, and the draws every part
//! uses (chances, picks, page ids and dates in the template's format).

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::demo::DemoResponse;
use crate::demo::barriers::Barrier;
use crate::demo::render::{Block, Chrome, PageSpec, Style};
use crate::demo::truth::{OnlineRoute, SearchQuality};
use crate::demo::words::{self, TaskWords};
use crate::ruleset::{Ruleset, Task};
use crate::sites::Site;

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

/// Where a task page is linked from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Placement {
    /// A direct link on its category's landing page.
    Landing,
    /// A link on the landing page's "more" sub-page.
    SubPage,
    /// No link from any page (found through the A–Z, search or sitemap only).
    Orphan,
}

/// One top task on one site, as drawn by `plan` and written by `task_pages`.
pub(super) struct TaskPlan {
    /// The ruleset's task.
    pub(super) task: Task,
    /// Its words.
    pub(super) words: &'static TaskWords,
    /// The site has a page for it.
    pub(super) present: bool,
    /// The page's title.
    pub(super) title: String,
    /// The page's path.
    pub(super) path: String,
    /// Where it is linked from.
    pub(super) placement: Placement,
    /// Listed among the home page's popular tasks.
    pub(super) popular: bool,
    /// Has an A–Z entry of its own.
    pub(super) az: bool,
    /// An old copy of the page, where the A–Z entry leads instead.
    pub(super) legacy: Option<String>,
    /// How it is done online.
    pub(super) route: OnlineRoute,
    /// The separate form or payment page, for a linked form.
    pub(super) form_page: Option<String>,
    /// The form takes a payment.
    pub(super) pay: bool,
    /// The page carries out-of-date wording.
    pub(super) stale: bool,
    /// The answer the page gives to each fact question it addresses.
    pub(super) facts: BTreeMap<String, bool>,
}

/// A page to render, with how it is served.
pub(super) struct Page {
    /// What the page says.
    pub(super) spec: PageSpec,
    /// The HTTP status it is served with.
    pub(super) status: u16,
    /// A delay before it is served.
    pub(super) latency_ms: u32,
    /// Accessibility barriers planted on it.
    pub(super) barriers: Vec<Barrier>,
    /// The site's search indexes it.
    pub(super) indexed: bool,
}

/// One site under construction. Every part of the generator is a method on it, and every draw
/// comes from its one seeded random stream `rng`, so the order of the parts is part of the demo.
pub(super) struct Builder<'a> {
    /// The ruleset (task and question ids, services, settings).
    pub(super) ruleset: &'a Ruleset,
    /// The council.
    pub(super) site: Site,
    /// The hidden quality (0–1) every feature is drawn from.
    pub(super) quality: f64,
    /// The site's random stream.
    pub(super) rng: ChaCha8Rng,
    /// More news pages, for scale.
    pub(super) extra_pages: usize,
    /// The date pages are fresh or stale against.
    pub(super) today: Date,
    /// The template.
    pub(super) style: Style,
    /// The header and footer every page shares.
    pub(super) chrome: Chrome,
    /// The HTML pages, in the order they were built.
    pub(super) pages: Vec<Page>,
    /// Responses by path: PDFs, print versions and the like as the site is built; every rendered
    /// page, robots.txt and the sitemap when it is finished.
    pub(super) raw: BTreeMap<String, DemoResponse>,
    /// The last numeric page id handed out.
    pub(super) next_id: u32,
    /// LGSL codes of the services the council provides.
    pub(super) services_present: BTreeSet<u32>,
    /// LGSL codes of its type's services it does not.
    pub(super) services_missing: Vec<u32>,
    /// Category landing pages: category id → (path, label).
    pub(super) landings: BTreeMap<&'static str, (String, String)>,
    /// The top tasks of the council's type that have words, in the ruleset's order.
    pub(super) tasks: Vec<TaskPlan>,
    /// How its search behaves.
    pub(super) search_quality: SearchQuality,
    /// The A–Z's path, when it has one.
    pub(super) a_to_z: Option<String>,
    /// The A–Z's entries: (path, label).
    pub(super) az_entries: Vec<(String, String)>,
    /// It links to an accessibility statement.
    pub(super) statement: bool,
    /// What its accessibility statement says.
    pub(super) statement_truth: Option<crate::demo::statement::StatementTruth>,
    /// It has a sitemap.
    pub(super) sitemap: bool,
    /// Its robots.txt, if any.
    pub(super) robots: Option<String>,
    /// Links that lead to a 404.
    pub(super) broken_links: Vec<String>,
    /// Pages served with a 5xx status.
    pub(super) failing: Vec<String>,
    /// Categories are listed on /services, not in the header.
    pub(super) hub: bool,
    /// Task pages have print versions.
    pub(super) print: bool,
    /// Pages show when they were last updated.
    pub(super) show_dates: bool,
    /// News articles: (path, title).
    pub(super) news: Vec<(String, String)>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(
        ruleset: &'a Ruleset,
        site: Site,
        quality: f64,
        seed: u64,
        extra_pages: usize,
        today: Date,
    ) -> Builder<'a> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let style = draw_style(&mut rng, quality);
        let chrome = Chrome {
            council: site.name.clone(),
            style,
            nav: Vec::new(),
            footer: Vec::new(),
            search: None,
            account: false,
            fixed_width: false,
            viewport: style != Style::Classic,
            year: today.year(),
        };
        Builder {
            ruleset,
            site,
            quality,
            rng,
            extra_pages,
            today,
            style,
            chrome,
            pages: Vec::new(),
            raw: BTreeMap::new(),
            next_id: 0,
            services_present: BTreeSet::new(),
            services_missing: Vec::new(),
            landings: BTreeMap::new(),
            tasks: Vec::new(),
            search_quality: SearchQuality::Good,
            a_to_z: None,
            az_entries: Vec::new(),
            statement: false,
            statement_truth: None,
            sitemap: false,
            robots: None,
            broken_links: Vec::new(),
            failing: Vec::new(),
            hub: false,
            print: false,
            show_dates: true,
            news: Vec::new(),
        }
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    pub(super) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        *items.choose(&mut self.rng).unwrap_or(&items[0])
    }

    /// One of a list of words (the same draw as [`Self::pick`]).
    pub(super) fn pick_word<'w>(&mut self, items: &'w [String]) -> &'w str {
        items.choose(&mut self.rng).unwrap_or(&items[0])
    }

    pub(super) fn id(&mut self) -> u32 {
        self.next_id += self.rng.random_range(1..40);
        1000 + self.next_id
    }

    pub(super) fn fresh_date(&mut self) -> String {
        let days: i64 = self.rng.random_range(10..200);
        let d = self
            .today
            .checked_sub(jiff::Span::new().days(days))
            .unwrap_or(self.today);
        self.format_date(d)
    }

    pub(super) fn old_year(&mut self) -> i16 {
        self.today.year() - self.rng.random_range(3..8)
    }

    pub(super) fn stale_date(&mut self) -> String {
        let year = self.old_year();
        let month: i8 = self.rng.random_range(1..13);
        let day: i8 = self.rng.random_range(1..29);
        let d = Date::new(year, month, day).unwrap_or(self.today);
        self.format_date(d)
    }

    pub(super) fn format_date(&self, d: Date) -> String {
        let month = MONTHS[(d.month() - 1) as usize];
        match self.style {
            Style::Classic => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
            Style::Cards => format!("{} {} {}", d.day(), &month[..3], d.year()),
            Style::Gov | Style::Cluttered => format!("{} {month} {}", d.day(), d.year()),
        }
    }

    pub(super) fn add(&mut self, spec: PageSpec) {
        self.pages.push(Page {
            spec,
            status: 200,
            latency_ms: 0,
            barriers: Vec::new(),
            indexed: true,
        });
    }

    pub(super) fn updated(&mut self, stale: bool) -> Option<String> {
        if stale && self.chance(0.6) {
            Some(self.stale_date())
        } else if self.show_dates {
            Some(self.fresh_date())
        } else {
            None
        }
    }

    pub(super) fn crumbs(&self, trail: &[(String, String)]) -> Vec<(String, String)> {
        if self.style == Style::Cluttered {
            return Vec::new();
        }
        let mut out = vec![("/".to_string(), "Home".to_string())];
        out.extend(trail.iter().cloned());
        out
    }

    pub(super) fn link_block(&self, links: Vec<(String, String, String)>) -> Block {
        if matches!(self.style, Style::Cards) {
            Block::Cards(links)
        } else {
            Block::Links(links.into_iter().map(|(h, t, _)| (h, t)).collect())
        }
    }

    pub(super) fn simple_page(&mut self, path: &str, title: &str, text: &str) {
        let crumbs = self.crumbs(&[]);
        self.add(PageSpec {
            path: path.into(),
            title: title.into(),
            h1: title.into(),
            crumbs,
            blocks: vec![Block::Para(text.into())],
            updated: None,
            print_link: false,
        });
    }

    pub(super) fn category(id: &str) -> &'static words::Category {
        words::builtin().category(id)
    }
}

/// The template, the first draw of a site's stream: better sites use the modern ones more.
pub(super) fn draw_style(rng: &mut ChaCha8Rng, quality: f64) -> Style {
    if rng.random_bool((0.15 + 0.75 * quality).clamp(0.0, 1.0)) {
        *[Style::Gov, Style::Cards]
            .choose(rng)
            .unwrap_or(&Style::Gov)
    } else {
        *[Style::Classic, Style::Cluttered]
            .choose(rng)
            .unwrap_or(&Style::Classic)
    }
}
