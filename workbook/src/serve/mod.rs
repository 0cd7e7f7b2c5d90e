//! `cargo workbook serve` (and plain `cargo workbook`): build the book,
//! serve it on loopback, rebuild on change and reload open pages, and run
//! what the pages ask to run — snippets and examples, one at a time — on
//! the learner's own machine.
//!
//! HTTP is axum on tokio. [`guard`] decides which requests are answered at
//! all; [`pages`] serves the book; [`runs`] queues and streams runs, which
//! [`snippet`] and [`examples`] carry out.

use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, anyhow};
use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::{book, paths};

pub mod contract;
pub mod examples;
pub mod exercise;
pub mod guard;
pub mod pages;
mod rebuild;
pub mod runs;
pub mod snippet;

use runs::{RunEvent, Runs};

/// The most bytes a request body may have (a snippet, a saved exercise).
pub const BODY_LIMIT: usize = 256 << 10;

/// The most a run from the page may print before it is stopped.
pub const OUTPUT_LIMIT: usize = 1 << 20;

/// `cargo workbook serve`
#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 to serve on
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Do not open a browser
    #[arg(long)]
    pub no_open: bool,
    /// Seconds a snippet from the page may take to compile and run
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub snippet_timeout: u64,
    /// Seconds an example run from the page may take
    #[arg(long, value_name = "SECS", default_value_t = 600)]
    pub example_timeout: u64,
    /// Seconds a check from an exercise page may run (as `cargo workbook check --timeout`)
    #[arg(long, value_name = "SECS", default_value_t = crate::check::DEFAULT_TIMEOUT_S)]
    pub check_timeout: f64,
}

impl Default for ServeArgs {
    fn default() -> Self {
        ServeArgs {
            port: 3000,
            no_open: false,
            snippet_timeout: 30,
            example_timeout: 600,
            check_timeout: crate::check::DEFAULT_TIMEOUT_S,
        }
    }
}

/// What every request handler shares.
pub struct ServerState {
    pub root: PathBuf,
    pub out_dir: PathBuf,
    pub port: u16,
    /// Pages served by this process carry it; every POST must send it back.
    pub token: String,
    /// Tells this start of the server from every other (it is random): part
    /// of the version pages compare, so that a restart always counts as a
    /// change, even one within the same second.
    pub instance: u64,
    /// Goes up after every successful rebuild.
    pub version: tokio::sync::watch::Sender<u64>,
    /// Held for writing while a rebuild replaces the files.
    pub files: tokio::sync::RwLock<()>,
    pub runs: Runs,
    pub snippet_limits: snippet::SnippetLimits,
    pub example_timeout: Duration,
    /// See [`snippet::library_fingerprint`].
    pub library: String,
    pub check_timeout: Duration,
    /// One save (or reset) of a learner's file at a time.
    pub saving: tokio::sync::Mutex<()>,
    /// A learner's file or the progress changed on disk (for open pages).
    pub notices: tokio::sync::broadcast::Sender<contract::Notice>,
}

pub type Server = Arc<ServerState>;

impl ServerState {
    /// The state of a server of the book at `root` on `port` (its output in
    /// `target/book`), with a fresh token and an empty run queue.
    pub fn new(root: PathBuf, port: u16, args: &ServeArgs, check_timeout: Duration) -> ServerState {
        ServerState {
            library: snippet::library_fingerprint(&root),
            out_dir: paths::default_book_out(&root),
            root,
            port,
            token: guard::new_token(),
            instance: getrandom::u64().expect("the operating system's random source"),
            version: tokio::sync::watch::Sender::new(1),
            files: tokio::sync::RwLock::new(()),
            runs: Runs::default(),
            snippet_limits: snippet::SnippetLimits {
                time: Duration::from_secs(args.snippet_timeout),
                output: OUTPUT_LIMIT,
            },
            example_timeout: Duration::from_secs(args.example_timeout),
            check_timeout,
            saving: tokio::sync::Mutex::new(()),
            notices: tokio::sync::broadcast::Sender::new(64),
        }
    }
}

/// Entry point of `cargo workbook serve` (and of plain `cargo workbook`).
pub fn run(args: ServeArgs) -> Result<()> {
    let root = paths::repo_root();
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let listener = std::net::TcpListener::bind(addr).map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => anyhow!(
            "port {} is already in use on 127.0.0.1 (is another `cargo workbook serve` running?); try --port {}",
            args.port,
            args.port.wrapping_add(1).max(1024)
        ),
        _ => anyhow!("cannot listen on {addr}: {e}"),
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| anyhow!("cannot serve on {addr}: {e}"))?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);

    let out_dir = paths::default_book_out(&root);
    let report = book::build(&root, Some(&out_dir))?;
    book::print_warnings(&report);
    eprintln!(
        "Built the book in {:.2} s ({} warnings)",
        report.elapsed.as_secs_f64(),
        report.warnings.len()
    );
    if args.snippet_timeout == 0 || args.example_timeout == 0 {
        return Err(anyhow!(
            "--snippet-timeout and --example-timeout take a number of seconds above 0"
        ));
    }
    let check_timeout = crate::check::time_limit(args.check_timeout)
        .map_err(|e| anyhow!("{}", e.to_string().replace("--timeout", "--check-timeout")))?;

    let state = Arc::new(ServerState::new(root.clone(), port, &args, check_timeout));

    let rebuild_state = Arc::clone(&state);
    let _watch = rebuild::watch(&root, move |changed| rebuild(&rebuild_state, &changed))
        .map_err(|e| eprintln!("note: not watching for changes: {e}"))
        .ok();
    let notices = state.notices.clone();
    let _learner = rebuild::watch_learner(&root, move |notice| {
        let _ = notices.send(notice);
    })
    .map_err(|e| eprintln!("note: pages will not see edits made outside them: {e}"))
    .ok();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .map_err(|e| anyhow!("cannot start the server's runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| anyhow!("cannot serve on {addr}: {e}"))?;
        warm_up_snippets(&state);
        let url = format!("http://127.0.0.1:{port}/");
        println!("Serving the workbook at {url}");
        println!("Press Ctrl-C to stop");
        if !args.no_open {
            open_browser(&url);
        }
        axum::serve(listener, router(state))
            .await
            .map_err(|e| anyhow!("the server stopped: {e}"))
    })
}

