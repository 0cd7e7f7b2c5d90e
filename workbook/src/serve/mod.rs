//! `cargo workbook serve` (and plain `cargo workbook`): build the book,
//! serve it on loopback, rebuild on change and reload open pages, and run
//! what the pages ask to run — snippets and examples, one at a time — on
//! the learner's own machine.
//!
//! HTTP is axum on tokio. [`connections`] bounds what a client may hold;
//! [`auth`] and [`guard`] decide which requests are answered at all (only
//! the learner's signed-in browser's); [`pages`] serves the book; [`runs`]
//! queues and streams runs, which [`snippet`] and [`examples`] carry out,
//! each contained ([`crate::process::contain`]).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, anyhow};
use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::process::Containment;
use crate::{book, paths};

pub mod auth;
pub mod connections;
pub mod contract;
pub mod examples;
pub mod exercise;
pub mod guard;
pub mod pages;
pub mod progress;
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
    /// Memory one process of a run from the page may use (resident), e.g. 2GiB
    #[arg(long, value_name = "SIZE", default_value = "2GiB", value_parser = parse_size)]
    pub max_memory: u64,
    /// Processes and threads a run from the page may have at once
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_PROCESSES, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_processes: u64,
    /// The largest file a run from the page may write, e.g. 1GiB
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = parse_size)]
    pub max_file_size: u64,
}

/// Room for the book's own largest run: `io_bound --threads 10000`.
pub const DEFAULT_MAX_PROCESSES: u64 = 16_384;

/// `2GiB`, `512MiB`, `1G` (bytesize's forms), at least 1 MiB.
fn parse_size(text: &str) -> Result<u64, String> {
    let size = text
        .parse::<bytesize::ByteSize>()
        .map_err(|_| format!("{text:?} is not a size: give one like 2GiB or 512MiB"))?
        .as_u64();
    if size < 1 << 20 {
        return Err(format!("{text}: give at least 1MiB"));
    }
    Ok(size)
}

impl Default for ServeArgs {
    fn default() -> Self {
        ServeArgs {
            port: 3000,
            no_open: false,
            snippet_timeout: 30,
            example_timeout: 600,
            check_timeout: crate::check::DEFAULT_TIMEOUT_S,
            max_memory: 2 << 30,
            max_processes: DEFAULT_MAX_PROCESSES,
            max_file_size: 1 << 30,
        }
    }
}

/// What every request handler shares.
pub struct ServerState {
    pub root: PathBuf,
    pub out_dir: PathBuf,
    pub port: u16,
    /// Who is signed in, and how to sign in.
    pub auth: auth::Auth,
    /// What contains every run from the page (none: not on Linux).
    pub containment: Option<Containment>,
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
    /// The reports of the examples run from the page (the live roofline's).
    pub reports: examples::KeptReports,
}

pub type Server = Arc<ServerState>;

impl ServerState {
    /// The state of a server of the book at `root` on `port` (its output in
    /// `target/book`), with an empty run queue.
    pub fn new(
        root: PathBuf,
        port: u16,
        args: &ServeArgs,
        check_timeout: Duration,
        auth: auth::Auth,
    ) -> ServerState {
        let containment = cfg!(target_os = "linux").then(|| {
            Containment::by_this_program(args.max_memory, args.max_processes, args.max_file_size)
        });
        ServerState {
            library: snippet::library_fingerprint(&root),
            out_dir: paths::default_book_out(&root),
            root,
            port,
            auth,
            containment,
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
            reports: examples::KeptReports::default(),
        }
    }
}

/// Entry point of `cargo workbook serve` (and of plain `cargo workbook`).
pub fn run(args: ServeArgs) -> Result<()> {
    let root = paths::repo_root();
    let listeners = connections::bind(args.port)?;
    let port = listeners[0]
        .local_addr()
        .map(|a| a.port())
        .unwrap_or(args.port);
    connections::raise_descriptor_limit();
    let keys = auth::Keys::load(&root)?;

    let out_dir = paths::default_book_out(&root);
    let report = book::build_with(&root, Some(&out_dir), book::Learners::Lenient)?;
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

    let auth = auth::Auth::new(keys, port);
    let state = Arc::new(ServerState::new(
        root.clone(),
        port,
        &args,
        check_timeout,
        auth,
    ));

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
        warm_up_snippets(&state);
        // Two sign-in links, each good once: one printed here, for this
        // terminal's owner to open in any browser; one in a file only they
        // can read, which the browser is opened on.
        let redirect = auth::write_redirect(&root, port, &state.auth.login_url())?;
        println!("Serving the workbook at http://127.0.0.1:{port}/");
        println!(
            "Sign in with this link (it works once; `cargo workbook open` makes another): {}",
            state.auth.login_url()
        );
        println!("Press Ctrl-C to stop");
        if !args.no_open {
            crate::open::in_browser(&redirect);
        }
        connections::serve(listeners, router(state)).await
    })
}

