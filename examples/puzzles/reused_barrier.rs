//! Puzzle: a barrier from a counter and a flag, used twice (chapter 21).
//!
//! Two threads meet at the barrier, then meet again. The gate flag of the
//! first round is closed by the first arrival of the second round, before a
//! slow thread has seen it open: both wait forever. A round number fixes it,
//! as in `std::sync::Barrier`. `tests/loom.rs` (`barrier_*`) runs both.

use parallel_workbook::sync::{Condvar, Mutex};

// ANCHOR: broken
/// Broken when used twice: a count of arrivals and a gate flag.
#[derive(Debug)]
pub struct GateBarrier {
    n: usize,
    gate: Mutex<Gate>,
    opened: Condvar,
}

#[derive(Debug, Default)]
struct Gate {
    arrived: usize,
    open: bool,
}

impl GateBarrier {
    pub fn new(n: usize) -> Self {
        let gate = Mutex::new(Gate::default());
        GateBarrier {
            n,
            gate,
            opened: Condvar::new(),
        }
    }

    pub fn wait(&self) {
        let mut gate = self.gate.lock().unwrap();
        if gate.arrived == 0 {
            gate.open = false; // the first of a round closes the gate
        }
        gate.arrived += 1;
        if gate.arrived == self.n {
            gate.arrived = 0; // ready for the next round
            gate.open = true;
            self.opened.notify_all();
        } else {
            while !gate.open {
                gate = self.opened.wait(gate).unwrap();
            }
        }
    }
}
// ANCHOR_END: broken

// ANCHOR: fixed
/// Fixed: each round has a number. A waiter sleeps until the round it
/// arrived in is over, which stays true once it is true.
#[derive(Debug)]
pub struct RoundBarrier {
    n: usize,
    rounds: Mutex<Rounds>,
    round_over: Condvar,
}

#[derive(Debug, Default)]
struct Rounds {
    arrived: usize,
    round: u64,
}

impl RoundBarrier {
    pub fn new(n: usize) -> Self {
        let rounds = Mutex::new(Rounds::default());
        RoundBarrier {
            n,
            rounds,
            round_over: Condvar::new(),
        }
    }

    pub fn wait(&self) {
        let mut rounds = self.rounds.lock().unwrap();
        let mine = rounds.round;
        rounds.arrived += 1;
        if rounds.arrived == self.n {
            rounds.arrived = 0;
            rounds.round += 1;
            self.round_over.notify_all();
        } else {
            while rounds.round == mine {
                rounds = self.round_over.wait(rounds).unwrap();
            }
        }
    }
}
// ANCHOR_END: fixed