/// Every route; [`guard::check`] runs before each.
pub fn router(state: Server) -> Router {
    Router::new()
        .route("/__workbook/events", get(pages::events))
        .route("/__workbook/events-worker.js", get(pages::events_worker))
        .route("/__workbook/status.json", get(pages::status))
        .route("/__workbook/scaling.json", get(pages::scaling_json))
        .route("/__workbook/scaling.svg", get(pages::scaling_svg))
        .route("/__workbook/timelines/{file}", get(pages::timeline))
        .route("/__workbook/api/run/snippet", post(run_snippet))
        .route("/__workbook/api/run/example", post(run_example))
        .route("/__workbook/api/run/stop", post(runs::stop))
        .route("/__workbook/api/exercise/{name}", get(exercise::load))
        .route("/__workbook/api/exercise/{name}/save", post(exercise::save))
        .route(
            "/__workbook/api/exercise/{name}/check",
            post(exercise::check),
        )
        .route("/__workbook/api/exercise/{name}/hint", get(exercise::hint))
        .route(
            "/__workbook/api/exercise/{name}/solution",
            get(exercise::solution),
        )
        .route(
            "/__workbook/api/exercise/{name}/reset",
            post(exercise::reset),
        )
        .fallback(pages::book_file)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            guard::check,
        ))
        .with_state(state)
}

/// The snippet crate's dependencies compile in the background at start
/// (through the queue, so the first snippet waits for them, saying so).
fn warm_up_snippets(state: &Server) {
    let root = state.root.clone();
    let mut events = Runs::enqueue(state, move |ctx| snippet::warm_up(&root, ctx));
    // Nobody else reads these events: drain them, so the run is not taken
    // for abandoned, and say how it went.
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            if let RunEvent::Done(done) = event
                && done.outcome != runs::Outcome::Exited
            {
                eprintln!("note: snippets will not run: {}", done.message);
            }
        }
    });
}

/// `POST /__workbook/api/run/snippet {"code": "fn main() {…}"}`
async fn run_snippet(
    State(state): State<Server>,
    Json(request): Json<contract::SnippetRequest>,
) -> axum::response::Response {
    let (root, library, limits) = (
        state.root.clone(),
        state.library.clone(),
        state.snippet_limits,
    );
    Runs::start(&state, move |ctx| {
        snippet::run(&root, &library, &request.code, limits, ctx)
    })
}

/// `POST /__workbook/api/run/example {"name": "threads", "flags": "--threads 2"}`
async fn run_example(
    State(state): State<Server>,
    Json(request): Json<contract::ExampleRequest>,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    if !examples::names(&state.root).contains(&request.name) {
        return (
            StatusCode::NOT_FOUND,
            format!(
                "no example {:?} (the examples are the files in examples/)\n",
                request.name
            ),
        )
            .into_response();
    }
    // Flags no example could take: the run's answer is one line that says
    // why (the learner typed them; the page shows it where the run would be).
    let args = match examples::split_flags(&request.flags) {
        Ok(args) => args,
        Err(why) => return runs::refuse(why),
    };
    let (root, time) = (state.root.clone(), state.example_timeout);
    Runs::start(&state, move |ctx| {
        examples::run(&root, &request.name, &args, time, ctx)
    })
}

fn rebuild(state: &ServerState, changed: &[PathBuf]) {
    let what = changed
        .first()
        .map(|p| paths::display_rel(&state.root, p))
        .unwrap_or_default();
    let more = if changed.len() > 1 {
        format!(" and {} more", changed.len() - 1)
    } else {
        String::new()
    };
    eprintln!("Changed: {what}{more}; rebuilding");
    let _files = state.files.blocking_write();
    match book::build(&state.root, Some(&state.out_dir)) {
        Ok(report) => {
            book::print_warnings(&report);
            state.version.send_modify(|v| *v += 1);
            eprintln!("Rebuilt in {:.2} s", report.elapsed.as_secs_f64());
        }
        Err(e) => {
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            eprintln!("(still serving the last good build)");
        }
    }
}

/// Asks the system to open `url`. The opener is a launcher that hands the
/// page to a browser which must outlive it, so it is not run under the
/// process supervisor (which kills a child's whole group when it exits).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    match std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            let url = url.to_string();
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|status| status.success()) {
                    eprintln!("note: could not open a browser; open {url} yourself");
                }
            });
        }
        Err(_) => {
            eprintln!("note: could not open a browser ({opener} not found); open {url} yourself")
        }
    }
}
