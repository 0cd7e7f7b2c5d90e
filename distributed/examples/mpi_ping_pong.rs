//! Ping-pong: rank 0 sends a message to rank 1, which sends it straight
//! back, for sizes from 8 bytes to 8 MiB. Half a round trip is the time of
//! one message; a line through those times gives the α–β model: a latency
//! α per message, and β per byte (1/β is the bandwidth).
//!
//!     cargo mpi -n 2 mpi_ping_pong
//!
//! Read α, 1/β and the size at which a message spends as long on its bytes
//! as on its latency. Ranks past the first two wait, and take no part.

use parallel_workbook::machine::default_threads;
use std::time::Instant;
use workbook_distributed::Ranks;
use workbook_distributed::alpha_beta::{self, AlphaBeta};
use workbook_distributed::mpi::Threading;
use workbook_distributed::mpi::topology::SimpleCommunicator;
use workbook_distributed::mpi::traits::*;

#[derive(clap::Args)]
struct Flags {
    /// The largest message, in f64 (8 bytes each): 1, 4, 16, … up to this
    #[arg(long, default_value_t = 1 << 20, value_parser = clap::value_parser!(u64).range(1..=16_777_216))]
    max_values: u64,
    /// Round trips per size (after 10 untimed), fewer for the large sizes
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    repeats: u32,
    /// Print one JSON object instead of the table
    #[arg(long)]
    json: bool,
}

// ANCHOR: ping_pong
/// The median time of one message of `values` f64 between ranks 0 and 1:
/// half a round trip. Rank 0 sends and waits for the echo; rank 1 waits
/// for the message and sends it back. Returns `None` on the other ranks.
fn one_way(world: &SimpleCommunicator, values: usize, repeats: u32) -> Option<f64> {
    let rank = world.rank();
    let mut buffer = vec![1.0_f64; values];
    let mut times = Vec::with_capacity(repeats as usize);
    for round in 0..10 + repeats {
        let start = Instant::now();
        match rank {
            0 => {
                world.process_at_rank(1).send(&buffer[..]);
                world.process_at_rank(1).receive_into(&mut buffer[..]);
            }
            1 => {
                world.process_at_rank(0).receive_into(&mut buffer[..]);
                world.process_at_rank(0).send(&buffer[..]);
            }
            _ => return None,
        }
        if round >= 10 {
            times.push(start.elapsed().as_secs_f64() / 2.0);
        }
    }
    times.sort_by(f64::total_cmp);
    (rank == 0).then(|| times[times.len() / 2])
}
// ANCHOR_END: ping_pong

fn main() {
    let mut ranks = Ranks::start(Threading::Single, "mpi_ping_pong");
    let flags: Flags = ranks.parse_flags("Ping-pong between ranks 0 and 1, and the α–β model");
    if ranks.size() < 2 {
        ranks.refuse("mpi_ping_pong needs 2 ranks: mpiexec -n 2");
    }
    if ranks.rank() > 1 {
        ranks.wait_quietly(); // until ranks 0 and 1 are done
        return;
    }
    let sizes: Vec<u64> = std::iter::successors(Some(1_u64), |v| Some(v * 4))
        .take_while(|&v| v <= flags.max_values)
        .collect();
    let mut measured = Vec::new();
    for &values in &sizes {
        // At least 10 round trips, and about 1 GB moved per size at most.
        let repeats = flags.repeats.min((1 << 27) / values as u32 + 10).max(10);
        if let Some(t) = one_way(ranks.world(), values as usize, repeats) {
            measured.push(((values * 8) as f64, t));
        }
    }
    let fitted = alpha_beta::fit(&measured);
    if ranks.rank() == 0 {
        print(&measured, fitted, ranks.size(), flags.json);
    }
    ranks.wait_quietly();
}

fn print(measured: &[(f64, f64)], fitted: Option<AlphaBeta>, size: i32, json: bool) {
    if json {
        let report = serde_json::json!({
            "strategy": "mpi_ping_pong", "ranks": size, "cores": default_threads(),
            "bytes_and_seconds": measured,
            "alpha_seconds": fitted.map(|f| f.alpha),
            "beta_seconds_per_byte": fitted.map(|f| f.beta),
        });
        println!("{report}");
        return;
    }
    println!(
        "{:>10} {:>12} {:>12} {:>10}",
        "bytes", "one way", "α + β·n", "GB/s"
    );
    for &(bytes, t) in measured {
        let model = fitted.map_or(f64::NAN, |f| f.time(bytes));
        println!(
            "{bytes:>10} {:>9.2} µs {:>9.2} µs {:>10.2}",
            t * 1e6,
            model * 1e6,
            bytes / t / 1e9
        );
    }
    match fitted {
        Some(f) => println!(
            "fit (least relative error): α = {:.2} µs per message, β = {:.3} ns per byte (1/β = {:.1} GB/s); a message of {:.0} bytes spends as long on its bytes as on α",
            f.alpha * 1e6,
            f.beta * 1e9,
            1.0 / f.beta / 1e9,
            f.half_size()
        ),
        None => println!("fit: needs at least two sizes (raise --max-values)"),
    }
}
