//! Checks for exercises/22_mpi_reduce.rs.
//!
//! `partial_sum` is called directly, as a function. The reduction can only
//! be tried in a real job: the learner's file is also a program of this
//! package (`22_mpi_reduce` in distributed/Cargo.toml), which these checks
//! run under `mpiexec -n 3`, with N not divisible by 3. Every job has a time
//! limit, so a rank that skips the reduction fails the check instead of
//! hanging it; the job is killed with every rank. No model test: the ranks
//! are processes that share nothing, and MPI's own library does the
//! communication. A wrong total that equals what a known mistake gives
//! (rank 0's partial sum alone, or counted twice) is named as that mistake.

#[path = "../../exercises/checks/common.rs"]
mod common;
#[path = "../../exercises/22_mpi_reduce.rs"]
#[allow(dead_code)]
mod exercise;

use parallel_workbook::{Problem, chunk};
use std::path::Path;
use workbook_distributed::mpiexec::{self, Failed, Finished};

const PROGRAM: &str = env!("CARGO_BIN_EXE_22_mpi_reduce");

/// a = 0, b = N: Δx = 1 and every term is a whole number, so any correct
/// partial sum is exact and can be compared with `==`.
fn whole_number_problem(n: u64) -> Problem {
    Problem::new(0.0, n as f64, n).unwrap()
}

#[test]
fn each_rank_sums_its_own_chunk() {
    for (n, size) in [(10, 3), (1000, 3), (1001, 4), (7, 7), (2, 1)] {
        let problem = whole_number_problem(n);
        for rank in 0..size {
            let expected = problem.sum_f(chunk(n, size, rank));
            let got = exercise::partial_sum(&problem, rank, size);
            let c = chunk(n, size, rank);
            assert!(
                got == expected,
                "N = {n}, rank {rank} of {size}: partial_sum gave {got}, expected {expected}, \
                 the sum over its chunk {}..{} (chunk({n}, {size}, {rank}))",
                c.start,
                c.end
            );
        }
    }
}

/// Runs the learner's program as a job of `ranks` ranks.
fn job(ranks: u32, args: &[&str]) -> Finished {
    match mpiexec::run_without_backtraces(ranks, Path::new(PROGRAM), args, common::PATIENCE) {
        Ok(finished) => finished,
        Err(Failed::NoLauncher(why)) => panic!(
            "cannot start mpiexec ({why}): this check needs MPI. {}",
            workbook_distributed::install_mpi()
        ),
        Err(Failed::TimedOut { stdout, .. }) => panic!(
            "mpiexec -n {ranks} 22_mpi_reduce {}: no result after {} s, so the job was killed. \
             Does every rank call the reduction exactly once? A rank that skips it (returns \
             early, or calls it only on rank 0) leaves rank 0 waiting forever.{}",
            args.join(" "),
            common::PATIENCE.as_secs(),
            shown("It printed", &stdout)
        ),
    }
}

/// The job's reports: one JSON object per line of its output.
fn reports(job: &Finished, command: &str) -> Vec<serde_json::Value> {
    assert!(
        job.status.success(),
        "{command} failed ({}).{}",
        job.status,
        shown("Its error output", &job.stderr)
    );
    // Counted before parsing: lines from several ranks may come out mixed.
    let printed = job.stdout.matches("\"strategy\"").count();
    assert!(
        printed <= 1,
        "{command}: {printed} ranks printed a report; only rank 0 may. reduce_to_root must \
         return None on every rank but rank 0."
    );
    job.stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|_| {
                panic!("{command} printed {line:?}, which is not a report: print only through main")
            })
        })
        .collect()
}

/// The last lines of some output, for a failure message.
fn shown(what: &str, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let tail = &lines[lines.len().saturating_sub(12)..];
    if tail.is_empty() {
        String::new()
    } else {
        format!("\n{what}:\n{}", tail.join("\n"))
    }
}

/// What a wrong total of the 3 ranks' partial sums of `problem` is, where
/// it is something recognisable.
fn diagnosis(problem: &Problem, got: f64) -> &'static str {
    let partials: Vec<f64> = (0..3)
        .map(|k| problem.sum_f(chunk(problem.n, 3, k)))
        .collect();
    let total: f64 = partials.iter().sum();
    let near = |sum: f64| (got - sum * problem.dx()).abs() <= problem.reduction_tolerance();
    if near(partials[0]) {
        " That is rank 0's own partial sum: the reduction writes the total into the buffer rank 0 \
         passes to reduce_into_root, and that is what to return."
    } else if near(total + partials[0]) {
        " That is rank 0's partial sum counted twice: the reduction already includes rank 0's own share."
    } else {
        " Do the chunks of the 3 ranks cover every index once, and does the root add up all three \
         partial sums?"
    }
}

#[test]
fn three_ranks_add_up_to_the_closed_form_and_only_rank_0_prints() {
    // The two jobs at once: each spends most of its time starting.
    let jobs: Vec<_> = [1000_u64, 7]
        .into_iter()
        .map(|n| {
            let n_text = n.to_string();
            let job = std::thread::spawn(move || job(3, &["--n", &n_text, "--json"]));
            (n, job)
        })
        .collect();
    for (n, job) in jobs {
        let job = job
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let command = format!("mpiexec -n 3 22_mpi_reduce --n {n} --json");
        let reports = reports(&job, &command);
        let Some(report) = reports.first() else {
            panic!(
                "{command}: no rank printed a report. reduce_to_root must return Some(total) on \
                 rank 0."
            )
        };
        assert_eq!(
            report["ranks"], 3,
            "{command}: the report should say ranks=3"
        );
        let problem = Problem::new(Problem::DEFAULT_A, Problem::DEFAULT_B, n).unwrap();
        let expected = problem.exact_left_sum();
        let got = report["result"].as_f64().unwrap_or(f64::NAN);
        assert!(
            (got - expected).abs() <= problem.reduction_tolerance(),
            "{command}: the result is {got}, the left sum is {expected} (N = {n} is not divisible by 3).{}",
            diagnosis(&problem, got)
        );
    }
}
