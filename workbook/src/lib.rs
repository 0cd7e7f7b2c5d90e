//! The workbook tool: builds and serves the book (and, later, checks exercises).
//!
//! Each subcommand lives in its own module with an `XxxArgs` (clap) struct and
//! a `run(args) -> anyhow::Result<()>`; `main.rs` only dispatches.

pub mod book;
pub mod checker;
pub mod diagnostics;
pub mod exercise_watch;
pub mod exercises;
pub mod includes;
pub mod linkcheck;
pub mod paths;
pub mod progress;
pub mod quiz;
pub mod reset;
pub mod serve;
pub mod verify;
pub mod watch;

pub use paths::repo_root;

/// Prints an error as `error: ...` lines (one per problem) on stderr.
pub fn report_error(e: &anyhow::Error) {
    let text = format!("{e:#}");
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        eprintln!("error: {}", line.trim());
    }
}

/// Replaces the default panic message (and backtrace hint) with one line.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("error: internal error: {}{at}", diagnostics::one_line(&msg));
    }));
}
