//! The `limit` example's outputs: what the machine's limit is and how it
//! was found, the table of every row against it, and the outside programs
//! (a C build of the same loop) it times next to the strategies.

use parallel_workbook::Problem;
use parallel_workbook::lanes::{FUSED, WIDTH};
use parallel_workbook::machine::{self, default_threads};
use parallel_workbook::report::format_seconds;
use std::path::Path;
use std::process::Command;

/// One row of the table, measured: a strategy of the workbook, or an
/// outside program, at T threads.
pub struct Measured {
    pub name: String,
    pub threads: usize,
    /// The median time of its rounds.
    pub seconds: f64,
    /// The sum it computed.
    pub result: f64,
    /// An outside program (`--c`, `--c-parallel`), not a strategy.
    pub outside: bool,
}

/// Runs `PROGRAM N A B T` and reads `result=` and `time=` from what it
/// prints; returns the text before ` N=` as its name, the result, the time.
pub fn run_program(
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

/// What the limit is: the machine, its SIMD, the kernel's operations, and
/// the rate of each chain count in `chain_counts` (`rates`: terms per second
/// on 1 core and on `busy` cores).
pub fn print_limit(
    problem: &Problem,
    busy: usize,
    chain_counts: &[usize],
    rates: &[[f64; 2]],
    repeats: u32,
) {
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
    for (chains, rate) in chain_counts.iter().zip(rates) {
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

/// The table: each row's time, against its own T = 1 and against the limit;
/// then each outside program against the fastest strategy at its T; then
/// whether every result agrees with the sequential sum (`reference`, within
/// `tolerance`).
pub fn print_rows(
    rows: &[Measured],
    limit_seconds: impl Fn(usize) -> f64,
    reference: f64,
    tolerance: f64,
) {
    println!();
    println!(
        "{:<34} {:>3} {:>10} {:>7} {:>10} {:>9}",
        "program", "T", "time", "vs T=1", "limit", "of limit"
    );
    let median_of = |name: &str, threads: usize| {
        rows.iter()
            .find(|r| r.name == name && r.threads == threads)
            .map(|r| r.seconds)
    };
    for row in rows {
        let seconds = row.seconds;
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
    for row in rows.iter().filter(|r| r.outside) {
        let fastest = rows
            .iter()
            .filter(|r| !r.outside && r.threads == row.threads)
            .min_by(|a, b| a.seconds.total_cmp(&b.seconds));
        if let Some(rust) = fastest {
            println!(
                "at T={}: {} is {:.2}x as fast as {}",
                row.threads,
                rust.name,
                row.seconds / rust.seconds,
                row.name
            );
        }
    }
    let (difference, worst) = rows
        .iter()
        .map(|r| ((r.result - reference).abs(), r))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .expect("at least one row");
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
