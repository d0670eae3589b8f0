//! The generator: from a seed, a set of council websites and their ground truth.
//!
//! Each site draws a hidden quality (districts lower on average than counties and unitaries) and
//! a template; every feature (where task pages sit, whether a form is online, which facts a page
//! gives, how search behaves, which barriers are planted) is drawn from that quality. The truth
//! is recorded as the site is built.

mod answers;
mod builder;
mod faults;
mod finish;
mod furniture;
mod links;
mod navigation;
mod news;
mod plan;
mod search_index;
mod services;
mod task_pages;
mod urls;

use std::collections::BTreeSet;

use jiff::civil::Date;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use url::Url;

use self::builder::Builder;
use super::names;
use super::render::Style;
use super::truth::SearchQuality;
use super::{DemoSite, DemoWeb};
use crate::ruleset::Ruleset;
use crate::sites::{CouncilType, Site};

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
    let sites = plan_at(seed, councils)
        .iter()
        .map(|plan| build_site(ruleset, plan, extra_pages, today))
        .collect();
    DemoWeb {
        seed,
        today: today.to_string(),
        sites,
    }
}

/// One council as planned from the web's random stream, before its site is built: everything
/// [`build_site`] needs, so a site can be built on its own, at any time, with the same bytes.
#[derive(Debug, Clone)]
pub struct SitePlan {
    /// The council; `homepage` is a placeholder until the site is served.
    pub site: Site,
    /// The hidden quality every feature is drawn from.
    quality: f64,
    /// The seed of the site's own random stream.
    site_seed: u64,
}

impl SitePlan {
    /// The site's template (its first draw, so this builds nothing).
    pub fn template(&self) -> Style {
        builder::draw_style(&mut ChaCha8Rng::seed_from_u64(self.site_seed), self.quality)
    }
}

/// Plans every council of the web: names, types, places and each site's quality and seed, drawn
/// in order from the one stream of `seed` (so planning is cheap and building can wait).
pub fn plan_at(seed: u64, councils: usize) -> Vec<SitePlan> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut used_names = BTreeSet::new();
    let mut plans = Vec::with_capacity(councils);
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
        plans.push(SitePlan {
            site,
            quality,
            site_seed,
        });
    }
    plans
}

/// Builds one planned site: the same bytes whenever and wherever it is built.
pub fn build_site(ruleset: &Ruleset, plan: &SitePlan, extra_pages: usize, today: Date) -> DemoSite {
    let mut b = Builder::new(
        ruleset,
        plan.site.clone(),
        plan.quality,
        plan.site_seed,
        extra_pages,
        today,
    );
    b.build();
    b.finish()
}

fn unreachable_url() -> Url {
    // A literal that always parses; only reached if a slug were not a valid host label.
    Url::parse("http://demo.invalid/").unwrap_or_else(|_| unreachable!("static URL parses"))
}

impl Builder<'_> {
    /// Builds one site: its site-wide features first (search, account, statement, sitemap, A–Z),
    /// then each part in turn. The order is part of the demo: every part draws from the site's
    /// one random stream.
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
}
