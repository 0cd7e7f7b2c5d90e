//! A parallel prefix sum (a scan): not one total but every running total,
//! F_k = Δx·(f(x_0) + … + f(x_k)), the integral from a to x_{k+1} for every k.
//!
//!     cargo run --release --example scan -- --n 2e7 --threads 2 --how two-pass
//!
//! Each running total needs all the terms before it, yet it splits into
//! chunks: sum each chunk, add up the T chunk sums, then fill each chunk
//! from its offset. Twice the arithmetic of the one-pass loop, in parallel.

use clap::ValueEnum;
use parallel_workbook::{Problem, Work, chunk, cli};
use std::thread;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum How {
    /// One loop, one running sum: the sequential scan (T = 1 only)
    OnePass,
    /// Chunk sums, their offsets, then every chunk filled from its offset
    TwoPass,
}

// ANCHOR: one_pass
/// The sequential scan: one running sum, written out at every step.
/// `out[k]` ends up as Δx·Σ_{i ≤ k} f(x_i); `start` is Σ f(x_i) of the
/// points before `first`, which the two-pass scan needs for its chunks.
pub fn fill(problem: &Problem, first: u64, start: f64, out: &mut [f64]) {
    let dx = problem.dx();
    let mut running = start;
    for (i, slot) in (first..).zip(out.iter_mut()) {
        running += Problem::f(problem.x(i));
        *slot = running * dx;
    }
}
// ANCHOR_END: one_pass

// ANCHOR: two_pass
/// The scan on T threads, in three steps.
pub fn scan(problem: &Problem, threads: usize, out: &mut [f64]) {
    let n = problem.n;
    let ranges: Vec<_> = (0..threads as u64)
        .map(|k| chunk(n, threads as u64, k))
        .collect();
    // 1. In parallel: each thread sums its chunk (computing every term once).
    let sums: Vec<f64> = thread::scope(|scope| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|range| scope.spawn(|| problem.sum_f(range.clone())))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // 2. On this thread: each chunk starts from the sum of the chunks before
    //    it (an exclusive scan of T numbers, too short to split).
    let offsets: Vec<f64> = sums
        .iter()
        .scan(0.0, |before, sum| {
            let offset = *before;
            *before += sum;
            Some(offset)
        })
        .collect();
    // 3. In parallel: each thread fills its own part of `out`, computing
    //    every term a second time, from its offset.
    thread::scope(|scope| {
        let mut rest = out;
        for (range, offset) in ranges.into_iter().zip(offsets) {
            let (mine, others) = rest.split_at_mut((range.end - range.start) as usize);
            rest = others;
            scope.spawn(move || fill(problem, range.start, offset, mine));
        }
    });
}
// ANCHOR_END: two_pass

/// Runs the scan into `out` (N values) and returns the last running total:
/// the whole integral, comparable with every other example's result.
pub fn integrate(problem: &Problem, threads: usize, how: How, out: &mut [f64]) -> f64 {
    match how {
        How::OnePass => fill(problem, 0, 0.0, out),
        How::TwoPass => scan(problem, threads, out),
    }
    out[out.len() - 1]
}

#[derive(clap::Args)]
struct ScanFlags {
    /// Which scan
    #[arg(long, value_enum, default_value_t = How::TwoPass)]
    how: How,
}

fn main() {
    let (args, flags) = cli::parse::<ScanFlags>("A parallel prefix sum of the terms", 20_000_000);
    if args.work == Work::Uneven {
        // Step 3 writes every term, one at a time: it has no chunk loop to make dearer.
        cli::exit_with_error("--work uneven: scan does even work only");
    }
    if flags.how == How::OnePass && args.threads.is_some_and(|t| t != 1) {
        cli::exit_with_error("--how one-pass is the sequential scan: it runs on one thread");
    }
    let args = match flags.how {
        How::OnePass => args.with_threads(1),
        How::TwoPass => args,
    };
    // The N running totals, every page written once before the clock starts
    // (the first write to a page costs more than the scan's own).
    let len = usize::try_from(args.n()).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    if out.try_reserve_exact(len).is_err() {
        cli::exit_with_error(&format!(
            "cannot allocate {} MiB for --n {}: try a smaller --n",
            (args.n() * 8) >> 20,
            args.n()
        ));
    }
    out.resize(len, f64::NAN);
    let name = match flags.how {
        How::OnePass => "scan/one-pass",
        How::TwoPass => "scan/two-pass",
    };
    let report = args.measure(name, |problem, threads| {
        integrate(problem, threads, flags.how, &mut out)
    });
    // The running total halfway, Δx·Σ_{i < N/2} f(x_i): for [0, 10] and an
    // even N, the left sum of ∫₀⁵ x² dx = 125/3.
    let half = (args.n() / 2).max(1) as usize - 1;
    args.print(&report.with("half_way", out[half]));
}
