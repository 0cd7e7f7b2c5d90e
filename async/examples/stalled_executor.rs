//! A blocking call inside async code stalls every other task on its thread.
//! A ticker task sums the integral one chunk every 5 ms; another task makes
//! a 100 ms call: blocking, through `spawn_blocking`, or as an async sleep.
//!
//!     cargo run --release -p workbook-async --example stalled_executor -- --timeline stalled
//!     cargo run --release -p workbook-async --example stalled_executor -- --call spawn-blocking --timeline unstalled
//!
//! Look at `ticks_during_call` and `longest_gap_ms`, then at the two charts.

use clap::ValueEnum;
use parallel_workbook::timeline::{Track, Wait};
use parallel_workbook::{Problem, chunk, cli};
use std::time::{Duration, Instant};
use workbook_async::current_thread;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Call {
    /// std::thread::sleep inside the task: the runtime's one thread sleeps
    Blocking,
    /// The same sleep through tokio::task::spawn_blocking, on another thread
    SpawnBlocking,
    /// tokio::time::sleep: a timer, no thread sleeps at all
    AsyncSleep,
}

// ANCHOR: tasks
/// A task that must keep time: one chunk of the integral per tick, `ticks`
/// ticks `period` apart. Returns its sum and when each tick started.
async fn ticker(problem: Problem, ticks: u64, period: Duration) -> (f64, Vec<Instant>) {
    let mut interval = tokio::time::interval(period);
    let (mut sum, mut started) = (0.0, Vec::new());
    for k in 0..ticks {
        interval.tick().await; // the only point where other tasks can run
        started.push(Instant::now());
        sum += Track::start().chunk(chunk(problem.n, ticks, k), |c| problem.sum_f(c));
    }
    (sum, started)
}

/// A task that, `after` its start, makes one call that takes `length`.
/// Returns when the call started and ended.
async fn caller(call: Call, after: Duration, length: Duration) -> (Instant, Instant) {
    tokio::time::sleep(after).await;
    let start = Instant::now();
    let block = move || Track::start().wait(Wait::Blocked, || std::thread::sleep(length));
    match call {
        // Wrong: no `.await` until it returns, so the runtime's thread
        // is asleep and no other task of this runtime can run.
        Call::Blocking => block(),
        // Blocking code belongs on the blocking pool: this task waits for
        // it at an `.await`, and the runtime's thread runs the others.
        Call::SpawnBlocking => tokio::task::spawn_blocking(block)
            .await
            .expect("the blocking call panicked"),
        // Waiting is what async does well: a timer, and no thread asleep.
        Call::AsyncSleep => tokio::time::sleep(length).await,
    }
    (start, Instant::now())
}
// ANCHOR_END: tasks

#[derive(clap::Args)]
struct StallFlags {
    /// How the second task makes its call
    #[arg(long, value_enum, default_value_t = Call::Blocking)]
    call: Call,
    /// How many ticks (and chunks of the integral)
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u64).range(2..=10_000))]
    ticks: u64,
    /// Milliseconds between ticks
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1000))]
    period_ms: u64,
    /// When the call starts, in milliseconds
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(0..=10_000))]
    call_at_ms: u64,
    /// How long the call takes, in milliseconds
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    call_ms: u64,
}

/// What the ticks saw of the call: how many ticks started while it ran,
/// and the longest time between two ticks.
fn ticks_seen(started: &[Instant], call: (Instant, Instant)) -> (usize, Duration) {
    let during = started
        .iter()
        .filter(|&&t| t >= call.0 && t <= call.1)
        .count();
    let gap = started
        .windows(2)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap_or_default();
    (during, gap)
}

fn main() {
    let (args, flags) = workbook_async::parse::<StallFlags>(
        "A blocking call on an async runtime's thread stalls its other tasks",
        // A chunk per tick takes about 1 ms: long enough to see on a timeline.
        40_000_000,
    );
    if args.threads.is_some_and(|t| t != 1) {
        cli::exit_with_error("stalled_executor runs one runtime thread: leave out --threads");
    }
    if flags.ticks > args.n() {
        cli::exit_with_error(&format!(
            "--ticks {} is more than --n {}",
            flags.ticks,
            args.n()
        ));
    }
    let args = args.with_threads(1);
    let ms = Duration::from_millis;
    let mut seen = (0, Duration::ZERO);
    let report = args.measure("async/stall", |problem, _| {
        // ANCHOR: run
        // One thread runs both tasks, taking turns at their `.await`s.
        let ((sum, started), call) = current_thread().block_on(async {
            tokio::join!(
                ticker(*problem, flags.ticks, ms(flags.period_ms)),
                caller(flags.call, ms(flags.call_at_ms), ms(flags.call_ms)),
            )
        });
        // ANCHOR_END: run
        seen = ticks_seen(&started, call);
        sum * problem.dx()
    });
    let call = match flags.call {
        Call::Blocking => "blocking",
        Call::SpawnBlocking => "spawn-blocking",
        Call::AsyncSleep => "async-sleep",
    };
    let report = report
        .with("call", call)
        .with("call_ms", flags.call_ms)
        .with("period_ms", flags.period_ms)
        .with("ticks_during_call", seen.0)
        .with(
            "longest_gap_ms",
            (seen.1.as_secs_f64() * 1e4).round() / 10.0,
        );
    args.print(&report);
}
