// ANCHOR: statement
//! # 02 · Spawn and join
//!
//! Run each chunk on its own OS thread, then join them and add up.
//!
//! 1. `spawn_workers`: for each of the `threads` chunks of `0..n`
//!    (`parallel_workbook::chunks`), start a thread with `thread::Builder`,
//!    named after its chunk: `chunk-0` for chunk 0, `chunk-1`, ... The
//!    thread returns `sum_chunk(its chunk)`. Return the handles; do not join
//!    them here.
//! 2. `parallel_sum`: start the workers with `spawn_workers`, join every
//!    handle and add up what the threads returned. If a worker panicked,
//!    panic too: a total with a partial sum missing must not pass for the
//!    answer.
//!
//! A spawned thread may outlive the function that started it, so it cannot
//! borrow from it: each thread needs its own `sum_chunk` (the closure is
//! `Clone`: clone it once per thread) and its own chunk, moved into it with
//! a `move` closure. (Take `thread` from the workbook: `use
//! parallel_workbook::sync::thread;`. It is `std::thread`, which the check
//! can also run under a model checker.)
//!
//! Book: Part 2 › OS threads: spawn and join (book/part2/05-os-threads.md)
//! Check: `cargo workbook check 03_spawn_join`
// ANCHOR_END: statement

use parallel_workbook::Problem;
use parallel_workbook::sync::thread::JoinHandle;
use std::ops::Range;

/// Starts one thread per chunk of `0..n`, named `chunk-k`; thread k returns `sum_chunk(chunk k)`.
pub fn spawn_workers<F>(n: u64, threads: usize, sum_chunk: F) -> Vec<JoinHandle<f64>>
where
    F: Fn(Range<u64>) -> f64 + Clone + Send + Sync + 'static,
{
    // TODO: one thread per chunk, named "chunk-{k}", returning sum_chunk(its chunk).
    let _ = sum_chunk;
    todo!("start {threads} threads for the chunks of 0..{n}")
}

/// Σ `sum_chunk(c)` over the `threads` chunks of `0..n`: spawn, then join and add up.
pub fn parallel_sum<F>(n: u64, threads: usize, sum_chunk: F) -> f64
where
    F: Fn(Range<u64>) -> f64 + Clone + Send + Sync + 'static,
{
    let handles = spawn_workers(n, threads, sum_chunk);
    // TODO: join each handle and add up what the threads returned.
    todo!("join {} handles", handles.len())
}

/// The integral, with `parallel_sum` doing the work (each thread gets a copy of the problem).
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let problem = *problem;
    parallel_sum(problem.n, threads, move |chunk| problem.sum_f(chunk)) * problem.dx()
}
