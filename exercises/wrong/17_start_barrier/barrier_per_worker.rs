// Each worker makes its own barrier for all the workers: nobody else ever waits on it, so every worker waits forever.

use parallel_workbook::sync::{Barrier, thread};

/// Runs `work(k)` on `threads` workers, starting when all are `ready`.
pub fn run_together(threads: usize, ready: impl Fn(usize) + Sync, work: impl Fn(usize) + Sync) {
    let (ready, work) = (&ready, &work);
    thread::scope(|scope| {
        for k in 0..threads {
            scope.spawn(move || {
                let start = Barrier::new(threads);
                ready(k);
                start.wait();
                work(k);
            });
        }
    });
}
