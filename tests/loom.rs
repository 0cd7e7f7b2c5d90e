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
#[path = "../examples/publish.rs"]
#[allow(dead_code)]
mod publish;
#[path = "../examples/racy.rs"]
#[allow(dead_code)]
mod racy;

use loom::sync::atomic::Ordering::Relaxed;
use loom::sync::atomic::{AtomicBool, AtomicU64};
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

// ---- Memory ordering (chapter 27) -----------------------------------------

/// What a reader of a published slot can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Seen {
    /// The flag is still down.
    NotYet,
    /// The flag is up, and the sum is the one written before it.
    Fresh,
    /// The flag is up, but the sum read is the old one: 0.
    Stale,
}

/// One writer publishes 1.0 through `publish`, while main reads once with
/// `take`. Returns every outcome loom found, over all executions.
fn publication_outcomes<S: Send + Sync + 'static>(
    new: fn() -> S,
    publish: fn(&S, f64),
    take: fn(&S) -> Option<f64>,
) -> BTreeSet<Seen> {
    let outcomes = std::sync::Arc::new(std::sync::Mutex::new(BTreeSet::new()));
    let found = std::sync::Arc::clone(&outcomes);
    loom::model(move || {
        let slot = Arc::new(new());
        let writer = {
            let slot = Arc::clone(&slot);
            thread::spawn(move || publish(&slot, 1.0))
        };
        let seen = match take(&slot) {
            None => Seen::NotYet,
            Some(1.0) => Seen::Fresh,
            Some(_) => Seen::Stale,
        };
        found.lock().unwrap().insert(seen);
        writer.join().unwrap();
    });
    outcomes.lock().unwrap().clone()
}

// ANCHOR: release_acquire
/// `publish.rs`'s slot: data stored `Relaxed`, flag stored `Release` and
/// loaded `Acquire`. In every execution a reader that sees the flag up sees
/// the sum: loom finds "not yet" and "fresh", never "stale".
#[test]
fn release_acquire_never_shows_a_stale_sum() {
    let seen = publication_outcomes(
        publish::Slot::new,
        publish::Slot::publish,
        publish::Slot::take,
    );
    assert_eq!(seen, BTreeSet::from([Seen::NotYet, Seen::Fresh]));
}
// ANCHOR_END: release_acquire

// ANCHOR: relaxed_flag
/// The same slot with `Relaxed` on the flag too: nothing orders the sum's
/// store before the flag's for another thread, and loom finds an execution
/// where the flag is up and the sum is still 0.
struct RelaxedSlot {
    sum: AtomicU64,
    ready: AtomicBool,
}

impl RelaxedSlot {
    fn publish(&self, sum: f64) {
        self.sum.store(sum.to_bits(), Relaxed);
        self.ready.store(true, Relaxed); // was Release
    }

    fn take(&self) -> Option<f64> {
        // was Acquire
        self.ready
            .load(Relaxed)
            .then(|| f64::from_bits(self.sum.load(Relaxed)))
    }
}

#[test]
fn a_relaxed_flag_can_show_a_stale_sum() {
    let seen = publication_outcomes(
        || RelaxedSlot {
            sum: AtomicU64::new(0),
            ready: AtomicBool::new(false),
        },
        RelaxedSlot::publish,
        RelaxedSlot::take,
    );
    assert_eq!(
        seen,
        BTreeSet::from([Seen::NotYet, Seen::Fresh, Seen::Stale])
    );
}
// ANCHOR_END: relaxed_flag

// ANCHOR: happens_before
/// `join` orders everything the thread did before everything after `join`
/// returns: a `Relaxed` store in the thread is seen by a `Relaxed` load after.
#[test]
fn join_makes_the_threads_writes_visible() {
    loom::model(|| {
        let sum = Arc::new(AtomicU64::new(0));
        let writer = {
            let sum = Arc::clone(&sum);
            thread::spawn(move || sum.store(7, Relaxed))
        };
        writer.join().unwrap();
        assert_eq!(sum.load(Relaxed), 7);
    });
}

/// Unlocking a `Mutex` and locking it next form a release/acquire pair:
/// whoever finds `done` set under the lock also sees what was written before.
#[test]
fn a_mutex_makes_writes_before_the_unlock_visible() {
    loom::model(|| {
        let (sum, done) = (Arc::new(AtomicU64::new(0)), Arc::new(Mutex::new(false)));
        let writer = {
            let (sum, done) = (Arc::clone(&sum), Arc::clone(&done));
            thread::spawn(move || {
                sum.store(7, Relaxed);
                *done.lock().unwrap() = true;
            })
        };
        if *done.lock().unwrap() {
            assert_eq!(sum.load(Relaxed), 7);
        }
        writer.join().unwrap();
    });
}

/// A message carries everything its sender did before `send` to the thread
/// that `recv`s it.
#[test]
fn a_channel_makes_writes_before_the_send_visible() {
    loom::model(|| {
        let sum = Arc::new(AtomicU64::new(0));
        let (sender, receiver) = mpsc::channel();
        let writer = {
            let sum = Arc::clone(&sum);
            thread::spawn(move || {
                sum.store(7, Relaxed);
                sender.send(()).unwrap();
            })
        };
        receiver.recv().unwrap();
        assert_eq!(sum.load(Relaxed), 7);
        writer.join().unwrap();
    });
}
// ANCHOR_END: happens_before

// ANCHOR: seqcst_split
/// The strongest ordering does not mend a broken update: with `SeqCst` on
/// both the load and the store, the two threads can still both load 0 and
/// both store 1. That schedule is sequentially consistent (one interleaving
/// of the four steps), so this failure is real, not one of loom's false
/// alarms about `SeqCst` (loom checks `SeqCst` as the weaker `AcqRel`).
#[test]
#[should_panic(expected = "lost an update")]
fn seqcst_does_not_fix_a_split_load_and_store() {
    use loom::sync::atomic::Ordering::SeqCst;
    loom::model(|| {
        let count = two_threads(
            AtomicU64::new(0),
            |count| {
                let seen = count.load(SeqCst);
                count.store(seen + 1, SeqCst);
            },
            |count| count.load(SeqCst),
        );
        assert_eq!(count, 2, "lost an update");
    });
}
// ANCHOR_END: seqcst_split

// ANCHOR: relaxed_counter
/// A `Relaxed` counter: every `fetch_add` reads the latest value in the
/// counter's modification order, so no increment is lost, in any execution.
/// (The CAS loop of `atomic_add` is the same argument: a successful
/// compare-exchange also reads the latest value.)
#[test]
fn a_relaxed_fetch_add_counter_loses_nothing() {
    loom::model(|| {
        let count = two_threads(
            AtomicU64::new(0),
            |count| {
                count.fetch_add(1, Relaxed);
            },
            |count| count.load(Relaxed),
        );
        assert_eq!(count, 2);
    });
}
// ANCHOR_END: relaxed_counter
