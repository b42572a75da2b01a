//! The command line: subcommands and their options. Each runs a thin wrapper over the library.

use crate::import::{self, ImportReport, Progress};
use crate::kb::ArticleId;
use crate::matcher::{EvalCase, Matcher, evaluate};
use crate::store::Store;
use crate::web::{self, AppState};
use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// kbfix: a troubleshooter over the Microsoft Knowledge Base archive.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// The SQLite database file, or a PostgreSQL URL (postgres://user:password@host/db) that
    /// several servers may share.
    #[arg(
        long,
        global = true,
        env = "KBFIX_DB",
        default_value = "kbfix.db",
        hide_env_values = true
    )]
    pub db: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import articles from directories, .TXT files and .tar.gz archives.
    Import {
        /// Directories (searched recursively for *.TXT), files or .tar.gz archives.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Exit non-zero when any file fails to import.
        #[arg(long)]
        strict: bool,
    },
    /// Write every article as one JSON object a line to stdout.
    Export,
    /// Serve the web application.
    Serve(ServeArgs),
    /// Score paste matching on labelled pastes (one JSON object a line) and time it.
    Eval {
        /// The pastes file, e.g. ../shared/eval/dev-pastes.jsonl.
        pastes: PathBuf,
        /// Print the cases whose right article was not first.
        #[arg(long)]
        misses: bool,
    },
    /// Read a paste on stdin and print what was recognised and the ranked articles.
    Match {
        /// Print the outcome as JSON (as `POST /api/match` returns it).
        #[arg(long)]
        json: bool,
    },
    /// Delete wizard sessions not changed for a while, with their steps.
    Prune {
        /// How old: days (180d), hours (12h) or minutes (30m).
        #[arg(long, value_name = "AGE", value_parser = parse_age)]
        older_than: u64,
    },
    /// Staff login administration.
    Staff {
        #[command(subcommand)]
        action: StaffCommand,
    },
    /// Print one article as JSON.
    Show {
        /// The article id (Q168465, 168465 or kb168465).
        id: String,
    },
}

/// What `kbfix staff` does.
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Lift the staff login lock-out (after many wrong passwords from anywhere); running
    /// servers over this database lift it at their next refused attempt.
    Unlock,
}

