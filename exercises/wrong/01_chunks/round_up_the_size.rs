// Rounds the chunk size up, so every chunk but the last is full: the last one is short by up to parts - 1 indices (or empty).
use std::ops::Range;

/// The k-th of `parts` chunks of `0..n`, for `parts >= 1` and `k < parts`.
pub fn chunk(n: u64, parts: u64, k: u64) -> Range<u64> {
    let size = n.div_ceil(parts);
    let start = (k * size).min(n);
    let end = (start + size).min(n);
    start..end
}
