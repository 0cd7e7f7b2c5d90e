// Waits at the barrier before calling ready, not after: all workers start together, but a worker can work before a slower one is ready.

use parallel_workbook::sync::{Barrier, thread};

/// Runs `work(k)` on `threads` workers, starting when all are `ready`.
pub fn run_together(threads: usize, ready: impl Fn(usize) + Sync, work: impl Fn(usize) + Sync) {
    let (ready, work) = (&ready, &work);
    let start = Barrier::new(threads);
    thread::scope(|scope| {
        for k in 0..threads {
            let start = &start;
            scope.spawn(move || {
                start.wait();
                ready(k);
                work(k);
            });
        }
    });
}
