//! Checks for exercises/18_channel_sum.rs.
//!
//! The model tests run the learner's code under shuttle (random and PCT
//! schedules): `reassemble` fed by two sending threads, one of them late
//! (in some schedules the channel is empty for a while before its message;
//! a `recv_timeout` may time out whenever nothing is there), must add every
//! value sent before the last sender is dropped; `parallel_sum` must sum
//! each chunk once, on a thread of its own, return every partial sum, and
//! return at all (a sender left alive is a deadlock the checker sees). Then
//! real threads: three senders, an empty channel, the chunks and the
//! overlap of the workers, and the integral.

mod common;
#[path = "../18_channel_sum.rs"]
mod exercise;

use common::{Overlap, Recorder};
use exercise::{integrate, parallel_sum, reassemble};
use parallel_workbook::sync::model::{self, Model};
use parallel_workbook::sync::thread;
use parallel_workbook::sync::{Arc, mpsc};
use parallel_workbook::{Problem, chunks};

/// The values the model's senders send: every subset has its own sum, so a
/// total says which of them arrived.
const SENT: [(f64, &str); 3] = [
    (1.0, "the 1 sent by thread 1"),
    (2.0, "the 2 sent by thread 1"),
    (4.0, "the 4 sent by thread 2, the late sender"),
];

/// What a total of `reassemble` says, if it is not 7.
fn wrong_reassembly(total: f64) -> Option<String> {
    if total == 7.0 {
        return None;
    }
    if total.fract() == 0.0 && (0.0..7.0).contains(&total) {
        let bits = total as u32;
        let missing: Vec<&str> = SENT
            .iter()
            .enumerate()
            .filter(|(k, _)| bits & (1 << k) == 0)
            .map(|(_, (_, what))| *what)
            .collect();
        return Some(format!(
            "reassemble returned {total}, but 1 + 2 + 4 = 7 were sent before the last Sender was dropped: \
             {} never arrived in the total. reassemble must add everything until the channel is closed. Does it \
             stop at a moment when nothing is waiting (try_recv, try_iter, or a recv_timeout that times out), \
             instead of when recv returns Err (the channel empty and every Sender gone)?",
            missing.join(" and ")
        ));
    }
    Some(format!(
        "reassemble returned {total}, but 1 + 2 + 4 = 7 were sent before the last Sender was dropped: \
         add each value received, once"
    ))
}

#[test]
fn reassemble_waits_for_a_late_sender_in_every_schedule_explored() {
    let late_sender = || {
        let (sender, receiver) = mpsc::channel();
        model::name(&receiver, "the channel");
        let early = {
            let sender = sender.clone();
            thread::spawn(move || {
                // (A send fails once reassemble has returned and dropped
                // the receiver: what arrived is checked below.)
                let _ = sender.send(SENT[0].0);
                let _ = sender.send(SENT[1].0);
            })
        };
        let late = {
            let sender = sender.clone();
            thread::spawn(move || {
                for _ in 0..3 {
                    thread::yield_now();
                }
                model::note("sends late");
                let _ = sender.send(SENT[2].0);
            })
        };
        drop(sender);
        let total = reassemble(receiver);
        early.join().unwrap();
        late.join().unwrap();
        if let Some(wrong) = wrong_reassembly(total) {
            panic!("{wrong}");
        }
    };
    common::within(
        "reassemble never returned after every sender was dropped: stop when recv() returns Err",
        move || {
            let stuck = "reassemble never returned: main waited to receive, and no thread could go on. \
                 recv returns Err once the channel is empty and every Sender is gone: does reassemble stop then?";
            Model::random("two threads send 1 + 2 and 4 (late)", 300)
                .on_deadlock(stuck)
                .check(late_sender);
            Model::pct("two threads send 1 + 2 and 4 (late)", 300, 3)
                .on_deadlock(stuck)
                .check(late_sender);
        },
    );
}

/// What a deadlock of `parallel_sum` means: the checker saw every thread
/// blocked (what each waited for is listed below the steps).
const NEVER_RETURNED: &str = "parallel_sum never returned: no thread could go on (what each was waiting for is \
     listed below the steps). recv waits as long as any Sender is alive: is one still alive when you reassemble \
     (the one you cloned from)? Does anything wait for a thread that cannot finish?";

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
            "sum_chunk was called {} times for {threads} chunks: once per chunk",
            calls.len()
        );
        let ran = recorder.worker_threads(caller);
        assert_eq!(
            ran, threads,
            "{ran} threads ran the {threads} chunks: one thread per chunk"
        );
        assert!(
            total == n as f64,
            "parallel_sum returned {total}, but its {threads} chunks' sums add up to {n}: every partial sum sent \
             must be received and added, once"
        );
    }
}

#[test]
fn parallel_sum_returns_every_partial_sum_in_every_schedule_explored() {
    common::within(NEVER_RETURNED, || {
        Model::random("parallel_sum(9, 3)", 300)
            .on_deadlock(NEVER_RETURNED)
            .check(sums(9, 3));
        Model::pct("parallel_sum(8, 4)", 300, 3)
            .on_deadlock(NEVER_RETURNED)
            .check(sums(8, 4));
    });
}

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
        "on real threads, 30 numbers 0..30 were sent; their total is 435"
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
    assert_eq!(
        total, 0.0,
        "nothing was sent, so the total is 0, not {total}"
    );
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
