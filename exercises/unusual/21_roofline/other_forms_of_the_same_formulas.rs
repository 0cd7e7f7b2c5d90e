// Right, unusual: Gustafson's law as T − s·(T − 1), the roofline through an infinite slanted roof, the bound read off the roofline, the intensity as 1 / (bytes per term).

/// Which roof limits a loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Memory,
    Compute,
}

/// Gustafson's scaled speed-up on `threads` threads, `serial_share` of the parallel run serial.
pub fn gustafson_speedup(serial_share: f64, threads: u32) -> f64 {
    // T − s·(T − 1): the same law, written as the chapter's second form.
    f64::from(threads) - serial_share * (f64::from(threads) - 1.0)
}

/// Terms per byte; `None` when the loop moves no bytes.
pub fn intensity(terms: u64, bytes: u64) -> Option<f64> {
    if bytes == 0 {
        return None;
    }
    Some(1.0 / (bytes as f64 / terms as f64))
}

/// The most terms per second the model allows at `intensity` (`None`: unbounded).
pub fn attainable(intensity: Option<f64>, peak: f64, bandwidth: f64) -> f64 {
    let slanted = intensity.map_or(f64::INFINITY, |i| i * bandwidth);
    if slanted < peak { slanted } else { peak }
}

/// The roof that limits a loop of `intensity`.
pub fn bound_by(intensity: Option<f64>, peak: f64, bandwidth: f64) -> Bound {
    // The roof over the loop is the bandwidth one exactly when the slanted
    // line is still below the flat one.
    if attainable(intensity, peak, bandwidth) < peak {
        Bound::Memory
    } else {
        Bound::Compute
    }
}

/// `rate` as a fraction of what the model allows at `intensity`.
pub fn fraction_of_model(rate: f64, intensity: Option<f64>, peak: f64, bandwidth: f64) -> f64 {
    rate / attainable(intensity, peak, bandwidth)
}
