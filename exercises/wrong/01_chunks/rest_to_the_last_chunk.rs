// Gives every chunk n / parts indices and the last one the whole remainder: the last chunk can be up to parts - 1 longer than the others.
use std::ops::Range;

/// The k-th of `parts` chunks of `0..n`, for `parts >= 1` and `k < parts`.
pub fn chunk(n: u64, parts: u64, k: u64) -> Range<u64> {
    let size = n / parts;
    let start = k * size;
    if k == parts - 1 {
        start..n
    } else {
        start..start + size
    }
}
