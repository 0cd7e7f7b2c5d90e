//! Checks for exercises/19_worker_pool.rs.
//!
//! The model tests run the learner's `pool_sum` under shuttle (random and
//! PCT schedules). In every schedule explored, each chunk must be summed
//! exactly once, by at most `threads` worker threads, and every result must
//! arrive in the total (workers that add into one shared total with a read
//! and a separate write-back lose one). Then one chunk is slow: its
//! `sum_chunk` waits until every other chunk has been summed, which a pool
//! fed by a queue does in every schedule, and a pool whose workers own a
//! fixed share of the chunks (or hold the queue while summing) never does:
//! the checker sees the deadlock. Then real threads: the chunks, the pool's
//! size, two workers summing at once, and the integral.

mod common;
#[path = "../19_worker_pool.rs"]
mod exercise;

use common::{Overlap, Recorder};
use exercise::{integrate, pool_sum};
use parallel_workbook::sync::model::{self, Model};
use parallel_workbook::sync::{Arc, Condvar, Mutex, thread};
use parallel_workbook::{Problem, chunks};

/// What a hang means on real threads (the watchdog cannot see why).
const HUNG: &str = "pool_sum never returned. Do the workers stop when the work queue is closed and empty? \
     Do you collect exactly one result per chunk?";

/// What a deadlock in the first model means.
const STUCK: &str = "pool_sum never returned: no thread could go on (what each was waiting for is listed below \
     the steps). Is the work queue closed (its Sender dropped) once every chunk is on it, so that the workers' \
     recv returns Err? Does main wait for more results than there are chunks?";

/// What a wrong total of `pool_sum(n, _, chunk_count)` says, when every
/// chunk has the same length (as in the models).
fn wrong_total(total: f64, n: u64, chunk_count: u64) -> String {
    let each = (n / chunk_count) as f64;
    let arrived = total / each;
    let said = format!(
        "pool_sum returned {total}, but the results of its {chunk_count} chunks ({each} each) add up to {n}"
    );
    if arrived.fract() == 0.0 && (0.0..chunk_count as f64).contains(&arrived) {
        format!(
            "{said}: only {arrived} of the {chunk_count} results are in the total, so a result was lost. Where the \
             workers add into one shared total, the read and the write-back of each addition must be one critical \
             section; or send each result on the results channel, and let main add exactly one per chunk"
        )
    } else {
        format!("{said}: every result must be added once")
    }
}

/// `pool_sum(n, threads, chunk_count)` under the model, with a `sum_chunk`
/// that returns the chunk's length: the total must be n.
fn pools(n: u64, threads: usize, chunk_count: u64) -> impl Fn() + Send + Sync + 'static {
    move || {
        let recorder = Recorder::default();
        let caller = thread::current().id();
        let total = pool_sum(n, threads, chunk_count, |chunk| {
            model::note(format!(
                "sum_chunk({chunk:?}) returns {}",
                common::len(&chunk)
            ));
            recorder.record(chunk.clone());
            common::len(&chunk)
        });
        let mut got: Vec<_> = recorder.calls().into_iter().map(|c| c.chunk).collect();
        got.sort_by_key(|c| (c.start, c.end));
        let expected: Vec<_> = chunks(n, chunk_count).collect();
        assert!(
            got == expected,
            "the chunks summed were {got:?}, but the queue holds the chunks {expected:?}: each must be summed exactly once"
        );
        let ran = recorder.worker_threads(caller);
        assert!(
            ran <= threads,
            "{ran} different threads summed chunks, but the pool has {threads} workers: start `threads` workers \
             that each take many chunks, not a thread per chunk"
        );
        if total != n as f64 {
            panic!("{}", wrong_total(total, n, chunk_count));
        }
    }
}

#[test]
fn every_chunk_once_and_every_result_in_every_schedule_explored() {
    common::within(HUNG, || {
        Model::random("pool_sum(12, 3 workers, 6 chunks)", 300)
            .on_deadlock(STUCK)
            .check(pools(12, 3, 6));
        Model::pct("pool_sum(8, 2 workers, 4 chunks)", 300, 3)
            .on_deadlock(STUCK)
            .check(pools(8, 2, 4));
    });
}

/// What a deadlock with a slow chunk means.
const HELD_UP: &str = "pool_sum never returned while one worker was held inside the slow chunk 0..2, which \
     waits until the other chunks are summed: no thread could go on (what each was waiting for is listed below \
     the steps). Do the other workers take the chunks that are left from one shared queue? A worker that owns \
     a fixed share of the chunks, or keeps the queue's lock while it sums, makes them wait for the slow one. \
     (If every other chunk was summed: do the workers stop when the queue is closed and empty?)";

