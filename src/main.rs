//! The `civicscan` command: wires the library's stages together. Logic lives in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use civicscan::{ruleset, sites, store};

/// Exit code for a stage that is not built yet, or bad input.
const EXIT_UNAVAILABLE: u8 = 2;

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
        /// Allow connections to private and loopback addresses (tests and the demo web).
        #[arg(long)]
        allow_private: bool,
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
    },
    /// Compare two runs year on year.
    Compare {
        /// The earlier run.
        run_a: i64,
        /// The later run.
        run_b: i64,
    },
    /// Serve the built-in demo web of synthetic councils, survey it and write the report.
    Demo,
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

fn not_built(what: &str, issue: u32) -> Result<ExitCode> {
    eprintln!("civicscan {what}: this stage is not built yet (issue {issue})");
    Ok(ExitCode::from(EXIT_UNAVAILABLE))
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
        Command::Survey { .. } => not_built("survey", 3),
        Command::Check { .. } => not_built("check", 6),
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
                settings: rules.accessibility,
            };
            let stdout = std::io::stdout();
            cli::run(&inputs, &opts, None, &mut stdout.lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report { .. } => not_built("report", 6),
        Command::Compare { .. } => not_built("compare", 6),
        Command::Demo => not_built("demo", 7),
    }
}
