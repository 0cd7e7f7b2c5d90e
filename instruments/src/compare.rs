//! The `compare` example's table: every row, Rust's and each Python
//! interpreter's, with the interpreters named and what their build is.

use parallel_workbook::Problem;
use parallel_workbook::report::format_seconds;
use serde::{Deserialize, Serialize};

/// One row of the table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub strategy: String,
    pub language: String,
    /// The Python interpreter that ran the row (empty for Rust).
    #[serde(default)]
    pub interpreter: String,
    /// Its version and build, as integrate.py reports them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub python: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_threaded: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gil: Option<bool>,
    pub n: u64,
    pub threads: usize,
    pub result: f64,
    pub seconds: f64,
    /// Against the sequential row of the same language.
    #[serde(default)]
    pub speedup: f64,
}

/// The table (or with `json` one JSON line per row): the interpreters, then
/// a row each, then how much faster Rust's sequential loop is.
pub fn print_table(problem: &Problem, threads: usize, rows: &[Row], json: bool) {
    if json {
        for row in rows {
            println!("{}", serde_json::to_string(row).expect("a row serializes"));
        }
        return;
    }
    // One line per interpreter: which build ran, and whether its GIL was on.
    let mut interpreters: Vec<&Row> = rows.iter().filter(|r| r.language == "python").collect();
    interpreters.dedup_by(|a, b| a.interpreter == b.interpreter);
    for r in &interpreters {
        println!(
            "{}: {}, {}, GIL {}",
            r.interpreter,
            r.python.as_deref().unwrap_or("Python (version unknown)"),
            if r.free_threaded == Some(true) {
                "free-threaded build"
            } else {
                "default build"
            },
            if r.gil == Some(false) { "off" } else { "on" },
        );
    }
    println!(
        "N = {}, T = {threads}; speed-up is against the same interpreter's (or Rust's) sequential row",
        problem.n
    );
    println!(
        "{:<16} {:<11} {:>4} {:>10} {:>9}  result",
        "strategy", "language", "T", "time", "speed-up"
    );
    for r in rows {
        let language = if r.language == "python" {
            &r.interpreter
        } else {
            &r.language
        };
        println!(
            "{:<16} {:<11} {:>4} {:>10} {:>8.2}x  {}",
            r.strategy,
            language,
            r.threads,
            format_seconds(r.seconds),
            r.speedup,
            r.result
        );
    }
    let sequential = |interpreter: &str| {
        rows.iter()
            .find(|r| r.interpreter == interpreter && r.strategy == "sequential")
            .map(|r| r.seconds)
    };
    for r in &interpreters {
        if let (Some(rust), Some(python)) = (sequential(""), sequential(&r.interpreter)) {
            println!(
                "Rust's sequential loop is {:.0}x faster than {}'s.",
                python / rust,
                r.interpreter
            );
        }
    }
}
