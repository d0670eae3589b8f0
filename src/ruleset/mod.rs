//! Rulesets: everything a surveyor may want to change, as data (`rulesets/*.toml`).
//!
//! A ruleset names the top tasks and the council types each applies to, the questions asked of
//! each task with their evidence patterns, the LGSL services to look for, star thresholds and
//! weights, crawl budgets and the accessibility rules in force. The file is read into private raw
//! types ([`raw`]) with spans, then validated into [`Ruleset`], the only form other stages see.
//! Validation reports every problem in the file at once as `file:line:col: message`.

mod duties;
mod raw;

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::time::Duration;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::sites::CouncilType;

pub use duties::{
    CounterpartGuess, STATEMENT_PARTS, StatementSettings, WELSH_PARTS, WelshSettings,
};

/// The shipped default ruleset, compiled into the binary so `civicscan` works from any directory.
pub const BUILTIN_NAME: &str = "rulesets/better-connected.toml";
/// The text of the shipped default ruleset.
pub const BUILTIN_TEXT: &str = include_str!("../../rulesets/better-connected.toml");

/// A validated ruleset.
#[derive(Debug, Clone)]
pub struct Ruleset {
    /// The ruleset's name.
    pub name: String,
    /// A short description.
    pub description: String,
    /// The edition (e.g. the survey year), recorded with each run.
    pub edition: String,
    /// Where it was loaded from.
    pub source: String,
    /// SHA-256 of the file's bytes, recorded with each run so results are comparable.
    pub hash: String,
    /// The file's text, stored with each run so a resumed run or a later report uses exactly
    /// the rules the run started with.
    pub text: String,
    /// Crawl budgets and politeness.
    pub crawl: CrawlBudget,
    /// Stars, caps and weights.
    pub scoring: Scoring,
    /// Accessibility settings.
    pub accessibility: AccessibilitySettings,
    /// How site furniture (search, A–Z, account, statement) is recognised.
    pub navigation: Navigation,
    /// Top tasks, in file order.
    pub tasks: Vec<Task>,
    /// LGSL services for coverage, in file order.
    pub services: Vec<Service>,
    /// Budgets for the digital-first indicators.
    pub digital: DigitalSettings,
    /// The accessibility statement's parts (`[statement]`); untested when absent.
    pub statement: Option<StatementSettings>,
    /// The Welsh-language checks (`[welsh]`); untested when absent.
    pub welsh: Option<WelshSettings>,
    /// What marks a page as serving no task whatever it mentions.
    pub recognition: Recognition,
}

/// Cues that a page serves no task, whatever task it talks about (`[recognition]`, optional):
/// news, consultations, committee papers and FOI answers about missed bins do not let anyone
/// report one. Patterns are case-insensitive regexes.
#[derive(Debug, Clone, Default)]
pub struct Recognition {
    /// Matched against the title, the main heading and the breadcrumb.
    pub not_task: Vec<Regex>,
    /// Matched against the URL's host and path (`news.example.gov.uk/2019/…`).
    pub not_task_url: Vec<Regex>,
}

/// Budgets for the digital-first indicators (`[digital]`, optional).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DigitalSettings {
    /// The home page's HTML is light enough at or under this many bytes.
    pub max_home_bytes: u64,
    /// The home page answers fast enough at or under this time to first byte, ms.
    pub max_home_ttfb_ms: u64,
}

impl Default for DigitalSettings {
    /// Used when a ruleset has no `[digital]` table: 1 MB of HTML and 1.5 s to first byte.
    fn default() -> Self {
        DigitalSettings {
            max_home_bytes: 1_000_000,
            max_home_ttfb_ms: 1_500,
        }
    }
}

