// Right, unusual: the free terminals are tokens in a channel; a worker receives one (waiting while none is there), prints, and sends it back.
use parallel_workbook::sync::{Mutex, mpsc, thread};

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
                    let _line = lock.lock().unwrap();
                    print_line(terminal, worker, line);
                }
            });
        }
    });
}

/// The same on two terminals, two workers printing at once.
pub fn two_at_a_time(terminals: [&dyn Terminal; 2], workers: usize, lines: usize) {
    let (give_back, free) = mpsc::channel();
    give_back.send(0).unwrap();
    give_back.send(1).unwrap();
    let free = Mutex::new(free);
    thread::scope(|scope| {
        for worker in 0..workers {
            let (free, give_back) = (&free, give_back.clone());
            scope.spawn(move || {
                for line in 0..lines {
                    let k: usize = free.lock().unwrap().recv().unwrap();
                    print_line(terminals[k], worker, line);
                    give_back.send(k).unwrap();
                }
            });
        }
    });
}
