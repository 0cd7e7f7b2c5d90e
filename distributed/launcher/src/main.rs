//! `cargo mpi -n RANKS EXAMPLE [FLAGS...]`: builds `distributed/examples/EXAMPLE.rs`
//! (release) and runs it as `mpiexec -n RANKS <the built program> FLAGS...`.
//! Without `-n`, it runs the program as one plain process (for
//! `mpi_crossover`, which starts its own jobs).
//!
//! Without MPI, it stops with one line saying what to install, where cargo
//! would print the build script's page of reasons. (A build script of our
//! own cannot do that: cargo runs the build scripts of a package's
//! dependencies first, so rsmpi's fails before ours would start.)

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

const USAGE: &str = "usage: cargo mpi [-n RANKS] EXAMPLE [FLAGS...]   e.g. cargo mpi -n 2 mpi_reduce --n 1e9 --compare";

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
    /// `-n RANKS`; without it, the program runs as one plain process.
    ranks: Option<u32>,
    example: String,
    flags: Vec<String>,
}

fn parse(args: &[String]) -> Result<Request, String> {
    let mut args = args.iter().map(String::as_str).peekable();
    let ranks = match args.peek().copied() {
        Some("-n") => {
            args.next();
            Some(args.next())
        }
        Some(first) if first.starts_with("-n") => {
            args.next();
            Some(first.strip_prefix("-n"))
        }
        Some(first) if first.starts_with('-') => return Err(USAGE.to_owned()),
        _ => None,
    };
    let ranks = match ranks.map(|count| count.map(str::parse::<u32>)) {
        None => None,
        Some(Some(Ok(r))) if r >= 1 => Some(r),
        Some(_) => return Err(format!("-n needs a number of ranks, at least 1. {USAGE}")),
    };
    let Some(example) = args.next() else {
        return Err(USAGE.to_owned());
    };
    Ok(Request {
        ranks,
        example: example.to_owned(),
        flags: args.map(str::to_owned).collect(),
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
        .unwrap_or(&program)
        .display()
        .to_string();
    let mut command = match request.ranks {
        Some(ranks) => {
            let mut command = Command::new(&mpiexec);
            command.args(["-n", &ranks.to_string()]).arg(&program);
            command
        }
        None => Command::new(&program),
    };
    command.args(&request.flags);
    let launch = match request.ranks {
        Some(ranks) => format!("{mpiexec} -n {ranks} {shown}"),
        None => shown,
    };
    eprintln!(
        "     Running `{launch}{}`",
        request
            .flags
            .iter()
            .map(|f| format!(" {f}"))
            .collect::<String>()
    );
    let status = command
        .status()
        .map_err(|e| format!("cannot start {launch}: {e}"))?;
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
                ranks: Some(4),
                example: "mpi_reduce".into(),
                flags: strings(&["--n", "1e9"]),
            }
        );
        assert_eq!(
            parse(&strings(&["-n2", "mpi_hybrid"])).unwrap().ranks,
            Some(2)
        );
        let direct = parse(&strings(&["mpi_crossover", "--ranks", "2"])).unwrap();
        assert_eq!(
            (direct.ranks, direct.flags),
            (None, strings(&["--ranks", "2"]))
        );
        for bad in [
            &[][..],
            &["-n", "0", "x"],
            &["-n", "two", "x"],
            &["-n", "2"],
            &["--ranks", "2", "x"],
        ] {
            let error = parse(&strings(bad)).unwrap_err();
            assert!(
                error.contains("usage: cargo mpi [-n RANKS] EXAMPLE"),
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
