//! Checks for exercises/04_fix_the_race.rs.

mod common;
#[path = "../04_fix_the_race.rs"]
mod exercise;

use exercise::{Total, add};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, TryLockError};
use std::thread;
use std::time::Duration;

/// Two threads add one term each. The pause hook makes the first thread to
/// reach it wait for the other whenever the total is unlocked at that point:
/// exactly the interleaving that loses an update. (If the total is locked
/// during the pause, nobody else can get in, and the hook returns at once.)
fn forced_interleaving() -> (Total, usize) {
    let total = Arc::new(Mutex::new(Total::default()));
    let arrived = Arc::new(AtomicUsize::new(0));
    let pauses = Arc::new(AtomicUsize::new(0));
    thread::scope(|scope| {
        for term in [1.0, 2.0] {
            let (total, arrived, pauses) = (&total, &arrived, &pauses);
            scope.spawn(move || {
                add(total, term, || {
                    pauses.fetch_add(1, SeqCst);
                    let unlocked = !matches!(total.try_lock(), Err(TryLockError::WouldBlock));
                    if unlocked {
                        arrived.fetch_add(1, SeqCst);
                        common::wait_until(Duration::from_secs(2), || arrived.load(SeqCst) >= 2);
                    }
                });
            });
        }
    });
    let result = *total.lock().unwrap();
    (result, pauses.load(SeqCst))
}

#[test]
fn no_update_is_lost_even_at_the_worst_moment() {
    for _ in 0..20 {
        let (total, pauses) = common::within(
            "two calls of add never finished: is a lock held forever?",
            forced_interleaving,
        );
        assert_eq!(
            pauses, 2,
            "pause() ran {pauses} times for 2 calls of add: keep one pause() call between the read and the write-back"
        );
        assert_eq!(
            total,
            Total {
                sum: 3.0,
                updates: 2
            },
            "two threads added 1.0 and 2.0 to a zero total and got {total:?}: an update was lost. \
             Hold one lock guard from the read to the write-back"
        );
    }
}

#[test]
fn many_threads_many_updates() {
    let (threads, per_thread) = (4, 20_000);
    let total = common::within("add never finished: is a lock held forever?", move || {
        let total = Mutex::new(Total::default());
        thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    for _ in 0..per_thread {
                        add(&total, 1.0, || {});
                    }
                });
            }
        });
        total.into_inner().unwrap()
    });
    let expected = (threads * per_thread) as u64;
    assert_eq!(
        total.updates,
        expected,
        "{} of {expected} updates were lost",
        expected - total.updates
    );
    assert_eq!(total.sum, expected as f64);
}