/// The options of `kbfix serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "KBFIX_ADDR", default_value = "127.0.0.1:3000")]
    addr: String,
    /// Import these paths before serving (unchanged articles are skipped quickly).
    #[arg(long = "import", value_name = "PATH")]
    import: Vec<PathBuf>,
    /// The password of the staff pages (/staff); without one they do not exist.
    #[arg(long, env = "KBFIX_STAFF_PASSWORD", hide_env_values = true)]
    staff_password: Option<String>,
    /// The secret the staff cookies are signed with, the same on every server sharing a
    /// database; required with a PostgreSQL database when the staff pages are on.
    /// Without it (SQLite), each start draws a random key.
    #[arg(long, env = "KBFIX_SECRET", hide_env_values = true)]
    secret: Option<String>,
    /// Mark staff cookies Secure on every response (behind a TLS proxy that does not
    /// send X-Forwarded-Proto), and send Strict-Transport-Security: the site is HTTPS only.
    #[arg(long, env = "KBFIX_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Minutes a staff login may sit unused before it ends (every staff page renews it).
    #[arg(long, env = "KBFIX_STAFF_IDLE_MINUTES", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..))]
    staff_idle_minutes: u64,
    /// This server's address as users' machines reach it (https://kb.example.com), for
    /// the Event Viewer registry file; without it, each request's Host is used.
    #[arg(long, env = "KBFIX_PUBLIC_URL", value_name = "URL")]
    public_url: Option<web::PublicUrl>,
    /// The address of a reverse proxy in front of the server (repeatable). Only from
    /// it are X-Forwarded-For (the client's address, for per-client limits) and
    /// X-Forwarded-Proto believed; from anyone else they are ignored.
    #[arg(
        long = "trusted-proxy",
        value_name = "IP",
        env = "KBFIX_TRUSTED_PROXY",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Wizard sessions one client may start per minute; 0 for no limit.
    #[arg(long, env = "KBFIX_SESSIONS_PER_MINUTE", default_value_t = 60)]
    sessions_per_minute: u32,
    /// Wizard sessions all clients together may start per minute; 0 for no limit.
    #[arg(long, env = "KBFIX_SESSIONS_PER_MINUTE_TOTAL", default_value_t = 600)]
    sessions_per_minute_total: u32,
    /// Refines (new words within a session) one client may make per minute; 0: no limit.
    #[arg(long, env = "KBFIX_REFINES_PER_MINUTE", default_value_t = 60)]
    refines_per_minute: u32,
    /// Refines all clients together may make per minute; 0 for no limit.
    #[arg(long, env = "KBFIX_REFINES_PER_MINUTE_TOTAL", default_value_t = 1200)]
    refines_per_minute_total: u32,
    /// Searches and pasted events matched (/search, /api/search, /api/match,
    /// /troubleshoot) one client may make per minute; 0 for no limit.
    #[arg(long, env = "KBFIX_LOOKUPS_PER_MINUTE", default_value_t = 120)]
    lookups_per_minute: u32,
    /// Searches and pasted events matched by all clients together per minute; 0: no limit.
    #[arg(long, env = "KBFIX_LOOKUPS_PER_MINUTE_TOTAL", default_value_t = 6000)]
    lookups_per_minute_total: u32,
    /// Connections one client address may hold open at once (a --trusted-proxy has no
    /// cap); beyond it, its new connections are answered 503 and closed. 0 for no cap.
    #[arg(long, env = "KBFIX_MAX_CONNECTIONS_PER_CLIENT", default_value_t = 64)]
    max_connections_per_client: usize,
    /// How long wizard sessions are kept after their last change (180d, 12h, 30m; 0 keeps
    /// them for ever): the server deletes older ones at start and then daily.
    #[arg(long, env = "KBFIX_KEEP_SESSIONS", value_name = "AGE", default_value = "180d",
          value_parser = parse_age)]
    keep_sessions: u64,
    /// Add the connection pool's hold times by call site to /healthz (for scripts/load.sh);
    /// without it /healthz says only the status and the article count.
    #[arg(long, env = "KBFIX_METRICS")]
    metrics: bool,
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let db = cli.db.as_path();
    match cli.command {
        Command::Import { paths, strict } => import_cmd(db, &paths, strict).await,
        Command::Serve(args) => serve(db, args).await,
        Command::Eval { pastes, misses } => eval(db, &pastes, misses).await,
        Command::Match { json } => match_stdin(db, json).await,
        Command::Export => export(&open(db).await?).await,
        Command::Show { id } => show(db, &id).await,
        Command::Prune { older_than } => {
            let store = open(db).await?;
            let pruned = prune(&store, older_than).await?;
            println!("kbfix: pruned {pruned} wizard session(s) older than {older_than} s");
            Ok(())
        }
        Command::Staff {
            action: StaffCommand::Unlock,
        } => {
            open(db)
                .await?
                .unlock_staff_logins(crate::clock::unix_now())
                .await?;
            println!(
                "Staff logins unlocked: servers over this database lift their lock-out at the \
                 next attempt."
            );
            Ok(())
        }
    }
}

/// `kbfix import`: fails when every file failed, or any did under `--strict`.
async fn import_cmd(db: &Path, paths: &[PathBuf], strict: bool) -> anyhow::Result<()> {
    check_paths(paths)?;
    let store = open(db).await?;
    let report = run_import(&store, paths).await?;
    store.close().await;
    let written = report.imported + report.replaced + report.unchanged;
    if let Some(first) = report.failures.first()
        && (strict || written == 0)
    {
        // Name the first failure in the error line itself: with one bad file, that
        // line alone says what to fix.
        let why = if strict {
            "--strict"
        } else {
            "no article imported"
        };
        bail!(
            "{} file(s) failed to import ({why}); first: {}: {}",
            report.failures.len(),
            first.path,
            first.reason
        );
    }
    Ok(())
}

/// An age as `180d`, `12h`, `30m` or plain seconds, in seconds.
fn parse_age(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => s.split_at(i),
        None => (s, "s"),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{s:?} is not an age such as 180d, 12h or 30m"))?;
    let unit = match unit {
        "d" => 86_400,
        "h" => 3_600,
        "m" => 60,
        "s" => 1,
        _ => return Err(format!("{s:?} is not an age such as 180d, 12h or 30m")),
    };
    n.checked_mul(unit)
        .ok_or_else(|| format!("{s:?} is too long an age"))
}

