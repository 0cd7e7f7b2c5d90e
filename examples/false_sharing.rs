//! False sharing: every thread adds each of its terms into a slot of its own.
//! No value is shared, yet slots side by side in memory run several times
//! slower than slots a cache line apart, when two cores run at once.
//!
//!     cargo run --release --example false_sharing -- --layout adjacent --n 1e8 --compare
//!     cargo run --release --example false_sharing -- --layout padded --n 1e8 --compare
//!
//! Then try both with --threads 1: one thread alone shows no gap at all.
//!
//! Also a module of examples/shared/strategies.rs (scaling, compare, benches, tests).

use parallel_workbook::cli;
use parallel_workbook::{Problem, chunk};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

// ANCHOR: slots
/// One thread's running sum: an f64 kept as bits in an `AtomicU64`, added to
/// with an atomic read-modify-write (`fetch_update` is chapter 18's
/// compare-and-swap loop, written for you). Only the slot's own thread
/// writes it, so the loop never retries; it stands for the per-thread
/// counters that real programs bump with `fetch_add`. Each update needs the
/// slot's cache line in this core's cache, exclusively, at once.
#[derive(Default)]
pub struct Slot(AtomicU64);

impl Slot {
    pub fn add(&self, term: f64) {
        let add = |bits| Some((f64::from_bits(bits) + term).to_bits());
        let _ = self.0.fetch_update(Relaxed, Relaxed, add);
    }

    pub fn get(&self) -> f64 {
        f64::from_bits(self.0.load(Relaxed))
    }
}

/// The same slot, aligned (and so padded) to 128 bytes: two of them never
/// share a 64-byte cache line, nor the pair of lines that Intel's cores
/// prefetch together. (crossbeam's `CachePadded` does this for real code.)
#[derive(Default)]
#[repr(align(128))]
pub struct PaddedSlot(Slot);
// ANCHOR_END: slots

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// `Vec<Slot>`: 8-byte slots side by side, eight to a cache line
    Adjacent,
    /// `Vec<PaddedSlot>`: each slot alone on 128 bytes
    Padded,
}

// ANCHOR: integrate
pub fn integrate(problem: &Problem, threads: usize, layout: Layout) -> f64 {
    match layout {
        Layout::Adjacent => sum_in_slots(problem, threads, |slot: &Slot| slot),
        Layout::Padded => sum_in_slots(problem, threads, |slot: &PaddedSlot| &slot.0),
    }
}

/// T scoped threads, one slot each (`slot` finds the `Slot` inside `S`).
/// Thread k adds every term of chunk k into its own slot, one store per term.
fn sum_in_slots<S: Default + Sync>(
    problem: &Problem,
    threads: usize,
    slot: fn(&S) -> &Slot,
) -> f64 {
    let slots: Vec<S> = (0..threads).map(|_| S::default()).collect();
    thread::scope(|scope| {
        for (k, mine) in slots.iter().enumerate() {
            let (problem, mine) = (*problem, slot(mine));
            scope.spawn(move || {
                for i in chunk(problem.n, threads as u64, k as u64) {
                    mine.add(Problem::f(problem.x(i)));
                }
            });
        }
    });
    slots.iter().map(|s| slot(s).get()).sum::<f64>() * problem.dx()
}
// ANCHOR_END: integrate

#[derive(clap::Args)]
struct FalseSharingFlags {
    /// Where the per-thread slots sit in memory
    #[arg(long, value_enum, default_value_t = Layout::Adjacent)]
    layout: Layout,
}

fn main() {
    let (args, flags) = cli::parse::<FalseSharingFlags>(
        "Per-thread slots updated on every term: adjacent or padded",
        100_000_000,
    );
    let name = match flags.layout {
        Layout::Adjacent => "slots/adjacent",
        Layout::Padded => "slots/padded",
    };
    args.run(name, |problem, threads| {
        integrate(problem, threads, flags.layout)
    });
}
