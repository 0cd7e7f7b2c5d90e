//! # 01 · Chunks (solution)
//!
//! Every chunk gets `n / parts` indices; the first `n % parts` chunks get one
//! more. Chunk k starts after the k chunks before it: `k * base` indices, plus
//! one extra for each of them that got one, `min(k, extra)`.
//!
//! Book: Part 1 › Chunk, execute, reassemble (book/part1/02-chunk-execute-reassemble.md)

use std::ops::Range;

/// The k-th of `parts` chunks of `0..n`, for `parts >= 1` and `k < parts`.
pub fn chunk(n: u64, parts: u64, k: u64) -> Range<u64> {
    let (base, extra) = (n / parts, n % parts);
    let start = k * base + k.min(extra);
    let len = base + u64::from(k < extra);
    start..start + len
}
