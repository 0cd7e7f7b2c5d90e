// The barrier counts the main thread too (threads + 1 parties), but main never waits on it: every worker waits forever.

use parallel_workbook::sync::{Barrier, thread};

/// Runs `work(k)` on `threads` workers, starting when all are `ready`.
pub fn run_together(threads: usize, ready: impl Fn(usize) + Sync, work: impl Fn(usize) + Sync) {
    let (ready, work) = (&ready, &work);
    let start = Barrier::new(threads + 1);
    thread::scope(|scope| {
        for k in 0..threads {
            let start = &start;
            scope.spawn(move || {
                ready(k);
                start.wait();
                work(k);
            });
        }
    });
}
