//! The speed-up sweep: every strategy at T = 1, 2, 4, … up to twice the core
//! count, each point the median of several runs.
//!
//!     cargo run --release --example scaling -- --n 1e8 --out target/scaling
//!
//! Prints a table (time, speed-up, efficiency; * marks each strategy's best T),
//! then a second one: a memory-bound sum next to the compute-bound
//! `fast_parallel` at the same N. Writes scaling.csv, scaling.json and
//! scaling.svg to --out. With `--work uneven`, later terms cost more (see
//! parallel_workbook::work): a static split falls behind a queue or rayon.

#[path = "shared/strategies.rs"]
mod strategies;

use instruments::progress::Sweep;
use instruments::scaling::{self, MemoryPoint, Outputs, Point};
use parallel_workbook::cli;
use parallel_workbook::machine::default_threads;
use parallel_workbook::{Problem, Work, timing, work};
use std::path::PathBuf;
use std::time::Instant;
use strategies::{Strategy, fast_parallel, memory_bound};

#[derive(clap::Args)]
struct ScalingFlags {
    /// Runs per point; the median is kept
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    repeats: u32,
    /// Largest T to try [default: twice the number of cores]
    #[arg(long, value_parser = cli::parse_threads)]
    max_threads: Option<usize>,
    /// Comma-separated strategies [default: all per-chunk ones]
    #[arg(long, value_delimiter = ',')]
    strategies: Vec<String>,
    /// Directory for scaling.csv, scaling.json and scaling.svg
    #[arg(long, default_value = "target/scaling")]
    out: PathBuf,
    /// Points (8 bytes each) in the memory-bound table's array [default: 4x the last-level cache]
    #[arg(long, value_parser = cli::parse_count)]
    memory_n: Option<u64>,
    /// Leave out the memory-bound table
    #[arg(long)]
    no_memory: bool,
}

// ANCHOR: sweep
/// T = 1, 2, 4, 8, … up to `max`, plus `cores` and `max` themselves.
fn thread_counts(cores: usize, max: usize) -> Vec<usize> {
    let mut counts: Vec<usize> = std::iter::successors(Some(1), |t| Some(t * 2))
        .take_while(|&t| t <= max)
        .chain([cores.min(max), max])
        .collect();
    counts.sort_unstable();
    counts.dedup();
    counts
}

/// The median time of `repeats` runs of one strategy at T threads, after one
/// untimed warm-up run: the library's `timing::median_seconds`.
fn median_seconds(strategy: &Strategy, problem: &Problem, threads: usize, repeats: u32) -> f64 {
    timing::median_seconds(repeats, || (strategy.integrate)(problem, threads)).0
}
// ANCHOR_END: sweep

/// The fewest timed rounds per point of the memory table: each run takes
/// tens of milliseconds, so a few more cost little and steady the medians.
const MEMORY_REPEATS: u32 = 11;

// ANCHOR: memory
/// `memory_bound` (reads 8 bytes per term) and `fast_parallel` (computes
/// each term in registers) at every T, timed in alternation so that a
/// disturbance hits both; speed-ups are against each one's own T = 1.
/// `repeats` is at least [`MEMORY_REPEATS`]: these runs are short.
fn memory_table(
    problem: &Problem,
    counts: &[usize],
    repeats: u32,
    progress: &Sweep,
) -> Vec<MemoryPoint> {
    let values = memory_bound::samples(problem).unwrap_or_else(|e| cli::exit_with_error(&e));
    let dx = problem.dx();
    let mut rows: Vec<MemoryPoint> = Vec::new();
    for &threads in counts {
        progress.now(&format!("memory_bound and fast_parallel T={threads}"));
        let (mut memory, mut compute) = (Vec::new(), Vec::new());
        for round in 0..=repeats.max(MEMORY_REPEATS) {
            let start = Instant::now();
            std::hint::black_box(memory_bound::integrate(&values, dx, threads));
            let memory_time = start.elapsed().as_secs_f64();
            let start = Instant::now();
            std::hint::black_box(fast_parallel::integrate(problem, threads));
            let compute_time = start.elapsed().as_secs_f64();
            if round > 0 {
                // Round 0 warms up: first touches of code and pages are slow.
                memory.push(memory_time);
                compute.push(compute_time);
            }
        }
        progress.skip(u64::from(repeats.max(MEMORY_REPEATS)));
        let (memory, compute) = (timing::median(&mut memory), timing::median(&mut compute));
        let (memory_one, compute_one) = rows
            .first()
            .map_or((memory, compute), |r| (r.memory_seconds, r.compute_seconds));
        rows.push(MemoryPoint {
            threads,
            memory_seconds: memory,
            memory_gb_per_s: memory_bound::gigabytes_per_second(problem.n, memory),
            memory_speedup: memory_one / memory,
            compute_seconds: compute,
            compute_speedup: compute_one / compute,
        });
    }
    rows
}
// ANCHOR_END: memory

