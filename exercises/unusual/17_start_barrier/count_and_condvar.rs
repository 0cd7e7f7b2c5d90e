// Right, unusual: a count under a Mutex and a Condvar; the last worker to arrive wakes all, and each waits while the count is short.

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
                all_here.notify_all();
                let count = all_here.wait_while(count, |count| *count < threads).unwrap();
                drop(count);
                work(k);
            });
        }
    });
}
