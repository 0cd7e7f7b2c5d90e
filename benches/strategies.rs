//! Every strategy at one fixed N, with criterion.
//!
//!     cargo bench --bench strategies                         # N = 1e8, T = 2
//!     WORKBOOK_BENCH_N=1e9 WORKBOOK_BENCH_THREADS=2 cargo bench --bench strategies
//!
//! Timings live here and in the `scaling` example, never in pass/fail tests.

#[path = "../examples/shared/strategies.rs"]
mod strategies;

use criterion::{Criterion, Throughput};
use parallel_workbook::{Problem, cli};
use std::time::Duration;

fn setting<T>(name: &str, default: T, parse: fn(&str) -> Result<T, String>) -> T {
    match std::env::var(name) {
        Ok(text) => parse(&text).unwrap_or_else(|e| cli::exit_with_error(&format!("{name}: {e}"))),
        Err(_) => default,
    }
}

fn bench_strategies(c: &mut Criterion) {
    let n = setting("WORKBOOK_BENCH_N", 100_000_000, cli::parse_count);
    let threads = setting("WORKBOOK_BENCH_THREADS", 2, cli::parse_threads);
    let problem = Problem::new(0.0, 10.0, n).expect("a valid N");
    let mut group = c.benchmark_group(format!("integrate N={n} T={threads}"));
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .throughput(Throughput::Elements(n));
    for strategy in strategies::ALL {
        group.bench_function(strategy.name, |b| {
            b.iter(|| (strategy.integrate)(&problem, threads))
        });
    }
    group.finish();
}

fn main() {
    // The `processes` strategy starts this program again as its workers.
    strategies::processes::serve_as_worker_if_asked();
    let mut criterion = Criterion::default().configure_from_args();
    bench_strategies(&mut criterion);
    criterion.final_summary();
}
