//! The `civicscan` command: wires the library's stages together. Logic lives in the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use civicscan::{demo, report, ruleset, sites, store, survey};

/// Exit code for bad input or a failed run (the message names the file, line or URL).
const EXIT_UNAVAILABLE: u8 = 2;
/// Exit code for a survey stopped by Ctrl-C (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: u8 = 130;

#[derive(Parser)]
#[command(name = "civicscan", version, about = "An open, repeatable survey of UK council websites", long_about = None)]
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
    /// Pages per site at most (overrides the ruleset).
    #[arg(long, value_name = "N")]
    max_pages: Option<usize>,
    /// Requests per second per host (overrides the ruleset).
    #[arg(long, value_name = "R")]
    rate: Option<f64>,
}

impl CrawlFlags {
    fn apply(&self, rules: &mut ruleset::Ruleset) -> survey::SurveyOptions {
        if let Some(n) = self.max_pages {
            rules.crawl.max_pages = n.max(1);
        }
        if let Some(r) = self.rate.filter(|r| r.is_finite() && *r > 0.0) {
            rules.crawl.requests_per_second = r;
        }
        survey::SurveyOptions {
            resume: false,
            allow_private: self.allow_private,
            contact_email: self.contact_email.clone(),
            progress: std::io::stderr().is_terminal(),
            settings: serde_json::json!({
                "max_pages": rules.crawl.max_pages,
                "requests_per_second": rules.crawl.requests_per_second,
                "allow_private": self.allow_private,
            }),
            stop: Default::default(),
        }
    }
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
    /// Survey every council in a sites file into the database.
    Survey {
        /// The sites file.
        #[arg(long, default_value = "sites.csv", value_name = "FILE")]
        sites: PathBuf,
        #[command(flatten)]
        ruleset: RulesetArg,
        /// The database file.
        #[arg(long, default_value = store::DEFAULT_DB, value_name = "FILE")]
        db: PathBuf,
        /// Continue the newest unfinished run instead of starting a new one.
        #[arg(long)]
        resume: bool,
        #[command(flatten)]
        crawl: CrawlFlags,
    },
    /// Check one council's site and write its report.
    Check {
        /// The council's home page.
        url: String,
        /// Its Better Connected council type (CC, SD, MD, EU, LB, SU, WU, NI).
        #[arg(long = "type", default_value = "EU")]
        council_type: String,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_UNAVAILABLE)
        }
    }
}

/// The first Ctrl-C (SIGINT) stops the survey cleanly; a second one quits at once.
async fn stop_on_ctrl_c(stop: civicscan::crawl::StopSignal) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    eprintln!("stopping: finishing the pages in hand (Ctrl-C again to quit at once)");
    stop.stop();
    if tokio::signal::ctrl_c().await.is_ok() {
        std::process::exit(i32::from(EXIT_INTERRUPTED));
    }
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
            ruleset: rules,
            db,
            resume,
            crawl,
        } => {
            let mut rules = load_ruleset(&rules)?;
            let mut options = crawl.apply(&mut rules);
            options.resume = resume;
            // A resumed run surveys the sites it started with.
            let sites = if resume {
                Vec::new()
            } else {
                sites::load(&sites_file)?
            };
            let store = store::Store::open(&db)?;
            let stop = options.stop.clone();
            let result = runtime()?.block_on(async {
                let interrupt = tokio::spawn(stop_on_ctrl_c(stop));
                let result = survey::survey(&sites, Arc::new(rules), store, &options).await;
                interrupt.abort();
                result
            });
            let outcome = match result {
                Err(e @ survey::SurveyError::Interrupted { .. }) => {
                    eprintln!("{e} --db {}", db.display());
                    return Ok(ExitCode::from(EXIT_INTERRUPTED));
                }
                r => r?,
            };
            println!("{outcome}");
            println!("database: {}", db.display());
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
        } => {
            let homepage = url::Url::parse(&url)
                .with_context(|| format!("{url}: not a URL (give the home page, https://…)"))?;
            let council_type: sites::CouncilType = council_type
                .parse()
                .map_err(|e| anyhow::anyhow!("--type {council_type}: {e}"))?;
            let mut rules = load_ruleset(&rules)?;
            let options = crawl.apply(&mut rules);
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
            if outcome.national_councils == 0 {
                println!("(no national survey in the database, so no averages to compare with)");
            }
            println!("report: {}", outcome.report.display());
            println!("database: {}", outcome.db.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            inputs,
            base_url,
            format,
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
            };
            let classify = |page: &civicscan::page::ParsedPage| {
                let c = civicscan::audit::tasks::classify(&page.url, &page.facts(), &rules);
                cli::Classification {
                    tasks: c.tasks,
                    services: c.services,
                }
            };
            let stdout = std::io::stdout();
            cli::run(&inputs, &opts, Some(&classify), &mut stdout.lock())?;
            Ok(ExitCode::SUCCESS)
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
            let files = report::run_compare(&db, run_a, run_b, rules, &out)?;
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
            ruleset: rules,
        } => {
            let opts = demo::DemoOptions {
                seed,
                councils,
                out,
                ruleset: rules.ruleset.as_deref().map(ruleset::load).transpose()?,
                rate,
                progress: std::io::stderr().is_terminal(),
                today: None,
            };
            eprintln!(
                "Serving {councils} synthetic councils on loopback (seed {seed}) and surveying them…"
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
