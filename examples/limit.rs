//! The limit: how fast can this machine compute this sum at all, and how
//! close does each strategy get?
//!
//!     cargo run --release --example limit -- --n 1e9
//!
//! It measures a loop of the lane kernel's operations that never waits
//! (the limit), then times every strategy and prints its time as a fraction
//! of that limit. Threads give at most ×T, lanes at most ×W, both ×T·W.

#[path = "shared/strategies.rs"]
mod strategies;

use instruments::limit::{self, Measured};
use parallel_workbook::cli;
use parallel_workbook::lanes::register_only;
use parallel_workbook::machine::default_threads;
use parallel_workbook::{Problem, timing};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args)]
struct LimitFlags {
    /// Rounds of timed runs (after one warm-up round); each row keeps its median
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    repeats: u32,
    /// Comma-separated strategies [default: all]
    #[arg(long, value_delimiter = ',')]
    strategies: Vec<String>,
    /// A program to time at T = 1 as one more row, run as `PROGRAM N A B 1`;
    /// it prints `result=R` and `time=S` (benches/sequential.c does)
    #[arg(long = "c", value_name = "PROGRAM")]
    c_programs: Vec<PathBuf>,
    /// The same at T threads (an OpenMP build of benches/sequential.c)
    #[arg(long = "c-parallel", value_name = "PROGRAM")]
    c_parallel_programs: Vec<PathBuf>,
}

// ANCHOR: mix
// The limit's loop is `lanes::register_only` (the roofline's compute roof
// too). One function of its own per chain count, so that its machine code
// can be found by name: `sh benches/loop-asm.sh target/release/examples/limit
// limit::mix_8_chains` prints the loop the 8-chain row runs.
#[inline(never)]
fn mix_1_chain(terms: u64) -> f64 {
    register_only::<1>(terms)
}
#[inline(never)]
fn mix_2_chains(terms: u64) -> f64 {
    register_only::<2>(terms)
}
#[inline(never)]
fn mix_4_chains(terms: u64) -> f64 {
    register_only::<4>(terms)
}
#[inline(never)]
fn mix_8_chains(terms: u64) -> f64 {
    register_only::<8>(terms)
}

/// The same loop for `terms` terms split over `threads` threads, as the
/// strategies split N; returns the time they took together.
fn mix_on_threads(chains: usize, threads: usize, terms: u64) -> f64 {
    let terms = terms.div_ceil(threads as u64);
    let run = move || match chains {
        1 => mix_1_chain(terms),
        2 => mix_2_chains(terms),
        4 => mix_4_chains(terms),
        _ => mix_8_chains(terms),
    };
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(move || black_box(run()));
        }
    });
    start.elapsed().as_secs_f64()
}
// ANCHOR_END: mix

/// One row of the table: something to time, at T threads.
enum Job<'a> {
    Strategy(&'a strategies::Strategy),
    Program(&'a Path),
}

struct Row<'a> {
    name: String,
    threads: usize,
    job: Job<'a>,
    times: Vec<f64>,
    result: f64,
}

impl Row<'_> {
    /// Runs the row once; returns the time it took.
    fn run_once(&mut self, problem: &Problem) -> f64 {
        match self.job {
            Job::Strategy(strategy) => {
                let start = Instant::now();
                self.result = black_box((strategy.integrate)(problem, self.threads));
                start.elapsed().as_secs_f64()
            }
            Job::Program(program) => {
                let (label, result, seconds) = limit::run_program(program, problem, self.threads)
                    .unwrap_or_else(|e| cli::exit_with_error(&e));
                (self.name, self.result) = (label, result);
                seconds
            }
        }
    }
}

/// The chain counts the limit tries.
const CHAIN_COUNTS: [usize; 4] = [1, 2, 4, 8];

fn main() {
    strategies::processes::serve_as_worker_if_asked();
    let (args, flags) = cli::parse::<LimitFlags>(
        "This machine's limit on this sum, and how close every strategy gets",
        100_000_000,
    );
    let problem = args.problem();
    let threads = args.threads();
    let busy = threads.min(default_threads());
    let mut rows = rows(&flags, threads);

    // Alternating rounds: the limit's loops and every row once per round,
    // so that a disturbance (another program, a clock change) spreads over
    // all of them alike. Round 0 warms up (first runs are slow) and is not kept.
    let mut mix_times = vec![[Vec::new(), Vec::new()]; CHAIN_COUNTS.len()];
    for round in 0..=flags.repeats {
        for (k, &chains) in CHAIN_COUNTS.iter().enumerate() {
            for (on, cores) in [1, busy].into_iter().enumerate() {
                let seconds = mix_on_threads(chains, cores, problem.n);
                if round > 0 {
                    mix_times[k][on].push(seconds);
                }
            }
        }
        for row in &mut rows {
            let seconds = row.run_once(&problem);
            if round > 0 {
                row.times.push(seconds);
            }
        }
    }

    // Terms per second of each chain count, on 1 core and on `busy` cores.
    let rates: Vec<[f64; 2]> = mix_times
        .iter_mut()
        .map(|[one, all]| {
            [
                problem.n as f64 / timing::median(one),
                problem.n as f64 / timing::median(all),
            ]
        })
        .collect();
    limit::print_limit(&problem, busy, &CHAIN_COUNTS, &rates, flags.repeats);
    let best = |on: usize| rates.iter().map(|r| r[on]).fold(0.0, f64::max);
    let limit_seconds = |threads: usize| problem.n as f64 / best(usize::from(threads > 1));
    let measured: Vec<Measured> = rows
        .iter_mut()
        .map(|row| Measured {
            name: row.name.clone(),
            threads: row.threads,
            seconds: timing::median(&mut row.times),
            result: row.result,
            outside: matches!(row.job, Job::Program(_)),
        })
        .collect();
    let reference = strategies::sequential::integrate(&problem);
    limit::print_rows(
        &measured,
        limit_seconds,
        reference,
        problem.reduction_tolerance(),
    );
}

/// Every strategy at T = 1, the parallel ones also at T; then the outside
/// programs, at T = 1 (`--c`) or T (`--c-parallel`).
fn rows(flags: &LimitFlags, threads: usize) -> Vec<Row<'_>> {
    let chosen = strategies::chosen(&flags.strategies, |_| true);
    let row = |name: String, threads, job| Row {
        name,
        threads,
        job,
        times: Vec::new(),
        result: f64::NAN,
    };
    let mut rows = Vec::new();
    for strategy in chosen {
        rows.push(row(strategy.name.to_owned(), 1, Job::Strategy(strategy)));
        if strategy.parallel && threads > 1 {
            rows.push(row(
                strategy.name.to_owned(),
                threads,
                Job::Strategy(strategy),
            ));
        }
    }
    let programs = (flags.c_programs.iter().map(|p| (p, 1)))
        .chain(flags.c_parallel_programs.iter().map(|p| (p, threads)));
    for (program, t) in programs {
        rows.push(row(program.display().to_string(), t, Job::Program(program)));
    }
    rows
}
