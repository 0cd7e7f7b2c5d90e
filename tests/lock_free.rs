//! Chapters 18.3 and 18.4 as the learner runs them: `store_buffering` counts
//! every round once and never sees 0, 0 with `SeqCst`; the lock-free stack
//! behaves as a stack, on one thread and on several; both examples refuse
//! bad input in one line. (Their loom models: tests/loom.rs and
//! tests/loom_treiber.rs.)

#[path = "../examples/treiber.rs"]
#[allow(dead_code)]
mod treiber;

mod common;
use common::run;

use serde_json::Value;
use std::process::Output;
use treiber::{TreiberStack, UnversionedStack};

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn store_buffering_counts_every_round_and_seqcst_never_reads_0_0() {
    for ordering in [
        "relaxed",
        "release-acquire",
        "seqcst",
        "seqcst-fence",
        "compiler-fence",
    ] {
        let report = json(&run(
            "store_buffering",
            &["--ordering", ordering, "--trials", "20000", "--json"],
        ));
        let count = |key: &str| {
            report[key]
                .as_u64()
                .unwrap_or_else(|| panic!("{key} in {report}"))
        };
        let total = count("both_saw_0")
            + count("a_saw_0_b_saw_1")
            + count("a_saw_1_b_saw_0")
            + count("both_saw_1");
        assert_eq!(
            total, 20_000,
            "{ordering}: every round counted once: {report}"
        );
        assert_eq!(report["ordering"], ordering);
        // Forbidden by the language, not unlikely: a 0, 0 here is a bug in
        // the program (or the compiler), never bad luck.
        if ordering.starts_with("seqcst") {
            assert_eq!(count("both_saw_0"), 0, "{ordering}: {report}");
        }
    }
}

#[test]
fn treiber_and_mutex_stacks_hand_out_every_value_once() {
    for stack in ["treiber", "mutex"] {
        for threads in ["1", "3"] {
            let report = json(&run(
                "treiber",
                &[
                    "--stack",
                    stack,
                    "--threads",
                    threads,
                    "--ops",
                    "20000",
                    "--json",
                ],
            ));
            assert_eq!(report["stack"], stack);
            assert_eq!(report["every_value_once"], true, "{report}");
            assert!(report["mops_per_s"].as_f64().unwrap() > 0.0, "{report}");
        }
    }
}

#[test]
fn bad_values_are_one_line_errors_not_panics() {
    for (name, args) in [
        ("store_buffering", &["--trials", "0"][..]),
        ("store_buffering", &["--trials", "1e9"][..]),
        ("store_buffering", &["--ordering", "acquire"][..]),
        ("treiber", &["--threads", "0"][..]),
        ("treiber", &["--ops", "0"][..]),
        ("treiber", &["--stack", "untagged"][..]),
        ("treiber", &["--threads", "1000", "--ops", "1e7"][..]),
    ] {
        let out = run(name, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name} {args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{name} {args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{name} {args:?}: {stderr}");
    }
}

#[test]
fn the_stack_is_last_in_first_out_and_bounded() {
    let stack = TreiberStack::with_capacity(3);
    assert_eq!(stack.pop(), None);
    for value in [1, 2, 3] {
        stack.push(value).unwrap();
    }
    assert_eq!(stack.push(4), Err(4), "full: the value comes back");
    assert_eq!(stack.pop(), Some(3));
    stack.push(5).unwrap();
    let rest: Vec<u64> = std::iter::from_fn(|| stack.pop()).collect();
    assert_eq!(rest, [5, 2, 1]);
    assert_eq!(stack.pop(), None);
}

#[test]
fn a_stack_without_room_refuses_every_push() {
    let stack = TreiberStack::with_capacity(0);
    assert_eq!(stack.push(7), Err(7));
    assert_eq!(stack.pop(), None);
}

/// On one thread there is no interleaving, so no ABA: the stack without
/// versions behaves exactly like the one with them.
#[test]
fn without_versions_one_thread_sees_no_difference() {
    let (versioned, plain) = (
        TreiberStack::with_capacity(2),
        UnversionedStack::with_capacity(2),
    );
    for (op, value) in [
        (true, 1),
        (true, 2),
        (false, 0),
        (true, 3),
        (false, 0),
        (false, 0),
        (false, 0),
    ] {
        if op {
            assert_eq!(versioned.push(value), plain.push(value));
        } else {
            assert_eq!(versioned.pop(), plain.pop());
        }
    }
}
