//! Checks for exercises/15_semaphore.rs.
//!
//! The model tests run the learner's `Semaphore` under loom, which tries
//! every schedule of three threads taking permits of a 1-permit and a
//! 2-permit semaphore, with spurious wake-ups (std allows them); and under
//! shuttle, a thread that waits while the only permit is held must not keep
//! checking (no busy loop, no sleep). Then real threads take and give back
//! permits.

mod common;
#[path = "../15_semaphore.rs"]
mod exercise;

use exercise::Semaphore;
use parallel_workbook::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use parallel_workbook::sync::model::{self, Model};
use parallel_workbook::sync::{Arc, mpsc, thread};
use std::time::Duration;

const NEVER_WOKEN: &str = "the threads never all finished: every thread that had not finished was blocked. \
     A thread waited for a permit and nobody woke it up (does release notify a waiter after it gives the permit back, \
     under the lock?), or a permit was never given back";

/// What a hang on real threads may mean (the watchdog cannot see why).
const HUNG: &str = "the threads did not all finish: does a thread that waits for a permit get woken \
     (release notifies a waiter after it gives the permit back)? Is every permit given back?";

/// `threads` threads (main and `threads - 1` more) each take a permit of a
/// `permits`-permit semaphore once, and count how many are inside at once.
fn takers(permits: usize, threads: usize) -> impl Fn() + Send + Sync + 'static {
    move || {
        let semaphore = Arc::new(Semaphore::new(permits));
        let inside = Arc::new(AtomicUsize::new(0));
        model::name(&*inside, "inside");
        let take = move |semaphore: &Semaphore, inside: &AtomicUsize| {
            let permit = semaphore.acquire();
            let now = inside.fetch_add(1, SeqCst) + 1;
            assert!(
                now <= permits,
                "a {permits}-permit semaphore let {now} threads in at once. A thread took a permit that was not free: \
                 does acquire check the count and take the permit in one critical section, and check it again after \
                 every wake-up (while, not if)?"
            );
            inside.fetch_sub(1, SeqCst);
            drop(permit);
        };
        let others: Vec<_> = (1..threads)
            .map(|_| {
                let (semaphore, inside) = (semaphore.clone(), inside.clone());
                thread::spawn(move || take(&semaphore, &inside))
            })
            .collect();
        take(&semaphore, &inside);
        for other in others {
            other.join().expect("a thread panicked");
        }
        // Every permit is free again: all can be taken at once.
        let again: Vec<_> = (0..permits).map(|_| semaphore.acquire()).collect();
        drop(again);
    }
}

#[test]
fn never_two_inside_a_one_permit_semaphore_in_any_schedule() {
    common::within(HUNG, || {
        Model::exhaustive(
            "two threads take the permit of a 1-permit semaphore",
            20_000,
        )
        .on_deadlock(NEVER_WOKEN)
        .check(takers(1, 2))
    });
}

#[test]
fn never_more_than_permits_inside_with_four_threads() {
    common::within(HUNG, || {
        for permits in [1, 2] {
            Model::pct(
                format!("four threads take permits of a {permits}-permit semaphore"),
                300,
                3,
            )
            .on_deadlock(NEVER_WOKEN)
            .check(takers(permits, 4));
        }
    });
}

/// How many steps (locks, waits, ...) a waiting `acquire` may take while
/// the only permit is held: lock, a spurious wake-up and its lock again,
/// the real wait, with room to spare.
const WAITING_STEPS: usize = 8;

#[test]
fn a_waiting_thread_sleeps_instead_of_checking_again_and_again() {
    common::within(HUNG, || {
        Model::random("main holds the only permit while another thread waits for it", 200)
            .on_deadlock(NEVER_WOKEN)
            .check(|| {
                let semaphore = Arc::new(Semaphore::new(1));
                let held = semaphore.acquire();
                let waiter = {
                    let semaphore = semaphore.clone();
                    thread::spawn(move || drop(semaphore.acquire()))
                };
                for _ in 0..20 {
                    thread::yield_now();
                }
                let waited = model::steps_of(1);
                assert!(
                    waited <= WAITING_STEPS,
                    "while main held the only permit, the waiting thread took {waited} steps (locks, checks) in acquire: \
                     it waits busily, checking again and again. While no permit is free, wait on the Condvar"
                );
                drop(held);
                waiter.join().expect("the waiting thread panicked");
            })
    });
}

#[test]
fn all_permits_can_be_taken_at_once() {
    common::within(
        "taking 3 permits of a 3-permit semaphore blocked: it should not wait while a permit is free",
        || {
            let semaphore = Semaphore::new(3);
            let permits: Vec<_> = (0..3).map(|_| semaphore.acquire()).collect();
            drop(permits);
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
fn on_real_threads_one_too_many_waits_until_a_permit_is_released() {
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
        third_taken.recv_timeout(Duration::from_millis(50)).is_err(),
        "a 2-permit semaphore let a third thread in while two held their permits"
    );
    drop(releases);
    assert!(
        third_taken.recv_timeout(common::PATIENCE).is_ok(),
        "a permit was given back, but the waiting thread never got it: does release wake a waiter \
         (Condvar::notify_one)? Does acquire check the count again after waking?"
    );
}

#[test]
fn on_real_threads_never_more_than_permits_inside() {
    for permits in [1, 2, 3] {
        let most = common::within(HUNG, move || {
            let semaphore = Semaphore::new(permits);
            let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
            thread::scope(|scope| {
                for _ in 0..6 {
                    scope.spawn(|| {
                        for _ in 0..30 {
                            let _permit = semaphore.acquire();
                            let now = inside.fetch_add(1, SeqCst) + 1;
                            most.fetch_max(now, SeqCst);
                            thread::yield_now();
                            inside.fetch_sub(1, SeqCst);
                        }
                    });
                }
            });
            most.into_inner()
        });
        assert!(
            most <= permits,
            "on real threads, a {permits}-permit semaphore let {most} threads in at once"
        );
    }
}
