//! The MPI examples under a real `mpiexec`: the right sum on 1, 2 and 4
//! ranks for odd N, one report from rank 0 alone, bad input refused in one
//! line, and a rank that fails or is killed ending the whole job, never
//! hanging it. Needs MPI (see install-mpi.txt).
//!
//! The jobs run one at a time: a waiting rank spins on its core, and two
//! jobs at once on a small machine would only take turns.

#[path = "../../tests/common/mod.rs"]
mod common;

use parallel_workbook::Problem;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};
use workbook_distributed::mpiexec::{self, Failed, Finished, Job};

/// Far more than any of these jobs needs; only a hang reaches it.
const HANG: Duration = Duration::from_secs(60);

fn one_job_at_a_time() -> MutexGuard<'static, ()> {
    static JOBS: Mutex<()> = Mutex::new(());
    JOBS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn example(name: &str) -> PathBuf {
    common::example(name)
}

fn run(ranks: u32, name: &str, args: &[&str]) -> Finished {
    mpiexec::run(ranks, &example(name), args, HANG)
        .unwrap_or_else(|e| panic!("mpiexec -n {ranks} {name} {}: {e}", args.join(" ")))
}

/// The JSON objects the job printed.
fn reports(job: &Finished) -> Vec<serde_json::Value> {
    common::json_lines(&job.stdout)
}

#[test]
fn every_rank_count_gives_the_sequential_sum_for_odd_n() {
    let _one = one_job_at_a_time();
    for name in ["mpi_reduce", "mpi_hybrid"] {
        for ranks in [1, 2, 4] {
            for n in [7_u64, 1_000_001] {
                let n_text = n.to_string();
                let job = run(ranks, name, &["--n", &n_text, "--json"]);
                assert!(job.status.success(), "{name} -n {ranks}: {}", job.stderr);
                let reports = reports(&job);
                assert_eq!(
                    reports.len(),
                    1,
                    "{name} -n {ranks} --n {n}: rank 0 alone prints one report; got {:?}",
                    job.stdout
                );
                let report = &reports[0];
                let problem = Problem::new(0.0, 10.0, n).unwrap();
                let sequential = problem.sum_f(0..n) * problem.dx();
                let got = report["result"].as_f64().unwrap();
                assert!(
                    (got - sequential).abs() <= problem.reduction_tolerance(),
                    "{name} -n {ranks} --n {n}: {got}, the sequential sum is {sequential}"
                );
                assert_eq!(report["ranks"], ranks, "{name}: {report}");
                assert_eq!(report["n"], n);
            }
        }
    }
}

#[test]
fn the_text_report_is_one_line_from_rank_0() {
    let _one = one_job_at_a_time();
    let job = run(3, "mpi_reduce", &["--n", "1001", "--compare"]);
    assert!(job.status.success(), "{}", job.stderr);
    let lines: Vec<&str> = job.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{:?}", job.stdout);
    let line = lines[0];
    assert!(line.starts_with("mpi_reduce      N=1001 T=1"), "{line}");
    assert!(
        line.contains("ranks=3") && line.contains("speed-up="),
        "{line}"
    );
}

#[test]
fn hybrid_threads_per_rank_are_reported() {
    let _one = one_job_at_a_time();
    let job = run(
        2,
        "mpi_hybrid",
        &["--n", "100001", "--threads", "3", "--json"],
    );
    assert!(job.status.success(), "{}", job.stderr);
    let report = &reports(&job)[0];
    assert_eq!(report["threads"], 3);
    assert_eq!(report["ranks"], 2);
    assert_eq!(report["workers"], 6);
}

#[test]
fn bad_input_is_one_error_line_from_rank_0_and_exit_code_2() {
    let _one = one_job_at_a_time();
    for (args, says) in [
        (&["--n", "0"][..], "error: invalid value '0' for '--n <N>'"),
        (&["--a", "NaN"], "error: invalid value 'NaN' for '--a <A>'"),
        (&["--a", "2", "--b", "1"], "must not be greater than --b"),
        (&["--n", "2"], "error: 3 ranks is more than --n 2"),
        (&["--threads", "2"], "mpi_reduce runs one thread per rank"),
        (&["--bogus"], "error: unexpected argument '--bogus'"),
    ] {
        let job = run(3, "mpi_reduce", args);
        assert_eq!(job.status.code(), Some(2), "{args:?}: {}", job.stderr);
        assert!(job.stdout.is_empty(), "{args:?}: {}", job.stdout);
        let lines: Vec<&str> = job.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "{args:?}: one line, from rank 0: {:?}",
            job.stderr
        );
        assert!(lines[0].contains(says), "{args:?}: {}", lines[0]);
    }
    let help = run(3, "mpi_reduce", &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert_eq!(
        help.stdout
            .matches("Usage: cargo mpi -n RANKS mpi_reduce")
            .count(),
        1
    );
}

/// Fails unless every rank of the job is gone (Linux: from /proc).
#[cfg(target_os = "linux")]
fn assert_gone(pids: &[u32], context: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    let alive = |pid: &u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            !stat
                .rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('Z')
        })
    };
    while pids.iter().any(alive) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    let left: Vec<&u32> = pids.iter().filter(|p| alive(p)).collect();
    assert!(
        left.is_empty(),
        "{context}: ranks {left:?} are still running"
    );
}

