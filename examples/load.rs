//! A busy machine on demand: K threads that compute and never wait, so that
//! you can see what other load does to a parallel program.
//!
//!     cargo run --release --example load -- --seconds 30     (then run something else)
//!     cargo run --release --example load -- -- target/release/examples/threads --n 1e9 --compare
//!
//! The second form runs the command while every core is busy, then stops.
//! Compare its `time` with the same command on a quiet machine.

use parallel_workbook::cli;
use parallel_workbook::machine::default_threads;
use parallel_workbook::report::format_seconds;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The longest the load runs, whatever the flags say: no loop without a bound.
const MAX_SECONDS: u64 = 3600;

// ANCHOR: spin
/// Keeps one core busy with floating-point work until `stop` is set or the
/// deadline passes. `black_box` stops the compiler from removing the work.
fn spin(stop: &AtomicBool, deadline: Instant) {
    let mut x = 1.0_f64;
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        for _ in 0..100_000 {
            x = std::hint::black_box(x * 0.999_999 + 1e-6);
        }
    }
}
// ANCHOR_END: spin

#[derive(clap::Args)]
struct LoadFlags {
    /// How many busy threads [default: one per core]
    #[arg(long, value_parser = cli::parse_threads)]
    busy: Option<usize>,

    /// How long to stay busy, in seconds [default: 30, or until the command ends]
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_SECONDS))]
    seconds: Option<u64>,

    /// A command to run while the threads are busy (after `--`)
    #[arg(last = true, value_name = "COMMAND")]
    command: Vec<String>,
}

fn main() {
    let flags =
        cli::parse_own_flags::<LoadFlags>("Keeps K cores busy, alone or while a command runs");
    let busy = flags.busy.unwrap_or_else(default_threads);
    let default_seconds = if flags.command.is_empty() {
        30
    } else {
        MAX_SECONDS
    };
    let deadline = Instant::now() + Duration::from_secs(flags.seconds.unwrap_or(default_seconds));
    let stop = AtomicBool::new(false);
    let start = Instant::now();
    let status = thread::scope(|scope| {
        for _ in 0..busy {
            scope.spawn(|| spin(&stop, deadline));
        }
        println!(
            "load: {busy} busy thread{} on {} cores{}",
            if busy == 1 { "" } else { "s" },
            default_threads(),
            if flags.command.is_empty() {
                ""
            } else {
                " while the command runs"
            }
        );
        // The spinners stop when the command ends (or at the deadline).
        flags.command.split_first().map(|(program, args)| {
            let status = Command::new(program).args(args).status();
            stop.store(true, Ordering::Relaxed);
            status
        })
    });
    println!(
        "load: stopped after {}",
        format_seconds(start.elapsed().as_secs_f64())
    );
    match status {
        None => {}
        Some(Ok(status)) if status.success() => {}
        Some(Ok(status)) => std::process::exit(status.code().unwrap_or(1)),
        Some(Err(e)) => cli::exit_with_error(&format!("cannot run {}: {e}", flags.command[0])),
    }
}
