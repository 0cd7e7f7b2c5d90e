// ANCHOR: statement
//! # 06 · Channel sum
//!
//! No shared total at all: each worker sends its partial sum down a channel,
//! and the main thread adds up what arrives.
//!
//! 1. `reassemble`: receive partial sums until the channel is closed (every
//!    sender dropped) and return their total. You do not know how many will
//!    come, nor when: a sender may be slow, and the channel may be empty for
//!    a while before its next message.
//! 2. `parallel_sum`: make an `mpsc::channel`, start one scoped thread per
//!    chunk of `0..n` (`parallel_workbook::chunks`), all of them before you
//!    receive anything; each sends `sum_chunk(its chunk)` on a Sender of its
//!    own (`sender.clone()`). Then `reassemble` the results.
//!
//! Watch out: `recv` waits as long as any sender is alive, including the one
//! you cloned from. If `parallel_sum` never returns, which sender is left?
//! (Take channels and threads from the workbook: `use
//! parallel_workbook::sync::{mpsc, thread};`. They are `std`'s, which the
//! check can also run under a model checker.)
//!
//! Book: Part 4 › Queues and channels (book/part4/22-queues-and-channels.md)
//! Check: `cargo workbook check 18_channel_sum`
// ANCHOR_END: statement

use parallel_workbook::Problem;
use parallel_workbook::sync::mpsc::Receiver;
use std::ops::Range;

/// The total of every partial sum sent before the channel closed.
pub fn reassemble(partial_sums: Receiver<f64>) -> f64 {
    // TODO: receive until every sender is gone.
    todo!("add up what arrives on {partial_sums:?}")
}

/// Σ `sum_chunk(c)` over the `threads` chunks of `0..n`, sent over a channel.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    // TODO: a channel, one scoped thread per chunk sending its sum, then reassemble.
    let _ = &sum_chunk;
    todo!("send the sums of {threads} chunks of 0..{n} over a channel")
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
