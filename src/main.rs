//! The `civicscan` command: wires the library's stages together. Logic lives in the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use civicscan::{demo, report, ruleset, sites, store, survey};

/// jemalloc, not glibc's malloc. perf on a 10,000-council survey put about a quarter of its CPU
/// in glibc's allocator (consolidating and searching fragmented free lists); the crawl bench at
/// 1,000 councils went from 1.78 to 1.40 ms of CPU a page with jemalloc (mimalloc: 1.25 ms but
/// 246-417 MB peak against glibc's 179 MB).
#[cfg(all(not(target_env = "msvc"), not(feature = "dhat-heap")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read once when it starts (the `_RJEM_MALLOC_CONF` environment variable
/// still overrides them). One arena per CPU, used by whichever thread runs there, not jemalloc's
/// default of four per CPU; a background thread returns memory freed a second ago
/// (`dirty_decay_ms`) to the system without a worker doing it, skipping the "muzzy" stage. On the
/// 1,000-council bench (2 CPUs, so two arenas) that took peak RSS from 204 to 191 MB at the same
/// CPU a page.
#[cfg(all(not(target_env = "msvc"), not(feature = "dhat-heap")))]
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static malloc_conf: &[u8; 80] =
    b"background_thread:true,percpu_arena:percpu,dirty_decay_ms:1000,muzzy_decay_ms:0\0";

/// Exit code when some councils (or some `audit` inputs) could not be surveyed.
const EXIT_SOME_FAILED: u8 = 1;
/// Exit code for bad input, or when nothing could be surveyed (the message names the file, line
/// or URL).
const EXIT_UNAVAILABLE: u8 = 2;
/// Exit code for a survey stopped by Ctrl-C (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: u8 = 130;

const EXIT_CODES: &str = "Exit codes:
  0    every council surveyed (every input audited)
  1    some councils could not be surveyed (some inputs failed); the rest are stored
  2    bad input (a file, flag or URL), or nothing could be surveyed
  130  interrupted by Ctrl-C; `civicscan survey --resume --db FILE` continues the run";

#[derive(Parser)]
#[command(
    name = "civicscan",
    version,
    about = "An open, repeatable survey of UK council websites",
    long_about = None,
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct RulesetArg {
    /// The ruleset file (default: the built-in rulesets/better-connected.toml).
    #[arg(long, value_name = "FILE")]
    ruleset: Option<PathBuf>,
}

/// Crawl settings that override the ruleset's.
#[derive(Args, Clone, Default)]
struct CrawlFlags {
    /// Allow connections to private and loopback addresses (tests and the demo web).
    #[arg(long)]
    allow_private: bool,
    /// A contact e-mail, sent in the `From` header so web teams can reach the surveyor.
    #[arg(long, value_name = "EMAIL")]
    contact_email: Option<String>,
    /// Pages per site at most (overrides the ruleset; at least 1).
    #[arg(long, value_name = "N")]
    max_pages: Option<usize>,
    /// Requests per second per host (overrides the ruleset; more than 0).
    #[arg(long, value_name = "R")]
    rate: Option<f64>,
    /// Keep every request and response of the survey as WARC files in this folder, one
    /// (DIR/SLUG.warc.gz) per council.
    #[arg(long, value_name = "DIR")]
    warc: Option<PathBuf>,
    /// Also load pages in headless Chromium, for the DOM after scripts and the checks only a
    /// browser can make: none (`off`), the key pages (`key`: the home page, each task page and
    /// each page with a form) or every page (`all`). Default: off for survey, key for check.
    #[arg(long, value_enum, value_name = "MODE")]
    render: Option<civicscan::render::RenderMode>,
    /// The browser for --render (default: $CIVICSCAN_CHROMIUM, else chromium on PATH).
    #[arg(long, value_name = "PATH")]
    chromium: Option<PathBuf>,
}

