// Right, unusual: rayon::scope spawns the right half while this thread sums the left, each into a variable of its own; the scope waits for both.

use parallel_workbook::Problem;
use std::ops::Range;

/// Σ `leaf(piece)` over the pieces of `range`, the halves summed with `rayon::join`.
pub fn tree_sum<F>(range: Range<u64>, grain: u64, leaf: &F) -> f64
where
    F: Fn(Range<u64>) -> f64 + Sync,
{
    let len = range.end - range.start;
    if len <= grain {
        return leaf(range);
    }
    let middle = range.start + len / 2;
    let mut right = 0.0;
    let left = rayon::scope(|scope| {
        let right = &mut right;
        scope.spawn(move |_| *right = tree_sum(middle..range.end, grain, leaf));
        tree_sum(range.start..middle, grain, leaf)
    });
    left + right
}

/// The integral, with `tree_sum` doing the work (on rayon's global pool).
pub fn integrate(problem: &Problem, grain: u64) -> f64 {
    tree_sum(0..problem.n, grain, &|piece| problem.sum_f(piece)) * problem.dx()
}
