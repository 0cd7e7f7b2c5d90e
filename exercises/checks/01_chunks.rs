//! Checks for exercises/01_chunks.rs.

#[path = "../01_chunks.rs"]
mod exercise;

use exercise::chunk;

const SIZES: [u64; 9] = [0, 1, 2, 7, 10, 64, 100, 1001, 1 << 20];
const PARTS: [u64; 10] = [1, 2, 3, 4, 5, 7, 8, 16, 100, 2000];

#[test]
fn ten_points_over_three_workers() {
    let lens: Vec<u64> = (0..3)
        .map(|k| chunk(10, 3, k))
        .map(|c| c.end - c.start)
        .collect();
    let mut sorted = lens.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [3, 3, 4],
        "10 points over 3 workers should give chunks of 4, 3 and 3 points, got {lens:?}"
    );
}

#[test]
fn chunks_are_in_order_and_cover_every_index_once() {
    for n in SIZES {
        for parts in PARTS {
            let mut next = 0;
            for k in 0..parts {
                let c = chunk(n, parts, k);
                assert_eq!(
                    c.start, next,
                    "n = {n}, parts = {parts}: chunk {k} is {c:?}, but the chunk before it ended at {next}"
                );
                assert!(
                    c.start <= c.end,
                    "n = {n}, parts = {parts}: chunk {k} is {c:?}, which runs backwards"
                );
                next = c.end;
            }
            assert_eq!(
                next, n,
                "n = {n}, parts = {parts}: the last chunk ends at {next}, not at n"
            );
        }
    }
}

#[test]
fn chunks_are_even() {
    for n in SIZES {
        for parts in PARTS {
            let lens: Vec<u64> = (0..parts)
                .map(|k| chunk(n, parts, k))
                .map(|c| c.end - c.start)
                .collect();
            let (min, max) = (lens.iter().min().unwrap(), lens.iter().max().unwrap());
            assert!(
                max - min <= 1,
                "n = {n}, parts = {parts}: chunk lengths range from {min} to {max}; they may differ by at most 1"
            );
        }
    }
}

#[test]
fn more_parts_than_points_gives_empty_chunks() {
    let lens: Vec<u64> = (0..5)
        .map(|k| chunk(3, 5, k))
        .map(|c| c.end - c.start)
        .collect();
    assert_eq!(
        lens.iter().sum::<u64>(),
        3,
        "3 points over 5 workers: lengths {lens:?} should add up to 3"
    );
    assert_eq!(
        lens.iter().filter(|&&l| l == 0).count(),
        2,
        "3 points over 5 workers: two chunks are empty, got {lens:?}"
    );
}

#[test]
fn the_largest_problem_does_not_overflow() {
    let n = parallel_workbook::problem::MAX_N;
    let last = chunk(n, 1000, 999);
    assert_eq!(
        last.end, n,
        "n = 2^53, 1000 parts: the last chunk should end at n, got {last:?}"
    );
}

#[test]
fn summing_the_chunks_gives_the_whole_sum() {
    use parallel_workbook::Problem;
    let problem = Problem::new(0.0, 10.0, 10_000).unwrap();
    let total: f64 = (0..7).map(|k| problem.sum_f(chunk(problem.n, 7, k))).sum();
    let result = total * problem.dx();
    assert!(
        (result - problem.exact_left_sum()).abs() <= problem.reduction_tolerance(),
        "the integral from 7 chunks is {result}, expected {}",
        problem.exact_left_sum()
    );
}
