//! The examples of chapter 26.1 under a real `mpiexec`: the ring exchange
//! deadlocks with two blocking calls and large messages, and every fix
//! delivers the right data; the collectives give the sequential sum on
//! every rank; the heat equation over 1 to 4 ranks gives the sequential
//! solve's bits with either halo exchange; the ping-pong measures and fits.
//! Needs MPI (see install-mpi.txt). Checks what the programs do, never how
//! long they take.

#[path = "../../tests/common/mod.rs"]
mod common;

use parallel_workbook::Problem;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use workbook_distributed::mpiexec::{self, Finished};

/// Far more than any of these jobs needs; only a hang reaches it.
const HANG: Duration = Duration::from_secs(120);

/// One job at a time: a waiting rank spins on its core.
fn one_job_at_a_time() -> MutexGuard<'static, ()> {
    static JOBS: Mutex<()> = Mutex::new(());
    JOBS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn run(ranks: u32, name: &str, args: &[&str]) -> Finished {
    mpiexec::run(ranks, &common::example(name), args, HANG)
        .unwrap_or_else(|e| panic!("mpiexec -n {ranks} {name} {}: {e}", args.join(" ")))
}

/// The one JSON object rank 0 prints with `--json`.
fn report(ranks: u32, name: &str, args: &[&str]) -> serde_json::Value {
    let job = run(ranks, name, &[args, &["--json"]].concat());
    assert!(
        job.status.success(),
        "{name} -n {ranks} {args:?}: {}",
        job.stderr
    );
    let lines: Vec<&str> = job.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{name} -n {ranks}: rank 0 alone prints: {:?}",
        job.stdout
    );
    serde_json::from_str(lines[0]).unwrap_or_else(|_| panic!("not JSON: {}", lines[0]))
}

#[test]
fn two_blocking_sends_of_large_messages_deadlock_and_the_job_says_so() {
    let _one = one_job_at_a_time();
    for ranks in [2, 3] {
        let job = run(
            ranks,
            "mpi_exchange",
            &["--how", "blocking", "--deadlock-after", "2"],
        );
        assert!(!job.status.success(), "-n {ranks}: {:?}", job.stdout);
        assert!(
            job.stderr.contains("error: deadlock: rank") && job.stderr.contains("--how blocking"),
            "-n {ranks}: {}",
            job.stderr
        );
    }
}

#[test]
fn every_fix_delivers_the_left_neighbours_data() {
    let _one = one_job_at_a_time();
    for ranks in [2, 3, 4] {
        for how in ["ordered", "sendrecv", "immediate"] {
            let r = report(
                ranks,
                "mpi_exchange",
                &["--how", how, "--repeats", "3", "--deadlock-after", "100"],
            );
            assert_eq!(r["received_right"], true, "-n {ranks} {how}: {r}");
            assert_eq!(
                (r["ranks"].as_u64(), r["bytes"].as_u64()),
                (Some(ranks.into()), Some(1 << 20))
            );
        }
    }
    // Small messages are copied aside (MPICH sends them eagerly), so the
    // blocking version gets through: the bug hides until the data grows.
    let r = report(
        2,
        "mpi_exchange",
        &[
            "--how",
            "blocking",
            "--values",
            "1",
            "--repeats",
            "3",
            "--deadlock-after",
            "100",
        ],
    );
    assert_eq!(r["received_right"], true, "{r}");
}

