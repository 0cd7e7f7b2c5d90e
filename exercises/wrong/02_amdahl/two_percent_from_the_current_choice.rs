// Moves on to more threads only when they beat the current choice by more than 2 %: small gains add up past 2 % unseen.

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
    let mut rows = measured.to_vec();
    rows.sort_by_key(|&(threads, _)| threads);
    let mut best = *rows.first()?;
    for &(threads, seconds) in &rows[1..] {
        if seconds * 1.02 < best.1 {
            best = (threads, seconds);
        }
    }
    Some(best.0)
}
