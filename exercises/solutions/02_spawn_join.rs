//! # 02 · Spawn and join (solution)
//!
//! `thread::Builder` names each thread; `spawn` returns an `io::Result`
//! because the OS may refuse to start one. `join` returns what the thread's
//! closure returned (or `Err` if it panicked).

use parallel_workbook::{Problem, chunks};
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
    chunks(problem.n, threads as u64)
        .enumerate()
        .map(|(k, chunk)| {
            let problem = *problem;
            thread::Builder::new()
                .name(format!("chunk-{k}"))
                .spawn(move || Partial::here(problem.sum_f(chunk)))
                .expect("the OS refused to start a thread")
        })
        .collect()
}

/// Joins the workers and reassembles their partial sums into the integral.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let handles = spawn_workers(problem, threads);
    let total: f64 = handles
        .into_iter()
        .map(|handle| handle.join().expect("a worker panicked").sum)
        .sum();
    total * problem.dx()
}
