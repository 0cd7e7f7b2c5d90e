//! The examples of chapters 24.1 and 24.2 (task parallelism, performance
//! models): right answers on every T and odd N, each lesson's claim checked
//! by what the code does (the same bits, every index handed out once, a
//! cloned stream repeating its samples), never by how long it takes; and
//! bad input refused in one line.

#[path = "../examples/scan.rs"]
#[allow(dead_code)]
mod scan;

use parallel_workbook::roofline::Roofline;
use parallel_workbook::timeline::trace::Trace;
use parallel_workbook::{Problem, chunk};
use serde_json::Value;

mod common;
use common::run;

/// The JSON lines an example prints with `--json`.
fn reports(name: &str, args: &[&str]) -> Vec<Value> {
    let output = run(name, &[args, &["--json"]].concat());
    assert!(
        output.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// The one report of a run.
fn report(name: &str, args: &[&str]) -> Value {
    let mut all = reports(name, args);
    assert_eq!(all.len(), 1, "{name} {args:?}: {all:?}");
    all.remove(0)
}

fn result(report: &Value) -> f64 {
    report["result"].as_f64().expect("a numeric result")
}

fn sequential(n: u64) -> (Problem, f64) {
    let problem = Problem::new(0.0, 10.0, n).unwrap();
    (problem, problem.sum_f(0..n) * problem.dx())
}

#[test]
fn fork_join_gives_the_same_bits_on_every_t() {
    for n in [1_000_003_u64, 17] {
        let (problem, expected) = sequential(n);
        let n_text = n.to_string();
        let mut bits = Vec::new();
        for threads in ["1", "2", "3"] {
            for grain in ["1", "1000", "100000"] {
                let r = report(
                    "fork_join",
                    &["--n", &n_text, "--threads", threads, "--grain", grain],
                );
                assert!(
                    (result(&r) - expected).abs() <= problem.reduction_tolerance(),
                    "{r}"
                );
                if grain == "1000" {
                    bits.push(result(&r).to_bits());
                }
            }
            let r = report(
                "fork_join",
                &["--n", &n_text, "--threads", threads, "--how", "iter"],
            );
            assert!(
                (result(&r) - expected).abs() <= problem.reduction_tolerance(),
                "{r}"
            );
        }
        // The tree depends on N and the grain only: every T adds the same sums.
        assert!(bits.windows(2).all(|w| w[0] == w[1]), "N={n}: {bits:?}");
    }
    let r = report(
        "fork_join",
        &["--n", "1000", "--grain", "100", "--threads", "2"],
    );
    assert_eq!(r["leaves"], 16, "1000 → 500 → 250 → 125 → 62 and 63: {r}");
    // Uneven work: the same sum, and the iterator form refuses it.
    let r = report(
        "fork_join",
        &["--n", "100003", "--work", "uneven", "--threads", "2"],
    );
    let (problem, expected) = sequential(100_003);
    assert!(
        (result(&r) - expected).abs() <= problem.reduction_tolerance(),
        "{r}"
    );
}

#[test]
fn every_schedule_hands_out_every_index_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    for schedule in ["static", "cyclic", "dynamic", "guided"] {
        for (n, threads, block) in [
            (100_003_u64, "3", "1000"),
            (10, "3", "1"),
            (1000, "2", "999"),
        ] {
            let (problem, expected) = sequential(n);
            let base = dir.path().join(format!("{schedule}-{n}"));
            let n_text = n.to_string();
            let r = report(
                "schedule",
                &[
                    "--schedule",
                    schedule,
                    "--n",
                    &n_text,
                    "--threads",
                    threads,
                    "--chunk",
                    block,
                    "--work",
                    "uneven",
                    "--timeline",
                    base.to_str().unwrap(),
                ],
            );
            assert!(
                (result(&r) - expected).abs() <= problem.reduction_tolerance(),
                "{r}"
            );
            let trace = std::fs::read_to_string(base.with_extension("json")).unwrap();
            let mut handed_out = Trace::from_json(&trace).unwrap().chunks();
            handed_out.sort_by_key(|c| c.start);
            let mut next = 0;
            for c in &handed_out {
                assert_eq!(c.start, next, "{schedule} N={n}: {handed_out:?}");
                next = c.end;
            }
            assert_eq!(next, n, "{schedule} N={n}: {handed_out:?}");
        }
    }
    // Static is one chunk per thread, summed in order: the bits of the
    // chunking rule, as in `scoped_threads`.
    let (problem, _) = sequential(1_000_003);
    let by_rule: f64 = (0..3)
        .map(|k| problem.sum_f(chunk(problem.n, 3, k)))
        .sum::<f64>()
        * problem.dx();
    let r = report(
        "schedule",
        &["--schedule", "static", "--n", "1000003", "--threads", "3"],
    );
    assert_eq!(result(&r).to_bits(), by_rule.to_bits(), "{r}");
}

#[test]
fn the_two_pass_scan_gives_every_running_total() {
    for n in [1_u64, 2, 7, 10_007] {
        let problem = Problem::new(0.0, 10.0, n).unwrap();
        let mut one_pass = vec![f64::NAN; n as usize];
        scan::fill(&problem, 0, 0.0, &mut one_pass);
        // Each running total is the left sum of its first k + 1 terms.
        for (k, &total) in one_pass.iter().enumerate() {
            let direct = problem.sum_f(0..k as u64 + 1) * problem.dx();
            assert_eq!(total.to_bits(), direct.to_bits(), "N={n} k={k}");
        }
        for threads in 1..=5.min(n as usize) {
            let mut two_pass = vec![f64::NAN; n as usize];
            scan::scan(&problem, threads, &mut two_pass);
            for (k, (a, b)) in one_pass.iter().zip(&two_pass).enumerate() {
                if threads <= 2 {
                    // The second chunk goes on from the first one's sum,
                    // which is the one-pass running total at that point.
                    assert_eq!(a.to_bits(), b.to_bits(), "N={n} T={threads} k={k}");
                } else {
                    assert!(
                        (a - b).abs() <= problem.reduction_tolerance(),
                        "N={n} T={threads} k={k}"
                    );
                }
            }
        }
    }
    let r = report("scan", &["--n", "1000", "--threads", "3"]);
    let (problem, expected) = sequential(1000);
    assert!(
        (result(&r) - expected).abs() <= problem.reduction_tolerance(),
        "{r}"
    );
    let half = Problem::new(0.0, 10.0, 1000).unwrap().sum_f(0..500) * problem.dx();
    assert!((r["half_way"].as_f64().unwrap() - half).abs() <= problem.reduction_tolerance());
}

#[test]
fn monte_carlo_streams_are_reproducible_and_a_cloned_stream_repeats_itself() {
    let run = |args: &[&str]| result(&report("monte_carlo", args));
    let base = ["--n", "200000", "--threads", "2"];
    let first = run(&base);
    assert_eq!(
        first.to_bits(),
        run(&base).to_bits(),
        "same seed and T: same bits"
    );
    assert_ne!(
        first.to_bits(),
        run(&[&base[..], &["--seed", "7"]].concat()).to_bits()
    );
    // T = 1 draws stream 0 in every variant: the same numbers in the same order.
    let one = run(&["--n", "100000", "--threads", "1"]);
    for streams in ["shared", "cloned"] {
        assert_eq!(
            one.to_bits(),
            run(&["--n", "100000", "--threads", "1", "--streams", streams]).to_bits()
        );
    }
    // Two threads on one cloned stream draw the same 100,000 numbers twice:
    // the estimate of 200,000 "samples" is exactly that of 100,000.
    let cloned = run(&[&base[..], &["--streams", "cloned"]].concat());
    assert_eq!(cloned.to_bits(), one.to_bits());
    // With its own stream each, the second thread draws other numbers.
    assert_ne!(first.to_bits(), cloned.to_bits());
    // The estimate is near the integral: within 5 standard errors (a fixed
    // seed, so this is the same verdict on every run).
    let r = report("monte_carlo", &["--n", "1000000", "--threads", "2"]);
    let error = r["std_error"].as_f64().unwrap();
    assert!(
        error > 0.0 && r["abs_error"].as_f64().unwrap() < 5.0 * error,
        "{r}"
    );
}

#[test]
fn weak_scaling_grows_n_with_t_and_reports_both_models() {
    let lines = reports(
        "weak_scaling",
        &["--n", "100001", "--repeats", "1", "--max-threads", "2"],
    );
    let threads: Vec<u64> = lines
        .iter()
        .map(|l| l["threads"].as_u64().unwrap())
        .collect();
    assert!(threads.starts_with(&[1, 2]), "{threads:?}");
    for l in &lines {
        let t = l["threads"].as_u64().unwrap();
        assert_eq!(l["weak_n"].as_u64(), Some(100_001 * t), "{l}");
        assert_eq!(l["karp_flatt"].is_null(), t == 1, "{l}");
        assert_eq!(l["gustafson_serial"].is_null(), t == 1, "{l}");
        assert!(l["speed_up"].as_f64().unwrap() > 0.0, "{l}");
    }
}

#[test]
fn the_roofline_places_every_strategy_and_writes_its_chart() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let output = run(
        "roofline",
        &[
            "--n",
            "1e6",
            "--stored",
            "100000",
            "--repeats",
            "1",
            "--threads",
            "2",
            "--out",
            out,
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    for row in [
        "sequential",
        "fast_parallel",
        "memory_bound",
        "scan/two-pass",
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with(row)),
            "{row} missing: {stdout}"
        );
    }
    let data: Roofline =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("roofline.json")).unwrap())
            .unwrap();
    assert_eq!(
        (data.compute.len(), data.bandwidth.len(), data.points.len()),
        (3, 2, 7)
    );
    let svg = std::fs::read_to_string(dir.path().join("roofline.svg")).unwrap();
    assert!(svg.contains("memory_bound T=2") && svg.contains("no memory traffic"));
}

