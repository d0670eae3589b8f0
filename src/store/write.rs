//! The writes a survey makes, as values: each is applied inside a transaction the caller owns,
//! so one write or a batch of many commits at once ([`super::Store::write_batch`]).

use rusqlite::{Transaction, params};

use super::{RunId, compress, now_rfc3339};
use crate::audit::SiteAssessment;
use crate::audit::a11y::Finding;
use crate::crawl::Page;
use crate::page::PageFacts;

/// One write of a run.
#[derive(Debug)]
pub enum Write {
    /// A site's crawl has started.
    StartSite {
        /// The site.
        slug: String,
    },
    /// A fetched page with its facts and findings.
    Page(Box<PageRow>),
    /// A stored page's facts and findings replaced by its rendering.
    Rendering {
        /// The site.
        slug: String,
        /// The URL the page was requested as.
        url: String,
        /// Its facts, serialized and compressed.
        facts: Vec<u8>,
        /// Its findings.
        findings: Vec<Finding>,
    },
    /// A site's assessment, which marks the site done.
    Assessment(Box<SiteAssessment>),
}

impl Write {
    /// A page, serialized here (on the caller's thread, not the writer's).
    pub fn page(
        slug: &str,
        page: &Page,
        facts: Option<&PageFacts>,
        findings: Vec<Finding>,
    ) -> Write {
        Write::Page(Box::new(PageRow::new(slug, page, facts, findings)))
    }

    /// A page's rendering, serialized here.
    pub fn rendering(slug: &str, url: &str, facts: &PageFacts, findings: Vec<Finding>) -> Write {
        Write::Rendering {
            slug: slug.to_string(),
            url: url.to_string(),
            facts: facts_blob(facts),
            findings,
        }
    }

    /// The site it is about.
    pub fn slug(&self) -> &str {
        match self {
            Write::StartSite { slug } | Write::Rendering { slug, .. } => slug,
            Write::Page(p) => &p.slug,
            Write::Assessment(a) => &a.site.slug,
        }
    }

    /// What it is, for an error message: the page's URL, or the kind of write.
    pub fn describe(&self) -> String {
        match self {
            Write::StartSite { .. } => "the start of its crawl".into(),
            Write::Page(p) => p.page.url.to_string(),
            Write::Rendering { url, .. } => format!("the rendering of {url}"),
            Write::Assessment(_) => "its assessment".into(),
        }
    }

    pub(super) fn apply(&self, tx: &Transaction<'_>, run: RunId) -> rusqlite::Result<()> {
        match self {
            Write::StartSite { slug } => {
                tx.execute(
                    "UPDATE sites SET status = 'crawling', started_at = COALESCE(started_at, ?3) WHERE run_id = ?1 AND slug = ?2",
                    params![run, slug, now_rfc3339()],
                )?;
                Ok(())
            }
            Write::Page(p) => p.insert(tx, run),
            Write::Rendering {
                slug,
                url,
                facts,
                findings,
            } => {
                tx.prepare_cached(
                    "UPDATE pages SET facts = ?4 WHERE run_id = ?1 AND site_slug = ?2 AND url = ?3",
                )?
                .execute(params![run, slug, url, facts])?;
                replace_findings(tx, run, slug, url, findings)
            }
            Write::Assessment(a) => insert_assessment(tx, run, a),
        }
    }
}

/// A page as stored: the fetch record (no body), its facts compressed, and its findings.
#[derive(Debug)]
pub struct PageRow {
    slug: String,
    page: Page,
    title: Option<String>,
    facts: Option<Vec<u8>>,
    findings: Vec<Finding>,
}

impl PageRow {
    fn new(slug: &str, page: &Page, facts: Option<&PageFacts>, findings: Vec<Finding>) -> PageRow {
        PageRow {
            slug: slug.to_string(),
            page: Page {
                url: page.url.clone(),
                final_url: page.final_url.clone(),
                status: page.status,
                content_type: page.content_type.clone(),
                kind: page.kind,
                bytes: page.bytes,
                truncated: page.truncated,
                content_length: page.content_length,
                ttfb_ms: page.ttfb_ms,
                depth: page.depth,
                referrer: page.referrer.clone(),
                link_text: page.link_text.clone(),
                redirects: page.redirects.clone(),
                fetched_at_ms: page.fetched_at_ms,
                etag: page.etag.clone(),
                last_modified: page.last_modified.clone(),
                body: None,
                error: page.error.clone(),
            },
            title: facts.and_then(|f| f.title.clone()),
            facts: facts.map(facts_blob),
            findings,
        }
    }

