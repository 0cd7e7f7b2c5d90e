//! Checks for exercises/21_roofline.rs.
//!
//! Nothing here runs in parallel, so there is nothing for a model checker to
//! explore: ordinary tests, with known values of each formula and tables
//! built so that the plausible wrong formulas fail (Amdahl's law for
//! Gustafson's, the two shares swapped, bytes per term for terms per byte,
//! the higher roof for the lower, a fraction of the peak for a fraction of
//! the roof over the loop, the ridge at B / P, no bytes read as intensity 0).
//! The machines in the tables are made up, with round numbers, so that the
//! ridge falls on an exact intensity.

#[path = "../21_roofline.rs"]
mod exercise;

use exercise::{Bound, attainable, bound_by, fraction_of_model, gustafson_speedup, intensity};

fn close(got: f64, expected: f64) -> bool {
    (got - expected).abs() <= 1e-12 * expected.abs().max(1.0)
}

/// A compute roof of 8·10⁹ terms/s and memory of 2·10⁹ bytes/s: ridge at 4 terms per byte.
const PEAK: f64 = 8e9;
const BANDWIDTH: f64 = 2e9;

#[test]
fn gustafson_at_known_points() {
    for (s, threads, expected, why) in [
        (
            0.0,
            8,
            8.0,
            "no serial share: T times the work in the same time",
        ),
        (1.0, 8, 1.0, "all serial: no gain"),
        (0.1, 2, 1.9, "0.1 + 0.9 × 2"),
        (
            0.1,
            16,
            14.5,
            "0.1 + 0.9 × 16: it grows with T, far past Amdahl's 1 / 0.1 = 10",
        ),
        (0.25, 4, 3.25, "0.25 + 0.75 × 4"),
        (0.5, 1, 1.0, "one thread is the same run"),
    ] {
        let got = gustafson_speedup(s, threads);
        assert!(
            close(got, expected),
            "gustafson_speedup({s}, {threads}) = {got}, expected {expected}: {why}"
        );
    }
}

#[test]
fn gustafson_grows_without_the_amdahl_ceiling() {
    let on_1000 = gustafson_speedup(0.1, 1000);
    assert!(
        close(on_1000, 900.1),
        "with s = 0.1 the scaled speed-up on 1000 threads is 0.1 + 0.9 × 1000 = 900.1, got {on_1000}: \
         the grown problem has no ceiling of 1 / s"
    );
}

#[test]
fn intensity_is_terms_per_byte() {
    for (terms, bytes, expected) in [
        (1, 8, 0.125),
        (1_000, 8_000, 0.125),
        (4, 1, 4.0),
        (3, 2, 1.5),
    ] {
        let got = intensity(terms, bytes);
        assert!(
            got.is_some_and(|got| close(got, expected)),
            "intensity({terms}, {bytes}) = {got:?}, expected Some({expected}): terms divided by bytes"
        );
    }
    assert_eq!(
        intensity(1_000, 0),
        None,
        "a loop that moves no bytes has no finite intensity: None"
    );
}

#[test]
fn the_roofline_takes_the_lower_roof() {
    for (i, expected, why) in [
        (
            Some(0.125),
            0.25e9,
            "8 bytes a term: 2·10⁹ B/s × 0.125 = 2.5·10⁸ terms/s, under the slanted roof",
        ),
        (
            Some(1.0),
            2e9,
            "1 term a byte: the slanted roof, 2·10⁹ terms/s",
        ),
        (Some(4.0), 8e9, "at the ridge both roofs give 8·10⁹"),
        (
            Some(16.0),
            8e9,
            "right of the ridge: the compute roof, 8·10⁹",
        ),
        (
            None,
            8e9,
            "no bytes moved: only the compute roof limits the loop",
        ),
    ] {
        let got = attainable(i, PEAK, BANDWIDTH);
        assert!(
            close(got, expected),
            "attainable({i:?}, P = 8e9, B = 2e9) = {got}, expected {expected}: {why}"
        );
    }
}

#[test]
fn which_roof_holds_the_loop_down() {
    for (i, expected, why) in [
        (
            Some(0.125),
            Bound::Memory,
            "0.125 terms a byte is far left of the ridge at P / B = 4",
        ),
        (
            Some(2.0),
            Bound::Memory,
            "2 terms a byte is left of the ridge at 4 (and right of B / P = 0.25)",
        ),
        (Some(3.99), Bound::Memory, "just left of the ridge at 4"),
        (
            Some(4.0),
            Bound::Compute,
            "at the ridge: Compute, as the statement says",
        ),
        (Some(64.0), Bound::Compute, "far right of the ridge"),
        (
            None,
            Bound::Compute,
            "no bytes moved: only computing can limit it",
        ),
    ] {
        let got = bound_by(i, PEAK, BANDWIDTH);
        assert_eq!(got, expected, "bound_by({i:?}, P = 8e9, B = 2e9): {why}");
    }
    // Another machine, where memory is faster than computing (ridge 0.5).
    let got = bound_by(Some(1.0), 1e9, 2e9);
    assert_eq!(
        got,
        Bound::Compute,
        "P = 1e9 terms/s, B = 2e9 bytes/s: the ridge is at P / B = 0.5, so 1 term a byte is compute-bound"
    );
}

#[test]
fn the_fraction_is_of_the_roof_over_the_loop() {
    for (rate, i, expected, why) in [
        (
            0.25e9,
            Some(0.125),
            1.0,
            "a loop at 8 bytes a term running at 2.5·10⁸ terms/s sits on its slanted roof",
        ),
        (
            0.125e9,
            Some(0.125),
            0.5,
            "half of the slanted roof at its intensity",
        ),
        (
            4e9,
            None,
            0.5,
            "a loop in registers at half the compute roof",
        ),
        (
            6e9,
            Some(16.0),
            0.75,
            "right of the ridge the compute roof is over it",
        ),
        (1e9, Some(1.0), 0.5, "at 1 term a byte the roof is 2·10⁹"),
    ] {
        let got = fraction_of_model(rate, i, PEAK, BANDWIDTH);
        assert!(
            close(got, expected),
            "fraction_of_model({rate}, {i:?}, P = 8e9, B = 2e9) = {got}, expected {expected}: {why}"
        );
    }
}
