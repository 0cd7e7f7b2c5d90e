//! A pool of worker processes fed from a queue: T processes started once,
//! each handed chunk after chunk through its pipes, as Python's
//! `multiprocessing.Pool` does. The workers are `processes`' workers.
//!
//!     cargo run --release --example process_pool -- --n 1e7 --threads 2 --chunks 64 --compare
//!     cargo run --release --example processes -- --n 1e7 --threads 64 --compare
//!
//! 64 tasks either way: 2 process starts here, 64 there. See tasks_per_worker.

#[path = "processes.rs"]
#[allow(dead_code)]
mod processes;

use parallel_workbook::cli;
use parallel_workbook::{Problem, chunks};
use std::io::{BufRead, BufReader, Write};
use std::ops::Range;
use std::process::{Command, Stdio};
use std::sync::{Mutex, mpsc};
use std::thread;

/// More chunks than this would spend the run in pipe round trips.
const MAX_CHUNKS: u64 = 1_000_000;

/// Chunk k of the work, as it waits on the queue.
type Task = (usize, Range<u64>);

// ANCHOR: feed
/// One feeder thread per worker process: take a task from the queue, write it
/// to the worker's stdin, read the partial sum from its stdout, repeat. When
/// the queue is empty, close stdin: the worker's loop ends and it exits.
fn feed(
    problem: &Problem,
    mut worker: Command,
    queue: &Mutex<mpsc::Receiver<Task>>,
) -> Result<Vec<(usize, f64)>, String> {
    let mut child = worker
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start: {e}"))?;
    let mut to_worker = child.stdin.take().expect("stdin is piped");
    let mut from_worker = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut done = Vec::new();
    let fed = loop {
        let next = queue.lock().unwrap().recv(); // the lock ends with this line
        let Ok((k, chunk)) = next else { break Ok(()) };
        if let Err(e) = to_worker.write_all(processes::task_line(problem, &chunk).as_bytes()) {
            break Err(format!("could not send chunk {k}: {e}"));
        }
        let mut reply = String::new();
        match from_worker.read_line(&mut reply) {
            Ok(0) => break Err(format!("closed its output before answering chunk {k}")),
            Err(e) => break Err(format!("could not read its answer to chunk {k}: {e}")),
            Ok(_) => match reply.trim().parse::<f64>() {
                Ok(partial) => done.push((k, partial)),
                Err(_) => break Err(format!("replied {:?} to chunk {k}", reply.trim())),
            },
        }
    };
    drop(to_worker); // end of input
    let status = child.wait().map_err(|e| e.to_string())?;
    fed?;
    if !status.success() {
        return Err(format!("failed ({status})"));
    }
    Ok(done)
}
// ANCHOR_END: feed

// ANCHOR: integrate
/// `chunk_count` chunks on a queue, `workers` processes pulling from it.
/// Returns the integral and how many chunks each worker summed.
pub fn integrate(
    problem: &Problem,
    workers: usize,
    chunk_count: u64,
    worker: impl Fn() -> Command + Sync,
) -> Result<(f64, Vec<usize>), String> {
    let (sender, receiver) = mpsc::channel();
    for task in chunks(problem.n, chunk_count).enumerate() {
        sender.send(task).unwrap();
    }
    drop(sender); // a closed queue: `recv` fails once it is empty
    let queue = Mutex::new(receiver);
    let answers: Vec<_> = thread::scope(|scope| {
        let feeders: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| feed(problem, worker(), &queue)))
            .collect();
        feeders.into_iter().map(|f| f.join().unwrap()).collect()
    });
    // Put each partial sum in its chunk's place, then add them in chunk
    // order: the same bits, whichever worker summed which chunk.
    let mut partial_sums = vec![None; chunk_count as usize];
    let mut tasks_per_worker = Vec::new();
    for (w, answer) in answers.into_iter().enumerate() {
        let done = answer.map_err(|e| format!("worker {w}: {e}"))?;
        tasks_per_worker.push(done.len());
        for (k, partial) in done {
            partial_sums[k] = Some(partial);
        }
    }
    let total: Option<f64> = partial_sums.into_iter().sum();
    let total = total.ok_or("a chunk was never summed")?;
    Ok((total * problem.dx(), tasks_per_worker))
}
// ANCHOR_END: integrate

#[derive(clap::Args)]
struct ProcessPoolFlags {
    /// How many chunks to put on the queue [default: 8 per worker]
    #[arg(long, value_parser = cli::parse_count)]
    chunks: Option<u64>,
}

fn main() {
    processes::serve_as_worker_if_asked();
    let (args, flags) =
        cli::parse::<ProcessPoolFlags>("A pool of worker processes fed from a queue", 100_000_000);
    let chunk_count = flags.chunks.unwrap_or(8 * args.threads() as u64);
    if chunk_count > args.n() {
        cli::exit_with_error(&format!(
            "--chunks {chunk_count} is more than --n {}",
            args.n()
        ));
    }
    if chunk_count > MAX_CHUNKS {
        cli::exit_with_error(&format!(
            "--chunks {chunk_count}: at most {MAX_CHUNKS}, each chunk is a round trip through a pipe"
        ));
    }
    let mut tasks_per_worker = Vec::new();
    let report = args.measure("process_pool", |problem, workers| {
        let (result, tasks) = integrate(
            problem,
            workers,
            chunk_count,
            processes::this_program_as_worker,
        )
        .unwrap_or_else(|message| cli::exit_with_error(&message));
        tasks_per_worker = tasks;
        result
    });
    args.print(
        &report
            .with("chunks", chunk_count)
            .with("tasks_per_worker", tasks_per_worker),
    );
}
