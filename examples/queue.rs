//! The classic integrate-with-a-queue program: a work queue of chunks, T
//! workers pulling from it, and a results queue that main drains.
//!
//!     cargo run --release --example queue -- --threads 2 --chunks 64 --compare
//!
//! More chunks than threads: a worker that finishes early takes another.
//!
//! Also a module of examples/shared/strategies.rs (scaling, compare, benches, tests).

use parallel_workbook::cli;
use parallel_workbook::timeline::{Track, Wait};
use parallel_workbook::{Problem, chunks};
use std::ops::Range;
use std::sync::{Mutex, mpsc};
use std::thread;

// ANCHOR: worker
/// One worker: take a chunk from the work queue, sum it, put the partial sum
/// on the results queue; stop when the queue is closed and empty.
fn worker(problem: Problem, work: &Mutex<mpsc::Receiver<Range<u64>>>, results: mpsc::Sender<f64>) {
    let track = Track::start(); // with --timeline: records each wait and each chunk
    loop {
        // Hold the lock only while taking one chunk: the guard is a temporary
        // of the closure, dropped when it returns, before the work starts.
        let next = track.wait(Wait::Queue, || work.lock().unwrap().recv());
        match next {
            Ok(chunk) => {
                let partial = track.chunk(chunk, |chunk| problem.sum_f(chunk));
                results.send(partial).unwrap();
            }
            Err(mpsc::RecvError) => return, // closed: every chunk is taken
        }
    }
}
// ANCHOR_END: worker

// ANCHOR: integrate
pub fn integrate(problem: &Problem, threads: usize, chunk_count: u64) -> f64 {
    let (work_sender, work_receiver) = mpsc::channel();
    let (result_sender, result_receiver) = mpsc::channel();
    // One receiver, shared by T workers: mpsc is multi-producer,
    // single-consumer, so the workers take turns through a Mutex.
    let work_queue = Mutex::new(work_receiver);
    thread::scope(|scope| {
        for _ in 0..threads {
            let results = result_sender.clone();
            let work_queue = &work_queue;
            scope.spawn(move || worker(*problem, work_queue, results));
        }
        // Producer: fill the work queue, then close it by dropping the sender.
        for chunk in chunks(problem.n, chunk_count) {
            work_sender.send(chunk).unwrap();
        }
        drop(work_sender);
        // Collect exactly one result per chunk, in whatever order they come.
        let total: f64 = result_receiver.iter().take(chunk_count as usize).sum();
        total * problem.dx()
    })
}
// ANCHOR_END: integrate

#[derive(clap::Args)]
struct QueueFlags {
    /// How many chunks to put on the work queue [default: 8 per thread]
    #[arg(long, value_parser = cli::parse_count)]
    chunks: Option<u64>,
}

fn main() {
    let (args, flags) =
        cli::parse::<QueueFlags>("Workers pulling chunks from a work queue", 100_000_000);
    let chunk_count = flags.chunks.unwrap_or(8 * args.threads() as u64);
    if chunk_count > args.n() {
        cli::exit_with_error(&format!(
            "--chunks {chunk_count} is more than --n {}",
            args.n()
        ));
    }
    let report = args.measure("queue", |p, t| integrate(p, t, chunk_count));
    args.print(&report.with("chunks", chunk_count));
}
