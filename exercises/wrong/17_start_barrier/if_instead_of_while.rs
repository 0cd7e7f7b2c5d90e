// Counts the ready workers under a lock and waits under `if`, not `while`: a spurious wake-up lets a worker start before the others are ready.

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
                let mut count = arrived.lock().unwrap();
                *count += 1;
                if *count < threads {
                    count = all_here.wait(count).unwrap();
                } else {
                    all_here.notify_all();
                }
                drop(count);
                work(k);
            });
        }
    });
}
