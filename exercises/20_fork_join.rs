// ANCHOR: statement
//! # 20 · Fork-join
//!
//! Sum over a range by recursion, as chapter 24.1's `fork_join` does, with
//! the sum of one piece left to a function you are given:
//!
//! - a range of at most `grain` indices is one piece: return `leaf(range)`;
//! - a longer one is cut at its middle, `start + len / 2`, and its two
//!   halves are summed by the same function *in parallel*, with
//!   `rayon::join`; return left + right.
//!
//! The pieces, and the order in which their sums are added, then depend on
//! the range and the grain alone, never on how many threads ran: the result
//! has the same bits on every run. (`grain` ≥ 1.)
//!
//! Book: Part 5 › Task parallelism and scheduling (book/part5/24-1-task-parallelism.md)
//! Check: `cargo workbook check 20_fork_join`
// ANCHOR_END: statement

use parallel_workbook::Problem;
use std::ops::Range;

/// Σ `leaf(piece)` over the pieces of `range`, the halves summed with `rayon::join`.
pub fn tree_sum<F>(range: Range<u64>, grain: u64, leaf: &F) -> f64
where
    F: Fn(Range<u64>) -> f64 + Sync,
{
    // TODO: one piece, or cut at the middle and join the two halves.
    let _ = leaf;
    todo!("sum {range:?} in pieces of at most {grain}")
}

/// The integral, with `tree_sum` doing the work (on rayon's global pool).
pub fn integrate(problem: &Problem, grain: u64) -> f64 {
    tree_sum(0..problem.n, grain, &|piece| problem.sum_f(piece)) * problem.dx()
}
