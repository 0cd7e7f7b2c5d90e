//! Helpers the checks share. Not part of any exercise: a learner never edits this.
//!
//! Every wait here is bounded, so a deadlocked or hanging solution makes a
//! check fail with a message instead of blocking forever.
#![allow(dead_code)]

// The checks' own plumbing runs on std's threads (a watchdog must be a real
// thread); what a check compares with the learner's threads comes from the
// facade the learner's file uses (`parallel_workbook::sync`).
use parallel_workbook::sync::thread::{self as facade_thread, ThreadId};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// How long a check waits for something a correct solution does at once.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// How long [`Overlap`] waits for threads to overlap: well under [`PATIENCE`],
/// so a check run inside [`within`] reports the missing overlap, not a hang.
pub const OVERLAP_PATIENCE: Duration = Duration::from_secs(2);

/// Runs `f` on its own thread and waits at most [`PATIENCE`] for it. A panic
/// in `f` is re-raised here; a hang fails the check with `hang_hint`.
pub fn within<T: Send + 'static>(hang_hint: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    // Before any test's code: see `sync::model::install_panic_hook`.
    parallel_workbook::sync::install_model_panic_hook();
    let (done, finished) = mpsc::channel();
    let handle = thread::Builder::new()
        .name("check-watchdog".into())
        .spawn(move || {
            let _ = done.send(f());
        })
        .expect("could not start a thread");
    match finished.recv_timeout(PATIENCE) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => match handle.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the thread ended without sending its result"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("no answer after {} s: {hang_hint}", PATIENCE.as_secs())
        }
    }
}

/// Waits until `ready()` is true, for at most `limit`. Returns whether it became true.
pub fn wait_until(limit: Duration, ready: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    while !ready() {
        if start.elapsed() > limit {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
    true
}

/// One call of a chunk callback: which thread ran it, on which indices.
#[derive(Debug, Clone)]
pub struct Call {
    pub thread: ThreadId,
    pub chunk: Range<u64>,
}

/// Records every call of a chunk callback (`sum_chunk` in the exercises).
#[derive(Default)]
pub struct Recorder {
    calls: Mutex<Vec<Call>>,
}

impl Recorder {
    pub fn record(&self, chunk: Range<u64>) {
        let thread = facade_thread::current().id();
        self.calls.lock().unwrap().push(Call { thread, chunk });
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// How many different threads ran chunks; fails if one of them is `caller`.
    pub fn worker_threads(&self, caller: ThreadId) -> usize {
        let calls = self.calls();
        assert!(
            calls.iter().all(|call| call.thread != caller),
            "a chunk was summed on the calling thread itself: every chunk must run on a worker thread"
        );
        let mut threads: Vec<String> = calls
            .iter()
            .map(|call| format!("{:?}", call.thread))
            .collect();
        threads.sort();
        threads.dedup();
        threads.len()
    }
}

/// The value a check's `sum_chunk` returns for a chunk: its length, so any
/// correct reassembly of the chunks of 0..n adds up to exactly n.
pub fn len(chunk: &Range<u64>) -> f64 {
    (chunk.end - chunk.start) as f64
}

/// Fails unless the chunks cover every index of 0..n exactly once.
pub fn assert_partition(n: u64, chunks: &[Range<u64>], context: &str) {
    let mut sorted: Vec<Range<u64>> = chunks.iter().filter(|c| !c.is_empty()).cloned().collect();
    sorted.sort_by_key(|c| c.start);
    let mut next = 0;
    for c in &sorted {
        assert!(c.start <= c.end, "{context}: chunk {c:?} runs backwards");
        assert!(
            c.start >= next,
            "{context}: index {} is in two chunks (chunks {sorted:?})",
            c.start
        );
        assert!(
            c.start == next,
            "{context}: indices {next}..{} are in no chunk",
            c.start
        );
        next = c.end;
    }
    assert!(
        next <= n,
        "{context}: the chunks run past n: indices {n}..{next} are not in 0..{n}"
    );
    assert!(next == n, "{context}: indices {next}..{n} are in no chunk");
}

/// Counts how many threads are inside a region at once. `enter` can also hold
/// each thread until `target` threads have been inside together (at most
/// [`OVERLAP_PATIENCE`] in all), which proves the threads overlap without relying on
/// timing luck: a correct solution reaches the target at once, a sequential
/// one never does. After one wait of [`OVERLAP_PATIENCE`] in vain, it waits no more.
pub struct Overlap {
    inside: AtomicUsize,
    most: AtomicUsize,
    target: usize,
    gave_up: AtomicBool,
}

impl Overlap {
    pub fn new(target: usize) -> Self {
        Self {
            inside: AtomicUsize::new(0),
            most: AtomicUsize::new(0),
            target,
            gave_up: AtomicBool::new(false),
        }
    }

    /// Enters the region; the returned guard leaves it.
    pub fn enter(&self) -> Inside<'_> {
        let now = self.inside.fetch_add(1, SeqCst) + 1;
        self.most.fetch_max(now, SeqCst);
        if !self.gave_up.load(SeqCst) {
            let reached = wait_until(OVERLAP_PATIENCE, || {
                self.most() >= self.target || self.gave_up.load(SeqCst)
            });
            if !reached {
                self.gave_up.store(true, SeqCst);
            }
        }
        Inside(self)
    }

    /// The most threads that were inside at the same time.
    pub fn most(&self) -> usize {
        self.most.load(SeqCst)
    }
}

pub struct Inside<'a>(&'a Overlap);

impl Drop for Inside<'_> {
    fn drop(&mut self) {
        self.0.inside.fetch_sub(1, SeqCst);
    }
}
