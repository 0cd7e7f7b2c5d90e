//! Checks for exercises/09_atomic_sum.rs.
//!
//! The model tests run the learner's `atomic_add` under loom, which tries
//! every schedule of two threads adding to one total (every way their loads,
//! pauses and compare-and-swaps can interleave), and the learner's
//! `parallel_sum` under shuttle (random and PCT schedules): each chunk summed
//! once, on a thread of its own, and every partial sum in the total. Then
//! real threads: a `pause()` that changes the total behind the learner's
//! back, many adds at once, all the threads of `parallel_sum` running at the
//! same time, and the integral.

mod common;
#[path = "../09_atomic_sum.rs"]
mod exercise;

use common::{Overlap, Recorder};
use exercise::{atomic_add, integrate, parallel_sum};
use parallel_workbook::sync::atomic::{AtomicU64, Ordering::SeqCst};
use parallel_workbook::sync::model::{self, Model};
use parallel_workbook::sync::{Arc, thread};
use parallel_workbook::{Problem, chunks};
use std::cell::Cell;

fn value(total: &AtomicU64) -> f64 {
    f64::from_bits(total.load(SeqCst))
}

const HUNG: &str =
    "atomic_add never returned: does the loop end once the compare-and-swap succeeds?";

/// What a loop that never ends means in the model.
const ENDLESS: &str = "atomic_add never finished in this schedule: it kept trying. If its compare-and-swap \
     failed again and again (see the steps): after a failure, does it try again with the value the failed \
     compare-and-swap found (its Err), and a sum computed anew from that value? Does the loop end once the \
     compare-and-swap succeeds?";

/// What the total after adds of 1 and 2 to 0.5 says is wrong, if anything.
fn wrong_total(got: f64) -> Option<String> {
    if got == 3.5 {
        None
    } else if got == 1.5 || got == 2.5 {
        Some(format!(
            "an update was lost: the total was 0.5, two threads added 1 and 2, and it ended at {got}, which \
             holds only one of the two adds. A store (or swap) after a separate load can overwrite an add made \
             in between; compare_exchange_weak stores only if the total still holds what you loaded. When it \
             fails, does your add try again, with the sum computed anew from the value it found?"
        ))
    } else {
        Some(format!(
            "the total was 0.5, two threads added 1 and 2, and it ended at {got}, not 3.5: each add adds its \
             own term, once, to the f64 whose bits the total holds (f64::from_bits, add, to_bits)"
        ))
    }
}

#[test]
fn no_add_is_lost_in_any_schedule_of_two_threads() {
    common::within(HUNG, || {
        Model::exhaustive("two threads each call atomic_add once", 20_000)
            .u64_as_f64()
            .on_endless(ENDLESS)
            .check(|| {
                let total = Arc::new(AtomicU64::new(0.5f64.to_bits()));
                model::name(&*total, "total");
                let other = {
                    let total = total.clone();
                    thread::spawn(move || atomic_add(&total, 1.0, || model::note("calls pause()")))
                };
                atomic_add(&total, 2.0, || model::note("calls pause()"));
                other.join().expect("a thread panicked");
                if let Some(wrong) = wrong_total(value(&total)) {
                    panic!("{wrong}");
                }
            })
    });
}

/// `parallel_sum(n, threads)` under the model, with a `sum_chunk` that
/// returns the chunk's length: the total must be n.
fn sums(n: u64, threads: usize) -> impl Fn() + Send + Sync + 'static {
    move || {
        let recorder = Recorder::default();
        let caller = thread::current().id();
        let total = parallel_sum(n, threads, |chunk| {
            model::note(format!(
                "sum_chunk({chunk:?}) returns {}",
                common::len(&chunk)
            ));
            recorder.record(chunk.clone());
            common::len(&chunk)
        });
        let calls = recorder.calls();
        assert_eq!(
            calls.len(),
            threads,
            "sum_chunk was called {} times for {threads} chunks: each thread sums its chunk with one call, \
             and adds that partial sum with one atomic_add",
            calls.len()
        );
        let ran = recorder.worker_threads(caller);
        assert_eq!(
            ran, threads,
            "{ran} threads ran the {threads} chunks: one thread per chunk"
        );
        if total != n as f64 {
            panic!("{}", wrong_sum(total, n, threads));
        }
    }
}

/// What a wrong total of `parallel_sum(n, threads)` says, when every chunk
/// has the same length (as in the models: 9 over 3, 8 over 4).
fn wrong_sum(total: f64, n: u64, threads: usize) -> String {
    let each = (n / threads as u64) as f64;
    let arrived = total / each;
    let said = format!(
        "parallel_sum returned {total}, but the sums of its {threads} chunks ({each} each) add up to {n}"
    );
    if arrived.fract() == 0.0 && (0.0..threads as f64).contains(&arrived) {
        format!(
            "{said}: only {arrived} of the {threads} partial sums are in the total, so an update was lost. \
             Does each thread add its partial sum with atomic_add, and does parallel_sum read the total after \
             every thread has ended?"
        )
    } else if arrived.fract() == 0.0 && arrived > threads as f64 {
        format!(
            "{said}: a partial sum was added more than once. Each thread adds its own partial sum, once"
        )
    } else {
        format!("{said}: each thread adds its partial sum to the f64 whose bits the total holds")
    }
}

