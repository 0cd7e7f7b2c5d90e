//! A detached thread: spawned, never joined. When `main` returns, the process
//! exits and the thread is stopped wherever it is, like a Python daemon thread.
//!
//!     cargo run --release --example detached            (stops after about 3 of 10 ticks)
//!     cargo run --release --example detached -- --join  (all 10 ticks, then "done")

use parallel_workbook::cli;
use std::thread;
use std::time::Duration;

/// How many ticks the worker prints, and how long each one takes.
const TICKS: u32 = 10;
const TICK: Duration = Duration::from_millis(100);
/// How long `main` works on its own before it returns.
const MAIN_WORK: Duration = Duration::from_millis(350);

// ANCHOR: cleanup
/// Prints when it is dropped: shows whether the worker's destructors ran.
struct Cleanup;

impl Drop for Cleanup {
    fn drop(&mut self) {
        println!("worker: cleanup ran (its values were dropped)");
    }
}
// ANCHOR_END: cleanup

// ANCHOR: worker
/// Slow background work: one line per tick, then "done".
fn worker() {
    let _cleanup = Cleanup; // dropped when this function ends, if it ends
    for tick in 1..=TICKS {
        thread::sleep(TICK); // stands in for real work
        println!("worker: tick {tick}/{TICKS}");
    }
    println!("worker: done");
}
// ANCHOR_END: worker

#[derive(clap::Args)]
struct DetachedFlags {
    /// Wait for the worker before returning from main
    #[arg(long)]
    join: bool,
}

// ANCHOR: main
fn main() {
    let flags = cli::parse_own_flags::<DetachedFlags>(
        "A thread that is never joined dies when main returns",
    );
    let handle = thread::spawn(worker);
    thread::sleep(MAIN_WORK); // main's own work; the worker ticks meanwhile
    if flags.join {
        println!("main: joining the worker");
        handle.join().expect("the worker panicked");
    } else {
        // Dropping a JoinHandle detaches the thread: nothing waits for it.
        drop(handle);
        println!("main: returning without joining");
    }
    // Returning from main exits the process. Every other thread stops at
    // once, mid-sleep or mid-loop, and its destructors never run.
}
// ANCHOR_END: main
