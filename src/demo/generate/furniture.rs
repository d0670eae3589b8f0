//! Site furniture: contact, privacy, cookies, the accessibility statement, account, share and
//! feedback pages; a page for every link that leads nowhere yet; and robots.txt.

use std::collections::BTreeSet;

use super::builder::Builder;
use super::task_pages::pdf_response;
use crate::demo::DemoResponse;
use crate::demo::barriers::Barrier;
use crate::demo::render::{self, PageSpec, chrome_links};

impl Builder<'_> {
    pub(super) fn build_furniture_pages(&mut self) {
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
            crate::demo::statement::draw(&self.site, self.quality, self.statement, self.today);
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

    pub(super) fn build_stubs(&mut self) {
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

    pub(super) fn build_robots_and_sitemap(&mut self) {
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
}
