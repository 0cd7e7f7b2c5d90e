//! Checks for exercises/10_publish.rs.
//!
//! The model test runs the learner's `Slot` under loom, which tries every
//! schedule of a worker that publishes 1.5 and a reader that takes once, and
//! lets each load read any value the orderings allow (weak memory): the
//! reader must see nothing yet or 1.5, never the starting 0.0. Then loom
//! runs it again with each ordering of the learner's file one step weaker
//! (`Model::weakest_orderings_in`): an ordering whose weaker form still
//! passes is stronger than needed, and the check names its line. Last, real
//! threads publish and take.

mod common;
#[path = "../10_publish.rs"]
mod exercise;

use exercise::Slot;
use parallel_workbook::sync::hint::spin_loop;
use parallel_workbook::sync::model::Model;
use parallel_workbook::sync::{Arc, thread};

const PUBLISHED: f64 = 1.5;

/// What `take` returned, if it is wrong.
fn wrong_take(seen: Option<f64>) -> Option<String> {
    match seen {
        None => None,
        Some(sum) if sum == PUBLISHED => None,
        Some(sum) if sum == 0.0 => Some(format!(
            "take returned Some({sum:?}), the slot's starting sum, while the worker was publishing {PUBLISHED}: \
             the reader saw the flag up and the sum not yet stored. Nothing made the sum's store visible with the flag. \
             Is the sum stored before the flag is raised, and read after the flag is seen? Does the flag's store \
             release what the worker wrote before it, and does take's load of the flag acquire it? (The steps show the sum as its bits: {PUBLISHED} is {}, 0.0 is 0.)",
            PUBLISHED.to_bits()
        )),
        Some(sum) => Some(format!(
            "take returned Some({sum:?}), but the worker published {PUBLISHED}"
        )),
    }
}

#[test]
fn the_reader_never_sees_the_flag_without_the_sum_and_no_ordering_is_stronger_than_needed() {
    common::within(
        "publish or take never returned: does either wait for something?",
        || {
            Model::exhaustive("a worker publishes 1.5 while main takes once", 5_000)
                .weakest_orderings_in("10_publish.rs")
                .check(|| {
                    let slot = Arc::new(Slot::new());
                    let worker = {
                        let slot = slot.clone();
                        thread::spawn(move || slot.publish(PUBLISHED))
                    };
                    if let Some(wrong) = wrong_take(slot.take()) {
                        panic!("{wrong}");
                    }
                    worker.join().expect("the worker panicked");
                    let after = slot.take();
                    assert!(
                        after == Some(PUBLISHED),
                        "after the worker had finished and been joined, take returned {after:?}, not Some({PUBLISHED})"
                    );
                })
        },
    );
}

#[test]
fn nothing_before_publish_and_the_sum_after() {
    let (before, after) = common::within("publish or take never returned", || {
        let slot = Slot::new();
        let before = slot.take();
        slot.publish(-2.25);
        (before, slot.take())
    });
    assert!(
        before.is_none(),
        "take on a new slot returned {before:?}: nothing was published yet, it should return None"
    );
    assert!(
        after == Some(-2.25),
        "after publish(-2.25), take returned {after:?}"
    );
}

#[test]
fn a_reader_waiting_on_another_thread_gets_the_sum() {
    let seen = common::within(
        "the reader waited for the sum for 5 s: does take ever see the flag the worker raised?",
        || {
            let slots: Arc<Vec<Slot>> = Arc::new((0..1_000).map(|_| Slot::new()).collect());
            let worker = {
                let slots = slots.clone();
                thread::spawn(move || {
                    for (k, slot) in slots.iter().enumerate() {
                        slot.publish(k as f64 + 0.5);
                    }
                })
            };
            let mut seen = Vec::new();
            for slot in slots.iter() {
                let sum = loop {
                    if let Some(sum) = slot.take() {
                        break sum;
                    }
                    spin_loop();
                };
                seen.push(sum);
            }
            worker.join().expect("the worker panicked");
            seen
        },
    );
    for (k, sum) in seen.into_iter().enumerate() {
        assert!(
            sum == k as f64 + 0.5,
            "on real threads, slot {k} gave {sum}, but the worker published {}",
            k as f64 + 0.5
        );
    }
}
