// Tries both terminals, and when both are busy waits for terminal worker % 2 in particular: it keeps waiting there while the other terminal is free.
use parallel_workbook::sync::{Mutex, thread};

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
                    let terminal = terminal.lock().unwrap();
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
