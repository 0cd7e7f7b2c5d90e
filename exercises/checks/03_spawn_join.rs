//! Checks for exercises/03_spawn_join.rs.
//!
//! The check hands the learner's functions its own `sum_chunk`, which
//! records which thread sums which chunk, and what that thread is named.
//! The model test runs `parallel_sum` under shuttle (random and PCT
//! schedules): in every schedule explored, each chunk must be summed once,
//! on a thread of its own named after it, and every partial sum must arrive
//! in the total. Then real threads: the handles `spawn_workers` returns,
//! all the threads running at the same time, a worker's panic passed on,
//! and the integral.

mod common;
#[path = "../03_spawn_join.rs"]
mod exercise;

use common::Overlap;
use exercise::{integrate, parallel_sum, spawn_workers};
use parallel_workbook::sync::model::{self, Model};
use parallel_workbook::sync::{Arc, thread};
use parallel_workbook::{Problem, chunks};
use std::ops::Range;
use std::sync::Mutex;

/// One call of the check's `sum_chunk`.
#[derive(Clone, Debug)]
struct Summed {
    chunk: Range<u64>,
    thread: thread::ThreadId,
    name: Option<String>,
}

/// Every call of the check's `sum_chunk`. (A std Mutex: held for a push
/// only, never across an operation a model checker could switch at.)
#[derive(Default)]
struct Log(Mutex<Vec<Summed>>);

impl Log {
    fn record(&self, chunk: &Range<u64>) {
        let me = thread::current();
        self.0.lock().unwrap().push(Summed {
            chunk: chunk.clone(),
            thread: me.id(),
            name: me.name().map(String::from),
        });
    }

    fn calls(&self) -> Vec<Summed> {
        self.0.lock().unwrap().clone()
    }
}

/// What is wrong with the calls of `sum_chunk` for `parallel_sum(n,
/// threads)` called on thread `caller`, if anything.
fn wrong_calls(
    calls: &[Summed],
    n: u64,
    threads: usize,
    caller: thread::ThreadId,
) -> Option<String> {
    let expected: Vec<Range<u64>> = chunks(n, threads as u64).collect();
    let mut got: Vec<Range<u64>> = calls.iter().map(|c| c.chunk.clone()).collect();
    got.sort_by_key(|c| (c.start, c.end));
    if got != expected {
        return Some(format!(
            "n = {n}, {threads} threads: sum_chunk was called for {got:?}, but the chunks of \
             parallel_workbook::chunks are {expected:?}: each thread sums its own chunk, once"
        ));
    }
    if let Some(call) = calls.iter().find(|c| c.thread == caller) {
        return Some(format!(
            "chunk {:?} was summed on the thread that called parallel_sum, before or instead of a worker: \
             call sum_chunk inside the spawned thread's closure, so that the thread does the work",
            call.chunk
        ));
    }
    for (i, call) in calls.iter().enumerate() {
        if calls[..i].iter().any(|c| c.thread == call.thread) {
            return Some(format!(
                "chunks {:?} and {:?} were summed by the same thread: one thread per chunk",
                calls
                    .iter()
                    .find(|c| c.thread == call.thread)
                    .unwrap()
                    .chunk,
                call.chunk
            ));
        }
    }
    for call in calls {
        // Empty chunks may be equal: any of their names will do.
        let names: Vec<String> = (0..threads)
            .filter(|&k| expected[k] == call.chunk)
            .map(|k| format!("chunk-{k}"))
            .collect();
        if !names.iter().any(|name| call.name.as_ref() == Some(name)) {
            let want = &names[0];
            let named = match &call.name {
                Some(name) => format!("named {name:?}"),
                None => "not named".to_string(),
            };
            return Some(format!(
                "the chunk {:?} was summed by a thread {named}: name it {want:?}, with \
                 thread::Builder::new().name(...)",
                call.chunk
            ));
        }
    }
    None
}

/// `parallel_sum(n, threads)` under the model, with a `sum_chunk` that
/// returns the chunk's length: the total must be n.
fn sums(n: u64, threads: usize) -> impl Fn() + Send + Sync + 'static {
    move || {
        let log = Arc::new(Log::default());
        let caller = thread::current().id();
        let total = parallel_sum(n, threads, {
            let log = log.clone();
            move |chunk: Range<u64>| {
                model::note(format!(
                    "sum_chunk({chunk:?}) returns {}",
                    common::len(&chunk)
                ));
                log.record(&chunk);
                common::len(&chunk)
            }
        });
        if let Some(wrong) = wrong_calls(&log.calls(), n, threads, caller) {
            panic!("{wrong}");
        }
        assert!(
            total == n as f64,
            "parallel_sum returned {total}, but the sums of its {threads} chunks add up to {n}: join every \
             handle and add up what each thread returned, once"
        );
    }
}

