// Spawns a thread for every chunk but the last, and sums the last on the calling thread.

use parallel_workbook::sync::thread;
use parallel_workbook::{Problem, chunks};
use std::ops::Range;

/// Σ `sum_chunk(c)` over the `threads` chunks `c` of `0..n`, one scoped thread each.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    let sum_chunk = &sum_chunk;
    let all: Vec<Range<u64>> = chunks(n, threads as u64).collect();
    let (last, rest) = all.split_last().expect("at least one chunk");
    thread::scope(|scope| {
        let handles: Vec<_> = rest
            .iter()
            .cloned()
            .map(|chunk| scope.spawn(move || sum_chunk(chunk)))
            .collect();
        let mine = sum_chunk(last.clone());
        mine + handles.into_iter().map(|h| h.join().unwrap()).sum::<f64>()
    })
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
