//! One OS thread per chunk: spawn, compute a partial sum, join, add.
//!
//!     cargo run --release --example threads -- --n 1e9 --threads 2 --compare
//!
//! With T cores free, expect close to T times the speed of `sequential`.
//!
//! Also a module of examples/shared/strategies.rs (scaling, compare, benches, tests).

use parallel_workbook::timeline::Track;
use parallel_workbook::{Args, Problem, chunks};
use std::thread;

// ANCHOR: integrate
/// Splits the N points into T chunks and sums each on its own thread.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    // 1. Break the problem into chunks and start one thread per chunk.
    //    `move` gives each thread its own copy of the (small, `Copy`)
    //    problem and chunk: a spawned thread may outlive this function, so
    //    it cannot borrow anything from it.
    let handles: Vec<thread::JoinHandle<f64>> = chunks(problem.n, threads as u64)
        .enumerate()
        .map(|(k, chunk)| {
            let problem = *problem;
            thread::Builder::new()
                .name(format!("chunk-{k}"))
                // (`Track` records the chunk's start and end with --timeline.)
                .spawn(move || Track::start().chunk(chunk, |chunk| problem.sum_f(chunk)))
                .expect("the OS refused to start a thread")
        })
        .collect();
    // 2. The chunks run in parallel while we wait for each in turn.
    // 3. Reassemble: `join` returns what the thread's closure returned.
    let total: f64 = handles
        .into_iter()
        .map(|handle| handle.join().expect("a worker thread panicked"))
        .sum();
    total * problem.dx()
}
// ANCHOR_END: integrate

fn main() {
    let args = Args::parse("One spawned thread per chunk, joined", 100_000_000);
    args.run("threads", integrate);
}
