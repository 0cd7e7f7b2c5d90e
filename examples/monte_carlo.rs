//! Monte-Carlo: the integral as (b − a) times the mean of f at N random
//! points, with one seeded random-number stream per thread.
//!
//!     cargo run --release --example monte_carlo -- --n 1e8 --threads 2 --compare
//!     cargo run --release --example monte_carlo -- --n 1e7 --threads 2 --streams shared
//!
//! Run it twice: the same seed and T give the same bits. `--streams shared`
//! (one generator behind a lock) is slow and changes from run to run;
//! `--streams cloned` (the same stream in every thread) repeats its samples.

use clap::ValueEnum;
use parallel_workbook::timeline::Track;
use parallel_workbook::{Problem, chunk, cli};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::ops::Range;
use std::sync::Mutex;
use std::thread;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Streams {
    /// Thread k draws from stream k of the seeded generator: its own numbers
    PerThread,
    /// One generator behind a Mutex, locked for every sample
    Shared,
    /// Every thread starts the same seeded generator: the same numbers in each
    Cloned,
}

/// Σ f(x) and Σ f(x)² over the samples of one thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sums {
    pub f: f64,
    pub f_squared: f64,
}

impl Sums {
    fn add(mut self, value: f64) -> Sums {
        self.f += value;
        self.f_squared += value * value;
        self
    }
}

// ANCHOR: streams
/// The generator of thread `k`: the seed picks a generator, the stream a
/// sequence of 2⁶⁴ blocks of numbers that no other stream ever produces.
pub fn stream(seed: u64, k: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(k);
    rng
}

/// One thread's share: `samples.len()` points drawn from `draw`.
fn sample(problem: &Problem, samples: Range<u64>, mut draw: impl FnMut() -> f64) -> Sums {
    let width = problem.b - problem.a;
    samples.fold(Sums::default(), |sums, _| {
        sums.add(Problem::f(problem.a + width * draw()))
    })
}

/// The sums over N samples, split over T threads.
pub fn sums(problem: &Problem, threads: usize, streams: Streams, seed: u64) -> Sums {
    let shared = Mutex::new(stream(seed, 0));
    let shared = &shared;
    let parts: Vec<Sums> = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads as u64)
            .map(|k| {
                let samples = chunk(problem.n, threads as u64, k);
                scope.spawn(move || {
                    Track::start().chunk(samples, |samples| match streams {
                        Streams::PerThread => {
                            let mut rng = stream(seed, k);
                            sample(problem, samples, || rng.random::<f64>())
                        }
                        Streams::Cloned => {
                            let mut rng = stream(seed, 0); // the bug: every k gets stream 0
                            sample(problem, samples, || rng.random::<f64>())
                        }
                        Streams::Shared => {
                            sample(problem, samples, || shared.lock().unwrap().random::<f64>())
                        }
                    })
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    parts.iter().fold(Sums::default(), |all, part| Sums {
        f: all.f + part.f,
        f_squared: all.f_squared + part.f_squared,
    })
}
// ANCHOR_END: streams

/// The estimate (b − a)·mean(f), and its standard error (b − a)·σ/√N, which
/// holds only if the N samples are independent.
pub fn estimate(problem: &Problem, sums: Sums) -> (f64, f64) {
    let n = problem.n as f64;
    let width = problem.b - problem.a;
    let mean = sums.f / n;
    let variance = (sums.f_squared / n - mean * mean).max(0.0);
    (width * mean, width * (variance / n).sqrt())
}

#[derive(clap::Args)]
struct MonteCarloFlags {
    /// Where each thread's random numbers come from
    #[arg(long, value_enum, default_value_t = Streams::PerThread)]
    streams: Streams,
    /// The seed: the same seed, N and T give the same result
    #[arg(long, default_value_t = 2024)]
    seed: u64,
}

fn main() {
    let (args, flags) = cli::parse::<MonteCarloFlags>(
        "Monte-Carlo integration with one random stream per thread",
        100_000_000,
    );
    let mut std_error = 0.0;
    let name = match flags.streams {
        Streams::PerThread => "monte_carlo/per-thread",
        Streams::Shared => "monte_carlo/shared",
        Streams::Cloned => "monte_carlo/cloned",
    };
    let report = args.measure(name, |problem, threads| {
        let (value, error) = estimate(problem, sums(problem, threads, flags.streams, flags.seed));
        std_error = error;
        value
    });
    args.print(&report.with("std_error", std_error).with("seed", flags.seed));
}
