//! # 11 · Start barrier (solution)
//!
//! A `Barrier` for `threads` parties releases everybody when the last one
//! arrives. It must count the workers only: a barrier for `threads + 1` would
//! wait forever for a main thread that never calls `wait`.

use parallel_workbook::sync::Barrier;
use parallel_workbook::sync::thread;

/// Runs `work(k)` on `threads` workers, starting when all are `ready`.
pub fn run_together(threads: usize, ready: impl Fn(usize) + Sync, work: impl Fn(usize) + Sync) {
    let (ready, work) = (&ready, &work);
    let start = Barrier::new(threads);
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
