//! The `compare` example: Rust's rows always, CPython's rows when `python3`
//! runs, every result the same integral, and a clear note without Python.

use serde_json::Value;
use std::process::{Command, Output};

mod common;
use common::{example, script};

const RUST: &[&str] = &[
    "sequential",
    "fast_sequential",
    "threads",
    "scoped_threads",
    "mutex/chunk",
    "atomic/chunk",
    "slots/adjacent",
    "slots/padded",
    "channels",
    "queue",
    "fast_parallel",
    "rayon/chunks",
    "rayon/indices",
    "processes",
];
const PYTHON: &[&str] = &["sequential", "threading", "multiprocessing"];

/// Runs the example with these flags (separated by spaces).
fn compare(flags: &str) -> Output {
    Command::new(example("compare"))
        .args(flags.split_whitespace())
        .output()
        .expect("the compare example starts")
}

/// Whether `python3` runs here. Without it, the test that asks says it skips
/// its Python part (in one line on stderr, which `cargo test` shows), except
/// in CI (`CI` set), where Python is installed on purpose and its absence
/// fails the test: the Python rows must not go unchecked there by accident.
fn python_present(test: &str) -> bool {
    let present = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: python3 is not installed, and CI is set: install python3"
        );
        eprintln!("{test}: skips its Python part: python3 is not installed");
    }
    present
}

fn rows(output: &Output) -> Vec<Value> {
    assert!(
        output.status.success(),
        "compare failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    common::json_lines(&String::from_utf8_lossy(&output.stdout))
}

fn find<'a>(rows: &'a [Value], language: &str, strategy: &str) -> Option<&'a Value> {
    rows.iter()
        .find(|r| r["language"] == language && r["strategy"] == strategy)
}

#[test]
fn json_has_rust_rows_and_python_rows_that_agree() {
    let rows = rows(&compare("--n 2000 --threads 2 --repeats 1 --json"));
    let reference = find(&rows, "rust", "sequential").expect("a Rust sequential row")["result"]
        .as_f64()
        .unwrap();
    let left_sum = parallel_workbook::Problem::new(0.0, 10.0, 2000)
        .unwrap()
        .exact_left_sum();
    assert!((reference - left_sum).abs() < 1e-9 * left_sum);
    for name in RUST {
        let row = find(&rows, "rust", name).unwrap_or_else(|| panic!("no Rust row {name}"));
        let parallel = !name.contains("sequential");
        assert_eq!(row["threads"], if parallel { 2 } else { 1 }, "{name}");
        assert_eq!(row["n"], 2000, "{name}");
        assert!(row["seconds"].as_f64().unwrap() > 0.0, "{name}");
        assert!(row["speedup"].as_f64().unwrap() > 0.0, "{name}");
    }
    if !python_present("json_has_rust_rows_and_python_rows_that_agree") {
        return;
    }
    for name in PYTHON {
        let row = find(&rows, "python", name).unwrap_or_else(|| panic!("no Python row {name}"));
        let result = row["result"].as_f64().unwrap();
        assert!(
            (result - reference).abs() <= 1e-9 * reference.abs(),
            "Python {name}: {result} vs Rust {reference}"
        );
        assert!(row["speedup"].as_f64().unwrap() > 0.0, "{name}");
    }
    // Same chunking rule, same order of additions: the same bits.
    assert_eq!(
        find(&rows, "python", "threading").unwrap()["result"],
        find(&rows, "rust", "threads").unwrap()["result"]
    );
}

#[test]
fn text_table_lists_every_row() {
    let output = compare("--n 1000 --threads 2 --repeats 1");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("speed-up"), "{text}");
    for name in RUST {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{name} ")) && l.contains(" rust ")),
            "no Rust row {name} in:\n{text}"
        );
    }
    if python_present("text_table_lists_every_row") {
        for name in PYTHON {
            assert!(
                text.lines()
                    .any(|l| l.starts_with(&format!("{name} ")) && l.contains(" python3 ")),
                "no Python row {name} in:\n{text}"
            );
        }
    }
}

