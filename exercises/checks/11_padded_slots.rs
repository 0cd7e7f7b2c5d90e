//! Checks for exercises/11_padded_slots.rs.
//!
//! The model tests run the learner's `Slot::add` under loom, which tries
//! every schedule of two threads adding to one slot (every way their atomic
//! operations can interleave), and the learner's `slot_sums` under shuttle
//! (random schedules of three threads): each slot must hold the sum of its
//! chunk, and the running sum as its thread goes. The slots are the
//! check's own (the caller provides them), so it can read each one while
//! its thread works. Then real threads: one thread per chunk, never the
//! caller, all adding at the same time; the layout (every `Slot` 128 bytes,
//! by alignment or by padding); the integral.

mod common;
#[path = "../11_padded_slots.rs"]
mod exercise;

use common::Overlap;
use exercise::{Slot, integrate, slot_sums};
use parallel_workbook::sync::model::{self, Model};
use parallel_workbook::sync::{Arc, thread};
use parallel_workbook::{Problem, chunk, chunks};
// The check's own bookkeeping: held for a moment, never while the learner's
// code runs, so it needs no place in the model's schedules.
use std::sync::Mutex;

#[test]
fn a_slot_keeps_a_running_sum() {
    let slot = Slot::new();
    assert_eq!(slot.get(), 0.0, "a new slot holds 0.0");
    slot.add(1.5);
    slot.add(2.25);
    assert_eq!(slot.get(), 3.75, "0.0 + 1.5 + 2.25 should be 3.75");
}

#[test]
fn no_add_is_lost_in_any_schedule_of_two_threads_adding_to_one_slot() {
    common::within("two adds never finished", || {
        Model::exhaustive("two threads add to one slot at once", 10_000).check(|| {
            let slot = Arc::new(Slot::new());
            let other = {
                let slot = slot.clone();
                thread::spawn(move || slot.add(1.5))
            };
            slot.add(2.25);
            other.join().expect("the other thread panicked");
            let sum = slot.get();
            assert!(
                sum == 3.75,
                "two threads added 1.5 and 2.25 to a slot holding 0.0, and it holds {sum}: an add was lost. \
                 Reading the sum and storing the new one are two operations, and the other add came in between: \
                 add in one atomic read-modify-write (fetch_update)"
            );
        })
    });
}

/// One call of `term`: the index, the thread that asked, and what the slot
/// of the index's chunk held at that moment.
struct Term {
    index: u64,
    thread: thread::ThreadId,
    slot_held: f64,
}

/// Runs `slot_sums(n, slots)` with a `term` that returns 1.0 and records
/// every call. Returns the slots' sums, the calls in order, and the caller.
fn sums_and_terms(n: u64, slots: usize) -> (Vec<f64>, Vec<Term>, thread::ThreadId) {
    let slots: Vec<Slot> = (0..slots).map(|_| Slot::new()).collect();
    let parts = slots.len() as u64;
    let terms = Mutex::new(Vec::new());
    slot_sums(n, &slots, |index| {
        let k = (0..parts).find(|&k| chunk(n, parts, k).contains(&index));
        let slot_held = k.map_or(f64::NAN, |k| slots[k as usize].get());
        model::note(format!("term({index}) is asked for"));
        let thread = thread::current().id();
        terms.lock().unwrap().push(Term {
            index,
            thread,
            slot_held,
        });
        1.0
    });
    let sums = slots.iter().map(Slot::get).collect();
    (sums, terms.into_inner().unwrap(), thread::current().id())
}

