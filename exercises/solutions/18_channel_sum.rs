//! # 06 · Channel sum (solution)
//!
//! `recv` returns `Err` once the channel is empty and every sender is
//! dropped. Each worker's clone is dropped when its thread ends; the original
//! sender must be dropped by hand before `reassemble`, or it waits forever.

use parallel_workbook::{Problem, chunks};
use std::ops::Range;
use parallel_workbook::sync::mpsc::{self, Receiver};
use parallel_workbook::sync::thread;

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
            scope.spawn(move || {
                sender
                    .send(sum_chunk(chunk))
                    .expect("the receiver is alive")
            });
        }
        drop(sender); // only the workers' clones are left: the channel closes when they finish
        reassemble(receiver)
    })
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
