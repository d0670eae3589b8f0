//! Finishing a site: every page rendered to its response, the Welsh pages, robots.txt and the
//! sitemap, and the site's ground truth.

use std::collections::{BTreeMap, HashMap};

use super::builder::Builder;
use crate::demo::barriers::Barrier;
use crate::demo::render;
use crate::demo::truth::SiteTruth;
use crate::demo::welsh::WelshTruth;
use crate::demo::{DemoResponse, DemoSite};
use crate::sites::CouncilType;

impl Builder<'_> {
    pub(super) fn finish(mut self) -> DemoSite {
        let links = self.link_graph();
        let search = self.search_engine();
        let tasks = self.task_truths(&links, search.as_ref());
        let (barriers, slow) = self.render_pages();
        let welsh = self.welsh_pages(&links.depth);
        self.robots_and_sitemap();
        let mut robots_disallow = vec![];
        if let Some(r) = &self.robots {
            if r.contains("/admin/") {
                robots_disallow.push("/admin/".to_string());
            }
            if r.contains("/print/") {
                robots_disallow.push("/print/".to_string());
            }
        }
        let (services, services_missing) = self.services_truth();
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

    /// Renders every page into its response: the barriers planted on each page served with 200,
    /// and the slow pages.
    fn render_pages(&mut self) -> (BTreeMap<String, Vec<Barrier>>, Vec<String>) {
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
        (barriers, slow)
    }

    /// A Welsh council's Welsh-language pages.
    fn welsh_pages(&mut self, depth: &HashMap<String, u32>) -> Option<WelshTruth> {
        (self.site.council_type == CouncilType::WU).then(|| {
            let en: Vec<crate::demo::welsh::EnPage> = self
                .pages
                .iter()
                .filter(|p| p.status == 200)
                .map(|p| crate::demo::welsh::EnPage {
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
            crate::demo::welsh::add(&mut self.raw, &self.site.slug, self.quality, &en, min_share)
        })
    }

    /// robots.txt and the sitemap, when the site has them.
    fn robots_and_sitemap(&mut self) {
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
    }
}
