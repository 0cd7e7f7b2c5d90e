//! Checks for exercises/05_atomic_sum.rs.

mod common;
#[path = "../05_atomic_sum.rs"]
mod exercise;

use exercise::{atomic_add, integrate};
use parallel_workbook::Problem;
use parallel_workbook::sync::atomic::{AtomicU64, Ordering::SeqCst};
use parallel_workbook::sync::thread;
use std::cell::Cell;

fn value(total: &AtomicU64) -> f64 {
    f64::from_bits(total.load(SeqCst))
}

#[test]
fn a_single_add() {
    let total = AtomicU64::new(1.5f64.to_bits());
    atomic_add(&total, 2.25, || {});
    assert_eq!(value(&total), 3.75, "1.5 + 2.25 should be 3.75");
}

#[test]
fn an_update_behind_your_back_is_not_lost() {
    // The first pause plays "another thread": it adds 100 to the total
    // between atomic_add's load and its compare-and-swap.
    let (result, pauses) = common::within(
        "atomic_add never returned: does the loop end once the swap succeeds?",
        || {
            let total = AtomicU64::new(1.0f64.to_bits());
            let pauses = Cell::new(0);
            atomic_add(&total, 10.0, || {
                if pauses.get() == 0 {
                    total.store((value(&total) + 100.0).to_bits(), SeqCst);
                }
                pauses.set(pauses.get() + 1);
            });
            (value(&total), pauses.get())
        },
    );
    assert!(
        pauses > 0,
        "pause() was never called: call it between the load and the compare-and-swap"
    );
    assert_eq!(
        result, 111.0,
        "the total was 1, another thread added 100 between your load and your store, you added 10: \
         expected 111, got {result}. A plain store overwrites the other update: use compare_exchange_weak and retry"
    );
    assert!(
        pauses >= 2,
        "pause() ran once: after the compare-and-swap failed, did you retry (and pause again)?"
    );
}

#[test]
fn many_threads_many_adds() {
    let (threads, per_thread) = (4, 20_000);
    let result = common::within(
        "atomic_add never returned: does the loop end once the swap succeeds?",
        move || {
            let total = AtomicU64::new(0.0f64.to_bits());
            thread::scope(|scope| {
                for _ in 0..threads {
                    scope.spawn(|| {
                        for _ in 0..per_thread {
                            atomic_add(&total, 1.0, || {});
                        }
                    });
                }
            });
            value(&total)
        },
    );
    let expected = (threads * per_thread) as f64;
    assert_eq!(
        result,
        expected,
        "{} of {expected} adds were lost",
        expected - result
    );
}

#[test]
fn integrate_gives_the_left_sum() {
    for (n, threads) in [(1_000_000, 4), (1_001, 3), (3, 8)] {
        let problem = Problem::new(0.0, 10.0, n).unwrap();
        let result = common::within("integrate never returned", move || {
            integrate(&problem, threads)
        });
        let expected = problem.exact_left_sum();
        assert!(
            (result - expected).abs() <= problem.reduction_tolerance(),
            "N = {n}, {threads} threads: got {result}, expected {expected}"
        );
    }
}
