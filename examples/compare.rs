//! One table: every Rust strategy and CPython's sequential, `threading` and
//! `multiprocessing` versions of the same integral, at the same N and T.
//!
//!     cargo run --release --example compare -- --n 1e7 --threads 2
//!
//! Look at the speed-up column: Rust's threads get faster with T; on CPython
//! with the GIL (the default build) its threads do not, its processes do.
//! Needs `python3` for the Python rows (examples/python/integrate.py); a
//! free-threaded `python3.14t` or `python3.13t` on the PATH gets rows too.

#[path = "shared/strategies.rs"]
mod strategies;

use instruments::compare::{self, Row};
use parallel_workbook::cli;
use parallel_workbook::{Problem, timing};
use std::process::Command;

#[derive(clap::Args)]
struct CompareFlags {
    /// Runs per Rust strategy; the median time is kept
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    repeats: u32,
    /// Runs per Python strategy (each takes seconds); the median time is kept
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
    python_repeats: u32,
    /// A Python interpreter to run examples/python/integrate.py with (repeat
    /// for several) [default: python3, and python3.14t and python3.13t where on the PATH]
    #[arg(long)]
    python: Vec<String>,
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
    let interpreters = if flags.python.is_empty() {
        default_interpreters()
    } else {
        flags.python.clone()
    };
    for python in &interpreters {
        match python_rows(python, flags.python_repeats, &problem, threads) {
            Ok(python_rows) => rows.extend(python_rows),
            Err(note) => eprintln!("note: {note}; no rows from {python}"),
        }
    }
    // Each group's speed-ups are against its own sequential row.
    let groups: Vec<String> = rows.iter().map(|r| r.interpreter.clone()).collect();
    for group in groups {
        let baseline = rows
            .iter()
            .find(|r| r.interpreter == group && r.strategy == "sequential")
            .map(|r| r.seconds);
        for row in rows.iter_mut().filter(|r| r.interpreter == group) {
            row.speedup = baseline.map_or(f64::NAN, |b| b / row.seconds);
        }
    }
    compare::print_table(&problem, threads, &rows, args.json);
}

// ANCHOR: interpreters
/// `python3`, then each free-threaded build found on the PATH: 3.13 and 3.14
/// install their free-threaded interpreter as `python3.13t` / `python3.14t`
/// next to the default one.
fn default_interpreters() -> Vec<String> {
    let on_path = |name: &str| {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
    };
    std::iter::once("python3")
        .chain(
            ["python3.14t", "python3.13t"]
                .into_iter()
                .filter(|name| on_path(name)),
        )
        .map(str::to_owned)
        .collect()
}
// ANCHOR_END: interpreters

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
                interpreter: String::new(),
                python: None,
                free_threaded: None,
                gil: None,
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
/// Runs `PYTHON examples/python/integrate.py --json` at the same N and T and
/// reads its rows back. Any failure is a one-line reason, never a panic.
fn python_rows(
    python: &str,
    repeats: u32,
    problem: &Problem,
    threads: usize,
) -> Result<Vec<Row>, String> {
    let output = Command::new(python)
        .arg(SCRIPT)
        .args(["--a", &problem.a.to_string(), "--b", &problem.b.to_string()])
        .args([
            "--n",
            &problem.n.to_string(),
            "--threads",
            &threads.to_string(),
        ])
        .args(["--repeats", &repeats.to_string(), "--json"])
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("{python} not found"),
            _ => format!("could not start {python}: {e}"),
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let why = stderr.lines().last().unwrap_or("no message");
        return Err(format!("{python} {SCRIPT} failed ({why})"));
    }
    let mut rows: Vec<Row> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            serde_json::from_str(line).map_err(|e| format!("unexpected output from {python}: {e}"))
        })
        .collect::<Result<_, _>>()?;
    if rows.is_empty() {
        return Err(format!("{python} printed no rows"));
    }
    for row in &mut rows {
        row.interpreter = python.to_owned();
    }
    Ok(rows)
}
// ANCHOR_END: python_rows
