//! No lost work: the real `civicscan` binary, killed with SIGKILL at seeded random points and
//! resumed, ends with the database an uninterrupted run writes (same pages, findings, answers and
//! scores); SIGINT stops it cleanly, storing every page it had asked for, and the run resumes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use tokio::process::{Child, Command};

use super::support::{Reply, TestServer, TestWeb};

/// Each page answers this late, so a survey of three councils takes a few seconds to kill into.
const PAGE_DELAY: Duration = Duration::from_millis(40);
const TOPICS: &[&str] = &[
    "bins",
    "council-tax",
    "planning",
    "parking",
    "libraries",
    "schools",
    "housing",
    "jobs",
    "contact-us",
    "accessibility",
];

fn page(title: &str, links: &[String], extra: &str) -> Reply {
    let mut body = format!(
        "<!doctype html><html lang=en><head><title>{title}</title></head><body><main><h1>{title}</h1>{extra}"
    );
    for l in links {
        body.push_str(&format!(
            "<p><a href=\"{l}\">{}</a></p>",
            l.trim_matches('/')
        ));
    }
    body.push_str("</main></body></html>");
    Reply::html(&body).delayed(PAGE_DELAY)
}

/// A small council: a home page, ten topics and a page under each, some with accessibility
/// failures (images without alt text, an empty link) so there are findings to compare.
async fn council(name: &'static str) -> TestServer {
    let topics: Vec<String> = TOPICS.iter().map(|t| format!("/{t}")).collect();
    let mut web = TestWeb::new().route("/", move |_| page(name, &topics, ""));
    for (i, t) in TOPICS.iter().enumerate() {
        let more = vec![format!("/{t}/more")];
        let extra = if i % 3 == 0 {
            "<img src=/x.png><a href=/contact-us></a>"
        } else {
            ""
        };
        let title = format!("{name}: {t}");
        let sub = format!("{title}, more");
        web = web
            .route(&format!("/{t}"), move |_| page(&title, &more, extra))
            .route(&format!("/{t}/more"), move |_| page(&sub, &[], ""));
    }
    web.serve().await
}

struct Councils {
    servers: Vec<TestServer>,
    sites_file: PathBuf,
}

impl Councils {
    async fn start(dir: &Path) -> Councils {
        let mut servers = Vec::new();
        let mut csv = String::from("slug,name,type,homepage_url\n");
        for (slug, name, kind) in [
            ("north", "North District Council", "SD"),
            ("south", "South Borough Council", "MD"),
            ("east", "East County Council", "CC"),
        ] {
            let server = council(name).await;
            csv.push_str(&format!("{slug},{name},{kind},{}\n", server.url("/")));
            servers.push(server);
        }
        let sites_file = dir.join("sites.csv");
        std::fs::write(&sites_file, csv).unwrap();
        Councils {
            servers,
            sites_file,
        }
    }

    fn requests(&self) -> usize {
        self.servers.iter().map(|s| s.paths().len()).sum()
    }

    /// How many requests each council has seen so far.
    fn mark(&self) -> Vec<usize> {
        self.servers.iter().map(|s| s.paths().len()).collect()
    }

    /// Pages requested since `mark` (not robots.txt, sitemaps or site searches), as
    /// (council, path), in order.
    fn pages_since(&self, mark: &[usize]) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for (i, s) in self.servers.iter().enumerate() {
            for p in s.paths().into_iter().skip(mark[i]) {
                if !(p.starts_with("/robots.txt")
                    || p.starts_with("/sitemap")
                    || p.starts_with("/search"))
                {
                    out.push((i, p));
                }
            }
        }
        out
    }
}

fn survey(councils: &Councils, db: &Path, resume: bool) -> Child {
    let mut args = vec!["--allow-private", "--rate", "100"];
    if resume {
        args.push("--resume");
    }
    survey_with(councils, db, &args)
}

/// `civicscan survey --db DB ARGS…`, with `--sites` unless resuming.
fn survey_with(councils: &Councils, db: &Path, args: &[&str]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_civicscan"));
    cmd.arg("survey")
        .arg("--db")
        .arg(db)
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if !args.contains(&"--resume") {
        cmd.arg("--sites").arg(&councils.sites_file);
    }
    cmd.spawn().expect("the civicscan binary starts")
}

/// Runs the command a message prints between backticks (`civicscan survey --resume --db …`),
/// word for word, as a surveyor would paste it.
fn printed_command(message: &str) -> Child {
    let start = message.find("`civicscan ").expect("a command in backticks") + 1;
    let end = start + message[start..].find('`').expect("a closing backtick");
    let words: Vec<&str> = message[start..end].split_whitespace().collect();
    assert!(
        words.iter().all(|w| !w.contains('\'')),
        "the test's paths need no quoting: {words:?}"
    );
    Command::new(env!("CARGO_BIN_EXE_civicscan"))
        .args(&words[1..])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the printed command starts")
}