/// Every index asked for once, each chunk by one thread (never `caller`,
/// if given), each slot holding its chunk's sum, and the running sum as its
/// thread goes.
fn assert_slot_sums(
    n: u64,
    slots: usize,
    (sums, terms, caller): &(Vec<f64>, Vec<Term>, Option<thread::ThreadId>),
) {
    let what = format!("slot_sums({n}, {slots} slots)");
    let mut indices: Vec<u64> = terms.iter().map(|t| t.index).collect();
    indices.sort();
    assert!(
        indices == (0..n).collect::<Vec<u64>>(),
        "{what}: term was asked for the indices {indices:?}: every index of 0..{n} once"
    );
    let chunks: Vec<_> = chunks(n, slots as u64).collect();
    let mut owners = Vec::new();
    for (k, chunk) in chunks.iter().enumerate() {
        let mut by: Vec<_> = terms
            .iter()
            .filter(|t| chunk.contains(&t.index))
            .map(|t| t.thread)
            .collect();
        by.dedup();
        assert!(
            by.len() <= 1,
            "{what}: the terms of chunk {k} ({chunk:?}) were asked for by {} threads: one thread per chunk, \
             chunk k of parallel_workbook::chunks(n, slots) on thread k",
            by.len()
        );
        if let Some(owner) = by.first() {
            assert!(
                Some(*owner) != *caller,
                "{what}: chunk {k} was summed on the calling thread: every chunk runs on a thread of its own"
            );
            assert!(
                !owners.contains(owner),
                "{what}: one thread asked for the terms of two chunks: one thread per chunk"
            );
            owners.push(*owner);
        }
    }
    for (k, chunk) in chunks.iter().enumerate() {
        let want = (chunk.end - chunk.start) as f64;
        assert!(
            sums[k] == want,
            "{what}: slot {k} holds {}, but chunk {k} is {chunk:?}, {want} terms of 1.0: thread k adds the terms \
             of chunk k into slots[k]",
            sums[k]
        );
        let running = terms.iter().filter(|t| chunk.contains(&t.index));
        for (before, term) in running.enumerate() {
            assert!(
                term.slot_held == before as f64,
                "{what}: when term({}) was asked for, {before} terms of its chunk {k} had been, but slot {k} held \
                 {}: add each term to the slot as soon as you have it (the slot is the running sum)",
                term.index,
                term.slot_held
            );
        }
    }
}

#[test]
fn every_slot_sums_its_chunk_in_every_schedule_explored() {
    common::within(
        "slot_sums never returned: does every thread finish?",
        || {
            Model::random("slot_sums(7, 3 slots)", 200).check(|| {
                let (sums, terms, _) = sums_and_terms(7, 3);
                assert_slot_sums(7, 3, &(sums, terms, None));
            });
        },
    );
}

#[test]
fn each_thread_adds_its_own_chunk_into_its_own_slot() {
    for (n, slots) in [(1000, 3), (10, 4), (7, 1), (3, 5)] {
        let (sums, terms, caller) = common::within(
            "slot_sums never returned: does every thread finish?",
            move || sums_and_terms(n, slots),
        );
        assert_slot_sums(n, slots, &(sums, terms, Some(caller)));
    }
}

#[test]
fn the_threads_add_at_the_same_time() {
    let overlap = Arc::new(Overlap::new(2));
    let inside = Arc::clone(&overlap);
    common::within("slot_sums never returned", move || {
        let slots = [Slot::new(), Slot::new()];
        slot_sums(200, &slots, move |_| {
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

/// How much longer the checker's `AtomicU64` is than `std`'s: exactly 128
/// bytes, so a `Slot` holding one is exactly that much longer than it is
/// with `std` (whatever its alignment up to 128; see the facade's atomics).
fn checker_atomic_extra() -> usize {
    std::mem::size_of::<parallel_workbook::sync::atomic::AtomicU64>()
        - std::mem::size_of::<std::sync::atomic::AtomicU64>()
}

#[test]
fn every_slot_takes_128_bytes() {
    let (size, align) = (std::mem::size_of::<Slot>(), std::mem::align_of::<Slot>());
    // The Slot of the statement holds one AtomicU64.
    let with_std = size.checked_sub(checker_atomic_extra()).filter(|&s| s >= 8);
    let Some(with_std) = with_std else {
        panic!(
            "Slot is {size} bytes here, too small to hold an AtomicU64: keep the running sum in an AtomicU64 \
             (parallel_workbook::sync::atomic::AtomicU64)"
        );
    };
    let shared = if with_std < 64 {
        "one 64-byte cache line"
    } else {
        "one pair of 64-byte lines, which Intel's cores fetch together, so neighbours 64 bytes apart still interfere"
    };
    assert!(
        with_std >= 128,
        "in your program (with std's AtomicU64) a Slot is {with_std} bytes long, aligned to {align}, so in a slice of slots neighbouring sums are \
         {with_std} bytes apart: two of them can sit in {shared}. Make every Slot 128 bytes: \
         #[repr(align(128))], or padding"
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
