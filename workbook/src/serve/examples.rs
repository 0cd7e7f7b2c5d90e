//! Examples run from their command blocks: `cargo run --release --example
//! NAME -- FLAGS`, as the learner would type it, without a shell. Only
//! examples that exist in `examples/`; the flags are split into words as a
//! shell would split them (`shlex`), go to the example as they are, and its
//! own parser accepts them or answers with its one-line error.
//!
//! What an example reports ([`parallel_workbook::Report`], the object its
//! `--json` prints) comes to the page as `report` events, through a side
//! channel: the server names a file in [`REPORTS_ENV`] (only the server sets
//! it), the example appends one JSON line per report to it, and the server
//! forwards each line as it is written (whole reports, at most
//! [`super::OUTPUT_LIMIT`] of them in all, as of each output stream). The
//! example's own output (what the learner reads in a terminal) stays as it
//! is.

use std::io::{BufRead, BufReader, Seek};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub use parallel_workbook::report::REPORTS_ENV;

use super::contract::ExamplePackage;
use super::runs::{Done, Phase, RunContext, failed, stopped};
use super::snippet::{compile_errors, ended, over_limit_compiling};
use crate::cargo::{self, Options, Targets};
use crate::process::{End, Limits};

/// The directory of a package's examples, and of the package itself.
fn package_dir(root: &Path, package: ExamplePackage) -> PathBuf {
    match package {
        ExamplePackage::Workbook => root.to_path_buf(),
        ExamplePackage::Async => root.join("async"),
        ExamplePackage::Mpi => root.join("distributed"),
    }
}

/// Every example of a package: the `*.rs` files directly in its `examples/`.
pub fn names(root: &Path, package: ExamplePackage) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(package_dir(root, package).join("examples"))
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

/// The most ranks a page may start (`cargo mpi -n RANKS`): enough for every
/// command of the book, few enough that a typo cannot start a thousand.
pub const MAX_RANKS: u32 = 16;

/// Why an MPI example cannot run from the page here, in one line: too many
/// ranks, or no MPI on this machine (what to install, as `cargo mpi` says).
pub fn mpi_refusal(ranks: Option<u32>) -> Option<String> {
    if let Some(ranks) = ranks.filter(|&r| r == 0 || r > MAX_RANKS) {
        return Some(format!(
            "-n {ranks}: the page starts 1 to {MAX_RANKS} ranks; run more in a terminal"
        ));
    }
    let mpi = crate::exercises::Requirement::Mpi;
    (!mpi.present()).then(|| format!("this example {}", mpi.missing_note()))
}

/// The characters that mean something to a shell beyond splitting words.
const SHELL_SYNTAX: &[char] = &['|', '&', ';', '<', '>', '(', ')', '$', '`'];

/// The flags as the learner typed them, split into words as a POSIX shell
/// would (quotes, backslashes, `#` comments), without running one: syntax
/// only a shell understands (pipes, redirections, `&`, `;`, `$(…)`,
/// variables) is refused, so what runs is exactly the words shown. The
/// words are then [`check_args`]'s.
pub fn split_flags(flags: &str) -> Result<Vec<String>, String> {
    let words = shlex::split(flags)
        .ok_or("the flags end inside a quote, or with a lone `\\`: close it".to_string())?;
    if let Some(c) = words
        .iter()
        .flat_map(|w| w.chars())
        .find(|c| SHELL_SYNTAX.contains(c))
    {
        return Err(format!(
            "`{c}` is shell syntax; the page runs the example without a shell, so leave it out"
        ));
    }
    check_args(&words)?;
    Ok(words)
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

/// cargo's target directory, as `cargo run` (or `cargo mpi`) would use it
/// here: the MPI examples are a workspace of their own, with its own.
fn target_dir(root: &Path, package: ExamplePackage) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| match package {
            ExamplePackage::Mpi => root.join("distributed").join("target"),
            ExamplePackage::Workbook | ExamplePackage::Async => root.join("target"),
        })
}

/// The reports of the examples run from the page since the server started,
/// newest last, at most [`KEPT_REPORTS`]: chapter 24.2's live roofline
/// places them (`/__workbook/roofline.json`).
pub type KeptReports = Arc<std::sync::Mutex<std::collections::VecDeque<super::contract::Report>>>;

/// How many reports [`KeptReports`] holds.
pub const KEPT_REPORTS: usize = 64;

fn keep(kept: &KeptReports, report: &super::contract::Report) {
    let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
    if kept.len() == KEPT_REPORTS {
        kept.pop_front();
    }
    kept.push_back(report.clone());
}

/// One example to run: whose, which, with what flags, on how many ranks.
pub struct Example<'a> {
    pub package: ExamplePackage,
    pub name: &'a str,
    pub args: &'a [String],
    /// MPI examples: `mpiexec -n RANKS`; `None` runs the program itself.
    pub ranks: Option<u32>,
    /// Where its reports are kept, besides going to the page.
    pub kept: &'a KeptReports,
}

