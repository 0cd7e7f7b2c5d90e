//! What recording a timeline costs: each strategy timed with and without
//! recording, runs alternating, the median of each.
//!
//!     cargo run --release --example timeline_cost -- --repeats 11
//!
//! Look at the last column: per chunk, recording costs nothing you can
//! measure; per term (a wait recorded around every lock) it does.

#[path = "shared/strategies.rs"]
mod strategies;

use parallel_workbook::cli;
use parallel_workbook::report::format_seconds;
use parallel_workbook::timeline::{self, trace};
use parallel_workbook::{Granularity, Problem, timing};
use std::time::Instant;

#[derive(clap::Args)]
struct CostFlags {
    /// Timed runs with recording and as many without, alternating; the median of each is kept
    #[arg(long, default_value_t = 11, value_parser = clap::value_parser!(u32).range(1..=1000))]
    repeats: u32,
    /// Threads T
    #[arg(long, short = 't', default_value_t = 2, value_parser = cli::parse_threads)]
    threads: usize,
}

/// One strategy to time, at its own N: a chunk per thread is a handful of
/// stamps in a run, a lock per term is two stamps per term.
struct Case {
    name: &'static str,
    n: u64,
    integrate: fn(&Problem, usize) -> f64,
}

const CASES: &[Case] = &[
    Case {
        name: "threads",
        n: 100_000_000,
        integrate: strategies::threads::integrate,
    },
    Case {
        name: "queue",
        n: 100_000_000,
        integrate: |p, t| strategies::queue::integrate(p, t, 8 * t as u64),
    },
    Case {
        name: "rayon/chunks",
        n: 100_000_000,
        integrate: |p, t| strategies::rayon::integrate(p, t, strategies::rayon::Split::Chunks),
    },
    Case {
        name: "mutex/item",
        n: 1_000_000,
        integrate: |p, t| strategies::mutex::integrate(p, t, Granularity::Item),
    },
];

fn seconds(run: impl FnOnce() -> f64) -> f64 {
    let start = Instant::now();
    std::hint::black_box(run());
    start.elapsed().as_secs_f64()
}

fn main() {
    let flags = cli::parse_own_flags::<CostFlags>("What recording a timeline costs");
    println!(
        "median of {} runs each, with and without recording, alternating; T = {}; {}",
        flags.repeats,
        flags.threads,
        trace::this_machine()
    );
    println!(
        "{:<14} {:>11} {:>10} {:>10} {:>9} {:>8}",
        "strategy", "N", "without", "with", "cost", "events"
    );
    for case in CASES {
        let problem =
            Problem::new(Problem::DEFAULT_A, Problem::DEFAULT_B, case.n).expect("a valid problem");
        let t = flags.threads;
        let plain = || (case.integrate)(&problem, t);
        // One warm-up run of each kind, untimed.
        plain();
        let (_, recorded) = timeline::record(plain);
        let events: u32 = recorded
            .rows
            .iter()
            .flat_map(|r| &r.spans)
            .map(|s| s.count)
            .sum();
        let (mut without, mut with) = (Vec::new(), Vec::new());
        for _ in 0..flags.repeats {
            without.push(seconds(plain));
            with.push(seconds(|| timeline::record(plain).0));
        }
        let (without, with) = (timing::median(&mut without), timing::median(&mut with));
        println!(
            "{:<14} {:>11} {:>10} {:>10} {:>+8.1}% {:>8}",
            case.name,
            case.n,
            format_seconds(without),
            format_seconds(with),
            100.0 * (with - without) / without,
            events
        );
    }
}
