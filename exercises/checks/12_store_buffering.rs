//! Checks for exercises/12_store_buffering.rs.
//!
//! The model test runs the learner's `try_enter` and `leave` under loom,
//! which tries every schedule of two threads that each try once, and lets
//! each load read any value the orderings allow (weak memory): the two must
//! never both go in. Afterwards, with both threads gone, a thread alone must
//! get in. Then real threads: the protocol step by step, and many rounds.
//!
//! loom treats `SeqCst` loads and stores almost as `AcqRel` (chapter 18.3):
//! it keeps one rule, that a `SeqCst` load does not read a `SeqCst` store
//! older than a newer `SeqCst` store to the same atomic. A flag's starting
//! value is no `SeqCst` store, so the model writes each flag's `false` again
//! with a `SeqCst` store before the threads start; without it, loom would
//! report both threads in for a right `SeqCst` solution. The extra store
//! changes nothing for weaker orderings: their loads may read it or the
//! starting value, both `false`.

mod common;
#[path = "../12_store_buffering.rs"]
mod exercise;

use exercise::{leave, try_enter};
use parallel_workbook::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use parallel_workbook::sync::model::{self, Model};
use parallel_workbook::sync::{Arc, thread};

const BOTH_IN: &str = "both threads went in at once: each read the other's flag as down. \
     Did a thread look before its own flag was raised? If not, each load read the other flag's old `false`, \
     although the other thread had raised it first: the store-buffering outcome (chapter 18.3), which \
     Relaxed and Release/Acquire allow. Each thread stores one atomic, then loads another, and needs the other \
     thread to see the two in that order (chapter 18.3 says which orderings do that)";

#[test]
fn never_both_in_the_room_in_any_schedule_and_a_thread_alone_gets_in() {
    common::within(
        "try_enter or leave never returned: does either wait for something?",
        || {
            let search = Model::exhaustive("two threads each call try_enter once", 5_000).explore(|| {
                let flags = Arc::new([AtomicBool::new(false), AtomicBool::new(false)]);
                model::name(&flags[0], "main's flag");
                model::name(&flags[1], "thread 1's flag");
                // The starting values as SeqCst stores (see the module comment).
                model::note("(the check) writes both flags' starting false again, for loom");
                flags[0].store(false, SeqCst);
                flags[1].store(false, SeqCst);
                // Neither leaves before both have tried: both true is both
                // in the room at once.
                let other = {
                    let flags = flags.clone();
                    thread::spawn(move || try_enter(&flags[1], &flags[0]))
                };
                let main_in = try_enter(&flags[0], &flags[1]);
                let other_in = other.join().expect("thread 1 panicked");
                assert!(!(main_in && other_in), "{BOTH_IN}");
                // Whoever went in leaves; after the join, everything thread 1
                // did is visible. A thread alone must get in now.
                for (went_in, flag) in [(main_in, &flags[0]), (other_in, &flags[1])] {
                    if went_in {
                        leave(flag);
                    }
                }
                let alone = try_enter(&flags[0], &flags[1]);
                assert!(
                    alone,
                    "after both threads had tried (main {}, thread 1 {}) and whoever went in had left, main could not get in alone: \
                     a flag was still up. Does a thread that stays out lower its own flag, and does leave lower it?",
                    if main_in { "went in" } else { "stayed out" },
                    if other_in { "went in" } else { "stayed out" },
                );
                leave(&flags[0]);
            });
            let used = match &search {
                Ok(explored) => explored.orderings(),
                Err(failure) => &failure.orderings,
            };
            refuse_reads_loom_cannot_check(used);
            if let Err(failure) = search {
                panic!("{failure}");
            }
        },
    );
}

/// loom runs every read-modify-write on the atomic's newest value, so it
/// never shows a read-modify-write that *reads* the other thread's flag
/// reading an older one, which the memory model allows with orderings
/// weaker than `SeqCst`. Such a solution may be wrong (or right) in a way
/// this check cannot see: say so, rather than pass or fail it on loom's word.
fn refuse_reads_loom_cannot_check(used: &[model::OrderingUse]) {
    let theirs = |thread: usize| {
        if thread == 0 {
            "thread 1's flag"
        } else {
            "main's flag"
        }
    };
    if let Some(read) = used
        .iter()
        .find(|u| u.site.is_read_modify_write() && u.on == theirs(u.thread))
    {
        panic!(
            "at {}, try_enter reads the other thread's flag with {}, a read-modify-write. loom, which this check uses, \
             runs every read-modify-write on the newest value, so it cannot show whether this read could see an older one: \
             the check cannot tell whether your code is right. Read the other's flag with load.",
            read.site, read.site.operation
        );
    }
}

#[test]
fn the_protocol_step_by_step() {
    let steps = common::within("try_enter or leave never returned", || {
        let (a, b) = (AtomicBool::new(false), AtomicBool::new(false));
        let alone = try_enter(&a, &b);
        let while_a_is_in = try_enter(&b, &a);
        let b_lowered = !b.load(SeqCst);
        leave(&a);
        let a_lowered = !a.load(SeqCst);
        let after_a_left = try_enter(&b, &a);
        (alone, while_a_is_in, b_lowered, a_lowered, after_a_left)
    });
    let (alone, while_a_is_in, b_lowered, a_lowered, after_a_left) = steps;
    assert!(
        alone,
        "with both flags down, try_enter returned false: a thread alone must get in"
    );
    assert!(
        !while_a_is_in,
        "while thread A was in the room (its flag up), try_enter for B returned true: B must look at A's flag and stay out"
    );
    assert!(
        b_lowered,
        "B stayed out but its flag is still up: a thread that stays out lowers its flag, or the other can never go in again"
    );
    assert!(
        a_lowered,
        "after leave, the leaving thread's flag is still up"
    );
    assert!(
        after_a_left,
        "after A left, try_enter for B returned false: with both flags down, it must get in"
    );
}

#[test]
fn never_both_in_on_real_threads() {
    let rounds = 20_000;
    let most = common::within(
        "two threads trying 20000 times each never finished",
        move || {
            let flags = Arc::new([AtomicBool::new(false), AtomicBool::new(false)]);
            let inside = Arc::new(AtomicUsize::new(0));
            let most = Arc::new(AtomicUsize::new(0));
            let side = move |me: usize| {
                let (flags, inside, most) = (flags.clone(), inside.clone(), most.clone());
                move || {
                    for _ in 0..rounds {
                        if try_enter(&flags[me], &flags[1 - me]) {
                            let now = inside.fetch_add(1, SeqCst) + 1;
                            most.fetch_max(now, SeqCst);
                            inside.fetch_sub(1, SeqCst);
                            leave(&flags[me]);
                        }
                    }
                    most.load(SeqCst)
                }
            };
            let other = thread::spawn(side(1));
            let mine = side(0)();
            mine.max(other.join().expect("a thread panicked"))
        },
    );
    assert!(most <= 1, "on real threads: {BOTH_IN}");
}
