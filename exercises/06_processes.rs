// ANCHOR: statement
//! # 14 · Worker processes
//!
//! Processes share no memory: the parent sends each worker process its task
//! through a pipe and reads the answer back through another. The protocol:
//!
//! - the parent writes one line to the worker's stdin, `a b n start end`
//!   (`task_line` below writes it);
//! - the worker writes one line to its stdout, the partial sum Σ f(x_i) for
//!   i in start..end (`Problem::sum_f`), and exits with success.
//!
//! 1. `worker(input, output)`: the worker's side. It reads the task line;
//!    parse the five numbers and write the sum. A line that is not five
//!    numbers is an `Err` with a message, never a panic.
//! 2. `integrate`: the parent's side. Start `workers` processes from
//!    `worker_command()` with piped stdin and stdout, and send each one its
//!    chunk. Only when all are started, read each reply and wait for each
//!    process. Return the sum of the replies times Δx. A worker that cannot
//!    start, fails, or replies something that is not a number gives an
//!    `Err`: never a panic, never a hang.
//!
//! Book: Part 2 › Processes (book/part2/09-processes.md)
//! Check: `cargo workbook check 06_processes`
// ANCHOR_END: statement

use parallel_workbook::Problem;
use std::io::{BufRead, Write};
use std::ops::Range;
use std::process::Command;

/// The task line for one chunk: "a b n start end\n".
pub fn task_line(problem: &Problem, chunk: Range<u64>) -> String {
    format!(
        "{} {} {} {} {}\n",
        problem.a, problem.b, problem.n, chunk.start, chunk.end
    )
}

/// The worker: one task line in, one partial sum out.
pub fn worker(mut input: impl BufRead, mut output: impl Write) -> Result<(), String> {
    let mut task = String::new();
    input
        .read_line(&mut task)
        .map_err(|e| format!("worker: {e}"))?;
    // TODO: parse the five numbers (an Err if they are not), write the partial sum as one line.
    let _ = &mut output;
    todo!("answer the task {task:?}")
}

/// The parent: start the workers, send the chunks, collect the replies.
pub fn integrate(
    problem: &Problem,
    workers: usize,
    worker_command: impl Fn() -> Command,
) -> Result<f64, String> {
    // TODO: spawn every worker (Stdio::piped()), send each its task_line, then read, wait and add up.
    let _ = &worker_command;
    todo!("integrate {problem:?} on {workers} worker processes")
}
