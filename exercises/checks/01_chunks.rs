//! Checks for exercises/01_chunks.rs.
//!
//! `chunk` is a pure function: no threads, so no interleavings and no model
//! checker. Its tests are ordinary and sound instead: every (n, parts) with
//! n ≤ 40 and parts ≤ 45 (all the small cases, also more parts than
//! points), and sizes near the largest problem, n = 2^53, cut into up to
//! 4097 parts, where a product like k · n no longer fits in a u64. For each
//! pair, all the chunks must follow each other without a gap or an overlap,
//! end at n, and differ in length by at most 1.

#[path = "../01_chunks.rs"]
mod exercise;

use exercise::chunk;
use parallel_workbook::problem::MAX_N;
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};

/// `chunk(n, parts, k)`, with a panic turned into a message that names the
/// call (and, for an overflow, why the large sizes overflow).
fn call(n: u64, parts: u64, k: u64) -> Result<Range<u64>, String> {
    panic::catch_unwind(AssertUnwindSafe(|| chunk(n, parts, k))).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let why = if message.contains("overflow") {
            " An operation overflowed u64: with n near 2^53 and thousands of parts, a product such as \
             k * n can reach 2^65, more than u64::MAX (2^64 − 1). Divide before you multiply."
        } else {
            ""
        };
        format!("chunk({n}, {parts}, {k}) panicked: {message}.{why}")
    })
}

/// What is wrong with the `parts` chunks of 0..n, if anything.
fn wrong_chunks(n: u64, parts: u64) -> Option<String> {
    let mut next = 0;
    let (mut shortest, mut longest) = ((u64::MAX, 0), (0, 0));
    for k in 0..parts {
        let c = match call(n, parts, k) {
            Ok(c) => c,
            Err(panicked) => return Some(panicked),
        };
        if c.start > c.end {
            return Some(format!(
                "n = {n}, parts = {parts}: chunk {k} is {c:?}, which runs backwards"
            ));
        }
        if c.start > next {
            return Some(format!(
                "n = {n}, parts = {parts}: chunk {k} is {c:?}, but chunk {} ended at {next}: indices {next}..{} are in no chunk",
                k - 1,
                c.start
            ));
        }
        if c.start < next {
            let before = if k == 0 {
                "the chunks start at 0".to_string()
            } else {
                format!("chunk {} ended at {next}", k - 1)
            };
            return Some(format!(
                "n = {n}, parts = {parts}: chunk {k} is {c:?}, but {before}: indices {}..{next} are in two chunks",
                c.start
            ));
        }
        let len = c.end - c.start;
        if len < shortest.0 {
            shortest = (len, k);
        }
        if len > longest.0 {
            longest = (len, k);
        }
        next = c.end;
    }
    if next != n {
        let what = if next < n {
            format!("indices {next}..{n} are in no chunk")
        } else {
            format!("indices {n}..{next} are not in 0..n")
        };
        return Some(format!(
            "n = {n}, parts = {parts}: the last chunk ends at {next}, not at n: {what}"
        ));
    }
    if longest.0 - shortest.0 > 1 {
        return Some(format!(
            "n = {n}, parts = {parts}: chunk {} has {} indices and chunk {} has {}: two chunks may differ in length by at most 1",
            shortest.1, shortest.0, longest.1, longest.0
        ));
    }
    None
}

#[test]
fn ten_points_over_three_workers() {
    let lens: Vec<u64> = (0..3)
        .map(|k| call(10, 3, k).unwrap_or_else(|e| panic!("{e}")))
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
fn every_small_size_and_part_count() {
    for n in 0..=40 {
        for parts in 1..=45 {
            if let Some(wrong) = wrong_chunks(n, parts) {
                panic!("{wrong}");
            }
        }
    }
}

#[test]
fn thousands_of_parts_near_the_largest_problem() {
    for n in [MAX_N, MAX_N - 1, MAX_N - 4093, (1 << 52) + 3, 1 << 40] {
        for parts in [1, 2, 3, 1000, 4095, 4096, 4097] {
            if let Some(wrong) = wrong_chunks(n, parts) {
                panic!("{wrong}");
            }
        }
    }
}

#[test]
fn more_parts_than_points_gives_empty_chunks() {
    let lens: Vec<u64> = (0..5)
        .map(|k| call(3, 5, k).unwrap_or_else(|e| panic!("{e}")))
        .map(|c| c.end - c.start)
        .collect();
    assert_eq!(
        lens.iter().filter(|&&l| l == 0).count(),
        2,
        "3 points over 5 workers: two chunks are empty, got lengths {lens:?}"
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
