//! Four ways to hand out the indices to T threads, OpenMP's loop schedules:
//! one block each (static), blocks dealt round-robin (cyclic), the next block
//! to whoever is free (dynamic) and shrinking blocks to whoever is free (guided).
//!
//!     cargo run --release --example schedule -- --work uneven --threads 2 --schedule static --compare
//!     cargo run --release --example schedule -- --work uneven --threads 2 --schedule dynamic --compare
//!
//! On uneven work the static split leaves a thread idle; try each with
//! `--timeline` and compare the charts.

use clap::ValueEnum;
use parallel_workbook::timeline::Track;
use parallel_workbook::{Problem, chunk, cli};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Schedule {
    /// One block of N/T indices per thread, fixed before the start
    Static,
    /// Blocks of --chunk indices dealt in turn: thread k takes blocks k, k + T, k + 2T, …
    Cyclic,
    /// Each thread takes the next block of --chunk indices when it is free
    Dynamic,
    /// Like dynamic, but each block is the indices left divided by T (at least --chunk)
    Guided,
}

// ANCHOR: schedules
/// Thread `k` of `threads`: sums the blocks the schedule gives it. `next`
/// is the first index no thread has taken yet (dynamic and guided only).
fn worker(
    problem: &Problem,
    threads: u64,
    k: u64,
    schedule: Schedule,
    block: u64,
    next: &AtomicU64,
) -> f64 {
    let n = problem.n;
    let track = Track::start(); // with --timeline: records each block
    let sum = |range| track.chunk(range, |r| problem.sum_f(r));
    let mut total = 0.0;
    match schedule {
        // Decided before the start, from k alone: no thread ever talks to another.
        Schedule::Static => total += sum(chunk(n, threads, k)),
        Schedule::Cyclic => {
            let mut start = k * block;
            while start < n {
                total += sum(start..(start + block).min(n));
                start += threads * block;
            }
        }
        // Decided while running: one atomic counter hands out the indices.
        Schedule::Dynamic => loop {
            let start = next.fetch_add(block, Relaxed);
            if start >= n {
                break;
            }
            total += sum(start..(start + block).min(n));
        },
        Schedule::Guided => loop {
            // ⌈left / T⌉ indices (at least `block`), taken with one
            // compare-and-swap: another thread may have moved `next` first.
            let size = |start: u64| (n - start).div_ceil(threads).max(block).min(n - start);
            let taken = next.fetch_update(Relaxed, Relaxed, |start| {
                (start < n).then(|| start + size(start))
            });
            let Ok(start) = taken else { break };
            total += sum(start..start + size(start));
        },
    }
    total
}

/// The integral with T threads and the given schedule.
pub fn integrate(problem: &Problem, threads: usize, schedule: Schedule, block: u64) -> f64 {
    let next = AtomicU64::new(0);
    let mut partial_sums = vec![0.0; threads];
    thread::scope(|scope| {
        for (k, slot) in partial_sums.iter_mut().enumerate() {
            let next = &next;
            scope.spawn(move || {
                *slot = worker(problem, threads as u64, k as u64, schedule, block, next);
            });
        }
    });
    partial_sums.iter().sum::<f64>() * problem.dx()
}
// ANCHOR_END: schedules

/// The default block: about 16 blocks per thread.
pub fn default_block(n: u64, threads: usize) -> u64 {
    n.div_ceil(16 * threads as u64).max(1)
}

#[derive(clap::Args)]
struct ScheduleFlags {
    /// How the indices are handed out
    #[arg(long, value_enum, default_value_t = Schedule::Dynamic)]
    schedule: Schedule,
    /// Block size of cyclic and dynamic, smallest block of guided
    /// [default: N / (16·T), about 16 blocks per thread]
    #[arg(long, value_parser = cli::parse_count)]
    chunk: Option<u64>,
}

fn main() {
    let (args, flags) = cli::parse::<ScheduleFlags>(
        "Static, cyclic, dynamic and guided loop schedules",
        100_000_000,
    );
    let block = flags
        .chunk
        .unwrap_or_else(|| default_block(args.n(), args.threads()));
    if block > args.n() {
        cli::exit_with_error(&format!("--chunk {block} is more than --n {}", args.n()));
    }
    let name = match flags.schedule {
        Schedule::Static => "schedule/static",
        Schedule::Cyclic => "schedule/cyclic",
        Schedule::Dynamic => "schedule/dynamic",
        Schedule::Guided => "schedule/guided",
    };
    let report = args.measure(name, |problem, threads| {
        integrate(problem, threads, flags.schedule, block)
    });
    let report = match flags.schedule {
        Schedule::Static => report,
        _ => report.with("chunk", block),
    };
    args.print(&report);
}
