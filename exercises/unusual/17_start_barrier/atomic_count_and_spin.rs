// Right, unusual: each worker counts itself in with fetch_add and spins (with spin_loop) until the count is complete.

use parallel_workbook::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use parallel_workbook::sync::hint::spin_loop;
use parallel_workbook::sync::thread;

/// Runs `work(k)` on `threads` workers, starting when all are `ready`.
pub fn run_together(threads: usize, ready: impl Fn(usize) + Sync, work: impl Fn(usize) + Sync) {
    let (ready, work) = (&ready, &work);
    let arrived = AtomicUsize::new(0);
    thread::scope(|scope| {
        for k in 0..threads {
            let arrived = &arrived;
            scope.spawn(move || {
                ready(k);
                arrived.fetch_add(1, SeqCst);
                while arrived.load(SeqCst) < threads {
                    spin_loop();
                }
                work(k);
            });
        }
    });
}
