// A semaphore of two permits, but a permit does not say which terminal is free: each worker prints on terminal worker % 2, so two workers can share one.
use parallel_workbook::sync::{Condvar, Mutex, thread};

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
    let permits = Mutex::new(2);
    let freed = Condvar::new();
    thread::scope(|scope| {
        for worker in 0..workers {
            let (permits, freed) = (&permits, &freed);
            scope.spawn(move || {
                for line in 0..lines {
                    let mut free = permits.lock().unwrap();
                    while *free == 0 {
                        free = freed.wait(free).unwrap();
                    }
                    *free -= 1;
                    drop(free);
                    print_line(terminals[worker % 2], worker, line);
                    *permits.lock().unwrap() += 1;
                    freed.notify_one();
                }
            });
        }
    });
}
