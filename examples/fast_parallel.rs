//! Both kinds of parallelism at once: T threads, each running the lane
//! kernel of `fast_sequential` on its chunk.
//!
//!     cargo run --release --example fast_parallel -- --n 1e9 --threads 2 --compare
//!
//! Expect the speed-up of `fast_sequential` times the one of `threads`.
//!
//! Also a module of examples/shared/strategies.rs (scaling, compare, benches, tests).

use parallel_workbook::{Args, Problem, chunk};
use std::thread;

// ANCHOR: integrate
/// `scoped_threads` with one change: each thread sums its chunk with
/// `sum_f_lanes` (many running sums in SIMD registers) instead of `sum_f`
/// (one running sum). Threads multiply by the cores, lanes by the register
/// width; the two do not get in each other's way.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let mut partial_sums = vec![0.0; threads];
    thread::scope(|scope| {
        for (k, slot) in partial_sums.iter_mut().enumerate() {
            scope.spawn(move || {
                *slot = problem.sum_f_lanes(chunk(problem.n, threads as u64, k as u64));
            });
        }
    });
    partial_sums.iter().sum::<f64>() * problem.dx()
}
// ANCHOR_END: integrate

fn main() {
    let args = Args::parse("Threads and lanes together", 100_000_000);
    args.run("fast_parallel", integrate);
}
