//! A counting semaphore built from a `Mutex<usize>` and a `Condvar`: at most K
//! of T threads use a resource at once (std has no semaphore type).
//!
//!     cargo run --release --example semaphore -- --threads 8 --permits 3
//!
//! Look at "most at once": never more than --permits, however many threads.
//!
//! Also a module of examples/stdout_writer.rs.

use parallel_workbook::cli;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

// ANCHOR: semaphore
/// K permits. `acquire` takes one, waiting while none is free; the permit is
/// given back when the returned guard is dropped, even if its holder panics.
pub struct Semaphore {
    free: Mutex<usize>,
    released: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Semaphore {
            free: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    pub fn acquire(&self) -> Permit<'_> {
        let free = self.free.lock().unwrap();
        // Sleep until a permit is free. `wait_while` re-checks the count after
        // every wake-up: a wake-up is a hint, not a promise.
        let mut free = self.released.wait_while(free, |free| *free == 0).unwrap();
        *free -= 1;
        Permit { semaphore: self }
    }
}

/// One permit: like a `MutexGuard`, holding it is the right to go on.
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.semaphore.free.lock().unwrap() += 1;
        self.semaphore.released.notify_one(); // wake one waiter, if any
    }
}
// ANCHOR_END: semaphore

// ANCHOR: use
/// Each of T threads uses the resource `rounds` times, holding a permit each
/// time. `inside` counts the threads using it now; `most` is the largest count seen.
fn run(threads: usize, permits: usize, rounds: u32, hold: Duration) -> usize {
    let semaphore = Semaphore::new(permits);
    let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..rounds {
                    let _permit = semaphore.acquire();
                    let now = inside.fetch_add(1, SeqCst) + 1;
                    most.fetch_max(now, SeqCst);
                    thread::sleep(hold); // use the resource (a connection, a GPU, a printer...)
                    inside.fetch_sub(1, SeqCst);
                } // `_permit` is dropped here: the permit goes back
            });
        }
    });
    most.into_inner()
}
// ANCHOR_END: use

#[derive(clap::Args)]
struct SemaphoreFlags {
    /// How many threads want the resource
    #[arg(long, short = 't', default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: u16,
    /// How many may use it at once (K)
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=1024))]
    permits: u16,
    /// How many times each thread uses the resource
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    rounds: u32,
    /// How long each use holds the permit, in milliseconds
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(0..=100))]
    hold_ms: u64,
}

fn main() {
    let flags = cli::parse_own_flags::<SemaphoreFlags>("A counting semaphore from Mutex + Condvar");
    let (threads, permits) = (usize::from(flags.threads), usize::from(flags.permits));
    // Bounded: with one permit the uses take turns, so the run takes about this long.
    let serial_ms = threads as u64 * u64::from(flags.rounds) * flags.hold_ms / permits as u64;
    if serial_ms > 60_000 {
        cli::exit_with_error(&format!(
            "that would take about {} s: lower --threads, --rounds or --hold-ms, or raise --permits",
            serial_ms / 1000
        ));
    }
    let most = run(
        threads,
        permits,
        flags.rounds,
        Duration::from_millis(flags.hold_ms),
    );
    println!(
        "threads={threads} permits={permits} rounds={}  most at once={most}",
        flags.rounds
    );
    if most > permits {
        println!(
            "BUG: {most} threads used the resource at once, but there are only {permits} permits"
        );
        std::process::exit(1);
    }
}
