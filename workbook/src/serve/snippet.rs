//! Snippets from the page: a complete program, compiled with the learner's
//! own toolchain in a scratch crate (`target/workbook-snippets/`) that can
//! use `parallel_workbook`, `rayon` and std, in release mode (timings must
//! be honest), then run under limits. Code already compiled is not compiled
//! again: programs are kept by the hash of their code (and of the library).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use sha2::{Digest, Sha256};

use super::runs::{Done, Outcome, OutputStream, Phase, RunContext, RunEvent, failed, stopped};
use crate::cargo::{self, Targets};
use crate::files;
use crate::process::{self, End, Finished, Limits};

/// The scratch crate's directory.
pub fn scratch_dir(root: &Path) -> PathBuf {
    root.join("target").join("workbook-snippets")
}

/// Writes the scratch crate (only what changed). Its lock file starts as a
/// copy of the workbook's, so it uses the versions already downloaded and
/// needs no network.
pub fn prepare(root: &Path) -> Result<PathBuf> {
    let dir = scratch_dir(root);
    let manifest = format!(
        "# Written by `cargo workbook serve`: the crate that compiles the book's snippets.\n\
         [package]\nname = \"workbook-snippet\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [[bin]]\nname = \"snippet\"\npath = \"src/main.rs\"\n\n\
         [dependencies]\nparallel-workbook = {{ path = {:?} }}\nrayon = \"1\"\n\n\
         [workspace]\n",
        root.display().to_string()
    );
    let write = |path: PathBuf, bytes: &[u8]| -> Result<()> {
        if std::fs::read(&path).ok().as_deref() != Some(bytes) {
            files::write_atomically(&path, bytes)
                .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))?;
        }
        Ok(())
    };
    write(dir.join("Cargo.toml"), manifest.as_bytes())?;
    let lock = dir.join("Cargo.lock");
    if !lock.exists()
        && let Ok(bytes) = std::fs::read(root.join("Cargo.lock"))
    {
        write(lock, &bytes)?;
    }
    let main = dir.join("src").join("main.rs");
    if !main.exists() {
        write(main, b"fn main() {}\n")?;
    }
    Ok(dir)
}

/// Holds the scratch crate for one build: every server on this checkout
/// (and `cargo test`) shares it, and each writes its `src/main.rs`, so two
/// builds at once would compile one's code under the other's hash. An
/// advisory lock (`flock`) on `target/workbook-snippets/.lock`, released when
/// dropped.
pub struct ScratchLock(#[allow(dead_code)] std::fs::File);

impl ScratchLock {
    pub fn take(root: &Path) -> Result<ScratchLock> {
        let dir = scratch_dir(root);
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow!("cannot create {}: {e}", dir.display()))?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(".lock"))
            .map_err(|e| anyhow!("cannot open the snippet crate's lock: {e}"))?;
        // The trait's method by name: std's inherent `File::lock` is newer
        // than the workbook's minimum Rust.
        fs4::FileExt::lock(&file).map_err(|e| anyhow!("cannot lock the snippet crate: {e}"))?;
        Ok(ScratchLock(file))
    }
}

/// A fingerprint of the library snippets build against: a snippet compiled
/// before the library changed is compiled again.
pub fn library_fingerprint(root: &Path) -> String {
    let mut hash = Sha256::new();
    for file in files::files_with_ext(&root.join("src"), "rs") {
        hash.update(file.to_string_lossy().as_bytes());
        hash.update(std::fs::read(&file).unwrap_or_default());
    }
    hex::encode(hash.finalize())
}

/// How long and how much a snippet may take.
#[derive(Clone, Copy, Debug)]
pub struct SnippetLimits {
    /// Compiling and running, together.
    pub time: Duration,
    pub output: usize,
}

/// Compiles the scratch crate once with an empty `main`, so that the
/// dependencies are built before the first snippet asks (a first build
/// takes a minute or two; it is not counted against any snippet's limit).
pub fn warm_up(root: &Path, ctx: &RunContext) -> Done {
    let _lock = match ScratchLock::take(root) {
        Ok(lock) => lock,
        Err(e) => return failed(format!("{e:#}")),
    };
    let dir = match prepare(root) {
        Ok(dir) => dir,
        Err(e) => return failed(format!("{e:#}")),
    };
    // An empty program: what the last snippet left there may not compile.
    if let Err(e) = files::write_atomically(&dir.join("src").join("main.rs"), b"fn main() {}\n") {
        return failed(format!("cannot write the snippet crate: {e}"));
    }
    ctx.phase(Phase::Preparing);
    let options = ctx.cargo_options(Limits::generous());
    match cargo::build_with(&dir, &dir.join("target"), Targets::Bin("snippet"), &options) {
        Ok(build) if build.success => Done {
            outcome: Outcome::Exited,
            message: "the snippet crate is ready".into(),
            ..Done::default()
        },
        Ok(build) => failed(format!(
            "cannot prepare the snippet crate: {}",
            cargo::last_error(&build.log)
        )),
        Err(e) => failed(format!("{e:#}")),
    }
}

