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

use indicatif::{ProgressBar, ProgressStyle};
use parallel_workbook::cli::{self, default_threads, format_seconds};
use parallel_workbook::{Problem, Work, machine, timing, work};
use plotters::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
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

/// One measured point of the sweep.
#[derive(Debug, Clone, Serialize)]
struct Point {
    strategy: String,
    threads: usize,
    median_seconds: f64,
    speedup: f64,
    efficiency: f64,
    best: bool,
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

/// One row of the memory table: the sum over stored values and the
/// computed one, at the same N and T.
#[derive(Debug, Clone, Serialize)]
struct MemoryPoint {
    threads: usize,
    memory_seconds: f64,
    memory_gb_per_s: f64,
    memory_speedup: f64,
    compute_seconds: f64,
    compute_speedup: f64,
}

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
    progress: &ProgressBar,
) -> Vec<MemoryPoint> {
    let values = memory_bound::samples(problem).unwrap_or_else(|e| cli::exit_with_error(&e));
    let dx = problem.dx();
    let mut rows: Vec<MemoryPoint> = Vec::new();
    for &threads in counts {
        progress.set_message(format!("memory_bound and fast_parallel T={threads}"));
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
        progress.inc(u64::from(repeats.max(MEMORY_REPEATS)));
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
    let progress = ProgressBar::new(total_runs).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {msg}").expect("valid template"),
    );
    // The bar shows on a terminal only; anywhere else (a pipe, the served
    // book's page) each point gets a plain line on stderr instead.
    let plain = !std::io::IsTerminal::is_terminal(&std::io::stderr());
    let measured = |what: &str, seconds: f64| {
        progress.inc(u64::from(flags.repeats));
        if plain {
            let done = progress.position();
            eprintln!(
                "{done}/{total_runs} runs  {what}: {}",
                format_seconds(seconds)
            );
        }
    };

    // The baseline every speed-up is measured against: the sequential loop,
    // or with uneven work the same loop with uneven cost (`sum_f` over all N).
    progress.set_message("sequential");
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
            progress.set_message(format!("{} T={threads}", strategy.name));
            let seconds = median_seconds(strategy, &problem, threads, flags.repeats);
            measured(&format!("{} T={threads}", strategy.name), seconds);
            if args.work == Work::Uneven && !work::take_uneven_kernel_ran() {
                // Its loop does not use the uneven kernel: leave it out.
                even_only.push(strategy.name);
                progress.inc(u64::from(flags.repeats) * (counts.len() - 1) as u64);
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
    progress.finish_and_clear();
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

    print_table(&problem, cores, args.work, baseline, &points, args.json);
    if let Some((memory_problem, rows)) = &memory {
        print_memory_table(
            memory_problem,
            flags.repeats.max(MEMORY_REPEATS),
            rows,
            args.json,
        );
    }
    let outputs = Outputs {
        problem: &problem,
        cores,
        repeats: flags.repeats,
        baseline,
        points: &points,
        memory: memory.as_ref().map(|(p, rows)| (p, rows.as_slice())),
    };
    if let Err(message) = write_outputs(&flags.out, &outputs) {
        cli::exit_with_error(&message);
    }
    if !args.json {
        println!(
            "wrote {0}/scaling.csv, {0}/scaling.json and {0}/scaling.svg",
            flags.out.display()
        );
    }
}

fn print_table(
    problem: &Problem,
    cores: usize,
    work: Work,
    baseline: f64,
    points: &[Point],
    json: bool,
) {
    if json {
        for p in points {
            println!("{}", serde_json::to_string(p).expect("a point serializes"));
        }
        return;
    }
    println!(
        "N = {}, {cores} cores, {work} work, sequential baseline {} (median)",
        problem.n,
        format_seconds(baseline)
    );
    println!(
        "{:<16} {:>4} {:>10} {:>9} {:>11}",
        "strategy", "T", "time", "speed-up", "efficiency"
    );
    for p in points {
        println!(
            "{:<16} {:>4} {:>10} {:>8.2}x {:>10.0}% {}",
            p.strategy,
            p.threads,
            format_seconds(p.median_seconds),
            p.speedup,
            100.0 * p.efficiency,
            if p.best { "*" } else { "" }
        );
    }
}

fn print_memory_table(problem: &Problem, repeats: u32, rows: &[MemoryPoint], json: bool) {
    if json {
        for row in rows {
            let mut value = serde_json::to_value(row).expect("a row serializes");
            value["table"] = "memory".into();
            value["n"] = problem.n.into();
            println!("{value}");
        }
        return;
    }
    let array_mib = memory_bound::array_mib(problem.n);
    let cache =
        machine::last_level_cache().map_or_else(|| "size unknown".to_owned(), |c| c.to_string());
    println!();
    println!(
        "Memory-bound vs compute-bound, N = {} (an array of {array_mib} MiB; last-level cache {cache}), median of {repeats}",
        problem.n
    );
    println!(
        "{:>4} {:>13} {:>7} {:>9} {:>14} {:>9}",
        "T", "memory_bound", "GB/s", "speed-up", "fast_parallel", "speed-up"
    );
    for r in rows {
        println!(
            "{:>4} {:>13} {:>7.1} {:>8.2}x {:>14} {:>8.2}x",
            r.threads,
            format_seconds(r.memory_seconds),
            r.memory_gb_per_s,
            r.memory_speedup,
            format_seconds(r.compute_seconds),
            r.compute_speedup
        );
    }
}

/// Everything the sweep measured, for the files it writes.
struct Outputs<'a> {
    problem: &'a Problem,
    cores: usize,
    repeats: u32,
    baseline: f64,
    points: &'a [Point],
    memory: Option<(&'a Problem, &'a [MemoryPoint])>,
}

