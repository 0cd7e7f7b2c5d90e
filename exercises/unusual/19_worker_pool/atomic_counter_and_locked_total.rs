// Right, unusual: no work channel; the workers claim chunk numbers from an atomic counter, and add their results into a total under one lock guard each.
use parallel_workbook::sync::atomic::{AtomicU64, Ordering::Relaxed};
use parallel_workbook::sync::{Mutex, thread};
use parallel_workbook::{Problem, chunk};
use std::ops::Range;

/// Σ `sum_chunk(c)` over the `chunk_count` chunks of `0..n`, summed by a pool of `threads` workers.
pub fn pool_sum(
    n: u64,
    threads: usize,
    chunk_count: u64,
    sum_chunk: impl Fn(Range<u64>) -> f64 + Sync,
) -> f64 {
    let next = AtomicU64::new(0);
    let total = Mutex::new(0.0);
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Relaxed);
                    if k >= chunk_count {
                        break;
                    }
                    let partial = sum_chunk(chunk(n, chunk_count, k));
                    *total.lock().unwrap() += partial;
                }
            });
        }
    });
    total.into_inner().unwrap()
}

/// The integral with 8 chunks per worker: a fast worker takes more of them.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let chunk_count = (8 * threads as u64).min(problem.n);
    pool_sum(problem.n, threads, chunk_count, |chunk| {
        problem.sum_f(chunk)
    }) * problem.dx()
}