/// Builds the example (release), then runs it with its flags in the
/// repository root, streaming what it prints (an MPI example under
/// `mpiexec`, as `cargo mpi` runs it).
pub fn run(root: &Path, example: &Example, time: Duration, ctx: &RunContext) -> Done {
    let Example {
        package,
        name,
        args,
        ranks,
        kept,
    } = *example;
    let started = Instant::now();
    ctx.phase(Phase::Compiling);
    let options = Options {
        on_progress: Some(ctx.on_build_output()),
        ..ctx.cargo_options(Limits::generous())
    };
    let build = match cargo::build_with(
        &package_dir(root, package),
        &target_dir(root, package),
        Targets::Example(name),
        &options,
    ) {
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
    ctx.phase(Phase::Running);
    let reports = match ReportChannel::open(ctx, kept) {
        Ok(reports) => reports,
        Err(e) => return failed(format!("cannot make the reports' side channel: {e}")),
    };
    let mut cmd = match ranks.filter(|_| package == ExamplePackage::Mpi) {
        Some(ranks) => {
            // `$MPIEXEC` names another launcher, as `cargo mpi` reads it.
            let mpiexec = std::env::var_os("MPIEXEC").unwrap_or_else(|| "mpiexec".into());
            let mut cmd = Command::new(mpiexec);
            cmd.arg("-n").arg(ranks.to_string()).arg(exe);
            cmd
        }
        None => Command::new(exe),
    };
    cmd.args(args)
        .current_dir(root)
        .env(REPORTS_ENV, reports.path());
    super::runs::same_for_everyone(&mut cmd);
    let limits = Limits {
        time,
        output: 1 << 20,
    };
    let finished = ctx.supervise(cmd, limits);
    reports.close();
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

/// The side channel of one run: a file the example appends its reports to,
/// read by a thread that forwards each complete line as a `report` event,
/// while the example runs and once more after it ends.
struct ReportChannel {
    file: tempfile::NamedTempFile,
    ended: Arc<AtomicBool>,
    reader: std::thread::JoinHandle<()>,
}

/// How often the reader looks for new reports while the example runs.
const REPORT_POLL: Duration = Duration::from_millis(100);

impl ReportChannel {
    fn open(ctx: &RunContext, kept: &KeptReports) -> std::io::Result<ReportChannel> {
        let file = tempfile::Builder::new()
            .prefix("workbook-reports-")
            .suffix(".jsonl")
            .tempfile()?;
        let mut lines = BufReader::new(file.reopen()?);
        let ended = Arc::new(AtomicBool::new(false));
        let (ctx, stop, kept) = (ctx.clone(), Arc::clone(&ended), Arc::clone(kept));
        let reader = std::thread::spawn(move || {
            let mut line = String::new();
            loop {
                // Read after looking at the flag: the last look sees all.
                let last = stop.load(Ordering::SeqCst);
                while forward_line(&mut lines, &mut line, &ctx, &kept) {}
                if last {
                    return;
                }
                std::thread::sleep(REPORT_POLL);
            }
        });
        Ok(ReportChannel {
            file,
            ended,
            reader,
        })
    }

    fn path(&self) -> &Path {
        self.file.path()
    }

    /// The example has ended: forwards what is left, then removes the file.
    fn close(self) {
        self.ended.store(true, Ordering::SeqCst);
        let _ = self.reader.join();
    }
}

/// Forwards the next complete line of `lines` as a `report` event; false
/// when there is none yet (a line still being written is read again later).
fn forward_line(
    lines: &mut BufReader<std::fs::File>,
    line: &mut String,
    ctx: &RunContext,
    kept: &KeptReports,
) -> bool {
    let at = lines.stream_position().unwrap_or(0);
    line.clear();
    match lines.read_line(line) {
        Ok(n) if n > 0 && line.ends_with('\n') => {
            if let Ok(report) = serde_json::from_str(line) {
                keep(kept, &report);
                ctx.report(report, n);
            }
            true
        }
        _ => {
            let _ = lines.seek(std::io::SeekFrom::Start(at));
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_split_as_a_shell_would_without_one() {
        let split = |flags: &str| split_flags(flags);
        let words = |w: &[&str]| Ok(w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            split("--n 1e9  --threads 2"),
            words(&["--n", "1e9", "--threads", "2"])
        );
        assert_eq!(
            split(r#"--out 'target/my dir' --label "say \"hi\"" --x\ y"#),
            words(&["--out", "target/my dir", "--label", "say \"hi\"", "--x y"])
        );
        assert_eq!(split("--n 1e6 # a comment"), words(&["--n", "1e6"]));
        assert_eq!(split(""), words(&[]));
        for (flags, refusal) in [
            ("--n 1e6 | head", "`|` is shell syntax"),
            ("--n $HOME", "`$` is shell syntax"),
            ("--n 1 & --n 2", "`&` is shell syntax"),
            ("--n 'open", "inside a quote"),
            ("--out /etc", "paths must stay inside the repository"),
            // issue-19's checks hold for the words shlex makes: every
            // `=`-separated part, quoted or not, and no program flag.
            (
                "--timeline '/abs/x=1'",
                "paths must stay inside the repository",
            ),
            (
                "--timeline x=/abs/y",
                "paths must stay inside the repository",
            ),
            (
                "--timeline \"a=../b\"",
                "paths must stay inside the repository",
            ),
            ("--n 1e6 --c cc", "--c runs a program"),
            ("'--c=cc'", "--c runs a program"),
            ("--c-parallel mpicc", "--c-parallel runs a program"),
        ] {
            let why = split(flags).unwrap_err();
            assert!(why.contains(refusal), "{flags}: {why}");
        }
    }

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
