//! The workbook tool: `cargo workbook [COMMAND]`.
//!
//! One module per command, named as the learner types it (`serve`, `open`,
//! `build`, `list`, `check`, `watch`, `hint`, `solution`, `reset`, `verify`,
//! `measure`), each with an `XxxArgs` (clap) struct and a
//! `run(args) -> anyhow::Result<()>`; `main.rs` only dispatches. Under them,
//! the shared layers:
//!
//! - [`exercises`]: the exercise table and the learner's progress;
//! - [`process`]: a child process with a deadline, an output cap and its own
//!   process group, contained under a keeper for runs from the page; [`cargo`] and [`libtest`] read what cargo and test
//!   programs print;
//! - [`book`]: the book build (quizzes, includes, mdBook's diagnostics);
//! - [`paths`], [`files`], [`file_events`], [`message`]: where things are,
//!   writing them safely, watching them, and saying what went wrong.

pub mod book;
pub mod cargo;
pub mod course;
pub mod exercises;
pub mod file_events;
pub mod files;
pub mod libtest;
pub mod message;
pub mod paths;
pub mod process;

pub mod build;
pub mod check;
pub mod hint;
pub mod list;
pub mod measure;
pub mod open;
pub mod reset;
pub mod serve;
pub mod solution;
pub mod verify;
pub mod watch;
