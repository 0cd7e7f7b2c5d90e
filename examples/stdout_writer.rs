//! Many threads print lines, each line in five `print!` pieces: unsynchronized
//! the lines jumble; a semaphore with one permit keeps every line whole; with
//! two permits, a line can mix pieces of two writers, but never of three.
//!
//!     cargo run --release --example stdout_writer -- --mode jumbled
//!     cargo run --release --example stdout_writer -- --mode one
//!     cargo run --release --example stdout_writer -- --mode two
//!
//! A whole line reads `w3:1 w3:2 w3:3 w3:4 w3:5`: writer 3's five pieces, in order.

use clap::ValueEnum;
use parallel_workbook::cli;
use std::thread;

// The library's `Semaphore` (src/semaphore.rs), as in examples/semaphore.rs.
use parallel_workbook::semaphore::Semaphore;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// No synchronization: pieces of different lines interleave
    Jumbled,
    /// A semaphore with 1 permit: one writer at a time, every line whole
    One,
    /// A semaphore with 2 permits: two writers at a time, lines mix two writers at most
    Two,
}

// ANCHOR: write_line
/// Prints one line in five pieces. Each `print!` is whole (std locks stdout for
/// the length of one call), but another thread can print between two calls,
/// and `yield_now` invites it to.
fn write_line(writer: usize) {
    for piece in 1..5 {
        print!("w{writer}:{piece} ");
        thread::yield_now();
    }
    println!("w{writer}:5");
}
// ANCHOR_END: write_line

// ANCHOR: writers
fn run(mode: Mode, writers: usize, lines: u32) {
    let semaphore = Semaphore::new(if mode == Mode::Two { 2 } else { 1 });
    thread::scope(|scope| {
        for writer in 1..=writers {
            let semaphore = &semaphore;
            scope.spawn(move || {
                for _ in 0..lines {
                    // Hold a permit from the first piece to the newline, or none at all.
                    let _permit = (mode != Mode::Jumbled).then(|| semaphore.acquire());
                    write_line(writer);
                }
            });
        }
    });
}
// ANCHOR_END: writers

#[derive(clap::Args)]
struct StdoutWriterFlags {
    /// How the writers share stdout
    #[arg(long, value_enum, default_value_t = Mode::Jumbled)]
    mode: Mode,
    /// How many writer threads
    #[arg(long, short = 't', default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    threads: u16,
    /// How many lines each writer prints
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    lines: u32,
}

fn main() {
    let flags = cli::parse_own_flags::<StdoutWriterFlags>(
        "Jumbled output, one writer at a time, two at a time",
    );
    run(flags.mode, usize::from(flags.threads), flags.lines);
}