    fn insert(&self, tx: &Transaction<'_>, run: RunId) -> rusqlite::Result<()> {
        let page = &self.page;
        let redirects = serde_json::to_string(&page.redirects).unwrap_or_default();
        tx.prepare_cached(
            "INSERT OR REPLACE INTO pages (run_id, site_slug, url, final_url, status, content_type, kind, bytes, truncated,
               content_length, ttfb_ms, depth, referrer, link_text, redirects, fetched_at_ms, etag, last_modified, error, title, facts, outcome)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
        )?
        .execute(params![
            run,
            self.slug,
            page.url.as_str(),
            page.final_url.as_str(),
            page.status,
            page.content_type,
            serde_json::to_value(page.kind).ok().and_then(|v| v.as_str().map(str::to_string)),
            page.bytes as i64,
            page.truncated,
            page.content_length.map(|l| l as i64),
            page.ttfb_ms,
            page.depth,
            page.referrer.as_ref().map(|u| u.as_str()),
            page.link_text,
            redirects,
            page.fetched_at_ms,
            page.etag,
            page.last_modified,
            page.error,
            self.title,
            self.facts,
            page.outcome().as_str(),
        ])?;
        replace_findings(tx, run, &self.slug, page.url.as_str(), &self.findings)
    }
}

fn facts_blob(facts: &PageFacts) -> Vec<u8> {
    compress(&serde_json::to_vec(facts).unwrap_or_default())
}

/// A page's findings, in place of those stored before.
fn replace_findings(
    tx: &Transaction<'_>,
    run: RunId,
    slug: &str,
    url: &str,
    findings: &[Finding],
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "DELETE FROM findings WHERE run_id = ?1 AND site_slug = ?2 AND page_url = ?3",
    )?
    .execute(params![run, slug, url])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO findings (run_id, site_slug, page_url, rule, outcome, impact, wcag, act, selector, snippet, message, rendered)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for f in findings {
        stmt.execute(params![
            run,
            slug,
            url,
            f.rule,
            f.outcome.as_str(),
            f.impact.as_str(),
            f.wcag.join(" "),
            f.act.join(" "),
            f.selector,
            f.snippet,
            f.message,
            f.rendered
        ])?;
    }
    Ok(())
}

/// A site's assessment with its task answers and coverage; marks the site done.
fn insert_assessment(
    tx: &Transaction<'_>,
    run: RunId,
    assessment: &SiteAssessment,
) -> rusqlite::Result<()> {
    let slug = assessment.site.slug.as_str();
    let json = serde_json::to_string(assessment).unwrap_or_default();
    tx.execute(
        "INSERT OR REPLACE INTO assessments (run_id, site_slug, assessment) VALUES (?1, ?2, ?3)",
        params![run, slug, json],
    )?;
    for table in ["task_results", "task_answers", "coverage"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE run_id = ?1 AND site_slug = ?2"),
            params![run, slug],
        )?;
    }
    for t in &assessment.tasks {
        tx.prepare_cached(
            "INSERT INTO task_results (run_id, site_slug, task, page_url, route, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            run,
            slug,
            t.task,
            t.page_url,
            serde_json::to_string(&t.route).unwrap_or_default(),
            t.reason
        ])?;
        for a in &t.answers {
            let answer = serde_json::to_value(a.answer)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string));
            tx.prepare_cached(
                "INSERT INTO task_answers (run_id, site_slug, task, question, answer, evidence_url, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![run, slug, t.task, a.question, answer, a.evidence_url, a.reason])?;
        }
    }
    for s in &assessment.coverage.services {
        tx.prepare_cached(
            "INSERT INTO coverage (run_id, site_slug, lgsl, title, url) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![run, slug, s.lgsl, s.title, s.url])?;
    }
    tx.execute(
        "UPDATE sites SET status = 'done', finished_at = ?3, failure = ?4 WHERE run_id = ?1 AND slug = ?2",
        params![run, slug, now_rfc3339(), assessment.failure],
    )?;
    Ok(())
}
