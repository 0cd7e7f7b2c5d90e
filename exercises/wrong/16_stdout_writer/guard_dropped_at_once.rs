// Locks with `let _ = lock.lock()`: a guard bound to `_` is dropped at once, so nothing is locked while the line is printed.
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
    let lock = Mutex::new(());
    thread::scope(|scope| {
        for worker in 0..workers {
            let lock = &lock;
            scope.spawn(move || {
                for line in 0..lines {
                    let _ = lock.lock().unwrap();
                    print_line(terminal, worker, line);
                }
            });
        }
    });
}

/// The same on two terminals, two workers printing at once.
pub fn two_at_a_time(terminals: [&dyn Terminal; 2], workers: usize, lines: usize) {
    let busy = Mutex::new([false, false]);
    let freed = Condvar::new();
    thread::scope(|scope| {
        for worker in 0..workers {
            let (busy, freed) = (&busy, &freed);
            scope.spawn(move || {
                for line in 0..lines {
                    let mut taken = busy.lock().unwrap();
                    while taken[0] && taken[1] {
                        taken = freed.wait(taken).unwrap();
                    }
                    let k = if taken[0] { 1 } else { 0 };
                    taken[k] = true;
                    drop(taken);
                    print_line(terminals[k], worker, line);
                    busy.lock().unwrap()[k] = false;
                    freed.notify_one();
                }
            });
        }
    });
}
