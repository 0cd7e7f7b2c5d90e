//! What one message costs: the time of one reduction of one f64 over all
//! the ranks, the operation that ends `mpi_reduce`.
//!
//!     cargo mpi -n 2 mpi_message_cost
//!
//! Compare with a thread's start-up (chapter 3). Then try more ranks than
//! cores: a rank waiting for a message spins on its core, and they take turns.

use parallel_workbook::machine::default_threads;
use std::time::Instant;
use workbook_distributed::mpi::Threading;
use workbook_distributed::mpi::collective::SystemOperation;
use workbook_distributed::mpi::traits::*;
use workbook_distributed::{ROOT, Ranks};

#[derive(clap::Args)]
struct Flags {
    /// How many reductions to time (after 100 untimed ones)
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    repeats: u32,
    /// Print one JSON object instead of a text line
    #[arg(long)]
    json: bool,
}

// ANCHOR: reduce_one
/// The times, in seconds, of `repeats` reductions of one f64 to the root,
/// as this rank sees them. A barrier before each one starts the ranks
/// together, so that each time is the operation's, not a late rank's.
fn time_reductions(ranks: &Ranks, repeats: u32) -> Vec<f64> {
    let world = ranks.world();
    let root = world.process_at_rank(ROOT);
    let mut times = Vec::with_capacity(repeats as usize);
    for _ in 0..repeats {
        let partial = 1.0_f64;
        world.barrier();
        let start = Instant::now();
        if ranks.rank() == ROOT {
            let mut total = 0.0_f64;
            root.reduce_into_root(&partial, &mut total, SystemOperation::sum());
        } else {
            root.reduce_into(&partial, SystemOperation::sum());
        }
        times.push(start.elapsed().as_secs_f64());
    }
    times
}
// ANCHOR_END: reduce_one

/// The median of some times (sorted in place).
fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let mut ranks = Ranks::start(Threading::Single, "mpi_message_cost");
    let flags: Flags = ranks.parse_flags("The time of one reduction of one f64 over the ranks");
    time_reductions(&ranks, 100); // warm-up: connections and buffers set up
    let mut times = time_reductions(&ranks, flags.repeats);
    // Each rank's median, then the slowest rank's: the reduction is over
    // only when every rank is done with it.
    let mine = median(&mut times);
    let root = ranks.world().process_at_rank(ROOT);
    if ranks.rank() != ROOT {
        root.reduce_into(&mine, SystemOperation::max());
        return;
    }
    let mut slowest = 0.0_f64;
    root.reduce_into_root(&mine, &mut slowest, SystemOperation::max());
    let size = ranks.size();
    let library = workbook_distributed::mpi::environment::library_version().unwrap_or_default();
    let library = library.lines().next().unwrap_or("").split_whitespace();
    let library = library.collect::<Vec<_>>().join(" ");
    if flags.json {
        let report = serde_json::json!({
            "strategy": "mpi_message_cost",
            "ranks": size,
            "cores": default_threads(), // on rank 0's machine
            "repeats": flags.repeats,
            "mpi_library": library,
            "reduce_seconds_root": mine,
            "reduce_seconds_slowest_rank": slowest,
        });
        println!("{report}");
    } else {
        println!(
            "mpi_message_cost  ranks={size} cores={}  one reduce of one f64: median {:.1} µs on rank 0, {:.1} µs on the slowest rank  ({} repeats; {library})",
            default_threads(),
            mine * 1e6,
            slowest * 1e6,
            flags.repeats
        );
    }
}
