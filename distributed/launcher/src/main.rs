//! `cargo mpi -n RANKS EXAMPLE [FLAGS...]`: builds `distributed/examples/EXAMPLE.rs`
//! (release) and runs it as `mpiexec -n RANKS <the built program> FLAGS...`.
//!
//! Without MPI, it stops with one line saying what to install, where cargo
//! would print the build script's page of reasons. (A build script of our
//! own cannot do that: cargo runs the build scripts of a package's
//! dependencies first, so rsmpi's fails before ours would start.)

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

const USAGE: &str = "usage: cargo mpi -n RANKS EXAMPLE [FLAGS...]   e.g. cargo mpi -n 2 mpi_reduce --n 1e9 --compare";

/// The advice, from the one file that holds it.
const INSTALL: &str = include_str!("../../install-mpi.txt");

/// The workspace of the MPI examples, next to this package.
const MANIFEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
struct Request {
    ranks: u32,
    example: String,
    flags: Vec<String>,
}

fn parse(args: &[String]) -> Result<Request, String> {
    let mut args = args.iter();
    let ranks = match args.next().map(String::as_str) {
        Some("-n" | "--ranks") => args.next().map(String::as_str),
        Some(other) => match other.strip_prefix("-n") {
            Some(count) if !count.is_empty() => Some(count),
            _ => return Err(USAGE.to_owned()),
        },
        None => return Err(USAGE.to_owned()),
    };
    let ranks = match ranks.map(str::parse::<u32>) {
        Some(Ok(r)) if r >= 1 => r,
        _ => return Err(format!("-n needs a number of ranks, at least 1. {USAGE}")),
    };
    let Some(example) = args.next() else {
        return Err(USAGE.to_owned());
    };
    Ok(Request {
        ranks,
        example: example.clone(),
        flags: args.cloned().collect(),
    })
}

fn run(args: Vec<String>) -> Result<ExitCode, String> {
    let request = parse(&args)?;
    let examples = examples();
    if !examples.contains(&request.example) {
        return Err(format!(
            "no MPI example named {:?}; there are: {}",
            request.example,
            examples.join(", ")
        ));
    }
    let mpiexec = std::env::var("MPIEXEC").unwrap_or_else(|_| "mpiexec".to_owned());
    if Command::new(&mpiexec)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_err()
    {
        return Err(format!(
            "{mpiexec} not found: MPI is not installed. {}",
            INSTALL.trim()
        ));
    }
    let program = build(&request.example)?;
    let shown = program
        .strip_prefix(std::env::current_dir().unwrap_or_default())
        .unwrap_or(&program);
    eprintln!(
        "     Running `{mpiexec} -n {} {}{}`",
        request.ranks,
        shown.display(),
        request
            .flags
            .iter()
            .map(|f| format!(" {f}"))
            .collect::<String>()
    );
    let status = Command::new(&mpiexec)
        .arg("-n")
        .arg(request.ranks.to_string())
        .arg(&program)
        .args(&request.flags)
        .status()
        .map_err(|e| format!("cannot start {mpiexec}: {e}"))?;
    Ok(match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::from(1),
    })
}

/// The MPI examples: the files of distributed/examples/, in order.
fn examples() -> Vec<String> {
    let dir = Path::new(MANIFEST).with_file_name("examples");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".rs").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

/// Builds the example with cargo and returns the program's path. cargo's
/// own output is kept back and shown only when the build fails for a
/// reason other than a missing MPI or libclang.
fn build(example: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = Path::new(MANIFEST);
    let built_before = manifest
        .with_file_name("target/release/examples")
        .join(example)
        .exists();
    if !built_before {
        eprintln!(
            "    Building {example} (the first build compiles the MPI bindings: about a minute)"
        );
    }
    let output = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "--message-format=json-render-diagnostics",
        ])
        .arg("--manifest-path")
        .arg(manifest)
        .args(["--package", "workbook-distributed", "--example", example])
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        if let Some(cause) = missing_prerequisite(&stderr) {
            return Err(format!("{cause}. {}", INSTALL.trim()));
        }
        eprint!("{stderr}");
        return Err(format!("building the example {example} failed"));
    }
    eprint!("{stderr}");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter(|message| message["target"]["name"] == example)
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| format!("cargo built {example} but did not say where"))
}

/// Recognizes the two build failures that mean "install something" in
/// cargo's output: rsmpi's search for an MPI library, and bindgen's for
/// libclang.
fn missing_prerequisite(cargo_stderr: &str) -> Option<&'static str> {
    if cargo_stderr.contains("failed to find an MPI library") {
        Some("rsmpi found no MPI library to build against (no mpicc, no mpich.pc)")
    } else if cargo_stderr.contains("libclang") && cargo_stderr.contains("mpi-sys") {
        Some("rsmpi's build needs libclang, and found none")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_command_line() {
        let request = parse(&strings(&["-n", "4", "mpi_reduce", "--n", "1e9"])).unwrap();
        assert_eq!(
            request,
            Request {
                ranks: 4,
                example: "mpi_reduce".into(),
                flags: strings(&["--n", "1e9"]),
            }
        );
        assert_eq!(parse(&strings(&["-n2", "mpi_hybrid"])).unwrap().ranks, 2);
        for bad in [
            &[][..],
            &["mpi_reduce"],
            &["-n", "0", "x"],
            &["-n", "two", "x"],
            &["-n", "2"],
        ] {
            let error = parse(&strings(bad)).unwrap_err();
            assert!(
                error.contains("usage: cargo mpi -n RANKS EXAMPLE"),
                "{bad:?}: {error}"
            );
        }
    }

    #[test]
    fn a_missing_mpi_or_libclang_is_recognized() {
        // What cargo printed on Debian 12 without mpich (rsmpi 0.8.2, mpi-sys 0.2.4).
        let no_mpi = "error: failed to run custom build command for `mpi-sys v0.2.4`\n\
            This library checks multiple methods to find an MPI library on your system. \
            This process has failed to find an MPI library for various reasons:";
        assert!(
            missing_prerequisite(no_mpi)
                .unwrap()
                .contains("no MPI library")
        );
        // And with MPI but without libclang (bindgen's message, through clang-sys).
        let no_clang = "error: failed to run custom build command for `mpi-sys v0.2.4`\n\
            Unable to find libclang: \"couldn't find any valid shared libraries matching: \
            ['libclang.so', 'libclang-*.so']\"";
        assert!(missing_prerequisite(no_clang).unwrap().contains("libclang"));
        let type_error = "error[E0308]: mismatched types\n --> examples/mpi_reduce.rs:3:5";
        assert_eq!(missing_prerequisite(type_error), None);
    }
}
