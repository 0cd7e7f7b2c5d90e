// Swaps the two shares in Gustafson's law: (1 − s) + s·T.

/// Which roof limits a loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Memory,
    Compute,
}

/// Gustafson's scaled speed-up on `threads` threads, `serial_share` of the parallel run serial.
pub fn gustafson_speedup(serial_share: f64, threads: u32) -> f64 {
    let t = f64::from(threads);
    (1.0 - serial_share) + serial_share * t
}

/// Terms per byte; `None` when the loop moves no bytes.
pub fn intensity(terms: u64, bytes: u64) -> Option<f64> {
    (bytes > 0).then(|| terms as f64 / bytes as f64)
}

/// The most terms per second the model allows at `intensity` (`None`: unbounded).
pub fn attainable(intensity: Option<f64>, peak: f64, bandwidth: f64) -> f64 {
    match intensity {
        Some(i) => peak.min(i * bandwidth),
        None => peak,
    }
}

/// The roof that limits a loop of `intensity`.
pub fn bound_by(intensity: Option<f64>, peak: f64, bandwidth: f64) -> Bound {
    match intensity {
        Some(i) if i < peak / bandwidth => Bound::Memory,
        _ => Bound::Compute,
    }
}

/// `rate` as a fraction of what the model allows at `intensity`.
pub fn fraction_of_model(rate: f64, intensity: Option<f64>, peak: f64, bandwidth: f64) -> f64 {
    rate / attainable(intensity, peak, bandwidth)
}
