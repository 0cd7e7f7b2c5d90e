//! Checks for exercises/05_stalled_executor.rs.
//!
//! No model test and no clock: tokio's scheduler is not on the facade, and
//! a stall is seen by what the other tasks manage to do, never by how long
//! anything took. Each test builds a current-thread runtime (one thread runs
//! every task, as in chapter 8.1's `stalled_executor`) with a tick task that
//! counts and yields, forever. The work the check hands to `off_the_runtime`
//! waits until the tick task has ticked three more times (at most 2 s, so a
//! stalled executor fails instead of hanging): off the runtime's thread the
//! ticks come at once; on it, none can come until the work returns. Then:
//! the work's result must come back, on a current-thread runtime and a
//! multi-threaded one; a panic in the work must reach the caller, not turn
//! into a result; and `integrate` must give the left sum.

mod common;
#[path = "../05_stalled_executor.rs"]
mod exercise;

use exercise::{integrate, off_the_runtime};
use parallel_workbook::Problem;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};

/// A runtime with one thread for every task, and a blocking pool.
fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("could not start a tokio runtime")
}

/// Runs `off_the_runtime` on `work` on a current-thread runtime with a tick
/// task; returns what it returned and how many ticks the work saw while it
/// ran.
fn with_ticks(work: impl FnOnce() -> u64 + Send + 'static) -> (u64, u64) {
    common::within(
        "off_the_runtime never returned: does it wait for something that never comes?",
        move || {
            current_thread().block_on(async move {
                let ticks = Arc::new(AtomicU64::new(0));
                let counted = ticks.clone();
                let ticker = tokio::spawn(async move {
                    loop {
                        counted.fetch_add(1, SeqCst);
                        tokio::task::yield_now().await;
                    }
                });
                let seen = ticks.clone();
                let during = Arc::new(AtomicU64::new(0));
                let during_work = during.clone();
                let result = off_the_runtime(move || {
                    let start = seen.load(SeqCst);
                    common::wait_until(common::OVERLAP_PATIENCE, || seen.load(SeqCst) >= start + 3);
                    during_work.store(seen.load(SeqCst) - start, SeqCst);
                    work()
                })
                .await;
                ticker.abort();
                (result, during.load(SeqCst))
            })
        },
    )
}

#[test]
fn the_other_tasks_keep_running_while_the_work_runs() {
    let (result, ticks) = with_ticks(|| 42);
    assert!(
        ticks >= 3,
        "while the work ran, the runtime's other task ticked {ticks} time(s) (the work waited 2 s for three \
         ticks): the runtime's one thread ran no other task meanwhile. Either the work ran on it, or the task \
         kept it busy (a loop, a blocking wait) instead of giving it back at an .await. Run the work where \
         blocking belongs (tokio::task::spawn_blocking) and .await its result"
    );
    assert_eq!(
        result, 42,
        "off_the_runtime returned {result}, the work returned 42"
    );
}

#[test]
fn the_result_comes_back_on_either_kind_of_runtime() {
    let (result, _) = with_ticks(|| 7);
    assert_eq!(
        result, 7,
        "off_the_runtime returned {result}, the work returned 7"
    );
    let result = common::within("off_the_runtime never returned", || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .expect("could not start a tokio runtime")
            .block_on(off_the_runtime(|| "from the work".to_string()))
    });
    assert_eq!(
        result, "from the work",
        "on a multi-threaded runtime, off_the_runtime returned {result:?}, the work returned \"from the work\""
    );
}

#[test]
fn a_panic_in_the_work_reaches_the_caller() {
    let returned = Arc::new(AtomicBool::new(false));
    let flag = returned.clone();
    let outcome = std::thread::spawn(move || {
        current_thread().block_on(async move {
            let value: u64 = off_the_runtime(|| -> u64 {
                // Skips the panic hook: this panic is the check's own.
                std::panic::resume_unwind(Box::new("the work failed"))
            })
            .await;
            flag.store(true, SeqCst);
            value
        })
    })
    .join();
    assert!(
        outcome.is_err() && !returned.load(SeqCst),
        "the work panicked, and off_the_runtime returned {:?} all the same: a panic must reach the caller \
         (spawn_blocking's JoinHandle gives it back as an Err: pass it on, with resume_unwind or expect)",
        outcome.ok()
    );
}

#[test]
fn integrate_gives_the_left_sum() {
    let problem = Problem::new(0.0, 10.0, 1_000_000).unwrap();
    let result = common::within("integrate never returned", move || {
        current_thread().block_on(integrate(problem))
    });
    let expected = problem.exact_left_sum();
    assert!(
        (result - expected).abs() <= problem.reduction_tolerance(),
        "integrate gave {result}, the left sum is {expected}"
    );
}
