//! Runs the built `detached` and `io_bound` examples and checks what they
//! print. `cargo test` builds the examples before it runs this file; their
//! binaries sit next to this test's: target/<profile>/examples/NAME.
//! No assertion here depends on timing.

use std::process::Output;

mod common;
use common::run;

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn detached_worker_is_stopped_when_main_returns() {
    let output = run("detached", &[]);
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    assert!(text.contains("main: returning without joining"), "{text}");
    // The process exited before the worker finished: its last tick, its final
    // line and its destructor never ran. (How many ticks came before depends
    // on the machine's load, so the test does not count them.)
    assert!(!text.contains("worker: tick 10/10"), "{text}");
    assert!(!text.contains("worker: done"), "{text}");
    assert!(!text.contains("cleanup ran"), "{text}");
}

#[test]
fn detached_with_join_lets_the_worker_finish() {
    let output = run("detached", &["--join"]);
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let at = |line: &str| {
        lines
            .iter()
            .position(|l| *l == line)
            .unwrap_or_else(|| panic!("no {line:?} in:\n{text}"))
    };
    assert!(at("main: joining the worker") < at("worker: tick 10/10"));
    assert!(at("worker: tick 10/10") < at("worker: done"));
    assert!(at("worker: done") < at("worker: cleanup ran (its values were dropped)"));
    for tick in 1..=10 {
        at(&format!("worker: tick {tick}/10"));
    }
}

#[test]
fn detached_rejects_unknown_flags() {
    let output = run("detached", &["--joni"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error:"));
}

#[test]
fn io_bound_completes_every_task_for_each_thread_count() {
    let output = run("io_bound", &["--tasks", "40", "--wait-ms", "1", "--json"]);
    assert!(output.status.success(), "{output:?}");
    let reports = common::json_lines(&stdout(&output));
    // 1 thread, one per core (when that is neither 1 nor 40), one per task.
    assert!((2..=3).contains(&reports.len()), "{reports:?}");
    assert_eq!(reports.first().unwrap()["threads"], 1);
    assert_eq!(reports.last().unwrap()["threads"], 40);
    for report in &reports {
        assert_eq!(report["strategy"], "io_bound");
        assert_eq!(report["tasks"], 40);
        assert_eq!(report["completed"], 40);
        assert_eq!(report["wait_ms"], 1);
        assert!(report["seconds"].as_f64().is_some_and(|s| s >= 0.0));
    }
}

#[test]
fn io_bound_with_fixed_threads_splits_uneven_tasks() {
    // 7 threads do not divide 100 tasks: the chunking rule still covers all.
    let output = run(
        "io_bound",
        &["--tasks", "100", "--threads", "7", "--wait-ms", "0"],
    );
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("tasks=100") && text.contains("T=7") && text.contains("completed=100"),
        "{text}"
    );
}

#[test]
fn io_bound_refuses_bad_input_in_one_line() {
    for args in [
        &["--tasks", "10001"][..],
        &["--tasks", "10", "--threads", "11"],
        &["--tasks", "0"],
        &["--wait-ms", "20000"],
    ] {
        let output = run("io_bound", args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error:"), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
