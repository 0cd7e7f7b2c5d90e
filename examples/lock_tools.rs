//! Four things to know about std's locks: `try_lock` does not wait; a thread
//! that panics while holding a lock poisons it; an `RwLock` lets many readers
//! in at once; and a `Mutex` is not re-entrant.
//!
//!     cargo run --release --example lock_tools              # all four
//!     cargo run --release --example lock_tools -- --show poison
//!
//! Every step is forced by the program, so the output is the same every run.

use clap::ValueEnum;
use parallel_workbook::cli;
use std::sync::{Barrier, Mutex, RwLock, TryLockError, mpsc};
use std::thread;

/// A running total and how many terms it holds: `count` must match `sum`.
#[derive(Debug, Default)]
struct Total {
    sum: f64,
    count: u64,
}

// ANCHOR: try_lock
fn show_try_lock() {
    let total = Mutex::new(Total::default());
    let (says_holding, holding) = mpsc::channel();
    let (says_release, release) = mpsc::channel();
    thread::scope(|scope| {
        let total = &total;
        scope.spawn(move || {
            let _guard = total.lock().unwrap();
            says_holding.send(()).unwrap(); // "I hold the lock now"
            release.recv().unwrap(); // and keep it until main says "release"
        });
        holding.recv().unwrap();
        match total.try_lock() {
            Err(TryLockError::WouldBlock) => {
                println!("try_lock: busy, so main does something else instead of waiting")
            }
            other => println!("try_lock: unexpected {other:?}"),
        }
        says_release.send(()).unwrap();
    });
    if let Ok(mut total) = total.try_lock() {
        total.sum += 1.0;
        total.count += 1;
        println!("try_lock: free now, got it at once: {total:?}");
    }
}
// ANCHOR_END: try_lock

// ANCHOR: poison
fn show_poison() {
    let total = Mutex::new(Total::default());
    // The panic below is on purpose: replace the default message with one line.
    std::panic::set_hook(Box::new(|_| {
        eprintln!("(a worker panicked while holding the lock, on purpose)")
    }));
    let worker = thread::scope(|scope| {
        scope
            .spawn(|| {
                let mut total = total.lock().unwrap();
                total.sum += 4.0; // first half of the update...
                panic!("something went wrong"); // ...and the second half never happens
            })
            .join()
    });
    let _ = std::panic::take_hook(); // the default message again from here on
    println!(
        "poison: the worker {}",
        if worker.is_err() {
            "panicked"
        } else {
            "returned"
        }
    );
    match total.lock() {
        Ok(_) => println!("poison: not poisoned"),
        Err(poisoned) => {
            // The lock is released, but marked: the data may be half-updated.
            let mut total = poisoned.into_inner(); // take the guard anyway
            println!(
                "poison: lock() returned Err(PoisonError); into_inner() gives the data: {total:?}"
            );
            total.count = 1; // repair it: we know which half was done
            println!("poison: repaired by hand: {total:?}");
        }
    }
    total.clear_poison(); // tell the Mutex it is consistent again
    println!(
        "poison: after clear_poison, lock() is Ok: {}",
        total.lock().is_ok()
    );
}
// ANCHOR_END: poison

// ANCHOR: rwlock
fn show_rwlock(readers: usize) {
    let total = RwLock::new(Total { sum: 1.0, count: 1 });
    let all_reading = Barrier::new(readers + 1);
    let done_reading = Barrier::new(readers + 1);
    thread::scope(|scope| {
        for _ in 0..readers {
            scope.spawn(|| {
                let total = total.read().unwrap(); // shared: every reader gets in
                all_reading.wait(); // all of them hold a read guard at this moment
                done_reading.wait();
                total.sum
            });
        }
        all_reading.wait();
        println!("rwlock: {readers} readers hold read() guards at the same time");
        match total.try_write() {
            Err(TryLockError::WouldBlock) => {
                println!("rwlock: try_write() while they read: would block")
            }
            other => println!("rwlock: unexpected {other:?}"),
        }
        done_reading.wait();
    });
    let mut total = total.write().unwrap(); // exclusive: no readers now
    total.sum += 4.0;
    total.count += 1;
    println!("rwlock: write() once the readers left: {:?}", *total);
}
// ANCHOR_END: rwlock

// ANCHOR: reentrancy
/// Works on the data, not the lock: callers that already hold the guard use this.
fn add(total: &mut Total, term: f64) {
    total.sum += term;
    total.count += 1;
}

/// Takes the lock, then calls `add`: for callers that do not hold it.
fn add_locked(total: &Mutex<Total>, term: f64) {
    add(&mut total.lock().unwrap(), term);
}

fn show_reentrancy() {
    let total = Mutex::new(Total::default());
    let mut guard = total.lock().unwrap();
    // Calling `add_locked(&total, ..)` here would call `lock()` a second time on
    // this thread: it deadlocks or panics. `try_lock` shows it without the risk:
    match total.try_lock() {
        Err(TryLockError::WouldBlock) => println!(
            "re-entrancy: this thread holds the lock, and a second lock() would wait for itself"
        ),
        other => println!("re-entrancy: unexpected {other:?}"),
    }
    add(&mut guard, 1.0); // instead: pass the data we already hold
    drop(guard);
    add_locked(&total, 4.0); // or let go first, and lock again
    println!(
        "re-entrancy: pass the guard's data instead: {:?}",
        total.lock().unwrap()
    );
}
// ANCHOR_END: reentrancy

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Show {
    TryLock,
    Poison,
    Rwlock,
    Reentrancy,
    All,
}

#[derive(clap::Args)]
struct LockToolsFlags {
    /// Which tool to show
    #[arg(long, value_enum, default_value_t = Show::All)]
    show: Show,
    /// How many readers share the RwLock
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=64))]
    readers: u16,
}

fn main() {
    let flags =
        cli::parse_own_flags::<LockToolsFlags>("try_lock, poisoning, RwLock and re-entrancy");
    let all = flags.show == Show::All;
    if all || flags.show == Show::TryLock {
        show_try_lock();
    }
    if all || flags.show == Show::Poison {
        show_poison();
    }
    if all || flags.show == Show::Rwlock {
        show_rwlock(usize::from(flags.readers));
    }
    if all || flags.show == Show::Reentrancy {
        show_reentrancy();
    }
}
