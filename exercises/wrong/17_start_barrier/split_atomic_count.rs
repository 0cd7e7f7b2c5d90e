// Counts the ready workers with a load and a separate store on an atomic: two workers can both write the same count, so it never reaches the total and the spin never ends.

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
                let seen = arrived.load(SeqCst);
                arrived.store(seen + 1, SeqCst);
                while arrived.load(SeqCst) < threads {
                    spin_loop();
                }
                work(k);
            });
        }
    });
}
