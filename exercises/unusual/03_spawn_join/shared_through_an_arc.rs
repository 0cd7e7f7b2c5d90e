// Right, unusual: shares one sum_chunk through an Arc (cloning the Arc, not the closure), and joins the handles from the last.
use parallel_workbook::sync::thread::{self, JoinHandle};
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// Starts one thread per chunk of `0..n`, named `chunk-k`; thread k returns `sum_chunk(chunk k)`.
pub fn spawn_workers<F>(n: u64, threads: usize, sum_chunk: F) -> Vec<JoinHandle<f64>>
where
    F: Fn(Range<u64>) -> f64 + Clone + Send + Sync + 'static,
{
    let sum_chunk = std::sync::Arc::new(sum_chunk);
    let mut handles = Vec::with_capacity(threads);
    for (k, chunk) in chunks(n, threads as u64).enumerate() {
        let sum_chunk = std::sync::Arc::clone(&sum_chunk);
        let builder = thread::Builder::new().name(format!("chunk-{k}"));
        handles.push(builder.spawn(move || sum_chunk(chunk)).expect("spawn"));
    }
    handles
}

/// Σ `sum_chunk(c)` over the `threads` chunks of `0..n`: spawn, then join and add up.
pub fn parallel_sum<F>(n: u64, threads: usize, sum_chunk: F) -> f64
where
    F: Fn(Range<u64>) -> f64 + Clone + Send + Sync + 'static,
{
    let mut handles = spawn_workers(n, threads, sum_chunk);
    let mut total = 0.0;
    while let Some(handle) = handles.pop() {
        match handle.join() {
            Ok(partial) => total += partial,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
    total
}

/// The integral, with `parallel_sum` doing the work (each thread gets a copy of the problem).
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let problem = *problem;
    parallel_sum(problem.n, threads, move |chunk| problem.sum_f(chunk)) * problem.dx()
}
