//! The scheduler puzzles (`examples/puzzles/`) on real `std` threads.
//!
//! `tests/loom.rs` is the proof: it runs every puzzle under every schedule,
//! finds the failure of each broken version and shows that the fixed one has
//! none. These tests build the same files in a normal build and check what a
//! run on real threads can check without luck: the fixed versions do their
//! job under real contention, and each broken version is correct when its
//! threads take turns, which is why a test that runs it rarely catches it.

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

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::Duration;

const THREADS: usize = 4;
const ROUNDS: usize = 2_000;

/// How long a test of code that can only fail by hanging waits for it.
const DEADLINE: Duration = Duration::from_secs(30);

/// Runs `work` on a thread of its own and returns what it returned, or fails
/// the test if it has not finished within [`DEADLINE`]: a broken version of
/// these puzzles hangs, and the test must say so rather than hang too.
fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(work());
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what} did not finish within {DEADLINE:?}: it hangs")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what} panicked"),
    }
}

#[test]
fn withdraw_both_versions_refuse_the_second_withdrawal_in_turn() {
    for withdraw in [
        withdraw::withdraw_in_two_lock_scopes,
        withdraw::withdraw_in_one_lock_scope,
    ] {
        let balance = Mutex::new(100);
        assert!(withdraw(&balance, 60));
        assert!(!withdraw(&balance, 60), "the balance is 40 now");
        assert_eq!(*balance.lock().unwrap(), 40);
    }
}

#[test]
fn withdraw_in_one_lock_scope_never_overdraws_on_real_threads() {
    let balance = Mutex::new(ROUNDS as i64 * 10 + 5);
    let done = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                while withdraw::withdraw_in_one_lock_scope(&balance, 10) {
                    done.fetch_add(1, Relaxed);
                }
            });
        }
    });
    assert_eq!(*balance.lock().unwrap(), 5);
    assert_eq!(done.into_inner(), ROUNDS);
}

#[test]
fn flag_lock_with_compare_exchange_protects_a_load_and_a_store() {
    // A load followed by a store loses updates unless the lock makes the
    // pair a critical section (chapter 13's split atomic).
    let lock = flag_lock::FlagLock::default();
    let count = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for _ in 0..ROUNDS {
                    lock.lock_with_compare_exchange();
                    let seen = count.load(Relaxed);
                    count.store(seen + 1, Relaxed);
                    lock.unlock();
                }
            });
        }
    });
    assert_eq!(count.into_inner(), (THREADS * ROUNDS) as u64);
}

#[test]
fn flag_lock_with_load_then_store_works_for_one_thread() {
    let (rounds, free_after) = within("one thread locking three times", || {
        let lock = flag_lock::FlagLock::default();
        let mut rounds = 0;
        for _ in 0..3 {
            lock.lock_with_load_then_store();
            rounds += 1;
            lock.unlock();
        }
        // Released: another way of locking gets in at once.
        lock.lock_with_compare_exchange();
        lock.unlock();
        (rounds, true)
    });
    assert_eq!(rounds, 3);
    assert!(free_after);
}

#[test]
fn condvar_wait_in_a_loop_hands_every_item_to_exactly_one_consumer() {
    let queue = condvar_if::Queue::default();
    let per_consumer = ROUNDS as u32;
    let taken: Vec<Vec<u32>> = thread::scope(|s| {
        let consumers: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    (0..per_consumer)
                        .map(|_| queue.pop_waiting_in_a_loop())
                        .collect()
                })
            })
            .collect();
        for item in 0..per_consumer * THREADS as u32 {
            queue.push(item);
        }
        consumers.into_iter().map(|c| c.join().unwrap()).collect()
    });
    let mut all: Vec<u32> = taken.into_iter().flatten().collect();
    all.sort();
    assert_eq!(all, (0..per_consumer * THREADS as u32).collect::<Vec<_>>());
}

#[test]
fn condvar_wait_under_if_works_when_the_item_is_already_there() {
    let queue = condvar_if::Queue::default();
    queue.push(7);
    assert_eq!(queue.pop_waiting_under_if(), 7);
}

#[test]
fn lost_wakeup_flag_and_notify_wakes_an_early_and_a_late_waiter() {
    let woken = within("a late and an early waiter", || {
        let mut woken = 0;
        // Late: the signal was sent before anyone waits.
        let signal = lost_wakeup::FlagAndNotify::default();
        signal.send();
        signal.wait();
        woken += 1;
        // Early (most likely): the waiter is asleep when the signal comes.
        let signal = lost_wakeup::FlagAndNotify::default();
        thread::scope(|s| {
            let waiter = s.spawn(|| signal.wait());
            signal.send();
            waiter.join().expect("the early waiter");
        });
        woken + 1
    });
    assert_eq!(woken, 2, "both waiters woke up");
}

