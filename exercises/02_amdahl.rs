// ANCHOR: statement
//! # 13 · Amdahl's law
//!
//! If a fraction `p` of a program's running time can run in parallel and the
//! rest cannot, T threads make it at most this much faster:
//!
//!     S(T) = 1 / ((1 − p) + p / T)
//!
//! 1. `amdahl_speedup(p, threads)`: the formula.
//! 2. `serial_fraction(speedup, threads)`: the other way round. You measured
//!    a speed-up S on T > 1 threads; which serial fraction 1 − p explains it?
//!    Solve the formula for 1 − p. (The answer is known as the Karp–Flatt
//!    metric; chapter 24 uses it to read a measured sweep.)
//! 3. `best_thread_count(measured)`: from a table of (threads, seconds), in
//!    any order, pick the thread count to use. Take the fastest; but if fewer
//!    threads come within 2 % of the fastest time (seconds ≤ 1.02 × fastest),
//!    take the fewest such threads: the extra cores buy nothing. An empty
//!    table has no answer.
//!
//! Book: Part 1 › Not everything parallelizes (book/part1/03-amdahl-and-overheads.md)
//! Check: `cargo workbook check 02_amdahl`
// ANCHOR_END: statement

/// The speed-up on `threads` threads when a fraction `p` of the work is parallel.
pub fn amdahl_speedup(p: f64, threads: u32) -> f64 {
    todo!("S({threads}) for p = {p}")
}

/// The serial fraction 1 − p that makes Amdahl's law give `speedup` on `threads` (> 1) threads.
pub fn serial_fraction(speedup: f64, threads: u32) -> f64 {
    todo!("1 − p for a speed-up of {speedup} on {threads} threads")
}

/// The fewest threads whose time is within 2 % of the fastest time in `measured`.
pub fn best_thread_count(measured: &[(u32, f64)]) -> Option<u32> {
    todo!("pick from {measured:?}")
}
