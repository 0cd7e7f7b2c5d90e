//! Checks for exercises/20_fork_join.rs.
//!
//! No model test: rayon's pool runs on threads and locks of its own, which
//! no model checker here can see or schedule, and `tree_sum` shares nothing
//! but the `leaf` it is given. So the checks are real-thread tests that need
//! no luck, each on a rayon pool of its own:
//!
//! - the pieces `leaf` is called on must be exactly the cuts at the middle,
//!   down to the grain (ranges that start at 0 and at other indices, a range
//!   of exactly twice the grain, a grain of 1, a range shorter than the grain);
//! - on a pool of two threads, two calls of `leaf` must be running at the
//!   same time: each call waits (up to 2 s) for another one to start, which
//!   the halves summed one after the other never achieve, and `rayon::join`
//!   achieves at once (the idle thread steals the second half);
//! - the result must have the bits of the halving tree's sum, `left + right`
//!   at every cut, for leaf values whose sum depends on the order of the
//!   additions; and the same bits on a pool of one thread and of three;
//! - `integrate` gives the left sum.

mod common;
#[path = "../20_fork_join.rs"]
mod exercise;

use common::Overlap;
use exercise::{integrate, tree_sum};
use parallel_workbook::Problem;
use parallel_workbook::sync::{Arc, Mutex};
use std::ops::Range;

/// Runs `f` inside a rayon pool of `threads` threads, under the watchdog.
fn on_pool<T: Send + 'static>(threads: usize, f: impl FnOnce() -> T + Send + 'static) -> T {
    common::within(
        "tree_sum never returned: does the recursion reach a piece of at most grain points?",
        move || {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("could not build a rayon pool")
                .install(f)
        },
    )
}

/// Stops the check at a call of `leaf` on an empty piece. Cuts at the middle
/// never make one (every range cut has two points or more); a middle that
/// ignores the start does, at a range whose start is half its length, and
/// then recurses on that same range until the stack runs out, which aborts
/// the whole check program before any test can report. So this says why in
/// one line, on stderr itself (a test's captured output dies with the
/// program), and ends the program as a failed test run would.
fn refuse_an_empty_piece(piece: &Range<u64>) {
    if piece.is_empty() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "error: leaf was called on the empty piece {piece:?}, and the same range is cut again and again: \
             is the middle start + len / 2? (`len / 2` alone is right only for ranges that start at 0.)"
        );
        std::process::exit(101);
    }
}

/// The pieces of the halving tree, left to right.
fn expected_pieces(range: Range<u64>, grain: u64, pieces: &mut Vec<Range<u64>>) {
    let len = range.end - range.start;
    if len <= grain {
        pieces.push(range);
    } else {
        let middle = range.start + len / 2;
        expected_pieces(range.start..middle, grain, pieces);
        expected_pieces(middle..range.end, grain, pieces);
    }
}

/// The halving tree's sum, on one thread: `left + right` at every cut.
fn expected_sum(range: Range<u64>, grain: u64, leaf: &impl Fn(Range<u64>) -> f64) -> f64 {
    let len = range.end - range.start;
    if len <= grain {
        return leaf(range);
    }
    let middle = range.start + len / 2;
    expected_sum(range.start..middle, grain, leaf) + expected_sum(middle..range.end, grain, leaf)
}

/// A piece's value: the sum of 1/(i + 1) over it, with every other piece
/// scaled up by 2^40, so that adding the pieces' sums in another order (or
/// in other groups) gives other bits.
fn awkward(piece: Range<u64>) -> f64 {
    refuse_an_empty_piece(&piece);
    let scale = if (piece.start / 7).is_multiple_of(2) {
        1.0
    } else {
        (1u64 << 40) as f64
    };
    piece.map(|i| scale / (i + 1) as f64).sum()
}

