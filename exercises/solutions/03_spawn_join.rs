//! # 02 · Spawn and join (solution)
//!
//! `thread::Builder` names each thread; `spawn` returns an `io::Result`
//! because the OS may refuse to start one. Each thread gets its own clone of
//! `sum_chunk` and its own chunk, moved in. `join` returns what the thread's
//! closure returned, or `Err` if it panicked: `expect` passes the panic on.

use parallel_workbook::sync::thread::{self, JoinHandle};
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// Starts one thread per chunk of `0..n`, named `chunk-k`; thread k returns `sum_chunk(chunk k)`.
pub fn spawn_workers<F>(n: u64, threads: usize, sum_chunk: F) -> Vec<JoinHandle<f64>>
where
    F: Fn(Range<u64>) -> f64 + Clone + Send + Sync + 'static,
{
    chunks(n, threads as u64)
        .enumerate()
        .map(|(k, chunk)| {
            let sum_chunk = sum_chunk.clone();
            thread::Builder::new()
                .name(format!("chunk-{k}"))
                .spawn(move || sum_chunk(chunk))
                .expect("the OS refused to start a thread")
        })
        .collect()
}

/// Σ `sum_chunk(c)` over the `threads` chunks of `0..n`: spawn, then join and add up.
pub fn parallel_sum<F>(n: u64, threads: usize, sum_chunk: F) -> f64
where
    F: Fn(Range<u64>) -> f64 + Clone + Send + Sync + 'static,
{
    let handles = spawn_workers(n, threads, sum_chunk);
    handles
        .into_iter()
        .map(|handle| handle.join().expect("a worker panicked"))
        .sum()
}

/// The integral, with `parallel_sum` doing the work (each thread gets a copy of the problem).
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let problem = *problem;
    parallel_sum(problem.n, threads, move |chunk| problem.sum_f(chunk)) * problem.dx()
}
