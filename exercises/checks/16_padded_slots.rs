//! Checks for exercises/16_padded_slots.rs.

mod common;
#[path = "../16_padded_slots.rs"]
mod exercise;

use common::Overlap;
use exercise::{Slot, integrate, slot_sums};
use parallel_workbook::sync::thread;
use parallel_workbook::sync::{Arc, Mutex};
use parallel_workbook::{Problem, chunks};
use std::collections::BTreeMap;

#[test]
fn a_slot_keeps_a_running_sum() {
    let slot = Slot::new();
    assert_eq!(slot.get(), 0.0, "a new slot holds 0.0");
    slot.add(1.5);
    slot.add(2.25);
    assert_eq!(slot.get(), 3.75, "0.0 + 1.5 + 2.25 should be 3.75");
}

#[test]
fn no_two_slots_share_a_cache_line() {
    let align = std::mem::align_of::<Slot>();
    assert!(
        align >= 128,
        "align_of::<Slot>() is {align}: slots side by side in a Vec share a cache line (or the \
         pair of lines Intel's cores fetch together), and every add by one thread takes the line \
         away from the others. Put #[repr(align(128))] on Slot"
    );
    let slots: Vec<Slot> = (0..4).map(|_| Slot::new()).collect();
    let addresses: Vec<usize> = slots.iter().map(|s| s as *const Slot as usize).collect();
    assert!(
        addresses.windows(2).all(|w| w[1] - w[0] >= 128),
        "slots in a Vec start {:?} bytes apart: at least 128 are needed",
        addresses
            .windows(2)
            .map(|w| w[1] - w[0])
            .collect::<Vec<_>>()
    );
}

/// Which thread computed which term.
fn record_terms(
    n: u64,
    threads: usize,
) -> (
    Vec<f64>,
    BTreeMap<u64, Vec<thread::ThreadId>>,
    thread::ThreadId,
) {
    common::within(
        "slot_sums never returned. Does every thread end after its chunk?",
        move || {
            let seen = Arc::new(Mutex::new(BTreeMap::<u64, Vec<thread::ThreadId>>::new()));
            let record = Arc::clone(&seen);
            let sums = slot_sums(n, threads, move |i| {
                record
                    .lock()
                    .unwrap()
                    .entry(i)
                    .or_default()
                    .push(thread::current().id());
                1.0
            });
            let seen = seen.lock().unwrap().clone();
            (sums, seen, thread::current().id())
        },
    )
}

#[test]
fn each_thread_adds_its_own_chunk_into_its_own_slot() {
    for (n, threads) in [(1000, 3), (10, 4), (7, 1), (3, 5)] {
        let (sums, seen, caller) = record_terms(n, threads);
        assert_eq!(
            sums.len(),
            threads,
            "n = {n}, {threads} threads: return one sum per slot, one slot per thread"
        );
        for i in 0..n {
            let calls = seen.get(&i).map_or(0, Vec::len);
            assert_eq!(
                calls, 1,
                "n = {n}: term({i}) was computed {calls} times, not once"
            );
        }
        for (k, chunk) in chunks(n, threads as u64).enumerate() {
            assert_eq!(
                sums[k],
                (chunk.end - chunk.start) as f64,
                "n = {n}, {threads} threads: slot {k} should hold the sum over chunk {k} ({chunk:?})"
            );
            let mut by: Vec<_> = chunk.clone().map(|i| seen[&i][0]).collect();
            by.dedup();
            assert!(
                by.len() <= 1,
                "n = {n}: chunk {k} ({chunk:?}) was summed by {} threads: one thread per chunk",
                by.len()
            );
            assert!(
                by.iter().all(|t| *t != caller),
                "chunk {k} was summed on the calling thread: every chunk runs on a thread of its own"
            );
        }
    }
}

#[test]
fn the_threads_add_at_the_same_time() {
    let overlap = Arc::new(Overlap::new(2));
    let inside = Arc::clone(&overlap);
    common::within("slot_sums never returned", move || {
        slot_sums(200, 2, move |_| {
            let _in_a_term = inside.enter();
            1.0
        })
    });
    assert!(
        overlap.most() >= 2,
        "one thread computed its terms while no other thread did: start every thread before you \
         join any (thread::scope joins them all at its end)"
    );
}

#[test]
fn integrate_gives_the_left_sum() {
    let problem = Problem::new(0.0, 10.0, 100_000).unwrap();
    for threads in [1, 3] {
        let result = common::within("integrate never returned", move || {
            integrate(&problem, threads)
        });
        let expected = problem.exact_left_sum();
        assert!(
            (result - expected).abs() <= problem.reduction_tolerance(),
            "{threads} threads: got {result}, expected {expected}"
        );
    }
}
