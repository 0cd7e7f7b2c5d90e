//! `cargo mpi` where MPI is missing, or the command line is wrong: one line
//! on stderr, exit code 2, nothing built.

use std::process::{Command, Output};

fn cargo_mpi(args: &[&str], mpiexec: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-mpi"))
        .args(args)
        .env("MPIEXEC", mpiexec)
        .output()
        .expect("cargo-mpi starts")
}

fn one_error_line(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    lines[0].to_owned()
}

#[test]
fn without_mpiexec_it_says_what_to_install_in_one_line() {
    let out = cargo_mpi(&["-n", "2", "mpi_reduce"], "/nonexistent/mpiexec");
    let line = one_error_line(&out);
    assert!(line.contains("MPI is not installed"), "{line}");
    for advice in [
        "sudo apt-get install mpich libmpich-dev libclang-dev",
        "sudo dnf install mpich-devel clang-devel",
        "brew install mpich",
    ] {
        assert!(line.contains(advice), "{line}");
    }
    assert!(out.stdout.is_empty());
}

#[test]
fn a_wrong_command_line_is_one_line() {
    for args in [&[][..], &["-n", "2"], &["-n", "0", "mpi_reduce"]] {
        let line = one_error_line(&cargo_mpi(args, "mpiexec"));
        assert!(
            line.contains("usage: cargo mpi [-n RANKS] EXAMPLE"),
            "{args:?}: {line}"
        );
    }
    let line = one_error_line(&cargo_mpi(&["-n", "2", "nosuch"], "/nonexistent/mpiexec"));
    // The list names the examples there are, in order.
    let list = line
        .split_once("no MPI example named \"nosuch\"; there are: ")
        .map(|(_, list)| list)
        .unwrap_or_else(|| panic!("{line}"));
    let names: Vec<&str> = list.split(", ").collect();
    assert!(names.contains(&"mpi_reduce") && names.is_sorted(), "{line}");
}
