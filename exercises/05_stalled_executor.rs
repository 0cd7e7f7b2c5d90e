// ANCHOR: statement
//! # 23 · A stalled executor
//!
//! An async program runs many tasks on few threads: a task gives its thread
//! back to the runtime only at an `.await`. `off_the_runtime` below runs a
//! piece of CPU work for an async caller, and as it is written it stalls
//! the executor: the work runs on the runtime's own thread, and on a
//! current-thread runtime (chapter 8.1's `stalled_executor`) no other task
//! runs until it returns.
//!
//! Fix it: run `work` where blocking belongs, and wait for its result at an
//! `.await`, so that the runtime's thread runs the other tasks meanwhile.
//! If `work` panics, the panic must reach the caller, as it does now: never
//! turn it into a made-up result.
//!
//! Book: Part 2 › Async as the contrast (book/part2/08-1-async.md)
//! Check: `cargo workbook check 05_stalled_executor`
// ANCHOR_END: statement

use parallel_workbook::Problem;

/// Runs `work` for an async caller without stalling the runtime's other tasks.
pub async fn off_the_runtime<T, F>(work: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    // TODO: this blocks the runtime's thread until the work is done.
    work()
}

/// The integral, computed off the runtime.
pub async fn integrate(problem: Problem) -> f64 {
    off_the_runtime(move || problem.sum_f(0..problem.n) * problem.dx()).await
}
