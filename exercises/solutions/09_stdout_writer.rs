//! # 09 · The stdout writer (solution)
//!
//! One `Mutex` per terminal. Holding its guard for a whole line makes the
//! line whole. With two terminals, `try_lock` finds a free one; when both are
//! busy, a worker waits for "its" terminal. Two mutexes let at most two
//! workers print at once: a semaphore with two permits, where each permit is
//! a particular terminal.

use parallel_workbook::sync::Mutex;
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

/// `workers` threads each print `lines` lines, one line at a time.
pub fn one_at_a_time(terminal: &dyn Terminal, workers: usize, lines: usize) {
    let terminal = Mutex::new(terminal);
    thread::scope(|scope| {
        for worker in 0..workers {
            let terminal = &terminal;
            scope.spawn(move || {
                for line in 0..lines {
                    let terminal = terminal.lock().unwrap(); // held for the whole line
                    print_line(*terminal, worker, line);
                }
            });
        }
    });
}

/// The same on two terminals, two workers printing at once.
pub fn two_at_a_time(terminals: [&dyn Terminal; 2], workers: usize, lines: usize) {
    let terminals = terminals.map(Mutex::new);
    thread::scope(|scope| {
        for worker in 0..workers {
            let terminals = &terminals;
            scope.spawn(move || {
                for line in 0..lines {
                    let terminal = terminals
                        .iter()
                        .find_map(|t| t.try_lock().ok())
                        .unwrap_or_else(|| terminals[worker % 2].lock().unwrap());
                    print_line(*terminal, worker, line);
                }
            });
        }
    });
}
