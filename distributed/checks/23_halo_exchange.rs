//! Checks for exercises/23_halo_exchange.rs.
//!
//! The learner's file is a program of this package (`23_halo_exchange` in
//! distributed/Cargo.toml), which these checks run under `mpiexec`: the rod
//! split over 3 ranks (a cell count that 3 does not divide, and one cell
//! on each rank) and on 1 rank alone (no neighbour on either side). Rank
//! 0 gathers the rod and compares every cell with the sequential solve, bit
//! for bit: each new value is the same three numbers through the same
//! arithmetic, whoever computes it, so any difference is a halo that held
//! the wrong value. No model test: the ranks are processes that share
//! nothing, and MPI's own library does the communication. What makes a
//! deadlock certain rather than likely is the program's `send`
//! (`workbook_distributed::halo`), `MPI_Ssend`: it waits for its receiver
//! under every MPI library, as a large halo's send would, so two neighbours
//! that both send first wait for each other on every run; the job's time
//! limit then fails the check with a message, instead of hanging it.

#[path = "../../exercises/checks/common.rs"]
mod common;

use std::path::Path;
use workbook_distributed::mpiexec::{self, Failed, Finished};

const PROGRAM: &str = env!("CARGO_BIN_EXE_23_halo_exchange");

/// Runs the learner's program as a job of `ranks` ranks.
fn job(ranks: u32, cells: u64, steps: u64) -> (String, Finished) {
    let (cells_text, steps_text) = (cells.to_string(), steps.to_string());
    let args = ["--cells", &cells_text, "--steps", &steps_text];
    let command = format!("mpiexec -n {ranks} 23_halo_exchange {}", args.join(" "));
    match mpiexec::run_without_backtraces(ranks, Path::new(PROGRAM), &args, common::PATIENCE) {
        Ok(finished) => (command, finished),
        Err(Failed::NoLauncher(why)) => panic!(
            "cannot start mpiexec ({why}): this check needs MPI. {}",
            workbook_distributed::install_mpi()
        ),
        Err(Failed::TimedOut { stdout, .. }) => panic!(
            "{command}: no result after {} s, so the job was killed: a deadlock, or a rank that never ends. Do \
             two neighbours both call \
             send before either calls receive? Each send here waits for its receiver (as a large halo's does \
             under any MPI), so both wait for ever. Use send_receive, or order the calls so that one of each \
             pair receives first (by rank parity, say).{}",
            common::PATIENCE.as_secs(),
            shown("It printed", &stdout)
        ),
    }
}

/// The last lines of some output, for a failure message.
fn shown(what: &str, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let tail = &lines[lines.len().saturating_sub(12)..];
    if tail.is_empty() {
        String::new()
    } else {
        format!("\n{what}:\n{}", tail.join("\n"))
    }
}

/// The job's one report, from rank 0.
fn report(command: &str, job: &Finished) -> serde_json::Value {
    assert!(
        job.status.success(),
        "{command} failed ({}): a rank ended with an error, shown below. (A rank at an end of the chain \
         has no neighbour on that side: chain.left or chain.right is None there.){}",
        job.status,
        shown("Its error output", &job.stderr)
    );
    let lines: Vec<&str> = job
        .stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(
        lines.len() == 1,
        "{command} printed {} lines, expected rank 0's one report: print nothing from exchange_halos{}",
        lines.len(),
        shown("It printed", &job.stdout)
    );
    serde_json::from_str(lines[0])
        .unwrap_or_else(|_| panic!("{command} printed {:?}, which is not the report", lines[0]))
}

#[test]
fn every_cell_has_the_bits_of_the_sequential_solve() {
    // One job at a time: ranks that wait in MPI poll for messages, so jobs
    // side by side (and every step, on one core, where verify also runs the
    // checks) cost each other time slices. Few steps: a halo that holds a
    // wrong value changes an edge cell in the first one.
    // 3 ranks on 1001 cells (3 does not divide it), 3 ranks of one cell
    // each, and 1 rank with no neighbour at all.
    for (ranks, cells, steps) in [(3, 1001, 20), (3, 3, 5), (1, 20, 10)] {
        let (command, finished) = job(ranks, cells, steps);
        let report = report(&command, &finished);
        let difference = &report["first_difference"];
        assert!(
            report["same_bits_as_sequential"] == true,
            "{command}: cell {} of the rod is {} after the steps, the sequential solve gives {}. A halo held \
             the wrong value: does u[1] go to the left neighbour and u[last - 1] to the right one, does the \
             left neighbour's cell land in u[0] and the right one's in u[last], in both directions, on every \
             step? (The ends of the rod stay as they are.)",
            difference["cell"],
            difference["got"],
            difference["expected"]
        );
    }
}
