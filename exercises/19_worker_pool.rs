// ANCHOR: statement
//! # 07 · Worker pool
//!
//! The classic integrate-with-a-queue program: `chunk_count` chunks on a work
//! queue, a pool of `threads` workers pulling from it, and a results queue.
//!
//! Write `pool_sum`:
//! 1. Put every chunk of `parallel_workbook::chunks(n, chunk_count)` on a
//!    work channel, then close it (drop the sender).
//! 2. Start `threads` scoped workers, no more. Each loops: take the next
//!    chunk from the work queue, send `sum_chunk(chunk)` on the results
//!    channel; stop when the work queue is closed and empty.
//! 3. Collect one result per chunk and return their total.
//!
//! An `mpsc::Receiver` has one owner, so the workers share it through a
//! `Mutex`. Hold that lock only while taking a chunk, never while summing it,
//! or your pool works one chunk at a time.
//!
//! The point of a queue: a worker that finishes early takes the next chunk.
//! The check makes one chunk slow, and the other workers must sum all the
//! rest meanwhile; a pool in which each worker owns a fixed share of the
//! chunks (or holds the queue while summing) waits for the slow one.
//! (Take threads, locks and channels from the workbook: `use
//! parallel_workbook::sync::{Mutex, mpsc, thread};`. They are `std`'s,
//! which the check can also run under a model checker.)
//!
//! Book: Part 4 › Queues and channels (book/part4/22-queues-and-channels.md)
//! Check: `cargo workbook check 19_worker_pool`
// ANCHOR_END: statement

use parallel_workbook::Problem;
use std::ops::Range;

/// Σ `sum_chunk(c)` over the `chunk_count` chunks of `0..n`, summed by a pool of `threads` workers.
pub fn pool_sum(
    n: u64,
    threads: usize,
    chunk_count: u64,
    sum_chunk: impl Fn(Range<u64>) -> f64 + Sync,
) -> f64 {
    // TODO: a work queue, a results queue, `threads` workers.
    let _ = &sum_chunk;
    todo!("sum {chunk_count} chunks of 0..{n} on {threads} workers")
}

/// The integral with 8 chunks per worker: a fast worker takes more of them.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let chunk_count = (8 * threads as u64).min(problem.n);
    pool_sum(problem.n, threads, chunk_count, |chunk| {
        problem.sum_f(chunk)
    }) * problem.dx()
}
