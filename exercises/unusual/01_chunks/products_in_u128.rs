// Right, unusual: the bounds are k * n / parts computed in u128, which cannot overflow; the longer chunks are spread out instead of coming first.
use std::ops::Range;

/// The k-th of `parts` chunks of `0..n`, for `parts >= 1` and `k < parts`.
pub fn chunk(n: u64, parts: u64, k: u64) -> Range<u64> {
    let bound = |k: u64| (u128::from(k) * u128::from(n) / u128::from(parts)) as u64;
    bound(k)..bound(k + 1)
}
