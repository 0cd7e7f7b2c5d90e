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

use parallel_workbook::cli::{self, default_threads, format_seconds};
use parallel_workbook::lanes::{FUSED, WIDTH, add_square};
use parallel_workbook::{Problem, machine, timing};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
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
/// The lane kernel's work with nothing else: `CHAINS` registers of `WIDTH`
/// lanes, each doing per term what `sum_f_lanes` does (a multiplication and
/// an addition, `add_square`, an exact addition), for `terms` terms.
/// No memory, no chunk edges, no tail: with enough chains no operation ever
/// waits for another, so this is as fast as this core runs this mix (if the
/// compiler keeps the sums in registers: chapter 24 shows a build where, at
/// 8 chains, it does not).
#[inline(always)]
fn mix<const CHAINS: usize>(terms: u64) -> f64 {
    let (a, d) = (black_box(1.0), black_box(1e-9));
    let mut index: [[f64; WIDTH]; CHAINS] =
        std::array::from_fn(|chain| std::array::from_fn(|lane| (chain * WIDTH + lane) as f64));
    let mut sums = [[0.0; WIDTH]; CHAINS];
    for _ in 0..terms / (CHAINS * WIDTH) as u64 {
        for chain in 0..CHAINS {
            for lane in 0..WIDTH {
                let x = a + index[chain][lane] * d;
                sums[chain][lane] = add_square(sums[chain][lane], x);
                index[chain][lane] += (CHAINS * WIDTH) as f64;
            }
        }
    }
    sums.iter().flatten().sum()
}

// One function of its own per chain count, so that its machine code can be
// found by name: `sh benches/loop-asm.sh target/release/examples/limit
// limit::mix_8_chains` prints the loop the 8-chain row runs.
#[inline(never)]
fn mix_1_chain(terms: u64) -> f64 {
    mix::<1>(terms)
}
#[inline(never)]
fn mix_2_chains(terms: u64) -> f64 {
    mix::<2>(terms)
}
#[inline(never)]
fn mix_4_chains(terms: u64) -> f64 {
    mix::<4>(terms)
}
#[inline(never)]
fn mix_8_chains(terms: u64) -> f64 {
    mix::<8>(terms)
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
                let (label, result, seconds) = run_program(program, problem, self.threads)
                    .unwrap_or_else(|e| cli::exit_with_error(&e));
                (self.name, self.result) = (label, result);
                seconds
            }
        }
    }
}

/// Runs `PROGRAM N A B T` and reads `result=` and `time=` from what it
/// prints; returns the text before ` N=` as its name, the result, the time.
fn run_program(
    program: &Path,
    problem: &Problem,
    threads: usize,
) -> Result<(String, f64, f64), String> {
    let shown = program.display();
    let output = Command::new(program)
        .args([
            problem.n.to_string(),
            problem.a.to_string(),
            problem.b.to_string(),
            threads.to_string(),
        ])
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "{shown} failed: {}",
            stderr.lines().next().unwrap_or("no message")
        ));
    }
    let field = |key: &str| -> Option<f64> {
        let start = stdout.find(key)? + key.len();
        stdout[start..].split_whitespace().next()?.parse().ok()
    };
    let (Some(result), Some(time)) = (field("result="), field("time=")) else {
        return Err(format!(
            "{shown} printed no `result=... time=...`: {}",
            stdout.trim()
        ));
    };
    let label = stdout.split(" N=").next().unwrap_or("C").trim().to_owned();
    Ok((label, result, time))
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
    print_limit(&problem, busy, &rates, flags.repeats);
    let best = |on: usize| rates.iter().map(|r| r[on]).fold(0.0, f64::max);
    let limit_seconds = |threads: usize| problem.n as f64 / best(usize::from(threads > 1));
    print_rows(&problem, &mut rows, limit_seconds);
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