#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    for (name, args, says) in [
        (
            "fork_join",
            &["--grain", "0"][..],
            "invalid value '0' for '--grain <GRAIN>'",
        ),
        (
            "fork_join",
            &["--how", "iter", "--work", "uneven", "--n", "1000"],
            "--work uneven",
        ),
        (
            "schedule",
            &["--chunk", "0"],
            "invalid value '0' for '--chunk <CHUNK>'",
        ),
        (
            "schedule",
            &["--n", "10", "--chunk", "11"],
            "--chunk 11 is more than --n 10",
        ),
        (
            "scan",
            &["--how", "one-pass", "--threads", "2"],
            "it runs on one thread",
        ),
        ("scan", &["--work", "uneven"], "scan does even work only"),
        (
            "monte_carlo",
            &["--work", "uneven", "--n", "1000"],
            "--work uneven",
        ),
        ("weak_scaling", &["--timeline", "x"], "--timeline"),
        ("roofline", &["--work", "uneven"], "--work uneven"),
        (
            "roofline",
            &["--stored", "1", "--threads", "2"],
            "--stored 1 is fewer than --threads 2",
        ),
    ] {
        let output = run(name, args);
        assert_eq!(output.status.code(), Some(2), "{name} {args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("note:")).collect();
        assert_eq!(lines.len(), 1, "{name} {args:?}: {stderr}");
        assert!(lines[0].contains(says), "{name} {args:?}: {}", lines[0]);
    }
}
