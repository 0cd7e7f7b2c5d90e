// ANCHOR: statement
//! # 11 · Start barrier
//!
//! A fair race: no worker starts its work until every worker is ready.
//!
//! `run_together` starts `threads` scoped threads. Worker k calls `ready(k)`
//! when it is set up, then waits until all `threads` workers have called
//! `ready`, and only then calls `work(k)`. As written, the first worker is
//! off before the last one is even ready.
//!
//! Make the workers wait for each other between `ready` and `work`, with a
//! `Barrier` (or a `Mutex` + `Condvar` start signal). As in every exercise,
//! take it from `parallel_workbook::sync`: the same types as `std`'s, which
//! the check can also run under a model checker.
//!
//! Book: Part 4 › Signaling (book/part4/21-signaling.md)
//! Check: `cargo workbook check 17_start_barrier`
// ANCHOR_END: statement

use parallel_workbook::sync::thread;

/// Runs `work(k)` on `threads` workers, starting when all are `ready`.
pub fn run_together(threads: usize, ready: impl Fn(usize) + Sync, work: impl Fn(usize) + Sync) {
    let (ready, work) = (&ready, &work);
    thread::scope(|scope| {
        for k in 0..threads {
            scope.spawn(move || {
                ready(k);
                // TODO: wait here until every worker has called ready.
                work(k);
            });
        }
    });
}
