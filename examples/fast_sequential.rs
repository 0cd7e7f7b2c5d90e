//! One core, made fast: independent running sums the CPU can add in parallel.
//!
//!     cargo run --release --example fast_sequential -- --n 1e9 --compare
//!
//! Same terms, same single thread as `sequential`; look at the speed-up.
//!
//! Also a module of examples/shared/strategies.rs (scaling, compare, benches, tests).

use parallel_workbook::{Args, Problem};

// ANCHOR: integrate
/// How many independent running sums ("lanes") to keep.
const LANES: usize = 8;

/// The same left sum as `sequential`, with LANES running sums instead of one.
///
/// `sum += x * x` in one variable makes every addition wait for the previous
/// one. With 8 separate sums the additions do not depend on each other, so the
/// CPU overlaps them and the compiler can pack them into SIMD registers.
/// Each lane keeps its index as an f64 (exact below 2^53), so the points
/// a + i·Δx are exactly those of `sequential`; only the order of the
/// additions differs.
pub fn integrate(problem: &Problem) -> f64 {
    let dx = problem.dx();
    let mut sums = [0.0; LANES];
    let mut index: [f64; LANES] = std::array::from_fn(|lane| lane as f64);
    let whole_rounds = problem.n / LANES as u64;
    for _ in 0..whole_rounds {
        for lane in 0..LANES {
            let x = problem.a + index[lane] * dx;
            sums[lane] += x * x;
            index[lane] += LANES as f64;
        }
    }
    // The last n % LANES points, one at a time.
    let mut tail = 0.0;
    for i in whole_rounds * LANES as u64..problem.n {
        tail += Problem::f(problem.x(i));
    }
    (sums.iter().sum::<f64>() + tail) * dx
}
// ANCHOR_END: integrate

fn main() {
    let args = Args::parse("One core made fast: independent lanes", 100_000_000);
    args.with_threads(1)
        .run("fast_sequential", |problem, _| integrate(problem));
}
