// ANCHOR: statement
//! # 09 · The stdout writer
//!
//! Workers print progress lines to a shared terminal. Each `print` call comes
//! out whole, but a line takes three calls, and pieces from two threads
//! interleave: `worker 1worker 3: line 0: line 0`. (`print!` on stdout works
//! the same way.)
//!
//! 1. `one_at_a_time` prints jumbled lines. Fix it with a lock so that one
//!    worker at a time prints, and every line comes out whole. Keep
//!    `print_line` as it is: the three pieces are the point (the check
//!    counts them).
//! 2. `two_at_a_time`: now there are two terminals, a resource with room for
//!    two. Let two workers print at once, each on a terminal nobody else is
//!    printing on. A worker takes whichever terminal is free; only when both
//!    are busy does it wait, and then it takes the first one to become free,
//!    whichever that is.
//!
//! (Take locks and threads from the workbook: `use
//! parallel_workbook::sync::{Condvar, Mutex, thread};`. They are `std`'s,
//! which the check can also run under a model checker.)
//!
//! Book: Part 4 › Semaphores (book/part4/20-semaphores.md)
//! Check: `cargo workbook check 16_stdout_writer`
// ANCHOR_END: statement

use parallel_workbook::sync::thread;

/// Where the workers print. Each `print` comes out whole; lines do not.
pub trait Terminal: Sync {
    fn print(&self, piece: &str);
}

/// Prints one line, in three pieces.
pub fn print_line(terminal: &dyn Terminal, worker: usize, line: usize) {
    terminal.print(&format!("worker {worker}"));
    terminal.print(&format!(": line {line}"));
    terminal.print("\n");
}

/// `workers` threads each print `lines` lines. TODO: one line at a time.
pub fn one_at_a_time(terminal: &dyn Terminal, workers: usize, lines: usize) {
    thread::scope(|scope| {
        for worker in 0..workers {
            scope.spawn(move || {
                for line in 0..lines {
                    print_line(terminal, worker, line);
                }
            });
        }
    });
}

/// The same on two terminals, two workers printing at once.
pub fn two_at_a_time(terminals: [&dyn Terminal; 2], workers: usize, lines: usize) {
    // TODO: each line goes to a terminal that no other worker is printing on.
    let _ = terminals;
    todo!("{workers} workers print {lines} lines each on two terminals")
}