/// Crawl budgets per site and politeness settings (stored with each run, as the run used them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrawlBudget {
    /// Pages fetched per site at most (HTML and documents).
    pub max_pages: usize,
    /// Clicks from the home page at most.
    pub max_depth: u32,
    /// Bytes read from one HTML response at most.
    pub max_bytes: u64,
    /// Bytes read from a non-HTML document (PDF, …) at most.
    pub max_document_bytes: u64,
    /// Timeout of one request.
    pub request_timeout: Duration,
    /// Timeout of connecting.
    pub connect_timeout: Duration,
    /// Wall time spent on one site at most.
    pub site_time_budget: Duration,
    /// Requests per second per host.
    pub requests_per_second: f64,
    /// The largest Crawl-delay honoured; longer ones are capped and reported.
    pub crawl_delay_cap: Duration,
    /// Redirects followed at most.
    pub max_redirects: u32,
    /// Retries of a transient failure at most.
    pub retries: u32,
    /// Requests in flight across all hosts at most.
    pub global_concurrency: usize,
    /// Host patterns (`*.example.com` or `forms.example.com`) of service portals on other domains,
    /// fetched when linked but not crawled further.
    pub portal_hosts: Vec<String>,
    /// Query parameters stripped when normalising URLs (`utm_*` matches a prefix).
    pub strip_query_params: Vec<String>,
    /// Sitemap URLs read per file at most.
    pub max_sitemap_urls: usize,
}

/// Star thresholds: the share (0–1) needed for 4, 3 and 2 stars; below `two` is 1 star.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// Share for 4 stars.
    pub four: f64,
    /// Share for 3 stars.
    pub three: f64,
    /// Share for 2 stars.
    pub two: f64,
}

impl Thresholds {
    /// The stars (1–4) a share earns.
    pub fn stars(&self, share: f64) -> u8 {
        if share >= self.four {
            4
        } else if share >= self.three {
            3
        } else if share >= self.two {
            2
        } else {
            1
        }
    }
}

/// Weights of the four dimensions in the overall rating.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weights {
    /// Task completion.
    pub tasks: f64,
    /// Accessibility.
    pub accessibility: f64,
    /// Service coverage.
    pub coverage: f64,
    /// Digital-first indicators.
    pub digital: f64,
}

/// How answers become stars.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scoring {
    /// Task stars from the share of yes answers.
    pub task_stars: Thresholds,
    /// Dimension stars from a dimension's 0–1 score.
    pub dimension_stars: Thresholds,
    /// The most stars a task gets when its essential question fails.
    pub essential_cap: u8,
    /// The most stars a task gets when out-of-date content is found.
    pub out_of_date_cap: u8,
    /// Content older than this many months counts as out of date.
    pub out_of_date_months: u32,
    /// Dimension weights.
    pub weights: Weights,
    /// Whether 4 stars overall needs an accessibility pass.
    pub four_star_needs_accessibility_pass: bool,
    /// An accessibility pass allows at most this many critical failures on key pages.
    pub accessibility_pass_max_critical: u32,
    /// An accessibility pass allows at most this many serious failures on key pages.
    pub accessibility_pass_max_serious: u32,
}

/// Accessibility settings.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessibilitySettings {
    /// Rule ids switched off.
    pub disabled_rules: Vec<String>,
    /// Findings kept per rule per page at most.
    pub max_findings_per_rule: usize,
    /// The same title on at least this many pages is a site-level finding.
    pub duplicate_title_min_pages: usize,
}

/// How site furniture is recognised. Patterns are case-insensitive regexes.
#[derive(Debug, Clone)]
pub struct Navigation {
    /// Search results read, in order ("top 5").
    pub search_result_count: usize,
    /// Input names that mark a site-search form's text field.
    pub search_input_names: Vec<String>,
    /// Link text of the A–Z page.
    pub a_to_z_link: Vec<Regex>,
    /// Link text or URL of an online account.
    pub my_account: Vec<Regex>,
    /// Link text or URL of the accessibility statement.
    pub accessibility_statement: Vec<Regex>,
    /// Hosts or URLs of online form platforms.
    pub form_platforms: Vec<Regex>,
    /// Hosts or URLs of payment platforms.
    pub payment_platforms: Vec<Regex>,
    /// Text that marks a "phone us" only page.
    pub phone_only: Vec<Regex>,
    /// Phrases that introduce a page's review or update date ("last reviewed", "page updated");
    /// a date right after one is checked against `out_of_date_months`.
    pub freshness_markers: Vec<Regex>,
    /// Forms that are page furniture, not a service (page feedback, "rate this page", translate):
    /// a form all of whose visible fields' names or labels match.
    pub widget_forms: Vec<Regex>,
}

