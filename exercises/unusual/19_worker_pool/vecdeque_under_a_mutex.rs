// Right, unusual: the work queue is a VecDeque under a Mutex, popped in its own statement; the results come back on a channel.
use parallel_workbook::sync::{Mutex, mpsc, thread};
use parallel_workbook::{Problem, chunks};
use std::collections::VecDeque;
use std::ops::Range;

/// Σ `sum_chunk(c)` over the `chunk_count` chunks of `0..n`, summed by a pool of `threads` workers.
pub fn pool_sum(
    n: u64,
    threads: usize,
    chunk_count: u64,
    sum_chunk: impl Fn(Range<u64>) -> f64 + Sync,
) -> f64 {
    let queue: Mutex<VecDeque<Range<u64>>> = Mutex::new(chunks(n, chunk_count).collect());
    let (result_sender, result_receiver) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..threads {
            let (queue, results, sum_chunk) = (&queue, result_sender.clone(), &sum_chunk);
            scope.spawn(move || {
                loop {
                    let next = queue.lock().unwrap().pop_front();
                    let Some(chunk) = next else { return };
                    results.send(sum_chunk(chunk)).unwrap();
                }
            });
        }
        drop(result_sender);
        result_receiver.iter().sum()
    })
}

/// The integral with 8 chunks per worker: a fast worker takes more of them.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let chunk_count = (8 * threads as u64).min(problem.n);
    pool_sum(problem.n, threads, chunk_count, |chunk| {
        problem.sum_f(chunk)
    }) * problem.dx()
}
