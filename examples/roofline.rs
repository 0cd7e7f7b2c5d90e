//! The roofline: this machine's two ceilings, the compute roof of `limit`
//! and the bandwidth roof of `memory_bound`, and each strategy placed under
//! them by its arithmetic intensity (terms per byte of memory traffic).
//!
//!     cargo run --release --example roofline -- --threads 2
//!
//! It prints the table and writes target/roofline/roofline.svg (the chart)
//! and roofline.json (its data). A point far under its roof is losing time
//! to something the model does not count.

#[path = "fast_parallel.rs"]
#[allow(dead_code)]
mod fast_parallel;
#[path = "fast_sequential.rs"]
#[allow(dead_code)]
mod fast_sequential;
#[path = "memory_bound.rs"]
#[allow(dead_code)]
mod memory_bound;
#[path = "scan.rs"]
#[allow(dead_code)]
mod scan;
#[path = "sequential.rs"]
#[allow(dead_code)]
mod sequential;
#[path = "threads.rs"]
#[allow(dead_code)]
mod threads;

use parallel_workbook::cli;
use parallel_workbook::lanes::{register_only, register_only_scalar};
use parallel_workbook::machine::default_threads;
use parallel_workbook::roofline::{Roof, Roofline};
use parallel_workbook::{Problem, Report, machine, timing};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
struct RooflineFlags {
    /// Timed runs of each roof and point (after one warm-up): a roof keeps its
    /// fastest, a point its median
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    repeats: u32,
    /// Where to write roofline.svg and roofline.json
    #[arg(long, default_value = "target/roofline")]
    out: PathBuf,
    /// Values in the stored array of the bandwidth roof, `memory_bound` and
    /// the scan [default: four times the last-level cache, as `memory_bound`]
    #[arg(long, value_parser = cli::parse_count)]
    stored: Option<u64>,
}

// ANCHOR: roofs
/// The shortest time of `repeats` runs of `work`, after one untimed run. A
/// roof is the most the machine can do, and another program on the machine
/// can only make a run slower: the fastest run is the best estimate.
fn fastest(repeats: u32, mut work: impl FnMut()) -> f64 {
    work();
    (0..repeats)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Terms per second of `run(terms)` on `threads` threads at once, each
/// doing `terms / threads` of them.
fn rate(threads: usize, terms: u64, repeats: u32, run: fn(u64) -> f64) -> f64 {
    let share = terms.div_ceil(threads as u64);
    let seconds = fastest(repeats, || {
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(move || black_box(run(share)));
            }
        });
    });
    (share * threads as u64) as f64 / seconds
}

/// The compute roof and two ceilings under it, the bandwidth roof and one
/// ceiling under it (one core's share).
fn roofs(cores: usize, terms: u64, values: &[f64], repeats: u32) -> (Vec<Roof>, Vec<Roof>) {
    // As `limit`: the best of 4 and 8 chains of full-width registers.
    let lanes = |threads| {
        rate(threads, terms, repeats, register_only::<4>).max(rate(
            threads,
            terms,
            repeats,
            register_only::<8>,
        ))
    };
    let roof = |label: String, per_second| Roof { label, per_second };
    let compute = vec![
        roof(format!("{cores} cores, all lanes"), lanes(cores)),
        roof("1 core, all lanes".into(), lanes(1)),
        roof(
            "1 core, 1 lane, 1 chain".into(),
            rate(1, terms / 4, repeats, register_only_scalar),
        ),
    ];
    // As `memory_bound`: a sum over stored values, 8 bytes read per term.
    let bytes = size_of_val(values) as f64;
    let read = |threads| {
        bytes
            / fastest(repeats, || {
                black_box(memory_bound::integrate(values, 1.0, threads));
            })
    };
    let bandwidth = vec![
        roof(format!("{cores} cores, reading"), read(cores)),
        roof("1 core, reading".into(), read(1)),
    ];
    (compute, bandwidth)
}
// ANCHOR_END: roofs

/// One strategy's report from the median of `repeats` runs.
fn report(
    strategy: &str,
    problem: &Problem,
    threads: usize,
    repeats: u32,
    mut integrate: impl FnMut() -> f64,
) -> Report {
    let (seconds, result) = timing::median_seconds(repeats, &mut integrate);
    Report::new(strategy, problem, threads, result, seconds)
}

