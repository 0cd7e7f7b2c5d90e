//! Checks for exercises/13_amdahl.rs.

#[path = "../13_amdahl.rs"]
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
