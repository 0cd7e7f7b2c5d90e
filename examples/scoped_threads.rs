//! Scoped threads: borrow the problem and write results into a slice.
//!
//!     cargo run --release --example scoped_threads -- --n 1e9 --threads 2 --compare
//!
//! Same speed as `threads`; compare the two files to see what scoping buys.
//!
//! Also a module of examples/shared/strategies.rs (scaling, compare, benches, tests).

use parallel_workbook::timeline::Track;
use parallel_workbook::{Args, Problem, chunk};
use std::thread;

// ANCHOR: integrate
/// Each scoped thread writes its partial sum into its own slot of `partial_sums`.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let mut partial_sums = vec![0.0; threads];
    // Every thread started inside the scope is joined before `scope` returns,
    // so the threads may borrow `problem` and `partial_sums` from this stack
    // frame: no `Arc`, no `move` of copies, no `JoinHandle`s to collect.
    thread::scope(|scope| {
        // `iter_mut` hands out one `&mut f64` per slot: each thread gets
        // exclusive access to its own slot and no other.
        for (k, slot) in partial_sums.iter_mut().enumerate() {
            scope.spawn(move || {
                let indices = chunk(problem.n, threads as u64, k as u64);
                // (`Track` records the chunk's start and end with --timeline.)
                *slot = Track::start().chunk(indices, |indices| problem.sum_f(indices));
            });
        }
    }); // <- all threads have finished here (a panic in one is re-raised here)
    partial_sums.iter().sum::<f64>() * problem.dx()
}
// ANCHOR_END: integrate

fn main() {
    let args = Args::parse("Scoped threads writing into a slice", 100_000_000);
    args.run("scoped_threads", integrate);
}
