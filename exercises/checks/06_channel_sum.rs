//! Checks for exercises/06_channel_sum.rs.

mod common;
#[path = "../06_channel_sum.rs"]
mod exercise;

use common::{Overlap, Recorder};
use exercise::{integrate, parallel_sum, reassemble};
use parallel_workbook::sync::thread;
use parallel_workbook::sync::{Arc, mpsc};
use parallel_workbook::{Problem, chunks};

#[test]
fn reassemble_adds_everything_until_the_channel_closes() {
    let total = common::within(
        "reassemble never returned after every sender was dropped: loop until recv() returns Err",
        || {
            let (sender, receiver) = mpsc::channel();
            let senders: Vec<_> = (0..3)
                .map(|k| {
                    let sender = sender.clone();
                    thread::spawn(move || {
                        for i in 0..10 {
                            sender.send((k * 10 + i) as f64).unwrap();
                        }
                    })
                })
                .collect();
            drop(sender);
            let total = reassemble(receiver);
            senders.into_iter().for_each(|s| s.join().unwrap());
            total
        },
    );
    assert_eq!(
        total,
        (0..30).sum::<i32>() as f64,
        "30 numbers 0..30 were sent; their total is 435"
    );
}

#[test]
fn reassemble_of_nothing_is_zero() {
    let total = common::within(
        "reassemble never returned for a closed, empty channel",
        || {
            let (sender, receiver) = mpsc::channel::<f64>();
            drop(sender);
            reassemble(receiver)
        },
    );
    assert_eq!(total, 0.0);
}

#[test]
fn every_chunk_is_summed_once_on_a_worker_thread() {
    for (n, threads) in [(1000, 4), (7, 3), (2, 5)] {
        let recorder = Arc::new(Recorder::default());
        // Hold each worker until all are running (checked once, for 4 threads).
        let overlap = Arc::new(Overlap::new(if threads == 4 { threads } else { 1 }));
        let (r, o) = (recorder.clone(), overlap.clone());
        let (total, caller) = common::within(
            "parallel_sum never returned. Is a Sender still alive (the one you cloned from)?",
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
            "{ran} threads ran chunks, expected {threads}: did you spawn one per chunk?"
        );
        let mut got: Vec<_> = recorder
            .calls()
            .into_iter()
            .map(|call| call.chunk)
            .collect();
        got.sort_by_key(|c| (c.start, c.end));
        let expected: Vec<_> = chunks(n, threads as u64).collect();
        assert_eq!(
            got, expected,
            "n = {n}, {threads} threads: these are not the chunks of parallel_workbook::chunks"
        );
        assert_eq!(
            total, n as f64,
            "the {threads} partial sums add up to {n}, parallel_sum returned {total}"
        );
        assert!(
            threads != 4 || overlap.most() == threads,
            "only {} of {threads} workers ran at the same time: start them all before you receive",
            overlap.most()
        );
    }
}

#[test]
fn integrate_gives_the_left_sum() {
    let problem = Problem::new(0.0, 10.0, 1_000_000).unwrap();
    let result = common::within(
        "integrate never returned: is a Sender still alive?",
        move || integrate(&problem, 3),
    );
    let expected = problem.exact_left_sum();
    assert!(
        (result - expected).abs() <= problem.reduction_tolerance(),
        "got {result}, expected {expected}"
    );
}
