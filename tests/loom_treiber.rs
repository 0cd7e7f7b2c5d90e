//! The lock-free stack of `examples/treiber.rs` under loom: without versions
//! its pop falls to the ABA problem, with them it hands every value out
//! exactly once. Run with
//!
//!     RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test --release --test loom_treiber
//!
//! A file of its own (not tests/loom.rs) because its models are the biggest
//! of the workbook: three threads and some thirty atomic steps.
#![cfg(loom)]

#[path = "../examples/treiber.rs"]
#[allow(dead_code)]
mod treiber;

use loom::sync::Arc;
use loom::thread;
use treiber::{Stack, TreiberStack};

// ANCHOR: aba_model
/// The stack starts as [2, 1] (2 on top), full. One thread pops once; a
/// second pops once, then pushes 3; main pops once. Then main pops whatever
/// is left. Returns every value popped, sorted: in every execution it must
/// be [1, 2, 3], each value pushed, popped once.
///
/// The ABA schedule: the first thread reads the head (the node of 2) and
/// that node's `next` (the node of 1), and stops. The second thread pops 2,
/// main pops 1, both nodes go back to the free list, and the second thread's
/// push of 3 reuses the node that held 2: the head is that node again. The
/// first thread's compare-exchange succeeds, and makes the node of 1, which
/// is free, the top of the stack.
fn pops_with_a_reused_node<const VERSIONED: bool>() -> Vec<u64> {
    let stack = Arc::new(Stack::<VERSIONED>::with_capacity(2));
    stack.push(1).unwrap();
    stack.push(2).unwrap();
    let stalled = {
        let stack = Arc::clone(&stack);
        thread::spawn(move || stack.pop())
    };
    let recycler = {
        let stack = Arc::clone(&stack);
        thread::spawn(move || {
            let popped = stack.pop();
            // Full only if the other pops have not given a node back yet.
            let pushed = stack.push(3).is_ok();
            (popped, pushed)
        })
    };
    let mut popped = vec![stack.pop()];
    popped.push(stalled.join().unwrap());
    let (recycled, pushed_3) = recycler.join().unwrap();
    popped.push(recycled);
    // Drain what is left; a stack whose lists have become a cycle would
    // pop forever, so stop after more pops than values ever pushed.
    for _ in 0..4 {
        match stack.pop() {
            Some(value) => popped.push(Some(value)),
            None => break,
        }
    }
    let mut values: Vec<u64> = popped.into_iter().flatten().collect();
    values.sort();
    if !pushed_3 {
        values.push(3); // 3 was never pushed: count it as handed back
        values.sort();
    }
    values
}

/// Runs `test` in every schedule with at most three preemptions (a thread
/// stopped where it could have gone on): the ABA schedule needs two. All
/// schedules would take minutes; loom's documentation advises a bound of 2
/// or 3. Prints how many executions it explored, when it explored them all
/// (`--nocapture` shows it).
fn model(test: impl Fn() + Sync + Send + 'static) {
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
    let executions = std::sync::Arc::new(AtomicU64::new(0));
    let count = std::sync::Arc::clone(&executions);
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(3);
    builder.check(move || {
        count.fetch_add(1, Relaxed);
        test();
    });
    println!(
        "loom explored {} executions, with at most 3 preemptions each",
        executions.load(Relaxed)
    );
}

#[test]
#[should_panic(expected = "a value popped twice or lost")]
fn without_versions_a_reused_node_pops_a_value_twice() {
    model(|| {
        let values = pops_with_a_reused_node::<false>();
        assert_eq!(values, [1, 2, 3], "a value popped twice or lost");
    });
}

#[test]
fn with_versions_every_value_is_popped_once() {
    model(|| {
        let values = pops_with_a_reused_node::<true>();
        assert_eq!(values, [1, 2, 3], "a value popped twice or lost");
    });
}
// ANCHOR_END: aba_model

/// Two threads push and pop one value each on the versioned stack, starting
/// empty: both values come out, whatever the schedule.
#[test]
fn two_pushers_and_poppers_get_both_values() {
    loom::model(|| {
        let stack = Arc::new(TreiberStack::with_capacity(2));
        let other = {
            let stack = Arc::clone(&stack);
            thread::spawn(move || {
                stack.push(20).unwrap();
                stack.pop()
            })
        };
        stack.push(10).unwrap();
        let mine = stack.pop();
        let mut values = vec![mine.unwrap(), other.join().unwrap().unwrap()];
        values.sort();
        assert_eq!(values, [10, 20]);
        assert_eq!(stack.pop(), None);
    });
}