impl CrawlFlags {
    fn overrides(&self) -> survey::CrawlOverrides {
        survey::CrawlOverrides {
            allow_private: self.allow_private,
            contact_email: self.contact_email.clone(),
            max_pages: self.max_pages,
            rate: self.rate,
            warc: self.warc.as_ref().map(|d| d.display().to_string()),
            replay: None,
            render: self.render,
        }
    }
}

/// How progress is shown.
#[derive(Args, Clone, Default)]
struct ProgressFlags {
    /// Show no progress (the summary and errors are still printed).
    #[arg(long, short)]
    quiet: bool,
    /// Seconds between status lines when stderr is not a terminal (under nohup, cron or CI).
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    progress_every: u64,
}

impl ProgressFlags {
    fn mode(&self) -> survey::ProgressMode {
        if self.quiet {
            survey::ProgressMode::Quiet
        } else if std::io::stderr().is_terminal() {
            survey::ProgressMode::Bar
        } else {
            survey::ProgressMode::Lines {
                every: std::time::Duration::from_secs(self.progress_every.max(1)),
            }
        }
    }
}

fn council_type(s: &str) -> Result<sites::CouncilType, String> {
    s.parse()
}

fn load_ruleset(arg: &RulesetArg) -> Result<ruleset::Ruleset> {
    Ok(match &arg.ruleset {
        Some(path) => ruleset::load(path)?,
        None => ruleset::builtin(),
    })
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

#[derive(Subcommand)]
enum Command {
    /// Survey the councils of a sites file into the database.
    Survey {
        /// The sites file (default: sites.csv here, else the register built into civicscan).
        /// With --resume the run's own councils are used, and a file given must list the same.
        #[arg(long, value_name = "FILE")]
        sites: Option<PathBuf>,
        /// Survey only these councils of the file (slugs, comma-separated).
        #[arg(long, value_delimiter = ',', value_name = "SLUG,...")]
        only: Vec<String>,
        /// Survey only councils of these types (CC, SD, MD, EU, LB, SU, WU, NI; comma-separated).
        #[arg(long = "type", value_delimiter = ',', value_name = "TYPE,...", value_parser = council_type)]
        types: Vec<sites::CouncilType>,
        /// Survey only councils in these nations (England, Scotland, Wales, Northern Ireland).
        #[arg(long, value_delimiter = ',', value_name = "NATION,...")]
        nation: Vec<String>,
        #[command(flatten)]
        ruleset: RulesetArg,
        /// The database file.
        #[arg(long, default_value = store::DEFAULT_DB, value_name = "FILE")]
        db: PathBuf,
        /// Continue the newest unfinished run with the ruleset, flags and councils it started
        /// with (flags given again must agree).
        #[arg(long)]
        resume: bool,
        /// Start a new run even though the database holds an unfinished one.
        #[arg(long, conflicts_with = "resume")]
        new: bool,
        #[command(flatten)]
        crawl: CrawlFlags,
        /// Answer the survey from web archives instead of the web: WARC files, CDX indexes
        /// (.cdx) or folders of them. No request leaves the machine; a page the archives do not
        /// hold is recorded as not archived.
        #[arg(long, value_name = "PATH", num_args = 1.., conflicts_with = "warc")]
        from_warc: Vec<PathBuf>,
        /// With --from-warc: use, for each URL, the capture nearest this date (2019-05-04);
        /// the newest capture by default.
        #[arg(long, value_name = "DATE", requires = "from_warc")]
        as_of: Option<String>,
        #[command(flatten)]
        progress: ProgressFlags,
    },
    /// List the runs in a database.
    Runs {
        /// The database file.
        #[arg(long, default_value = store::DEFAULT_DB, value_name = "FILE")]
        db: PathBuf,
    },
    /// Check one council's site and write its report.
    Check {
        /// The council's home page.
        url: String,
        /// Its Better Connected council type (CC, SD, MD, EU, LB, SU, WU, NI); found in the
        /// register when not given.
        #[arg(long = "type", value_parser = council_type)]
        council_type: Option<sites::CouncilType>,
        /// Its name.
        #[arg(long)]
        name: Option<String>,
        /// The folder for the check's database (`check.db`) and report (`index.html`).
        #[arg(long, default_value = "civicscan-check", value_name = "DIR")]
        out: PathBuf,
        /// A national survey database: its latest finished run gives the averages (skipped when
        /// the file does not exist).
        #[arg(long, default_value = store::DEFAULT_DB, value_name = "FILE")]
        db: PathBuf,
        #[command(flatten)]
        ruleset: RulesetArg,
        #[command(flatten)]
        crawl: CrawlFlags,
        #[command(flatten)]
        progress: ProgressFlags,
    },
    /// Audit local HTML files, folders of them, or URLs for accessibility, without a survey.
    Audit {
        /// Files, folders or URLs.
        #[arg(required = true)]
        inputs: Vec<String>,
        /// The URL local files are served from (resolves their links and stylesheets).
        #[arg(long, value_name = "URL")]
        base_url: Option<url::Url>,
        /// Output format: text, or one JSON object per page per line.
        #[arg(long, value_enum, default_value = "text")]
        format: civicscan::audit::a11y::cli::Format,
        /// Allow URLs on private and loopback addresses (a test or intranet site).
        #[arg(long)]
        allow_private: bool,
        /// Also load each page in headless Chromium: the DOM after scripts, and the checks only a
        /// browser can make (`all`), or not (`off`).
        #[arg(long, value_enum, default_value = "off")]
        render: civicscan::render::RenderMode,
        /// The browser for --render (default: $CIVICSCAN_CHROMIUM, else chromium on PATH).
        #[arg(long, value_name = "PATH")]
        chromium: Option<PathBuf>,
        #[command(flatten)]
        ruleset: RulesetArg,
    },
    /// Write the HTML report, CSV and JSON for a stored run.
    Report {
        /// The database file.
        #[arg(long, default_value = store::DEFAULT_DB, value_name = "FILE")]
        db: PathBuf,
        /// The run (default: the newest finished run).
        #[arg(long)]
        run: Option<i64>,
        /// The output folder.
        #[arg(long, default_value = "report", value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        ruleset: RulesetArg,
    },
    /// Compare two runs year on year.
    Compare {
        /// The earlier run.
        run_a: i64,
        /// The later run.
        run_b: i64,
        /// The database file.
        #[arg(long, default_value = store::DEFAULT_DB, value_name = "FILE")]
        db: PathBuf,
        /// The output folder.
        #[arg(long, default_value = "report", value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        ruleset: RulesetArg,
    },
    /// Serve the built-in demo web of synthetic councils, survey it and write the report.
    Demo {
        #[command(subcommand)]
        command: Option<DemoCommand>,
        /// Print the survey's accuracy against the demo web's ground truth.
        #[arg(long)]
        verify: bool,
        /// The folder for the database (`survey.db`) and the report (`report/`).
        #[arg(long, default_value = "civicscan-demo", value_name = "DIR")]
        out: PathBuf,
        /// How many councils.
        #[arg(long, default_value_t = demo::DEFAULT_COUNCILS)]
        councils: usize,
        /// The generator's seed.
        #[arg(long, default_value_t = demo::DEFAULT_SEED)]
        seed: u64,
        /// Requests per second per demo host.
        #[arg(long, default_value_t = demo::DEMO_RATE, value_name = "R")]
        rate: f64,
        /// Render pages in headless Chromium too (as `survey --render`).
        #[arg(long, value_enum, default_value = "off", value_name = "MODE")]
        render: civicscan::render::RenderMode,
        /// Add a council whose menu is built by script and whose home page traps the keyboard:
        /// surveyed right only with --render key or all.
        #[arg(long)]
        scripted: bool,
        #[command(flatten)]
        ruleset: RulesetArg,
    },
    /// Work with sites files.
    Sites {
        #[command(subcommand)]
        command: SitesCommand,
    },
    /// Work with rulesets.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Serve the demo web alone, in the foreground, until Ctrl-C.
    Serve {
        /// The port every council listens on, each on its own loopback address (0: any).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// How many councils.
        #[arg(long, default_value_t = demo::DEFAULT_COUNCILS)]
        councils: usize,
        /// Extra pages per council, for scale tests.
        #[arg(long, default_value_t = 0)]
        pages: usize,
        /// Delay added to every response, in milliseconds (with jitter).
        #[arg(long, default_value_t = 0)]
        latency: u32,
        /// The generator's seed.
        #[arg(long, default_value_t = demo::DEFAULT_SEED)]
        seed: u64,
        /// Write a sites file for `civicscan survey --sites FILE --allow-private`.
        #[arg(long, value_name = "FILE")]
        write_sites: Option<PathBuf>,
        /// Memory for built sites, in MB: each site is built when first asked for and kept,
        /// packed; past this the least recently used are dropped (and rebuilt if asked again).
        #[arg(long, value_name = "MB", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..))]
        cache_mb: u64,
        /// Build the sites (up to the cache's memory) before serving, not when first asked for.
        #[arg(long)]
        prebuild: bool,
        /// Serve every council by host name (SLUG.localhost) on shared listeners, as is done
        /// anyway when a listener each would pass the open-files limit.
        #[arg(long)]
        by_name: bool,
        /// Also serve the scripted council (a menu built by script, a keyboard trap), on a port
        /// of its own on 127.0.0.1.
        #[arg(long)]
        scripted: bool,
    },
}

#[derive(Subcommand)]
enum SitesCommand {
    /// Check a sites file and print how many councils of each type it lists.
    Validate {
        /// The sites file.
        #[arg(default_value = "sites.csv")]
        file: PathBuf,
    },
    /// Rebuild the register from its public sources (see README.md), printing CSV.
    Derive {
        /// GOV.UK Local Links Manager's local-authorities.csv.
        #[arg(long, value_name = "FILE")]
        links_manager: PathBuf,
        /// mySociety's uk_local_authorities.csv.
        #[arg(long, value_name = "FILE")]
        mysociety: PathBuf,
        /// Write here instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Check a ruleset file.
    Validate {
        /// The ruleset file.
        file: PathBuf,
    },
}

/// With `--features dhat-heap`, every allocation is counted and `dhat-heap.json` written when the
/// command ends (open it in dhat's viewer, `dh_view.html` from valgrind).
#[cfg(feature = "dhat-heap")]
#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Caps glibc malloc's arenas at one per core, for what still allocates there: SQLite and other C
/// code, and every allocation in a `dhat-heap` build. By default glibc gives up to eight per core
/// to threads that allocate at once, and each arena keeps the memory it once held: when Rust's
/// allocations went there too, a 1,000-council crawl peaked at 334 MB resident against 262 MB
/// with two arenas (benches/crawl.rs, 2026-12-03). Call before any thread starts.
fn cap_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .max(2);
        let arenas = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets a tunable of the allocator; no thread has started yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

fn main() -> ExitCode {
    #[cfg(feature = "dhat-heap")]
    let _profiler = dhat::Profiler::new_heap();
    cap_malloc_arenas();
    let cli = Cli::parse();
    // A national run keeps a connection per council in flight.
    civicscan::crawl::limiter::raise_fd_limit();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", message(&e));
            ExitCode::from(EXIT_UNAVAILABLE)
        }
    }
}