fn write_outputs(out: &Path, outputs: &Outputs) -> Result<(), String> {
    let Outputs {
        problem,
        cores,
        repeats,
        baseline,
        points,
        memory,
    } = *outputs;
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        format!("cannot write {what} in {}: {e}", out.display())
    };
    std::fs::create_dir_all(out).map_err(|e| fail("the output directory", &e))?;
    let mut csv = String::from("strategy,threads,median_seconds,speedup,efficiency,best\n");
    for p in points {
        csv += &format!(
            "{},{},{},{},{},{}\n",
            p.strategy, p.threads, p.median_seconds, p.speedup, p.efficiency, p.best
        );
    }
    std::fs::write(out.join("scaling.csv"), csv).map_err(|e| fail("scaling.csv", &e))?;
    let summary = serde_json::json!({
        "n": problem.n, "cores": cores, "repeats": repeats, "work": work::current().to_string(),
        "sequential_seconds": baseline,
        "command": std::env::args().skip(1).collect::<Vec<_>>().join(" "),
        "unix_time": std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        "points": points,
        "memory": memory.map(|(problem, rows)| serde_json::json!({ "n": problem.n, "repeats": repeats.max(MEMORY_REPEATS), "points": rows })),
    });
    std::fs::write(out.join("scaling.json"), summary.to_string())
        .map_err(|e| fail("scaling.json", &e))?;
    draw_chart(&out.join("scaling.svg"), points).map_err(|e| fail("scaling.svg", &e))
}

/// Speed-up against T, one line per strategy, and the ideal line y = T.
fn draw_chart(path: &Path, points: &[Point]) -> Result<(), Box<dyn std::error::Error>> {
    let max_t = points.iter().map(|p| p.threads).max().unwrap_or(1) as f64;
    let max_speedup = points.iter().map(|p| p.speedup).fold(max_t, f64::max);
    let root = SVGBackend::new(path, (800, 500)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption("Speed-up over the sequential loop", ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..max_t * 1.05, 0.0..max_speedup * 1.1)?;
    chart
        .configure_mesh()
        .x_desc("threads T")
        .y_desc("speed-up")
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            [(0.0, 0.0), (max_t, max_t)],
            BLACK.stroke_width(1),
        ))?
        .label("ideal: T")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLACK));
    let mut names: Vec<&str> = points.iter().map(|p| p.strategy.as_str()).collect();
    names.dedup();
    for (k, name) in names.iter().enumerate() {
        let color = Palette99::pick(k).to_rgba();
        let line: Vec<(f64, f64)> = points
            .iter()
            .filter(|p| p.strategy == *name)
            .map(|p| (p.threads as f64, p.speedup))
            .collect();
        chart
            .draw_series(LineSeries::new(line.clone(), color.stroke_width(2)))?
            .label(*name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2)));
        chart.draw_series(
            line.into_iter()
                .map(|xy| Circle::new(xy, 3, color.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()?;
    root.present()?;
    Ok(())
}
