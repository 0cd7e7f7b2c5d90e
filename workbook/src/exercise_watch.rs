//! `cargo workbook watch [NAME]`: checks the current exercise each time its
//! file is saved, and moves on to the next one when it passes.
//!
//! Keys are read as lines: type `h` and Enter for the hint, `l` for the
//! list, `c` (or an empty line) to check again now, `q` to quit. The file
//! is watched with the system's file notifications (notify); where those are
//! unavailable (or with `WORKBOOK_WATCH_POLL=1`), the modification times and
//! sizes of `exercises/*.rs` are polled twice a second. Every check
//! has the same time limit as `check`, so a deadlock never hangs the watch.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use anyhow::{Result, anyhow};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::checker;
use crate::exercises::{self, Exercise, Exercises};
use crate::progress::Progress;

/// `cargo workbook watch [NAME]`
#[derive(clap::Args, Debug, Clone)]
pub struct WatchArgs {
    /// Exercise to start with (default: the next unsolved one)
    pub name: Option<String>,
    /// Time limit for running each check, in seconds
    #[arg(long, value_name = "SECS", default_value_t = checker::DEFAULT_TIMEOUT_S)]
    pub timeout: f64,
}

enum Event {
    /// Something in `exercises/` changed (the path).
    Changed(PathBuf),
    Key(String),
    KeysClosed,
}

/// Keeps the file watcher (or the polling thread) alive.
enum Watching {
    Native(#[allow(dead_code)] RecommendedWatcher),
    Polling,
}

/// Set to poll modification times instead of using file notifications
/// (for file systems that do not send them, e.g. some network mounts).
pub const POLL_ENV: &str = "WORKBOOK_WATCH_POLL";

fn watch_dir(dir: &Path, tx: mpsc::Sender<Event>) -> Watching {
    if std::env::var_os(POLL_ENV).is_some_and(|v| !v.is_empty() && v != "0") {
        eprintln!("note: {POLL_ENV} is set: checking for saves twice a second");
        poll(dir.to_path_buf(), tx);
        return Watching::Polling;
    }
    let native_tx = tx.clone();
    let native = RecommendedWatcher::new(
        move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res {
                if matches!(event.kind, notify::EventKind::Access(_)) {
                    return;
                }
                for path in event.paths {
                    let _ = native_tx.send(Event::Changed(path));
                }
            }
        },
        notify::Config::default(),
    )
    .and_then(|mut w| w.watch(dir, RecursiveMode::NonRecursive).map(|()| w));
    match native {
        Ok(w) => Watching::Native(w),
        Err(e) => {
            eprintln!(
                "note: file notifications unavailable ({e}); checking for saves twice a second"
            );
            poll(dir.to_path_buf(), tx);
            Watching::Polling
        }
    }
}

/// Polls the modification times of the `*.rs` files in `dir`.
fn poll(dir: PathBuf, tx: mpsc::Sender<Event>) {
    let stamps = |dir: &Path| -> Vec<(PathBuf, Option<SystemTime>, u64)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .map(|p| {
                let meta = std::fs::metadata(&p).ok();
                let modified = meta.as_ref().and_then(|m| m.modified().ok());
                let len = meta.map(|m| m.len()).unwrap_or(0);
                (p, modified, len)
            })
            .collect();
        v.sort();
        v
    };
    std::thread::spawn(move || {
        let mut before = stamps(&dir);
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let now = stamps(&dir);
            for entry in &now {
                if !before.contains(entry) && tx.send(Event::Changed(entry.0.clone())).is_err() {
                    return;
                }
            }
            before = now;
        }
    });
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
    match checker::check_exercise(exs, ex, limit) {
        Ok(verdict) => {
            if let Err(e) = checker::record(&exs.root, &ex.name, &verdict) {
                crate::report_error(&e);
            }
            verdict.passed()
        }
        Err(e) => {
            crate::report_error(&e);
            false
        }
    }
}

/// Entry point of `cargo workbook watch`.
pub fn run(args: WatchArgs) -> Result<()> {
    let limit = checker::time_limit(args.timeout)?;
    let root = exercises::root();
    let exs = Exercises::load(&root)?;
    let mut current = match &args.name {
        Some(name) => exs.find(name)?.clone(),
        None => {
            let progress = Progress::load(&root)?;
            match exs.next(&progress) {
                Some(ex) => ex.clone(),
                None => {
                    println!(
                        "Every exercise passes its check ({0}/{0} done). Watch one with `cargo workbook watch NAME`.",
                        exs.list.len()
                    );
                    return Ok(());
                }
            }
        }
    };
    let (tx, rx) = mpsc::channel();
    let _watching = watch_dir(&exercises::dir(&root), tx.clone());
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
                Ok(Event::Changed(path)) if same_file(&path, &file) => {
                    // Editors often write in several steps: let them finish.
                    while rx.recv_timeout(Duration::from_millis(200)).is_ok() {}
                    break true;
                }
                Ok(Event::Changed(_)) => {}
                Ok(Event::Key(key)) => match key.as_str() {
                    "q" | "quit" | "exit" => return Ok(()),
                    "h" | "hint" => {
                        print!("{}", exercises::hint_text(&exs, &current));
                    }
                    "l" | "list" => match Progress::load(&root) {
                        Ok(progress) => print!("{}", exercises::list_text(&exs, &progress)),
                        Err(e) => crate::report_error(&e),
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