/// What a question checks; the tasks stage implements each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// The home page links straight to the task page.
    LinkedFromHome,
    /// The service landing page links straight to the task page.
    LinkedFromLanding,
    /// The site's own search returns the task page in its first results.
    SiteSearch,
    /// The A–Z lists the task (not tested when the site has no A–Z).
    InAToZ,
    /// Every route (home, landing, search, A–Z) reaches the same page.
    SameDestination,
    /// The task can be done online: an HTML form or transaction, not a PDF form only.
    OnlineForm,
    /// Online payment is offered.
    OnlinePayment,
    /// The task page is usable on a phone: a responsive viewport and no fixed widths.
    MobileFriendly,
    /// No out-of-date content: no dates or "last reviewed" older than the ruleset's threshold.
    UpToDate,
    /// The task page's text matches one of the patterns.
    PageMentions,
    /// The task page links to something whose text or URL matches one of the patterns.
    LinksTo,
    /// A form on the task page has a field whose name, label or placeholder matches.
    HasInput,
}

impl CheckKind {
    /// Whether the kind needs `patterns`.
    pub fn needs_patterns(self) -> bool {
        matches!(
            self,
            CheckKind::PageMentions | CheckKind::LinksTo | CheckKind::HasInput
        )
    }
}

/// One yes/no question; "yes" is always the good answer.
#[derive(Debug, Clone)]
pub struct Question {
    /// Unique within its task.
    pub id: String,
    /// The question as a reviewer would ask it.
    pub text: String,
    /// What is checked.
    pub check: CheckKind,
    /// The task's essential question: failing it caps the task's stars.
    pub essential: bool,
    /// It detects out-of-date content; failing it caps the task's stars.
    pub out_of_date: bool,
    /// Evidence patterns for the pattern kinds.
    pub patterns: Vec<Regex>,
}

/// A top task.
#[derive(Debug, Clone)]
pub struct Task {
    /// Unique id, e.g. `report-missed-bin`.
    pub id: String,
    /// Title, e.g. "Report a missed bin collection".
    pub title: String,
    /// Its LGSL service code, where the list has one.
    pub lgsl: Option<u32>,
    /// The council types it applies to.
    pub council_types: Vec<CouncilType>,
    /// The site-search term (with the action word).
    pub search_term: String,
    /// The A–Z term (without it).
    pub az_term: String,
    /// What councils call the task: matched against the title, headings, breadcrumb, opening
    /// text, link text and the words of the URL to find the task page.
    pub patterns: Vec<Regex>,
    /// Other council wordings that support, but never alone name, a task page ("ways to pay",
    /// "if your bin was not collected"): matched against subheadings, the opening text and
    /// the breadcrumb above the page.
    pub wordings: Vec<Regex>,
    /// Near misses: a page whose title or main heading matches one is not this task's page,
    /// whatever else it says ("renew your library card", "postal and proxy votes").
    pub not_patterns: Vec<Regex>,
    /// Names of the task's own hub ("Working for us"), matched against a page's title and main
    /// heading only (a breadcrumb or URL naming the hub says the page is in its section): a page
    /// so named serves the task when it is all there is to go on, as in the audit of one page,
    /// but in a survey a page that names the task itself ("Current vacancies") is the task page,
    /// and the hub its landing page.
    pub hub_patterns: Vec<Regex>,
    /// Matched against URL paths to find the task page.
    pub url_patterns: Vec<Regex>,
    /// Matched against link text, title and headings to find the service landing page.
    pub landing_patterns: Vec<Regex>,
    /// A key task: its page counts for the accessibility pass.
    pub key: bool,
    /// Its questions: the common ones (less any skipped), then its own.
    pub questions: Vec<Question>,
}

impl Task {
    /// Whether the task applies to a council type.
    pub fn applies_to(&self, council_type: CouncilType) -> bool {
        self.council_types.contains(&council_type)
    }
}

