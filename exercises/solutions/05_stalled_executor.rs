//! # 23 · A stalled executor (solution)
//!
//! `spawn_blocking` hands the closure to tokio's blocking pool, threads kept
//! for work that does not `.await`; the task waits for its JoinHandle at an
//! `.await`, so the runtime's thread runs the other tasks meanwhile. A
//! panic in the closure comes back as the JoinHandle's error, and
//! `resume_unwind` passes it on to the caller as it was.

use parallel_workbook::Problem;

/// Runs `work` for an async caller without stalling the runtime's other tasks.
pub async fn off_the_runtime<T, F>(work: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

/// The integral, computed off the runtime.
pub async fn integrate(problem: Problem) -> f64 {
    off_the_runtime(move || problem.sum_f(0..problem.n) * problem.dx()).await
}