/// Waits for the process to exit, within a generous bound; returns its status and stderr.
async fn finish(child: Child) -> (ExitStatus, String) {
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the survey ends within a minute")
        .expect("wait for the survey");
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Waits until the councils have seen `n` more requests; `false` if the process exited first.
async fn wait_for_requests(councils: &Councils, child: &mut Child, n: usize) -> bool {
    let target = councils.requests() + n;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while councils.requests() < target {
        if child.try_wait().expect("poll the survey").is_some() {
            return false;
        }
        assert!(tokio::time::Instant::now() < deadline, "the survey stalled");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    true
}

/// The database's content that must not depend on interruptions: rows as text, without ids,
/// timestamps, timings or click paths (which page linked first may differ after a resume).
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    runs: usize,
    sites: BTreeSet<String>,
    pages: BTreeSet<String>,
    page_rows: usize,
    findings: BTreeSet<String>,
    answers: BTreeSet<String>,
    scores: BTreeSet<String>,
}

use super::common::db_rows as rows;

fn snapshot(db: &Path) -> Snapshot {
    let conn = rusqlite::Connection::open(db).unwrap();
    let set = |sql: &str| rows(&conn, sql).into_iter().collect::<BTreeSet<_>>();
    let finished: Vec<String> = rows(&conn, "SELECT finished_at IS NOT NULL FROM runs");
    assert_eq!(finished, ["[Integer(1)]"], "one run, finished");
    Snapshot {
        runs: finished.len(),
        sites: set("SELECT slug, status, failure FROM sites"),
        pages: set(
            "SELECT site_slug, url, final_url, status, kind, bytes, truncated, error, facts FROM pages",
        ),
        page_rows: rows(&conn, "SELECT id FROM pages").len(),
        findings: set(
            "SELECT site_slug, page_url, rule, outcome, impact, selector, snippet, message FROM findings",
        ),
        answers: set(
            "SELECT site_slug, task, question, answer, evidence_url, reason FROM task_answers",
        ),
        scores: set("SELECT site_slug, key, value, stars, rank, type_rank FROM scores"),
    }
}

async fn uninterrupted(councils: &Councils, dir: &Path) -> Snapshot {
    let db = dir.join("baseline.db");
    let (status, stderr) = finish(survey(councils, &db, false)).await;
    assert!(status.success(), "{stderr}");
    let s = snapshot(&db);
    assert_eq!(s.pages.len(), 3 * (1 + 2 * TOPICS.len()), "{:?}", s.pages);
    assert!(!s.findings.is_empty() && !s.scores.is_empty());
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_killed_at_random_points_resumes_to_the_same_database() {
    let dir = tempfile::tempdir().unwrap();
    let councils = Councils::start(dir.path()).await;
    let baseline = uninterrupted(&councils, dir.path()).await;

    const SEED: u64 = 9;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(SEED);
    let db = dir.path().join("killed.db");
    let mut kills = 0;
    let mut resume = false;
    loop {
        let mut child = survey(&councils, &db, resume);
        // Up to 4 kills, each after a random number of requests; then let it finish.
        let wait = rng.random_range(1..=30);
        if kills < 4 && wait_for_requests(&councils, &mut child, wait).await {
            child.start_kill().expect("SIGKILL");
            let (status, _) = finish(child).await;
            assert!(!status.success());
            kills += 1;
            resume = true;
            continue;
        }
        let (status, stderr) = finish(child).await;
        if !status.success() && stderr.contains("no unfinished run to resume") {
            break; // the last kill came after the run was marked finished
        }
        assert!(status.success(), "seed {SEED}: {stderr}");
        break;
    }
    assert!(kills >= 1, "seed {SEED}: no kill landed mid-run");
    eprintln!("seed {SEED}: killed {kills} times, then resumed to the end");
    assert_eq!(snapshot(&db), baseline, "seed {SEED}, {kills} kills");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_finishes_the_pages_in_hand_and_leaves_the_run_resumable() {
    let dir = tempfile::tempdir().unwrap();
    let councils = Councils::start(dir.path()).await;
    let baseline = uninterrupted(&councils, dir.path()).await;
    let db = dir.path().join("interrupted.db");
    let before = councils.mark();

    let mut child = survey(&councils, &db, false);
    assert!(
        wait_for_requests(&councils, &mut child, 12).await,
        "the survey is still running"
    );
    let pid = child.id().expect("running").to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let (status, stderr) = finish(child).await;
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted") && stderr.contains("--resume"),
        "{stderr}"
    );

    // Every page asked for before the signal was finished and stored.
    let requested: BTreeSet<(usize, String)> = councils.pages_since(&before).into_iter().collect();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let slugs = ["north", "south", "east"];
    let stored: BTreeSet<(usize, String)> = conn
        .prepare("SELECT site_slug, url FROM pages")
        .unwrap()
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .unwrap()
        .map(|r| {
            let (slug, url) = r.unwrap();
            let i = slugs.iter().position(|s| *s == slug).unwrap();
            (i, url::Url::parse(&url).unwrap().path().to_string())
        })
        .collect();
    assert_eq!(
        stored, requested,
        "stored pages are exactly those requested"
    );
    let unfinished = rows(&conn, "SELECT finished_at IS NULL FROM runs");
    assert_eq!(unfinished, ["[Integer(1)]"], "the run is left unfinished");
    drop(conn);

    let mark = councils.mark();
    let (status, stderr) = finish(survey(&councils, &db, true)).await;
    assert!(status.success(), "{stderr}");
    let again = councils.pages_since(&mark);
    assert!(
        again.iter().all(|p| !requested.contains(p)),
        "nothing stored is fetched again: {again:?}"
    );
    assert_eq!(snapshot(&db), baseline);
}

/// A run started with flags that change its outcome: fewer pages per site, a faster rate, a
/// contact address, and private addresses allowed (without which every page fails).
const FLAGS: &[&str] = &[
    "--allow-private",
    "--rate",
    "50",
    "--max-pages",
    "7",
    "--contact-email",
    "survey@example.org",
];

async fn sigint_after(councils: &Councils, mut child: Child, requests: usize) -> String {
    assert!(
        wait_for_requests(councils, &mut child, requests).await,
        "the survey is still running"
    );
    let pid = child.id().expect("running").to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let (status, stderr) = finish(child).await;
    assert_eq!(status.code(), Some(130), "{stderr}");
    stderr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_printed_resume_command_restores_every_flag_the_run_started_with() {
    let dir = tempfile::tempdir().unwrap();
    let councils = Councils::start(dir.path()).await;
    let baseline_db = dir.path().join("baseline.db");
    let (status, stderr) = finish(survey_with(&councils, &baseline_db, FLAGS)).await;
    assert!(status.success(), "{stderr}");
    let baseline = snapshot(&baseline_db);
    assert_eq!(
        baseline.page_rows,
        3 * 7,
        "--max-pages 7 holds: {:?}",
        baseline.pages
    );

    let db = dir.path().join("interrupted.db");
    let stderr = sigint_after(&councils, survey_with(&councils, &db, FLAGS), 6).await;
    let mark = councils.mark();
    // The command the program printed, nothing added.
    let (status, resumed_stderr) = finish(printed_command(&stderr)).await;
    assert!(status.success(), "{stderr}\n{resumed_stderr}");
    assert_eq!(snapshot(&db), baseline, "resumed with only --resume");
    assert!(
        councils.pages_since(&mark).len() <= 3 * 7,
        "the resumed run kept --max-pages 7"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let settings: String = conn
        .query_row("SELECT settings FROM runs", [], |r| r.get(0))
        .unwrap();
    let settings: serde_json::Value = serde_json::from_str(&settings).unwrap();
    assert_eq!(settings["max_pages"], 7);
    assert_eq!(settings["allow_private"], true);
    assert_eq!(settings["contact_email"], "survey@example.org");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flag_that_contradicts_the_run_is_refused_at_resume_and_the_run_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let councils = Councils::start(dir.path()).await;
    let db = dir.path().join("interrupted.db");
    sigint_after(&councils, survey_with(&councils, &db, FLAGS), 6).await;
    let mark = councils.mark();

    let (status, stderr) = finish(survey_with(
        &councils,
        &db,
        &["--resume", "--max-pages", "9"],
    ))
    .await;
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--max-pages 9 contradicts run 1, which started with 7"),
        "{stderr}"
    );
    // Repeating a flag with its own value is fine, and so is a sites file listing the run's
    // councils; a new run beside the unfinished one is refused with both ways out named.
    let (status, stderr) = finish(survey_with(&councils, &db, &[])).await;
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("run 1 is unfinished")
            && stderr.contains("--resume")
            && stderr.contains("--new"),
        "{stderr}"
    );
    assert!(
        councils.pages_since(&mark).is_empty(),
        "nothing was fetched"
    );

    let sites = councils.sites_file.display().to_string();
    let (status, stderr) = finish(survey_with(
        &councils,
        &db,
        &["--resume", "--max-pages", "7", "--sites", &sites],
    ))
    .await;
    assert!(status.success(), "{stderr}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let most: i64 = conn
        .query_row(
            "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM pages GROUP BY site_slug)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(most <= 7, "{most} pages for one council");
}