fn main() {
    let (args, flags) = cli::parse::<RooflineFlags>(
        "This machine's compute and bandwidth roofs, and every strategy under them",
        200_000_000,
    );
    args.refuse_timeline("roofline");
    args.refuse_uneven_work("roofline");
    let (problem, cores) = (args.problem(), args.threads());
    let repeats = flags.repeats;
    // The stored values: four times the last-level cache, as `memory_bound`.
    let stored = Problem::new(
        args.a,
        args.b,
        flags.stored.unwrap_or_else(memory_bound::default_n),
    )
    .unwrap_or_else(|e| cli::exit_with_error(&e.to_string()));
    if stored.n < cores as u64 {
        cli::exit_with_error(&format!(
            "--stored {} is fewer than --threads {cores}: each thread needs a value",
            stored.n
        ));
    }
    let values = memory_bound::samples(&stored).unwrap_or_else(|e| cli::exit_with_error(&e));
    let mut scanned = vec![f64::NAN; values.len()];

    let (compute, bandwidth) = roofs(cores, problem.n, &values, repeats);
    let mut roofline =
        Roofline::new(compute, bandwidth).unwrap_or_else(|e| cli::exit_with_error(&e));
    roofline.machine = format!(
        "{}, {} cores",
        machine::cpu_model().unwrap_or_else(|| "an unknown CPU".into()),
        default_threads()
    );
    let p = &problem;
    let reports = [
        report("sequential", p, 1, repeats, || sequential::integrate(p)),
        report("threads", p, cores, repeats, || {
            threads::integrate(p, cores)
        }),
        report("fast_sequential", p, 1, repeats, || {
            fast_sequential::integrate(p)
        }),
        report("fast_parallel", p, cores, repeats, || {
            fast_parallel::integrate(p, cores)
        }),
        report("memory_bound", &stored, 1, repeats, || {
            memory_bound::integrate(&values, stored.dx(), 1)
        }),
        report("memory_bound", &stored, cores, repeats, || {
            memory_bound::integrate(&values, stored.dx(), cores)
        }),
        report("scan/two-pass", &stored, cores, repeats, || {
            scan::integrate(&stored, cores, scan::How::TwoPass, &mut scanned)
        }),
    ];
    for report in &reports {
        let json = serde_json::to_value(report).expect("a report serializes");
        assert!(
            roofline.place_report(&json),
            "{} has no bytes per term",
            report.strategy
        );
    }

    println!("machine: {}", roofline.machine);
    println!(
        "compute roofs, 10⁹ terms per second (the register-only loop of `limit`, N = {}):",
        problem.n
    );
    for roof in &roofline.compute {
        println!("  {:<28} {:>8.2}", roof.label, roof.per_second / 1e9);
    }
    println!(
        "bandwidth roofs, GB/s (the stored-value sum of `memory_bound`, {} MiB):",
        memory_bound::array_mib(stored.n)
    );
    for roof in &roofline.bandwidth {
        println!("  {:<28} {:>8.1}", roof.label, roof.per_second / 1e9);
    }
    println!(
        "ridge: {:.2} terms per byte (below it memory limits a loop, above it computing does)",
        roofline.ridge()
    );
    println!("each roof is the fastest of {repeats} runs, each point the median of {repeats}\n");
    print!("{}", roofline.table());
    write_files(&flags.out, &roofline);
}

/// roofline.svg and roofline.json in `dir`, said on stderr.
fn write_files(dir: &std::path::Path, roofline: &Roofline) {
    let written = std::fs::create_dir_all(dir).and_then(|()| {
        std::fs::write(dir.join("roofline.svg"), roofline.svg())?;
        std::fs::write(
            dir.join("roofline.json"),
            serde_json::to_string_pretty(roofline).expect("the chart's data serializes"),
        )
    });
    match written {
        Ok(()) => eprintln!(
            "roofline: wrote {0}/roofline.svg and {0}/roofline.json",
            dir.display()
        ),
        Err(e) => cli::exit_with_error(&format!("--out {}: {e}", dir.display())),
    }
}
