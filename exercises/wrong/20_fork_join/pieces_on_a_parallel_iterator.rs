// Cuts the range into grain-sized pieces from the start and sums them with a parallel iterator: not the halving tree, so other pieces and another order of additions.

use parallel_workbook::Problem;
use std::ops::Range;

/// Σ `leaf(piece)` over the pieces of `range`, the halves summed with `rayon::join`.
pub fn tree_sum<F>(range: Range<u64>, grain: u64, leaf: &F) -> f64
where
    F: Fn(Range<u64>) -> f64 + Sync,
{
    use rayon::prelude::*;
    let pieces: Vec<Range<u64>> = range
        .clone()
        .step_by(grain as usize)
        .map(|start| start..(start + grain).min(range.end))
        .collect();
    pieces.into_par_iter().map(leaf).sum()
}

/// The integral, with `tree_sum` doing the work (on rayon's global pool).
pub fn integrate(problem: &Problem, grain: u64) -> f64 {
    tree_sum(0..problem.n, grain, &|piece| problem.sum_f(piece)) * problem.dx()
}
