// The workers add their results into one shared total with a load and a separate store: two workers can load the same total, and one addition is lost.
use parallel_workbook::sync::atomic::{AtomicU64, Ordering::SeqCst};
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
    drop(work_sender);
    let queue = Mutex::new(work_receiver);
    let total = AtomicU64::new(0.0f64.to_bits());
    thread::scope(|scope| {
        for _ in 0..threads {
            let (queue, total, sum_chunk) = (&queue, &total, &sum_chunk);
            scope.spawn(move || {
                loop {
                    let next = queue.lock().unwrap().recv();
                    let Ok(chunk) = next else { break };
                    let partial = sum_chunk(chunk);
                    let before = f64::from_bits(total.load(SeqCst));
                    total.store((before + partial).to_bits(), SeqCst);
                }
            });
        }
    });
    f64::from_bits(total.load(SeqCst))
}

/// The integral with 8 chunks per worker: a fast worker takes more of them.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let chunk_count = (8 * threads as u64).min(problem.n);
    pool_sum(problem.n, threads, chunk_count, |chunk| {
        problem.sum_f(chunk)
    }) * problem.dx()
}
