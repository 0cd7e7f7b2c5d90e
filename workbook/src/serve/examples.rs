//! Examples run from their command blocks: `cargo run --release --example
//! NAME -- FLAGS`, as the learner would type it, without a shell. Only
//! examples that exist in `examples/`; the flags go to the example as they
//! are, and its own parser accepts them or answers with its one-line error.

use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::runs::{Done, RunContext, failed, stopped};
use super::snippet::{compile_errors, ended, over_limit_compiling};
use crate::cargo::{self, Options, Targets};
use crate::process::{End, Limits};

/// Every example: the `*.rs` files directly in `examples/`.
pub fn names(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("examples"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rs"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

/// Flags that name a program for the example to run (`limit --c PROGRAM`):
/// from the page they would run anything on the machine; in a terminal
/// they are fine.
pub const PROGRAM_FLAGS: &[&str] = &["--c", "--c-parallel"];

/// Flags may name files (`--out target/scaling`), but only inside the
/// repository: no absolute paths, no `..`, in any part of an argument
/// (`--timeline /abs/x=1` is a path too); and none may name a program.
pub fn check_args(args: &[String]) -> Result<(), String> {
    if args.len() > 64 {
        return Err("more than 64 arguments".into());
    }
    for arg in args {
        let flag = arg.split_once('=').map_or(arg.as_str(), |(flag, _)| flag);
        if PROGRAM_FLAGS.contains(&flag) {
            return Err(format!(
                "{flag} runs a program of your choosing: from the page it is refused; run the command in a terminal"
            ));
        }
        let leaves = |part: &str| {
            let path = Path::new(part);
            path.is_absolute()
                || part.starts_with('~')
                || path.components().any(|c| c == Component::ParentDir)
        };
        if std::iter::once(arg.as_str())
            .chain(arg.split('='))
            .any(leaves)
        {
            return Err(format!(
                "{arg}: paths must stay inside the repository (no absolute paths, no `..`)"
            ));
        }
    }
    Ok(())
}

/// cargo's target directory, as `cargo run` would use it here.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// Builds the example (release), then runs it with `args` in the
/// repository root, streaming what it prints.
pub fn run(root: &Path, name: &str, args: &[String], time: Duration, ctx: &RunContext) -> Done {
    let started = Instant::now();
    ctx.phase("compiling");
    let options = Options {
        on_progress: Some(ctx.on_build_output()),
        ..ctx.cargo_options(Limits::generous())
    };
    let build = match cargo::build_with(root, &target_dir(root), Targets::Example(name), &options) {
        Ok(build) => build,
        Err(e) => return failed(format!("{e:#}")),
    };
    let base = Done {
        compile_s: started.elapsed().as_secs_f64(),
        ..Done::default()
    };
    if ctx.stopped() {
        return stopped(base);
    }
    if let Some(End::OverLimit(exceeded)) = build.end {
        return over_limit_compiling(exceeded, base);
    }
    if !build.success {
        return compile_errors(ctx, &build, base);
    }
    let Some(exe) = build.executables.get(name) else {
        return failed(format!("cargo built no program for example {name}"));
    };
    ctx.phase("running");
    let mut cmd = Command::new(exe);
    cmd.args(args).current_dir(root);
    let limits = Limits {
        time,
        output: 1 << 20,
    };
    let finished = ctx.supervise(cmd, limits);
    match finished {
        Ok(done) => ended(
            &done,
            Done {
                run_s: done.elapsed.as_secs_f64(),
                ..base
            },
            time,
        ),
        Err(e) => failed(format!("{e:#}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_repository() {
        let ok: Vec<String> = ["--out", "target/scaling", "--n=1e6"]
            .map(String::from)
            .to_vec();
        assert!(check_args(&ok).is_ok());
        for bad in [
            "/etc/passwd",
            "--out=/tmp/x",
            "../../x",
            "target/../../x",
            "/abs/x=1",
            "x=/abs/y",
            "--timeline=a=../b",
            "~/x",
            "--c",
            "--c=cc",
            "--c-parallel",
        ] {
            assert!(check_args(&[bad.to_string()]).is_err(), "{bad}");
        }
    }
}