/// Every route; [`guard::check`] runs before each, and every answer gets
/// [`guard::security_headers`].
pub fn router(state: Server) -> Router {
    let routes = Router::new()
        .route(auth::LOGIN_PATH, get(auth::login))
        .route("/__workbook/events", get(pages::events))
        .route("/__workbook/events-worker.js", get(pages::events_worker))
        .route("/__workbook/status.json", get(pages::status))
        .route("/__workbook/scaling.json", get(pages::scaling_json))
        .route("/__workbook/scaling.svg", get(pages::scaling_svg))
        .route("/__workbook/roofline.json", get(pages::roofline_json))
        .route("/__workbook/timelines/{file}", get(pages::timeline))
        .route("/__workbook/api/run/snippet", post(run_snippet))
        .route("/__workbook/api/run/example", post(run_example))
        .route("/__workbook/api/run/stop", post(runs::stop))
        .route("/__workbook/api/progress/quiz", post(progress::quiz))
        .route("/__workbook/api/progress/puzzle", post(progress::puzzle))
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
        .layer(tower_http::timeout::RequestBodyDeadlineLayer::new(
            connections::BODY_DEADLINE,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            guard::check,
        ))
        .with_state(state);
    guard::security_headers(routes).layer(compression())
}

/// gzip for whatever a browser takes it for (tower-http's default choice:
/// not images, which are compressed already, nor the event stream), but
/// never a run's stream of JSON lines, each of which must reach the page as
/// it is written, not when a compressor's buffer fills.
fn compression()
-> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
    tower_http::compression::CompressionLayer::new()
        .gzip(true)
        .compress_when(
            DefaultPredicate::new().and(NotForContentType::const_new("application/x-ndjson")),
        )
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
/// (and `"package": "async"`, or `"package": "mpi", "ranks": 2`, for the
/// examples of `async/` and `distributed/`).
async fn run_example(
    State(state): State<Server>,
    Json(request): Json<contract::ExampleRequest>,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use contract::ExamplePackage;
    if !examples::names(&state.root, request.package).contains(&request.name) {
        let dir = match request.package {
            ExamplePackage::Workbook => "examples/",
            ExamplePackage::Async => "async/examples/",
            ExamplePackage::Mpi => "distributed/examples/",
        };
        return (
            StatusCode::NOT_FOUND,
            format!(
                "no example {:?} (the examples are the files in {dir})\n",
                request.name
            ),
        )
            .into_response();
    }
    if request.ranks.is_some() && request.package != ExamplePackage::Mpi {
        return (StatusCode::BAD_REQUEST, "ranks are for MPI examples only\n").into_response();
    }
    // Flags no example could take, or MPI where there is none: the run's
    // answer is one line that says why (the page shows it where the run
    // would be).
    let args = match examples::split_flags(&request.flags) {
        Ok(args) => args,
        Err(why) => return runs::refuse(why),
    };
    if request.package == ExamplePackage::Mpi
        && let Some(why) = examples::mpi_refusal(request.ranks)
    {
        return runs::refuse(why);
    }
    let (root, time, kept) = (
        state.root.clone(),
        state.example_timeout,
        state.reports.clone(),
    );
    Runs::start(&state, move |ctx| {
        let example = examples::Example {
            package: request.package,
            name: &request.name,
            args: &args,
            ranks: request.ranks,
            kept: &kept,
        };
        examples::run(&root, &example, time, ctx)
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
    match book::build_with(&state.root, Some(&state.out_dir), book::Learners::Lenient) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    #[test]
    fn the_defaults_are_the_flags_defaults() {
        let parsed = Cli::parse_from(["serve"]).serve;
        let default = ServeArgs::default();
        assert_eq!(parsed.max_memory, default.max_memory);
        assert_eq!(parsed.max_processes, default.max_processes);
        assert_eq!(parsed.max_file_size, default.max_file_size);
        assert_eq!(parsed.snippet_timeout, default.snippet_timeout);
        assert_eq!(parsed.example_timeout, default.example_timeout);
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert!(parse_size("12").is_err(), "at least 1 MiB");
        assert!(parse_size("lots").is_err());
    }
}
