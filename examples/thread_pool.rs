//! A thread pool that outlives the function that uses it: `thread::spawn`ed
//! workers sharing one job queue through `Arc<Mutex<Receiver>>`, and the
//! `while let` trap that makes such a pool run one job at a time.
//!
//!     cargo run --release --example thread_pool -- --n 1e9 --compare
//!     cargo run --release --example thread_pool -- --n 1e9 --worker-loop while-let --compare
//!
//! Look at most_busy (workers inside a job at once) and the speed-up.

use parallel_workbook::cli;
use parallel_workbook::{Problem, chunks};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

/// A job: any closure a worker can run once, on its own thread.
type Job = Box<dyn FnOnce() + Send + 'static>;
type JobQueue = Arc<Mutex<mpsc::Receiver<Job>>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WorkerLoop {
    /// `let job = queue.lock().unwrap().recv();` then run it: the lock is free while it runs
    Let,
    /// `while let Ok(job) = queue.lock().unwrap().recv() { job() }`: the trap
    WhileLet,
}

/// How many workers are inside a job now, and the most there ever were.
#[derive(Default)]
pub struct Busy {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Busy {
    fn run(&self, job: Job) {
        let inside = self.now.fetch_add(1, Relaxed) + 1;
        self.most.fetch_max(inside, Relaxed);
        job();
        self.now.fetch_sub(1, Relaxed);
    }
}

// ANCHOR: worker_loops
fn worker(jobs: JobQueue, busy: Arc<Busy>) {
    loop {
        // The guard is a temporary of this `let` statement: it is dropped at
        // the `;`, so the queue is unlocked before the job starts.
        let next = jobs.lock().unwrap().recv();
        match next {
            Ok(job) => busy.run(job),
            Err(mpsc::RecvError) => return, // the pool is closed and the queue empty
        }
    }
}

fn worker_while_let(jobs: JobQueue, busy: Arc<Busy>) {
    // The trap. A temporary in the condition of a `while let` lives until the
    // end of the loop body, so the guard keeps the queue locked while the job
    // runs: no other worker can take a job until this one is done.
    while let Ok(job) = jobs.lock().unwrap().recv() {
        busy.run(job);
    }
}
// ANCHOR_END: worker_loops

// ANCHOR: pool
/// `size` workers started once, each with its own `Arc` of the queue: a
/// spawned thread may outlive the caller's stack frame, so it cannot borrow
/// from it, and it owns a share of everything it uses.
pub struct ThreadPool {
    jobs: Option<mpsc::Sender<Job>>,
    workers: Vec<thread::JoinHandle<()>>,
    busy: Arc<Busy>,
}

impl ThreadPool {
    pub fn new(size: usize, worker_loop: WorkerLoop) -> ThreadPool {
        let (sender, receiver) = mpsc::channel::<Job>();
        let queue: JobQueue = Arc::new(Mutex::new(receiver));
        let busy = Arc::new(Busy::default());
        let workers = (0..size)
            .map(|_| {
                let (queue, busy) = (Arc::clone(&queue), Arc::clone(&busy));
                thread::spawn(move || match worker_loop {
                    WorkerLoop::Let => worker(queue, busy),
                    WorkerLoop::WhileLet => worker_while_let(queue, busy),
                })
            })
            .collect();
        ThreadPool {
            jobs: Some(sender),
            workers,
            busy,
        }
    }

    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        let jobs = self.jobs.as_ref().expect("the pool is open until dropped");
        jobs.send(Box::new(job))
            .expect("the workers outlive the pool");
    }

    /// Closes the queue, waits for every worker, and returns the most
    /// workers that were ever inside a job at the same time.
    pub fn finish(mut self) -> usize {
        self.close();
        self.busy.most.load(Relaxed)
    }

    fn close(&mut self) {
        drop(self.jobs.take()); // every worker's `recv` now ends with Err
        for worker in self.workers.drain(..) {
            worker.join().expect("a worker panicked");
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.close();
    }
}
// ANCHOR_END: pool

// ANCHOR: integrate
/// Every chunk is a job; each job sends its partial sum back on a channel.
pub fn integrate(problem: &Problem, pool: &ThreadPool, chunk_count: u64) -> f64 {
    let (results, partial_sums) = mpsc::channel();
    for chunk in chunks(problem.n, chunk_count) {
        let (problem, results) = (*problem, results.clone());
        pool.execute(move || results.send(problem.sum_f(chunk)).unwrap());
    }
    drop(results); // the jobs hold the only senders: the sum ends with the last job
    partial_sums.iter().sum::<f64>() * problem.dx()
}
// ANCHOR_END: integrate

#[derive(clap::Args)]
struct ThreadPoolFlags {
    /// How each worker takes jobs from the queue
    #[arg(long, value_enum, default_value_t = WorkerLoop::Let)]
    worker_loop: WorkerLoop,
    /// How many jobs (chunks) to queue [default: 8 per thread]
    #[arg(long, value_parser = cli::parse_count)]
    chunks: Option<u64>,
}

fn main() {
    let (args, flags) =
        cli::parse::<ThreadPoolFlags>("A pool of spawned threads fed from a queue", 100_000_000);
    let chunk_count = flags.chunks.unwrap_or(8 * args.threads() as u64);
    if chunk_count > args.n() {
        cli::exit_with_error(&format!(
            "--chunks {chunk_count} is more than --n {}",
            args.n()
        ));
    }
    let pool = ThreadPool::new(args.threads(), flags.worker_loop);
    let name = match flags.worker_loop {
        WorkerLoop::Let => "pool/let",
        WorkerLoop::WhileLet => "pool/while-let",
    };
    let report = args.measure(name, |problem, _| integrate(problem, &pool, chunk_count));
    let most_busy = pool.finish();
    args.print(
        &report
            .with("chunks", chunk_count)
            .with("most_busy", most_busy),
    );
}
