//! The integration examples as a learner runs them: right answers with
//! small N, the same JSON fields everywhere, clear errors for bad input.

#[path = "../examples/processes.rs"]
#[allow(dead_code)]
mod processes;

use parallel_workbook::Problem;
use serde_json::Value;
use std::process::{Command, Output};

mod common;
use common::{example, run};

/// The JSON objects a successful run printed.
fn json_lines(output: &Output) -> Vec<Value> {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    common::json_lines(&String::from_utf8_lossy(&output.stdout))
}

/// (example, extra flags, strategy name it reports)
const INTEGRATIONS: &[(&str, &[&str], &str)] = &[
    ("sequential", &[], "sequential"),
    ("fast_sequential", &[], "fast_sequential"),
    ("fast_parallel", &[], "fast_parallel"),
    ("memory_bound", &[], "memory_bound"),
    ("threads", &[], "threads"),
    ("scoped_threads", &[], "scoped_threads"),
    ("mutex", &["--granularity", "item"], "mutex/item"),
    ("mutex", &["--granularity", "chunk"], "mutex/chunk"),
    ("atomic", &["--granularity", "item"], "atomic/item"),
    ("atomic", &["--granularity", "chunk"], "atomic/chunk"),
    ("channels", &[], "channels"),
    ("channels", &["--bound", "0"], "sync_channel"),
    ("queue", &["--chunks", "7"], "queue"),
    ("rayon", &["--split", "chunks"], "rayon/chunks"),
    ("rayon", &["--split", "indices"], "rayon/indices"),
    ("processes", &[], "processes"),
];

#[test]
fn every_integration_example_prints_the_right_answer_as_json() {
    let problem = Problem::new(0.0, 10.0, 10_007).unwrap();
    for (name, extra, strategy) in INTEGRATIONS {
        for threads in ["1", "3"] {
            let mut args = vec!["--n", "10007", "--threads", threads, "--json", "--compare"];
            args.extend_from_slice(extra);
            let reports = json_lines(&run(name, &args));
            assert_eq!(reports.len(), 1, "{name}: one run, one JSON object");
            let r = &reports[0];
            for field in [
                "strategy",
                "a",
                "b",
                "n",
                "threads",
                "result",
                "exact",
                "abs_error",
                "seconds",
                "speedup",
            ] {
                assert!(r.get(field).is_some(), "{name}: no `{field}` in {r}");
            }
            assert_eq!(r["strategy"], *strategy);
            assert_eq!(r["n"], 10_007);
            let result = r["result"].as_f64().unwrap();
            assert!(
                (result - problem.exact_left_sum()).abs() <= problem.reduction_tolerance(),
                "{name} {extra:?} T={threads}: {result}"
            );
            assert_eq!(r["exact"].as_f64().unwrap(), 1000.0 / 3.0);
            assert!(
                (r["abs_error"].as_f64().unwrap() - (1000.0 / 3.0 - result).abs()).abs() < 1e-12
            );
        }
    }
}

/// `cargo workbook serve` runs an example with `WORKBOOK_REPORTS` naming a
/// file, and forwards each JSON line the example appends to it to the page.
/// What the learner reads stays exactly what it is without it: stdout holds
/// the report lines and nothing else, byte for byte, and stderr is the same.
#[test]
fn the_report_side_channel_leaves_what_the_learner_reads_as_it_is() {
    use parallel_workbook::Report;
    use parallel_workbook::report::REPORTS_ENV;
    let dir = tempfile::tempdir().unwrap();
    for (name, args) in [
        (
            "threads",
            &["--n", "1000", "--threads", "2", "--compare"][..],
        ),
        (
            "racy",
            &["--n", "1000", "--threads", "2", "--runs", "3"][..],
        ),
    ] {
        for json in [false, true] {
            let mut args = args.to_vec();
            if json {
                args.push("--json");
            }
            let channel = dir.path().join(format!("{name}-{json}.jsonl"));
            std::fs::write(&channel, "").unwrap();
            let with = Command::new(example(name))
                .args(&args)
                .env(REPORTS_ENV, &channel)
                .output()
                .unwrap();
            let without = Command::new(example(name))
                .args(&args)
                .env_remove(REPORTS_ENV)
                .output()
                .unwrap();
            assert!(with.status.success() && without.status.success());
            let sent = std::fs::read_to_string(&channel).unwrap();
            let reports: Vec<Report> = sent
                .lines()
                .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
                .collect();
            let runs = if name == "racy" { 3 } else { 1 };
            assert_eq!(reports.len(), runs, "{name}: one report a run: {sent}");
            let stdout = String::from_utf8(with.stdout).unwrap();
            let expected: String = if json {
                sent.clone()
            } else {
                reports.iter().map(|r| format!("{r}\n")).collect()
            };
            assert_eq!(
                stdout, expected,
                "{name} {args:?}: stdout is the reports alone"
            );
            assert_eq!(
                String::from_utf8(without.stdout).unwrap().lines().count(),
                runs,
                "{name} {args:?} without the channel"
            );
            assert_eq!(with.stderr, without.stderr, "{name} {args:?}: stderr");
        }
    }
}

