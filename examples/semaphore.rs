//! A counting semaphore built from a `Mutex<usize>` and a `Condvar`: at most K
//! of T threads use a resource at once (std has no semaphore type).
//!
//!     cargo run --release --example semaphore -- --threads 8 --permits 3
//!
//! Look at "most at once": never more than --permits, however many threads.
//!
//! The `Semaphore` itself is the library's, `src/semaphore.rs` (chapter 20
//! shows it; examples/stdout_writer.rs uses it too).

use parallel_workbook::cli;
use parallel_workbook::semaphore::Semaphore;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::thread;
use std::time::Duration;

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
