// ANCHOR: statement
//! # 02 · Spawn and join
//!
//! Run each chunk on its own OS thread, then join them and add up.
//!
//! 1. `spawn_workers`: for each of the `threads` chunks of the problem
//!    (`parallel_workbook::chunks`), start a thread with `thread::Builder`,
//!    named `chunk-0`, `chunk-1`, ... The thread sums its chunk with
//!    `problem.sum_f(chunk)` and returns `Partial::here(sum)`, which records
//!    which thread computed it. Return the handles; do not join them here.
//! 2. `integrate`: join every handle, add up the partial sums and multiply
//!    by `problem.dx()`.
//!
//! A spawned thread may outlive the function that started it, so it cannot
//! borrow from it: give each thread its own copy of the problem (`Problem` is
//! `Copy`) with a `move` closure.
//!
//! Book: Part 2 › OS threads: spawn and join (book/part2/05-os-threads.md)
//! Check: `cargo workbook check 02_spawn_join`
// ANCHOR_END: statement

use parallel_workbook::Problem;
use parallel_workbook::sync::thread::{self, JoinHandle, ThreadId};

/// What one worker thread returns: its partial sum, and which thread it was.
#[derive(Debug)]
pub struct Partial {
    pub sum: f64,
    pub thread: ThreadId,
    pub name: Option<String>,
}

impl Partial {
    /// Wraps `sum` with the identity of the thread that calls this.
    pub fn here(sum: f64) -> Self {
        let me = thread::current();
        Self {
            sum,
            thread: me.id(),
            name: me.name().map(String::from),
        }
    }
}

/// Starts one named thread per chunk; each returns its `Partial`.
pub fn spawn_workers(problem: &Problem, threads: usize) -> Vec<JoinHandle<Partial>> {
    // TODO: one thread per chunk, named "chunk-{k}", returning Partial::here(its sum).
    todo!("start {threads} threads for {} points", problem.n)
}

/// Joins the workers and reassembles their partial sums into the integral.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let handles = spawn_workers(problem, threads);
    // TODO: join each handle, add up the sums, multiply by Δx.
    todo!("join {} handles", handles.len())
}
