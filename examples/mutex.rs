//! A `Mutex` around the shared total: correct, and the lock's cost depends on
//! how often you take it.
//!
//!     cargo run --release --example mutex -- --granularity item --compare
//!     cargo run --release --example mutex -- --granularity chunk --compare
//!
//! Per item: N lock/unlock pairs fought over by T threads. Per chunk: T.

use clap::{Parser, ValueEnum};
use parallel_workbook::cli::{self, Args, HasArgs};
use parallel_workbook::sync::Mutex;
use parallel_workbook::{Problem, chunks};
use std::thread;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Granularity {
    /// Take the lock once for every term
    Item,
    /// Sum a chunk privately, then take the lock once to add it
    Chunk,
}

// ANCHOR: add_locked
/// Read, add and write back while holding the lock: one critical section.
/// Compare `racy_add` in racy.rs, which takes the lock twice.
pub fn add_locked(total: &Mutex<f64>, term: f64) {
    let mut guard = total.lock().unwrap(); // the "with lock:" block starts here...
    *guard += term;
} // ...and ends here, where the guard is dropped and the lock released
// ANCHOR_END: add_locked

// ANCHOR: integrate
pub fn integrate(problem: &Problem, threads: usize, granularity: Granularity) -> f64 {
    let total = Mutex::new(0.0);
    thread::scope(|scope| {
        for chunk in chunks(problem.n, threads as u64) {
            let total = &total;
            scope.spawn(move || match granularity {
                Granularity::Item => {
                    for i in chunk {
                        add_locked(total, Problem::f(problem.x(i)));
                    }
                }
                Granularity::Chunk => add_locked(total, problem.sum_f(chunk)),
            });
        }
    });
    total.into_inner().unwrap() * problem.dx()
}
// ANCHOR_END: integrate

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: Args,
    /// How often to take the lock
    #[arg(long, value_enum, default_value_t = Granularity::Chunk)]
    granularity: Granularity,
}

impl HasArgs for Cli {
    fn args_mut(&mut self) -> &mut Args {
        &mut self.args
    }
}

fn main() {
    let cli: Cli = cli::parse("mutex", "A Mutex around the shared total", 10_000_000);
    let name = match cli.granularity {
        Granularity::Item => "mutex/item",
        Granularity::Chunk => "mutex/chunk",
    };
    cli.args.run(name, |problem, threads| {
        integrate(problem, threads, cli.granularity)
    });
}