#[test]
fn the_text_line_names_strategy_n_t_result_error_and_time() {
    let output = run("threads", &["--n", "1000", "--threads", "2", "--compare"]);
    let line = String::from_utf8_lossy(&output.stdout);
    for part in [
        "threads",
        "N=1000",
        "T=2",
        "result=332.8335",
        "left sum=332.8335",
        "|error|=",
        "time=",
        "speed-up=",
    ] {
        assert!(line.contains(part), "`{part}` missing from: {line}");
    }
}

#[test]
fn racy_reports_every_run_and_its_lost_updates() {
    let reports = json_lines(&run(
        "racy",
        &[
            "--a",
            "1",
            "--n",
            "20000",
            "--threads",
            "2",
            "--runs",
            "4",
            "--json",
        ],
    ));
    assert_eq!(reports.len(), 4);
    // From a = 1 every term is at least 1²·Δx, so a lost update always
    // shows (from 0, a lost f(0) = 0 would not).
    let problem = Problem::new(1.0, 10.0, 20_000).unwrap();
    for r in &reports {
        let lost = r["lost_updates"].as_u64().expect("lost_updates is a count");
        let result = r["result"].as_f64().unwrap();
        if lost == 0 {
            assert!((result - problem.exact_left_sum()).abs() < problem.reduction_tolerance());
        } else {
            assert!(result < problem.exact_left_sum() - problem.reduction_tolerance());
        }
    }
    // One thread cannot race with itself.
    let single = json_lines(&run(
        "racy",
        &["--n", "20000", "--threads", "1", "--runs", "1", "--json"],
    ));
    assert_eq!(single[0]["lost_updates"], 0);
}

#[test]
fn racy_summary_counts_the_runs_that_lost_updates() {
    let summary = |threads: &str| {
        let lines = json_lines(&run(
            "racy",
            &[
                "--n",
                "20000",
                "--threads",
                threads,
                "--runs",
                "6",
                "--summary",
                "--json",
            ],
        ));
        assert_eq!(lines.len(), 1, "one summary line, no line per run");
        lines[0].clone()
    };
    let alone = summary("1");
    assert_eq!(alone["runs"], 6);
    assert_eq!(alone["wrong_runs"], 0);
    assert_eq!(alone["most_lost"], 0);
    let two = summary("2");
    let (wrong, median, most) = (
        two["wrong_runs"].as_u64().unwrap(),
        two["median_lost"].as_u64().unwrap(),
        two["most_lost"].as_u64().unwrap(),
    );
    assert!(wrong <= 6 && median <= most && most < 20_000, "{two}");
    assert_eq!(wrong == 0, most == 0, "{two}");
    let text = run(
        "racy",
        &["--n", "1000", "--threads", "1", "--runs", "3", "--summary"],
    );
    let line = String::from_utf8_lossy(&text.stdout);
    assert!(
        line.starts_with("racy ") && line.contains("N=1000 T=1  runs=3  wrong=0"),
        "{line}"
    );
}

