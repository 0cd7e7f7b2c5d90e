//! Point-to-point messages in a ring: every rank sends a buffer to its right
//! neighbour and receives one from its left. Written as two blocking calls,
//! send then receive, on every rank, it deadlocks once the messages are large.
//!
//!     cargo mpi -n 2 mpi_exchange --how blocking           # 1 MiB: deadlock, detected
//!     cargo mpi -n 2 mpi_exchange --how blocking --values 1  # 8 bytes: it works
//!     cargo mpi -n 2 mpi_exchange --how sendrecv
//!
//! The fixes: `ordered`, `sendrecv`, `immediate`. Each rank checks what it got.

use clap::ValueEnum;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use workbook_distributed::mpi::Threading;
use workbook_distributed::mpi::collective::SystemOperation;
use workbook_distributed::mpi::point_to_point as p2p;
use workbook_distributed::mpi::request;
use workbook_distributed::mpi::topology::SimpleCommunicator;
use workbook_distributed::mpi::traits::*;
use workbook_distributed::{ROOT, Ranks};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum How {
    /// Every rank: a blocking send, then a blocking receive
    Blocking,
    /// Even ranks send first, odd ranks receive first
    Ordered,
    /// MPI_Sendrecv: one call that sends and receives
    Sendrecv,
    /// Non-blocking: start both, then wait for both
    Immediate,
}

impl How {
    /// The flag's value.
    fn name(self) -> &'static str {
        match self {
            How::Blocking => "blocking",
            How::Ordered => "ordered",
            How::Sendrecv => "sendrecv",
            How::Immediate => "immediate",
        }
    }
}

// ANCHOR: exchange
/// Sends `send` to the right neighbour, receives the left one's into `receive`.
pub fn exchange(world: &SimpleCommunicator, how: How, send: &[f64], receive: &mut [f64]) {
    let (rank, size) = (world.rank(), world.size());
    let right = world.process_at_rank((rank + 1) % size);
    let left = world.process_at_rank((rank + size - 1) % size);
    match how {
        // A blocking send returns once the buffer may be reused. A small
        // message is copied aside and the send returns at once; a large one
        // waits until the receiver takes it. If every rank sends first,
        // every rank waits in its send, and no rank ever receives.
        How::Blocking => {
            right.send(send);
            left.receive_into(receive);
        }
        // Break the cycle: odd ranks receive first. Every send then has a
        // receiver, and the rest follows.
        How::Ordered => {
            if rank % 2 == 0 {
                right.send(send);
                left.receive_into(receive);
            } else {
                left.receive_into(receive);
                right.send(send);
            }
        }
        // Let MPI order the two: it sends and receives at the same time.
        How::Sendrecv => {
            p2p::send_receive_into(send, &right, receive, &left);
        }
        // Start both without waiting, then wait for both: neither can block
        // the other. (Between the start and the wait, a rank may compute:
        // the halo exchange of `mpi_heat` does.)
        How::Immediate => request::scope(|scope| {
            let sent = right.immediate_send(scope, send);
            let received = left.immediate_receive_into(scope, receive);
            received.wait();
            sent.wait();
        }),
    }
}
// ANCHOR_END: exchange

#[derive(clap::Args)]
struct Flags {
    /// How each rank sends and receives
    #[arg(long, value_enum, default_value_t = How::Blocking)]
    how: How,
    /// How many f64 each message holds (131072: 1 MiB)
    #[arg(long, default_value_t = 131_072, value_parser = clap::value_parser!(u64).range(1..=16_777_216))]
    values: u64,
    /// How many exchanges to time (after one untimed)
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    repeats: u32,
    /// Call it a deadlock when the exchanges take longer than this (seconds)
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
    deadlock_after: u64,
    /// Print one JSON object instead of a text line
    #[arg(long)]
    json: bool,
}

/// Ends this rank, and so the job, if `done` is not set within `limit`: a
/// thread of its own watches, because the main thread may be stuck in MPI.
fn watch_for_deadlock(done: &'static AtomicBool, limit: Duration, rank: i32, how: How) {
    std::thread::spawn(move || {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if done.load(Ordering::Acquire) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        eprintln!(
            "error: deadlock: rank {rank} is still in the exchange after {} s (--how {}): every rank waits in its send, and none receives",
            limit.as_secs(),
            how.name(),
        );
        std::process::exit(3);
    });
}

fn main() {
    // Funneled: the watchdog thread never calls MPI, only the main thread does.
    let mut ranks = Ranks::start(Threading::Funneled, "mpi_exchange");
    let flags: Flags = ranks.parse_flags("Send to the right, receive from the left, in a ring");
    if ranks.size() < 2 {
        ranks.refuse("mpi_exchange needs at least 2 ranks: mpiexec -n 2 or more");
    }
    let (rank, size) = (ranks.rank(), ranks.size());
    let left = (rank + size - 1) % size;
    // What rank r sends: r, r + 1, r + 2, …: the receiver knows what to expect.
    let send: Vec<f64> = (0..flags.values)
        .map(|i| (rank as u64 + i) as f64)
        .collect();
    let mut receive = vec![f64::NAN; send.len()];
    static DONE: AtomicBool = AtomicBool::new(false);
    watch_for_deadlock(
        &DONE,
        Duration::from_secs(flags.deadlock_after),
        rank,
        flags.how,
    );

    let world = ranks.world();
    exchange(world, flags.how, &send, &mut receive); // untimed: connections set up
    let mut times = Vec::with_capacity(flags.repeats as usize);
    for _ in 0..flags.repeats {
        world.barrier();
        let start = Instant::now();
        exchange(world, flags.how, &send, &mut receive);
        times.push(start.elapsed().as_secs_f64());
    }
    DONE.store(true, Ordering::Release);
    let right_data = receive
        .iter()
        .enumerate()
        .all(|(i, &v)| v == (left as u64 + i as u64) as f64);
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    // Every rank's verdict and time, combined on the root.
    let root = world.process_at_rank(ROOT);
    let (ok, slowest) = (i32::from(right_data), median);
    if rank != ROOT {
        root.reduce_into(&ok, SystemOperation::min());
        root.reduce_into(&slowest, SystemOperation::max());
        return;
    }
    let (mut all_ok, mut slowest_median) = (0_i32, 0.0_f64);
    root.reduce_into_root(&ok, &mut all_ok, SystemOperation::min());
    root.reduce_into_root(&slowest, &mut slowest_median, SystemOperation::max());
    let bytes = flags.values * 8;
    let how = flags.how.name();
    if flags.json {
        let report = serde_json::json!({
            "strategy": "mpi_exchange", "how": how, "ranks": size, "bytes": bytes,
            "repeats": flags.repeats, "seconds": slowest_median, "received_right": all_ok == 1,
        });
        println!("{report}");
    } else {
        println!(
            "mpi_exchange  how={how}  ranks={size}  message={bytes} bytes  one exchange: median {:.1} µs (slowest rank)  every rank received what its left neighbour sent: {}",
            slowest_median * 1e6,
            if all_ok == 1 { "yes" } else { "NO" }
        );
    }
}
