//! Every strategy computes the same left sum as the sequential loop, for
//! random intervals, N and T (including T not dividing N, T > N, and chunk
//! counts different from T), within the rounding bound of
//! `Problem::reduction_tolerance`, and matches the closed form. Where every
//! point, square and sum is exact, every strategy gives the closed form to
//! the last bit: none of them adds a wrong point, or one twice.

#[path = "../examples/shared/strategies.rs"]
mod strategies;

use parallel_workbook::{Granularity, Problem};
use proptest::prelude::*;
use strategies::{
    ALL, atomic, channels, fast_parallel, memory_bound, mutex, queue, scoped_threads, sequential,
    threads,
};

/// The strategies that run inside this test process (`processes` needs a
/// worker program: see tests/examples_cli.rs).
fn in_process() -> impl Iterator<Item = &'static strategies::Strategy> {
    ALL.iter().filter(|s| s.name != "processes")
}

fn assert_agrees(problem: &Problem, threads: usize) {
    let reference = sequential::integrate(problem);
    let tolerance = problem.reduction_tolerance();
    for strategy in in_process() {
        let result = (strategy.integrate)(problem, threads);
        assert!(
            (result - reference).abs() <= tolerance,
            "{} with T={threads} on {problem:?}: {result} vs sequential {reference} (tolerance {tolerance:e})",
            strategy.name
        );
    }
    let per_item = [
        mutex::integrate(problem, threads, Granularity::Item),
        atomic::integrate(problem, threads, Granularity::Item),
        channels::integrate_bounded(problem, threads, 0),
        channels::integrate_bounded(problem, threads, 1),
        queue::integrate(problem, threads, 1),
        queue::integrate(problem, threads, 3 * threads as u64 + 1),
        memory_bound::integrate(
            &memory_bound::samples(problem).unwrap(),
            problem.dx(),
            threads,
        ),
    ];
    for result in per_item {
        assert!(
            (result - reference).abs() <= tolerance,
            "{result} vs {reference}"
        );
    }
    // The closed form is computed in another order entirely: relative check.
    let closed = problem.exact_left_sum();
    assert!(
        (reference - closed).abs() <= tolerance + 1e-12 * closed.abs().max(1.0),
        "sequential {reference} vs closed form {closed}"
    );
}

#[test]
fn the_running_example_agrees_everywhere() {
    let problem = Problem::new(0.0, 10.0, 100_000).unwrap();
    for threads in [1, 2, 3, 4, 7, 8] {
        assert_agrees(&problem, threads);
    }
    // And the answer is the known one: for a = 0, S_N = Δx³·(N−1)·N·(2N−1)/6,
    // which falls short of 1000/3 by 500/N − 500/(3N²): 0.004 999 983 3 here.
    let s = sequential::integrate(&problem);
    let dx = 1e-4;
    let n = 100_000.0;
    assert!((s - dx * dx * dx * (n - 1.0) * n * (2.0 * n - 1.0) / 6.0).abs() < 1e-9);
    assert!((1000.0 / 3.0 - s - (0.005 - 500.0 / (3.0 * n * n))).abs() < 1e-9);
}

#[test]
fn with_exact_arithmetic_every_strategy_gives_the_closed_form_exactly() {
    // Δx = 1/4 and a a multiple of 1/4: every x_i, x_i² and partial sum is
    // exact in f64, so the order of the additions cannot matter, and only a
    // wrong, missing or repeated point could change the result. N and T are
    // chosen so that chunks do not line up with the lanes.
    for (a, n) in [(0.0, 4099), (-5.25, 1001), (3.0, 37)] {
        let problem = Problem::new(a, a + n as f64 / 4.0, n).unwrap();
        let closed = problem.exact_left_sum();
        for threads in [1, 2, 3, 7] {
            for strategy in in_process() {
                assert_eq!(
                    (strategy.integrate)(&problem, threads),
                    closed,
                    "{} T={threads} on {problem:?}",
                    strategy.name
                );
            }
            let values = memory_bound::samples(&problem).unwrap();
            assert_eq!(
                memory_bound::integrate(&values, problem.dx(), threads),
                closed
            );
        }
    }
}

#[test]
fn fast_parallel_is_the_lane_kernel_on_every_chunk() {
    // Same chunks as scoped_threads, each summed by `sum_f_lanes`: the
    // same bits as adding those chunk sums by hand.
    let problem = Problem::new(-1.5, 8.0, 123_457).unwrap();
    for threads in [1, 2, 5] {
        let by_hand: f64 = parallel_workbook::chunks(problem.n, threads as u64)
            .map(|chunk| problem.sum_f_lanes(chunk))
            .sum::<f64>()
            * problem.dx();
        assert_eq!(fast_parallel::integrate(&problem, threads), by_hand);
    }
}

#[test]
fn more_threads_than_points_leaves_chunks_empty_but_correct() {
    let problem = Problem::new(1.0, 2.0, 3).unwrap();
    for threads in [4, 5, 16] {
        assert_agrees(&problem, threads);
    }
}

#[test]
fn one_point_is_f_of_a_times_the_width() {
    let problem = Problem::new(2.0, 5.0, 1).unwrap();
    for strategy in in_process() {
        assert_eq!(
            (strategy.integrate)(&problem, 1),
            4.0 * 3.0,
            "{}",
            strategy.name
        );
    }
}

#[test]
fn the_library_kernel_is_the_sequential_loop() {
    // `--compare` times `Problem::sum_f` as the sequential baseline: it must
    // be the same computation as examples/sequential.rs, bit for bit.
    for (a, b, n) in [(0.0, 10.0, 12_345), (-3.5, 2.25, 999), (7.0, 7.0, 10)] {
        let problem = Problem::new(a, b, n).unwrap();
        assert_eq!(
            problem.sum_f(0..n) * problem.dx(),
            sequential::integrate(&problem)
        );
    }
}

#[test]
fn a_fixed_chunking_always_gives_the_same_bits() {
    // Rounding differs between chunkings, but not between runs of one
    // chunking: floating-point order is deterministic, unlike a race.
    let problem = Problem::new(0.0, 10.0, 200_000).unwrap();
    for threads in [2, 3] {
        let first = threads::integrate(&problem, threads);
        for _ in 0..5 {
            assert_eq!(
                threads::integrate(&problem, threads).to_bits(),
                first.to_bits()
            );
            assert_eq!(
                scoped_threads::integrate(&problem, threads).to_bits(),
                first.to_bits()
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_strategy_agrees_with_the_sequential_sum(
        a in -50.0f64..50.0,
        width in 0.0f64..100.0,
        n in 1u64..20_000,
        threads in 1usize..12,
    ) {
        let problem = Problem::new(a, a + width, n).unwrap();
        assert_agrees(&problem, threads);
    }
}
