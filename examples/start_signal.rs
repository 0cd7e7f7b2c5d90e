//! A start signal: T workers are spawned, wait until main says "go", then each
//! sums its chunk. Three ways to wait (a `Barrier`, a `Condvar` with a flag,
//! `thread::park`), and a "done" flag that stops a watcher thread.
//!
//!     cargo run --release --example start_signal -- --signal all --threads 4
//!
//! Look at "started_early=0" on every line: no worker ran before the signal.

use clap::ValueEnum;
use parallel_workbook::cli;
use parallel_workbook::{Problem, chunks};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Barrier, Condvar, Mutex};
use std::thread;
use std::time::Duration;

/// Set by main right before it gives the signal. A worker that finds it unset
/// when it starts work has started early: the count must stay 0.
struct Signal {
    given: AtomicBool,
    started_early: AtomicUsize,
}

impl Signal {
    fn check(&self) {
        if !self.given.load(SeqCst) {
            self.started_early.fetch_add(1, SeqCst);
        }
    }
}

// ANCHOR: barrier
/// A `Barrier` for T + 1 threads opens when the last one (main) arrives.
fn with_barrier(problem: &Problem, threads: usize, signal: &Signal) -> f64 {
    let start = Barrier::new(threads + 1);
    thread::scope(|scope| {
        let workers: Vec<_> = chunks(problem.n, threads as u64)
            .map(|chunk| {
                let start = &start;
                scope.spawn(move || {
                    start.wait(); // wait for everybody, main included
                    signal.check();
                    problem.sum_f(chunk)
                })
            })
            .collect();
        signal.given.store(true, SeqCst);
        start.wait(); // main arrives last: everyone goes
        workers.into_iter().map(|w| w.join().unwrap()).sum::<f64>() * problem.dx()
    })
}
// ANCHOR_END: barrier

// ANCHOR: condvar
/// A flag under a `Mutex`, and a `Condvar` to sleep on until it changes. The
/// flag is the event; the `Condvar` only saves the waiters from polling it.
fn with_condvar(problem: &Problem, threads: usize, signal: &Signal) -> f64 {
    let (go, changed) = (Mutex::new(false), Condvar::new());
    thread::scope(|scope| {
        let workers: Vec<_> = chunks(problem.n, threads as u64)
            .map(|chunk| {
                let (go, changed) = (&go, &changed);
                scope.spawn(move || {
                    // If main said "go" before we got here, this does not wait at all:
                    // checking the flag (under the lock) is what makes that safe.
                    drop(changed.wait_while(go.lock().unwrap(), |go| !*go).unwrap());
                    signal.check();
                    problem.sum_f(chunk)
                })
            })
            .collect();
        signal.given.store(true, SeqCst);
        *go.lock().unwrap() = true;
        changed.notify_all(); // wake every waiter, not one
        workers.into_iter().map(|w| w.join().unwrap()).sum::<f64>() * problem.dx()
    })
}
// ANCHOR_END: condvar

// ANCHOR: park
/// `park` puts this thread to sleep until someone calls `unpark` on it. It may
/// also wake for no reason, so it sits in a loop that checks a flag. An
/// `unpark` that comes before the `park` is remembered, so none is lost.
fn with_park(problem: &Problem, threads: usize, signal: &Signal) -> f64 {
    let go = AtomicBool::new(false);
    thread::scope(|scope| {
        let workers: Vec<_> = chunks(problem.n, threads as u64)
            .map(|chunk| {
                let go = &go;
                scope.spawn(move || {
                    while !go.load(SeqCst) {
                        thread::park();
                    }
                    signal.check();
                    problem.sum_f(chunk)
                })
            })
            .collect();
        signal.given.store(true, SeqCst);
        go.store(true, SeqCst);
        for worker in &workers {
            worker.thread().unpark();
        }
        workers.into_iter().map(|w| w.join().unwrap()).sum::<f64>() * problem.dx()
    })
}
// ANCHOR_END: park

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    Barrier,
    Condvar,
    Park,
    All,
}

#[derive(clap::Args)]
struct StartSignalFlags {
    /// Which start signal to use
    #[arg(long, value_enum, default_value_t = Kind::All)]
    signal: Kind,
}

type Integrate = fn(&Problem, usize, &Signal) -> f64;

fn main() {
    let (args, flags) =
        cli::parse::<StartSignalFlags>("Workers wait for a start signal", 10_000_000);
    let all: [(Kind, &str, Integrate); 3] = [
        (Kind::Barrier, "start/barrier", with_barrier),
        (Kind::Condvar, "start/condvar", with_condvar),
        (Kind::Park, "start/park", with_park),
    ];
    // ANCHOR: done_flag
    // A watcher thread runs until main raises the "done" flag. It checks the
    // flag every millisecond (and gives up after a minute, so it always ends).
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            let mut ticks = 0u32;
            while !done.load(SeqCst) && ticks < 60_000 {
                thread::sleep(Duration::from_millis(1));
                ticks += 1;
            }
            ticks
        });
        for (kind, name, integrate) in all {
            if flags.signal == kind || flags.signal == Kind::All {
                let signal = Signal {
                    given: AtomicBool::new(false),
                    started_early: AtomicUsize::new(0),
                };
                let report = args.measure(name, |p, t| integrate(p, t, &signal));
                args.print(&report.with("started_early", signal.started_early.into_inner()));
            }
        }
        done.store(true, SeqCst); // raise the flag...
        let ticks = watcher.join().unwrap(); // ...and the watcher sees it and returns
        if !args.json {
            println!("done flag: the watcher thread saw it and stopped after {ticks} ticks");
        }
    });
    // ANCHOR_END: done_flag
}