fn main() {
    strategies::processes::serve_as_worker_if_asked();
    let (args, flags) =
        cli::parse::<ScalingFlags>("Speed-up of every strategy over T", 100_000_000);
    args.refuse_timeline("scaling");
    let problem = args.problem();
    let cores = default_threads();
    let max = flags.max_threads.unwrap_or(2 * cores);
    let chosen = strategies::chosen(&flags.strategies, |s| s.parallel);
    let counts = thread_counts(cores, max);
    // The memory table compares even work (one stored value or one computed
    // term each): with `--work uneven` it is left out.
    let memory_problem = (!flags.no_memory && args.work == Work::Even).then(|| {
        let n = flags.memory_n.unwrap_or_else(memory_bound::default_n);
        Problem::new(problem.a, problem.b, n)
            .unwrap_or_else(|e| cli::exit_with_error(&format!("--memory-n: {e}")))
    });
    let memory_runs = if memory_problem.is_some() {
        counts.len() as u64 * u64::from(flags.repeats.max(MEMORY_REPEATS))
    } else {
        0
    };
    let total_runs =
        (counts.len() * chosen.len() + 1) as u64 * u64::from(flags.repeats) + memory_runs;
    let progress = Sweep::new(total_runs);
    let measured =
        |what: &str, seconds: f64| progress.measured(what, seconds, flags.repeats.into());

    // The baseline every speed-up is measured against: the sequential loop,
    // or with uneven work the same loop with uneven cost (`sum_f` over all N).
    progress.now("sequential");
    let baseline = match args.work {
        Work::Even => {
            let sequential = strategies::find("sequential").expect("sequential is in the table");
            median_seconds(sequential, &problem, 1, flags.repeats)
        }
        Work::Uneven => {
            let one_loop = || problem.sum_f(0..problem.n) * problem.dx();
            timing::median_seconds(flags.repeats, one_loop).0
        }
    };
    measured("sequential", baseline);

    let mut points = Vec::new();
    let mut even_only = Vec::new();
    for strategy in &chosen {
        let first = points.len();
        work::take_uneven_kernel_ran();
        for &threads in &counts {
            progress.now(&format!("{} T={threads}", strategy.name));
            let seconds = median_seconds(strategy, &problem, threads, flags.repeats);
            measured(&format!("{} T={threads}", strategy.name), seconds);
            if args.work == Work::Uneven && !work::take_uneven_kernel_ran() {
                // Its loop does not use the uneven kernel: leave it out.
                even_only.push(strategy.name);
                progress.skip(u64::from(flags.repeats) * (counts.len() - 1) as u64);
                break;
            }
            points.push(Point {
                strategy: strategy.name.to_owned(),
                threads,
                median_seconds: seconds,
                speedup: baseline / seconds,
                efficiency: baseline / seconds / threads as f64,
                best: false,
            });
        }
        if points.len() == first {
            continue;
        }
        let best = (first..points.len())
            .min_by(|&i, &j| {
                points[i]
                    .median_seconds
                    .total_cmp(&points[j].median_seconds)
            })
            .expect("at least one thread count");
        points[best].best = true;
    }
    let memory = memory_problem.map(|memory_problem| {
        let rows = memory_table(&memory_problem, &counts, flags.repeats, &progress);
        (memory_problem, rows)
    });
    progress.finish();
    if !even_only.is_empty() {
        let names = even_only.join(", ");
        if flags.strategies.is_empty() {
            eprintln!("note: --work uneven leaves out {names}: they do not sum chunks with sum_f");
        } else {
            cli::exit_with_error(&format!(
                "--work uneven: {names} do not sum chunks with Problem::sum_f, so their work is even"
            ));
        }
    }

    scaling::print_table(&problem, cores, args.work, baseline, &points, args.json);
    let memory_repeats = flags.repeats.max(MEMORY_REPEATS);
    if let Some((memory_problem, rows)) = &memory {
        let mib = memory_bound::array_mib(memory_problem.n);
        scaling::print_memory_table(memory_problem, mib, memory_repeats, rows, args.json);
    }
    let outputs = Outputs {
        problem: &problem,
        cores,
        repeats: flags.repeats,
        memory_repeats,
        baseline,
        points: &points,
        memory: memory.as_ref().map(|(p, rows)| (p, rows.as_slice())),
    };
    if let Err(message) = scaling::write_outputs(&flags.out, &outputs) {
        cli::exit_with_error(&message);
    }
    if !args.json {
        println!(
            "wrote {0}/scaling.csv, {0}/scaling.json and {0}/scaling.svg",
            flags.out.display()
        );
    }
}
