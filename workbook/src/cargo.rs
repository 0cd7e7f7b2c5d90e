//! Building with cargo and reading its JSON messages: which test programs
//! it produced, and which targets the compiler refused (with the rendered
//! errors, to show as cargo shows them).

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Result, anyhow};
use cargo_metadata::diagnostic::DiagnosticLevel;
use cargo_metadata::{Message, TargetKind};

use crate::process::{self, Limits, Overflow, Stream, Supervised};

/// Which targets to build.
#[derive(Clone, Copy, Debug)]
pub enum Targets<'a> {
    /// One test target (`--test NAME`).
    Test(&'a str),
    /// These test targets (`--test A --test B ...`).
    Tests(&'a [String]),
    /// One binary (`--bin NAME`).
    Bin(&'a str),
    /// One example (`--example NAME`).
    Example(&'a str),
}

/// How to build, beyond what to build.
#[derive(Clone)]
pub struct Options {
    pub release: bool,
    pub show: Show,
    pub limits: Limits,
    /// Called with each piece of cargo's own stderr (its progress lines).
    pub on_progress: Option<process::OnOutput>,
    /// Called once cargo runs, with what stops it.
    pub on_start: Option<process::OnStart>,
    /// Contains cargo and the compilers (a build from the page).
    pub contain: Option<process::Containment>,
}

impl Options {
    /// A debug build, shown live on this tool's stderr, with no real time limit.
    pub fn live() -> Options {
        Options {
            release: false,
            show: Show::Live,
            limits: Limits::generous(),
            on_progress: None,
            on_start: None,
            contain: None,
        }
    }
}

/// Where cargo's and the compiler's output goes while it builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// To this tool's stderr, as it comes (the terminal commands).
    Live,
    /// Nowhere: it is kept in [`Build::messages`] and [`Build::log`].
    Quiet,
}

/// One compiler message.
#[derive(Clone, Debug)]
pub struct CompilerMessage {
    pub target: String,
    /// An error (not a warning or a note).
    pub is_error: bool,
    /// `E0373`, when the message has a code.
    pub code: Option<String>,
    /// As cargo would print it.
    pub rendered: String,
}

/// What a build produced.
#[derive(Debug, Default)]
pub struct Build {
    /// cargo's exit status was success.
    pub success: bool,
    /// Target name -> its program, for the kind of target asked for: an
    /// exercise's check and its program can share a name (`22_mpi_reduce` is
    /// a test and a binary), and cargo may report them in either order.
    pub executables: HashMap<String, PathBuf>,
    /// Targets with compiler errors.
    pub failed: HashSet<String>,
    pub messages: Vec<CompilerMessage>,
    /// cargo's own stderr (its progress lines and errors), the end of it.
    pub log: String,
    /// How cargo ended (a time limit or a stop ends a build too).
    pub end: Option<process::End>,
}

/// Builds `targets` of the package in `package_dir` into `target_dir`.
/// No time limit worth the name: a first build compiles the dependencies.
pub fn build(
    package_dir: &Path,
    target_dir: &Path,
    targets: Targets<'_>,
    show: Show,
) -> Result<Build> {
    let options = Options {
        show,
        ..Options::live()
    };
    build_with(package_dir, target_dir, targets, &options)
}

/// [`build`], with every option.
pub fn build_with(
    package_dir: &Path,
    target_dir: &Path,
    targets: Targets<'_>,
    options: &Options,
) -> Result<Build> {
    let live = options.show == Show::Live;
    let mut cmd = process::cargo();
    cmd.arg("build")
        .arg("--manifest-path")
        .arg(package_dir.join("Cargo.toml"))
        .arg(if live && std::io::stderr().is_terminal() {
            "--message-format=json-diagnostic-rendered-ansi"
        } else {
            "--message-format=json"
        })
        .arg("--keep-going");
    match targets {
        Targets::Test(name) => cmd.args(["--test", name]),
        Targets::Tests(names) => {
            for name in names {
                cmd.args(["--test", name]);
            }
            &mut cmd
        }
        Targets::Bin(name) => cmd.args(["--bin", name]),
        Targets::Example(name) => cmd.args(["--example", name]),
    };
    if options.release {
        cmd.arg("--release");
    }
    if live && std::io::stderr().is_terminal() {
        cmd.arg("--color=always");
    }
    // The current directory decides which `.cargo/config.toml` applies.
    cmd.current_dir(package_dir)
        .env("CARGO_TARGET_DIR", target_dir);

    let state = Arc::new(Mutex::new(Reader {
        wanted: match targets {
            Targets::Test(_) | Targets::Tests(_) => TargetKind::Test,
            Targets::Bin(_) => TargetKind::Bin,
            Targets::Example(_) => TargetKind::Example,
        },
        partial: Vec::new(),
        build: Build::default(),
    }));
    let reader = Arc::clone(&state);
    let progress = options.on_progress.clone();
    let running = Supervised::new(cmd, options.limits)
        .contain(options.contain.clone())
        .overflow(Overflow::KeepTail)
        .on_output(Arc::new(move |stream, bytes| match stream {
            Stream::Stdout => reader
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .feed(bytes, live),
            Stream::Stderr => {
                if live {
                    let mut err = std::io::stderr().lock();
                    let _ = err.write_all(bytes);
                    let _ = err.flush();
                }
                if let Some(progress) = &progress {
                    progress(Stream::Stderr, bytes);
                }
            }
        }))
        .start()
        .map_err(|e| anyhow!("{e} (is Rust installed and cargo on your PATH?)"))?;
    if let Some(on_start) = &options.on_start {
        on_start(running.stopper());
    }
    let done = running.wait()?;
    let mut build = {
        let mut reader = state.lock().unwrap_or_else(|e| e.into_inner());
        reader.feed(b"\n", live);
        std::mem::take(&mut reader.build)
    };
    build.success = done.success();
    build.end = Some(done.end);
    build.log = done.stderr;
    Ok(build)
}

/// Turns cargo's stdout, a JSON message per line, into a [`Build`].
struct Reader {
    /// The kind of target whose programs go in [`Build::executables`].
    wanted: TargetKind,
    partial: Vec<u8>,
    build: Build,
}

impl Reader {
    fn feed(&mut self, bytes: &[u8], live: bool) {
        self.partial.extend_from_slice(bytes);
        while let Some(end) = self.partial.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=end).collect();
            if let Ok(message) = serde_json::from_slice::<Message>(&line) {
                self.handle(message, live);
            }
        }
    }

    fn handle(&mut self, message: Message, live: bool) {
        match message {
            Message::CompilerArtifact(artifact) => {
                let wanted = artifact.target.kind.contains(&self.wanted);
                if let (true, Some(exe)) = (wanted, artifact.executable) {
                    self.build
                        .executables
                        .insert(artifact.target.name, exe.into_std_path_buf());
                }
            }
            Message::CompilerMessage(msg) => {
                let rendered = without_dot_dot(&msg.message.rendered.clone().unwrap_or_default());
                if live {
                    let mut err = std::io::stderr().lock();
                    let _ = err.write_all(rendered.as_bytes());
                    let _ = err.flush();
                }
                let is_error = matches!(
                    msg.message.level,
                    DiagnosticLevel::Error | DiagnosticLevel::Ice
                );
                if is_error {
                    self.build.failed.insert(msg.target.name.clone());
                }
                self.build.messages.push(CompilerMessage {
                    target: msg.target.name,
                    is_error,
                    code: msg.message.code.map(|c| c.code),
                    rendered,
                });
            }
            _ => {}
        }
    }
}