#[test]
fn every_partial_sum_arrives_in_every_schedule_explored() {
    common::within(
        "parallel_sum never returned: does every thread finish?",
        || {
            Model::random("parallel_sum(9, 3)", 300)
                .u64_as_f64()
                .on_endless(ENDLESS)
                .check(sums(9, 3));
            Model::pct("parallel_sum(8, 4)", 300, 3)
                .u64_as_f64()
                .on_endless(ENDLESS)
                .check(sums(8, 4));
        },
    );
}

#[test]
fn a_single_add() {
    let got = common::within(HUNG, || {
        let total = AtomicU64::new(1.5f64.to_bits());
        atomic_add(&total, 2.25, || {});
        value(&total)
    });
    assert_eq!(
        got, 3.75,
        "the total held 1.5 and atomic_add added 2.25: expected 3.75, got {got}. The AtomicU64 holds an \
         f64's bits: f64::from_bits, add, to_bits"
    );
}

#[test]
fn an_update_behind_your_back_is_not_lost() {
    // The first pause plays "another thread": it adds 100 to the total
    // between atomic_add's load and its compare-and-swap.
    let (result, pauses) = common::within(HUNG, || {
        let total = AtomicU64::new(1.0f64.to_bits());
        let pauses = Cell::new(0);
        atomic_add(&total, 10.0, || {
            if pauses.get() == 0 {
                total.store((value(&total) + 100.0).to_bits(), SeqCst);
            }
            pauses.set(pauses.get() + 1);
        });
        (value(&total), pauses.get())
    });
    assert!(
        pauses > 0,
        "pause() was never called: call it on every try, between the load and the compare-and-swap"
    );
    assert!(
        result != 11.0,
        "the total was 1; during your pause() another thread added 100, and you added 10: expected 111, \
         got 11. Your add overwrote the other update: store with compare_exchange_weak, which fails when \
         the total no longer holds what you loaded, and then try again"
    );
    assert_eq!(
        result, 111.0,
        "the total was 1; during your pause() another thread added 100, and you added 10: expected 111, got {result}"
    );
    assert!(
        pauses >= 2,
        "the total changed during your pause(), yet your add never had to try again (pause() ran once): \
         pause() must come after your load and before your compare-and-swap"
    );
}

#[test]
fn many_threads_many_adds() {
    let (threads, per_thread) = (4, 20_000);
    let result = common::within(HUNG, move || {
        let total = AtomicU64::new(0.0f64.to_bits());
        thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    for _ in 0..per_thread {
                        atomic_add(&total, 1.0, || {});
                    }
                });
            }
        });
        value(&total)
    });
    let expected = (threads * per_thread) as f64;
    assert_eq!(
        result,
        expected,
        "on real threads, {} of {expected} adds were lost",
        expected - result
    );
}

#[test]
fn every_chunk_runs_once_on_its_own_thread_all_at_once() {
    for (n, threads) in [(1000, 4), (10, 3), (2, 5)] {
        let recorder = Arc::new(Recorder::default());
        // Hold each worker until all are running (checked for 4 threads).
        let overlap = Arc::new(Overlap::new(if threads == 4 { threads } else { 1 }));
        let (r, o) = (recorder.clone(), overlap.clone());
        let (total, caller) = common::within(
            "parallel_sum never returned: does every thread finish?",
            move || {
                let total = parallel_sum(n, threads, |chunk| {
                    let _inside = o.enter();
                    r.record(chunk.clone());
                    common::len(&chunk)
                });
                (total, thread::current().id())
            },
        );
        let ran = recorder.worker_threads(caller);
        assert_eq!(
            ran, threads,
            "n = {n}: {ran} threads ran chunks, expected {threads}: one thread per chunk"
        );
        let mut got: Vec<_> = recorder.calls().into_iter().map(|c| c.chunk).collect();
        got.sort_by_key(|c| (c.start, c.end));
        let expected: Vec<_> = chunks(n, threads as u64).collect();
        assert_eq!(
            got, expected,
            "n = {n}, {threads} threads: these are not the chunks of parallel_workbook::chunks"
        );
        assert_eq!(
            total, n as f64,
            "n = {n}: the chunks' sums add up to {n}, parallel_sum returned {total}"
        );
        assert!(
            threads != 4 || overlap.most() == threads,
            "at most {} of {threads} threads were summing at the same time: start them all before any of them is joined",
            overlap.most()
        );
    }
}

#[test]
fn integrate_gives_the_left_sum() {
    for (n, threads) in [(1_000_000, 4), (1_001, 3), (3, 8)] {
        let problem = Problem::new(0.0, 10.0, n).unwrap();
        let result = common::within("integrate never returned", move || {
            integrate(&problem, threads)
        });
        let expected = problem.exact_left_sum();
        assert!(
            (result - expected).abs() <= problem.reduction_tolerance(),
            "N = {n}, {threads} threads: got {result}, expected {expected}"
        );
    }
}
