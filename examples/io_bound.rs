//! Waiting work: 1000 tasks that each wait 10 ms (a stand-in for a network or
//! disk request), run on 1 thread, on one thread per core, and on one per task.
//!
//!     cargo run --release --example io_bound -- --tasks 1000
//!
//! One thread per task wins by far, even on 2 cores: waiting needs no core.

use parallel_workbook::chunk;
use parallel_workbook::cli;
use parallel_workbook::machine::default_threads;
use parallel_workbook::report::format_seconds;
use std::thread;
use std::time::{Duration, Instant};

/// The most tasks (and so the most threads) this example will start.
const MAX_TASKS: u64 = 10_000;

// ANCHOR: task
/// One I/O-bound task: it spends its time waiting, not computing. A real one
/// would block in `read` on a socket or a file; `sleep` blocks the same way:
/// the OS parks the thread and gives its core to someone else.
fn task(wait: Duration) {
    thread::sleep(wait);
}
// ANCHOR_END: task

// ANCHOR: run
/// Runs `tasks` tasks on `threads` threads (chunked with the workbook's one
/// rule) and returns how many tasks completed.
fn run(tasks: u64, threads: u64, wait: Duration) -> Result<u64, String> {
    thread::scope(|scope| {
        let mut handles = Vec::new();
        for k in 0..threads {
            let my_tasks = chunk(tasks, threads, k).count() as u64;
            let handle = thread::Builder::new()
                .name(format!("io-{k}"))
                .spawn_scoped(scope, move || {
                    for _ in 0..my_tasks {
                        task(wait);
                    }
                    my_tasks
                })
                .map_err(|e| format!("could not start thread {k} of {threads}: {e}"))?;
            handles.push(handle);
        }
        // The scope joins every thread anyway; joining here collects the counts.
        Ok(handles
            .into_iter()
            .map(|h| h.join().expect("a task panicked"))
            .sum())
    })
}
// ANCHOR_END: run

#[derive(clap::Args)]
struct IoBoundFlags {
    /// How many tasks (at most 10000)
    #[arg(long, default_value_t = 1000, value_parser = cli::parse_count)]
    tasks: u64,

    /// How long each task waits, in milliseconds (0: measure thread start-up alone)
    #[arg(long, default_value_t = 10)]
    wait_ms: u64,

    /// Run only with T threads [default: compare 1, one per core, one per task]
    #[arg(long, short = 't', value_parser = cli::parse_count)]
    threads: Option<u64>,

    /// Print one JSON object per run instead of a text line
    #[arg(long)]
    json: bool,
}

fn main() {
    let flags = cli::parse_own_flags::<IoBoundFlags>("Many threads for waiting work");
    if flags.tasks > MAX_TASKS {
        cli::exit_with_error(&format!("--tasks {} is more than {MAX_TASKS}", flags.tasks));
    }
    if flags.wait_ms > 10_000 {
        cli::exit_with_error(&format!(
            "--wait-ms {} is more than 10000 (10 s)",
            flags.wait_ms
        ));
    }
    let thread_counts = match flags.threads {
        Some(t) if t > flags.tasks => cli::exit_with_error(&format!(
            "--threads {t} is more than --tasks {}: each thread needs a task",
            flags.tasks
        )),
        Some(t) => vec![t],
        None => {
            let mut counts = vec![1, (default_threads() as u64).min(flags.tasks), flags.tasks];
            counts.dedup();
            counts
        }
    };
    let wait = Duration::from_millis(flags.wait_ms);
    for threads in thread_counts {
        let start = Instant::now();
        let completed =
            run(flags.tasks, threads, wait).unwrap_or_else(|e| cli::exit_with_error(&e));
        let seconds = start.elapsed().as_secs_f64();
        if flags.json {
            let report = serde_json::json!({
                "strategy": "io_bound", "tasks": flags.tasks, "wait_ms": flags.wait_ms,
                "threads": threads, "completed": completed, "seconds": seconds,
            });
            println!("{report}");
        } else {
            println!(
                "io_bound  tasks={} wait={} ms  T={threads:<5}  completed={completed}  time={}",
                flags.tasks,
                flags.wait_ms,
                format_seconds(seconds)
            );
        }
    }
}
