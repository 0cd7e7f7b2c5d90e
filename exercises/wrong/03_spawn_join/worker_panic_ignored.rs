// Adds up only the workers whose join returned Ok: a worker that panicked is skipped, and the total silently lacks its partial sum.
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
                .unwrap()
        })
        .collect()
}

/// Σ `sum_chunk(c)` over the `threads` chunks of `0..n`: spawn, then join and add up.
pub fn parallel_sum<F>(n: u64, threads: usize, sum_chunk: F) -> f64
where
    F: Fn(Range<u64>) -> f64 + Clone + Send + Sync + 'static,
{
    spawn_workers(n, threads, sum_chunk)
        .into_iter()
        .filter_map(|handle| handle.join().ok())
        .sum()
}

/// The integral, with `parallel_sum` doing the work (each thread gets a copy of the problem).
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let problem = *problem;
    parallel_sum(problem.n, threads, move |chunk| problem.sum_f(chunk)) * problem.dx()
}
