//! # 07 · Worker pool (solution)
//!
//! `let next = queue.lock().unwrap().recv();` drops the guard at the end of
//! the statement, before the chunk is summed. (`while let Ok(chunk) =
//! queue.lock().unwrap().recv()` would keep it for the whole loop body.)

use parallel_workbook::{Problem, chunks};
use std::ops::Range;
use parallel_workbook::sync::{Mutex, mpsc};
use parallel_workbook::sync::thread;

/// Σ `sum_chunk(c)` over the `chunk_count` chunks of `0..n`, summed by a pool of `threads` workers.
pub fn pool_sum(
    n: u64,
    threads: usize,
    chunk_count: u64,
    sum_chunk: impl Fn(Range<u64>) -> f64 + Sync,
) -> f64 {
    let (work_sender, work_receiver) = mpsc::channel();
    for chunk in chunks(n, chunk_count) {
        work_sender.send(chunk).expect("the receiver is alive");
    }
    drop(work_sender); // closed: a worker's recv fails once the queue is empty
    let work_queue = Mutex::new(work_receiver);
    let (result_sender, result_receiver) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..threads {
            let (work_queue, results, sum_chunk) = (&work_queue, result_sender.clone(), &sum_chunk);
            scope.spawn(move || {
                loop {
                    let next = work_queue.lock().unwrap().recv();
                    match next {
                        Ok(chunk) => results.send(sum_chunk(chunk)).expect("main is collecting"),
                        Err(mpsc::RecvError) => return,
                    }
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