fn print_limit(problem: &Problem, busy: usize, rates: &[[f64; 2]], repeats: u32) {
    let (cpu, build) = (machine::cpu_simd(), machine::build_simd());
    println!(
        "machine: {}, {} cores",
        machine::cpu_model().unwrap_or_else(|| "unknown CPU".into()),
        default_threads()
    );
    println!("SIMD: the CPU has {cpu}; this build uses {build}");
    if build.width < cpu.width || build.fma != cpu.fma {
        println!("  (this build cannot reach the CPU's limit: build with `-C target-cpu=native`)");
    }
    println!(
        "kernel: per term {}, each instruction on W = {WIDTH} terms",
        if FUSED {
            "4 operations (exact add, multiply, add, FMA)"
        } else {
            "5 operations (exact add, multiply, add, multiply, add)"
        }
    );
    println!("the limit: those operations in registers only, 10⁹ terms per second");
    let on_busy = format!("{busy} cores");
    println!("{:>8} {:>8} {on_busy:>9}", "chains", "1 core");
    for (chains, rate) in CHAIN_COUNTS.iter().zip(rates) {
        println!("{chains:>8} {:>8.2} {:>9.2}", rate[0] / 1e9, rate[1] / 1e9);
    }
    let best = |on: usize| rates.iter().map(|r| r[on]).fold(0.0, f64::max);
    println!(
        "N = {}: the limit is {} on 1 core, {} on {busy}; each time below is the median of {repeats} alternating rounds",
        problem.n,
        format_seconds(problem.n as f64 / best(0)),
        format_seconds(problem.n as f64 / best(1)),
    );
}

/// The table: each row's median time, against its own T = 1 and against
/// the limit; then each outside program against the fastest strategy at
/// its T; then whether every result agrees with the sequential sum.
fn print_rows(problem: &Problem, rows: &mut [Row], limit_seconds: impl Fn(usize) -> f64) {
    println!();
    println!(
        "{:<34} {:>3} {:>10} {:>7} {:>10} {:>9}",
        "program", "T", "time", "vs T=1", "limit", "of limit"
    );
    let medians: Vec<f64> = rows
        .iter_mut()
        .map(|r| timing::median(&mut r.times))
        .collect();
    let median_of = |name: &str, threads: usize| {
        rows.iter()
            .zip(&medians)
            .find(|(r, _)| r.name == name && r.threads == threads)
            .map(|(_, &t)| t)
    };
    for (row, &seconds) in rows.iter().zip(&medians) {
        let vs_one = median_of(&row.name, 1)
            .map_or_else(|| "-".to_owned(), |t| format!("{:.2}x", t / seconds));
        let limit = limit_seconds(row.threads);
        println!(
            "{:<34} {:>3} {:>10} {:>7} {:>10} {:>9.2}",
            row.name,
            row.threads,
            format_seconds(seconds),
            vs_one,
            format_seconds(limit),
            limit / seconds
        );
    }
    for (row, &seconds) in rows.iter().zip(&medians) {
        if matches!(row.job, Job::Strategy(_)) {
            continue;
        }
        let fastest = rows
            .iter()
            .zip(&medians)
            .filter(|(r, _)| matches!(r.job, Job::Strategy(_)) && r.threads == row.threads)
            .min_by(|(_, a), (_, b)| a.total_cmp(b));
        if let Some((rust, &rust_seconds)) = fastest {
            println!(
                "at T={}: {} is {:.2}x as fast as {}",
                row.threads,
                rust.name,
                seconds / rust_seconds,
                row.name
            );
        }
    }
    let reference = strategies::sequential::integrate(problem);
    let (difference, worst) = rows
        .iter()
        .map(|r| ((r.result - reference).abs(), r))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .expect("at least one row");
    let tolerance = problem.reduction_tolerance();
    println!();
    println!(
        "largest difference from sequential's result: {difference:.1e} ({} T={}); reduction_tolerance {tolerance:.1e}: {}",
        worst.name,
        worst.threads,
        if difference <= tolerance {
            "all agree"
        } else {
            "NOT ALL AGREE"
        }
    );
}
