//! `cargo workbook watch [NAME]`: checks the current exercise each time its
//! file is saved, and moves on to the next one when it passes.
//!
//! Keys are read as lines: type `h` and Enter for the hint, `l` for the
//! list, `c` (or an empty line) to check again now, `q` to quit. Saves are
//! seen through [`file_events`] (the system's notifications, or polling
//! with `WORKBOOK_WATCH_POLL=1`). Every check has the same time limit as
//! `check`, so a deadlock never hangs the watch.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Result, anyhow};

use crate::check::{self, Echo};
use crate::exercises::{self, Exercise, Exercises, Progress};
use crate::file_events::{self, RecursiveMode};
use crate::{hint, list};

/// `cargo workbook watch [NAME]`
#[derive(clap::Args, Debug, Clone)]
pub struct WatchArgs {
    /// Exercise to start with (default: the next unsolved one)
    pub name: Option<String>,
    /// Time limit for running each check, in seconds
    #[arg(long, value_name = "SECS", default_value_t = check::DEFAULT_TIMEOUT_S)]
    pub timeout: f64,
}

enum Event {
    /// Files in `exercises/` changed (a burst of writes, settled).
    Changed(Vec<PathBuf>),
    Key(String),
    KeysClosed,
}

fn read_keys(tx: mpsc::Sender<Event>) {
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            let Ok(line) = line else { break };
            if tx
                .send(Event::Key(line.trim().to_ascii_lowercase()))
                .is_err()
            {
                return;
            }
        }
        let _ = tx.send(Event::KeysClosed);
    });
}

const KEYS: &str =
    "Save the file to check it again. Keys (then Enter): h hint · l list · c check now · q quit";

fn introduce(exs: &Exercises, ex: &Exercise) {
    println!();
    println!("Now: {} · {}", ex.name, ex.title);
    println!("Edit {}", exs.show(&exs.file(ex)));
    if let Some(chapter) = &ex.chapter {
        println!("Read book/{chapter} first");
    }
}

/// Checks `ex`, records the result; returns whether it passed. A progress
/// file that cannot be written is reported, and watching goes on.
fn check_and_record(exs: &Exercises, ex: &Exercise, limit: Duration) -> bool {
    match check::check_exercise(exs, ex, limit, &Echo::Terminal) {
        Ok(checked) => {
            if let Err(e) = check::record(&exs.root, &ex.name, &checked.verdict) {
                crate::message::report_error(&e);
            }
            checked.verdict.passed()
        }
        Err(e) => {
            crate::message::report_error(&e);
            false
        }
    }
}

/// Entry point of `cargo workbook watch`.
pub fn run(args: WatchArgs) -> Result<()> {
    let limit = check::time_limit(args.timeout)?;
    let exs = Exercises::load(&crate::paths::repo_root())?;
    let root = exs.root.clone();
    let Some(first) = exs.named_or_next(args.name.as_deref())? else {
        println!(
            "Every exercise passes its check ({0}/{0} done). Watch one with `cargo workbook watch NAME`.",
            exs.list.len()
        );
        return Ok(());
    };
    let mut current = first.clone();
    let (tx, rx) = mpsc::channel();
    let changes = tx.clone();
    // Only `exercises/` itself: a learner's file is `exercises/NAME.rs`.
    let _watching = file_events::watch(
        &[(exercises::dir(&root), RecursiveMode::NonRecursive)],
        Duration::from_millis(200),
        move |paths| {
            let _ = changes.send(Event::Changed(paths));
        },
    )
    .map_err(|e| anyhow!("cannot watch {}: {e}", exs.show(&exercises::dir(&root))))?;
    read_keys(tx);

    introduce(&exs, &current);
    let mut passed = check_and_record(&exs, &current, limit);
    loop {
        if passed {
            match exs.after(&current.name) {
                Some(next) => {
                    current = next.clone();
                    introduce(&exs, &current);
                }
                None => {
                    println!("That was the last exercise. `cargo workbook list` shows them all.");
                    return Ok(());
                }
            }
            passed = false;
        }
        println!("{KEYS}");
        let file = exs.file(&current);
        let rerun = loop {
            match rx.recv() {
                Ok(Event::Changed(paths)) if paths.iter().any(|p| same_file(p, &file)) => {
                    break true;
                }
                Ok(Event::Changed(_)) => {}
                Ok(Event::Key(key)) => match key.as_str() {
                    "q" | "quit" | "exit" => return Ok(()),
                    "h" | "hint" => {
                        print!("{}", hint::text(&exs, &current));
                    }
                    "l" | "list" => match Progress::load(&root) {
                        Ok(progress) => print!("{}", list::text(&exs, &progress)),
                        Err(e) => crate::message::report_error(&e),
                    },
                    "c" | "check" | "" => break true,
                    other => println!("unknown key '{other}': {KEYS}"),
                },
                Ok(Event::KeysClosed) => {
                    println!("(input closed: keys no longer work; press Ctrl-C to stop watching)");
                }
                Err(_) => return Err(anyhow!("stopped watching: the file watcher ended")),
            }
        };
        if rerun {
            if !file.is_file() {
                eprintln!(
                    "error: {} is missing: `cargo workbook reset {}` restores it",
                    exs.show(&file),
                    current.name
                );
                continue;
            }
            passed = check_and_record(&exs, &current, limit);
        }
    }
}

/// Only `exercises/` itself is watched, so the file name says it all.
fn same_file(changed: &Path, file: &Path) -> bool {
    changed.file_name() == file.file_name()
}