/// What cargo said last before it failed: its last `error:` line, else its
/// last line.
pub fn last_error(log: &str) -> String {
    let plain = console::strip_ansi_codes(log);
    let lines: Vec<&str> = plain
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines
        .iter()
        .rev()
        .find(|l| l.starts_with("error"))
        .or(lines.last())
        .map(|l| l.to_string())
        .unwrap_or_else(|| "cargo printed nothing".into())
}

/// The compiler names a file by the path it was reached through: an
/// exercise's check pulls the learner's file in with `#[path =
/// "../NN_name.rs"]`, so errors in the learner's code point at
/// `checks/../NN_name.rs`. Each relative path in `text` that goes up through
/// `..` is shortened to the file it names (`NN_name.rs`), as a learner would
/// write it; everything else is left as it is. (`exercises/.cargo/config.toml`
/// asks the compiler for the short names already, which also covers panic
/// messages; a `RUSTFLAGS` variable replaces that setting, and this still
/// holds for compiler errors.)
fn without_dot_dot(text: &str) -> String {
    let is_path_char = |c: char| c.is_alphanumeric() || "_./-".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| is_path_char(c) || c == '\x1b') {
        out.push_str(&rest[..start]);
        let token = &rest[start..];
        let end = if token.starts_with('\x1b') {
            // A terminal colour (ESC [ ... letter) is copied as it is.
            let end = token
                .char_indices()
                .skip(1)
                .find(|(_, c)| c.is_ascii_alphabetic())
                .map_or(token.len(), |(at, c)| at + c.len_utf8());
            out.push_str(&token[..end]);
            end
        } else {
            let end = token
                .find(|c: char| !is_path_char(c))
                .unwrap_or(token.len());
            out.push_str(&shorten(&token[..end]));
            end
        };
        rest = &token[end..];
    }
    out.push_str(rest);
    out
}