#[test]
fn every_chunk_on_its_own_named_thread_in_every_schedule_explored() {
    common::within(
        "parallel_sum never returned: does every thread finish, and is each joined once?",
        || {
            Model::random("parallel_sum(9, 3)", 300).check(sums(9, 3));
            Model::pct("parallel_sum(8, 4)", 300, 3).check(sums(8, 4));
        },
    );
}

/// The value the check's `sum_chunk` returns for a chunk: different for
/// every chunk, so a handle's result says which chunk its thread summed.
fn tag(chunk: &Range<u64>) -> f64 {
    (chunk.start * 1000 + (chunk.end - chunk.start)) as f64
}

#[test]
fn spawn_workers_returns_a_handle_per_chunk() {
    for (n, threads) in [(100, 1), (10, 3), (1000, 4), (2, 5)] {
        let log = Arc::new(Log::default());
        let (results, caller) = common::within(
            "spawn_workers or a join never returned: does every thread finish?",
            {
                let log = log.clone();
                move || {
                    let handles = spawn_workers(n, threads, move |chunk: Range<u64>| {
                        log.record(&chunk);
                        tag(&chunk)
                    });
                    let results: Vec<Option<f64>> =
                        handles.into_iter().map(|h| h.join().ok()).collect();
                    (results, thread::current().id())
                }
            },
        );
        assert_eq!(
            results.len(),
            threads,
            "spawn_workers returned {} handles for {threads} threads: one per chunk",
            results.len()
        );
        assert!(
            results.iter().all(Option::is_some),
            "a thread of spawn_workers panicked"
        );
        if let Some(wrong) = wrong_calls(&log.calls(), n, threads, caller) {
            panic!("on real threads: {wrong}");
        }
        let mut got: Vec<f64> = results.into_iter().flatten().collect();
        got.sort_by(f64::total_cmp);
        let mut want: Vec<f64> = chunks(n, threads as u64).map(|c| tag(&c)).collect();
        want.sort_by(f64::total_cmp);
        assert_eq!(
            got, want,
            "n = {n}, {threads} threads: the handles' threads returned {got:?}, but sum_chunk returned {want:?} \
             for the chunks: each thread returns what sum_chunk returned for its chunk"
        );
    }
}

#[test]
fn the_threads_run_at_the_same_time() {
    let threads = 4;
    let overlap = Arc::new(Overlap::new(threads));
    let o = overlap.clone();
    common::within("parallel_sum never returned", move || {
        parallel_sum(100, threads, move |chunk: Range<u64>| {
            let _inside = o.enter();
            common::len(&chunk)
        })
    });
    assert_eq!(
        overlap.most(),
        threads,
        "at most {} of {threads} threads were summing at the same time: start them all (spawn_workers) before \
         you join any",
        overlap.most()
    );
}

#[test]
fn a_worker_that_panics_makes_parallel_sum_panic() {
    let outcome = common::within(
        "parallel_sum never returned after a worker panicked",
        || {
            std::panic::catch_unwind(|| {
                parallel_sum(9, 3, |chunk: Range<u64>| {
                    if chunk.start == 3 {
                        // A panic that skips the panic hook: nothing is
                        // printed, so it is never taken for the learner's.
                        std::panic::resume_unwind(Box::new("the check's sum_chunk panics on 3..6"));
                    }
                    common::len(&chunk)
                })
            })
        },
    );
    if let Ok(total) = outcome {
        panic!(
            "sum_chunk panicked on the chunk 3..6, yet parallel_sum returned {total}: a panicked worker's join \
             returns Err; pass the panic on (join().expect(...)) instead of leaving its partial sum out"
        );
    }
}

#[test]
fn integrate_gives_the_left_sum() {
    for (n, threads) in [(1_000_000, 4), (1_001, 3), (5, 8), (1, 2)] {
        let problem = Problem::new(0.0, 10.0, n).unwrap();
        let result = common::within("integrate should join every thread and return", move || {
            integrate(&problem, threads)
        });
        let expected = problem.exact_left_sum();
        assert!(
            (result - expected).abs() <= problem.reduction_tolerance(),
            "N = {n}, {threads} threads: got {result}, expected {expected}"
        );
    }
}
