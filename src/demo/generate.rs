//! The generator: from a seed, a set of council websites and their ground truth.
//!
//! Each site draws a hidden quality (districts lower on average than counties and unitaries) and
//! a template; every feature (where task pages sit, whether a form is online, which facts a page
//! gives, how search behaves, which barriers are planted) is drawn from that quality. The truth
//! is recorded as the site is built.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use jiff::civil::Date;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use url::Url;

use super::barriers::Barrier;
use super::names;
use super::render::{self, Block, Chrome, Field, PageSpec, Style, chrome_links};
use super::search::{RESULTS_MARKER, SearchDoc, SearchSpec};
use super::truth::{Expected, OnlineRoute, SearchQuality, SiteTruth, TaskTruth};
use super::words::{self, Action, TaskWords};
use super::{DemoResponse, DemoSite, DemoWeb};
use crate::ruleset::{CheckKind, Ruleset, Task};
use crate::sites::{CouncilType, Site};

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

/// The mean quality of a council type; districts are built worse on average.
fn base_quality(t: CouncilType) -> f64 {
    match t {
        CouncilType::CC => 0.80,
        CouncilType::EU => 0.74,
        CouncilType::LB => 0.76,
        CouncilType::MD => 0.70,
        CouncilType::SU => 0.72,
        CouncilType::WU => 0.62,
        CouncilType::SD => 0.48,
        CouncilType::NI => 0.42,
    }
}

/// Builds the demo web for a given "today" (dates on pages are fresh or stale relative to it).
pub fn generate_at(
    ruleset: &Ruleset,
    seed: u64,
    councils: usize,
    extra_pages: usize,
    today: Date,
) -> DemoWeb {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut used_names = BTreeSet::new();
    let mut plans = Vec::new();
    let mut county_slugs = Vec::new();
    for i in 0..councils {
        let council_type = CouncilType::ALL[i % CouncilType::ALL.len()];
        let mut name = String::new();
        for attempt in 0..50 {
            let place = names::place(&mut rng, council_type);
            let candidate = names::council_name(&mut rng, council_type, &place);
            let candidate = if attempt == 49 {
                format!("{candidate} {i}")
            } else {
                candidate
            };
            // The last attempt's name carries the council's number, so it is new even when
            // every place of this type is taken (London's list runs out past ~50 councils).
            let key = if attempt == 49 {
                names::slugify(&candidate)
            } else {
                names::slugify(&place)
            };
            if used_names.insert(key) {
                name = candidate;
                break;
            }
        }
        let slug = names::slugify(&name);
        let (nation, region) = names::nation_region(&mut rng, council_type);
        let homepage = Url::parse(&format!("http://{slug}.demo.invalid/"))
            .unwrap_or_else(|_| unreachable_url());
        let mut site = Site::new(&slug, &name, council_type, homepage);
        site.nation = Some(nation.to_string());
        site.region = Some(region.to_string());
        site.tier = Some(
            match council_type {
                CouncilType::CC => "county",
                CouncilType::SD => "district",
                _ => "unitary",
            }
            .to_string(),
        );
        if council_type == CouncilType::CC {
            county_slugs.push(slug.clone());
        } else if council_type == CouncilType::SD && !county_slugs.is_empty() {
            site.parent_slug = county_slugs.choose(&mut rng).cloned();
        }
        let jitter: f64 = rng.random_range(-0.15..0.15);
        let quality = (base_quality(council_type) + jitter).clamp(0.05, 0.98);
        let site_seed: u64 = rng.random();
        plans.push((site, quality, site_seed));
    }
    let sites = plans
        .into_iter()
        .map(|(site, quality, site_seed)| {
            let mut b = Builder::new(ruleset, site, quality, site_seed, extra_pages, today);
            b.build();
            b.finish()
        })
        .collect();
    DemoWeb {
        seed,
        today: today.to_string(),
        sites,
    }
}

fn unreachable_url() -> Url {
    // A literal that always parses; only reached if a slug were not a valid host label.
    Url::parse("http://demo.invalid/").unwrap_or_else(|_| unreachable!("static URL parses"))
}

/// Where a task page is linked from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    Landing,
    SubPage,
    Orphan,
}

struct TaskPlan {
    task: Task,
    words: &'static TaskWords,
    present: bool,
    title: String,
    path: String,
    placement: Placement,
    popular: bool,
    az: bool,
    legacy: Option<String>,
    route: OnlineRoute,
    form_page: Option<String>,
    pay: bool,
    stale: bool,
    facts: BTreeMap<String, bool>,
}

struct Page {
    spec: PageSpec,
    status: u16,
    latency_ms: u32,
    barriers: Vec<Barrier>,
    indexed: bool,
}

struct Builder<'a> {
    ruleset: &'a Ruleset,
    site: Site,
    quality: f64,
    rng: ChaCha8Rng,
    extra_pages: usize,
    today: Date,
    style: Style,
    chrome: Chrome,
    pages: Vec<Page>,
    raw: BTreeMap<String, DemoResponse>,
    next_id: u32,
    services_present: BTreeSet<u32>,
    services_missing: Vec<u32>,
    landings: BTreeMap<&'static str, (String, String)>,
    tasks: Vec<TaskPlan>,
    search_quality: SearchQuality,
    a_to_z: Option<String>,
    az_entries: Vec<(String, String)>,
    statement: bool,
    statement_truth: Option<super::statement::StatementTruth>,
    sitemap: bool,
    robots: Option<String>,
    broken_links: Vec<String>,
    failing: Vec<String>,
    hub: bool,
    print: bool,
    show_dates: bool,
    news: Vec<(String, String)>,
}

