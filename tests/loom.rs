//! Model checking with loom: every interleaving of two threads, explored
//! deterministically. Run with
//!
//!     RUSTFLAGS="--cfg loom" cargo test --release --test loom
//!
//! The examples' update steps (`racy_add`, `add_locked`, `atomic_add`) and
//! the scheduler puzzles (`examples/puzzles/`) use `parallel_workbook::sync`,
//! which is loom's mock types in this build.
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

// The scheduler puzzles of the book, each with a broken and a fixed version.
#[path = "../examples/puzzles/condvar_if.rs"]
mod condvar_if;
#[path = "../examples/puzzles/flag_lock.rs"]
mod flag_lock;
#[path = "../examples/puzzles/lost_wakeup.rs"]
mod lost_wakeup;
#[path = "../examples/puzzles/philosophers.rs"]
mod philosophers;
#[path = "../examples/puzzles/reused_barrier.rs"]
mod reused_barrier;
#[path = "../examples/puzzles/withdraw.rs"]
mod withdraw;

use loom::sync::atomic::Ordering::Relaxed;
use loom::sync::atomic::{AtomicBool, AtomicU64};
use loom::sync::{Arc, Mutex, mpsc};
use loom::thread;
use std::collections::BTreeSet;
use std::sync::Arc as StdArc;

/// Runs `add` on two loom threads sharing `shared`, then returns `read(shared)`.
fn two_threads<S, R>(
    shared: S,
    add: impl Fn(&S) + Copy + Send + 'static,
    read: impl Fn(&S) -> R,
) -> R
where
    S: Send + Sync + 'static,
{
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
            racy::Shared::new(racy::Total::default()),
            |total| racy::racy_add(total, 1.0),
            |total| total.read().updates,
        );
        assert_eq!(updates, 2, "lost an update");
    });
}
// ANCHOR_END: racy_loses_an_update

/// The same race with a split atomic load/store instead of `Shared`'s
/// whole read and whole write (the form chapter 13 shows): every access is atomic, the update
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
            racy::Shared::new(racy::Total::default()),
            |total| racy::racy_add(total, 1.0),
            |total| total.read().sum,
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

// ------------------------------------------------------ scheduler puzzles
//
// Each puzzle of the book's "be the scheduler" widgets, in Rust: the broken
// version fails in some schedule, in the same way as in the widget, and the
// fixed version passes in all of them. Where the failure is a thread that
// blocks forever, loom reports it as `deadlock; threads = [...]` when no
// thread can run and not all have finished; those tests expect that
// message (`should_panic(expected = "deadlock; threads =")`), not just any
// panic.
//
// The models that can deadlock share their state through `std`'s `Arc`, not
// loom's: after loom reports a deadlock, dropping a loom `Arc` while the
// panic unwinds panics again and aborts the test binary (loom issue #291).
// The `Arc` only hands the shared value to the threads; its reference count
// is not what these models check.

/// Two threads each try to withdraw 60 from a balance of 100; returns the
/// balance at the end.
fn two_withdrawals(withdraw: fn(&Mutex<i64>, i64) -> bool) -> i64 {
    two_threads(
        Mutex::new(100),
        move |balance| {
            withdraw(balance, 60);
        },
        |balance| *balance.lock().unwrap(),
    )
}

#[test]
#[should_panic(expected = "both threads withdrew")]
fn withdraw_in_two_lock_scopes_lets_both_withdraw() {
    use withdraw::withdraw_in_two_lock_scopes;
    loom::model(|| {
        let balance = two_withdrawals(withdraw_in_two_lock_scopes);
        assert_eq!(
            balance, 40,
            "both threads withdrew: the balance is {balance}"
        );
    });
}

#[test]
fn withdraw_in_one_lock_scope_lets_exactly_one_withdraw() {
    use withdraw::withdraw_in_one_lock_scope;
    loom::model(|| assert_eq!(two_withdrawals(withdraw_in_one_lock_scope), 40));
}

/// Two threads each take `lock`, pass through the critical section, and
/// unlock; panics if both are inside at once. `inside` counts the threads in
/// the critical section: a read-modify-write always reads the latest value,
/// so the second thread in sees the first one's 1.
fn two_threads_through_a_flag_lock(lock: fn(&flag_lock::FlagLock)) {
    use loom::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    two_threads(
        (flag_lock::FlagLock::default(), AtomicUsize::new(0)),
        move |(flag, inside)| {
            lock(flag);
            let already_inside = inside.fetch_add(1, Relaxed);
            assert_eq!(already_inside, 0, "two threads in the critical section");
            inside.fetch_sub(1, Relaxed);
            flag.unlock();
        },
        |_| (),
    );
}

#[test]
#[should_panic(expected = "two threads in the critical section")]
fn flag_lock_with_load_then_store_lets_both_in() {
    use flag_lock::FlagLock;
    loom::model(|| two_threads_through_a_flag_lock(FlagLock::lock_with_load_then_store));
}