#[test]
fn bad_input_gets_one_clear_error_and_a_nonzero_exit() {
    let cases: &[(&[&str], &str)] = &[
        (&["--threads", "0"], "--threads"),
        (&["--threads", "5000"], "--threads"),
        (&["--n", "0"], "--n"),
        (&["--n", "ten"], "--n"),
        (&["--n", "1e30"], "--n"),
        (&["--n", "1.5"], "--n"),
        (&["--a", "nan"], "--a"),
        (&["--b", "inf"], "--b"),
        (&["--a", "10", "--b", "0"], "--a"),
        (&["--n", "3", "--threads", "4"], "--threads"),
        (&["--bogus"], "--bogus"),
    ];
    for name in [
        "sequential",
        "threads",
        "racy",
        "processes",
        "queue",
        "fast_parallel",
        "memory_bound",
    ] {
        for (args, flag) in cases {
            let output = run(name, args);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{name} {args:?}: {stderr}");
            let first = stderr.lines().next().unwrap_or_default();
            assert!(
                first.starts_with("error:") && first.contains(flag),
                "{name} {args:?}: {stderr}"
            );
            assert!(
                !stderr.contains("panicked"),
                "{name} {args:?} panicked: {stderr}"
            );
            assert!(output.stdout.is_empty());
        }
    }
    let output = run("queue", &["--n", "10", "--chunks", "11"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: --chunks 11"));
}

#[test]
fn negative_and_shifted_intervals_work() {
    let reports = json_lines(&run(
        "threads",
        &[
            "--a",
            "-2",
            "--b",
            "3",
            "--n",
            "5000",
            "--threads",
            "3",
            "--json",
        ],
    ));
    let problem = Problem::new(-2.0, 3.0, 5000).unwrap();
    let result = reports[0]["result"].as_f64().unwrap();
    assert!((result - problem.exact_left_sum()).abs() <= problem.reduction_tolerance());
    assert!((reports[0]["exact"].as_f64().unwrap() - 35.0 / 3.0).abs() < 1e-12);
}

fn shell(script: &'static str) -> impl Fn() -> Command {
    move || {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }
}

#[test]
fn processes_with_the_real_worker_matches_the_sequential_sum() {
    let problem = Problem::new(0.0, 10.0, 12_345).unwrap();
    let worker = || {
        let mut command = Command::new(example("processes"));
        command.arg(processes::WORKER_FLAG);
        command
    };
    for workers in [1, 2, 5] {
        let result = processes::integrate(&problem, workers, worker).unwrap();
        assert!((result - problem.exact_left_sum()).abs() <= problem.reduction_tolerance());
    }
}

#[test]
fn processes_reports_a_worker_that_exits_early() {
    let problem = Problem::new(0.0, 10.0, 1000).unwrap();
    // Exits without reading its chunk or answering.
    let error = processes::integrate(&problem, 3, shell("exit 3")).unwrap_err();
    assert!(
        error.contains("worker 0 failed") && error.contains('3'),
        "{error}"
    );
    // Reads its chunk, then dies before answering.
    let error = processes::integrate(&problem, 2, shell("read line; kill -9 $$")).unwrap_err();
    assert!(error.contains("worker 0 failed"), "{error}");
    // Exits "successfully" without a word: no reply is not a sum of zero.
    let error = processes::integrate(&problem, 2, shell("read line")).unwrap_err();
    assert!(error.contains("replied \"\""), "{error}");
}

#[test]
fn processes_reports_a_worker_that_prints_garbage() {
    let problem = Problem::new(0.0, 10.0, 1000).unwrap();
    let error = processes::integrate(&problem, 2, shell("read line; echo forty-two")).unwrap_err();
    assert_eq!(error, "worker 0 replied \"forty-two\", not a number");
}

#[test]
fn processes_reports_a_worker_that_cannot_start() {
    let problem = Problem::new(0.0, 10.0, 1000).unwrap();
    let error =
        processes::integrate(&problem, 2, || Command::new("/nonexistent/worker")).unwrap_err();
    assert!(
        error.starts_with("could not start a worker process"),
        "{error}"
    );
}

#[test]
fn a_worker_given_garbage_says_so_and_fails() {
    use std::io::Write;
    let mut child = Command::new(example("processes"))
        .arg(processes::WORKER_FLAG)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"1 2 three\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("expected 'a b n start end'"));
}
