//! The speed examples as a learner runs them: `limit` prints every row next
//! to the machine's limit and checks the results agree; `memory_bound`
//! reports its bandwidth; `scaling` adds the memory-bound table. Only the
//! shape and the correctness of what they print is checked, never a time.

use parallel_workbook::Problem;
use serde_json::Value;
use std::process::Output;

mod common;
use common::{run, script};

fn stdout_of(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The table row of `name` at T: its time's fraction of the limit.
fn fraction_of_limit(out: &str, name: &str, threads: usize) -> f64 {
    let row = out
        .lines()
        .find(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            l.starts_with(name)
                && words.get(words.len().saturating_sub(7)) == Some(&&*threads.to_string())
        })
        .unwrap_or_else(|| panic!("no row {name} T={threads} in:\n{out}"));
    row.split_whitespace().last().unwrap().parse().unwrap()
}

#[test]
fn limit_prints_every_row_next_to_the_limit_and_checks_the_results() {
    let dir = tempfile::tempdir().unwrap();
    // A stand-in for the C program: the same output format, a known answer.
    let fake_c = script(
        dir.path(),
        "fake-c",
        "#!/bin/sh\necho \"C (stand-in) N=$1 T=$4 result=332.8335 time=0.0010 s\"\n",
    );
    let fake_c = fake_c.to_str().unwrap();

    let out = stdout_of(&run(
        "limit",
        &[
            "--n",
            "1000",
            "--threads",
            "2",
            "--repeats",
            "1",
            "--strategies",
            "sequential,fast_sequential,threads,fast_parallel",
            "--c",
            fake_c,
            "--c-parallel",
            fake_c,
        ],
    ));
    for header in [
        "machine:",
        "SIMD: the CPU has",
        "kernel: per term",
        "the limit:",
    ] {
        assert!(out.contains(header), "no `{header}` in:\n{out}");
    }
    for (name, threads) in [
        ("sequential", 1),
        ("fast_sequential", 1),
        ("threads", 1),
        ("threads", 2),
        ("fast_parallel", 1),
        ("fast_parallel", 2),
        ("C (stand-in)", 1),
        ("C (stand-in)", 2),
    ] {
        // Printed to two decimals: a row slowed down by a busy machine may
        // show 0.00, so only "a number, not NaN or inf" holds in every run.
        let fraction = fraction_of_limit(&out, name, threads);
        assert!(
            fraction.is_finite() && fraction >= 0.0,
            "{name} T={threads}: {fraction}"
        );
    }
    // The sequential strategies run at T = 1 only.
    assert_eq!(
        out.lines().filter(|l| l.starts_with("sequential ")).count(),
        1
    );
    assert!(out.contains(": all agree"), "{out}");
    for threads in [1, 2] {
        assert!(
            out.contains(&format!("at T={threads}: ")) && out.contains(" as fast as C (stand-in)"),
            "{out}"
        );
    }
}

#[test]
fn limit_says_when_a_result_disagrees() {
    let dir = tempfile::tempdir().unwrap();
    let wrong = script(
        dir.path(),
        "wrong-c",
        "#!/bin/sh\necho \"C (wrong) N=$1 T=$4 result=300 time=0.0010 s\"\n",
    );
    let out = stdout_of(&run(
        "limit",
        &[
            "--n",
            "1000",
            "--repeats",
            "1",
            "--strategies",
            "sequential",
            "--c",
            wrong.to_str().unwrap(),
        ],
    ));
    assert!(
        out.contains("(C (wrong) T=1)") && out.contains("NOT ALL AGREE"),
        "{out}"
    );
}

#[test]
fn limit_refuses_bad_input_in_one_line() {
    let cases: &[(&[&str], &str)] = &[
        (&["--strategies", "bogus"], "--strategies: unknown 'bogus'"),
        (
            &["--c", "/nonexistent/program"],
            "cannot run /nonexistent/program",
        ),
        (&["--c", "/bin/true"], "printed no `result=... time=...`"),
        (&["--c-parallel", "/bin/false"], "/bin/false failed"),
        (&["--repeats", "0"], "--repeats"),
        (&["--threads", "0"], "--threads"),
    ];
    for (args, expected) in cases {
        let mut all = vec!["--n", "1000", "--strategies", "sequential"];
        all.extend_from_slice(args);
        let output = run("limit", &all);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error:") && stderr.contains(expected),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn memory_bound_reports_its_array_and_bandwidth() {
    let out = stdout_of(&run(
        "memory_bound",
        &["--n", "100003", "--threads", "3", "--json"],
    ));
    let report: Value = serde_json::from_str(out.trim()).unwrap();
    let problem = Problem::new(0.0, 10.0, 100_003).unwrap();
    let result = report["result"].as_f64().unwrap();
    assert!((result - problem.exact_left_sum()).abs() <= problem.reduction_tolerance());
    assert_eq!(report["strategy"], "memory_bound");
    assert_eq!(report["array_mib"], 0); // 800 kB
    // The bandwidth is the array's bytes over the run's own time, to 0.1 GB/s
    // (a slow run on a busy machine may round to 0.0, which is still right).
    let seconds = report["seconds"].as_f64().unwrap();
    let bandwidth = (100_003.0 * 8.0 / seconds / 1e9 * 10.0).round() / 10.0;
    assert_eq!(report["gb_per_s"].as_f64(), Some(bandwidth), "{report}");
    assert!(report.get("last_level_cache_mib").is_some(), "{report}");
}

#[test]
fn the_sweep_puts_the_memory_bound_sum_next_to_the_computed_one() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    let out = stdout_of(&run(
        "scaling",
        &[
            "--n",
            "20000",
            "--repeats",
            "1",
            "--max-threads",
            "2",
            "--strategies",
            "fast_parallel",
            "--memory-n",
            "50000",
            "--out",
            out_dir,
        ],
    ));
    assert!(
        out.contains("Memory-bound vs compute-bound, N = 50000"),
        "{out}"
    );
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("scaling.json")).unwrap())
            .unwrap();
    let rows = summary["memory"]["points"].as_array().unwrap();
    let threads: Vec<u64> = rows
        .iter()
        .map(|r| r["threads"].as_u64().unwrap())
        .collect();
    assert_eq!(threads, [1, 2]);
    assert_eq!(rows[0]["memory_speedup"], 1.0);
    assert_eq!(rows[0]["compute_speedup"], 1.0);
    for row in rows {
        assert!(row["memory_gb_per_s"].as_f64().unwrap() > 0.0, "{row}");
    }

    let out = stdout_of(&run(
        "scaling",
        &[
            "--n",
            "20000",
            "--repeats",
            "1",
            "--max-threads",
            "1",
            "--strategies",
            "threads",
            "--no-memory",
            "--out",
            out_dir,
        ],
    ));
    assert!(!out.contains("Memory-bound"), "{out}");
}
