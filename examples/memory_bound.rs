//! Memory-bound: the same sum, over values read from an array larger than
//! the last-level cache, instead of computed on the spot.
//!
//!     cargo run --release --example memory_bound -- --threads 2 --compare
//!
//! Look at the bandwidth it reports, and at how it scales with --threads
//! next to `fast_parallel` (the `scaling` sweep puts the two side by side).
//!
//! Also a module of examples/shared/strategies.rs (scaling, compare, benches, tests).

use parallel_workbook::lanes::LANES;
use parallel_workbook::{Args, Problem, chunk, cli, machine};
use std::thread;

/// The array is this many times the last-level cache, so that at most a
/// small part of it can be in the cache when the sum starts.
pub const CACHE_MULTIPLE: u64 = 4;

/// The default N: a `Vec<f64>` of `CACHE_MULTIPLE` times the last-level
/// cache (256 MiB of cache assumed where the system does not say).
pub fn default_n() -> u64 {
    let cache = machine::last_level_cache().map_or(256 << 20, |c| c.bytes);
    CACHE_MULTIPLE * cache / size_of::<f64>() as u64
}

/// f(x_i) for every point, computed once before any timing starts. An
/// error (one line) when the machine cannot give that much memory.
pub fn samples(problem: &Problem) -> Result<Vec<f64>, String> {
    let refused = || {
        format!(
            "cannot allocate {} MiB for --n {}: try a smaller --n",
            array_mib(problem.n),
            problem.n
        )
    };
    let len = usize::try_from(problem.n).map_err(|_| refused())?;
    let mut values = Vec::new();
    values.try_reserve_exact(len).map_err(|_| refused())?;
    values.extend((0..problem.n).map(|i| Problem::f(problem.x(i))));
    Ok(values)
}

// ANCHOR: integrate
/// Σ values, with the running sums of the lane kernel: the additions are
/// not what limits this loop, so the time is the time to read the values.
pub fn sum_stored(values: &[f64]) -> f64 {
    let mut sums = [0.0; LANES];
    let mut rounds = values.chunks_exact(LANES);
    for round in &mut rounds {
        for (sum, value) in sums.iter_mut().zip(round) {
            *sum += value;
        }
    }
    sums.iter().sum::<f64>() + rounds.remainder().iter().sum::<f64>()
}

/// The integral from the stored values: one chunk of the array per thread,
/// as in `fast_parallel`, but each term is a load from memory (8 bytes)
/// instead of four operations on registers.
pub fn integrate(values: &[f64], dx: f64, threads: usize) -> f64 {
    let n = values.len() as u64;
    let mut partial_sums = vec![0.0; threads];
    thread::scope(|scope| {
        for (k, slot) in partial_sums.iter_mut().enumerate() {
            let range = chunk(n, threads as u64, k as u64);
            let part = &values[range.start as usize..range.end as usize];
            scope.spawn(move || *slot = sum_stored(part));
        }
    });
    partial_sums.iter().sum::<f64>() * dx
}
// ANCHOR_END: integrate

/// The size of an array of N values, in MiB.
pub fn array_mib(n: u64) -> u64 {
    (n * size_of::<f64>() as u64) >> 20
}

/// Bytes read per second, in GB/s (10⁹ bytes), for N values in `seconds`.
pub fn gigabytes_per_second(n: u64, seconds: f64) -> f64 {
    (n * size_of::<f64>() as u64) as f64 / seconds / 1e9
}

fn main() {
    let args = Args::parse(
        "The sum over values stored in a large array: limited by memory",
        default_n(),
    );
    let problem = args.problem();
    let values = samples(&problem).unwrap_or_else(|e| cli::exit_with_error(&e));
    let report = args.measure("memory_bound", |problem, threads| {
        integrate(&values, problem.dx(), threads)
    });
    let cache = machine::last_level_cache();
    let bandwidth = gigabytes_per_second(problem.n, report.seconds);
    let report = report
        .with("array_mib", array_mib(problem.n))
        .with("last_level_cache_mib", cache.map(|c| c.bytes >> 20))
        .with("gb_per_s", (bandwidth * 10.0).round() / 10.0);
    args.print(&report);
}
