// Never drops the sender it cloned from: recv waits for it forever, so reassemble never returns.
use parallel_workbook::sync::mpsc::{self, Receiver};
use parallel_workbook::sync::thread;
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// The total of every partial sum sent before the channel closed.
pub fn reassemble(partial_sums: Receiver<f64>) -> f64 {
    partial_sums.iter().sum()
}

/// Σ `sum_chunk(c)` over the `threads` chunks of `0..n`, sent over a channel.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    let (sender, receiver) = mpsc::channel();
    let sum_chunk = &sum_chunk;
    thread::scope(|scope| {
        for chunk in chunks(n, threads as u64) {
            let sender = sender.clone();
            scope.spawn(move || sender.send(sum_chunk(chunk)).unwrap());
        }
        reassemble(receiver)
    })
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
