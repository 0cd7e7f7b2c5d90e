//! One core, made fast: independent running sums the CPU can add in parallel.
//!
//!     cargo run --release --example fast_sequential -- --n 1e9 --compare
//!
//! Same terms, same single thread as `sequential`; look at the speed-up.
//!
//! Also a module of examples/shared/strategies.rs (scaling, compare, benches, tests).

use parallel_workbook::{Args, Problem};

// ANCHOR: integrate
/// The same left sum as `sequential`, with `lanes::LANES` running sums
/// instead of one: the lane kernel of `src/lanes.rs` on all N points.
pub fn integrate(problem: &Problem) -> f64 {
    problem.sum_f_lanes(0..problem.n) * problem.dx()
}
// ANCHOR_END: integrate

fn main() {
    let args = Args::parse("One core made fast: independent lanes", 100_000_000);
    args.with_threads(1)
        .run("fast_sequential", |problem, _| integrate(problem));
}
