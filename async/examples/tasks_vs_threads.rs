//! Waiting work, 10,000 times: one OS thread per wait, or one tokio task per
//! wait on a runtime of one thread per core. Start-up and memory, measured.
//!
//!     cargo run --release -p workbook-async --example tasks_vs_threads -- --how threads
//!     cargo run --release -p workbook-async --example tasks_vs_threads -- --how tasks
//!
//! Both finish in about the time of one wait. Compare `started_in` and the
//! memory lines: a thread has a stack, a task is a small state machine.

use clap::ValueEnum;
use parallel_workbook::cli;
use parallel_workbook::machine::default_threads;
use parallel_workbook::memory::{peak_resident_bytes, peak_virtual_bytes};
use parallel_workbook::report::format_seconds;
use std::thread;
use std::time::{Duration, Instant};
use workbook_async::multi_thread;

/// The most OS threads this example starts (as `io_bound`).
const MAX_THREADS: u64 = 10_000;
/// The most tasks.
const MAX_TASKS: u64 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum How {
    /// One OS thread per wait, std::thread::sleep in each
    Threads,
    /// One tokio task per wait, tokio::time::sleep in each
    Tasks,
}

// ANCHOR: both
/// `count` threads that each sleep `wait`. Returns how long starting them
/// took; the scope joins them all before it returns.
fn on_threads(count: u64, wait: Duration) -> Result<Duration, String> {
    let start = Instant::now();
    thread::scope(|scope| {
        for k in 0..count {
            thread::Builder::new()
                .spawn_scoped(scope, move || thread::sleep(wait))
                .map_err(|e| format!("could not start thread {k} of {count}: {e}"))?;
        }
        Ok(start.elapsed())
    })
}

/// `count` tasks that each sleep `wait`, on a runtime with one worker
/// thread per core. Returns how long spawning them took.
fn on_tasks(count: u64, wait: Duration) -> Duration {
    multi_thread(default_threads()).block_on(async {
        let start = Instant::now();
        let tasks: Vec<_> = (0..count)
            .map(|_| tokio::spawn(tokio::time::sleep(wait)))
            .collect();
        let started = start.elapsed();
        for task in tasks {
            task.await.expect("a task panicked");
        }
        started
    })
}
// ANCHOR_END: both

#[derive(clap::Args)]
struct Flags {
    /// Threads or tasks
    #[arg(long, value_enum, default_value_t = How::Tasks)]
    how: How,
    /// How many waits (at most 10,000 threads, 1,000,000 tasks)
    #[arg(long, default_value_t = 10_000, value_parser = cli::parse_count)]
    tasks: u64,
    /// How long each one waits, in milliseconds: long enough that all of
    /// them are waiting at once when the last one starts
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    wait_ms: u64,
    /// Print one JSON object instead of a text line
    #[arg(long)]
    json: bool,
}

fn main() {
    let flags: Flags =
        workbook_async::parse_own_flags("Waiting work on OS threads or on tokio tasks");
    let (cap, what) = match flags.how {
        How::Threads => (MAX_THREADS, "threads"),
        How::Tasks => (MAX_TASKS, "tasks"),
    };
    if flags.tasks > cap {
        cli::exit_with_error(&format!(
            "--tasks {} is more than {cap} {what}",
            flags.tasks
        ));
    }
    let wait = Duration::from_millis(flags.wait_ms);
    let before = peak_resident_bytes();
    let start = Instant::now();
    let started = match flags.how {
        How::Threads => on_threads(flags.tasks, wait).unwrap_or_else(|e| cli::exit_with_error(&e)),
        How::Tasks => on_tasks(flags.tasks, wait),
    };
    let seconds = start.elapsed().as_secs_f64();
    // Memory the waits added: the peak during the run less the peak before it.
    let mib = |bytes: u64| (bytes as f64 / (1 << 20) as f64 * 10.0).round() / 10.0;
    let added = peak_resident_bytes()
        .zip(before)
        .map(|(after, before)| after.saturating_sub(before));
    let per_wait_kib =
        added.map(|b| (b as f64 / flags.tasks as f64 / 1024.0 * 100.0).round() / 100.0);
    let virtual_mib = peak_virtual_bytes().map(mib);
    let overlapped = started < wait;
    if flags.json {
        let report = serde_json::json!({
            "strategy": format!("waits/{what}"), "tasks": flags.tasks, "wait_ms": flags.wait_ms,
            "started_seconds": started.as_secs_f64(), "seconds": seconds,
            "added_resident_mib": added.map(mib), "resident_kib_per_wait": per_wait_kib,
            "peak_virtual_mib": virtual_mib, "all_waiting_at_once": overlapped,
        });
        println!("{report}");
        return;
    }
    let unknown = || "unknown".to_owned();
    println!(
        "{what:<8} count={}  wait={} ms  started in {}  time={}  memory: +{} MiB resident ({} KiB per wait), peak address space {} MiB",
        flags.tasks,
        flags.wait_ms,
        format_seconds(started.as_secs_f64()),
        format_seconds(seconds),
        added.map(mib).map_or_else(unknown, |m| m.to_string()),
        per_wait_kib.map_or_else(unknown, |k| k.to_string()),
        virtual_mib.map_or_else(unknown, |m| m.to_string()),
    );
    if !overlapped {
        eprintln!(
            "note: starting them took longer than one wait, so they were not all waiting at once: use a larger --wait-ms"
        );
    }
}