#[test]
fn the_pieces_are_the_cuts_at_the_middle_down_to_the_grain() {
    for (range, grain, case) in [
        (
            0..10_000,
            1_000,
            "0..10000 with a grain of 1000: pieces of 625",
        ),
        (
            1_000..3_048,
            1_024,
            "1000..3048 is 2048 points, twice the grain of 1024: two pieces of 1024",
        ),
        (5..6_005, 700, "a range that does not start at 0"),
        (3..40, 1, "a grain of 1: every index its own piece"),
        (0..500, 1_000, "a range shorter than the grain: one piece"),
        (17..1_017, 3, "an odd grain"),
    ] {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let recorded = calls.clone();
        let r = range.clone();
        on_pool(2, move || {
            tree_sum(r, grain, &|piece: Range<u64>| {
                refuse_an_empty_piece(&piece);
                recorded.lock().unwrap().push(piece.clone());
                common::len(&piece)
            })
        });
        let mut pieces: Vec<Range<u64>> = calls.lock().unwrap().clone();
        pieces.sort_by_key(|p| (p.start, p.end));
        let mut expected = Vec::new();
        expected_pieces(range.clone(), grain, &mut expected);
        if let Some(long) = pieces.iter().find(|p| p.end - p.start > grain) {
            panic!(
                "{case}: leaf was called on {long:?}, {} points, more than the grain of {grain}: cut a range \
                 longer than the grain in two",
                long.end - long.start
            );
        }
        let shifted = |p: &Range<u64>| p.start - range.start..p.end - range.start;
        let relative: Vec<Range<u64>> = pieces.iter().map(shifted).collect();
        common::assert_partition(
            range.end - range.start,
            &relative,
            &format!("{case} (indices counted from {})", range.start),
        );
        if pieces.len() > expected.len() {
            panic!(
                "{case}: leaf was called on {} pieces, the halving tree has {}: a range of at most grain \
                 points is one piece, cut no further (pieces: {})",
                pieces.len(),
                expected.len(),
                sample(&pieces)
            );
        }
        assert!(
            pieces == expected,
            "{case}: leaf was called on the pieces {}, the cuts at the middle (start + len / 2) give {}",
            sample(&pieces),
            sample(&expected)
        );
    }
}

/// The first pieces of a list, for a message.
fn sample(pieces: &[Range<u64>]) -> String {
    let shown: Vec<String> = pieces.iter().take(4).map(|p| format!("{p:?}")).collect();
    let more = if pieces.len() > 4 {
        format!(", … ({} in all)", pieces.len())
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}

#[test]
fn the_halves_are_summed_on_two_threads_at_once() {
    let overlap = Arc::new(Overlap::new(2));
    let inside = overlap.clone();
    on_pool(2, move || {
        tree_sum(0..4_096, 1_024, &|piece: Range<u64>| {
            refuse_an_empty_piece(&piece);
            let _in_a_piece = inside.enter();
            common::len(&piece)
        })
    });
    let most = overlap.most();
    assert!(
        most == 2,
        "on a pool of two threads, leaf never ran on two pieces at the same time: the halves were summed one \
         after the other. Sum them with rayon::join(|| left half, || right half)"
    );
}

#[test]
fn the_sum_has_the_bits_of_the_halving_tree_on_any_pool() {
    for (range, grain) in [(0..10_000, 1_000), (3..5_000, 7), (100..1_124, 64)] {
        let expected = expected_sum(range.clone(), grain, &awkward);
        for threads in [1, 2, 3] {
            let r = range.clone();
            let got = on_pool(threads, move || tree_sum(r, grain, &awkward));
            assert!(
                got.to_bits() == expected.to_bits(),
                "tree_sum({range:?}, grain {grain}) on {threads} thread(s) = {got:e}, the halving tree's sum is \
                 {expected:e}: add the two halves' sums as left + right at every cut, after both are done, and \
                 nothing else"
            );
        }
    }
}

#[test]
fn integrate_gives_the_left_sum() {
    let problem = Problem::new(0.0, 10.0, 1_000_000).unwrap();
    let result = on_pool(2, move || integrate(&problem, 10_000));
    let expected = problem.exact_left_sum();
    assert!(
        (result - expected).abs() <= problem.reduction_tolerance(),
        "integrate gave {result}, expected {expected}"
    );
}