#[test]
fn lost_wakeup_notify_only_wakes_a_thread_that_is_already_asleep() {
    // A bare notification only reaches a thread that waits now, so the
    // sender keeps sending until the waiter has woken up. (Sent once, it can
    // come too early: that is the puzzle, and loom's test finds it.)
    let signal = lost_wakeup::NotifyOnly::default();
    thread::scope(|s| {
        let waiter = s.spawn(|| signal.wait());
        let mut sent = 0u64;
        while !waiter.is_finished() {
            assert!(sent < 100_000_000, "the waiter never woke up");
            signal.send();
            sent += 1;
            thread::yield_now();
        }
    });
}

#[test]
fn barrier_with_round_numbers_keeps_every_round_together() {
    let barrier = reused_barrier::RoundBarrier::new(THREADS);
    let arrivals = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for round in 1..=ROUNDS / 10 {
                    arrivals.fetch_add(1, Relaxed);
                    barrier.wait();
                    // Everyone has arrived for this round (the barrier's
                    // mutex orders their count before our wake-up).
                    assert!(arrivals.load(Relaxed) >= THREADS * round);
                }
            });
        }
    });
    assert_eq!(arrivals.into_inner(), THREADS * ROUNDS / 10);
}

#[test]
fn barrier_gate_flag_used_once_lets_everyone_through() {
    let (through, arrived_first) = within("one round of the gate barrier", || {
        let barrier = reused_barrier::GateBarrier::new(THREADS);
        let (arrivals, through) = (AtomicUsize::new(0), AtomicUsize::new(0));
        // The fewest arrivals any thread saw once through: all of them, if
        // the barrier holds everyone until the last has come.
        let arrived_first = AtomicUsize::new(usize::MAX);
        thread::scope(|s| {
            for _ in 0..THREADS {
                s.spawn(|| {
                    arrivals.fetch_add(1, Relaxed);
                    barrier.wait();
                    arrived_first.fetch_min(arrivals.load(Relaxed), Relaxed);
                    through.fetch_add(1, Relaxed);
                });
            }
        });
        (through.into_inner(), arrived_first.into_inner())
    });
    assert_eq!(through, THREADS, "everyone got through");
    assert_eq!(
        arrived_first, THREADS,
        "nobody got through before all arrived"
    );
}

#[test]
fn philosophers_lower_fork_first_all_eat_on_real_threads() {
    let forks: Vec<Mutex<u32>> = (0..5).map(|_| Mutex::new(0)).collect();
    thread::scope(|s| {
        for seat in 0..forks.len() {
            let forks = &forks;
            s.spawn(move || {
                for _ in 0..ROUNDS {
                    philosophers::dine_lower_fork_first(forks, seat);
                }
            });
        }
    });
    for fork in forks {
        assert_eq!(fork.into_inner().unwrap(), 2 * ROUNDS as u32);
    }
}

#[test]
fn philosophers_own_fork_first_works_when_they_eat_in_turn() {
    let forks: Vec<Mutex<u32>> = (0..3).map(|_| Mutex::new(0)).collect();
    for seat in 0..3 {
        philosophers::dine_own_fork_first(&forks, seat);
    }
    for fork in forks {
        assert_eq!(fork.into_inner().unwrap(), 2);
    }
}

/// The loom tests the book names exist, and every puzzle test is named in
/// the book: the chapters say "loom finds it in `this_test`", so a renamed
/// or deleted test must not leave them pointing at nothing.
#[test]
fn the_book_names_the_loom_tests_that_exist() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let loom = std::fs::read_to_string(root.join("tests/loom.rs")).unwrap();
    // A loom test is a `fn name() {` right under its attributes.
    let tests: Vec<&str> = loom
        .lines()
        .filter_map(|l| l.strip_prefix("fn ")?.strip_suffix("() {"))
        .collect();
    const PUZZLES: [&str; 6] = [
        "withdraw_",
        "flag_lock_",
        "philosophers_",
        "condvar_",
        "lost_wakeup_",
        "barrier_",
    ];
    let is_puzzle_test = |name: &str| PUZZLES.iter().any(|p| name.starts_with(p));
    let puzzle_tests: Vec<&str> = tests
        .iter()
        .copied()
        .filter(|t| is_puzzle_test(t))
        .collect();
    assert_eq!(
        puzzle_tests.len(),
        12,
        "two loom tests per puzzle: {puzzle_tests:?}"
    );

    let mut book = String::new();
    let mut dirs = vec![root.join("book")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                book.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
    }
    for test in &puzzle_tests {
        assert!(
            book.contains(&format!("`{test}`")),
            "the book never names the loom test `{test}`"
        );
    }
    // Every `code span` in the book that looks like a puzzle's loom test is
    // one. (Spans are taken line by line, outside ``` fences.)
    let spans = book
        .lines()
        .filter(|l| !l.trim_start().starts_with("```"))
        .flat_map(|l| l.split('`').skip(1).step_by(2));
    for span in spans {
        let looks_like_a_test = is_puzzle_test(span)
            && span.matches('_').count() >= 3
            && span
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if looks_like_a_test {
            assert!(
                tests.contains(&span),
                "the book names `{span}`, which tests/loom.rs does not have"
            );
        }
    }
}
