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
//! forwards each line as it is written. The example's own output (what the
//! learner reads in a terminal) stays as it is.

use std::io::{BufRead, BufReader, Seek};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub use parallel_workbook::report::REPORTS_ENV;

use super::runs::{Done, Phase, RunContext, RunEvent, failed, stopped};
use super::snippet::{compile_errors, ended};
use crate::cargo::{self, Options, Show, Targets};
use crate::process::Limits;

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

/// Flags may name files (`--out target/scaling`), but only inside the
/// repository: no absolute paths, no `..`.
pub fn check_args(args: &[String]) -> Result<(), String> {
    if args.len() > 64 {
        return Err("more than 64 arguments".into());
    }
    for arg in args {
        let value = arg.split_once('=').map_or(arg.as_str(), |(_, v)| v);
        let path = Path::new(value);
        if path.is_absolute() || path.components().any(|c| c == Component::ParentDir) {
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
    ctx.phase(Phase::Compiling);
    let options = Options {
        release: true,
        show: Show::Quiet,
        limits: Limits::generous(),
        on_progress: Some(ctx.on_build_output()),
        on_start: Some(ctx.on_start()),
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
    if !build.success {
        return compile_errors(ctx, &build, base);
    }
    let Some(exe) = build.executables.get(name) else {
        return failed(format!("cargo built no program for example {name}"));
    };
    ctx.phase(Phase::Running);
    let reports = match ReportChannel::open(ctx) {
        Ok(reports) => reports,
        Err(e) => return failed(format!("cannot make the reports' side channel: {e}")),
    };
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .current_dir(root)
        .env(REPORTS_ENV, reports.path());
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
    fn open(ctx: &RunContext) -> std::io::Result<ReportChannel> {
        let file = tempfile::Builder::new()
            .prefix("workbook-reports-")
            .suffix(".jsonl")
            .tempfile()?;
        let mut lines = BufReader::new(file.reopen()?);
        let ended = Arc::new(AtomicBool::new(false));
        let (ctx, stop) = (ctx.clone(), Arc::clone(&ended));
        let reader = std::thread::spawn(move || {
            let mut line = String::new();
            loop {
                // Read after looking at the flag: the last look sees all.
                let last = stop.load(Ordering::SeqCst);
                while forward_line(&mut lines, &mut line, &ctx) {}
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
fn forward_line(lines: &mut BufReader<std::fs::File>, line: &mut String, ctx: &RunContext) -> bool {
    let at = lines.stream_position().unwrap_or(0);
    line.clear();
    match lines.read_line(line) {
        Ok(n) if n > 0 && line.ends_with('\n') => {
            if let Ok(report) = serde_json::from_str(line) {
                ctx.send(RunEvent::Report { report });
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
        for bad in ["/etc/passwd", "--out=/tmp/x", "../../x", "target/../../x"] {
            assert!(check_args(&[bad.to_string()]).is_err(), "{bad}");
        }
    }
}
