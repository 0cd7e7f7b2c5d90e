//! Model checking with loom: every interleaving of two threads, explored
//! deterministically. Run with
//!
//!     RUSTFLAGS="--cfg loom" cargo test --release --test loom
//!
//! The examples' update steps (`racy_add`, `add_locked`, `atomic_add`), the
//! scheduler puzzles (`examples/puzzles/`) and the store-buffering test of
//! chapter 18.3 use `parallel_workbook::sync`, which is loom's mock types in
//! this build. (The lock-free stack's models are in tests/loom_treiber.rs.)
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
#[path = "../examples/store_buffering.rs"]
#[allow(dead_code)]
mod store_buffering;
// The safe counter of the data-race lab (chapter 14.1), which Miri and
// ThreadSanitizer pass: no data race, and still a lost update.
#[path = "../labs/data-race/src/safe_counter.rs"]
mod lab_safe_counter;

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

use loom::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};
use loom::sync::atomic::{AtomicBool, AtomicU64, fence};
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

// ANCHOR: lab_safe_counter
/// The data-race lab's safe counter: Miri and ThreadSanitizer find nothing
/// wrong with it (it has no data race), and loom finds the lost update.
#[test]
#[should_panic(expected = "lost an update")]
fn the_labs_safe_counter_loses_an_update() {
    loom::model(|| {
        let count = two_threads(AtomicU64::new(0), lab_safe_counter::increment, |count| {
            count.load(Relaxed)
        });
        assert_eq!(count, 2, "lost an update");
    });
}
// ANCHOR_END: lab_safe_counter

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
/// `take`. Returns every outcome loom found, over all executions. (Chapter
/// 18.1's puzzle `message-passing` plays this slot; the page's engine finds
/// the same outcomes: tests/browser/unit/scheduler.test.mjs.)
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

// ---- SeqCst, fences, RMW orderings (chapter 18.3) -------------------------

/// One round of store buffering: main and one spawned thread each raise
/// their own flag and read the other's, with `orderings`. Returns every
/// (what the spawned thread read, what main read) that loom found, over all
/// executions. `lower_flags_seqcst` first writes both flags' starting
/// `false` again with a `SeqCst` store (see `seqcst_stores_never_let_both_read_0`).
/// (Chapter 18.3's puzzle `store-buffering` plays this round; the page's
/// engine finds the same outcomes: tests/browser/unit/scheduler.test.mjs.)
fn store_buffering_outcomes(
    orderings: store_buffering::Orderings,
    lower_flags_seqcst: bool,
) -> BTreeSet<(bool, bool)> {
    use store_buffering::raise_then_look;
    let outcomes = StdArc::new(std::sync::Mutex::new(BTreeSet::new()));
    let found = StdArc::clone(&outcomes);
    loom::model(move || {
        let flags = Arc::new((AtomicBool::new(false), AtomicBool::new(false)));
        if lower_flags_seqcst {
            flags.0.store(false, loom::sync::atomic::Ordering::SeqCst);
            flags.1.store(false, loom::sync::atomic::Ordering::SeqCst);
        }
        let other = {
            let flags = Arc::clone(&flags);
            thread::spawn(move || raise_then_look(&flags.0, &flags.1, orderings))
        };
        let main_saw = raise_then_look(&flags.1, &flags.0, orderings);
        let other_saw = other.join().unwrap();
        found.lock().unwrap().insert((other_saw, main_saw));
    });
    outcomes.lock().unwrap().clone()
}

/// All four outcomes of store buffering.
const ANY_OUTCOME: [(bool, bool); 4] = [(false, false), (false, true), (true, false), (true, true)];
/// The three outcomes of some interleaving of the four steps: at least one
/// thread sees the other's flag up.
const SOME_INTERLEAVING: [(bool, bool); 3] = [(false, true), (true, false), (true, true)];

// ANCHOR: store_buffering_weak
/// `Relaxed`, and `Release`/`Acquire` too: nothing stops each load from
/// reading the other flag's old `false`, so loom finds both threads reading
/// 0, an outcome that no interleaving of the four steps gives.
#[test]
fn store_buffering_relaxed_lets_both_read_0() {
    use store_buffering::Orderings::Relaxed;
    let seen = store_buffering_outcomes(Relaxed, false);
    assert_eq!(seen, BTreeSet::from(ANY_OUTCOME));
}

