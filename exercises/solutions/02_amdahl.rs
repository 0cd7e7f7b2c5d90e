//! # 13 · Amdahl's law (solution)
//!
//! From S = 1 / ((1 − p) + p/T): 1/S = s + (1 − s)/T with s = 1 − p, so
//! s = (1/S − 1/T) / (1 − 1/T) (the Karp–Flatt metric).

/// The speed-up on `threads` threads when a fraction `p` of the work is parallel.
pub fn amdahl_speedup(p: f64, threads: u32) -> f64 {
    1.0 / ((1.0 - p) + p / f64::from(threads))
}

/// The serial fraction 1 − p that makes Amdahl's law give `speedup` on `threads` (> 1) threads.
pub fn serial_fraction(speedup: f64, threads: u32) -> f64 {
    let t = f64::from(threads);
    (1.0 / speedup - 1.0 / t) / (1.0 - 1.0 / t)
}

/// The fewest threads whose time is within 2 % of the fastest time in `measured`.
pub fn best_thread_count(measured: &[(u32, f64)]) -> Option<u32> {
    let fastest = measured
        .iter()
        .map(|&(_, seconds)| seconds)
        .reduce(f64::min)?;
    measured
        .iter()
        .filter(|&&(_, seconds)| seconds <= 1.02 * fastest)
        .map(|&(threads, _)| threads)
        .min()
}