/// `pool_sum(8, 2 workers, 4 chunks)`, where `sum_chunk(0..2)` waits (on
/// the check's own lock and condvar) until the three other chunks are summed.
fn slow_first_chunk() {
    let (n, threads, chunk_count) = (8, 2, 4);
    let summed = Mutex::new(0);
    let others_done = Condvar::new();
    model::name(&summed, "the check's count of chunks summed");
    model::name(&others_done, "the slow chunk's wait");
    let total = pool_sum(n, threads, chunk_count, |chunk| {
        if chunk.start == 0 {
            model::note("starts the slow chunk 0..2: it waits until the other chunks are summed");
            let mut count = summed.lock().unwrap();
            while *count < chunk_count - 1 {
                count = others_done.wait(count).unwrap();
            }
        } else {
            model::note(format!("sum_chunk({chunk:?}) returns 2"));
            *summed.lock().unwrap() += 1;
            others_done.notify_all();
        }
        common::len(&chunk)
    });
    if total != n as f64 {
        panic!("{}", wrong_total(total, n, chunk_count));
    }
}

#[test]
fn the_other_workers_take_the_chunks_left_while_one_is_slow() {
    common::within(HUNG, || {
        // (No spurious wake-ups: the only Condvar here is the check's own.)
        Model::random("pool_sum(8, 2 workers, 4 chunks), chunk 0..2 slow", 200)
            .spurious_wakeups(false)
            .on_deadlock(HELD_UP)
            .check(slow_first_chunk);
        Model::pct("pool_sum(8, 2 workers, 4 chunks), chunk 0..2 slow", 200, 3)
            .spurious_wakeups(false)
            .on_deadlock(HELD_UP)
            .check(slow_first_chunk);
    });
}

/// Runs `pool_sum`; the callback records each call, and (with `overlap`)
/// holds a worker until another worker is summing a chunk too.
fn run(
    n: u64,
    threads: usize,
    chunk_count: u64,
    overlap: Option<Arc<Overlap>>,
) -> (f64, Arc<Recorder>, thread::ThreadId) {
    let recorder = Arc::new(Recorder::default());
    let r = recorder.clone();
    let (total, caller) = common::within(HUNG, move || {
        let total = pool_sum(n, threads, chunk_count, |chunk| {
            let _inside = overlap.as_ref().map(|o| o.enter());
            r.record(chunk.clone());
            common::len(&chunk)
        });
        (total, thread::current().id())
    });
    (total, recorder, caller)
}

#[test]
fn every_chunk_is_summed_exactly_once() {
    for (n, threads, chunk_count) in [
        (1000, 3, 64),
        (100, 4, 7),
        (10, 4, 2),
        (50, 1, 5),
        (1 << 16, 2, 100),
    ] {
        let (total, recorder, _) = run(n, threads, chunk_count, None);
        let mut got: Vec<_> = recorder
            .calls()
            .into_iter()
            .map(|call| call.chunk)
            .collect();
        got.sort_by_key(|c| (c.start, c.end));
        let expected: Vec<_> = chunks(n, chunk_count).collect();
        assert_eq!(
            got.len(),
            expected.len(),
            "on real threads, {chunk_count} chunks went on the queue, but {} were summed",
            got.len()
        );
        assert_eq!(
            got, expected,
            "n = {n}: the chunks summed are not the chunks of parallel_workbook::chunks(n, {chunk_count})"
        );
        assert_eq!(
            total, n as f64,
            "on real threads, the {chunk_count} results add up to {n}, pool_sum returned {total}"
        );
    }
}

#[test]
fn the_pool_has_threads_workers_and_no_more() {
    let (threads, chunk_count) = (3, 60);
    let (_, recorder, caller) = run(6000, threads, chunk_count, None);
    let ran = recorder.worker_threads(caller);
    assert!(
        ran <= threads,
        "{ran} different threads summed chunks, but the pool has {threads} workers: \
         start `threads` workers that each take many chunks, not a thread per chunk"
    );
}

#[test]
fn workers_sum_chunks_at_the_same_time() {
    let overlap = Arc::new(Overlap::new(2));
    run(1000, 2, 16, Some(overlap.clone()));
    assert!(
        overlap.most() >= 2,
        "on real threads, no two workers were ever summing chunks at the same time (the check held each \
         worker inside its chunk until another was summing too): do you hold the queue's lock while \
         summing? (`while let Ok(c) = queue.lock().unwrap().recv()` keeps the guard for the whole loop \
         body; take the chunk in its own `let` statement)"
    );
}

#[test]
fn integrate_gives_the_left_sum() {
    let problem = Problem::new(0.0, 10.0, 1_000_000).unwrap();
    let result = common::within("integrate never returned", move || integrate(&problem, 3));
    let expected = problem.exact_left_sum();
    assert!(
        (result - expected).abs() <= problem.reduction_tolerance(),
        "got {result}, expected {expected}"
    );
}
