// ANCHOR: statement
//! # 12 · A rayon pool of your size
//!
//! rayon's parallel iterators run on a pool of threads: by default one global
//! pool with one thread per logical CPU. To make the thread count tunable,
//! build your own pool.
//!
//! Write `parallel_sum`: build a pool of exactly `threads` threads with
//! `rayon::ThreadPoolBuilder`, and inside it (`pool.install`) sum
//! `sum_chunk(c)` over chunks `c` of `0..n` with a parallel iterator
//! (`into_par_iter`, `map`, `sum`), so that all the pool's threads sum
//! chunks at the same time. Use as many chunks as you like (say,
//! `parallel_workbook::chunks(n, 8 * threads)`), as long as every index is
//! in exactly one.
//!
//! Book: Part 2 › Pools and rayon (book/part2/10-pools-and-rayon.md)
//! Check: `cargo workbook check 07_rayon_pool`
// ANCHOR_END: statement

use parallel_workbook::Problem;
use std::ops::Range;

/// Σ `sum_chunk(c)` over chunks of `0..n`, on a rayon pool of `threads` threads.
pub fn parallel_sum(
    n: u64,
    threads: usize,
    sum_chunk: impl Fn(Range<u64>) -> f64 + Sync + Send,
) -> f64 {
    // TODO: ThreadPoolBuilder::new().num_threads(threads), then install a parallel sum.
    let _ = &sum_chunk;
    todo!("sum chunks of 0..{n} on a pool of {threads} threads")
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
