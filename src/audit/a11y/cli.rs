//! The `civicscan audit` command as a library function: audits local HTML files, folders of
//! them, or URLs, one page at a time, and writes text or JSON lines.
//!
//! It does not crawl: each URL is fetched once (a plain GET), plus each stylesheet it links to
//! once per run. Local files resolve their stylesheets relative to the file, or through
//! `--base-url` back to the folder given. Task and service classification belongs to another
//! stage: the caller passes a [`Classifier`] (the lead wires the page classifier); without one
//! `tasks` and `services` are empty arrays.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use scraper::Selector;
use serde::Serialize;
use url::Url;

use super::{Finding, SiteCss, audit_page};
use crate::page::{ParsedPage, normalise_space};
use crate::ruleset::AccessibilitySettings;

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
}

/// The hook for the page classifier.
pub type Classifier<'a> = &'a dyn Fn(&ParsedPage) -> Classification;

/// Options of the command.
#[derive(Debug, Clone)]
pub struct Options {
    /// The URL local files are served from (for resolving links and stylesheets).
    pub base_url: Option<Url>,
    /// Output format.
    pub format: Format,
    /// Rule settings.
    pub settings: AccessibilitySettings,
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
}

/// One page's output line.
#[derive(Debug, Serialize)]
struct PageLine<'a> {
    page: &'a str,
    title: Option<String>,
    findings: &'a [Finding],
    tasks: &'a [String],
    services: &'a [u32],
}

/// A page to audit: where it came from and its text.
struct Input {
    url: Url,
    text: String,
    /// For local files: the folder `--base-url` maps to.
    root: Option<PathBuf>,
}

struct Fetcher {
    rt: tokio::runtime::Runtime,
    client: reqwest::Client,
}

impl Fetcher {
    fn new() -> Result<Fetcher, AuditError> {
        // Installing twice is an error we can ignore: the provider is already there.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| AuditError::Fetch {
                url: String::new(),
                message: e.to_string(),
            })?;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .user_agent(concat!(
                "civicscan/",
                env!("CARGO_PKG_VERSION"),
                " (accessibility audit)"
            ))
            .build()
            .map_err(|e| AuditError::Fetch {
                url: String::new(),
                message: e.to_string(),
            })?;
        Ok(Fetcher { rt, client })
    }

    fn get(&self, url: &Url) -> Result<(Url, String), AuditError> {
        let fetch_err = |e: reqwest::Error| AuditError::Fetch {
            url: url.to_string(),
            message: e.to_string(),
        };
        self.rt.block_on(async {
            let resp = self
                .client
                .get(url.clone())
                .send()
                .await
                .map_err(fetch_err)?;
            let status = resp.status();
            if !status.is_success() {
                return Err(AuditError::Status {
                    url: url.to_string(),
                    status: status.as_u16(),
                });
            }
            let final_url = resp.url().clone();
            let text = resp.text().await.map_err(fetch_err)?;
            Ok((final_url, text))
        })
    }
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

/// Audits the inputs and writes one record per page. Returns the number of pages audited.
pub fn run(
    inputs: &[String],
    opts: &Options,
    classify: Option<Classifier<'_>>,
    out: &mut dyn Write,
) -> Result<usize, AuditError> {
    let mut fetcher: Option<Fetcher> = None;
    let mut pages: Vec<Input> = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if input.starts_with("http://") || input.starts_with("https://") {
            let url = Url::parse(input).map_err(|_| AuditError::BadInput(input.clone()))?;
            if fetcher.is_none() {
                fetcher = Some(Fetcher::new()?);
            }
            let f = fetcher
                .as_ref()
                .ok_or_else(|| AuditError::BadInput(input.clone()))?;
            let (final_url, text) = f.get(&url)?;
            pages.push(Input {
                url: final_url,
                text,
                root: None,
            });
        } else if path.is_dir() {
            let mut files = Vec::new();
            html_files(path, &mut files)?;
            for file in files {
                let url = file_url(&file, path, opts.base_url.as_ref())?;
                pages.push(Input {
                    url,
                    text: read(&file)?,
                    root: Some(path.to_path_buf()),
                });
            }
        } else if path.is_file() {
            let root = path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let url = file_url(path, &root, opts.base_url.as_ref())?;
            pages.push(Input {
                url,
                text: read(path)?,
                root: Some(root),
            });
        } else {
            return Err(AuditError::BadInput(input.clone()));
        }
    }
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
                let text = load_sheet(&sheet_url, input, opts.base_url.as_ref(), &mut fetcher);
                sheets.insert(sheet_url.clone(), text);
            }
            if let Some(Some(text)) = sheets.get(&sheet_url) {
                css.insert(sheet_url, text);
            }
        }
        let findings = audit_page(&page, &css, &opts.settings);
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
                    tasks: &class.tasks,
                    services: &class.services,
                };
                let json = serde_json::to_string(&line)
                    .map_err(|e| AuditError::Write(std::io::Error::other(e)))?;
                writeln!(out, "{json}")?;
            }
            Format::Text => write_text(out, input.url.as_str(), title.as_deref(), &findings)?,
        }
    }
    Ok(pages.len())
}

/// A stylesheet's text, or `None` when it cannot be had (styles it sets become unknown).
fn load_sheet(
    url: &Url,
    input: &Input,
    base: Option<&Url>,
    fetcher: &mut Option<Fetcher>,
) -> Option<String> {
    if url.scheme() == "file" {
        return url.to_file_path().ok().and_then(|p| read(&p).ok());
    }
    if let (Some(root), Some(base)) = (&input.root, base)
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
            *fetcher = Fetcher::new().ok();
        }
        return fetcher.as_ref()?.get(url).ok().map(|(_, t)| t);
    }
    None
}

fn write_text(
    out: &mut dyn Write,
    page: &str,
    title: Option<&str>,
    findings: &[Finding],
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
    Ok(())
}
