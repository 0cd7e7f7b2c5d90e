// Ignores the grain and recurses down to single indices: a join per point.

use parallel_workbook::Problem;
use std::ops::Range;

/// Σ `leaf(piece)` over the pieces of `range`, the halves summed with `rayon::join`.
pub fn tree_sum<F>(range: Range<u64>, grain: u64, leaf: &F) -> f64
where
    F: Fn(Range<u64>) -> f64 + Sync,
{
    let len = range.end - range.start;
    if len <= 1 {
        return leaf(range);
    }
    let middle = range.start + len / 2;
    let (left, right) = rayon::join(
        || tree_sum(range.start..middle, grain, leaf),
        || tree_sum(middle..range.end, grain, leaf),
    );
    left + right
}

/// The integral, with `tree_sum` doing the work (on rayon's global pool).
pub fn integrate(problem: &Problem, grain: u64) -> f64 {
    tree_sum(0..problem.n, grain, &|piece| problem.sum_f(piece)) * problem.dx()
}