#[test]
fn store_buffering_release_acquire_lets_both_read_0() {
    use store_buffering::Orderings::ReleaseAcquire;
    let seen = store_buffering_outcomes(ReleaseAcquire, false);
    assert_eq!(seen, BTreeSet::from(ANY_OUTCOME));
}
// ANCHOR_END: store_buffering_weak

// ANCHOR: store_buffering_fence
/// A `SeqCst` fence between each thread's store and load: never 0, 0.
#[test]
fn store_buffering_seqcst_fences_never_let_both_read_0() {
    use store_buffering::Orderings::SeqcstFence;
    let seen = store_buffering_outcomes(SeqcstFence, false);
    assert_eq!(seen, BTreeSet::from(SOME_INTERLEAVING));
}

/// A compiler fence stops the compiler from moving the load above the
/// store, and nothing else: for another thread it orders nothing.
#[test]
fn store_buffering_compiler_fence_lets_both_read_0() {
    use store_buffering::Orderings::CompilerFence;
    let seen = store_buffering_outcomes(CompilerFence, false);
    assert_eq!(seen, BTreeSet::from(ANY_OUTCOME));
}
// ANCHOR_END: store_buffering_fence

// ANCHOR: store_buffering_seqcst
/// `SeqCst` stores and loads: the language forbids 0, 0 (all four steps are
/// in one total order, and whichever load comes last in it comes after both
/// stores). loom models `SeqCst` loads and stores as `AcqRel`, except for
/// one rule: a `SeqCst` load does not read a `SeqCst` store older than a
/// newer `SeqCst` store to the same atomic. An atomic's starting value is not
/// a `SeqCst` store, so with the flags as `new(false)` left them, loom
/// reports 0, 0: a false alarm, which this test pins (if a new loom stops
/// reporting it, this test fails, and chapter 18.3 should say so).
#[test]
fn loom_reports_a_false_0_0_for_seqcst_from_a_starting_value() {
    use store_buffering::Orderings::Seqcst;
    let seen = store_buffering_outcomes(Seqcst, false);
    assert_eq!(seen, BTreeSet::from(ANY_OUTCOME));
}

/// With the starting `false` written again by a `SeqCst` store, loom's rule
/// applies to every value a load can read, and loom finds exactly the three
/// outcomes of an interleaving.
#[test]
fn seqcst_stores_never_let_both_read_0() {
    use store_buffering::Orderings::Seqcst;
    let seen = store_buffering_outcomes(Seqcst, true);
    assert_eq!(seen, BTreeSet::from(SOME_INTERLEAVING));
}
// ANCHOR_END: store_buffering_seqcst

// ANCHOR: fenced_slot
/// `publish.rs`'s slot with every atomic access `Relaxed`, and the ordering
/// moved into fences: a release fence before the flag's store, an acquire
/// fence after a load that saw the flag up.
struct FencedSlot {
    sum: AtomicU64,
    ready: AtomicBool,
    /// Whether `take` has its acquire fence (`false`: half of the pair).
    acquire_fence: bool,
}

impl FencedSlot {
    fn publish(&self, sum: f64) {
        self.sum.store(sum.to_bits(), Relaxed);
        fence(Release);
        self.ready.store(true, Relaxed);
    }

    fn take(&self) -> Option<f64> {
        if !self.ready.load(Relaxed) {
            return None;
        }
        if self.acquire_fence {
            fence(Acquire);
        }
        Some(f64::from_bits(self.sum.load(Relaxed)))
    }
}

/// Both fences: the same outcomes as `Release`/`Acquire` on the flag.
#[test]
fn release_and_acquire_fences_never_show_a_stale_sum() {
    let seen = publication_outcomes(
        || FencedSlot {
            sum: AtomicU64::new(0),
            ready: AtomicBool::new(false),
            acquire_fence: true,
        },
        FencedSlot::publish,
        FencedSlot::take,
    );
    assert_eq!(seen, BTreeSet::from([Seen::NotYet, Seen::Fresh]));
}
// ANCHOR_END: fenced_slot

/// The release fence alone orders nothing: the reader's `Relaxed` loads
/// have nothing to pair it with, and loom finds the stale sum.
#[test]
fn a_release_fence_without_its_acquire_fence_can_show_a_stale_sum() {
    let seen = publication_outcomes(
        || FencedSlot {
            sum: AtomicU64::new(0),
            ready: AtomicBool::new(false),
            acquire_fence: false,
        },
        FencedSlot::publish,
        FencedSlot::take,
    );
    assert_eq!(
        seen,
        BTreeSet::from([Seen::NotYet, Seen::Fresh, Seen::Stale])
    );
}

