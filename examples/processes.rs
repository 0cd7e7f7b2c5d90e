//! Worker processes instead of threads: no shared memory at all. The example
//! starts T copies of itself, sends each a chunk through a pipe, and reads each
//! partial sum back.
//!
//!     cargo run --release --example processes -- --threads 2 --compare
//!
//! Correct, but each process costs a start-up; compare with `threads` at small N.
//!
//! Also a module of examples/shared/strategies.rs and tests/examples_cli.rs.

use parallel_workbook::{Args, Problem, chunks};
use std::io::{BufRead, BufReader, Write};
use std::ops::Range;
use std::process::{Command, Stdio};

/// The hidden argument that turns this program into a worker.
pub const WORKER_FLAG: &str = "--worker";

// ANCHOR: worker
/// The worker side: for each task line "a b n start end" on stdin, print
/// the partial sum Σ f(x_i) for i in start..end, until stdin closes. The
/// parent here sends one task; `process_pool` sends many. f64's `Display`
/// prints the shortest text that parses back to the same bits, so nothing
/// is lost.
pub fn worker_main() -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    for task in std::io::stdin().lines() {
        let task = task.map_err(|e| e.to_string())?;
        let numbers: Vec<&str> = task.split_whitespace().collect();
        let [a, b, n, start, end] = numbers[..] else {
            return Err(format!("worker: expected 'a b n start end', got {task:?}"));
        };
        let number = |text: &str| {
            text.parse::<f64>()
                .map_err(|e| format!("worker: {text:?}: {e}"))
        };
        let index = |text: &str| {
            text.parse::<u64>()
                .map_err(|e| format!("worker: {text:?}: {e}"))
        };
        let problem = Problem {
            a: number(a)?,
            b: number(b)?,
            n: index(n)?,
        };
        // Flushed at once: the parent waits for this line before it goes on.
        writeln!(out, "{}", problem.sum_f(index(start)?..index(end)?))
            .and_then(|()| out.flush())
            .map_err(|e| format!("worker: cannot reply: {e}"))?;
    }
    Ok(())
}

/// One task as the worker reads it: a line "a b n start end".
pub fn task_line(problem: &Problem, chunk: &Range<u64>) -> String {
    format!(
        "{} {} {} {} {}\n",
        problem.a, problem.b, problem.n, chunk.start, chunk.end
    )
}
// ANCHOR_END: worker

// ANCHOR: integrate
/// The parent side. `worker` builds the command that starts one worker; here
/// it is this same program with `--worker` (a test passes a broken one).
/// Any worker that fails, dies, or prints something that is not a number is
/// an error: never a hang, never a silently wrong sum.
pub fn integrate(
    problem: &Problem,
    workers: usize,
    worker: impl Fn() -> Command,
) -> Result<f64, String> {
    // 1. Start every worker first, so they all run at the same time.
    let mut children = Vec::new();
    for chunk in chunks(problem.n, workers as u64) {
        let mut child = worker()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start a worker process: {e}"))?;
        // 2. Send its chunk. Dropping stdin closes the pipe: the worker sees
        //    end-of-input. A worker that already died makes this write fail.
        let sent = child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(task_line(problem, &chunk).as_bytes());
        children.push((child, sent));
    }
    // 3. Read each partial sum back, and check how each worker ended.
    let mut total = 0.0;
    for (k, (mut child, sent)) in children.into_iter().enumerate() {
        let mut reply = String::new();
        let stdout = child.stdout.take().expect("stdout is piped");
        let read = BufReader::new(stdout).read_line(&mut reply);
        let status = child.wait().map_err(|e| format!("worker {k}: {e}"))?;
        if !status.success() {
            return Err(format!("worker {k} failed ({status})"));
        }
        sent.map_err(|e| format!("worker {k}: could not send its chunk: {e}"))?;
        read.map_err(|e| format!("worker {k}: could not read its reply: {e}"))?;
        total += reply
            .trim()
            .parse::<f64>()
            .map_err(|_| format!("worker {k} replied {:?}, not a number", reply.trim()))?;
    }
    Ok(total * problem.dx())
}
// ANCHOR_END: integrate

/// The command that starts one more copy of this program as a worker.
pub fn this_program_as_worker() -> Command {
    let exe = std::env::current_exe().expect("cannot find this program's own path");
    let mut command = Command::new(exe);
    command.arg(WORKER_FLAG);
    command
}

/// Every program that starts copies of itself as workers (this example, and
/// each one that includes examples/shared/strategies.rs) calls this first
/// thing in `main`. In a copy started with `--worker`, it does that worker's
/// chunk and exits (1 if the worker failed); otherwise it returns.
pub fn serve_as_worker_if_asked() {
    if std::env::args().nth(1).as_deref() == Some(WORKER_FLAG) {
        let code = match worker_main() {
            Ok(()) => 0,
            Err(message) => {
                eprintln!("{message}");
                1
            }
        };
        std::process::exit(code);
    }
}

fn main() {
    serve_as_worker_if_asked();
    let args = Args::parse("Worker processes fed through pipes", 100_000_000);
    let report = args.measure("processes", |problem, workers| {
        integrate(problem, workers, this_program_as_worker)
            .unwrap_or_else(|message| parallel_workbook::cli::exit_with_error(&message))
    });
    args.print(&report);
}
