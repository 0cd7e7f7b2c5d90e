// Right, unusual: the n % parts longer chunks are the last ones, not the first (10 over 3 gives 3, 3, 4).
use std::ops::Range;

/// The k-th of `parts` chunks of `0..n`, for `parts >= 1` and `k < parts`.
pub fn chunk(n: u64, parts: u64, k: u64) -> Range<u64> {
    let (base, extra) = (n / parts, n % parts);
    let short = parts - extra; // the first `short` chunks have `base` indices
    let start = k * base + k.saturating_sub(short);
    let len = if k < short { base } else { base + 1 };
    start..start + len
}
