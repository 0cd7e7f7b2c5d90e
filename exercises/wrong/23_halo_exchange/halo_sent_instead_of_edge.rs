// Sends the halos themselves, u[0] and u[last], instead of the edge cells u[1] and u[last - 1].

use workbook_distributed::halo::{self, Chain};

/// Sends this rank's edge cells to its neighbours and receives theirs into the halos.
pub fn exchange_halos(chain: &Chain, u: &mut [f64]) {
    let last = u.len() - 1;
    if let Some(left) = &chain.left {
        u[0] = left.send_receive(u[0]);
    }
    if let Some(right) = &chain.right {
        u[last] = right.send_receive(u[last]);
    }
}

fn main() {
    halo::solve_and_compare("23_halo_exchange", exchange_halos);
}
