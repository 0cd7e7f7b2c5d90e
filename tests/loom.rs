//! Model checking with loom: every interleaving of two threads, explored
//! deterministically. Run with
//!
//!     RUSTFLAGS="--cfg loom" cargo test --release --test loom
//!
//! The examples' update steps (`racy_add`, `add_locked`, `atomic_add`) use
//! `parallel_workbook::sync`, which is loom's mock types in this build.
#![cfg(loom)]

#[path = "../examples/atomic.rs"]
#[allow(dead_code)]
mod atomic;
#[path = "../examples/mutex.rs"]
#[allow(dead_code)]
mod mutex;
#[path = "../examples/racy.rs"]
#[allow(dead_code)]
mod racy;

use loom::sync::atomic::AtomicU64;
use loom::sync::{Arc, Mutex, mpsc};
use loom::thread;
use std::collections::BTreeSet;

/// Runs `add` on two loom threads sharing `shared`, then returns `read(shared)`.
fn two_threads<S: Send + Sync + 'static, R>(shared: S, add: fn(&S), read: impl Fn(&S) -> R) -> R {
    let shared = Arc::new(shared);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let shared = Arc::clone(&shared);
            thread::spawn(move || add(&shared))
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    read(&shared)
}

// ANCHOR: racy_loses_an_update
/// loom finds the schedule that loses an update, every time, without luck.
#[test]
#[should_panic(expected = "lost an update")]
fn racy_add_loses_an_update() {
    loom::model(|| {
        let updates = two_threads(
            Mutex::new(racy::Total::default()),
            |total| racy::racy_add(total, 1.0),
            |total| total.lock().unwrap().updates,
        );
        assert_eq!(updates, 2, "lost an update");
    });
}
// ANCHOR_END: racy_loses_an_update

/// The same race with a split atomic load/store instead of a lock taken
/// twice (the form chapter 13 shows): every access is atomic, the update
/// is not, and loom finds the lost update.
#[test]
#[should_panic(expected = "lost an update")]
fn split_atomic_load_store_loses_an_update() {
    use loom::sync::atomic::Ordering::Relaxed;
    loom::model(|| {
        let bits = two_threads(
            AtomicU64::new(0.0f64.to_bits()),
            |total| {
                let seen = f64::from_bits(total.load(Relaxed));
                total.store((seen + 1.0).to_bits(), Relaxed);
            },
            |total| total.load(Relaxed),
        );
        assert_eq!(f64::from_bits(bits), 2.0, "lost an update");
    });
}

/// Both outcomes are reachable: 2 (a lucky schedule) and 1 (a lost update).
#[test]
fn racy_add_ends_at_one_or_two_and_loom_sees_both() {
    static OUTCOMES: std::sync::Mutex<BTreeSet<u64>> = std::sync::Mutex::new(BTreeSet::new());
    loom::model(|| {
        let sum = two_threads(
            Mutex::new(racy::Total::default()),
            |total| racy::racy_add(total, 1.0),
            |total| total.lock().unwrap().sum,
        );
        OUTCOMES.lock().unwrap().insert(sum as u64);
    });
    assert_eq!(*OUTCOMES.lock().unwrap(), BTreeSet::from([1, 2]));
}

// ANCHOR: mutex_never_loses
/// One critical section around read, add and write back: 2 in every schedule.
#[test]
fn add_locked_never_loses_an_update() {
    loom::model(|| {
        let sum = two_threads(
            Mutex::new(0.0),
            |total| mutex::add_locked(total, 1.0),
            |total| *total.lock().unwrap(),
        );
        assert_eq!(sum, 2.0);
    });
}
// ANCHOR_END: mutex_never_loses

/// The compare-and-swap loop retries instead of overwriting: 2 in every schedule.
#[test]
fn atomic_add_never_loses_an_update() {
    loom::model(|| {
        let bits = two_threads(
            AtomicU64::new(0.0f64.to_bits()),
            |total| atomic::atomic_add(total, 1.0),
            |total| total.load(loom::sync::atomic::Ordering::Relaxed),
        );
        assert_eq!(f64::from_bits(bits), 2.0);
    });
}

/// The results-queue pattern of examples/queue.rs: workers send their
/// partial sums, main receives exactly one per worker, and gets every one
/// in every schedule. (loom's channel mock does not model a channel closed
/// by dropping every sender, so "receive until closed" is left to the std
/// tests.)
#[test]
fn results_queue_collects_every_partial_sum() {
    loom::model(|| {
        let (sender, receiver) = mpsc::channel();
        let handles: Vec<_> = [1.0, 2.0]
            .into_iter()
            .map(|partial| {
                let sender = sender.clone();
                thread::spawn(move || sender.send(partial).unwrap())
            })
            .collect();
        let total: f64 = (0..handles.len()).map(|_| receiver.recv().unwrap()).sum();
        assert_eq!(total, 3.0);
        for handle in handles {
            handle.join().unwrap();
        }
    });
}