/// Compiles (unless cached) and runs `code`, streaming its output.
pub fn run(
    root: &Path,
    library: &str,
    code: &str,
    limits: SnippetLimits,
    ctx: &RunContext,
) -> Done {
    let started = Instant::now();
    let dir = match prepare(root) {
        Ok(dir) => dir,
        Err(e) => return failed(format!("{e:#}")),
    };
    let key = hex::encode(Sha256::digest(format!("{library}\n{code}")));
    let program = dir.join("bin").join(&key);
    let cached = program.is_file();
    let mut compile_s = 0.0;
    if cached {
        ctx.phase(Phase::Cached);
    } else {
        ctx.phase(Phase::Compiling);
        let _lock = match ScratchLock::take(root) {
            Ok(lock) => lock,
            Err(e) => return failed(format!("{e:#}")),
        };
        let main = dir.join("src").join("main.rs");
        if let Err(e) = files::write_atomically(&main, code.as_bytes()) {
            return failed(format!("cannot write the snippet: {e}"));
        }
        let options = ctx.cargo_options(Limits {
            time: limits.time,
            ..Limits::generous()
        });
        let build =
            match cargo::build_with(&dir, &dir.join("target"), Targets::Bin("snippet"), &options) {
                Ok(build) => build,
                Err(e) => return failed(format!("{e:#}")),
            };
        compile_s = started.elapsed().as_secs_f64();
        let base = Done {
            compile_s,
            ..Done::default()
        };
        match build.end {
            Some(End::Stopped) => return stopped(base),
            Some(End::TimedOut) => {
                return Done {
                    outcome: Outcome::TimedOut,
                    message: format!(
                        "compiling took longer than the {} limit",
                        process::seconds(limits.time)
                    ),
                    ..base
                };
            }
            Some(End::OverLimit(exceeded)) => return over_limit_compiling(exceeded, base),
            _ => {}
        }
        if !build.failed.is_empty() || !build.success {
            return compile_errors(ctx, &build, base);
        }
        for warning in build.messages.iter().filter(|m| !m.is_error) {
            ctx.output(OutputStream::Build, warning.rendered.as_bytes());
        }
        let Some(exe) = build.executables.get("snippet") else {
            return failed("cargo built no program (is `fn main` missing?)");
        };
        if let Err(e) = keep(exe, &program) {
            return failed(format!("cannot keep the compiled program: {e}"));
        }
    }
    if ctx.stopped() {
        return stopped(Done::default());
    }
    let left = limits.time.saturating_sub(started.elapsed());
    ctx.phase(Phase::Running);
    let mut cmd = Command::new(&program);
    cmd.current_dir(&dir);
    super::runs::same_for_everyone(&mut cmd);
    let run_limits = Limits {
        time: left.max(Duration::from_millis(100)),
        output: limits.output,
    };
    let finished = ctx.supervise(cmd, run_limits);
    match finished {
        Ok(done) => ended(
            &done,
            Done {
                cached,
                compile_s,
                run_s: done.elapsed.as_secs_f64(),
                ..Done::default()
            },
            limits.time,
        ),
        Err(e) => failed(format!("{e:#}")),
    }
}

/// Copies the program out of cargo's target directory under its key.
fn keep(exe: &Path, program: &Path) -> std::io::Result<()> {
    let bytes = std::fs::read(exe)?;
    files::write_atomically(program, &bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(program, std::fs::Permissions::from_mode(0o755))?;
    }
    Ok(())
}

/// Every compiler error as its own event; the done line names the first.
pub fn compile_errors(ctx: &RunContext, build: &cargo::Build, base: Done) -> Done {
    let errors: Vec<_> = build.messages.iter().filter(|m| m.is_error).collect();
    for error in &errors {
        ctx.send(RunEvent::CompileError {
            code: error.code.clone(),
            rendered: error.rendered.clone(),
        });
    }
    let first = errors
        .iter()
        .find(|e| e.code.is_some())
        .or(errors.first())
        .map(|e| e.rendered.lines().next().unwrap_or("").to_string());
    Done {
        outcome: Outcome::DoesNotCompile,
        message: match first {
            Some(line) => format!("does not compile: {line}"),
            None => format!("cargo failed: {}", cargo::last_error(&build.log)),
        },
        ..base
    }
}

/// The done line for a build that passed a limit of its run (a program
/// that makes the compiler read `/dev/zero` with `include_bytes!`, say).
pub fn over_limit_compiling(exceeded: process::Exceeded, base: Done) -> Done {
    Done {
        outcome: Outcome::OverLimit,
        message: format!("compiling: the compiler {}", exceeded.describe()),
        ..base
    }
}

/// The done line for a program that ran (or was ended by a limit).
pub fn ended(done: &Finished, base: Done, time_limit: Duration) -> Done {
    let (outcome, exit_code, message) = match done.end {
        End::Exited(status) => (
            Outcome::Exited,
            status.code(),
            process::describe_exit(status),
        ),
        End::TimedOut => (
            Outcome::TimedOut,
            None,
            format!(
                "stopped at the {} limit: an endless loop or a deadlock? (its whole process group was killed)",
                process::seconds(time_limit)
            ),
        ),
        End::TooMuchOutput => (
            Outcome::TooMuchOutput,
            None,
            format!(
                "stopped after printing more than {} (the rest is not shown)",
                process::bytes(done.limits.output)
            ),
        ),
        End::Stopped => (Outcome::Stopped, None, "stopped".into()),
        End::OverLimit(exceeded) => (
            Outcome::OverLimit,
            None,
            format!("the program {}", exceeded.describe()),
        ),
    };
    Done {
        outcome,
        exit_code,
        message,
        truncated: done.truncated,
        ..base
    }
}
