//! Checks for exercises/02_amdahl.rs.
//!
//! Nothing here runs in parallel, so there is nothing for a model checker to
//! explore: ordinary tests, with known values of the formula, its inverse
//! on many points, and measured tables built so that the usual shortcuts
//! fail (stopping at the first slowdown, moving on only when the next row is
//! 2 % faster than the current choice, taking the table's order as the
//! order of thread counts, or the fastest row without the 2 % rule).

#[path = "../02_amdahl.rs"]
mod exercise;

use exercise::{amdahl_speedup, best_thread_count, serial_fraction};

fn close(got: f64, expected: f64) -> bool {
    (got - expected).abs() <= 1e-9 * expected.abs().max(1.0)
}

#[test]
fn amdahl_at_known_points() {
    for (p, threads, expected) in [
        (0.5, 2, 4.0 / 3.0),
        (0.9, 4, 1.0 / (0.1 + 0.225)),
        (0.95, 8, 1.0 / (0.05 + 0.95 / 8.0)),
        (1.0, 16, 16.0),
        (0.0, 16, 1.0),
        (0.75, 1, 1.0),
    ] {
        let got = amdahl_speedup(p, threads);
        assert!(
            close(got, expected),
            "amdahl_speedup({p}, {threads}) = {got}, expected {expected}"
        );
    }
}

#[test]
fn more_threads_help_less_and_less() {
    let p = 0.9;
    let speedups: Vec<f64> = (1..=64).map(|t| amdahl_speedup(p, t)).collect();
    assert!(
        speedups.windows(2).all(|w| w[1] > w[0]),
        "with p = 0.9 every extra thread should help a little"
    );
    let limit = amdahl_speedup(p, 1_000_000);
    assert!(
        limit < 10.0 && limit > 9.99,
        "with p = 0.9 the speed-up can never reach 1 / (1 − p) = 10; on a million threads you got {limit}"
    );
}

#[test]
fn serial_fraction_undoes_amdahl() {
    for (p, threads) in [(0.9, 4), (0.5, 2), (0.99, 64), (1.0, 8), (0.0, 3)] {
        let speedup = amdahl_speedup(p, threads);
        let got = serial_fraction(speedup, threads);
        assert!(
            (got - (1.0 - p)).abs() < 1e-9,
            "a speed-up of {speedup} on {threads} threads means a serial fraction of {}, got {got}",
            1.0 - p
        );
    }
    let got = serial_fraction(1.5, 2);
    assert!(
        close(got, 1.0 / 3.0),
        "1.5x on 2 threads: serial fraction 1/3, got {got}"
    );
}

#[test]
fn best_thread_count_from_a_measured_table() {
    let table = [(1, 10.0), (2, 5.1), (4, 2.80), (8, 2.75), (16, 3.4)];
    assert_eq!(
        best_thread_count(&table),
        Some(4),
        "8 threads took 2.75 s, 4 threads 2.80 s: within 2 %, so the fewer threads, 4"
    );
    let table = [(8, 2.0), (2, 5.0), (4, 2.5), (1, 9.0)];
    assert_eq!(
        best_thread_count(&table),
        Some(8),
        "unordered table: 8 threads are 25 % faster than 4, take 8"
    );
    let table = [(1, 1.00), (2, 1.01), (4, 1.30)];
    assert_eq!(
        best_thread_count(&table),
        Some(1),
        "when 1 thread is as fast as any, use 1"
    );
    let table = [(6, 3.0), (3, 3.05)];
    assert_eq!(
        best_thread_count(&table),
        Some(3),
        "3.05 s is within 2 % of 3.0 s: take 3 threads"
    );
    let table = [(6, 3.0), (3, 3.1)];
    assert_eq!(
        best_thread_count(&table),
        Some(6),
        "3.1 s is more than 2 % over 3.0 s: take 6 threads"
    );
    assert_eq!(
        best_thread_count(&[(12, 0.5)]),
        Some(12),
        "a table of one row"
    );
    assert_eq!(
        best_thread_count(&[]),
        None,
        "an empty table has no best thread count"
    );
}

#[test]
fn serial_fraction_on_a_grid_of_fractions_and_thread_counts() {
    for threads in [2, 3, 8, 48] {
        for tenth in 0..=10 {
            let p = f64::from(tenth) / 10.0;
            let speedup = amdahl_speedup(p, threads);
            let got = serial_fraction(speedup, threads);
            assert!(
                (got - (1.0 - p)).abs() < 1e-9,
                "a speed-up of {speedup} on {threads} threads comes from a serial fraction of {}, \
                 serial_fraction gave {got}",
                1.0 - p
            );
        }
    }
}

#[test]
fn best_thread_count_where_shortcuts_fail() {
    for (table, expected, why) in [
        (
            &[(1, 10.0), (2, 6.0), (4, 6.5), (8, 3.0), (16, 3.2)][..],
            8,
            "4 threads are slower than 2, but 8 are the fastest of all: do not stop at the first slowdown",
        ),
        (
            &[(1, 1.00), (2, 0.99), (4, 0.98), (8, 0.97), (16, 0.96)][..],
            8,
            "each row is within 2 % of the one before, but 16 threads (0.96 s) are 4 % faster than 1; \
             the 2 % is measured from the fastest time: 0.97 s is within it, 0.98 s is not",
        ),
        (
            &[(16, 2.0), (4, 2.01), (8, 2.0), (2, 4.0)][..],
            4,
            "the table is not in order of threads: 4 threads are within 2 % of the fastest (2.0 s), and \
             fewer than 8 or 16",
        ),
        (
            &[(2, 5.0), (32, 1.0), (4, 2.6), (8, 1.5), (16, 1.1)][..],
            32,
            "only 32 threads are within 2 % of the fastest time, 1.0 s",
        ),
        (
            &[(4, 3.0), (1, 3.05), (2, 3.01)][..],
            1,
            "all three rows are within 2 % of the fastest (3.0 s): the fewest threads, 1",
        ),
    ] {
        let got = best_thread_count(table);
        assert_eq!(
            got,
            Some(expected),
            "best_thread_count({table:?}) should be {expected}: {why}"
        );
    }
}