/// Starts a job that would run for minutes and waits until all its ranks exist.
#[cfg(target_os = "linux")]
fn long_job(ranks: u32, name: &str, extra: &[&str]) -> (Job, Vec<u32>) {
    let mut args = vec!["--n", "9e15"];
    args.extend_from_slice(extra);
    let job = Job::start(ranks, &example(name), &args).expect("mpiexec starts");
    let deadline = Instant::now() + HANG;
    loop {
        let pids = job.rank_pids();
        if pids.len() == ranks as usize {
            return (job, pids);
        }
        assert!(
            Instant::now() < deadline,
            "the {ranks} ranks never all started"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
#[cfg(target_os = "linux")] // finds the ranks in /proc
fn a_panicking_rank_ends_the_job() {
    let _one = one_job_at_a_time();
    let (mut job, pids) = long_job(3, "mpi_reduce", &["--fail-rank", "1"]);
    let ended = job
        .wait(HANG)
        .expect("the job ends by itself, without hanging");
    assert!(!ended.status.success(), "{:?}", ended.status);
    assert!(
        ended
            .stderr
            .contains("rank 1 of 3 panicked; ending the whole job"),
        "{}",
        ended.stderr
    );
    assert!(
        ended.stderr.contains("rank 1 fails on purpose"),
        "{}",
        ended.stderr
    );
    assert!(
        !ended.stdout.contains("mpi_reduce "),
        "no report: {}",
        ended.stdout
    );
    assert_gone(&pids, "after the panic");
}

#[test]
#[cfg(target_os = "linux")] // finds the ranks in /proc
fn a_worker_thread_that_panics_ends_the_job() {
    let _one = one_job_at_a_time();
    let (mut job, pids) = long_job(2, "mpi_hybrid", &["--fail-rank", "1", "--threads", "1"]);
    let ended = job
        .wait(HANG)
        .expect("the job ends by itself, without hanging");
    assert!(!ended.status.success(), "{:?}", ended.status);
    assert!(ended.stderr.contains("a worker thread fails on purpose"));
    assert!(
        ended.stderr.contains("rank 1 of 2 panicked"),
        "{}",
        ended.stderr
    );
    assert_gone(&pids, "after a panic on a worker thread");
}

#[test]
#[cfg(target_os = "linux")] // finds the ranks in /proc
fn a_killed_rank_ends_the_job() {
    let _one = one_job_at_a_time();
    let (mut job, pids) = long_job(3, "mpi_reduce", &[]);
    let status = std::process::Command::new("kill")
        .args(["-KILL", &pids[1].to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let ended = job
        .wait(HANG)
        .expect("mpiexec ends the job when a rank dies");
    assert!(!ended.status.success(), "{:?}", ended.status);
    // MPICH's mpiexec prints its notice of a BAD TERMINATION on stdout.
    let said = format!("{}{}", ended.stdout, ended.stderr);
    assert!(
        said.contains("signal 9"),
        "mpiexec names the signal: {said}"
    );
    assert_gone(&pids, "after one rank was killed");
}

#[test]
#[cfg(target_os = "linux")] // finds the ranks in /proc
fn a_job_past_its_time_limit_is_killed_with_every_rank() {
    let _one = one_job_at_a_time();
    let (mut job, pids) = long_job(2, "mpi_reduce", &[]);
    match job.wait(Duration::from_millis(500)) {
        Err(Failed::TimedOut { .. }) => {}
        other => panic!("a job of N = 9e15 should time out, got {other:?}"),
    }
    assert_gone(&pids, "after the time limit");
}

#[test]
fn the_cost_of_one_reduce_is_measured_on_every_rank() {
    let _one = one_job_at_a_time();
    let job = run(2, "mpi_message_cost", &["--repeats", "20", "--json"]);
    assert!(job.status.success(), "{}", job.stderr);
    let reports = reports(&job);
    assert_eq!(reports.len(), 1, "{:?}", job.stdout);
    let report = &reports[0];
    assert_eq!(report["ranks"], 2);
    assert_eq!(report["repeats"], 20);
    let root = report["reduce_seconds_root"].as_f64().unwrap();
    let slowest = report["reduce_seconds_slowest_rank"].as_f64().unwrap();
    assert!(root > 0.0 && slowest >= root, "{report}");
}

#[test]
fn the_crossover_sweep_starts_its_own_jobs() {
    let _one = one_job_at_a_time();
    let out = std::process::Command::new(example("mpi_crossover"))
        .args(["--ranks", "2", "--max-n", "2e3", "--repeats", "1", "--json"])
        .output()
        .expect("mpi_crossover starts");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let points = common::json_lines(&stdout);
    let ns: Vec<u64> = points.iter().map(|p| p["n"].as_u64().unwrap()).collect();
    assert_eq!(ns, [1000, 2000]);
    for point in &points {
        let in_program = point["ranks_seconds_in_program"].as_f64().unwrap();
        let whole = point["ranks_seconds_whole_job"].as_f64().unwrap();
        assert!(in_program > 0.0 && whole > in_program, "{point}");
    }
    let refused = run(2, "mpi_crossover", &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        refused.stderr.contains("starts its own jobs"),
        "{}",
        refused.stderr
    );
}