// ANCHOR: cas_failure
/// Two threads race to publish a result. Each writes its candidate into its
/// own slot, then tries to claim `winner` (0: nobody yet) with a
/// compare-exchange. The winner uses its own candidate; the loser reads the
/// winner's slot. That read happens after a *failed* compare-exchange, so
/// the failure ordering is the one that must acquire. Returns whether both
/// threads ended with the same, written, candidate in every execution.
fn both_use_the_winners_candidate(failure: loom::sync::atomic::Ordering) -> bool {
    let agreed = StdArc::new(std::sync::atomic::AtomicBool::new(true));
    let record = StdArc::clone(&agreed);
    loom::model(move || {
        let candidates = Arc::new([AtomicU64::new(0), AtomicU64::new(0)]);
        let winner = Arc::new(AtomicU64::new(0));
        let decide = move |me: u64, candidates: &[AtomicU64; 2], winner: &AtomicU64| {
            let mine = 10 * me; // the candidate of thread 1 is 10, of thread 2, 20
            candidates[me as usize - 1].store(mine, Relaxed);
            match winner.compare_exchange(0, me, Release, failure) {
                Ok(_) => mine,
                Err(first) => candidates[first as usize - 1].load(Relaxed),
            }
        };
        let other = {
            let (candidates, winner) = (Arc::clone(&candidates), Arc::clone(&winner));
            thread::spawn(move || decide(2, &candidates, &winner))
        };
        let main_uses = decide(1, &candidates, &winner);
        let other_uses = other.join().unwrap();
        if main_uses != other_uses || main_uses == 0 {
            record.store(false, std::sync::atomic::Ordering::Relaxed);
        }
    });
    agreed.load(std::sync::atomic::Ordering::Relaxed)
}

#[test]
fn a_failed_compare_exchange_with_acquire_sees_the_winners_candidate() {
    assert!(both_use_the_winners_candidate(Acquire));
}

#[test]
fn a_failed_compare_exchange_with_relaxed_can_read_an_empty_slot() {
    assert!(!both_use_the_winners_candidate(Relaxed));
}
// ANCHOR_END: cas_failure

// ANCHOR: last_one_out
/// Two workers each store a partial sum in their own slot, then count
/// themselves out with one `fetch_add` on `finished`. The worker that counts
/// last (it reads 1) adds both slots up. Its `fetch_add` must *release* its
/// own slot, for the other worker, and *acquire* the other's: `AcqRel`.
/// Returns every total the last worker computed, over all executions.
fn last_one_out_totals(count_out: loom::sync::atomic::Ordering) -> BTreeSet<u64> {
    let totals = StdArc::new(std::sync::Mutex::new(BTreeSet::new()));
    let found = StdArc::clone(&totals);
    loom::model(move || {
        let slots = Arc::new([AtomicU64::new(0), AtomicU64::new(0)]);
        let finished = Arc::new(AtomicU64::new(0));
        let work = move |k: usize, slots: &[AtomicU64; 2], finished: &AtomicU64| {
            slots[k].store(k as u64 + 1, Relaxed); // partial sums 1 and 2
            if finished.fetch_add(1, count_out) == 1 {
                Some(slots[0].load(Relaxed) + slots[1].load(Relaxed))
            } else {
                None
            }
        };
        let other = {
            let (slots, finished) = (Arc::clone(&slots), Arc::clone(&finished));
            thread::spawn(move || work(1, &slots, &finished))
        };
        let mine = work(0, &slots, &finished);
        let total = mine
            .or(other.join().unwrap())
            .expect("someone counted last");
        found.lock().unwrap().insert(total);
    });
    let seen = totals.lock().unwrap().clone();
    seen
}

#[test]
fn an_acqrel_fetch_add_lets_the_last_one_see_every_slot() {
    assert_eq!(last_one_out_totals(AcqRel), BTreeSet::from([3]));
}

#[test]
fn a_release_fetch_add_can_leave_the_last_one_a_stale_slot() {
    let totals = last_one_out_totals(Release);
    assert!(totals.contains(&3) && totals.len() > 1, "{totals:?}");
}
// ANCHOR_END: last_one_out
