// Deals the chunks out in advance, worker w taking chunks w, w + threads, ...: no queue, so while one worker is slow its other chunks wait for it.
use parallel_workbook::sync::{mpsc, thread};
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// Σ `sum_chunk(c)` over the `chunk_count` chunks of `0..n`, summed by a pool of `threads` workers.
pub fn pool_sum(
    n: u64,
    threads: usize,
    chunk_count: u64,
    sum_chunk: impl Fn(Range<u64>) -> f64 + Sync,
) -> f64 {
    let all: Vec<Range<u64>> = chunks(n, chunk_count).collect();
    let (result_sender, result_receiver) = mpsc::channel();
    thread::scope(|scope| {
        for worker in 0..threads {
            let (all, results, sum_chunk) = (&all, result_sender.clone(), &sum_chunk);
            scope.spawn(move || {
                for chunk in all.iter().skip(worker).step_by(threads) {
                    results.send(sum_chunk(chunk.clone())).unwrap();
                }
            });
        }
        result_receiver.iter().take(chunk_count as usize).sum()
    })
}

/// The integral with 8 chunks per worker: a fast worker takes more of them.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let chunk_count = (8 * threads as u64).min(problem.n);
    pool_sum(problem.n, threads, chunk_count, |chunk| {
        problem.sum_f(chunk)
    }) * problem.dx()
}
