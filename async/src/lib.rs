//! What the async examples of chapter 8.1 share: the tokio runtimes they
//! start, and the command line read with a usage line that names this crate. Each example in `examples/` shows one idea; the problem, the
//! chunking rule, the command line and the report line are the workbook's
//! own (`parallel_workbook`), as in every other example.
//!
//! This crate is the only one in the workbook that depends on tokio: the
//! library the other examples build against stays light.

use parallel_workbook::cli::{self, Args};
use tokio::runtime::{Builder, Runtime};

/// A runtime of `workers` threads that share the tasks (tokio's
/// multi-threaded scheduler), with timers.
pub fn multi_thread(workers: usize) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name("runtime-worker")
        .enable_time()
        .build()
        .expect("could not start the tokio runtime")
}

/// A runtime that runs every task on the thread that calls `block_on`
/// (tokio's current-thread scheduler), with timers. `spawn_blocking` still
/// has a pool of threads of its own, named `blocking-pool`.
pub fn current_thread() -> Runtime {
    Builder::new_current_thread()
        .thread_name("blocking-pool")
        .enable_time()
        .build()
        .expect("could not start the tokio runtime")
}

/// The example's name: the file stem of the program that runs, as Cargo
/// names each example's binary after its file.
fn example_name() -> String {
    std::env::args_os()
        .next()
        .as_deref()
        .map(std::path::Path::new)
        .and_then(std::path::Path::file_stem)
        .map_or_else(
            || "example".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        )
}

/// `command`, named for the example, with a usage line that says how to
/// run an example of this crate (`-p workbook-async`).
fn named(command: clap::Command, about: &str) -> clap::Command {
    let name = example_name();
    command
        .bin_name(format!(
            "cargo run --release -p workbook-async --example {name} --"
        ))
        .name(name)
        .about(about.to_owned())
}

/// The workbook's common flags and the example's own `E`, as
/// `parallel_workbook::cli::parse` reads them (bad input: one line, exit 2).
pub fn parse<E: clap::Args>(about: &str, default_n: u64) -> (Args, E) {
    let command = named(cli::command_with_flags::<E>(), about);
    let (args, own) = cli::try_parse_command(command, default_n, std::env::args_os())
        .unwrap_or_else(|stop| stop.exit());
    // Before any worker starts: every thread of the run reads it.
    parallel_workbook::work::set(args.work);
    (args, own)
}

/// The example's own flags `E` only, as `parallel_workbook::cli::parse_own_flags`.
pub fn parse_own_flags<E: clap::Args>(about: &str) -> E {
    let command = named(cli::command_own_flags::<E>(), about);
    cli::try_parse_own_flags(command, std::env::args_os()).unwrap_or_else(|stop| stop.exit())
}