#[test]
fn flag_lock_with_compare_exchange_lets_one_in_at_a_time() {
    use flag_lock::FlagLock;
    loom::model(|| two_threads_through_a_flag_lock(FlagLock::lock_with_compare_exchange));
}

/// Two consumers take one item each with `pop`, while the main thread (the
/// producer) pushes two, one at a time. Both items must arrive.
fn two_consumers(pop: fn(&condvar_if::Queue) -> u32) {
    let queue = Arc::new(condvar_if::Queue::default());
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || pop(&queue))
        })
        .collect();
    queue.push(1);
    queue.push(2);
    let mut taken: Vec<u32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    taken.sort();
    assert_eq!(taken, [1, 2]);
}

#[test]
#[should_panic(expected = "woke up to an empty queue")]
fn condvar_wait_under_if_wakes_to_an_empty_queue() {
    use condvar_if::Queue;
    loom::model(|| two_consumers(Queue::pop_waiting_under_if));
}

#[test]
fn condvar_wait_in_a_loop_gets_every_item() {
    use condvar_if::Queue;
    loom::model(|| two_consumers(Queue::pop_waiting_in_a_loop));
}

/// A spawned thread waits for the signal; the main thread sends it, then
/// joins the waiter.
fn send_and_wait<S: Default + Send + Sync + 'static>(send: fn(&S), wait: fn(&S)) {
    let signal = StdArc::new(S::default());
    let waiter = {
        let signal = StdArc::clone(&signal);
        thread::spawn(move || wait(&signal))
    };
    send(&signal);
    waiter.join().unwrap();
}

// ANCHOR: lost_wakeup
/// The notification comes before the wait: the waiter sleeps forever, and
/// main waits forever in `join`. loom reports the deadlock.
#[test]
#[should_panic(expected = "deadlock; threads =")]
fn lost_wakeup_notify_only_can_sleep_forever() {
    use lost_wakeup::NotifyOnly;
    loom::model(|| send_and_wait(NotifyOnly::send, NotifyOnly::wait));
}

/// With the flag, every schedule ends.
#[test]
fn lost_wakeup_flag_and_notify_always_wakes() {
    use lost_wakeup::FlagAndNotify;
    loom::model(|| send_and_wait(FlagAndNotify::send, FlagAndNotify::wait));
}
// ANCHOR_END: lost_wakeup

/// Two threads (a spawned one and main) meet at `barrier` twice. Each counts
/// itself in `arrivals` before it waits, and after the barrier checks that
/// the other thread has arrived for that round too.
fn meet_twice<B: Send + Sync + 'static>(barrier: B, wait: fn(&B)) {
    use loom::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let shared = StdArc::new((barrier, AtomicUsize::new(0)));
    let run = move |shared: &(B, AtomicUsize)| {
        let (barrier, arrivals) = shared;
        for round in 1..=2 {
            arrivals.fetch_add(1, Relaxed);
            wait(barrier);
            assert!(
                arrivals.load(Relaxed) >= 2 * round,
                "passed before the other thread arrived"
            );
        }
    };
    let other = {
        let shared = StdArc::clone(&shared);
        thread::spawn(move || run(&shared))
    };
    run(&shared);
    other.join().unwrap();
}

#[test]
#[should_panic(expected = "deadlock; threads =")]
fn barrier_gate_flag_reused_can_block_forever() {
    use reused_barrier::GateBarrier;
    loom::model(|| meet_twice(GateBarrier::new(2), GateBarrier::wait));
}

#[test]
fn barrier_with_round_numbers_works_twice() {
    use reused_barrier::RoundBarrier;
    loom::model(|| meet_twice(RoundBarrier::new(2), RoundBarrier::wait));
}

/// Three philosophers (threads) dine once each with `dine`; every fork is
/// used by its two neighbours.
fn three_philosophers(dine: fn(&[Mutex<u32>], usize)) {
    let forks: StdArc<Vec<Mutex<u32>>> = StdArc::new((0..3).map(|_| Mutex::new(0)).collect());
    let philosophers: Vec<_> = (0..3)
        .map(|seat| {
            let forks = StdArc::clone(&forks);
            thread::spawn(move || dine(&forks, seat))
        })
        .collect();
    for philosopher in philosophers {
        philosopher.join().unwrap();
    }
    let meals: Vec<u32> = forks.iter().map(|fork| *fork.lock().unwrap()).collect();
    assert_eq!(meals, [2, 2, 2]);
}

#[test]
#[should_panic(expected = "deadlock; threads =")]
fn philosophers_own_fork_first_can_deadlock() {
    use philosophers::dine_own_fork_first;
    loom::model(|| three_philosophers(dine_own_fork_first));
}

#[test]
fn philosophers_lower_fork_first_never_deadlock() {
    use philosophers::dine_lower_fork_first;
    loom::model(|| three_philosophers(dine_lower_fork_first));
}
// ---- Memory ordering (chapter 18.1) ---------------------------------------

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