fn shorten(path: &str) -> String {
    if path.starts_with('/') || !path.contains("/../") {
        return path.to_string();
    }
    let mut kept: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            ".." if kept.last().is_some_and(|p| *p != "..") => {
                kept.pop();
            }
            "." => {}
            _ => kept.push(part),
        }
    }
    kept.join("/")
}

#[cfg(test)]
mod tests {
    use super::{Build, Reader, TargetKind, without_dot_dot};

    fn artifact(kind: &str, exe: &str) -> String {
        format!(
            r#"{{"reason":"compiler-artifact","package_id":"path+file:///d#p@0.1.0","manifest_path":"/d/Cargo.toml","target":{{"kind":["{kind}"],"crate_types":["bin"],"name":"22_mpi_reduce","src_path":"/d/x.rs","edition":"2024","doc":false,"doctest":false,"test":true}},"profile":{{"opt_level":"0","debuginfo":2,"debug_assertions":true,"overflow_checks":true,"test":true}},"features":[],"filenames":["{exe}"],"executable":"{exe}","fresh":false}}"#
        )
    }

    #[test]
    fn a_check_and_a_program_of_one_name_are_told_apart() {
        // The test first, then the binary of the same name: in either order,
        // the check's build keeps the test.
        let lines = format!(
            "{}\n{}\n",
            artifact("test", "/d/deps/check"),
            artifact("bin", "/d/program")
        );
        for (wanted, exe) in [
            (TargetKind::Test, "/d/deps/check"),
            (TargetKind::Bin, "/d/program"),
        ] {
            let mut reader = Reader {
                wanted,
                partial: Vec::new(),
                build: Build::default(),
            };
            reader.feed(lines.as_bytes(), false);
            assert_eq!(
                reader.build.executables["22_mpi_reduce"],
                std::path::PathBuf::from(exe)
            );
        }
    }

    #[test]
    fn paths_through_dot_dot_name_the_file() {
        assert_eq!(
            without_dot_dot("  --> checks/../08_fix_the_race.rs:33:21\n"),
            "  --> 08_fix_the_race.rs:33:21\n"
        );
        // With the terminal's colours around it.
        assert_eq!(
            without_dot_dot("\x1b[1m--> \x1b[0mchecks/../a.rs:1:2"),
            "\x1b[1m--> \x1b[0ma.rs:1:2"
        );
        assert_eq!(
            without_dot_dot("--> checks/../../exercises/15_mpi.rs:3:1"),
            "--> ../exercises/15_mpi.rs:3:1"
        );
        for kept in [
            "--> checks/08_fix_the_race.rs:1:1",
            "--> /abs/x/../y.rs:1:1",
            "expected `u64`, found `Total`",
            "../up.rs",
        ] {
            assert_eq!(without_dot_dot(kept), kept);
        }
    }
}