/// Deletes the sessions not changed for `age` seconds.
async fn prune(store: &Store, age: u64) -> anyhow::Result<u64> {
    let age = i64::try_from(age).unwrap_or(i64::MAX);
    let before = crate::clock::unix_now().saturating_sub(age);
    Ok(store.prune_sessions(before).await?)
}

/// Prunes sessions older than `age` now and then once a day, for as long as the server
/// runs; a failure is logged and tried again the next day.
fn prune_daily(store: Store, age: u64) {
    tokio::spawn(async move {
        loop {
            match prune(&store, age).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "pruned old wizard sessions"),
                Err(e) => tracing::warn!(error = %e, "pruning old wizard sessions failed"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(86_400)).await;
        }
    });
}

/// `kbfix serve`: imports what it is asked to, then serves until a shutdown signal.
async fn serve(db: &Path, args: ServeArgs) -> anyhow::Result<()> {
    crate::memory::limit_arenas();
    // Hashed once here; only the argon2 hash is kept in memory.
    let secret = args.secret.as_deref().filter(|s| !s.is_empty());
    let staff = match args.staff_password.as_deref().filter(|p| !p.is_empty()) {
        Some(_) if secret.is_none() && crate::store::postgres_url(db).is_some() => {
            bail!(
                "--secret (or KBFIX_SECRET) is required with a PostgreSQL database and \
                 a staff password: every server must sign staff cookies with the same key"
            )
        }
        Some(pw) => Some(
            web::StaffAuth::with_secret(pw, args.secure_cookies, secret)?.with_idle_timeout(
                std::time::Duration::from_secs(args.staff_idle_minutes.saturating_mul(60)),
            ),
        ),
        None => None,
    };
    check_paths(&args.import)?;
    let store = open(db).await?;
    if !args.import.is_empty() {
        run_import(&store, &args.import).await?;
    }
    let addr = &args.addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let articles = store.article_count().await?;
    println!(
        "kbfix: serving {articles} articles at http://{}/",
        listener.local_addr()?
    );
    let local = listener.local_addr()?;
    if args.public_url.is_none() && !local.ip().is_loopback() {
        tracing::warn!(
            "listening beyond loopback without --public-url: /eventviewer.reg and \
             /help/event-viewer write each request's Host header into their answers; set \
             --public-url to this server's address as users reach it"
        );
    }
    let exempt = args.trusted_proxies.clone();
    let config = web::Config {
        staff: staff.map(std::sync::Arc::new),
        trusted_proxies: args.trusted_proxies,
        sessions_per_minute: args.sessions_per_minute,
        sessions_per_minute_total: args.sessions_per_minute_total,
        refines_per_minute: args.refines_per_minute,
        refines_per_minute_total: args.refines_per_minute_total,
        lookups_per_minute: args.lookups_per_minute,
        lookups_per_minute_total: args.lookups_per_minute_total,
        public_url: args.public_url,
        metrics: args.metrics,
        hsts: args.secure_cookies,
        ..web::Config::default()
    };
    let state = AppState::new(store.clone(), config);
    state.searcher.warm();
    if args.keep_sessions > 0 {
        prune_daily(store.clone(), args.keep_sessions);
    }
    // For /healthz: how late the runtime wakes tasks, beside how long connections are held.
    store.watch_lag();
    let options = web::ServeOptions {
        max_per_client: args.max_connections_per_client,
        exempt,
        ..web::ServeOptions::default()
    };
    web::serve(listener, state, options).await?;
    store.close().await;
    Ok(())
}

/// `kbfix eval`: scores the matcher on labelled pastes and prints the table.
async fn eval(db: &Path, pastes: &Path, misses: bool) -> anyhow::Result<()> {
    let cases = read_cases(pastes)?;
    let store = open(db).await?;
    let report = evaluate(&Matcher::new(store), &cases).await?;
    if misses {
        for (case, format, first) in &report.misses {
            let first = first
                .map(|id| id.to_string())
                .unwrap_or_else(|| "nothing".into());
            println!("miss {case} ({format}): first was {first}");
        }
        for (case, what) in &report.wrong {
            println!("wrong {case}: {what}");
        }
        if let Some((case, ms)) = &report.slowest {
            println!("slowest: {case} in {ms:.2} ms");
        }
    }
    print!("{}", report.table());
    Ok(())
}

