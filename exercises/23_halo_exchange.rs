// ANCHOR: statement
//! # 22 · The halo exchange
//!
//! The rod of chapter 26.1's heat equation is split over the ranks, a
//! stretch of cells each, in a chain: rank 0 holds the left end, the last
//! rank the right end. Each rank keeps its cells in `u` with one more value
//! at each end, a *halo*: `u[0]` and `u[u.len() − 1]`. The stencil of an
//! edge cell reads one cell of the neighbour's stretch, so before every
//! step each rank must
//!
//! - send its first cell, `u[1]`, to its left neighbour, and its last cell,
//!   `u[u.len() − 2]`, to its right neighbour;
//! - put what the left neighbour sends into `u[0]`, and what the right one
//!   sends into `u[u.len() − 1]`.
//!
//! A rank at an end of the chain has no neighbour on that side (`None`):
//! its halo there is the rod's fixed end, which stays as it is.
//!
//! `chain.left` and `chain.right` offer `send(value)`, `receive()` and
//! `send_receive(value)`. Their `send` waits until the neighbour starts to
//! receive, as a large halo's send does under every MPI: if two neighbours
//! both send first, each waits for the other, for ever. `main` is written:
//! it runs the steps and compares the rod, on rank 0, with the sequential
//! solve, bit for bit.
//!
//! Book: Part 6 › MPI messages (book/part6/26-1-mpi-messages.md)
//! Check: `cargo workbook check 23_halo_exchange` (needs MPI: it runs this
//! program under `mpiexec -n 3`)
// ANCHOR_END: statement

use workbook_distributed::halo::{self, Chain};

/// Sends this rank's edge cells to its neighbours and receives theirs into the halos.
pub fn exchange_halos(chain: &Chain, u: &mut [f64]) {
    // TODO: u[1] goes left, u[last - 1] goes right; the left neighbour's value into u[0], the right one's into u[last].
    let last = u.len() - 1;
    let _ = (chain, last);
    todo!("exchange the halos of rank {}", chain.rank)
}

fn main() {
    halo::solve_and_compare("23_halo_exchange", exchange_halos);
}
