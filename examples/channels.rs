//! Message passing: each worker sends its partial sum down a channel.
//!
//!     cargo run --release --example channels -- --compare
//!     cargo run --release --example channels -- --bound 1
//!
//! No shared mutable state at all: the channel moves each result to main.
//!
//! Also a module of examples/shared/strategies.rs (scaling, compare, benches, tests).

use parallel_workbook::cli;
use parallel_workbook::timeline::{Track, Wait};
use parallel_workbook::{Problem, chunks};
use std::sync::mpsc;
use std::thread;

// ANCHOR: reassemble
/// Adds up partial sums until every sender is gone. `recv` returns `Err`
/// only when the channel is empty *and* all senders have been dropped: if
/// one sender stays alive (say, the original one kept in main), this never
/// returns.
pub fn reassemble(partial_sums: mpsc::Receiver<f64>) -> f64 {
    let mut total = 0.0;
    while let Ok(partial) = partial_sums.recv() {
        total += partial;
    }
    total
}
// ANCHOR_END: reassemble

// ANCHOR: integrate
/// Unbounded `channel`: a worker's `send` never waits.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    let (sender, receiver) = mpsc::channel();
    for chunk in chunks(problem.n, threads as u64) {
        let sender = sender.clone();
        let problem = *problem;
        thread::spawn(move || {
            // With --timeline, `track` records the chunk and the send.
            let track = Track::start();
            let partial = track.chunk(chunk, |chunk| problem.sum_f(chunk));
            track.wait(Wait::Send, || sender.send(partial)).unwrap();
        });
    }
    drop(sender); // keep only the workers' clones, so `reassemble` can end
    reassemble(receiver) * problem.dx()
}
// ANCHOR_END: integrate

// ANCHOR: integrate_bounded
/// Bounded `sync_channel(bound)`: a `send` waits while `bound` messages sit
/// unread: back-pressure. With bound 0 every send waits for its `recv` (a
/// rendezvous).
pub fn integrate_bounded(problem: &Problem, threads: usize, bound: usize) -> f64 {
    let (sender, receiver) = mpsc::sync_channel(bound);
    thread::scope(|scope| {
        for chunk in chunks(problem.n, threads as u64) {
            let sender = sender.clone();
            scope.spawn(move || {
                // With --timeline, `track` records the chunk and the wait to send.
                let track = Track::start();
                let partial = track.chunk(chunk, |chunk| problem.sum_f(chunk));
                track.wait(Wait::Send, || sender.send(partial)).unwrap();
            });
        }
        drop(sender);
        reassemble(receiver) * problem.dx()
    })
}
// ANCHOR_END: integrate_bounded

#[derive(clap::Args)]
struct ChannelsFlags {
    /// Use a bounded sync_channel holding at most this many messages
    #[arg(long)]
    bound: Option<usize>,
}

fn main() {
    let (args, flags) =
        cli::parse::<ChannelsFlags>("Partial sums sent over mpsc channels", 100_000_000);
    match flags.bound {
        None => args.run("channels", integrate),
        Some(bound) => args.run("sync_channel", |problem, threads| {
            integrate_bounded(problem, threads, bound)
        }),
    };
}
