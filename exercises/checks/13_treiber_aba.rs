//! Checks for exercises/13_treiber_aba.rs.
//!
//! The model test runs the learner's `FreeList` under loom, which tries
//! every schedule of two threads with the weak memory of their orderings: a
//! pool of three slots, one thread takes a slot, while main takes two and
//! gives the first back (the ABA schedule of chapter 18.4 is one of them).
//! In every schedule each slot must end up in exactly one place: held by a
//! thread, or free in the list. Then real threads take and give back.

mod common;
#[path = "../13_treiber_aba.rs"]
mod exercise;

use exercise::FreeList;
use parallel_workbook::sync::atomic::{AtomicBool, Ordering::SeqCst};
use parallel_workbook::sync::model::Model;
use parallel_workbook::sync::{Arc, thread};

const SLOTS: usize = 3;

/// How to read the steps: the check cannot name the learner's private atomics.
const LABELS: &str = "(The steps name each atomic by its type. In the file as given, the AtomicU64 is head, \
     AtomicU32 #k is the next of slot k − 1, and 4294967295 is END; a head with a version in its high 32 bits \
     shows as version × 4294967296 + slot.)";

/// Where each slot of a pool of [`SLOTS`] is at the end: what each holder
/// holds, and what the list hands out when it is drained. Returns what is
/// wrong, if anything.
fn misplaced(holders: &[(&str, Option<usize>)], free: &[usize]) -> Option<String> {
    let mut places: Vec<Vec<String>> = vec![Vec::new(); SLOTS];
    for (who, slot) in holders {
        if let Some(slot) = slot {
            places[*slot].push(format!("{who} holds it"));
        }
    }
    for slot in free {
        places[*slot].push("the free list hands it out".to_string());
    }
    for (slot, at) in places.iter().enumerate() {
        if at.len() > 1 {
            return Some(format!(
                "slot {slot} was handed out twice: {}. A take read the head and the top slot's next, and before its \
                 compare_exchange another thread took that slot and the one below and gave the first back: the head \
                 looked unchanged (ABA), and the stale next went on top. Does the head tell a slot that came back \
                 from the same slot before it left? (Or: does take read a next that give_back has not published yet? \
                 give_back's compare_exchange must release it, take's loads acquire it.) {LABELS}",
                at.join("; ")
            ));
        }
        if at.is_empty() {
            return Some(format!(
                "slot {slot} was lost: no thread holds it, and the free list no longer hands it out. \
                 Did a compare_exchange put a stale next on top of the list? {LABELS}"
            ));
        }
    }
    None
}

/// Takes every slot left in the list (stopping after more than there are,
/// in case the list has become a cycle).
fn drain(list: &FreeList) -> Vec<usize> {
    let mut free = Vec::new();
    while let Some(slot) = list.take() {
        free.push(slot);
        if free.len() > SLOTS {
            break;
        }
    }
    free
}

#[test]
fn no_slot_is_handed_out_twice_or_lost_in_any_schedule() {
    common::within(
        "take or give_back never returned: does a loop never end?",
        || {
            Model::exhaustive(
                "thread 1 takes a slot, while main takes two and gives the first back",
                20_000,
            )
            .check(|| {
                let list = Arc::new(FreeList::with_slots(SLOTS));
                let other = {
                    let list = list.clone();
                    thread::spawn(move || list.take())
                };
                let first = list.take();
                let second = list.take();
                if let Some(first) = first {
                    list.give_back(first);
                }
                let theirs = other.join().expect("thread 1 panicked");
                let free = drain(&list);
                if let Some(wrong) = misplaced(&[("main", second), ("thread 1", theirs)], &free) {
                    panic!("{wrong}");
                }
            })
        },
    );
}

#[test]
fn slots_come_out_in_stack_order() {
    let (taken, none_left, again) = common::within("take or give_back never returned", || {
        let list = FreeList::with_slots(SLOTS);
        let taken: Vec<Option<usize>> = (0..SLOTS).map(|_| list.take()).collect();
        let none_left = list.take();
        list.give_back(1);
        list.give_back(2);
        let again = (list.take(), list.take(), list.take());
        (taken, none_left, again)
    });
    assert_eq!(
        taken,
        [Some(0), Some(1), Some(2)],
        "a new pool of 3 slots should hand out 0, 1, 2 (0 on top)"
    );
    assert_eq!(
        none_left, None,
        "with every slot taken, take should return None"
    );
    assert_eq!(
        again,
        (Some(2), Some(1), None),
        "after give_back(1) and give_back(2), take should return 2, then 1 (a stack), then None"
    );
    let empty = FreeList::with_slots(0);
    assert_eq!(empty.take(), None, "a pool of 0 slots has none to take");
}

#[test]
fn no_slot_is_held_twice_on_real_threads() {
    let (threads, rounds) = (4, 20_000);
    let twice = common::within(
        "4 threads taking and giving back slots never finished",
        move || {
            let list = Arc::new(FreeList::with_slots(threads));
            let in_use: Arc<Vec<AtomicBool>> =
                Arc::new((0..threads).map(|_| AtomicBool::new(false)).collect());
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    let (list, in_use) = (list.clone(), in_use.clone());
                    thread::spawn(move || {
                        for _ in 0..rounds {
                            let slot = list.take().expect("one slot per thread: never empty");
                            if in_use[slot].swap(true, SeqCst) {
                                return Some(slot);
                            }
                            in_use[slot].store(false, SeqCst);
                            list.give_back(slot);
                        }
                        None
                    })
                })
                .collect();
            workers
                .into_iter()
                .filter_map(|w| w.join().expect("a thread panicked"))
                .next()
        },
    );
    assert!(
        twice.is_none(),
        "on real threads, slot {} was handed out while another thread held it",
        twice.unwrap_or_default()
    );
}
