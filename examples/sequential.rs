//! The baseline: one thread, one loop, one running sum.
//!
//!     cargo run --release --example sequential -- --n 1e9
//!
//! Every other example is measured against this one. Note the time it takes.
//!
//! Also a module of examples/shared/strategies.rs (scaling, compare, benches, tests).

use parallel_workbook::{Args, Problem};

// ANCHOR: integrate
/// The left Riemann sum of f over [a, b] with N points, in one loop.
pub fn integrate(problem: &Problem) -> f64 {
    let dx = problem.dx();
    let mut sum = 0.0;
    // i64 rather than u64 (N ≤ 2^53 fits either way): x86-64 converts a
    // signed integer to f64 in one instruction, an unsigned one in five.
    for i in 0..problem.n as i64 {
        let x = problem.a + i as f64 * dx;
        sum += x * x;
    }
    sum * dx
}
// ANCHOR_END: integrate

fn main() {
    let args = Args::parse("The sequential baseline: one loop", 100_000_000);
    args.with_threads(1)
        .run("sequential", |problem, _threads| integrate(problem));
}
