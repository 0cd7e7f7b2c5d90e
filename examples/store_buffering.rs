//! Store buffering, the one reordering an x86-64 processor really does: two
//! threads each raise their own flag, then look at the other's. Can both see
//! the other's flag still down? With `Relaxed` (or `Release`/`Acquire`): yes.
//!
//!     cargo run --release --example store_buffering -- --ordering relaxed
//!     cargo run --release --example store_buffering -- --ordering seqcst
//!
//! Look at "both saw 0": a count above zero for relaxed, zero for seqcst.
//! Also a module of tests/loom.rs, which proves what the counts suggest.

use clap::ValueEnum;
use parallel_workbook::cli;
use parallel_workbook::sync::atomic::{AtomicBool, AtomicU64, Ordering, fence};
use serde::Serialize;
use std::thread;

// A compiler fence is a promise about this thread's code only, so loom has
// nothing to model: std's is the right one in both builds.
use std::sync::atomic::compiler_fence;

/// Which orderings the two threads use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Orderings {
    /// `Relaxed` store, `Relaxed` load
    Relaxed,
    /// `Release` store, `Acquire` load
    ReleaseAcquire,
    /// `SeqCst` store, `SeqCst` load
    Seqcst,
    /// `Relaxed` store, `fence(SeqCst)`, `Relaxed` load
    SeqcstFence,
    /// `Relaxed` store, `compiler_fence(SeqCst)`, `Relaxed` load
    CompilerFence,
}

// ANCHOR: raise_then_look
/// One thread's half of the test: raise my flag, then read the other's.
/// Returns what it read: `false` means "the other had not raised it yet".
pub fn raise_then_look(mine: &AtomicBool, theirs: &AtomicBool, orderings: Orderings) -> bool {
    use Ordering::{Acquire, Relaxed, Release, SeqCst};
    match orderings {
        Orderings::Relaxed => {
            mine.store(true, Relaxed);
            theirs.load(Relaxed)
        }
        Orderings::ReleaseAcquire => {
            mine.store(true, Release);
            theirs.load(Acquire)
        }
        Orderings::Seqcst => {
            mine.store(true, SeqCst);
            theirs.load(SeqCst)
        }
        Orderings::SeqcstFence => {
            mine.store(true, Relaxed);
            fence(SeqCst);
            theirs.load(Relaxed)
        }
        Orderings::CompilerFence => {
            mine.store(true, Relaxed);
            compiler_fence(SeqCst);
            theirs.load(Relaxed)
        }
    }
}
// ANCHOR_END: raise_then_look

/// How many trials ended in each of the four outcomes, indexed by what
/// thread A read and what thread B read: `[a as usize][b as usize]`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Outcomes(pub [[u64; 2]; 2]);

impl Outcomes {
    /// Trials in which each thread read the other's flag as still down.
    pub fn both_saw_0(&self) -> u64 {
        self.0[0][0]
    }
}

// ANCHOR: stress
/// Runs `trials` rounds of the test on two threads. Each round uses two
/// fresh flags (one pair per round, so nothing needs resetting), and both
/// threads meet at a spin barrier first, so that their stores and loads
/// really overlap in time.
pub fn stress(trials: usize, orderings: Orderings) -> Outcomes {
    let a_flags: Vec<AtomicBool> = (0..trials).map(|_| AtomicBool::new(false)).collect();
    let b_flags: Vec<AtomicBool> = (0..trials).map(|_| AtomicBool::new(false)).collect();
    let arrived = AtomicU64::new(0);
    let side = |mine: &[AtomicBool], theirs: &[AtomicBool]| -> Vec<bool> {
        (0..trials)
            .map(|round| {
                meet(&arrived, round as u64);
                raise_then_look(&mine[round], &theirs[round], orderings)
            })
            .collect()
    };
    let (seen_by_a, seen_by_b) = thread::scope(|s| {
        let a = s.spawn(|| side(&a_flags, &b_flags));
        let b = side(&b_flags, &a_flags);
        (a.join().unwrap(), b)
    });
    let mut outcomes = Outcomes::default();
    for (a, b) in seen_by_a.into_iter().zip(seen_by_b) {
        outcomes.0[a as usize][b as usize] += 1;
    }
    outcomes
}

/// Two threads meet before round `round`: each counts itself in, then waits
/// until both have. (After a long wait it yields, so that a busy machine
/// can run the other thread.)
fn meet(arrived: &AtomicU64, round: u64) {
    arrived.fetch_add(1, Ordering::SeqCst);
    let mut spins = 0u32;
    while arrived.load(Ordering::SeqCst) < 2 * (round + 1) {
        spins += 1;
        if spins.is_multiple_of(1024) {
            thread::yield_now();
        }
        std::hint::spin_loop();
    }
}
// ANCHOR_END: stress

#[derive(clap::Args)]
struct StoreBufferingFlags {
    /// The orderings of each thread's store and load
    #[arg(long, value_enum, default_value_t = Orderings::Relaxed)]
    ordering: Orderings,
    /// How many rounds to run (1e6 and 1_000_000 are accepted)
    #[arg(long, default_value = "1e6", value_parser = cli::parse_count)]
    trials: u64,
    /// Print one JSON object instead of a text line
    #[arg(long)]
    json: bool,
}

/// More rounds than this would take minutes and gigabytes of flags.
const MAX_TRIALS: u64 = 100_000_000;

fn main() {
    let flags = cli::parse_own_flags::<StoreBufferingFlags>(
        "Store buffering: can both threads read the other's flag as still down?",
    );
    if flags.trials > MAX_TRIALS {
        cli::exit_with_error(&format!("--trials: at most {MAX_TRIALS}"));
    }
    let outcomes = stress(flags.trials as usize, flags.ordering);
    let [[both_0, a0_b1], [a1_b0, both_1]] = outcomes.0;
    let name = flags
        .ordering
        .to_possible_value()
        .expect("no skipped variants");
    if flags.json {
        let report = serde_json::json!({
            "ordering": flags.ordering,
            "trials": flags.trials,
            "both_saw_0": both_0,
            "a_saw_0_b_saw_1": a0_b1,
            "a_saw_1_b_saw_0": a1_b0,
            "both_saw_1": both_1,
        });
        println!("{report}");
    } else {
        println!(
            "{:<15} trials={}  both saw 0: {both_0}  a 0, b 1: {a0_b1}  a 1, b 0: {a1_b0}  both saw 1: {both_1}",
            name.get_name(),
            flags.trials,
        );
    }
}
