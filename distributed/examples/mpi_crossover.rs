//! Ranks against threads on one machine, N from 10³ up: the sequential
//! loop, T threads, and R ranks timed two ways, inside the program (what
//! `mpi_reduce` reports) and the whole job (mpiexec's start-up included).
//!
//!     cargo mpi mpi_crossover --ranks 2
//!
//! Starts its own jobs, so it runs as one process (no `-n`). Look at where
//! each column drops below the sequential one.

#[path = "mpi_reduce.rs"]
#[allow(dead_code)]
mod mpi_reduce;
#[path = "../../examples/threads.rs"]
#[allow(dead_code)]
mod threads;

use parallel_workbook::Problem;
use parallel_workbook::report::format_seconds;
use std::time::{Duration, Instant};
use workbook_distributed::mpi::Threading;
use workbook_distributed::{Ranks, mpiexec};

/// The hidden flag that makes this program one rank of a job it started.
const AS_RANK: &str = "--as-rank";

/// Ample for one job of the sweep; a job still running then is stuck.
const JOB_LIMIT: Duration = Duration::from_secs(600);

#[derive(clap::Args)]
struct Flags {
    /// R, the ranks of each job, and T, the threads to compare with
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=256))]
    ranks: u32,
    /// The largest N of the sweep (10³, 2·10³, 5·10³, 10⁴, … up to it)
    #[arg(long, default_value = "1e9", value_parser = parallel_workbook::cli::parse_count)]
    max_n: u64,
    /// Runs per point; the median time is kept
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    repeats: u32,
    /// One JSON object per N instead of a table
    #[arg(long)]
    json: bool,
}

/// The flags of one rank of a job, beside the shared ones.
#[derive(clap::Args)]
struct RankFlags {
    #[arg(long = "as-rank", hide = true)]
    _as_rank: bool,
}

/// One N of the sweep: median seconds of each way.
struct Point {
    n: u64,
    sequential: f64,
    threads: f64,
    ranks_in_program: f64,
    ranks_whole_job: f64,
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some(AS_RANK) {
        return be_one_rank();
    }
    let mut ranks = Ranks::start(Threading::Single, "mpi_crossover");
    let flags: Flags =
        ranks.parse_flags("Ranks against threads on one machine, from tiny N to large N");
    if ranks.size() != 1 {
        ranks.refuse(
            "mpi_crossover starts its own jobs: run it as one process (cargo mpi mpi_crossover)",
        );
    }
    drop(ranks);
    let points = sweep(&flags);
    if !flags.json {
        print_summary(&points, flags.ranks);
    }
}

/// A rank of one job: `mpi_reduce`'s integral, its report as JSON on rank 0.
fn be_one_rank() {
    let mut ranks = Ranks::start(Threading::Single, "mpi_crossover");
    let (args, _): (_, RankFlags) = ranks.parse_args("one rank of an mpi_crossover job", 1000);
    let args = args.with_threads(1);
    if let Some(report) = ranks.measure(&args, "mpi_reduce", 1, |problem| {
        mpi_reduce::integrate(ranks.world(), problem)
    }) {
        println!("{}", report.to_json());
    }
}

