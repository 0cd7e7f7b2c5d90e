//! A timer: run a function later on its own thread, unless it is cancelled
//! first. The thread waits on a channel with `recv_timeout`: a message (or a
//! dropped sender) means "cancel", a timeout means "fire".
//!
//!     cargo run --release --example timer -- --delay 500
//!     cargo run --release --example timer -- --delay 500 --cancel-after 100
//!
//! The last line says "fired" or "cancelled".

use parallel_workbook::cli;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

// ANCHOR: timer
/// A function scheduled to run once, `delay` from now.
pub struct Timer {
    cancel: mpsc::Sender<()>,
    thread: JoinHandle<bool>,
}

impl Timer {
    pub fn start(delay: Duration, action: impl FnOnce() + Send + 'static) -> Timer {
        let (cancel, cancelled) = mpsc::channel();
        let thread = thread::spawn(move || match cancelled.recv_timeout(delay) {
            // Nothing arrived in time: fire.
            Err(RecvTimeoutError::Timeout) => {
                action();
                true
            }
            // "cancel" was sent, or the `Timer` was dropped (closing the channel).
            Ok(()) | Err(RecvTimeoutError::Disconnected) => false,
        });
        Timer { cancel, thread }
    }

    /// Cancels the timer if it has not fired yet. Returns whether it fired.
    pub fn cancel(self) -> bool {
        let _ = self.cancel.send(()); // fails if the thread is gone: it already fired
        self.thread.join().unwrap()
    }

    /// Waits until the timer fires. Returns `true`.
    pub fn wait(self) -> bool {
        let fired = self.thread.join().unwrap();
        drop(self.cancel); // only now: dropping it earlier would cancel the timer
        fired
    }
}
// ANCHOR_END: timer

#[derive(clap::Args)]
struct TimerFlags {
    /// Fire this many milliseconds from now
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(0..=10_000))]
    delay: u64,
    /// Cancel the timer this many milliseconds from now
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=10_000))]
    cancel_after: Option<u64>,
}

// ANCHOR: main
fn main() {
    let flags = cli::parse_own_flags::<TimerFlags>("Run a function later, or cancel it");
    let start = Instant::now();
    let timer = Timer::start(Duration::from_millis(flags.delay), move || {
        println!(
            "timer: the function ran {} ms after start",
            start.elapsed().as_millis()
        );
    });
    println!(
        "main: timer set for {} ms; main carries on meanwhile",
        flags.delay
    );
    let fired = match flags.cancel_after {
        None => timer.wait(),
        Some(ms) => {
            thread::sleep(Duration::from_millis(ms));
            println!("main: cancelling at {} ms", start.elapsed().as_millis());
            timer.cancel()
        }
    };
    if fired && flags.cancel_after.is_some() {
        println!("fired: the function ran before the cancel came");
    } else if fired {
        println!("fired: the function ran");
    } else {
        println!("cancelled: the function never ran");
    }
}
// ANCHOR_END: main
