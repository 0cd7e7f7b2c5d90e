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

use loom::sync::atomic::AtomicU64;
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
