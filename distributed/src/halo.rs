//! What the halo-exchange exercise (`23_halo_exchange`) is given: the rank's neighbours in
//! the chain of ranks that share the rod of chapter 26.1, with sends that
//! wait for their receiver, and the program around the learner's
//! `exchange_halos` (the rod split over the ranks, the steps, the whole rod
//! gathered on rank 0 and compared with the sequential solve, bit for bit).
//!
//! Why sends that wait: a blocking `send` of one `f64` returns at once under
//! every MPI library (a small message is copied aside, the *eager*
//! protocol), so two neighbours that both send first would pass on this
//! rod and deadlock on a real one, whose halos are large (the *rendezvous*
//! protocol: chapter 26.1). [`Neighbour::send`] is `MPI_Ssend`, which
//! returns only once the receiver has started to take the message: an
//! order of calls that can deadlock does, on every run, whatever the MPI.

use mpi::point_to_point as p2p;
use mpi::topology::{Process, SimpleCommunicator};
use mpi::traits::*;

/// One neighbour in the chain of ranks.
pub struct Neighbour<'a>(Process<'a>);

impl Neighbour<'_> {
    /// Sends `value` to this neighbour; returns once the neighbour has
    /// started to receive it (`MPI_Ssend`), as a large message's send does.
    pub fn send(&self, value: f64) {
        self.0.synchronous_send(&value);
    }

    /// Waits for this neighbour's next value (`MPI_Recv`).
    pub fn receive(&self) -> f64 {
        self.0.receive::<f64>().0
    }

    /// Sends `value` to this neighbour and receives its value, in one call
    /// (`MPI_Sendrecv`): neither waits for the other to go first.
    pub fn send_receive(&self, value: f64) -> f64 {
        p2p::send_receive::<f64, _, _, _>(&value, &self.0, &self.0).0
    }
}

/// This rank's place in the chain: its rank and its neighbours (none past
/// the ends of the rod).
pub struct Chain<'a> {
    pub rank: i32,
    pub left: Option<Neighbour<'a>>,
    pub right: Option<Neighbour<'a>>,
}

impl<'a> Chain<'a> {
    pub fn of(world: &'a SimpleCommunicator) -> Chain<'a> {
        let (rank, size) = (world.rank(), world.size());
        Chain {
            rank,
            left: (rank > 0).then(|| Neighbour(world.process_at_rank(rank - 1))),
            right: (rank + 1 < size).then(|| Neighbour(world.process_at_rank(rank + 1))),
        }
    }
}

#[derive(clap::Args)]
struct Flags {
    /// Cells of the rod, split over the ranks
    #[arg(long, default_value_t = 1000, value_parser = parallel_workbook::cli::parse_count)]
    cells: u64,
    /// Time steps
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    steps: u64,
}

/// The program of the halo-exchange exercise around the learner's `exchange_halos`: each
/// rank takes its chunk of the rod's cells with a halo on each side (the
/// rod's fixed end, at the ends of the chain), and before every step calls
/// `exchange_halos`; then rank 0 gathers the rod and prints one JSON line:
/// whether every cell has the bits of the sequential solve, and the first
/// that does not.
pub fn solve_and_compare(program: &str, exchange_halos: fn(&Chain, &mut [f64])) {
    use crate::Ranks;
    use crate::heat::{self, Rod};
    use mpi::Count;
    use mpi::datatype::PartitionMut;
    use parallel_workbook::chunk;

    let mut ranks = Ranks::start(mpi::Threading::Single, program);
    let flags: Flags =
        ranks.parse_flags("The halo-exchange exercise: the 1-D heat equation over ranks");
    let size = ranks.size() as u64;
    if flags.cells < size || flags.cells > 1 << 24 {
        ranks.refuse(&format!(
            "--cells {}: between one cell per rank ({size}) and 2^24",
            flags.cells
        ));
    }
    let rod = Rod {
        a: 0.0,
        b: 10.0,
        cells: flags.cells,
    };
    let world = ranks.world();
    let mine = chunk(rod.cells, size, ranks.rank() as u64);
    let (left_end, right_end) = rod.ends();
    let mut u: Vec<f64> = std::iter::once(left_end)
        .chain(mine.map(|i| rod.initial(i)))
        .chain(std::iter::once(right_end))
        .collect();
    let mut next = u.clone();
    let last = u.len() - 1;
    let chain = Chain::of(world);
    for _ in 0..flags.steps {
        exchange_halos(&chain, &mut u);
        heat::step(&u, &mut next[1..last]);
        (next[0], next[last]) = (u[0], u[last]);
        std::mem::swap(&mut u, &mut next);
    }
    let root = world.process_at_rank(crate::ROOT);
    if ranks.rank() != crate::ROOT {
        root.gather_varcount_into(&u[1..last]);
        return;
    }
    let part = |k| chunk(rod.cells, size, k);
    let counts: Vec<Count> = (0..size).map(|k| part(k).count() as Count).collect();
    let starts: Vec<Count> = (0..size).map(|k| part(k).start as Count).collect();
    let mut cells = vec![0.0_f64; rod.cells as usize];
    root.gather_varcount_into_root(
        &u[1..last],
        &mut PartitionMut::new(&mut cells[..], &counts[..], &starts[..]),
    );
    let expected = heat::solve_sequentially(&rod, flags.steps);
    let first_difference = (0..cells.len())
        .find(|&i| cells[i].to_bits() != expected[i].to_bits())
        .map(|i| serde_json::json!({ "cell": i, "got": cells[i], "expected": expected[i] }));
    let report = serde_json::json!({
        "program": program, "ranks": size, "cells": rod.cells, "steps": flags.steps,
        "same_bits_as_sequential": first_difference.is_none(),
        "first_difference": first_difference,
    });
    println!("{report}");
}
