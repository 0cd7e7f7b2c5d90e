//! A `Mutex` around the shared total: correct, and the lock's cost depends on
//! how often you take it.
//!
//!     cargo run --release --example mutex -- --granularity item --compare
//!     cargo run --release --example mutex -- --granularity chunk --compare
//!
//! Per item: N lock/unlock pairs fought over by T threads. Per chunk: T.
//!
//! Also a module of examples/shared/strategies.rs, tests/race.rs and tests/loom.rs.

use parallel_workbook::cli;
use parallel_workbook::sync::Mutex;
use parallel_workbook::timeline::{Track, Wait};
use parallel_workbook::{Granularity, GranularityFlag, Problem, chunks};
use std::thread;

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
            scope.spawn(move || {
                // With --timeline, `track` records the chunk and each wait for the lock.
                let track = Track::start();
                track.chunk(chunk, |chunk| match granularity {
                    Granularity::Item => {
                        for i in chunk {
                            let term = Problem::f(problem.x(i));
                            track.wait(Wait::Lock, || add_locked(total, term));
                        }
                    }
                    Granularity::Chunk => {
                        let partial = problem.sum_f(chunk);
                        track.wait(Wait::Lock, || add_locked(total, partial));
                    }
                })
            });
        }
    });
    total.into_inner().unwrap() * problem.dx()
}
// ANCHOR_END: integrate

fn main() {
    let (args, own) = cli::parse::<GranularityFlag>("A Mutex around the shared total", 10_000_000);
    let how = own.granularity;
    args.run(&format!("mutex/{how}"), |problem, t| {
        integrate(problem, t, how)
    });
}