#[test]
fn without_python_a_note_and_the_rust_rows() {
    let output = compare("--n 1000 --threads 2 --repeats 1 --json --python /nonexistent/python3");
    let rows = rows(&output);
    assert!(rows.iter().all(|r| r["language"] == "rust"));
    assert_eq!(rows.len(), RUST.len());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "one note line: {stderr}");
    assert!(
        stderr.starts_with("note: /nonexistent/python3 not found"),
        "{stderr}"
    );
}

#[test]
fn a_failing_python_script_is_a_note_too() {
    if !python_present("a_failing_python_script_is_a_note_too") {
        return;
    }
    // An "interpreter" that fails: `false` exits 1 whatever its arguments.
    let output = compare("--n 1000 --threads 2 --repeats 1 --json --python false");
    let rows = rows(&output);
    assert_eq!(rows.len(), RUST.len());
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("note: false "));
}

#[test]
fn bad_input_is_one_line_and_a_nonzero_exit() {
    for args in ["--repeats 0", "--n 0", "--n 10 --threads 20"] {
        let output = compare(args);
        assert!(!output.status.success(), "{args}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("error:"), "{args}: {stderr}");
    }
}

#[test]
fn the_python_script_refuses_bad_input_in_one_line() {
    if !python_present("the_python_script_refuses_bad_input_in_one_line") {
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/python/integrate.py");
    for args in [
        &["--n", "0"][..],
        &["--n", "3", "--threads", "4"],
        &["--strategies", "gil"],
        &["--a", "nan"],
    ] {
        let output = Command::new("python3")
            .arg(script)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
}

/// This machine may have no free-threaded CPython, so a stand-in named
/// `python3.13t` goes on the PATH: it runs `python3`, but answers the two
/// questions integrate.py asks (is this build free-threaded, is the GIL on)
/// the way a free-threaded build with the GIL off does. `compare` must find
/// it without being told, run it next to `python3`, and label its rows.
#[cfg(target_os = "linux")]
#[test]
fn a_free_threaded_python_on_the_path_gets_rows_of_its_own() {
    if !python_present("a_free_threaded_python_on_the_path_gets_rows_of_its_own") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("workbook-free-threaded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    script(
        &dir,
        "python3.13t",
        r#"#!/bin/sh
exec python3 -c 'import multiprocessing, sys, sysconfig
multiprocessing.set_start_method("fork")
real = sysconfig.get_config_var
sysconfig.get_config_var = lambda name: 1 if name == "Py_GIL_DISABLED" else real(name)
sys._is_gil_enabled = lambda: False
script = sys.argv[1]
sys.argv = sys.argv[1:]
exec(compile(open(script).read(), script, "exec"))' "$@"
"#,
    );
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |flags: &str| {
        Command::new(example("compare"))
            .args(flags.split_whitespace())
            .env("PATH", &path)
            .output()
            .unwrap()
    };

    let rows = rows(&run("--n 2000 --threads 2 --repeats 1 --json"));
    for name in PYTHON {
        let row = rows
            .iter()
            .find(|r| r["interpreter"] == "python3.13t" && r["strategy"] == *name)
            .unwrap_or_else(|| panic!("no python3.13t row {name}"));
        assert_eq!(row["language"], "python");
        assert_eq!(row["free_threaded"], true, "{row}");
        assert_eq!(row["gil"], false, "{row}");
        assert!(row["speedup"].as_f64().unwrap() > 0.0, "{name}");
        let default = find(&rows, "python", name).unwrap();
        assert_eq!(
            default["interpreter"], "python3",
            "python3's rows come first"
        );
        assert_eq!(
            row["result"], default["result"],
            "the same sum, the same bits"
        );
    }
    let output = run("--n 1000 --threads 2 --repeats 1");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.lines().any(|l| l.starts_with("python3.13t: CPython ")
            && l.ends_with("free-threaded build, GIL off")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("threading ") && l.contains(" python3.13t ")),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
