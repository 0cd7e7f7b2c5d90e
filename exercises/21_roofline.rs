// ANCHOR: statement
//! # 21 · Roofline and Gustafson
//!
//! Two performance models of chapter 24.2, as functions: what the book's
//! `weak_scaling` and `roofline` examples compute from your measurements.
//!
//! 1. `gustafson_speedup(serial_share, threads)`: Gustafson's scaled
//!    speed-up. `serial_share` is the share s of the *parallel* run's time
//!    that is serial; the same work on one thread takes s + (1 − s)·T of it.
//! 2. `intensity(terms, bytes)`: a loop's arithmetic intensity, terms per
//!    byte moved to or from memory. A loop that moves no bytes (it computes
//!    in registers) has no finite intensity: `None`. (`terms` > 0.)
//! 3. `attainable(intensity, peak, bandwidth)`: the roofline, the most terms
//!    per second a loop of that intensity can reach on a machine whose
//!    compute roof is `peak` terms per second and whose memory delivers
//!    `bandwidth` bytes per second.
//! 4. `bound_by(intensity, peak, bandwidth)`: which roof holds the loop down.
//!    At the ridge, where the two roofs meet, and right of it: `Compute`.
//! 5. `fraction_of_model(rate, intensity, peak, bandwidth)`: a measured rate
//!    (terms per second) as a fraction of what the model allows *at its
//!    intensity*: 1 means the loop sits on its roof.
//!
//! Book: Part 5 › Performance models from your own numbers (book/part5/24-2-performance-models.md)
//! Check: `cargo workbook check 21_roofline`
// ANCHOR_END: statement

/// Which roof limits a loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Memory,
    Compute,
}

/// Gustafson's scaled speed-up on `threads` threads, `serial_share` of the parallel run serial.
pub fn gustafson_speedup(serial_share: f64, threads: u32) -> f64 {
    todo!("S_G({threads}) for s = {serial_share}")
}

/// Terms per byte; `None` when the loop moves no bytes.
pub fn intensity(terms: u64, bytes: u64) -> Option<f64> {
    todo!("the intensity of {terms} terms over {bytes} bytes")
}

/// The most terms per second the model allows at `intensity` (`None`: unbounded).
pub fn attainable(intensity: Option<f64>, peak: f64, bandwidth: f64) -> f64 {
    todo!("the roof over {intensity:?} for P = {peak}, B = {bandwidth}")
}

/// The roof that limits a loop of `intensity`.
pub fn bound_by(intensity: Option<f64>, peak: f64, bandwidth: f64) -> Bound {
    todo!("which roof is over {intensity:?} for P = {peak}, B = {bandwidth}")
}

/// `rate` as a fraction of what the model allows at `intensity`.
pub fn fraction_of_model(rate: f64, intensity: Option<f64>, peak: f64, bandwidth: f64) -> f64 {
    todo!("{rate} against the roof over {intensity:?} for P = {peak}, B = {bandwidth}")
}
