// Right, unusual: the serial fraction as (T/S − 1)/(T − 1), and the table sorted by threads before the first row within 2 % of the fastest is taken.

/// The speed-up on `threads` threads when a fraction `p` of the work is parallel.
pub fn amdahl_speedup(p: f64, threads: u32) -> f64 {
    1.0 / ((1.0 - p) + p / f64::from(threads))
}

/// The serial fraction 1 − p that makes Amdahl's law give `speedup` on `threads` (> 1) threads.
pub fn serial_fraction(speedup: f64, threads: u32) -> f64 {
    let t = f64::from(threads);
    (t / speedup - 1.0) / (t - 1.0)
}

/// The fewest threads whose time is within 2 % of the fastest time in `measured`.
pub fn best_thread_count(measured: &[(u32, f64)]) -> Option<u32> {
    let mut rows = measured.to_vec();
    rows.sort_by_key(|&(threads, _)| threads);
    let fastest = rows.iter().map(|row| row.1).fold(f64::INFINITY, f64::min);
    rows.into_iter()
        .find(|&(_, seconds)| seconds / fastest <= 1.02)
        .map(|(threads, _)| threads)
}
