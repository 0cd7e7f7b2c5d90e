// Right, unusual: starts the threads from the last chunk to the first, and returns the handles in that order.
use parallel_workbook::sync::thread::{self, JoinHandle};
use parallel_workbook::{Problem, chunk};
use std::ops::Range;

/// Starts one thread per chunk of `0..n`, named `chunk-k`; thread k returns `sum_chunk(chunk k)`.
pub fn spawn_workers<F>(n: u64, threads: usize, sum_chunk: F) -> Vec<JoinHandle<f64>>
where
    F: Fn(Range<u64>) -> f64 + Clone + Send + Sync + 'static,
{
    (0..threads)
        .rev()
        .map(|k| {
            let sum_chunk = sum_chunk.clone();
            let mine = chunk(n, threads as u64, k as u64);
            thread::Builder::new()
                .name(format!("chunk-{k}"))
                .spawn(move || sum_chunk(mine))
                .unwrap()
        })
        .collect()
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
