// Right, unusual: plain sends and receives, ordered by rank parity (even ranks send first, odd ranks receive first), each direction in turn.

use workbook_distributed::halo::{self, Chain};

/// Sends this rank's edge cells to its neighbours and receives theirs into the halos.
pub fn exchange_halos(chain: &Chain, u: &mut [f64]) {
    let last = u.len() - 1;
    let even = chain.rank % 2 == 0;
    // Rightwards: my last cell becomes the right neighbour's left halo.
    let pass_right = |u: &mut [f64]| {
        if let Some(right) = &chain.right {
            right.send(u[last - 1]);
        }
    };
    let take_left = |u: &mut [f64]| {
        if let Some(left) = &chain.left {
            u[0] = left.receive();
        }
    };
    if even {
        pass_right(u);
        take_left(u);
    } else {
        take_left(u);
        pass_right(u);
    }
    // Leftwards: the same, the other way round.
    let pass_left = |u: &mut [f64]| {
        if let Some(left) = &chain.left {
            left.send(u[1]);
        }
    };
    let take_right = |u: &mut [f64]| {
        if let Some(right) = &chain.right {
            u[last] = right.receive();
        }
    };
    if even {
        pass_left(u);
        take_right(u);
    } else {
        take_right(u);
        pass_left(u);
    }
}

fn main() {
    halo::solve_and_compare("23_halo_exchange", exchange_halos);
}
