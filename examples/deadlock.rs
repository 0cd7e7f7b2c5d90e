//! Deadlock: two threads take the same two locks in opposite orders. Each holds
//! one and waits for the other's: forever. This example notices and says so.
//!
//!     cargo run --release --example deadlock              # reports the deadlock, exits 0
//!     cargo run --release --example deadlock -- --fix     # one lock order: completes
//!     cargo run --release --example deadlock -- --livelock
//!
//! Without --fix a `Barrier` forces the unlucky schedule, so it deadlocks every time.

use parallel_workbook::cli;
use std::sync::{Barrier, Mutex, MutexGuard, TryLockError};
use std::thread;
use std::time::{Duration, Instant};

/// Two bank accounts; a transfer locks both, moves one unit, unlocks both.
struct Accounts {
    locks: [Mutex<i64>; 2],
}

// ANCHOR: lock_before
/// `lock()`, except that it gives up at `deadline` instead of waiting forever:
/// `try_lock` never blocks, so we retry it until we win or run out of time.
fn lock_before<T>(lock: &Mutex<T>, deadline: Instant) -> Option<MutexGuard<'_, T>> {
    loop {
        match lock.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::Poisoned(poisoned)) => return Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => thread::yield_now(),
            Err(TryLockError::WouldBlock) => return None,
        }
    }
}
// ANCHOR_END: lock_before

// ANCHOR: deadlock
/// Thread "A" transfers from account 0 to 1, thread "B" from 1 to 0. Each locks
/// `from` first, then `to`: so A takes lock 0 then 1, and B takes 1 then 0.
/// Returns the lock it could not get, if it gave up.
fn transfer_opposite_order(
    accounts: &Accounts,
    from: usize,
    to: usize,
    both_hold_one: &Barrier,
    timeout: Duration,
) -> Option<usize> {
    let mut first = accounts.locks[from].lock().unwrap();
    both_hold_one.wait(); // now A holds lock 0 and B holds lock 1: the cycle is closed
    let deadline = Instant::now() + timeout;
    let stuck = match lock_before(&accounts.locks[to], deadline) {
        Some(mut second) => {
            *first -= 1;
            *second += 1;
            None
        }
        None => Some(to), // plain `lock()` would have waited here forever
    };
    both_hold_one.wait(); // give up together, so neither wins after the other's deadline
    stuck
}
// ANCHOR_END: deadlock

// ANCHOR: fix
/// The cure: every thread takes the locks in one global order (lower index
/// first), whatever the direction of its transfer. Nobody can hold the second
/// lock while waiting for the first, so no cycle can form, and plain `lock()`
/// is safe.
fn transfer_in_order(accounts: &Accounts, from: usize, to: usize) {
    let (low, high) = (from.min(to), from.max(to));
    let mut low_guard = accounts.locks[low].lock().unwrap();
    let mut high_guard = accounts.locks[high].lock().unwrap();
    if from == low {
        *low_guard -= 1;
        *high_guard += 1;
    } else {
        *high_guard -= 1;
        *low_guard += 1;
    }
}
// ANCHOR_END: fix

// ANCHOR: livelock
/// "Polite" threads: take your first lock, try the second, and if it is busy
/// release the first and start again. The barriers make both threads move in
/// lockstep (as two threads with the same back-off would): each always finds
/// the other's lock busy, both keep running, and neither ever makes progress.
/// Returns the attempt that succeeded, or 0 if all `attempts` failed.
fn transfer_politely(
    accounts: &Accounts,
    from: usize,
    to: usize,
    lockstep: &Barrier,
    attempts: u32,
) -> u32 {
    for attempt in 1..=attempts {
        let mut first = accounts.locks[from].lock().unwrap();
        lockstep.wait(); // both hold their first lock
        let second = accounts.locks[to].try_lock();
        lockstep.wait(); // both have tried their second lock
        if let Ok(mut second) = second {
            *first -= 1;
            *second += 1;
            return attempt;
        }
        drop(first); // "after you": let go and retry, exactly as the other thread does
    }
    0
}
// ANCHOR_END: livelock

#[derive(clap::Args)]
struct DeadlockFlags {
    /// Take the locks in one global order: the deadlock cannot happen
    #[arg(long, conflicts_with = "livelock")]
    fix: bool,
    /// Polite threads that release and retry in lockstep: a livelock
    #[arg(long)]
    livelock: bool,
    /// How long a thread waits for its second lock before calling it a deadlock
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    timeout_ms: u64,
    /// With --fix: how many transfers each thread makes
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    rounds: u32,
    /// With --livelock: how many polite attempts before giving up
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    attempts: u32,
}

/// Runs `transfer(from, to)` on thread A (0 -> 1) and thread B (1 -> 0) at once.
fn on_two_threads<R: Send>(transfer: impl Fn(usize, usize) -> R + Sync) -> (R, R) {
    thread::scope(|scope| {
        let a = scope.spawn(|| transfer(0, 1));
        let b = scope.spawn(|| transfer(1, 0));
        (a.join().unwrap(), b.join().unwrap())
    })
}

fn main() {
    let flags =
        cli::parse_own_flags::<DeadlockFlags>("Two threads, two locks taken in opposite orders");
    let accounts = Accounts {
        locks: [Mutex::new(0), Mutex::new(0)],
    };
    let barrier = Barrier::new(2);
    if flags.fix {
        on_two_threads(|from, to| {
            (0..flags.rounds).for_each(|_| transfer_in_order(&accounts, from, to))
        });
        let balances = accounts.locks.map(|lock| lock.into_inner().unwrap());
        println!(
            "fixed: both threads took lock 0 before lock 1; {} transfers each completed",
            flags.rounds
        );
        println!("balances {balances:?}: money moved both ways and none was lost");
    } else if flags.livelock {
        let (a, b) = on_two_threads(|from, to| {
            transfer_politely(&accounts, from, to, &barrier, flags.attempts)
        });
        if a == 0 && b == 0 {
            println!(
                "livelock: after {} polite attempts each, neither thread made a transfer",
                flags.attempts
            );
            println!("neither ever waited for a lock: both kept trying, and neither got anywhere");
        } else {
            println!("no livelock: thread A succeeded on attempt {a}, thread B on attempt {b}");
        }
    } else {
        let timeout = Duration::from_millis(flags.timeout_ms);
        match on_two_threads(|from, to| {
            transfer_opposite_order(&accounts, from, to, &barrier, timeout)
        }) {
            (Some(1), Some(0)) => {
                println!(
                    "deadlock: thread A holds lock 0 and waits for lock 1, thread B holds lock 1 and waits for lock 0"
                );
                println!(
                    "each gave up after {} ms; plain lock() would wait forever. Try --fix",
                    flags.timeout_ms
                );
            }
            (a, b) => {
                println!("no deadlock this time: A could not get {a:?}, B could not get {b:?}")
            }
        }
    }
}
