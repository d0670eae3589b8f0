//! The `civicscan audit` command as a library function: audits local HTML files, folders of
//! them, or URLs, one page at a time, and writes text or JSON lines.
//!
//! It does not crawl: each URL is fetched once, plus each stylesheet it links to once per run,
//! through the crawler (robots.txt, the per-host rate and the private-address guard apply, as
//! in a survey); URLs on different hosts are fetched at once. Local files resolve their
//! stylesheets relative to the file, or through `--base-url` back to the folder given. An input
//! that cannot be read or fetched is reported on standard error and the others go on; the run
//! ends with [`AuditError::SomeFailed`] when any failed. Task and service classification belongs to another
//! stage: the caller passes a [`Classifier`] (the lead wires the page classifier); without one
//! `tasks` and `services` are empty arrays.

use scraper::Selector;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use url::Url;

use super::{Cut, Finding, SiteCss, audit_page_counted};
use crate::crawl::{CrawlConfig, Crawler, FetchKind, PageKind};
use crate::page::{ParsedPage, normalise_space};
use crate::ruleset::{AccessibilitySettings, CrawlBudget};
use crate::sites::{CouncilType, Site};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per page per line.
    Json,
}

/// What the page classifier says a page serves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// Ruleset task ids, best first.
    pub tasks: Vec<String>,
    /// LGSL service codes.
    pub services: Vec<u32>,
    /// Why the first task was named: which words of which part of the page decided.
    pub evidence: Vec<String>,
}

/// The hook for the page classifier.
pub type Classifier<'a> = &'a dyn Fn(&ParsedPage) -> Classification;

/// The hook for the render stage (`--render all`, wired by the binary): audits a page in a
/// browser from its URL, HTML and stylesheets, or says why it could not.
pub type Renderer<'a> =
    &'a dyn Fn(&Url, &str, &SiteCss) -> Result<(Vec<Finding>, Vec<Cut>), String>;

/// Options of the command.
#[derive(Debug, Clone)]
pub struct Options {
    /// The URL local files are served from (for resolving links and stylesheets).
    pub base_url: Option<Url>,
    /// Output format.
    pub format: Format,
    /// Rule settings.
    pub settings: AccessibilitySettings,
    /// Politeness and budgets for URLs (the ruleset's crawl settings).
    pub crawl: CrawlBudget,
    /// Allow private and loopback addresses (`--allow-private`).
    pub allow_private: bool,
}

/// Errors of the audit command; each names its input.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// A file or folder could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A URL could not be fetched.
    #[error("{url}: cannot fetch: {message}")]
    Fetch {
        /// The URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// A URL answered with an error status.
    #[error("{url}: HTTP status {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
    },
    /// An input is neither a file, a folder nor an http(s) URL.
    #[error("{0}: not a file, folder or http(s) URL")]
    BadInput(String),
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Write(#[from] std::io::Error),
    /// Some inputs could not be audited (each was reported as it failed); the rest were.
    #[error(
        "{failed} of {inputs} inputs could not be audited (first: {first}); {audited} pages audited"
    )]
    SomeFailed {
        /// Inputs given.
        inputs: usize,
        /// Inputs that failed.
        failed: usize,
        /// Pages audited.
        audited: usize,
        /// The first failure.
        first: String,
    },
}

/// One page's output line.
#[derive(Debug, Serialize)]
struct PageLine<'a> {
    page: &'a str,
    title: Option<String>,
    findings: &'a [Finding],
    /// Rules whose findings were cut at the ruleset's `max_findings_per_rule`.
    cut: &'a [Cut],
    tasks: &'a [String],
    /// Why the first task was named.
    task_evidence: &'a [String],
    services: &'a [u32],
}

/// A page to audit: where it came from and its text.
struct Input {
    url: Url,
    text: String,
    /// For local files: the folder `--base-url` maps to.
    root: Option<PathBuf>,
}

/// Fetches URLs through the crawler, so an audit is as polite as a survey.
struct Fetcher {
    rt: tokio::runtime::Runtime,
    crawler: Crawler,
}

impl Fetcher {
    fn new(opts: &Options) -> Result<Fetcher, AuditError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| AuditError::Fetch {
                url: String::new(),
                message: e.to_string(),
            })?;
        let mut config = CrawlConfig::from_budget(&opts.crawl);
        config.allow_private = opts.allow_private;
        let crawler =
            rt.block_on(async { Crawler::new(config) })
                .map_err(|e| AuditError::Fetch {
                    url: String::new(),
                    message: e.to_string(),
                })?;
        Ok(Fetcher { rt, crawler })
    }

    /// Fetches pages at once (one host's pages one at a time, at its rate), in input order.
    fn pages(&self, urls: &[Url]) -> Vec<Result<(Url, String), AuditError>> {
        let fetches = urls.iter().map(|url| async move {
            let page = self
                .crawler
                .fetch(&site_for(url), url.clone(), FetchKind::Html)
                .await;
            if let Some(e) = page.error.filter(|_| page.status < 400) {
                return Err(AuditError::Fetch {
                    url: url.to_string(),
                    message: e,
                });
            }
            if page.status >= 400 || page.status == 0 {
                return Err(AuditError::Status {
                    url: url.to_string(),
                    status: page.status,
                });
            }
            match (page.kind, page.body) {
                (PageKind::Html, Some(body)) => Ok((page.final_url, body)),
                _ => Err(AuditError::Fetch {
                    url: url.to_string(),
                    message: format!(
                        "not an HTML page ({})",
                        page.content_type.as_deref().unwrap_or("no Content-Type")
                    ),
                }),
            }
        });
        self.rt.block_on(futures::future::join_all(fetches))
    }

    /// A stylesheet's text, when it can be had.
    fn sheet(&self, url: &Url) -> Option<String> {
        let page = self.rt.block_on(self.crawler.fetch(
            &site_for(url),
            url.clone(),
            FetchKind::Css,
        ));
        (page.status == 200).then_some(page.body).flatten()
    }
}

