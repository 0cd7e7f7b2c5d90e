// Right, unusual: one lock per terminal, and a worker tries both in turn, yielding between rounds, until one is free (busy, but it takes whichever frees first).
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
                    let terminal = loop {
                        if let Some(free) = terminals.iter().find_map(|t| t.try_lock().ok()) {
                            break free;
                        }
                        thread::yield_now();
                    };
                    print_line(*terminal, worker, line);
                }
            });
        }
    });
}
