//! Accessibility barriers planted on pages (more on a poorer site) and a few slow pages.

use rand::Rng;

use super::builder::Builder;
use crate::demo::barriers::Barrier;
use crate::demo::render::Style;

impl Builder<'_> {
    pub(super) fn plant_barriers(&mut self) {
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
}
