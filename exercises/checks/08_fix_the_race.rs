//! Checks for exercises/08_fix_the_race.rs.
//!
//! The model tests run the learner's `add` under loom, which tries every
//! schedule of two threads (every way their locks, unlocks and pauses can
//! interleave), and under shuttle with three threads; then real threads
//! add many terms, and every `add` must call `pause()`.

mod common;
#[path = "../08_fix_the_race.rs"]
mod exercise;

use exercise::{Total, add};
use parallel_workbook::sync::model::{self, Model};
use parallel_workbook::sync::{Arc, Mutex, thread};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

/// What a total after `adds` calls of `add` (terms summing to `sum`) says
/// is wrong with it, if anything.
fn wrong_total(total: Total, adds: u64, sum: f64) -> Option<String> {
    if total.updates < adds {
        Some(format!(
            "an update was lost: {adds} calls of add left a total of {total:?}, which counts only {} of them. \
             The read and the write-back are not one critical section: another add ran between them, and one write-back overwrote the other's",
            total.updates
        ))
    } else if total.updates > adds {
        Some(format!(
            "{adds} calls of add left a total that counts {} updates: each add counts one",
            total.updates
        ))
    } else if total.sum != sum {
        Some(format!(
            "{adds} calls of add with terms summing to {sum} left a total of {total:?}: each add adds its own term, once"
        ))
    } else {
        None
    }
}

/// `threads` threads (the model's main thread and `threads - 1` more) each
/// call `add` `rounds` times with the term k + 1, then the total must count
/// and sum them all.
fn adders(threads: usize, rounds: usize) -> impl Fn() + Send + Sync + 'static {
    move || {
        let total = Arc::new(Mutex::new(Total::default()));
        model::name(&*total, "total");
        let add_all = move |total: &Mutex<Total>, k: usize| {
            for _ in 0..rounds {
                add(total, (k + 1) as f64, || model::note("calls pause()"));
            }
        };
        let others: Vec<_> = (1..threads)
            .map(|k| {
                let total = total.clone();
                thread::spawn(move || add_all(&total, k))
            })
            .collect();
        add_all(&total, 0);
        for other in others {
            other.join().expect("a thread panicked");
        }
        let adds = (threads * rounds) as u64;
        let sum = (1..=threads).map(|k| (k * rounds) as f64).sum();
        let total = *total.lock().unwrap();
        if let Some(wrong) = wrong_total(total, adds, sum) {
            panic!("{wrong}");
        }
    }
}

#[test]
fn no_update_is_lost_in_any_schedule_of_two_threads() {
    common::within(
        "two calls of add never finished: is a lock held forever?",
        || {
            Model::exhaustive("two threads each call add once", 20_000)
                .on_deadlock(
                    "add never finished: a thread waited for a lock that was never released",
                )
                .check(adders(2, 1))
        },
    );
}

#[test]
fn no_update_is_lost_with_three_threads_adding_twice() {
    common::within(
        "the calls of add never finished: is a lock held forever?",
        || {
            Model::random("three threads each call add twice", 200)
                .on_deadlock(
                    "add never finished: a thread waited for a lock that was never released",
                )
                .check(adders(3, 2))
        },
    );
}

#[test]
fn every_add_calls_pause_between_its_read_and_its_write_back() {
    let (pauses, total) = common::within("add never finished: is a lock held forever?", || {
        let pauses = AtomicUsize::new(0);
        let total = Mutex::new(Total::default());
        for k in 0..3 {
            add(&total, k as f64, || {
                pauses.fetch_add(1, SeqCst);
            });
        }
        (pauses.into_inner(), total.into_inner().unwrap())
    });
    assert!(
        pauses >= 3,
        "3 calls of add called pause() {pauses} times: keep the pause() call between the read and the write-back"
    );
    assert_eq!(wrong_total(total, 3, 3.0), None);
}

#[test]
fn many_threads_many_updates_on_real_threads() {
    let (threads, per_thread) = (4, 1_000);
    let total = common::within("add never finished: is a lock held forever?", move || {
        let total = Mutex::new(Total::default());
        thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    for _ in 0..per_thread {
                        add(&total, 1.0, thread::yield_now);
                    }
                });
            }
        });
        total.into_inner().unwrap()
    });
    let adds = (threads * per_thread) as u64;
    if let Some(wrong) = wrong_total(total, adds, adds as f64) {
        panic!("on real threads: {wrong}");
    }
}
