//! Strong and weak scaling side by side. Strong: the same N on T = 1, 2,
//! 4, … threads (Amdahl's question: how much faster?). Weak: N grows with T,
//! N·T points on T threads (Gustafson's question: how much more in the same
//! time?). With the Karp–Flatt serial fraction of each strong point.
//!
//!     cargo run --release --example weak_scaling -- --n 2e8 --repeats 3
//!
//! On a quiet machine the weak times stay flat up to the core count.

#[path = "threads.rs"]
#[allow(dead_code)]
mod threads;

use parallel_workbook::cli;
use parallel_workbook::machine::default_threads;
use parallel_workbook::report::format_seconds;
use parallel_workbook::{Problem, timing};

#[derive(clap::Args)]
struct WeakFlags {
    /// Timed runs of each point (after one warm-up); each point keeps its median
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    repeats: u32,
    /// Sweep T = 1, 2, 4, … up to this (and the core count) [default: twice the cores]
    #[arg(long, value_parser = cli::parse_threads)]
    max_threads: Option<usize>,
}

// ANCHOR: models
/// One T of the sweep: times of the same `threads` code on three problems.
pub struct Point {
    pub threads: usize,
    /// N points on T threads (strong scaling).
    pub strong: f64,
    /// N·T points on T threads (weak scaling).
    pub weak: f64,
    /// N·T points on one thread: the scaled problem without parallelism.
    pub weak_on_one: f64,
}

impl Point {
    /// Strong speed-up S = t(1, N) / t(T, N), against this sweep's own T = 1.
    pub fn speed_up(&self, one: &Point) -> f64 {
        one.strong / self.strong
    }

    /// Karp–Flatt: the serial fraction e = (1/S − 1/T) / (1 − 1/T) that
    /// makes Amdahl's law give the measured S. A constant e means a serial
    /// part; an e that grows with T means an overhead that grows with T.
    pub fn karp_flatt(&self, one: &Point) -> Option<f64> {
        let t = self.threads as f64;
        (self.threads > 1).then(|| (1.0 / self.speed_up(one) - 1.0 / t) / (1.0 - 1.0 / t))
    }

    /// Weak efficiency t(1, N) / t(T, N·T): 1 when T times the work on T
    /// threads takes as long as the original work on one.
    pub fn weak_efficiency(&self, one: &Point) -> f64 {
        one.strong / self.weak
    }

    /// Gustafson's scaled speed-up t(1, N·T) / t(T, N·T): how much faster T
    /// threads do the grown problem than one thread would.
    pub fn scaled_speed_up(&self) -> f64 {
        self.weak_on_one / self.weak
    }

    /// The serial share s of the parallel run that Gustafson's law,
    /// S = T − s·(T − 1), needs to give the measured scaled speed-up.
    pub fn gustafson_serial(&self) -> Option<f64> {
        let t = self.threads as f64;
        (self.threads > 1).then(|| (t - self.scaled_speed_up()) / (t - 1.0))
    }
}
// ANCHOR_END: models

/// T = 1, 2, 4, … up to `max`, and the core count.
fn thread_counts(max: usize) -> Vec<usize> {
    let mut counts: Vec<usize> = std::iter::successors(Some(1), |t| Some(t * 2))
        .take_while(|&t| t <= max)
        .collect();
    let cores = default_threads();
    if cores <= max && !counts.contains(&cores) {
        counts.push(cores);
        counts.sort_unstable();
    }
    counts
}

fn main() {
    let (args, flags) = cli::parse::<WeakFlags>(
        "Strong and weak scaling of the threads example, with Karp–Flatt and Gustafson",
        200_000_000,
    );
    args.refuse_timeline("weak_scaling");
    let max = flags.max_threads.unwrap_or(2 * default_threads());
    let problem = args.problem();
    let grown = |threads: usize| {
        Problem::new(
            problem.a,
            problem.b,
            problem.n.saturating_mul(threads as u64),
        )
        .unwrap_or_else(|e| cli::exit_with_error(&format!("weak scaling at T = {threads}: {e}")))
    };
    let time = |p: &Problem, t: usize| {
        timing::median_seconds(flags.repeats, || threads::integrate(p, t)).0
    };
    let points: Vec<Point> = thread_counts(max)
        .into_iter()
        .map(|t| {
            let big = grown(t);
            let (strong, weak) = (time(&problem, t), time(&big, t));
            // At T = 1 the grown problem is the problem, already timed.
            let weak_on_one = if t == 1 { weak } else { time(&big, 1) };
            Point {
                threads: t,
                strong,
                weak,
                weak_on_one,
            }
        })
        .collect();
    let one = &points[0];
    let percent = |x: Option<f64>| x.map_or("-".to_owned(), |x| format!("{:.1}%", 100.0 * x));
    if args.json {
        for p in &points {
            let report = serde_json::json!({
                "strategy": "threads", "work": args.work.to_string(), "n": problem.n,
                "threads": p.threads, "strong_seconds": p.strong, "speed_up": p.speed_up(one),
                "karp_flatt": p.karp_flatt(one), "weak_n": problem.n * p.threads as u64,
                "weak_seconds": p.weak, "weak_efficiency": p.weak_efficiency(one),
                "scaled_speed_up": p.scaled_speed_up(), "gustafson_serial": p.gustafson_serial(),
            });
            println!("{report}");
        }
        return;
    }
    println!(
        "strategy: threads, {} work; each time is the median of {} runs; {} cores",
        args.work,
        flags.repeats,
        default_threads()
    );
    println!("\nstrong scaling: N = {} at every T", problem.n);
    println!(
        "{:>4} {:>10} {:>9} {:>11} {:>12}",
        "T", "time", "speed-up", "efficiency", "Karp-Flatt e"
    );
    for p in &points {
        let s = p.speed_up(one);
        println!(
            "{:>4} {:>10} {:>8.2}x {:>10.1}% {:>12}",
            p.threads,
            format_seconds(p.strong),
            s,
            100.0 * s / p.threads as f64,
            percent(p.karp_flatt(one))
        );
    }
    println!("\nweak scaling: N = {} per thread (N·T in all)", problem.n);
    println!(
        "{:>4} {:>12} {:>10} {:>11} {:>15} {:>16} {:>11}",
        "T", "N·T", "time", "efficiency", "on one thread", "scaled speed-up", "Gustafson s"
    );
    for p in &points {
        println!(
            "{:>4} {:>12} {:>10} {:>10.1}% {:>15} {:>15.2}x {:>11}",
            p.threads,
            problem.n * p.threads as u64,
            format_seconds(p.weak),
            100.0 * p.weak_efficiency(one),
            format_seconds(p.weak_on_one),
            p.scaled_speed_up(),
            percent(p.gustafson_serial())
        );
    }
}
