//! Puzzle: three threads, three locks in a cycle (chapter 19).
//!
//! Three philosophers at a round table, a fork between each two. Each takes
//! the fork on one side, then the other: if all take their first fork at
//! once, each waits for a neighbour forever. `tests/loom.rs`
//! (`philosophers_*`) runs both versions under every schedule.

use parallel_workbook::sync::Mutex;

/// The two forks philosopher `seat` needs: its own and its neighbour's.
fn forks_of(seat: usize, forks: usize) -> (usize, usize) {
    (seat, (seat + 1) % forks)
}

// ANCHOR: broken
/// Broken: everyone takes the fork at their own seat first. The locks form
/// a cycle (0 → 1 → 2 → 0), and so can the waiting.
pub fn dine_own_fork_first(forks: &[Mutex<u32>], seat: usize) {
    let (own, next) = forks_of(seat, forks.len());
    let mut first = forks[own].lock().unwrap();
    let mut second = forks[next].lock().unwrap();
    *first += 1; // count the meals eaten with each fork
    *second += 1;
}
// ANCHOR_END: broken

// ANCHOR: fixed
/// Fixed: one global order, lower-numbered fork first. The philosopher at
/// seat 2 now takes fork 0 before fork 2, and the cycle cannot close.
pub fn dine_lower_fork_first(forks: &[Mutex<u32>], seat: usize) {
    let (own, next) = forks_of(seat, forks.len());
    let mut first = forks[own.min(next)].lock().unwrap();
    let mut second = forks[own.max(next)].lock().unwrap();
    *first += 1;
    *second += 1;
}
// ANCHOR_END: fixed
