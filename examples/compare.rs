//! One table: every Rust strategy and CPython's sequential, `threading` and
//! `multiprocessing` versions of the same integral, at the same N and T.
//!
//!     cargo run --release --example compare -- --n 1e7 --threads 2
//!
//! Look at the speed-up column: Rust's threads get faster with T; CPython's
//! threads do not (the GIL), its processes do. Needs `python3` for the Python
//! rows (examples/python/integrate.py); without it, only the Rust rows show.

#[path = "shared/strategies.rs"]
mod strategies;

use parallel_workbook::cli::{self, format_seconds};
use parallel_workbook::{Problem, timing};
use serde::{Deserialize, Serialize};
use std::process::Command;

#[derive(clap::Args)]
struct CompareFlags {
    /// Runs per Rust strategy; the median time is kept
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    repeats: u32,
    /// Runs per Python strategy (each takes seconds); the median time is kept
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
    python_repeats: u32,
    /// The Python interpreter to run examples/python/integrate.py with
    #[arg(long, default_value = "python3")]
    python: String,
}

/// One row of the table.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Row {
    strategy: String,
    language: String,
    n: u64,
    threads: usize,
    result: f64,
    seconds: f64,
    /// Against the sequential row of the same language.
    #[serde(default)]
    speedup: f64,
}

/// The Python script, found next to this file in the source tree.
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/python/integrate.py");

fn main() {
    strategies::processes::serve_as_worker_if_asked();
    let (args, flags) = cli::parse::<CompareFlags>(
        "Rust's strategies and CPython's, at the same N and T, in one table",
        10_000_000,
    );
    args.refuse_timeline("compare");
    args.refuse_uneven_work("compare");
    let problem = args.problem();
    let threads = args.threads();

    let mut rows = rust_rows(&problem, threads, flags.repeats);
    match python_rows(&flags, &problem, threads) {
        Ok(python) => rows.extend(python),
        Err(note) => eprintln!("note: {note}; showing the Rust rows only"),
    }
    for language in ["rust", "python"] {
        let baseline = rows
            .iter()
            .find(|r| r.language == language && r.strategy == "sequential")
            .map(|r| r.seconds);
        for row in rows.iter_mut().filter(|r| r.language == language) {
            row.speedup = baseline.map_or(f64::NAN, |b| b / row.seconds);
        }
    }
    print_table(&problem, threads, &rows, args.json);
}

// ANCHOR: rust_rows
/// Every Rust strategy once untimed (warm-up), then the median of `repeats`
/// timed runs. The one-thread strategies run with T = 1.
fn rust_rows(problem: &Problem, threads: usize, repeats: u32) -> Vec<Row> {
    strategies::ALL
        .iter()
        .map(|strategy| {
            let t = if strategy.parallel { threads } else { 1 };
            let (seconds, result) =
                timing::median_seconds(repeats, || (strategy.integrate)(problem, t));
            Row {
                strategy: strategy.name.to_owned(),
                language: "rust".to_owned(),
                n: problem.n,
                threads: t,
                result,
                seconds,
                speedup: f64::NAN,
            }
        })
        .collect()
}
// ANCHOR_END: rust_rows

// ANCHOR: python_rows
/// Runs `python3 examples/python/integrate.py --json` at the same N and T and
/// reads its rows back. Any failure is a one-line reason, never a panic.
fn python_rows(
    flags: &CompareFlags,
    problem: &Problem,
    threads: usize,
) -> Result<Vec<Row>, String> {
    let output = Command::new(&flags.python)
        .arg(SCRIPT)
        .args(["--a", &problem.a.to_string(), "--b", &problem.b.to_string()])
        .args([
            "--n",
            &problem.n.to_string(),
            "--threads",
            &threads.to_string(),
        ])
        .args(["--repeats", &flags.python_repeats.to_string(), "--json"])
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("{} not found", flags.python),
            _ => format!("could not start {}: {e}", flags.python),
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let why = stderr.lines().last().unwrap_or("no message");
        return Err(format!("{} {SCRIPT} failed ({why})", flags.python));
    }
    let rows: Vec<Row> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            serde_json::from_str(line).map_err(|e| format!("unexpected output from Python: {e}"))
        })
        .collect::<Result<_, _>>()?;
    if rows.is_empty() {
        return Err("Python printed no rows".to_owned());
    }
    Ok(rows)
}
// ANCHOR_END: python_rows

fn print_table(problem: &Problem, threads: usize, rows: &[Row], json: bool) {
    if json {
        for row in rows {
            println!("{}", serde_json::to_string(row).expect("a row serializes"));
        }
        return;
    }
    println!(
        "N = {}, T = {threads}; speed-up is against the same language's sequential row",
        problem.n
    );
    println!(
        "{:<16} {:<8} {:>4} {:>10} {:>9}  result",
        "strategy", "language", "T", "time", "speed-up"
    );
    for r in rows {
        println!(
            "{:<16} {:<8} {:>4} {:>10} {:>8.2}x  {}",
            r.strategy,
            r.language,
            r.threads,
            format_seconds(r.seconds),
            r.speedup,
            r.result
        );
    }
    let sequential = |language: &str| {
        rows.iter()
            .find(|r| r.language == language && r.strategy == "sequential")
            .map(|r| r.seconds)
    };
    if let (Some(rust), Some(python)) = (sequential("rust"), sequential("python")) {
        println!(
            "Rust's sequential loop is {:.0}x faster than CPython's.",
            python / rust
        );
    }
}
