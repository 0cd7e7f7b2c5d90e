// Starts a worker, reads its reply and waits for it before starting the next: the workers run one after another.

use parallel_workbook::{Problem, chunks};
use std::io::{BufRead, BufReader, Write};
use std::ops::Range;
use std::process::{Command, Stdio};

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
    let words: Vec<&str> = task.split_whitespace().collect();
    let [a, b, n, start, end] = words[..] else {
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
    // f64's Display prints the shortest text that parses back to the same bits.
    writeln!(output, "{}", problem.sum_f(index(start)?..index(end)?))
        .map_err(|e| format!("worker: {e}"))
}

/// The parent: start the workers, send the chunks, collect the replies.
pub fn integrate(
    problem: &Problem,
    workers: usize,
    worker_command: impl Fn() -> Command,
) -> Result<f64, String> {
    let mut total = 0.0;
    for (k, chunk) in chunks(problem.n, workers as u64).enumerate() {
        let mut child = worker_command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start a worker: {e}"))?;
        // A worker that already died makes this write fail: remember, report after `wait`.
        let sent = child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(task_line(problem, chunk).as_bytes());
        let mut reply = String::new();
        let read =
            BufReader::new(child.stdout.take().expect("stdout is piped")).read_line(&mut reply);
        let status = child.wait().map_err(|e| format!("worker {k}: {e}"))?;
        if !status.success() {
            return Err(format!("worker {k} failed ({status})"));
        }
        sent.map_err(|e| format!("worker {k}: could not send its task: {e}"))?;
        read.map_err(|e| format!("worker {k}: could not read its reply: {e}"))?;
        total += reply
            .trim()
            .parse::<f64>()
            .map_err(|_| format!("worker {k} replied {reply:?}, not a number"))?;
    }
    Ok(total * problem.dx())
}
