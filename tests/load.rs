//! The `load` example: it runs a command while its threads keep the cores
//! busy, passes the command's output and exit status through, stops by
//! itself, and refuses bad input in one line. No assertion depends on timing.

use std::process::{Command, Output};

mod common;

fn load(args: &[&str]) -> Output {
    Command::new(common::example("load"))
        .args(args)
        .output()
        .expect("the example starts")
}

fn threads_binary() -> String {
    common::example("threads").display().to_string()
}

#[test]
fn runs_the_command_while_busy_and_passes_its_output_through() {
    let threads = threads_binary();
    let output = load(&[
        "--busy",
        "2",
        "--",
        &threads,
        "--n",
        "1000",
        "--threads",
        "2",
    ]);
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("load: 2 busy threads on "), "{text}");
    assert!(lines[0].ends_with("while the command runs"), "{text}");
    assert!(
        lines[1].starts_with("threads ") && lines[1].contains("N=1000 T=2"),
        "{text}"
    );
    assert!(lines[2].starts_with("load: stopped after "), "{text}");
}

#[test]
fn the_commands_exit_status_is_its_own() {
    let threads = threads_binary();
    let refused = load(&["--busy", "1", "--", &threads, "--threads", "0"]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).starts_with("error: "));

    let missing = load(&["--busy", "1", "--", "no-such-program-here"]);
    assert_eq!(missing.status.code(), Some(2), "{missing:?}");
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.starts_with("error: cannot run no-such-program-here"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn alone_it_stops_after_its_seconds() {
    let output = load(&["--busy", "1", "--seconds", "1"]);
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("load: 1 busy thread on "), "{text}");
    assert!(text.contains("load: stopped after "), "{text}");
}

#[test]
fn bad_input_gets_one_clear_error() {
    for (args, flag) in [
        (&["--busy", "0"][..], "--busy"),
        (&["--busy", "5000"][..], "--busy"),
        (&["--seconds", "0"][..], "--seconds"),
        (&["--seconds", "99999"][..], "--seconds"),
        (&["--bogus"][..], "--bogus"),
    ] {
        let output = load(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error:") && stderr.contains(flag),
            "{args:?}: {stderr}"
        );
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
