// ANCHOR: statement
//! # 03 · Scoped sum
//!
//! Sum the chunks of `0..n` on `threads` scoped threads.
//!
//! `parallel_sum` gets `sum_chunk`, a closure that sums one chunk of
//! indices. Start one thread per chunk inside `thread::scope`; each
//! thread calls `sum_chunk(its chunk)`. Return the total of the partial sums.
//! (Take `thread` from the workbook: `use parallel_workbook::sync::thread;`.
//! It is `std::thread`, which the check can also run under a model checker.)
//!
//! `sum_chunk` is borrowed (in `integrate` below it borrows `problem`), so a
//! `thread::spawn` thread could not use it: it needs `'static` data. A
//! scoped thread may borrow, because the scope joins every thread before
//! it returns. Start all the threads before you wait for any of them: the
//! check makes sure they run at the same time.
//!
//! Book: Part 2 › Scoped threads (book/part2/06-scoped-threads.md)
//! Check: `cargo workbook check 04_scoped_sum`
// ANCHOR_END: statement

use parallel_workbook::Problem;
use std::ops::Range;

/// Σ `sum_chunk(c)` over the `threads` chunks `c` of `0..n`, one scoped thread each.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    // TODO: thread::scope, one thread per chunk, each returning sum_chunk(chunk); add them up.
    let _ = &sum_chunk;
    todo!("sum the {threads} chunks of 0..{n} on scoped threads")
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
