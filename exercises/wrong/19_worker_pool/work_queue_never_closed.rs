// Never drops the work queue's Sender: once the chunks run out, every worker waits in recv forever, and the scope waits for them.
use parallel_workbook::sync::{Mutex, mpsc, thread};
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// Σ `sum_chunk(c)` over the `chunk_count` chunks of `0..n`, summed by a pool of `threads` workers.
pub fn pool_sum(
    n: u64,
    threads: usize,
    chunk_count: u64,
    sum_chunk: impl Fn(Range<u64>) -> f64 + Sync,
) -> f64 {
    let (work_sender, work_receiver) = mpsc::channel();
    for chunk in chunks(n, chunk_count) {
        work_sender.send(chunk).unwrap();
    }
    let queue = Mutex::new(work_receiver);
    let (result_sender, result_receiver) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..threads {
            let (queue, results, sum_chunk) = (&queue, result_sender.clone(), &sum_chunk);
            scope.spawn(move || {
                loop {
                    let next = queue.lock().unwrap().recv();
                    match next {
                        Ok(chunk) => results.send(sum_chunk(chunk)).unwrap(),
                        Err(_) => return,
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
