//! Checks for exercises/08_semaphore.rs.

mod common;
#[path = "../08_semaphore.rs"]
mod exercise;

use exercise::Semaphore;
use parallel_workbook::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use parallel_workbook::sync::thread;
use parallel_workbook::sync::{Arc, mpsc};
use std::time::Duration;

#[test]
fn all_permits_can_be_taken_at_once() {
    common::within(
        "taking 3 permits of a 3-permit semaphore blocked: it should not wait while a permit is free",
        || {
            let semaphore = Semaphore::new(3);
            let permits: Vec<_> = (0..3).map(|_| semaphore.acquire()).collect();
            drop(permits);
            // Given back: they can be taken again.
            let _again: Vec<_> = (0..3).map(|_| semaphore.acquire()).collect();
        },
    );
}

/// Starts a thread that takes a permit, reports it on `took`, and holds it
/// until its `release` sender is used or dropped.
fn holder(semaphore: &Arc<Semaphore>, took: &mpsc::Sender<()>) -> mpsc::Sender<()> {
    let (release, hold) = mpsc::channel::<()>();
    let (semaphore, took) = (semaphore.clone(), took.clone());
    thread::spawn(move || {
        let _permit = semaphore.acquire();
        let _ = took.send(());
        let _ = hold.recv();
    });
    release
}

#[test]
fn one_too_many_waits_until_a_permit_is_released() {
    let semaphore = Arc::new(Semaphore::new(2));
    let (took, taken) = mpsc::channel();
    let releases: Vec<_> = (0..2).map(|_| holder(&semaphore, &took)).collect();
    for k in 0..2 {
        taken.recv_timeout(common::PATIENCE).unwrap_or_else(|_| {
            panic!(
                "a 2-permit semaphore: the thread taking permit {} never got it",
                k + 1
            )
        });
    }
    let (took_third, third_taken) = mpsc::channel();
    let _third = holder(&semaphore, &took_third);
    assert!(
        third_taken
            .recv_timeout(Duration::from_millis(300))
            .is_err(),
        "a 2-permit semaphore let a third thread in while two held their permits"
    );
    drop(releases); // the first two threads give their permits back
    assert!(
        third_taken.recv_timeout(common::PATIENCE).is_ok(),
        "a permit was given back, but the waiting thread never got it: does release wake a waiter \
         (Condvar::notify_one)? Does acquire check the count again after waking?"
    );
}

#[test]
fn never_more_than_permits_inside() {
    for permits in [1, 2, 3] {
        let most = common::within(
            "the threads never all finished: a waiting thread was not woken up",
            move || {
                let semaphore = Semaphore::new(permits);
                let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
                thread::scope(|scope| {
                    for _ in 0..8 {
                        scope.spawn(|| {
                            for _ in 0..50 {
                                let _permit = semaphore.acquire();
                                let now = inside.fetch_add(1, SeqCst) + 1;
                                most.fetch_max(now, SeqCst);
                                thread::sleep(Duration::from_micros(100));
                                inside.fetch_sub(1, SeqCst);
                            }
                        });
                    }
                });
                most.into_inner()
            },
        );
        assert!(
            most <= permits,
            "a {permits}-permit semaphore let {most} threads in at once"
        );
    }
}