/// An LGSL service for coverage.
#[derive(Debug, Clone)]
pub struct Service {
    /// LGSL code.
    pub lgsl: u32,
    /// Title.
    pub title: String,
    /// The council types that provide it.
    pub council_types: Vec<CouncilType>,
    /// Matched against link text, title and headings (its synonyms are alternatives here).
    pub patterns: Vec<Regex>,
    /// Matched against URL paths.
    pub url_patterns: Vec<Regex>,
}

impl Service {
    /// Whether a council type provides the service.
    pub fn provided_by(&self, council_type: CouncilType) -> bool {
        self.council_types.contains(&council_type)
    }
}

impl Ruleset {
    /// The tasks that apply to a council type.
    pub fn tasks_for(&self, council_type: CouncilType) -> impl Iterator<Item = &Task> {
        self.tasks
            .iter()
            .filter(move |t| t.applies_to(council_type))
    }

    /// The services a council type provides.
    pub fn services_for(&self, council_type: CouncilType) -> impl Iterator<Item = &Service> {
        self.services
            .iter()
            .filter(move |s| s.provided_by(council_type))
    }

    /// Looks up a task by id.
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }
}

/// One problem in a ruleset file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// Why a ruleset could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesetError {
    /// The file could not be read.
    #[error("{path}: cannot read the ruleset: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file has problems; each is listed as `file:line:col: message`.
    #[error("{}", .problems.iter().map(|p| format!("{}:{}:{}: {}", .path, p.line, p.col, p.message)).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The file.
        path: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

/// Loads and validates a ruleset file.
pub fn load(path: &Path) -> Result<Ruleset, RulesetError> {
    let text = std::fs::read_to_string(path).map_err(|source| RulesetError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse(&text, &path.display().to_string())
}

/// The shipped default ruleset.
pub fn builtin() -> Ruleset {
    // The shipped file is tested (tests/ruleset.rs), so this cannot fail in a released binary.
    parse(BUILTIN_TEXT, BUILTIN_NAME)
        .unwrap_or_else(|e| panic!("the built-in ruleset is invalid:\n{e}"))
}

/// The ruleset a stored run used: its stored `text` when there is one; for runs stored before
/// civicscan kept the text, the built-in ruleset or the `source` file when its SHA-256 is still
/// `hash`. `None` when neither is available.
pub fn of_stored_run(
    text: Option<&str>,
    source: &str,
    hash: &str,
) -> Result<Option<Ruleset>, RulesetError> {
    if let Some(text) = text {
        return parse(text, source).map(Some);
    }
    let builtin = builtin();
    if builtin.hash == hash {
        return Ok(Some(builtin));
    }
    Ok(load(Path::new(source)).ok().filter(|r| r.hash == hash))
}

/// Parses and validates ruleset text; `source` names it in errors.
pub fn parse(text: &str, source: &str) -> Result<Ruleset, RulesetError> {
    let raw: raw::RawRuleset = toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        RulesetError::Invalid {
            path: source.to_string(),
            problems: vec![Problem {
                line,
                col,
                message: e.message().trim().to_string(),
            }],
        }
    })?;
    let mut v = Validator {
        text,
        problems: Vec::new(),
    };
    let ruleset = v.ruleset(raw, source, text);
    if v.problems.is_empty() {
        Ok(ruleset)
    } else {
        v.problems.sort_by_key(|p| (p.line, p.col));
        Err(RulesetError::Invalid {
            path: source.to_string(),
            problems: v.problems,
        })
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(offset, |i| offset - i - 1) + 1;
    (line, col)
}

