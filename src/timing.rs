//! Timing a computation the way the sweeps do: one warm-up run, then the
//! median of several timed runs.

use std::time::Instant;

// ANCHOR: median_seconds
/// Runs `work` once untimed (first touches of memory and code are slow), then
/// `repeats` times timed (at least once). Returns the median time in seconds
/// and what the last run returned. The median, unlike the mean, does not move
/// when one run is disturbed by another program.
pub fn median_seconds<R>(repeats: u32, mut work: impl FnMut() -> R) -> (f64, R) {
    let mut result = std::hint::black_box(work());
    let mut times: Vec<f64> = (0..repeats.max(1))
        .map(|_| {
            let start = Instant::now();
            result = std::hint::black_box(work());
            start.elapsed().as_secs_f64()
        })
        .collect();
    (median(&mut times), result)
}
// ANCHOR_END: median_seconds

/// The middle value of `times` once sorted (the upper middle one for an even
/// count). `times` must not be empty.
pub fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_value_whatever_the_order() {
        assert_eq!(median(&mut [3.0]), 3.0);
        assert_eq!(median(&mut [5.0, 1.0, 3.0]), 3.0);
        assert_eq!(median(&mut [0.1, 9.0, 0.2, 0.3, 0.2]), 0.2);
        // One disturbed run moves the mean, not the median.
        assert_eq!(median(&mut [1.0, 1.0, 100.0]), 1.0);
        // An even count: the upper of the two middle values.
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 3.0);
    }

    #[test]
    fn warms_up_once_then_times_each_repeat_and_returns_the_last_result() {
        let mut calls = 0;
        let (seconds, last) = median_seconds(5, || {
            calls += 1;
            calls
        });
        assert_eq!(calls, 6, "one warm-up run and five timed runs");
        assert_eq!(last, 6);
        assert!(seconds.is_finite() && seconds >= 0.0);
    }

    #[test]
    fn zero_repeats_still_times_one_run() {
        let mut calls = 0;
        let (seconds, _) = median_seconds(0, || calls += 1);
        assert_eq!(calls, 2);
        assert!(seconds >= 0.0);
    }
}
