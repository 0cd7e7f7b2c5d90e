//! A deliberately racy sum: every thread adds every term into one shared total
//! by "read it, add, write it back". Safe Rust, no undefined behaviour, wrong.
//!
//!     cargo run --release --example racy -- --threads 2 --runs 5
//!
//! Look at `lost_updates`: most runs lose some, and the answer changes each time.
//! `--runs 100 --summary` counts the wrong runs instead of printing each.
//!
//! Also a module of examples/shared/strategies.rs, tests/race.rs and tests/loom.rs.

use parallel_workbook::cli;
use parallel_workbook::sync::Mutex;
use parallel_workbook::timeline::Track;
use parallel_workbook::{Problem, chunks};
use std::thread;

// ANCHOR: shared
/// A value that threads read whole and write whole: `read` copies it out,
/// `write` puts a new one in, and no thread ever sees half of a write. That
/// is all it promises: between one thread's `read` and its `write`, another
/// thread may write. (Each call takes a lock, for that call only: a lock is
/// chapter 16's subject.)
pub struct Shared<T>(Mutex<T>);

impl<T: Copy> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Mutex::new(value))
    }

    /// A copy of the value, read whole.
    pub fn read(&self) -> T {
        *self.0.lock().unwrap()
    }

    /// Replaces the value, written whole.
    pub fn write(&self, value: T) {
        *self.0.lock().unwrap() = value;
    }

    /// The value, once no thread uses it any more.
    pub fn into_inner(self) -> T {
        self.0.into_inner().unwrap()
    }
}
// ANCHOR_END: shared

// ANCHOR: racy_add
/// The shared running total, and how many updates it holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Total {
    pub sum: f64,
    pub updates: u64,
}

/// Adds one term the racy way: read the total, add, write it back.
///
/// The read and the write are each whole, but they are two steps. If
/// another thread writes between our read and our write, we overwrite its
/// update with one built on the value we read before it: that update is
/// lost. (The sum and the count are read and written together, so the count
/// says exactly how many updates the sum holds.)
pub fn racy_add(total: &Shared<Total>, term: f64) {
    // read: a copy of the total
    let seen = total.read();
    // ... another thread can run right here ...
    // write back what we computed from the value we read
    total.write(Total {
        sum: seen.sum + term,
        updates: seen.updates + 1,
    });
}
// ANCHOR_END: racy_add

// ANCHOR: integrate
/// Returns the (wrong) integral and how many of the N updates were lost.
pub fn integrate(problem: &Problem, threads: usize) -> (f64, u64) {
    let total = Shared::new(Total::default());
    thread::scope(|scope| {
        for chunk in chunks(problem.n, threads as u64) {
            let total = &total;
            // (`Track` records the chunk's start and end with --timeline.)
            scope.spawn(move || {
                Track::start().chunk(chunk, |chunk| {
                    for i in chunk {
                        racy_add(total, Problem::f(problem.x(i)));
                    }
                })
            });
        }
    });
    // N updates were made, one per point; the count says how many stuck.
    let total = total.into_inner();
    (total.sum * problem.dx(), problem.n - total.updates)
}
// ANCHOR_END: integrate

#[derive(clap::Args)]
struct RacyFlags {
    /// How many times to run it: the answer changes from run to run
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    runs: u32,
    /// Print one line for all the runs: how many lost updates, and how many
    #[arg(long)]
    summary: bool,
}

fn main() {
    let (args, flags) = cli::parse::<RacyFlags>("A deliberately racy shared total", 10_000_000);
    let mut lost_per_run = Vec::new();
    for _ in 0..flags.runs {
        let mut lost_updates = 0;
        let report = args.measure("racy", |problem, threads| {
            let (result, lost) = integrate(problem, threads);
            lost_updates = lost;
            result
        });
        lost_per_run.push(lost_updates);
        if !flags.summary {
            args.print(&report.with("lost_updates", lost_updates));
        }
    }
    if flags.summary {
        print_summary(&args, &mut lost_per_run);
    }
}

/// `racy  N=1000000 T=2  runs=100  wrong=37  lost: median 0, most 500000`
fn print_summary(args: &cli::Args, lost_per_run: &mut [u64]) {
    lost_per_run.sort_unstable();
    let runs = lost_per_run.len();
    let wrong = lost_per_run.iter().filter(|&&lost| lost > 0).count();
    let median = lost_per_run[runs / 2];
    let most = lost_per_run[runs - 1];
    if args.json {
        let summary = serde_json::json!({
            "strategy": "racy", "n": args.n(), "threads": args.threads(), "runs": runs,
            "wrong_runs": wrong, "median_lost": median, "most_lost": most,
        });
        println!("{summary}");
    } else {
        println!(
            "{:<15} N={} T={}  runs={runs}  wrong={wrong}  lost: median {median}, most {most}",
            "racy",
            args.n(),
            args.threads()
        );
    }
}