struct Validator<'a> {
    text: &'a str,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn push(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, col) = line_col(self.text, span.start);
        self.problems.push(Problem {
            line,
            col,
            message: message.into(),
        });
    }

    fn regex(&mut self, pattern: &Spanned<String>) -> Option<Regex> {
        match RegexBuilder::new(pattern.get_ref())
            .case_insensitive(true)
            .size_limit(1 << 20)
            .build()
        {
            Ok(r) => Some(r),
            Err(e) => {
                let first = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                self.push(
                    pattern.span(),
                    format!("bad regex `{}`: {first}", pattern.get_ref()),
                );
                None
            }
        }
    }

    fn regexes(&mut self, patterns: &[Spanned<String>]) -> Vec<Regex> {
        patterns.iter().filter_map(|p| self.regex(p)).collect()
    }

    fn council_type(&mut self, code: &Spanned<String>) -> Option<CouncilType> {
        match code.get_ref().parse::<CouncilType>() {
            Ok(t) => Some(t),
            Err(e) => {
                self.push(code.span(), e);
                None
            }
        }
    }

    fn range_u64(&mut self, value: &Spanned<u64>, name: &str, min: u64, max: u64) -> u64 {
        let v = *value.get_ref();
        if !(min..=max).contains(&v) {
            self.push(
                value.span(),
                format!("`{name}` = {v} is out of range ({min}–{max})"),
            );
        }
        v
    }

    fn range_f64(&mut self, value: &Spanned<f64>, name: &str, min: f64, max: f64) -> f64 {
        let v = *value.get_ref();
        if !(v.is_finite() && v >= min && v <= max) {
            self.push(
                value.span(),
                format!("`{name}` = {v} is out of range ({min}–{max})"),
            );
        }
        v
    }

    fn secs(&mut self, value: &Spanned<f64>, name: &str, max: f64) -> Duration {
        let v = self.range_f64(value, name, 0.001, max);
        Duration::from_secs_f64(v.clamp(0.001, max))
    }

    fn thresholds(&mut self, t: &raw::RawThresholds, name: &str) -> Thresholds {
        let four = self.range_f64(&t.four, &format!("{name}.four"), 0.0, 1.0);
        let three = self.range_f64(&t.three, &format!("{name}.three"), 0.0, 1.0);
        let two = self.range_f64(&t.two, &format!("{name}.two"), 0.0, 1.0);
        if !(four >= three && three >= two) {
            self.push(
                t.four.span(),
                format!("`{name}` thresholds must not rise as stars fall (four ≥ three ≥ two)"),
            );
        }
        Thresholds { four, three, two }
    }

    fn ruleset(&mut self, raw: raw::RawRuleset, source: &str, text: &str) -> Ruleset {
        let crawl = self.crawl(&raw.crawl);
        let scoring = self.scoring(&raw.scoring);
        let accessibility = AccessibilitySettings {
            disabled_rules: raw
                .accessibility
                .disabled_rules
                .iter()
                .map(|r| r.get_ref().clone())
                .collect(),
            max_findings_per_rule: raw
                .accessibility
                .max_findings_per_rule
                .as_ref()
                .map_or(20, |v| {
                    self.range_u64(v, "max_findings_per_rule", 1, 10_000) as usize
                }),
            duplicate_title_min_pages: raw
                .accessibility
                .duplicate_title_min_pages
                .as_ref()
                .map_or(3, |v| {
                    self.range_u64(v, "duplicate_title_min_pages", 2, 10_000) as usize
                }),
        };
        let n = &raw.navigation;
        let navigation = Navigation {
            search_result_count: self.range_u64(
                &n.search_result_count,
                "search_result_count",
                1,
                50,
            ) as usize,
            search_input_names: n.search_input_names.clone(),
            a_to_z_link: self.regexes(&n.a_to_z_link),
            my_account: self.regexes(&n.my_account),
            accessibility_statement: self.regexes(&n.accessibility_statement),
            form_platforms: self.regexes(&n.form_platforms),
            payment_platforms: self.regexes(&n.payment_platforms),
            phone_only: self.regexes(&n.phone_only),
            freshness_markers: self.regexes(&n.freshness_markers),
            widget_forms: self.regexes(&n.widget_forms),
        };
        let digital = match &raw.digital {
            None => DigitalSettings::default(),
            Some(d) => DigitalSettings {
                max_home_bytes: self.range_u64(
                    &d.max_home_bytes,
                    "digital.max_home_bytes",
                    1,
                    1 << 30,
                ),
                max_home_ttfb_ms: self.range_u64(
                    &d.max_home_ttfb_ms,
                    "digital.max_home_ttfb_ms",
                    1,
                    600_000,
                ),
            },
        };

        let mut tiers: BTreeMap<String, Vec<CouncilType>> = BTreeMap::new();
        for (name, codes) in &raw.tiers {
            let types = codes.iter().filter_map(|c| self.council_type(c)).collect();
            tiers.insert(name.clone(), types);
        }

        let common: Vec<Question> = self.questions(&raw.common_questions, &mut HashSet::new());
        let common_ids: HashSet<&str> = common.iter().map(|q| q.id.as_str()).collect();

        let mut task_ids = HashSet::new();
        let mut tasks = Vec::new();
        for t in &raw.tasks {
            if !task_ids.insert(t.id.get_ref().clone()) {
                self.push(
                    t.id.span(),
                    format!("duplicate task id `{}`", t.id.get_ref()),
                );
            }
            if t.council_types.is_empty() {
                self.push(
                    t.id.span(),
                    format!("task `{}` applies to no council type", t.id.get_ref()),
                );
            }
            for skip in &t.skip_common {
                if !common_ids.contains(skip.get_ref().as_str()) {
                    self.push(
                        skip.span(),
                        format!("`{}` is not a common question id", skip.get_ref()),
                    );
                }
            }
            let mut seen: HashSet<String> = HashSet::new();
            let mut questions: Vec<Question> = common
                .iter()
                .filter(|q| !t.skip_common.iter().any(|s| s.get_ref() == &q.id))
                .cloned()
                .inspect(|q| {
                    seen.insert(q.id.clone());
                })
                .collect();
            questions.extend(self.questions(&t.questions, &mut seen));
            match questions
                .iter_mut()
                .find(|q| &q.id == t.essential.get_ref())
            {
                Some(q) => q.essential = true,
                None => self.push(
                    t.essential.span(),
                    format!(
                        "essential question `{}` is not a question of task `{}`",
                        t.essential.get_ref(),
                        t.id.get_ref()
                    ),
                ),
            }
            let stale = questions.iter().filter(|q| q.out_of_date).count();
            if stale != 1 {
                self.push(
                    t.id.span(),
                    format!(
                        "task `{}` must have exactly one out-of-date question (has {stale})",
                        t.id.get_ref()
                    ),
                );
            }
            if t.search_term.get_ref().trim().is_empty() {
                self.push(t.search_term.span(), "empty search term");
            }
            if t.az_term.get_ref().trim().is_empty() {
                self.push(t.az_term.span(), "empty A–Z term");
            }
            if t.patterns.is_empty() {
                self.push(
                    t.id.span(),
                    format!("task `{}` has no patterns to find its page", t.id.get_ref()),
                );
            }
            tasks.push(Task {
                id: t.id.get_ref().clone(),
                title: t.title.clone(),
                lgsl: t.lgsl.as_ref().map(|l| *l.get_ref()),
                council_types: t
                    .council_types
                    .iter()
                    .filter_map(|c| self.council_type(c))
                    .collect(),
                search_term: t.search_term.get_ref().clone(),
                az_term: t.az_term.get_ref().clone(),
                patterns: self.regexes(&t.patterns),
                wordings: self.regexes(&t.wordings),
                not_patterns: self.regexes(&t.not_patterns),
                hub_patterns: self.regexes(&t.hub_patterns),
                url_patterns: self.regexes(&t.url_patterns),
                landing_patterns: self.regexes(&t.landing_patterns),
                key: t.key,
                questions,
            });
        }

        let mut lgsl_seen = HashSet::new();
        let mut services = Vec::new();
        for s in &raw.services {
            if !lgsl_seen.insert(*s.lgsl.get_ref()) {
                self.push(
                    s.lgsl.span(),
                    format!("duplicate service LGSL {}", s.lgsl.get_ref()),
                );
            }
            let council_types = match tiers.get(s.providers.get_ref()) {
                Some(types) => types.clone(),
                None => {
                    let known = tiers.keys().cloned().collect::<Vec<_>>().join(", ");
                    self.push(
                        s.providers.span(),
                        format!(
                            "unknown providers `{}` (tiers are: {known})",
                            s.providers.get_ref()
                        ),
                    );
                    Vec::new()
                }
            };
            if s.patterns.is_empty() {
                self.push(
                    s.lgsl.span(),
                    format!("service {} has no patterns", s.lgsl.get_ref()),
                );
            }
            services.push(Service {
                lgsl: *s.lgsl.get_ref(),
                title: s.title.clone(),
                council_types,
                patterns: self.regexes(&s.patterns),
                url_patterns: self.regexes(&s.url_patterns),
            });
        }

        let mut hasher = Sha256::new();
        hasher.update(text.as_bytes());
        let hash = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();

        if raw.edition.get_ref().trim().is_empty() {
            self.push(raw.edition.span(), "empty edition");
        }
        let statement = raw.statement.as_ref().map(|s| self.statement(s));
        let welsh = raw.welsh.as_ref().map(|w| self.welsh(w));
        let recognition = raw
            .recognition
            .as_ref()
            .map(|r| Recognition {
                not_task: self.regexes(&r.not_task),
                not_task_url: self.regexes(&r.not_task_url),
            })
            .unwrap_or_default();
        Ruleset {
            name: raw.name,
            description: raw.description,
            edition: raw.edition.into_inner(),
            source: source.to_string(),
            hash,
            text: text.to_string(),
            crawl,
            scoring,
            accessibility,
            navigation,
            tasks,
            services,
            digital,
            statement,
            welsh,
            recognition,
        }
    }

    fn questions(&mut self, raw: &[raw::RawQuestion], seen: &mut HashSet<String>) -> Vec<Question> {
        let mut out = Vec::new();
        for q in raw {
            if !seen.insert(q.id.get_ref().clone()) {
                self.push(
                    q.id.span(),
                    format!("duplicate question id `{}`", q.id.get_ref()),
                );
            }
            let check = *q.check.get_ref();
            if check.needs_patterns() && q.patterns.is_empty() {
                self.push(
                    q.check.span(),
                    format!(
                        "question `{}`: check `{check:?}` needs `patterns`",
                        q.id.get_ref()
                    ),
                );
            }
            if q.out_of_date && check != CheckKind::UpToDate {
                self.push(
                    q.id.span(),
                    format!(
                        "question `{}`: only an `up_to_date` check can be the out-of-date question",
                        q.id.get_ref()
                    ),
                );
            }
            out.push(Question {
                id: q.id.get_ref().clone(),
                text: q.text.clone(),
                check,
                essential: false,
                out_of_date: q.out_of_date,
                patterns: self.regexes(&q.patterns),
            });
        }
        out
    }

    fn crawl(&mut self, c: &raw::RawCrawl) -> CrawlBudget {
        for host in &c.portal_hosts {
            let h = host.get_ref().trim_start_matches("*.");
            if h.is_empty() || h.contains('/') || h.contains('*') {
                self.push(
                    host.span(),
                    format!(
                        "`{}` is not a host pattern (`host` or `*.domain`)",
                        host.get_ref()
                    ),
                );
            }
        }
        CrawlBudget {
            max_pages: self.range_u64(&c.max_pages, "max_pages", 1, 1_000_000) as usize,
            max_depth: self.range_u64(&c.max_depth, "max_depth", 0, 100) as u32,
            max_bytes: self.range_u64(&c.max_bytes, "max_bytes", 1024, 1 << 30),
            max_document_bytes: self.range_u64(
                &c.max_document_bytes,
                "max_document_bytes",
                0,
                1 << 30,
            ),
            request_timeout: self.secs(&c.request_timeout_secs, "request_timeout_secs", 600.0),
            connect_timeout: self.secs(&c.connect_timeout_secs, "connect_timeout_secs", 600.0),
            site_time_budget: self.secs(
                &c.site_time_budget_secs,
                "site_time_budget_secs",
                7.0 * 86_400.0,
            ),
            requests_per_second: self.range_f64(
                &c.requests_per_second,
                "requests_per_second",
                0.001,
                1000.0,
            ),
            crawl_delay_cap: self.secs(&c.crawl_delay_cap_secs, "crawl_delay_cap_secs", 3600.0),
            max_redirects: self.range_u64(&c.max_redirects, "max_redirects", 0, 50) as u32,
            retries: self.range_u64(&c.retries, "retries", 0, 10) as u32,
            global_concurrency: self.range_u64(
                &c.global_concurrency,
                "global_concurrency",
                1,
                10_000,
            ) as usize,
            portal_hosts: c
                .portal_hosts
                .iter()
                .map(|h| h.get_ref().to_ascii_lowercase())
                .collect(),
            strip_query_params: c.strip_query_params.clone(),
            max_sitemap_urls: c.max_sitemap_urls.as_ref().map_or(50_000, |v| {
                self.range_u64(v, "max_sitemap_urls", 0, 50_000) as usize
            }),
        }
    }

    fn scoring(&mut self, s: &raw::RawScoring) -> Scoring {
        let w = &s.weights;
        let weights = Weights {
            tasks: self.range_f64(&w.tasks, "weights.tasks", 0.0, 1.0),
            accessibility: self.range_f64(&w.accessibility, "weights.accessibility", 0.0, 1.0),
            coverage: self.range_f64(&w.coverage, "weights.coverage", 0.0, 1.0),
            digital: self.range_f64(&w.digital, "weights.digital", 0.0, 1.0),
        };
        let sum = weights.tasks + weights.accessibility + weights.coverage + weights.digital;
        if (sum - 1.0).abs() > 1e-6 {
            // Shares of the overall score: weights that sum to 1.5 would read as if tasks
            // counted for 40 % when they count for 27 %.
            self.push(
                w.tasks.span(),
                format!(
                    "the weights are shares of the overall score and must sum to 1; these sum to {}",
                    (sum * 1e6).round() / 1e6
                ),
            );
        }
        let cap = |v: &mut Self, x: &Spanned<u8>, name: &str| {
            let c = *x.get_ref();
            if !(1..=4).contains(&c) {
                v.push(x.span(), format!("`{name}` = {c} is out of range (1–4)"));
            }
            c
        };
        Scoring {
            task_stars: self.thresholds(&s.task_stars, "task_stars"),
            dimension_stars: self.thresholds(&s.dimension_stars, "dimension_stars"),
            essential_cap: cap(self, &s.essential_cap, "essential_cap"),
            out_of_date_cap: cap(self, &s.out_of_date_cap, "out_of_date_cap"),
            out_of_date_months: {
                let m = *s.out_of_date_months.get_ref();
                if !(1..=240).contains(&m) {
                    self.push(
                        s.out_of_date_months.span(),
                        format!("`out_of_date_months` = {m} is out of range (1–240)"),
                    );
                }
                m
            },
            weights,
            four_star_needs_accessibility_pass: s.four_star_needs_accessibility_pass,
            accessibility_pass_max_critical: *s.accessibility_pass_max_critical.get_ref(),
            accessibility_pass_max_serious: *s.accessibility_pass_max_serious.get_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn reports_bad_digital_budgets_and_service_url_patterns_with_lines() {
        let text = BUILTIN_TEXT
            .replace("max_home_bytes = 1_500_000", "max_home_bytes = 0")
            .replace(
                "url_patterns = ['bin[-_]?(collection[-_]?)?days?'",
                "url_patterns = ['('",
            );
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let Err(RulesetError::Invalid { problems, .. }) = parse(&text, "t.toml") else {
            panic!("expected problems");
        };
        let at: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(
            at,
            vec![
                line_of("max_home_bytes = 0"),
                line_of("url_patterns = ['('")
            ]
        );
    }

    #[test]
    fn shipped_ruleset_sets_digital_budgets_and_freshness_markers() {
        let r = parse(BUILTIN_TEXT, "t.toml").unwrap();
        assert_eq!(r.digital.max_home_bytes, 1_500_000);
        assert!(!r.navigation.freshness_markers.is_empty());
    }

    #[test]
    fn thresholds_give_stars() {
        let t = Thresholds {
            four: 0.9,
            three: 0.7,
            two: 0.45,
        };
        assert_eq!(t.stars(1.0), 4);
        assert_eq!(t.stars(0.9), 4);
        assert_eq!(t.stars(0.75), 3);
        assert_eq!(t.stars(0.45), 2);
        assert_eq!(t.stars(0.2), 1);
    }
}
