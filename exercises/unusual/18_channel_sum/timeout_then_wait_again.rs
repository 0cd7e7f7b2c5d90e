// Right, unusual: receives with a timeout, but a timeout only means "nothing yet": it keeps waiting until the channel is closed.
use parallel_workbook::sync::mpsc::{self, Receiver};
use parallel_workbook::sync::thread;
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

use parallel_workbook::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

/// The total of every partial sum sent before the channel closed.
pub fn reassemble(partial_sums: Receiver<f64>) -> f64 {
    let mut total = 0.0;
    loop {
        match partial_sums.recv_timeout(Duration::from_millis(10)) {
            Ok(partial) => total += partial,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return total,
        }
    }
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
        drop(sender);
        reassemble(receiver)
    })
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
