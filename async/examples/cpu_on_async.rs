//! CPU work on an async runtime: the integral's T chunks as tokio tasks,
//! as blocking tasks, and on a rayon pool, each awaited from async code.
//!
//!     cargo run --release -p workbook-async --example cpu_on_async -- --how spawn --threads 2 --compare
//!     cargo run --release -p workbook-async --example cpu_on_async -- --how current-thread --threads 2 --compare
//!
//! Async adds no cores: on T runtime threads the chunks run as fast as on T
//! plain threads, and on a current-thread runtime one at a time.

use clap::ValueEnum;
use parallel_workbook::timeline::Track;
use parallel_workbook::{Problem, chunks};
use workbook_async::{current_thread, multi_thread};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum How {
    /// tokio::spawn on a runtime of T worker threads
    Spawn,
    /// tokio::spawn on a current-thread runtime: every task on one thread
    CurrentThread,
    /// tokio::task::spawn_blocking: a thread of the blocking pool per chunk
    SpawnBlocking,
    /// A rayon pool of T threads, each result sent back to async code
    Rayon,
}

/// Sums one chunk (recorded with --timeline): the CPU work of every variant.
fn sum(problem: Problem, chunk: std::ops::Range<u64>) -> f64 {
    Track::start().chunk(chunk, |c| problem.sum_f(c))
}

// ANCHOR: variants
/// The integral with its T chunks handed to the runtime as `how` says.
pub fn integrate(problem: &Problem, threads: usize, how: How) -> f64 {
    let problem = *problem;
    let parts = chunks(problem.n, threads as u64);
    let total: f64 = match how {
        // A task that never awaits holds its worker thread until it ends:
        // T tasks on T workers are T threads, nothing more.
        How::Spawn | How::CurrentThread => {
            let runtime = match how {
                How::Spawn => multi_thread(threads),
                _ => current_thread(),
            };
            runtime.block_on(async {
                let tasks: Vec<_> = parts
                    .map(|chunk| tokio::spawn(async move { sum(problem, chunk) }))
                    .collect();
                let mut total = 0.0;
                for task in tasks {
                    total += task.await.expect("a task panicked");
                }
                total
            })
        }
        // tokio's answer for blocking code: a pool of threads beside the runtime.
        How::SpawnBlocking => current_thread().block_on(async {
            let tasks: Vec<_> = parts
                .map(|chunk| tokio::task::spawn_blocking(move || sum(problem, chunk)))
                .collect();
            let mut total = 0.0;
            for task in tasks {
                total += task.await.expect("a blocking task panicked");
            }
            total
        }),
        // The pattern tokio's documentation suggests for heavy computing:
        // rayon computes, a oneshot channel brings each result back.
        How::Rayon => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("could not start the rayon thread pool");
            current_thread().block_on(async {
                let results: Vec<_> = parts
                    .map(|chunk| {
                        let (send, receive) = tokio::sync::oneshot::channel();
                        pool.spawn(move || {
                            let _ = send.send(sum(problem, chunk));
                        });
                        receive
                    })
                    .collect();
                let mut total = 0.0;
                for result in results {
                    total += result.await.expect("a rayon job panicked");
                }
                total
            })
        }
    };
    total * problem.dx()
}
// ANCHOR_END: variants

#[derive(clap::Args)]
struct CpuFlags {
    /// Where the chunks run
    #[arg(long, value_enum, default_value_t = How::Spawn)]
    how: How,
}

fn main() {
    let (args, flags) =
        workbook_async::parse::<CpuFlags>("CPU work on a tokio runtime", 100_000_000);
    let name = match flags.how {
        How::Spawn => "async/spawn",
        How::CurrentThread => "async/current-thread",
        How::SpawnBlocking => "async/spawn-blocking",
        How::Rayon => "async/rayon",
    };
    args.run(name, |problem, threads| {
        integrate(problem, threads, flags.how)
    });
}
