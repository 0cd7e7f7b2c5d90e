//! Back-pressure: a producer faster than its consumer, joined by an unbounded
//! `channel` or by a bounded `sync_channel`.
//!
//!     cargo run --release --example back_pressure -- --n 1e7
//!     cargo run --release --example back_pressure -- --n 1e7 --bound 16
//!
//! Look at most_queued and peak_rss_mib: unbounded, the batches pile up in
//! memory; bounded, at most 16 wait and the producer waits instead (send_wait_ms).

use parallel_workbook::cli;
use parallel_workbook::memory::peak_resident_bytes;
use parallel_workbook::{Problem, chunks};
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// What the run measured besides the sum.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Pressure {
    /// The most batches sent and not yet taken, seen after any `send`.
    pub most_queued: usize,
    /// How long the producer spent inside `send`, waiting for room.
    pub send_wait_ms: f64,
}

// ANCHOR: pipeline
/// The producer computes the points x_i, `batch` at a time, and sends each
/// batch; the consumer sums f(x) over each batch, then spends `pause` on it
/// (standing for a slow destination: a disk, a network). `send` is the only
/// difference between the two channels: unbounded, it never waits; bounded,
/// it waits while the channel is full.
pub fn pipeline(
    problem: &Problem,
    batch: u64,
    pause: Duration,
    send: impl FnMut(Vec<f64>) + Send,
    batches: mpsc::Receiver<Vec<f64>>,
) -> (f64, Pressure) {
    let (sent, taken) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let mut pressure = Pressure::default();
    let sum = thread::scope(|scope| {
        scope.spawn(|| {
            let mut send = send; // moved in, so the channel closes when the producer ends
            let mut waited = Duration::ZERO;
            for chunk in chunks(problem.n, problem.n.div_ceil(batch)) {
                let points: Vec<f64> = chunk.map(|i| problem.x(i)).collect();
                let start = Instant::now();
                send(points);
                waited += start.elapsed();
                let queued = sent.fetch_add(1, Relaxed) + 1 - taken.load(Relaxed);
                pressure.most_queued = pressure.most_queued.max(queued);
            }
            pressure.send_wait_ms = waited.as_secs_f64() * 1e3;
        });
        let mut sum = 0.0;
        for points in batches {
            taken.fetch_add(1, Relaxed);
            for x in points {
                sum += Problem::f(x);
            }
            thread::sleep(pause);
        }
        sum
    });
    (sum * problem.dx(), pressure)
}
// ANCHOR_END: pipeline

// ANCHOR: channels
/// `bound` None: `mpsc::channel()`; `Some(k)`: `mpsc::sync_channel(k)`.
pub fn integrate(
    problem: &Problem,
    batch: u64,
    pause: Duration,
    bound: Option<usize>,
) -> (f64, Pressure) {
    match bound {
        None => {
            let (sender, receiver) = mpsc::channel();
            let send = move |points| sender.send(points).unwrap();
            pipeline(problem, batch, pause, send, receiver)
        }
        Some(bound) => {
            let (sender, receiver) = mpsc::sync_channel(bound);
            let send = move |points| sender.send(points).unwrap();
            pipeline(problem, batch, pause, send, receiver)
        }
    }
}
// ANCHOR_END: channels

#[derive(clap::Args)]
struct BackPressureFlags {
    /// Use a bounded sync_channel holding at most this many batches [default: an unbounded channel]
    #[arg(long)]
    bound: Option<usize>,
    /// Points per batch (8 bytes each)
    #[arg(long, default_value_t = 4096, value_parser = cli::parse_count)]
    batch: u64,
    /// Microseconds the consumer spends on each batch after summing it
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    consumer_us: u64,
}

fn main() {
    let (args, flags) = cli::parse::<BackPressureFlags>(
        "A fast producer and a slow consumer, on a bounded or unbounded channel",
        10_000_000,
    );
    let pause = Duration::from_micros(flags.consumer_us);
    let mut pressure = Pressure::default();
    // One producer thread and one consumer thread, whatever --threads says.
    let report = args.clone().with_threads(2).measure(
        match flags.bound {
            None => "channel",
            Some(_) => "sync_channel",
        },
        |problem, _| {
            let (result, measured) = integrate(problem, flags.batch, pause, flags.bound);
            pressure = measured;
            result
        },
    );
    let mut report = report.with("most_queued", pressure.most_queued).with(
        "send_wait_ms",
        (pressure.send_wait_ms * 10.0).round() / 10.0,
    );
    if let Some(bound) = flags.bound {
        report = report.with("bound", bound);
    }
    match peak_resident_bytes() {
        Some(bytes) => report = report.with("peak_rss_mib", bytes / (1 << 20)),
        None => eprintln!("note: no peak memory here: it is read from /proc/self/status (Linux)"),
    }
    args.print(&report);
}