/// The labelled pastes, one JSON object a line; a bad line is named by its number.
fn read_cases(pastes: &Path) -> anyhow::Result<Vec<EvalCase>> {
    let text = std::fs::read_to_string(pastes)
        .with_context(|| format!("cannot read {}", pastes.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str::<EvalCase>(l)
                .with_context(|| format!("{}:{}: not a paste case", pastes.display(), i + 1))
        })
        .collect()
}

/// `kbfix match`: the paste on stdin, matched and printed as text or JSON.
async fn match_stdin(db: &Path, json: bool) -> anyhow::Result<()> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("cannot read the paste from stdin")?;
    if text.trim().is_empty() {
        bail!("stdin is empty: pipe the event text in, e.g. kbfix match < event.txt");
    }
    let store = open(db).await?;
    let outcome = Matcher::new(store.clone()).match_text(&text).await?;
    store.close().await;
    if json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&outcome)?))
    } else {
        emit(&outcome.to_text())
    }
}

/// `kbfix show`: one article as JSON.
async fn show(db: &Path, id: &str) -> anyhow::Result<()> {
    let id: ArticleId = id.parse()?;
    let store = open(db).await?;
    let article = store.article(id).await?.with_context(|| {
        let db = crate::store::describe(db);
        format!("article {id} is not in the database {db}")
    })?;
    emit(&format!("{}\n", serde_json::to_string_pretty(&article)?))
}

/// Writes a command's output to stdout, ending quietly if the reader has gone (see
/// [`unless_reader_left`]).
fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let written = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    unless_reader_left(written.context("cannot write to stdout"))
}

/// A reader that stopped early (`kbfix show … | head`) is not an error: the output was wanted
/// only as far as it was read, so a broken pipe ends the command quietly instead of with an
/// error line (or the panic `println!` gives).
fn unless_reader_left(result: anyhow::Result<()>) -> anyhow::Result<()> {
    match result {
        Err(e) if e.chain().any(is_broken_pipe) => Ok(()),
        other => other,
    }
}

fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let kind = e
        .downcast_ref::<std::io::Error>()
        .map(std::io::Error::kind)
        .or_else(|| e.downcast_ref::<serde_json::Error>()?.io_error_kind());
    kind == Some(std::io::ErrorKind::BrokenPipe)
}

/// Fails on the first path that cannot be read at all: a mistyped argument is a mistake to
/// report at once, not a failed file among thousands.
fn check_paths(paths: &[PathBuf]) -> anyhow::Result<()> {
    for path in paths {
        if let Err(e) = std::fs::metadata(path) {
            let reason = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => e.to_string(),
            };
            bail!("cannot import {}: {reason}", path.display());
        }
    }
    Ok(())
}

/// Opens the database (a SQLite file or a PostgreSQL URL), naming it in any error.
pub async fn open(db: &Path) -> anyhow::Result<Store> {
    Ok(Store::open_any(db).await?)
}

/// Imports `paths` with a progress display, prints failures and the summary line.
pub async fn run_import(store: &Store, paths: &[PathBuf]) -> anyhow::Result<ImportReport> {
    let mut progress = ConsoleProgress::new();
    let report = import::import_paths(store, paths, &mut progress).await?;
    for f in &report.failures {
        eprintln!("failed: {}: {}", f.path, f.reason);
    }
    match peak_memory_mb() {
        Some(mb) => println!("{}, peak memory {mb} MB", report.summary()),
        None => println!("{}", report.summary()),
    }
    Ok(report)
}

/// The process's peak resident memory, where the OS tells it (Linux).
fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

async fn export(store: &Store) -> anyhow::Result<()> {
    unless_reader_left(write_export(store).await)
}

async fn write_export(store: &Store) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut next = 0i64;
    loop {
        let page = store.articles_between(next, i64::MAX, 1000).await?;
        let Some(last) = page.last() else { break };
        next = i64::from(last.article.id.0) + 1;
        for a in &page {
            serde_json::to_writer(&mut out, a)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// A progress bar with a percentage and the time left on a terminal; nothing otherwise (the
/// summary line printed at the end is the whole report).
struct ConsoleProgress {
    bar: Option<ProgressBar>,
}

impl ConsoleProgress {
    fn new() -> Self {
        Self { bar: None }
    }
}

impl Progress for ConsoleProgress {
    fn start(&mut self, total: u64) {
        self.bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total.max(1));
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30} {percent:>3}%  {msg}  {elapsed} elapsed, {eta} left",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
    }

    fn advance(&mut self, files: usize, units: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(units);
            bar.set_message(format!("{files} files"));
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
