//! The report every example prints after a run: one line a person reads,
//! or with `--json` one JSON object; and the same object on the side channel
//! `cargo workbook serve` opens, for the page to show as a table.

use crate::problem::Problem;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::io::Write;

/// Environment variable naming the file an example appends its reports to,
/// one JSON line each: set only by `cargo workbook serve` when it runs an
/// example from the page (it forwards each line to the page as it comes). The
/// example's own output stays what the learner reads in a terminal.
pub const REPORTS_ENV: &str = "WORKBOOK_REPORTS";

/// The result of one timed run: what every example prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub strategy: String,
    pub a: f64,
    pub b: f64,
    pub n: u64,
    pub threads: usize,
    pub result: f64,
    /// The integral, (b³ − a³) / 3.
    pub exact: f64,
    /// The closed form of the left sum: what the code should produce.
    pub left_sum: f64,
    /// |result − exact|: the error against the integral.
    pub abs_error: f64,
    pub seconds: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequential_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speedup: Option<f64>,
    /// Example-specific fields, such as `lost_updates`.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Report {
    pub fn new(
        strategy: &str,
        problem: &Problem,
        threads: usize,
        result: f64,
        seconds: f64,
    ) -> Self {
        let exact = problem.exact_integral();
        Report {
            strategy: strategy.to_owned(),
            a: problem.a,
            b: problem.b,
            n: problem.n,
            threads,
            result,
            exact,
            left_sum: problem.exact_left_sum(),
            abs_error: (result - exact).abs(),
            seconds,
            sequential_seconds: None,
            speedup: None,
            extra: Map::new(),
        }
    }

    /// Adds an example-specific field (shown in the text line and the JSON).
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.extra.insert(key.to_owned(), value);
        self
    }

    /// The report as one line of JSON.
    pub fn to_json(&self) -> String {
        let mut report = self.clone();
        report.speedup = self.sequential_seconds.map(|s| s / self.seconds);
        serde_json::to_string(&report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Prints the report: the text line, or its JSON with `json`; then, when
    /// `cargo workbook serve` runs the example, the JSON on its side channel.
    pub fn print(&self, json: bool) {
        if json {
            println!("{}", self.to_json());
        } else {
            println!("{self}");
        }
        self.to_side_channel();
    }

    /// Appends the JSON to the file named by [`REPORTS_ENV`], if it is set.
    /// Silent either way: what the learner reads must not change, and a
    /// page without the table still has the line.
    pub fn to_side_channel(&self) {
        let Some(path) = std::env::var_os(REPORTS_ENV).filter(|p| !p.is_empty()) else {
            return;
        };
        let line = format!("{}\n", self.to_json());
        // One write of the whole line, so the reader never sees half of it
        // as a line of its own.
        let _ = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .and_then(|mut file| file.write_all(line.as_bytes()));
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:<15} N={} T={}  result={}  left sum={}  |error|={:.3e}  time={}",
            self.strategy,
            self.n,
            self.threads,
            self.result,
            self.left_sum,
            self.abs_error,
            format_seconds(self.seconds)
        )?;
        for (key, value) in &self.extra {
            write!(f, "  {key}={value}")?;
        }
        if let Some(sequential) = self.sequential_seconds {
            write!(
                f,
                "  speed-up={:.2}x (sequential {})",
                sequential / self.seconds,
                format_seconds(sequential)
            )?;
        }
        Ok(())
    }
}

/// "812 µs", "52.1 ms", "1.23 s": a duration a person can read.
pub fn format_seconds(seconds: f64) -> String {
    if seconds < 1e-3 {
        format!("{:.0} µs", seconds * 1e6)
    } else if seconds < 1.0 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{seconds:.2} s")
    }
}
