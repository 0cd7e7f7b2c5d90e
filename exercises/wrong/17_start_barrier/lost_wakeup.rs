// Counts under the lock, but waits under a second lock without checking the count: the last worker's notify_all can come before a worker waits, and that worker sleeps forever.

use parallel_workbook::sync::{Condvar, Mutex, thread};

/// Runs `work(k)` on `threads` workers, starting when all are `ready`.
pub fn run_together(threads: usize, ready: impl Fn(usize) + Sync, work: impl Fn(usize) + Sync) {
    let (ready, work) = (&ready, &work);
    let arrived = Mutex::new(0);
    let all_here = Condvar::new();
    thread::scope(|scope| {
        for k in 0..threads {
            let (arrived, all_here) = (&arrived, &all_here);
            scope.spawn(move || {
                ready(k);
                let count = {
                    let mut count = arrived.lock().unwrap();
                    *count += 1;
                    *count
                };
                if count == threads {
                    all_here.notify_all();
                } else {
                    let guard = arrived.lock().unwrap();
                    let _guard = all_here.wait(guard).unwrap();
                }
                work(k);
            });
        }
    });
}