/// The crawler fetches for a site; an audited URL stands for its own.
fn site_for(url: &Url) -> Site {
    let host = url.host_str().unwrap_or("site");
    // The type is not used for fetching; politeness is per host.
    Site::new("audit", host, CouncilType::EU, url.clone())
}

fn read(path: &Path) -> Result<String, AuditError> {
    let bytes = std::fs::read(path).map_err(|source| AuditError::Read {
        path: path.display().to_string(),
        source,
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), AuditError> {
    let entries = std::fs::read_dir(dir).map_err(|source| AuditError::Read {
        path: dir.display().to_string(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            html_files(&p, out)?;
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
        {
            out.push(p);
        }
    }
    Ok(())
}

fn file_url(path: &Path, root: &Path, base: Option<&Url>) -> Result<Url, AuditError> {
    let abs = std::fs::canonicalize(path).map_err(|source| AuditError::Read {
        path: path.display().to_string(),
        source,
    })?;
    if let Some(base) = base {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        if let Ok(rel) = abs.strip_prefix(&root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if let Ok(u) = base.join(&rel) {
                return Ok(u);
            }
        }
    }
    Url::from_file_path(&abs).map_err(|()| AuditError::BadInput(path.display().to_string()))
}

/// Audits the inputs and writes one record per page. Returns the number of pages audited, or
/// [`AuditError::SomeFailed`] after auditing the rest when some inputs failed (each failure is
/// written to standard error as it is found).
pub fn run(
    inputs: &[String],
    opts: &Options,
    classify: Option<Classifier<'_>>,
    out: &mut dyn Write,
) -> Result<usize, AuditError> {
    run_with(inputs, opts, classify, None, out)
}

/// [`run`], with each page also rendered through `render` when given: its findings are the
/// rendered ones (each marked `"rendered": true`); a page that cannot be rendered keeps its
/// static findings, and the reason is written to standard error.
pub fn run_with(
    inputs: &[String],
    opts: &Options,
    classify: Option<Classifier<'_>>,
    render: Option<Renderer<'_>>,
    out: &mut dyn Write,
) -> Result<usize, AuditError> {
    let mut failures: Vec<AuditError> = Vec::new();
    // URLs first, all at once; the results keep their input order.
    let urls: Vec<Url> = inputs
        .iter()
        .filter(|i| is_url(i))
        .filter_map(|i| Url::parse(i).ok())
        .collect();
    let fetcher = if urls.is_empty() {
        None
    } else {
        Some(Fetcher::new(opts)?)
    };
    let mut fetched = fetcher
        .as_ref()
        .map(|f| f.pages(&urls))
        .unwrap_or_default()
        .into_iter();
    let mut pages: Vec<Input> = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if is_url(input) {
            if Url::parse(input).is_err() {
                fail(AuditError::BadInput(input.clone()), &mut failures);
                continue;
            }
            match fetched.next() {
                Some(Ok((url, text))) => pages.push(Input {
                    url,
                    text,
                    root: None,
                }),
                Some(Err(e)) => fail(e, &mut failures),
                None => fail(AuditError::BadInput(input.clone()), &mut failures),
            }
        } else if path.is_dir() {
            let mut files = Vec::new();
            if let Err(e) = html_files(path, &mut files) {
                fail(e, &mut failures);
                continue;
            }
            for file in files {
                match file_url(&file, path, opts.base_url.as_ref())
                    .and_then(|url| Ok((url, read(&file)?)))
                {
                    Ok((url, text)) => pages.push(Input {
                        url,
                        text,
                        root: Some(path.to_path_buf()),
                    }),
                    Err(e) => fail(e, &mut failures),
                }
            }
        } else if path.is_file() {
            let root = path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            match file_url(path, &root, opts.base_url.as_ref())
                .and_then(|url| Ok((url, read(path)?)))
            {
                Ok((url, text)) => pages.push(Input {
                    url,
                    text,
                    root: Some(root),
                }),
                Err(e) => fail(e, &mut failures),
            }
        } else {
            fail(AuditError::BadInput(input.clone()), &mut failures);
        }
    }
    let mut fetcher = fetcher;
    let mut sheets: HashMap<Url, Option<String>> = HashMap::new();
    let link_sel =
        Selector::parse("link[href]").map_err(|_| AuditError::BadInput("link selector".into()))?;
    let title_sel =
        Selector::parse("title").map_err(|_| AuditError::BadInput("title selector".into()))?;
    for input in &pages {
        let page = ParsedPage::parse(input.url.clone(), &input.text);
        let base = page.base_url();
        let mut css = SiteCss::empty();
        for link in page.html.select(&link_sel) {
            let rel = link.value().attr("rel").unwrap_or("");
            if !rel
                .split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("stylesheet"))
            {
                continue;
            }
            let Some(href) = link.value().attr("href") else {
                continue;
            };
            let Ok(sheet_url) = base.join(href.trim()) else {
                continue;
            };
            if !sheets.contains_key(&sheet_url) {
                let text = load_sheet(&sheet_url, input, opts, &mut fetcher);
                sheets.insert(sheet_url.clone(), text);
            }
            if let Some(Some(text)) = sheets.get(&sheet_url) {
                css.insert(sheet_url, text);
            }
        }
        let (findings, cut) = match render.map(|r| r(&input.url, &input.text, &css)) {
            Some(Ok(rendered)) => rendered,
            Some(Err(why)) => {
                eprintln!(
                    "warning: {}: not rendered, static findings only: {why}",
                    input.url
                );
                audit_page_counted(&page, &css, &opts.settings, false)
            }
            None => audit_page_counted(&page, &css, &opts.settings, false),
        };
        let title = page
            .html
            .select(&title_sel)
            .next()
            .map(|t| normalise_space(&t.text().collect::<String>()));
        let class = classify.map(|c| c(&page)).unwrap_or_default();
        match opts.format {
            Format::Json => {
                let line = PageLine {
                    page: input.url.as_str(),
                    title,
                    findings: &findings,
                    cut: &cut,
                    tasks: &class.tasks,
                    task_evidence: &class.evidence,
                    services: &class.services,
                };
                let json = serde_json::to_string(&line)
                    .map_err(|e| AuditError::Write(std::io::Error::other(e)))?;
                writeln!(out, "{json}")?;
            }
            Format::Text => write_text(out, input.url.as_str(), title.as_deref(), &findings, &cut)?,
        }
    }
    match failures.first() {
        None => Ok(pages.len()),
        Some(first) => Err(AuditError::SomeFailed {
            inputs: inputs.len(),
            failed: failures.len(),
            audited: pages.len(),
            first: first.to_string(),
        }),
    }
}

/// Reports a failed input as it is found and keeps it for the end.
fn fail(e: AuditError, failures: &mut Vec<AuditError>) {
    eprintln!("error: {e}");
    failures.push(e);
}

fn is_url(input: &str) -> bool {
    input.starts_with("http://") || input.starts_with("https://")
}

/// A stylesheet's text, or `None` when it cannot be had (styles it sets become unknown).
fn load_sheet(
    url: &Url,
    input: &Input,
    opts: &Options,
    fetcher: &mut Option<Fetcher>,
) -> Option<String> {
    if url.scheme() == "file" {
        return url.to_file_path().ok().and_then(|p| read(&p).ok());
    }
    if let (Some(root), Some(base)) = (&input.root, opts.base_url.as_ref())
        && let Some(rel) = url.as_str().strip_prefix(base.as_str())
    {
        let rel = rel.split(['?', '#']).next().unwrap_or(rel);
        let local = root.join(rel);
        if local.is_file() {
            return read(&local).ok();
        }
    }
    if matches!(url.scheme(), "http" | "https") {
        if fetcher.is_none() {
            *fetcher = Fetcher::new(opts).ok();
        }
        return fetcher.as_ref()?.sheet(url);
    }
    None
}

fn write_text(
    out: &mut dyn Write,
    page: &str,
    title: Option<&str>,
    findings: &[Finding],
    cut: &[Cut],
) -> std::io::Result<()> {
    let failed = findings
        .iter()
        .filter(|f| f.outcome == super::Outcome::Failed)
        .count();
    writeln!(
        out,
        "{page}  \"{}\"  {failed} failed, {} to review",
        title.unwrap_or(""),
        findings.len() - failed
    )?;
    for f in findings {
        let wcag = if f.wcag.is_empty() {
            "best practice".to_string()
        } else {
            f.wcag.join(",")
        };
        let at = if f.selector.is_empty() {
            "(page)"
        } else {
            f.selector.as_str()
        };
        writeln!(
            out,
            "  {:<8} {:<8} {:<28} {:<12} {at}: {}",
            f.outcome.as_str(),
            f.impact.as_str(),
            f.rule,
            wcag,
            f.message
        )?;
    }
    for c in cut {
        writeln!(
            out,
            "  ({}: {} of {} findings shown; raise [accessibility] max_findings_per_rule in the ruleset to see them all)",
            c.rule, c.shown, c.found
        )?;
    }
    Ok(())
}
