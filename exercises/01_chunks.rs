// ANCHOR: statement
//! # 01 · Chunks
//!
//! Step 1 of every parallel strategy: break the N points into chunks, one per
//! worker. Write `chunk(n, parts, k)`: the k-th of `parts` chunks of the
//! indices `0..n`, as a range.
//!
//! - Together the chunks cover every index exactly once, in order: chunk k
//!   ends where chunk k + 1 starts.
//! - They are as even as possible: two chunks differ in length by at most 1,
//!   also when `parts` does not divide `n` (10 points over 3 workers: 4, 3, 3).
//! - When `parts > n`, some chunks are empty (`5..5` is an empty range).
//! - It works for every n up to 2^53, the largest problem, with thousands
//!   of parts: no intermediate value may overflow a u64.
//!
//! (The library's `parallel_workbook::chunk` is this function. The check
//! cannot tell whether you call it, but you would learn nothing.)
//!
//! Book: Part 1 › Chunk, execute, reassemble (book/part1/02-chunk-execute-reassemble.md)
//! Check: `cargo workbook check 01_chunks`
// ANCHOR_END: statement

use std::ops::Range;

/// The k-th of `parts` chunks of `0..n`, for `parts >= 1` and `k < parts`.
pub fn chunk(n: u64, parts: u64, k: u64) -> Range<u64> {
    // TODO: compute where chunk k starts and how long it is.
    todo!("the chunk {k} of {parts} chunks of 0..{n}")
}