fn sweep(flags: &Flags) -> Vec<Point> {
    let me = std::env::current_exe().expect("cannot find this program's own path");
    let threads = flags.ranks as usize;
    let ns = (3..=15)
        .flat_map(|e| [1, 2, 5].map(|m| m * 10u64.pow(e)))
        .filter(|&n| n <= flags.max_n && n >= threads as u64);
    if !flags.json {
        println!(
            "{:>12}  {:>12}  {:>12}  {:>12}  {:>12}",
            "N",
            "sequential",
            format!("threads T={threads}"),
            format!("ranks R={threads}"),
            "whole job"
        );
    }
    let mut points = Vec::new();
    for n in ns {
        let problem = Problem::new(Problem::DEFAULT_A, Problem::DEFAULT_B, n).expect("N in range");
        let sequential = median(flags.repeats, || {
            timed(|| problem.sum_f(0..problem.n) * problem.dx())
        });
        let threads_seconds = median(flags.repeats, || {
            timed(|| threads::integrate(&problem, threads))
        });
        let (mut in_program, mut whole) = (Vec::new(), Vec::new());
        for _ in 0..flags.repeats {
            let (report_seconds, job_seconds) = one_job(&me, flags.ranks, n);
            in_program.push(report_seconds);
            whole.push(job_seconds);
        }
        let point = Point {
            n,
            sequential,
            threads: threads_seconds,
            ranks_in_program: median_of(&mut in_program),
            ranks_whole_job: median_of(&mut whole),
        };
        if flags.json {
            let json = serde_json::json!({
                "n": point.n,
                "ranks": flags.ranks,
                "sequential_seconds": point.sequential,
                "threads_seconds": point.threads,
                "ranks_seconds_in_program": point.ranks_in_program,
                "ranks_seconds_whole_job": point.ranks_whole_job,
            });
            println!("{json}");
        } else {
            println!(
                "{:>12}  {:>12}  {:>12}  {:>12}  {:>12}",
                n,
                format_seconds(point.sequential),
                format_seconds(point.threads),
                format_seconds(point.ranks_in_program),
                format_seconds(point.ranks_whole_job)
            );
        }
        points.push(point);
    }
    points
}

/// Runs `mpiexec -n ranks <this program> --as-rank --n N --json`: the time
/// rank 0 reports, and the job's wall-clock time.
fn one_job(me: &std::path::Path, ranks: u32, n: u64) -> (f64, f64) {
    let n = n.to_string();
    let fail = |why: String| -> ! {
        parallel_workbook::cli::exit_with_error(&format!("the job with N = {n}: {why}"))
    };
    let job = mpiexec::run(ranks, me, &[AS_RANK, "--n", &n, "--json"], JOB_LIMIT)
        .unwrap_or_else(|e| fail(e.to_string()));
    if !job.status.success() {
        fail(format!("{}: {}", job.status, job.stderr.trim()));
    }
    let report: Option<serde_json::Value> = serde_json::from_str(job.stdout.trim()).ok();
    match report.as_ref().and_then(|r| r["seconds"].as_f64()) {
        Some(seconds) => (seconds, job.seconds),
        None => fail(format!("printed {:?}, not one report", job.stdout)),
    }
}

/// The smallest N of the sweep from which on `time` beats the sequential loop.
fn pays_off_from(points: &[Point], time: impl Fn(&Point) -> f64) -> Option<u64> {
    let last_loss = points.iter().rposition(|p| time(p) >= p.sequential);
    match last_loss {
        None => points.first().map(|p| p.n),
        Some(i) => points.get(i + 1).map(|p| p.n),
    }
}

fn print_summary(points: &[Point], ranks: u32) {
    let say = |what: &str, from: Option<u64>| match from {
        Some(n) => println!("{what} beat the sequential loop from N = {n} on"),
        None => println!("{what} never beat the sequential loop in this sweep"),
    };
    println!();
    say(
        &format!("{ranks} threads"),
        pays_off_from(points, |p| p.threads),
    );
    say(
        &format!("{ranks} ranks, inside the program,"),
        pays_off_from(points, |p| p.ranks_in_program),
    );
    say(
        &format!("{ranks} ranks, the whole job,"),
        pays_off_from(points, |p| p.ranks_whole_job),
    );
}

fn timed(f: impl FnOnce() -> f64) -> f64 {
    let start = Instant::now();
    std::hint::black_box(f());
    start.elapsed().as_secs_f64()
}

fn median(repeats: u32, mut run: impl FnMut() -> f64) -> f64 {
    let mut times: Vec<f64> = (0..repeats).map(|_| run()).collect();
    median_of(&mut times)
}

fn median_of(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