impl<'a> Builder<'a> {
    fn new(
        ruleset: &'a Ruleset,
        site: Site,
        quality: f64,
        seed: u64,
        extra_pages: usize,
        today: Date,
    ) -> Builder<'a> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let style = if rng.random_bool((0.15 + 0.75 * quality).clamp(0.0, 1.0)) {
            *[Style::Gov, Style::Cards]
                .choose(&mut rng)
                .unwrap_or(&Style::Gov)
        } else {
            *[Style::Classic, Style::Cluttered]
                .choose(&mut rng)
                .unwrap_or(&Style::Classic)
        };
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

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        *items.choose(&mut self.rng).unwrap_or(&items[0])
    }

    /// One of a list of words (the same draw as [`Self::pick`]).
    fn pick_word<'w>(&mut self, items: &'w [String]) -> &'w str {
        items.choose(&mut self.rng).unwrap_or(&items[0])
    }

    fn id(&mut self) -> u32 {
        self.next_id += self.rng.random_range(1..40);
        1000 + self.next_id
    }

    fn fresh_date(&mut self) -> String {
        let days: i64 = self.rng.random_range(10..200);
        let d = self
            .today
            .checked_sub(jiff::Span::new().days(days))
            .unwrap_or(self.today);
        self.format_date(d)
    }

    fn old_year(&mut self) -> i16 {
        self.today.year() - self.rng.random_range(3..8)
    }

    fn stale_date(&mut self) -> String {
        let year = self.old_year();
        let month: i8 = self.rng.random_range(1..13);
        let day: i8 = self.rng.random_range(1..29);
        let d = Date::new(year, month, day).unwrap_or(self.today);
        self.format_date(d)
    }

    fn format_date(&self, d: Date) -> String {
        let month = MONTHS[(d.month() - 1) as usize];
        match self.style {
            Style::Classic => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
            Style::Cards => format!("{} {} {}", d.day(), &month[..3], d.year()),
            Style::Gov | Style::Cluttered => format!("{} {month} {}", d.day(), d.year()),
        }
    }

    // ---- URL styles ------------------------------------------------------------------------

    fn title_words(title: &str) -> String {
        title
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    }

    fn landing_path(&mut self, cat: &words::Category, label: &str) -> String {
        match self.style {
            Style::Gov => format!("/{}", names::slugify(label)),
            Style::Classic => {
                let id = self.id();
                format!("/info/{id}/{}", Self::title_words(label))
            }
            Style::Cards => format!("/services/{}", self.pick_word(&cat.short)),
            Style::Cluttered => {
                let id = self.id();
                format!("/index.aspx?articleid={id}")
            }
        }
    }

    fn task_path(&mut self, landing: &str, slug: &str, title: &str) -> String {
        match self.style {
            Style::Gov | Style::Cards => format!("{landing}/{slug}"),
            Style::Classic => {
                let id = self.id();
                format!("/article/{id}/{}", Self::title_words(title))
            }
            Style::Cluttered => {
                let id = self.id();
                format!("/index.aspx?articleid={id}")
            }
        }
    }

    fn form_path(&mut self, slug: &str, action: Action) -> String {
        let verb = match action {
            Action::Report => "report",
            Action::Pay => "pay",
            Action::Book => "book",
            _ => "apply",
        };
        match (self.style, action) {
            (Style::Gov, Action::Pay) => format!("/pay/{slug}"),
            (Style::Gov, _) => format!("/forms/{slug}"),
            (Style::Classic, Action::Pay) => format!("/site/scripts/payments.php?fund={slug}"),
            (Style::Classic, _) => {
                let id = self.id();
                format!("/site/scripts/xforms_form.php?formID={id}")
            }
            (Style::Cards, _) => format!("/do-it-online/{verb}/{slug}"),
            (Style::Cluttered, Action::Pay) => format!("/payments/{slug}"),
            (Style::Cluttered, _) => format!("/{verb}-it/{slug}"),
        }
    }

    // ---- the build -------------------------------------------------------------------------

    fn build(&mut self) {
        let q = self.quality;
        self.search_quality = if self.chance(0.25 + 0.7 * q) {
            SearchQuality::Good
        } else {
            self.pick(&[
                SearchQuality::Poor,
                SearchQuality::Junk,
                SearchQuality::Empty,
                SearchQuality::Missing,
            ])
        };
        if self.search_quality != SearchQuality::Missing {
            let (action, param) = match self.style {
                Style::Gov => ("/search", self.pick(&["q", "query", "search"])),
                Style::Classic => ("/site/scripts/google_results.php", "q"),
                Style::Cards => ("/search-results", self.pick(&["q", "keywords", "term"])),
                Style::Cluttered => ("/search.aspx", self.pick(&["searchterm", "s", "text"])),
            };
            self.chrome.search = Some((action.to_string(), param.to_string()));
        }
        self.chrome.account = self.chance(q);
        self.chrome.fixed_width = match self.style {
            Style::Classic => true,
            Style::Cluttered => self.chance(0.5),
            _ => false,
        };
        self.statement = self.chance(0.45 + 0.55 * q);
        self.sitemap = self.chance(0.6 + 0.4 * q);
        if self.chance(0.55 + 0.4 * q) {
            self.a_to_z = Some(
                match self.style {
                    Style::Gov => "/a-z",
                    Style::Classic => "/a_to_z",
                    Style::Cards => "/a-to-z",
                    Style::Cluttered => "/az.aspx",
                }
                .to_string(),
            );
        }
        self.plan_services();
        self.plan_tasks();
        self.plan_chrome();
        self.build_content_pages();
        self.build_news();
        self.build_home();
        self.build_az();
        self.build_furniture_pages();
        self.plant_barriers();
        self.build_stubs();
        self.build_robots_and_sitemap();
    }

    fn plan_services(&mut self) {
        let always = [57, 358, 524];
        let services: Vec<u32> = self
            .ruleset
            .services_for(self.site.council_type)
            .map(|s| s.lgsl)
            .collect();
        for lgsl in services {
            let p = 0.86 + 0.14 * self.quality;
            if always.contains(&lgsl) || self.chance(p) {
                self.services_present.insert(lgsl);
            } else {
                self.services_missing.push(lgsl);
            }
        }
    }

    fn category(id: &str) -> &'static words::Category {
        words::builtin().category(id)
    }

    fn ensure_landing(&mut self, cat_id: &'static str) -> (String, String) {
        if let Some(l) = self.landings.get(cat_id) {
            return l.clone();
        }
        let cat = Self::category(cat_id);
        let named_missing = cat
            .named_service
            .is_some_and(|s| !self.services_present.contains(&s));
        let labels = if named_missing && !cat.labels_without.is_empty() {
            &cat.labels_without
        } else {
            &cat.labels
        };
        let label = self.pick_word(labels).to_string();
        let path = self.landing_path(cat, &label);
        self.landings.insert(cat_id, (path.clone(), label.clone()));
        (path, label)
    }

    fn plan_tasks(&mut self) {
        let q = self.quality;
        let tasks: Vec<Task> = self
            .ruleset
            .tasks_for(self.site.council_type)
            .cloned()
            .collect();
        for task in tasks {
            let Some(words) = words::builtin().tasks.iter().find(|w| w.task == task.id) else {
                continue;
            };
            let service_ok = words
                .service
                .is_none_or(|s| !self.services_missing.contains(&s));
            let present = service_ok && self.chance(0.88 + 0.12 * q);
            let i = self.rng.random_range(0..words.titles.len());
            let title = words.titles[i].to_string();
            let slug = words.slugs[i % words.slugs.len()].as_str();
            let mut plan = TaskPlan {
                task: task.clone(),
                words,
                present,
                title: title.clone(),
                path: String::new(),
                placement: Placement::Landing,
                popular: false,
                az: false,
                legacy: None,
                route: OnlineRoute::NotApplicable,
                form_page: None,
                pay: false,
                stale: false,
                facts: BTreeMap::new(),
            };
            if present {
                let (landing, _) = self.ensure_landing(&words.category);
                plan.path = self.task_path(&landing, slug, &title);
                plan.placement = if self.chance(0.55 + 0.42 * q) {
                    Placement::Landing
                } else if self.chance(0.6) {
                    Placement::SubPage
                } else {
                    Placement::Orphan
                };
                plan.popular = words.task != "job-vacancies" && self.chance(0.1 + 0.3 * q);
                plan.az = self.a_to_z.is_some() && self.chance(0.55 + 0.4 * q);
                if plan.placement == Placement::Orphan && !plan.az && !self.sitemap {
                    plan.placement = Placement::Landing;
                }
                if plan.az && self.chance(0.12 * (1.0 - q)) {
                    plan.legacy = Some(match self.style {
                        Style::Gov | Style::Cards => format!("{}-old", plan.path),
                        _ => {
                            let id = self.id();
                            format!("/index.aspx?articleid={id}&legacy=1")
                        }
                    });
                }
                let online_applies = task
                    .questions
                    .iter()
                    .any(|qq| matches!(qq.check, CheckKind::OnlineForm | CheckKind::OnlinePayment));
                if online_applies && words.action != Action::Lookup && words.action != Action::Info
                {
                    plan.route = if self.chance(0.3 + 0.65 * q) {
                        if words.action != Action::Pay && self.chance(0.3) {
                            OnlineRoute::EmbeddedForm
                        } else {
                            OnlineRoute::LinkedForm
                        }
                    } else if words.action != Action::Pay && self.chance(0.6) {
                        OnlineRoute::PdfOnly
                    } else {
                        OnlineRoute::PhoneOnly
                    };
                    plan.pay = matches!(words.action, Action::Pay | Action::Book)
                        && matches!(
                            plan.route,
                            OnlineRoute::LinkedForm | OnlineRoute::EmbeddedForm
                        );
                    if plan.route == OnlineRoute::LinkedForm {
                        plan.form_page = Some(self.form_path(slug, words.action));
                    }
                }
                plan.stale = self.chance(0.03 + 0.4 * (1.0 - q));
                for question in &task.questions {
                    if !matches!(
                        question.check,
                        CheckKind::PageMentions | CheckKind::LinksTo | CheckKind::HasInput
                    ) {
                        continue;
                    }
                    if words.facts.iter().any(|f| f.question == question.id) {
                        let yes = self.chance(0.45 + 0.5 * q);
                        plan.facts.insert(question.id.clone(), yes);
                    }
                }
                if plan.route == OnlineRoute::EmbeddedForm {
                    for f in &words.fields {
                        if let Some(qid) = &f.implies
                            && plan.facts.contains_key(qid)
                        {
                            plan.facts.insert(qid.clone(), true);
                        }
                    }
                }
            }
            self.tasks.push(plan);
        }
        // Service pages for services without a task of their own.
        for page in &words::builtin().service_pages {
            let task_for = self.tasks.iter().any(|t| t.task.lgsl == Some(page.lgsl));
            if self.services_present.contains(&page.lgsl) && !task_for {
                self.ensure_landing(&page.category);
            }
        }
    }

    fn plan_chrome(&mut self) {
        let q = self.quality;
        let hub = self.chance(0.5 * (1.0 - q) + 0.05);
        let mut cats: Vec<(String, String)> = self.landings.values().cloned().collect();
        cats.sort_by(|a, b| a.1.cmp(&b.1));
        let mut nav: Vec<(String, String)> = Vec::new();
        match self.style {
            Style::Gov => {}
            Style::Classic | Style::Cluttered => {
                if hub {
                    nav.push(("/services".into(), "All services".into()));
                } else {
                    nav.extend(cats.iter().cloned());
                }
            }
            Style::Cards => {
                nav.push(("/services".into(), "Services".into()));
                nav.push(("/news".into(), "News".into()));
            }
        }
        if self.style == Style::Cluttered {
            nav.push(("/do-it-online".into(), "Do it online".into()));
        }
        if let Some(az) = self.a_to_z.clone() {
            match self.style {
                Style::Classic => nav.push((az, "A to Z".into())),
                Style::Cluttered => nav.push((az, "A-Z".into())),
                _ => {}
            }
        }
        let mut footer: Vec<(String, String)> = vec![("/contact-us".into(), "Contact us".into())];
        if let Some(az) = self.a_to_z.clone() {
            match self.style {
                Style::Gov => footer.push((az, "A to Z of services".into())),
                Style::Cards => footer.push((az, "A-Z of services".into())),
                _ => {}
            }
        }
        if self.statement {
            let text = self.pick(&["Accessibility statement", "Accessibility"]);
            footer.push(("/accessibility-statement".into(), text.into()));
        }
        footer.push(("/privacy".into(), "Privacy notice".into()));
        footer.push(("/cookies".into(), "Cookies".into()));
        self.chrome.nav = nav;
        self.chrome.footer = footer;
        // Remember the hub choice through the home page: a hub site shows categories only on
        // /services.
        self.hub = hub;
    }

    fn add(&mut self, spec: PageSpec) {
        self.pages.push(Page {
            spec,
            status: 200,
            latency_ms: 0,
            barriers: Vec::new(),
            indexed: true,
        });
    }

    fn updated(&mut self, stale: bool) -> Option<String> {
        if stale && self.chance(0.6) {
            Some(self.stale_date())
        } else if self.show_dates {
            Some(self.fresh_date())
        } else {
            None
        }
    }

    fn crumbs(&self, trail: &[(String, String)]) -> Vec<(String, String)> {
        if self.style == Style::Cluttered {
            return Vec::new();
        }
        let mut out = vec![("/".to_string(), "Home".to_string())];
        out.extend(trail.iter().cloned());
        out
    }

    fn link_block(&self, links: Vec<(String, String, String)>) -> Block {
        if matches!(self.style, Style::Cards) {
            Block::Cards(links)
        } else {
            Block::Links(links.into_iter().map(|(h, t, _)| (h, t)).collect())
        }
    }

    fn build_content_pages(&mut self) {
        self.show_dates = self.chance(0.7);
        self.print = matches!(self.style, Style::Classic | Style::Cluttered) && self.chance(0.5);
        let cats: Vec<(&'static str, (String, String))> =
            self.landings.iter().map(|(k, v)| (*k, v.clone())).collect();
        for (cat_id, (landing, label)) in cats {
            let cat = Self::category(cat_id);
            let blurb = self.pick_word(&cat.blurbs).to_string();
            let mut on_landing: Vec<(String, String, String)> = Vec::new();
            let mut on_sub: Vec<(String, String)> = Vec::new();
            for t in self
                .tasks
                .iter()
                .filter(|t| t.present && t.words.category == cat_id)
            {
                match t.placement {
                    Placement::Landing => {
                        on_landing.push((
                            t.path.clone(),
                            t.title.clone(),
                            t.words.intro[0].to_string(),
                        ));
                    }
                    Placement::SubPage => on_sub.push((t.path.clone(), t.title.clone())),
                    Placement::Orphan => {}
                }
            }
            for page in &words::builtin().service_pages {
                // A service with a top task of its own is shown by the task's page, if at all.
                if page.category != cat_id
                    || !self.services_present.contains(&page.lgsl)
                    || self.tasks.iter().any(|t| t.task.lgsl == Some(page.lgsl))
                {
                    continue;
                }
                let text = &page.text;
                let title = self.pick_word(&page.titles).to_string();
                let slug = names::slugify(&title);
                let path = self.task_path(&landing, &slug, &title);
                on_landing.push((path.clone(), title.clone(), text.to_string()));
                let crumbs = self.crumbs(&[(landing.clone(), label.clone())]);
                let updated = self.updated(false);
                self.add(PageSpec {
                    path,
                    title: title.clone(),
                    h1: title,
                    crumbs,
                    blocks: vec![Block::Para(text.to_string())],
                    updated,
                    print_link: false,
                });
            }
            on_landing.shuffle(&mut self.rng);
            let mut blocks = vec![Block::Para(blurb)];
            if !on_landing.is_empty() {
                blocks.push(self.link_block(on_landing));
            }
            if !on_sub.is_empty() {
                let sub_path = match self.style {
                    Style::Gov | Style::Cards => format!("{landing}/more"),
                    _ => {
                        let id = self.id();
                        format!("/index.aspx?articleid={id}")
                    }
                };
                let sub_title = self
                    .pick(&["More about {}", "Other {} services", "{}: more information"])
                    .replace("{}", &label);
                blocks.push(Block::Para(format!("[{sub_title}]({sub_path})")));
                let crumbs = self.crumbs(&[(landing.clone(), label.clone())]);
                let updated = self.updated(false);
                self.add(PageSpec {
                    path: sub_path,
                    title: sub_title.clone(),
                    h1: sub_title,
                    crumbs,
                    blocks: vec![
                        Block::Para("Find more services in this section below.".into()),
                        Block::Links(on_sub),
                    ],
                    updated,
                    print_link: false,
                });
            }
            let crumbs = self.crumbs(&[]);
            let updated = self.updated(false);
            self.add(PageSpec {
                path: landing.clone(),
                title: label.clone(),
                h1: label.clone(),
                crumbs,
                blocks,
                updated,
                print_link: false,
            });
        }
        for i in 0..self.tasks.len() {
            if self.tasks[i].present {
                self.build_task_page(i);
            }
        }
    }

    fn stale_sentence(&mut self) -> String {
        let year = self.old_year();
        self.pick_word(&words::builtin().stale)
            .replace("{year}", &year.to_string())
            .replace("{next}", &(year + 1).to_string())
    }

    fn build_task_page(&mut self, i: usize) {
        let words = self.tasks[i].words;
        let title = self.tasks[i].title.clone();
        let path = self.tasks[i].path.clone();
        let route = self.tasks[i].route;
        let stale = self.tasks[i].stale;
        let (landing, label) = self
            .landings
            .get(words.category.as_str())
            .cloned()
            .unwrap_or_default();
        let mut blocks = vec![Block::Para(self.pick_word(&words.intro).to_string())];
        let online_link = if words.online_links.is_empty() {
            String::new()
        } else {
            self.pick_word(&words.online_links).to_string()
        };
        if route == OnlineRoute::EmbeddedForm {
            blocks.push(Block::Heading(
                self.pick(&["Do it online", "Use our online form", "Tell us now"])
                    .into(),
            ));
            blocks.push(Block::Form {
                action: "/forms/submit".into(),
                method: "post".into(),
                fields: words
                    .fields
                    .iter()
                    .map(|f| Field {
                        name: f.name.clone(),
                        label: f.label.clone(),
                    })
                    .collect(),
                button: online_link.clone(),
            });
        }
        for fact in &words.facts {
            let Some(&answer) = self.tasks[i].facts.get(&fact.question) else {
                continue;
            };
            let sentence = if answer {
                self.pick_word(&fact.yes)
            } else if !fact.no.is_empty() {
                self.pick_word(&fact.no)
            } else {
                continue;
            };
            if let Some(lookup) = sentence.strip_prefix("@lookup:") {
                let (name, label) = lookup.split_once('|').unwrap_or((lookup, lookup));
                blocks.push(Block::Form {
                    action: format!("{}/results", path.split('?').next().unwrap_or("/lookup")),
                    method: "get".into(),
                    fields: vec![Field {
                        name: name.into(),
                        label: label.into(),
                    }],
                    button: self.pick(&["Find", "Look up", "Search"]).into(),
                });
            } else {
                blocks.push(Block::Para(sentence.to_string()));
            }
        }
        match route {
            OnlineRoute::LinkedForm => {
                let form = self.tasks[i].form_page.clone().unwrap_or_default();
                blocks.push(Block::Para(format!("[{online_link}]({form})")));
                self.build_form_page(i, &form, &online_link);
            }
            OnlineRoute::PdfOnly => {
                let pdf = format!("/documents/{}-form.pdf", names::slugify(&title));
                let s = self
                    .pick_word(&words::builtin().pdf_route)
                    .replace("{pdf}", &pdf);
                blocks.push(Block::Para(s));
                self.raw.insert(pdf, pdf_response(&title));
            }
            OnlineRoute::PhoneOnly => {
                blocks.push(Block::Para(
                    self.pick_word(&words::builtin().phone_route).into(),
                ));
            }
            OnlineRoute::EmbeddedForm | OnlineRoute::NotApplicable => {}
        }
        if stale {
            let s = self.stale_sentence();
            blocks.push(Block::Para(s));
        }
        let crumbs = self.crumbs(&[(landing, label)]);
        let updated = self.updated(stale);
        let print = self.print;
        if print {
            let text = blocks.iter().map(Block::text).collect::<Vec<_>>().join(" ");
            self.raw.insert(
                format!("/print{path}"),
                DemoResponse::html(format!(
                    "<!DOCTYPE html><html lang=\"en-GB\"><head><title>{t}</title></head><body><h1>{t}</h1><p>{}</p></body></html>",
                    render::esc(&text),
                    t = render::esc(&title)
                )),
            );
        }
        if let Some(legacy) = self.tasks[i].legacy.clone() {
            let old = self.stale_date();
            let s = self.stale_sentence();
            let intro = self.pick_word(&words.intro).to_string();
            self.add(PageSpec {
                path: legacy,
                title: title.clone(),
                h1: title.clone(),
                crumbs: Vec::new(),
                blocks: vec![Block::Para(intro), Block::Para(s)],
                updated: Some(old),
                print_link: false,
            });
        }
        self.add(PageSpec {
            path,
            title: title.clone(),
            h1: title,
            crumbs,
            blocks,
            updated,
            print_link: print,
        });
    }

    fn build_form_page(&mut self, i: usize, path: &str, link_text: &str) {
        let words = self.tasks[i].words;
        let title = self.tasks[i].title.clone();
        let mut fields: Vec<Field> = words
            .fields
            .iter()
            .map(|f| Field {
                name: f.name.clone(),
                label: f.label.clone(),
            })
            .collect();
        let h1 = if self.tasks[i].pay {
            for (n, l) in [
                ("card", "Card number"),
                ("expiry", "Expiry date (MM/YY)"),
                ("cvc", "Security code"),
            ] {
                fields.push(Field {
                    name: n.into(),
                    label: l.into(),
                });
            }
            format!("Online payment: {title}")
        } else {
            format!("{link_text}: online form")
        };
        self.add(PageSpec {
            path: path.to_string(),
            title: h1.clone(),
            h1,
            crumbs: Vec::new(),
            blocks: vec![
                Block::Para("Please complete every field. It takes about five minutes.".into()),
                Block::Form {
                    action: "/forms/submit".into(),
                    method: "post".into(),
                    fields,
                    button: "Continue".into(),
                },
            ],
            updated: None,
            print_link: false,
        });
    }

    fn news_path(&mut self, title: &str) -> String {
        match self.style {
            Style::Gov | Style::Cards => format!("/news/{}", names::slugify(title)),
            Style::Classic => {
                let id = self.id();
                format!("/news/article/{id}/{}", Self::title_words(title))
            }
            Style::Cluttered => {
                let id = self.id();
                format!("/news.aspx?id={id}")
            }
        }
    }

    fn build_news(&mut self) {
        let q = self.quality;
        let count = 5 + self.extra_pages;
        let mut items: Vec<(String, String)> = Vec::new();
        if let Some(day) = self
            .tasks
            .iter()
            .find(|t| t.present && t.task.id == "bin-collection-day")
        {
            let title = "Bin collection changes over the holidays".to_string();
            let target = day.path.clone();
            let path = self.news_path(&title);
            let date = self.fresh_date();
            self.add(PageSpec {
                path: path.clone(),
                title: title.clone(),
                h1: title.clone(),
                crumbs: self.crumbs(&[("/news".into(), "News".into())]),
                blocks: vec![Block::Para(format!(
                    "Collections will run one day later than usual during the holiday week. [Check your collection day]({target})."
                ))],
                updated: Some(date),
                print_link: false,
            });
            items.push((path, title));
        }
        for k in 0..count {
            let news = &words::builtin().news;
            let base = &news[k % news.len()];
            let title = if k < news.len() {
                base.to_string()
            } else {
                format!("{base} ({})", k / news.len() + 1)
            };
            let path = self.news_path(&title);
            let date = if self.chance(0.2) {
                self.stale_date()
            } else {
                self.fresh_date()
            };
            let mut blocks = vec![Block::Para(format!(
                "{title}. Residents are invited to find out more and get involved."
            ))];
            if k == 1 && self.chance(0.3 + 0.5 * (1.0 - q)) {
                let id = self.id();
                let dead = format!("/old-pages/{id}");
                blocks.push(Block::Para(format!("[Read the full report]({dead})")));
                self.broken_links.push(dead);
            }
            self.add(PageSpec {
                path: path.clone(),
                title: title.clone(),
                h1: title.clone(),
                crumbs: self.crumbs(&[("/news".into(), "News".into())]),
                blocks,
                updated: Some(date),
                print_link: false,
            });
            if k == 2 && self.chance(0.2 + 0.4 * (1.0 - q)) {
                if let Some(p) = self.pages.last_mut() {
                    p.status = 500;
                    p.indexed = false;
                }
                self.failing.push(path.clone());
            }
            items.push((path, title));
        }
        // The news index, 20 items a page.
        let pages = items.chunks(20).count();
        for (n, chunk) in items.chunks(20).enumerate() {
            let path = if n == 0 {
                "/news".to_string()
            } else {
                format!("/news?page={}", n + 1)
            };
            let mut blocks = vec![Block::Para("The latest news from the council.".into())];
            blocks.push(Block::Links(chunk.to_vec()));
            if n + 1 < pages {
                blocks.push(Block::Para(format!("[Next page](/news?page={})", n + 2)));
            }
            self.add(PageSpec {
                path,
                title: "News".into(),
                h1: if n == 0 {
                    "News".into()
                } else {
                    format!("News: page {}", n + 1)
                },
                crumbs: self.crumbs(&[]),
                blocks,
                updated: None,
                print_link: false,
            });
        }
        self.news = items;
    }

    fn build_home(&mut self) {
        let council = self.site.name.clone();
        let welcome = self
            .pick(&[
                "Welcome to the website of {}.",
                "Find information and services from {}.",
                "Services, news and information from {}.",
            ])
            .replace("{}", &council);
        let mut blocks = vec![Block::Para(welcome)];
        let popular: Vec<(String, String)> = self
            .tasks
            .iter()
            .filter(|t| t.present && t.popular)
            .map(|t| (t.path.clone(), t.title.clone()))
            .collect();
        if !popular.is_empty() {
            blocks.push(Block::Heading(
                self.pick(&["Popular tasks", "Most requested", "Top tasks"])
                    .into(),
            ));
            blocks.push(Block::Links(popular));
        }
        let mut cats: Vec<(String, String, String)> = Vec::new();
        for (cat_id, (path, label)) in &self.landings {
            let blurb = Self::category(cat_id).blurbs[0].to_string();
            cats.push((path.clone(), label.clone(), blurb));
        }
        cats.sort_by(|a, b| a.1.cmp(&b.1));
        let needs_hub_page = self.hub || self.style == Style::Cards;
        if self.hub {
            blocks.push(Block::Para("[Browse all services](/services)".into()));
        } else if self.style != Style::Classic {
            blocks.push(Block::Heading(
                self.pick(&["Services", "Council services", "Find a service"])
                    .into(),
            ));
            blocks.push(Block::Cards(cats.clone()));
        }
        if needs_hub_page {
            self.add(PageSpec {
                path: "/services".into(),
                title: "All services".into(),
                h1: "All services".into(),
                crumbs: self.crumbs(&[]),
                blocks: vec![
                    Block::Para("Choose a service area.".into()),
                    Block::Heading("Service areas".into()),
                    Block::Cards(cats),
                ],
                updated: None,
                print_link: false,
            });
        }
        if self.style == Style::Cluttered {
            let online: Vec<(String, String)> = self
                .tasks
                .iter()
                .filter(|t| {
                    t.present
                        && matches!(t.route, OnlineRoute::LinkedForm | OnlineRoute::EmbeddedForm)
                })
                .map(|t| (t.path.clone(), t.title.clone()))
                .collect();
            self.add(PageSpec {
                path: "/do-it-online".into(),
                title: "Do it online".into(),
                h1: "Do it online".into(),
                crumbs: Vec::new(),
                blocks: vec![
                    Block::Para("Save time by doing it online, 24 hours a day.".into()),
                    Block::Links(online),
                ],
                updated: None,
                print_link: false,
            });
        }
        blocks.push(Block::Heading(self.pick(&["Latest news", "News"]).into()));
        let news: Vec<(String, String)> = self.news.iter().take(3).cloned().collect();
        blocks.push(Block::Links(news));
        blocks.push(Block::Para("[All news](/news)".into()));
        self.add(PageSpec {
            path: "/".into(),
            title: "Home".into(),
            h1: council,
            crumbs: Vec::new(),
            blocks,
            updated: None,
            print_link: false,
        });
    }

    fn build_az(&mut self) {
        let Some(az_path) = self.a_to_z.clone() else {
            return;
        };
        let mut entries: Vec<(String, String)> = self
            .landings
            .values()
            .map(|(p, l)| (l.clone(), p.clone()))
            .collect();
        for t in &self.tasks {
            if t.present && t.az {
                let label = t.words.az[t.title.len() % t.words.az.len()].to_string();
                let target = t.legacy.clone().unwrap_or_else(|| t.path.clone());
                entries.push((label, target));
            }
        }
        entries.push(("Contact us".into(), "/contact-us".into()));
        entries.push(("News".into(), "/news".into()));
        entries.sort_by_key(|(l, _)| l.to_lowercase());
        entries.dedup_by(|a, b| a.0 == b.0);
        self.az_entries = entries
            .iter()
            .map(|(l, p)| (p.clone(), l.clone()))
            .collect();
        let mut letters: BTreeMap<char, Vec<(String, String)>> = BTreeMap::new();
        for (label, path) in &entries {
            let c = label.chars().next().unwrap_or('#').to_ascii_uppercase();
            letters
                .entry(c)
                .or_default()
                .push((path.clone(), label.clone()));
        }
        let title = self
            .pick(&["A to Z of services", "A-Z", "Services A to Z"])
            .to_string();
        if self.style == Style::Classic {
            let mut index = Vec::new();
            for (c, links) in &letters {
                let lpath = format!("{az_path}/{}", c.to_ascii_lowercase());
                index.push((lpath.clone(), c.to_string()));
                self.add(PageSpec {
                    path: lpath,
                    title: format!("{title}: {c}"),
                    h1: format!("{title}: {c}"),
                    crumbs: self.crumbs(&[(az_path.clone(), title.clone())]),
                    blocks: vec![
                        Block::Para(format!("Services beginning with {c}.")),
                        Block::Links(links.clone()),
                    ],
                    updated: None,
                    print_link: false,
                });
            }
            self.add(PageSpec {
                path: az_path,
                title: title.clone(),
                h1: title,
                crumbs: self.crumbs(&[]),
                blocks: vec![Block::Para("Choose a letter.".into()), Block::Links(index)],
                updated: None,
                print_link: false,
            });
        } else {
            let mut blocks = vec![Block::Para("Find a service by its name.".into())];
            for (c, links) in letters {
                blocks.push(Block::Heading(c.to_string()));
                blocks.push(Block::Links(links));
            }
            self.add(PageSpec {
                path: az_path,
                title: title.clone(),
                h1: title,
                crumbs: self.crumbs(&[]),
                blocks,
                updated: None,
                print_link: false,
            });
        }
    }

    fn simple_page(&mut self, path: &str, title: &str, text: &str) {
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

    fn build_furniture_pages(&mut self) {
        self.simple_page(
            "/contact-us",
            "Contact us",
            "Our customer service centre is open Monday to Friday, 9am to 5pm. Call 0300 555 0100 or write to the Civic Centre.",
        );
        self.simple_page(
            "/privacy",
            "Privacy notice",
            "How we use and protect the personal information you give us.",
        );
        self.simple_page("/cookies", "Cookies", "We use essential cookies to make this site work, and optional cookies to understand how it is used.");
        let (page, truth) =
            super::statement::draw(&self.site, self.quality, self.statement, self.today);
        if let Some(page) = page {
            let crumbs = self.crumbs(&[]);
            let spec = PageSpec {
                path: page.path,
                title: page.title.clone(),
                h1: page.title,
                crumbs,
                blocks: page.blocks,
                updated: None,
                print_link: false,
            };
            if self.statement {
                self.add(spec);
            } else {
                // Linked from nowhere: served at its usual address, outside the crawl's reach.
                let html = render::render(&self.chrome, &spec, &[], 0);
                self.raw.insert(spec.path, DemoResponse::html(html));
            }
        }
        self.statement_truth = Some(truth);
        if self.chrome.account {
            self.simple_page(
                "/my-account",
                "My account",
                "Create an account or sign in to track your requests.",
            );
        }
        self.simple_page(
            "/share",
            "Share this page",
            "Share this page by email or on social media.",
        );
        self.simple_page(
            "/embed/feedback",
            "Feedback",
            "Tell us what you think of this page.",
        );
    }

    fn build_stubs(&mut self) {
        let mut known: BTreeSet<String> = self.pages.iter().map(|p| p.spec.path.clone()).collect();
        known.extend(self.raw.keys().cloned());
        let mut wanted: Vec<(String, String)> = Vec::new();
        for page in &self.pages {
            wanted.extend(page.spec.links());
        }
        wanted.extend(chrome_links(&self.chrome));
        for (i, page) in self.pages.iter().enumerate() {
            if page.barriers.contains(&Barrier::PdfLinkFormat) {
                wanted.push((
                    format!("/documents/guidance-notes-{i}.pdf"),
                    "Guidance notes".into(),
                ));
            }
        }
        for (href, text) in wanted {
            let path = href.split('#').next().unwrap_or_default().to_string();
            if path.is_empty()
                || !path.starts_with('/')
                || known.contains(&path)
                || self.broken_links.contains(&path)
            {
                continue;
            }
            known.insert(path.clone());
            if path.ends_with(".pdf") {
                self.raw.insert(path, pdf_response(&text));
            } else if path.ends_with(".ics") {
                self.raw.insert(
                    path,
                    DemoResponse {
                        status: 200,
                        content_type: "text/calendar".into(),
                        body: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//civicscan demo//EN\r\nEND:VCALENDAR\r\n".into(),
                        latency_ms: 0,
                        templated: false,
                    },
                );
            } else {
                self.simple_page(&path, &text, "This service is provided through our online system. Follow the steps on screen.");
            }
        }
    }

    fn plant_barriers(&mut self) {
        let q = self.quality;
        let site_lang = self.style == Style::Classic && self.chance(0.5);
        let site_icons = self.style == Style::Cluttered && self.chance(0.6);
        // Old templates often have no landmarks and no skip link on any page.
        let no_landmarks =
            matches!(self.style, Style::Classic | Style::Cluttered) && self.chance(0.8 - 0.5 * q);
        let kinds: Vec<Barrier> = Barrier::all().collect();
        let rate = (0.15 + 1.8 * (1.0 - q)) / kinds.len() as f64;
        for i in 0..self.pages.len() {
            let mut bs = Vec::new();
            for &b in &kinds {
                if self.chance(rate) {
                    bs.push(b);
                }
            }
            if site_lang && !bs.contains(&Barrier::HtmlLang) {
                bs.push(Barrier::HtmlLang);
            }
            if site_icons && !bs.contains(&Barrier::LinkName) {
                bs.push(Barrier::LinkName);
            }
            if no_landmarks && !bs.contains(&Barrier::Bypass) {
                bs.push(Barrier::Bypass);
            }
            if bs.contains(&Barrier::HtmlLang) {
                bs.retain(|b| *b != Barrier::HtmlLangValid);
            }
            if self.pages[i].spec.path == "/"
                && self.style == Style::Cluttered
                && self.chance(0.5)
                && !bs.contains(&Barrier::Marquee)
            {
                bs.push(Barrier::Marquee);
            }
            bs.sort();
            self.pages[i].barriers = bs;
        }
        // A few slow pages.
        let n = self.pages.len();
        for _ in 0..2 {
            let i = self.rng.random_range(0..n);
            if self.pages[i].spec.path != "/" {
                self.pages[i].latency_ms = self.rng.random_range(150..=300);
            }
        }
    }

    fn build_robots_and_sitemap(&mut self) {
        if self.chance(0.92) || self.print {
            let mut r = String::from("User-agent: *\nDisallow: /admin/\n");
            if self.print {
                r.push_str("Disallow: /print/\n");
            }
            if self.chance(0.1) {
                // Fractional, which RFC 9309 parsers accept: it still shows the crawler slowing
                // down for the host, without making the demo wait a minute for one council.
                r.push_str("Crawl-delay: 0.25\n");
            }
            if self.chance(0.2) {
                r.push_str("\nUser-agent: BadBot\nDisallow: /\n");
            }
            if self.sitemap {
                r.push_str("\nSitemap: {BASE}/sitemap.xml\n");
            }
            self.robots = Some(r);
        }
    }

    // ---- finishing: render, link graph, truth ----------------------------------------------

    fn finish(mut self) -> DemoSite {
        let chrome_l = chrome_links(&self.chrome);
        let mut graph: HashMap<String, Vec<String>> = HashMap::new();
        let clean = |h: &str| h.split('#').next().unwrap_or_default().to_string();
        for p in &self.pages {
            if p.status != 200 {
                continue;
            }
            let mut out: Vec<String> = chrome_l.iter().map(|(h, _)| clean(h)).collect();
            out.extend(p.spec.links().iter().map(|(h, _)| clean(h)));
            graph.insert(p.spec.path.clone(), out);
        }
        let mut depth: HashMap<String, u32> = HashMap::new();
        let mut queue = VecDeque::from([("/".to_string(), 0u32)]);
        depth.insert("/".into(), 0);
        while let Some((p, d)) = queue.pop_front() {
            for next in graph.get(&p).map(Vec::as_slice).unwrap_or_default() {
                if !depth.contains_key(next) {
                    depth.insert(next.clone(), d + 1);
                    queue.push_back((next.clone(), d + 1));
                }
            }
        }
        let content_links = |path: &str| -> BTreeSet<String> {
            self.pages
                .iter()
                .find(|p| p.spec.path == path)
                .map(|p| {
                    p.spec
                        .blocks
                        .iter()
                        .flat_map(Block::links)
                        .map(|(h, _)| clean(&h))
                        .collect()
                })
                .unwrap_or_default()
        };
        let home_links: BTreeSet<String> = graph
            .get("/")
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect();

        // The search engine.
        let search = self.chrome.search.clone().map(|(path, param)| {
            let docs: Vec<SearchDoc> = self
                .pages
                .iter()
                .filter(|p| p.indexed && p.status == 200)
                .map(|p| SearchDoc {
                    path: p.spec.path.clone(),
                    title: p.spec.title.clone(),
                    text: p.spec.text(),
                })
                .collect();
            let mut junk = vec![
                "/news".to_string(),
                "/contact-us".into(),
                "/cookies".into(),
                "/privacy".into(),
            ];
            junk.extend(self.news.iter().take(2).map(|(p, _)| p.clone()));
            let shell = render::render(
                &self.chrome,
                &PageSpec {
                    path: path.clone(),
                    title: "Search results".into(),
                    h1: "Search results".into(),
                    crumbs: Vec::new(),
                    blocks: vec![Block::Raw(RESULTS_MARKER.into())],
                    updated: None,
                    print_link: false,
                },
                &[],
                0,
            );
            let (before, after) = shell.split_once(RESULTS_MARKER).unwrap_or((&shell, ""));
            SearchSpec {
                path,
                param,
                quality: self.search_quality,
                docs,
                junk,
                shell_before: before.to_string(),
                shell_after: after.to_string(),
                style: self.style,
            }
        });

        let mobile = self.chrome.viewport && !self.chrome.fixed_width;
        let mut tasks = Vec::new();
        for t in &self.tasks {
            let mut answers = BTreeMap::new();
            let landing = self
                .landings
                .get(t.words.category.as_str())
                .map(|(p, _)| p.clone());
            let landing_links = landing.as_deref().map(content_links).unwrap_or_default();
            let top5: Vec<String> = search
                .as_ref()
                .map(|s| {
                    let mut r = s.result_paths(&t.task.search_term);
                    r.truncate(self.ruleset.navigation.search_result_count);
                    r
                })
                .unwrap_or_default();
            for question in &t.task.questions {
                let id = question.id.clone();
                let not_tested = match question.check {
                    CheckKind::InAToZ => self.a_to_z.is_none(),
                    CheckKind::SiteSearch => self.search_quality == SearchQuality::Missing,
                    _ => false,
                };
                if not_tested {
                    answers.insert(id, Expected::NotTested);
                    continue;
                }
                if !t.present {
                    // No page: nothing to reach, no routes to compare and no content to date.
                    let expected = if matches!(
                        question.check,
                        CheckKind::SameDestination | CheckKind::UpToDate
                    ) {
                        Expected::NotTested
                    } else {
                        Expected::No
                    };
                    answers.insert(id, expected);
                    continue;
                }
                // The question asks for a direct link: a route through the landing page is what
                // `landing-link` asks about.
                let linked_from_landing = landing_links.contains(&t.path);
                let linked_from_home = home_links.contains(&t.path);
                // The A–Z lists the task with an entry of its own, or through the entry for its
                // service's landing page ("Bins") when that page links on to the task.
                let landing_entry = self.a_to_z.is_some()
                    && linked_from_landing
                    && self
                        .landings
                        .get(t.words.category.as_str())
                        .is_some_and(|(_, label)| names_term(label, &t.task.az_term));
                let az_target = if t.az {
                    Some(t.legacy.clone().unwrap_or_else(|| t.path.clone()))
                } else {
                    landing_entry.then(|| t.path.clone())
                };
                if question.check == CheckKind::SameDestination {
                    // Every route the resident could take: the home page's and the landing page's
                    // direct links, the search hit and the A–Z entry. Fewer than two routes leave
                    // nothing to compare.
                    let mut dest: Vec<&String> = Vec::new();
                    if linked_from_home {
                        dest.push(&t.path);
                    }
                    if linked_from_landing {
                        dest.push(&t.path);
                    }
                    if let Some(hit) = top5
                        .iter()
                        .find(|p| **p == t.path || Some(*p) == t.legacy.as_ref())
                    {
                        dest.push(hit);
                    }
                    if let Some(a) = &az_target {
                        dest.push(a);
                    }
                    let expected = if dest.len() < 2 {
                        Expected::NotTested
                    } else {
                        Expected::from_bool(dest.iter().all(|d| **d == t.path))
                    };
                    answers.insert(id, expected);
                    continue;
                }
                let answer = match question.check {
                    CheckKind::LinkedFromHome => Some(linked_from_home),
                    CheckKind::LinkedFromLanding => Some(linked_from_landing),
                    CheckKind::SiteSearch => Some(top5.contains(&t.path)),
                    CheckKind::InAToZ => Some(az_target.is_some()),
                    CheckKind::SameDestination => None,
                    CheckKind::OnlineForm => Some(matches!(
                        t.route,
                        OnlineRoute::EmbeddedForm | OnlineRoute::LinkedForm
                    )),
                    CheckKind::OnlinePayment => Some(t.pay),
                    CheckKind::MobileFriendly => Some(mobile),
                    CheckKind::UpToDate => Some(!t.stale),
                    CheckKind::PageMentions | CheckKind::LinksTo | CheckKind::HasInput => {
                        t.facts.get(&id).copied()
                    }
                };
                if let Some(a) = answer {
                    answers.insert(id, Expected::from_bool(a));
                }
            }
            tasks.push(TaskTruth {
                task: t.task.id.clone(),
                page: t.present.then(|| t.path.clone()),
                depth: if t.present {
                    depth.get(&t.path).copied()
                } else {
                    None
                },
                form_page: t.form_page.clone(),
                online: t.route,
                answers,
            });
        }

        // Render.
        let mut barriers = BTreeMap::new();
        let mut slow = Vec::new();
        for (i, p) in self.pages.iter().enumerate() {
            let body = if p.status == 500 {
                "<!DOCTYPE html><html lang=\"en\"><head><title>Server error</title></head><body><h1>Server error</h1><p>Something went wrong.</p></body></html>".to_string()
            } else {
                render::render(&self.chrome, &p.spec, &p.barriers, i)
            };
            if p.status == 200 {
                barriers.insert(p.spec.path.clone(), p.barriers.clone());
            }
            if p.latency_ms > 0 {
                slow.push(p.spec.path.clone());
            }
            self.raw.insert(
                p.spec.path.clone(),
                DemoResponse {
                    status: p.status,
                    content_type: "text/html; charset=utf-8".into(),
                    body,
                    latency_ms: p.latency_ms,
                    templated: false,
                },
            );
        }
        let welsh = (self.site.council_type == CouncilType::WU).then(|| {
            let en: Vec<super::welsh::EnPage> = self
                .pages
                .iter()
                .filter(|p| p.status == 200)
                .map(|p| super::welsh::EnPage {
                    path: p.spec.path.clone(),
                    title: p.spec.title.clone(),
                    task: self
                        .tasks
                        .iter()
                        .find(|t| t.present && t.path == p.spec.path)
                        .map(|t| t.task.id.clone()),
                    depth: depth.get(&p.spec.path).copied(),
                })
                .collect();
            let min_share = self.ruleset.welsh.as_ref().map_or(0.9, |w| w.min_share);
            super::welsh::add(&mut self.raw, &self.site.slug, self.quality, &en, min_share)
        });
        if let Some(r) = &self.robots {
            self.raw.insert(
                "/robots.txt".into(),
                DemoResponse::text("text/plain; charset=utf-8", r, true),
            );
        }
        if self.sitemap {
            let mut xml = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
            );
            for p in self.pages.iter().filter(|p| p.status == 200) {
                xml.push_str(&format!(
                    "  <url><loc>{{BASE}}{}</loc></url>\n",
                    render::esc(&p.spec.path)
                ));
            }
            xml.push_str("</urlset>\n");
            self.raw.insert(
                "/sitemap.xml".into(),
                DemoResponse::text("application/xml", &xml, true),
            );
        }
        let mut robots_disallow = vec![];
        if let Some(r) = &self.robots {
            if r.contains("/admin/") {
                robots_disallow.push("/admin/".to_string());
            }
            if r.contains("/print/") {
                robots_disallow.push("/print/".to_string());
            }
        }
        // A service is there when a page for it is: an information page of its own, or the page
        // of a task for it. (A service the council provides but the site never mentions cannot
        // be found, and is counted as missing.)
        let has_page = |lgsl: u32| {
            let task_for = self.tasks.iter().any(|t| t.task.lgsl == Some(lgsl));
            (!task_for
                && words::builtin()
                    .service_pages
                    .iter()
                    .any(|p| p.lgsl == lgsl))
                || self
                    .tasks
                    .iter()
                    .any(|t| t.present && t.task.lgsl == Some(lgsl))
        };
        let (services, unmentioned): (Vec<u32>, Vec<u32>) = self
            .services_present
            .iter()
            .copied()
            .partition(|&l| has_page(l));
        let mut services_missing = self.services_missing.clone();
        services_missing.extend(unmentioned);
        services_missing.sort_unstable();
        let truth = SiteTruth {
            slug: self.site.slug.clone(),
            council_type: self.site.council_type,
            template: self.style.name().to_string(),
            quality: self.quality,
            tasks,
            barriers,
            services,
            services_missing,
            a_to_z: self.a_to_z.is_some(),
            search: self.search_quality,
            accessibility_statement: self.statement,
            statement: self.statement_truth.take(),
            welsh,
            failing_pages: self.failing.clone(),
            broken_links: self.broken_links.clone(),
            robots_disallow,
            slow_pages: slow,
        };
        DemoSite {
            site: self.site,
            pages: self.raw,
            search,
            truth,
        }
    }
}

fn pdf_response(title: &str) -> DemoResponse {
    // A minimal one-page PDF; only its type and size matter to the survey.
    let text = title.replace(['(', ')', '\\'], "");
    let body = format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
         3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj\n\
         4 0 obj << /Length 44 >> stream\nBT /F1 12 Tf 72 770 Td ({text}) Tj ET\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    );
    DemoResponse {
        status: 200,
        content_type: "application/pdf".into(),
        body,
        latency_ms: 0,
        templated: false,
    }
}

/// Whether a label names a term: the term's words, in order, among the label's (plurals folded).
fn names_term(label: &str, term: &str) -> bool {
    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let w = w.to_lowercase();
                match w.strip_suffix('s') {
                    Some(stem) if w.len() > 3 && !w.ends_with("ss") => stem.to_string(),
                    _ => w,
                }
            })
            .collect()
    }
    let (label, term) = (words(label), words(term));
    !term.is_empty() && label.windows(term.len()).any(|w| w == term.as_slice())
}