/// An error and its causes in one line, each said once: the stage errors already quote their
/// cause ("sites.csv: cannot read the sites file: No such file or directory"), so a cause whose
/// words are already there is not repeated.
fn message(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
    }
    out
}

/// The first Ctrl-C (SIGINT) stops the survey cleanly; a second one quits at once.
async fn stop_on_ctrl_c(stop: civicscan::crawl::StopSignal) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    // The progress display announces the stop, above its bar.
    stop.stop();
    if tokio::signal::ctrl_c().await.is_ok() {
        std::process::exit(i32::from(EXIT_INTERRUPTED));
    }
}

/// What `survey` was asked to do.
#[allow(
    clippy::large_enum_variant,
    reason = "one value, made once per command"
)]
enum Job {
    New(Vec<sites::Site>, ruleset::Ruleset),
    Resume(survey::ResumeChecks),
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Sites {
            command: SitesCommand::Validate { file },
        } => {
            let sites = sites::load(&file)?;
            println!("{}: {} councils", file.display(), sites.len());
            for (council_type, n) in sites::counts_by_type(&sites) {
                println!("  {n:>4} {council_type} {}", council_type.label());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Sites {
            command:
                SitesCommand::Derive {
                    links_manager,
                    mysociety,
                    out,
                },
        } => {
            let csv = sites::derive::derive(&links_manager, &mysociety)?;
            match out {
                Some(path) => std::fs::write(&path, csv)
                    .with_context(|| format!("{}: cannot write", path.display()))?,
                None => print!("{csv}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules {
            command: RulesCommand::Validate { file },
        } => {
            let rules = ruleset::load(&file)?;
            println!(
                "{}: `{}` edition {}: {} tasks, {} services, sha256 {}",
                file.display(),
                rules.name,
                rules.edition,
                rules.tasks.len(),
                rules.services.len(),
                &rules.hash[..12]
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Survey {
            sites: sites_file,
            only,
            types,
            nation,
            ruleset: rules,
            db,
            resume,
            new,
            crawl,
            from_warc,
            as_of,
            progress,
        } => {
            let mut overrides = crawl.overrides();
            if !from_warc.is_empty() {
                overrides.replay = Some(survey::ReplaySettings {
                    paths: from_warc.iter().map(|p| p.display().to_string()).collect(),
                    as_of,
                });
            }
            let selection = sites::Selection {
                only,
                types,
                nations: nation,
            };
            let mut options = survey::SurveyOptions {
                overrides,
                sites_file: None,
                selection: selection.clone(),
                beside_unfinished: new,
                origin: serde_json::Value::Null,
                progress: progress.mode(),
                stop: Default::default(),
                chromium: crawl.chromium.clone(),
                render_optional: false,
            };
            options.overrides.validate()?;
            let stop = options.stop.clone();
            let job = if resume {
                // Everything is restored from the run; what is given again is checked against it.
                Job::Resume(survey::ResumeChecks {
                    overrides: options.overrides.clone(),
                    ruleset: rules.ruleset.as_deref().map(ruleset::load).transpose()?,
                    sites_file: match &sites_file {
                        Some(file) => Some((file.display().to_string(), sites::load(file)?)),
                        None => None,
                    },
                    selection: (!selection.is_all()).then(|| selection.clone()),
                })
            } else {
                // No --sites and no sites.csv here: the register built into the binary.
                let (name, all) = match sites_file {
                    Some(file) => (file.display().to_string(), sites::load(&file)?),
                    None if Path::new("sites.csv").exists() => (
                        "sites.csv".to_string(),
                        sites::load(Path::new("sites.csv"))?,
                    ),
                    None => {
                        let all = sites::register();
                        eprintln!(
                            "no sites.csv here: using the built-in register ({} councils); --sites FILE names another",
                            all.len()
                        );
                        ("sites.csv (built in)".to_string(), all)
                    }
                };
                let list = selection.apply(all, &name)?;
                options.sites_file = Some(name);
                Job::New(list, load_ruleset(&rules)?)
            };
            if resume && !db.exists() {
                anyhow::bail!("{}: no such database, so no run to resume", db.display());
            }
            // Opened once the input is known good, so a typo never leaves an empty database.
            let store = store::Store::open(&db)?;
            let result = runtime()?.block_on(async {
                let interrupt = tokio::spawn(stop_on_ctrl_c(stop));
                let result = match job {
                    Job::Resume(checks) => survey::resume(store, &options, &checks).await,
                    Job::New(list, rules) => {
                        survey::survey(&list, Arc::new(rules), store, &options).await
                    }
                };
                interrupt.abort();
                result
            });
            let outcome = match result {
                Err(e @ survey::SurveyError::Interrupted { .. }) => {
                    eprintln!("{e}");
                    return Ok(ExitCode::from(EXIT_INTERRUPTED));
                }
                r => r?,
            };
            println!("{outcome}");
            println!("database: {}", db.display());
            if let Some((_, reason)) = outcome.failures.first()
                && reason.contains("private address")
            {
                eprintln!(
                    "hint: councils on private or loopback addresses (a test or demo web) need --allow-private"
                );
            }
            Ok(if outcome.none_surveyed() {
                eprintln!("error: no council could be surveyed");
                ExitCode::from(EXIT_UNAVAILABLE)
            } else if outcome.all_surveyed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_SOME_FAILED)
            })
        }
        Command::Runs { db } => {
            if !db.exists() {
                anyhow::bail!("{}: no such database", db.display());
            }
            let store = store::Store::open(&db)?;
            print!("{}", survey::runs::table(&store)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            url,
            council_type,
            name,
            out,
            db,
            ruleset: rules,
            crawl,
            progress,
        } => {
            let homepage = url::Url::parse(&url)
                .with_context(|| format!("{url}: not a URL (give the home page, https://…)"))?;
            let rules = load_ruleset(&rules)?;
            let mut overrides = crawl.overrides();
            // A check renders its key pages unless told not to; without a browser it says so
            // and goes on with the static checks, unless rendering was asked for by name.
            overrides.render = Some(crawl.render.unwrap_or(civicscan::render::RenderMode::Key));
            let options = survey::SurveyOptions {
                overrides,
                progress: progress.mode(),
                chromium: crawl.chromium.clone(),
                render_optional: crawl.render.is_none() && crawl.chromium.is_none(),
                ..Default::default()
            };
            let request = survey::CheckRequest {
                homepage,
                council_type,
                name,
                out,
                national_db: Some(db),
            };
            let outcome =
                runtime()?.block_on(survey::check(&request, Arc::new(rules), &options))?;
            print!("{}", outcome.summary);
            if let Some(line) = &outcome.survey.render {
                println!("{line}");
            }
            if let Some(why) = &outcome.survey.render_skipped {
                eprintln!(
                    "warning: rendering skipped, so the checks only a browser can make were not made: {why}"
                );
            }
            if outcome.national_councils == 0 {
                println!("(no national survey in the database, so no averages to compare with)");
            }
            if let Some(name) = &outcome.left_out {
                println!(
                    "({name}'s own result in the national survey is left out of the averages and ranks above)"
                );
            }
            println!("report: {}", outcome.report.display());
            println!("database: {}", outcome.db.display());
            if let Some(reason) = &outcome.assessment.failure {
                eprintln!("error: the site could not be surveyed: {reason}");
                if let Some(hint) = survey::check::hint_for(&request.homepage, reason) {
                    eprintln!("hint: {hint}");
                }
                return Ok(ExitCode::from(EXIT_UNAVAILABLE));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            inputs,
            base_url,
            format,
            allow_private,
            render,
            chromium,
            ruleset,
        } => {
            use civicscan::audit::a11y::cli;
            let rules = match ruleset.ruleset {
                Some(path) => ruleset::load(&path)?,
                None => ruleset::builtin(),
            };
            let opts = cli::Options {
                base_url,
                format,
                settings: rules.accessibility.clone(),
                crawl: rules.crawl.clone(),
                allow_private,
            };
            let classify = |page: &civicscan::page::ParsedPage| {
                let c = civicscan::audit::tasks::classify(&page.url, &page.facts(), &rules);
                cli::Classification {
                    tasks: c.tasks,
                    services: c.services,
                    evidence: c.evidence,
                }
            };
            let stdout = std::io::stdout();
            let browser = match render {
                civicscan::render::RenderMode::Off => None,
                _ => Some(civicscan::render::AuditRenderer::start(
                    chromium.as_deref(),
                    &opts.crawl,
                    allow_private,
                    opts.settings.clone(),
                )?),
            };
            let hook = |url: &url::Url, html: &str, css: &civicscan::audit::a11y::SiteCss| {
                browser
                    .as_ref()
                    .map_or(Err("no browser".to_string()), |b| b.audit(url, html, css))
            };
            let hook_ref: Option<cli::Renderer<'_>> = browser.as_ref().map(|_| &hook as _);
            match cli::run_with(
                &inputs,
                &opts,
                Some(&classify),
                hook_ref,
                &mut stdout.lock(),
            ) {
                Ok(_) => Ok(ExitCode::SUCCESS),
                // Each failed input was reported as it was found.
                Err(e @ cli::AuditError::SomeFailed { audited, .. }) => {
                    eprintln!("error: {e}");
                    Ok(ExitCode::from(if audited == 0 {
                        EXIT_UNAVAILABLE
                    } else {
                        EXIT_SOME_FAILED
                    }))
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Report {
            db,
            run,
            out,
            ruleset: rules,
        } => {
            let rules = rules.ruleset.as_deref().map(ruleset::load).transpose()?;
            let summary = report::run_report(&db, run, rules, &out)?;
            println!("{summary}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare {
            run_a,
            run_b,
            db,
            out,
            ruleset: rules,
        } => {
            let rules = rules.ruleset.as_deref().map(ruleset::load).transpose()?;
            let (files, warnings) = report::run_compare(&db, run_a, run_b, rules, &out)?;
            for w in warnings {
                eprintln!("warning: {w}");
            }
            for f in files {
                println!("wrote {}", f.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo {
            command:
                Some(DemoCommand::Serve {
                    port,
                    councils,
                    pages,
                    latency,
                    seed,
                    write_sites,
                    cache_mb,
                    prebuild,
                    by_name,
                    scripted,
                }),
            ..
        } => {
            let cmd = demo::ServeCommand {
                port,
                councils,
                pages,
                latency_ms: latency,
                seed,
                write_sites,
                cache_bytes: usize::try_from(cache_mb.saturating_mul(1024 * 1024))
                    .unwrap_or(usize::MAX),
                prebuild,
                by_name,
                scripted,
            };
            tokio::runtime::Runtime::new()?.block_on(demo::run_server(cmd))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo {
            command: None,
            verify,
            out,
            councils,
            seed,
            rate,
            render,
            scripted,
            ruleset: rules,
        } => {
            let opts = demo::DemoOptions {
                seed,
                councils,
                out,
                ruleset: rules.ruleset.as_deref().map(ruleset::load).transpose()?,
                rate,
                progress: if std::io::stderr().is_terminal() {
                    survey::ProgressMode::Bar
                } else {
                    survey::ProgressMode::Quiet
                },
                today: None,
                render,
                scripted,
            };
            eprintln!(
                "Serving {councils} synthetic councils{} on loopback (seed {seed}) and surveying them…",
                if scripted {
                    " and the scripted one"
                } else {
                    ""
                }
            );
            let outcome = runtime()?.block_on(demo::run_demo(&opts))?;
            println!("{}", outcome.survey);
            println!("database: {}", outcome.db.display());
            println!(
                "time: serving {:.1} s, survey {:.1} s, report {:.1} s",
                outcome.timings.serve.as_secs_f64(),
                outcome.timings.survey.as_secs_f64(),
                outcome.timings.report.as_secs_f64()
            );
            if verify {
                println!("\n{}", outcome.accuracy);
                if !outcome.accuracy.mismatches.is_empty() {
                    println!("  some mismatches:");
                    for m in outcome.accuracy.mismatches.iter() {
                        println!("    {m}");
                    }
                }
            } else {
                println!(
                    "accuracy against the ground truth: {:.1} % of question answers right, task pages found with precision {:.1} % and recall {:.1} % (details: --verify)",
                    100.0 * outcome.accuracy.answers.share(),
                    100.0 * outcome.accuracy.task_pages.precision(),
                    100.0 * outcome.accuracy.task_pages.recall()
                );
                println!(
                    "legal duties against the ground truth: {:.1} % of accessibility statement parts right, {:.1} % of Welsh-language answers right",
                    100.0 * outcome.accuracy.statement_parts.share(),
                    100.0 * outcome.accuracy.welsh_answers.share()
                );
            }
            println!("{}", outcome.report);
            println!("report: {}", outcome.report.index.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}