#[test]
fn the_collectives_give_the_sequential_sum_on_every_rank() {
    let _one = one_job_at_a_time();
    for ranks in [1, 2, 3, 4] {
        for n in [7_u64, 100_003] {
            let n_text = n.to_string();
            let r = report(ranks, "mpi_collectives", &["--n", &n_text]);
            let problem = Problem::new(0.0, 10.0, n).unwrap();
            let sequential = problem.sum_f(0..n) * problem.dx();
            let result = r["result"].as_f64().unwrap();
            assert!(
                (result - sequential).abs() <= problem.reduction_tolerance(),
                "-n {ranks} N={n}: {r}"
            );
            let partials: Vec<f64> = serde_json::from_value(r["partials"].clone()).unwrap();
            assert_eq!(partials.len(), ranks as usize, "{r}");
            // The gathered partials add up to the allreduced total.
            let gathered = partials.iter().sum::<f64>() * problem.dx();
            assert!(
                (gathered - result).abs() <= problem.reduction_tolerance(),
                "{r}"
            );
            assert_eq!(r["every_rank_has_the_total"], true, "{r}");
        }
    }
}

#[test]
fn the_heat_equation_over_ranks_gives_the_sequential_bits() {
    let _one = one_job_at_a_time();
    for ranks in [1, 2, 3, 4] {
        for exchange in ["sendrecv", "overlap"] {
            let r = report(
                ranks,
                "mpi_heat",
                &[
                    "--cells",
                    "1001",
                    "--steps",
                    "60",
                    "--exchange",
                    exchange,
                    "--check",
                ],
            );
            assert_eq!(
                r["same_bits_as_sequential"], true,
                "-n {ranks} {exchange}: {r}"
            );
            assert_eq!(r["largest_difference"], 0.0, "{r}");
        }
    }
    // Weak scaling: the rod grows with the ranks.
    let r = report(
        3,
        "mpi_heat",
        &["--cells-per-rank", "50", "--steps", "10", "--check"],
    );
    assert_eq!(
        (r["cells"].as_u64(), r["same_bits_as_sequential"].as_bool()),
        (Some(150), Some(true)),
        "{r}"
    );
}

#[test]
fn the_ping_pong_measures_every_size_and_fits_a_line() {
    let _one = one_job_at_a_time();
    for ranks in [2, 3] {
        let r = report(
            ranks,
            "mpi_ping_pong",
            &["--max-values", "256", "--repeats", "20"],
        );
        let measured: Vec<(f64, f64)> =
            serde_json::from_value(r["bytes_and_seconds"].clone()).unwrap();
        let bytes: Vec<f64> = measured.iter().map(|m| m.0).collect();
        assert_eq!(bytes, [8.0, 32.0, 128.0, 512.0, 2048.0], "{r}");
        assert!(measured.iter().all(|m| m.1 > 0.0), "{r}");
        assert!(
            r["alpha_seconds"].is_f64() && r["beta_seconds_per_byte"].is_f64(),
            "{r}"
        );
    }
}

#[test]
fn bad_input_is_one_line_from_rank_0_and_exit_code_2() {
    let _one = one_job_at_a_time();
    for (ranks, name, args, says) in [
        (1, "mpi_exchange", &[][..], "needs at least 2 ranks"),
        (1, "mpi_ping_pong", &[], "needs 2 ranks"),
        (
            2,
            "mpi_heat",
            &["--cells", "5"],
            "each rank needs at least 3 cells",
        ),
        (
            2,
            "mpi_heat",
            &["--cells", "10", "--cells-per-rank", "5"],
            "cannot be used with",
        ),
        (
            2,
            "mpi_heat",
            &["--steps", "0"],
            "invalid value '0' for '--steps <STEPS>'",
        ),
        (
            2,
            "mpi_collectives",
            &["--threads", "2"],
            "one thread per rank",
        ),
        (
            3,
            "mpi_collectives",
            &["--n", "2"],
            "3 ranks is more than --n 2",
        ),
    ] {
        let job = run(ranks, name, args);
        assert_eq!(
            job.status.code(),
            Some(2),
            "{name} {args:?}: {}",
            job.stderr
        );
        let lines: Vec<&str> = job.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "{name} {args:?}: one line, from rank 0: {:?}",
            job.stderr
        );
        assert!(lines[0].contains(says), "{name} {args:?}: {}", lines[0]);
    }
}
