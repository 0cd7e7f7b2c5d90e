//! Timing one run of a strategy, as every example's `main` does through
//! [`Args::run`]: the run itself, `--compare`'s sequential baseline, and
//! `--timeline`'s recording and files.

use crate::cli::{Args, exit_with_error, run_command};
use crate::problem::Problem;
use crate::report::Report;
use crate::timeline::{self, trace};
use crate::work::{self, Work};
use serde_json::{Map, Value};
use std::path::Path;
use std::time::Instant;

impl Args {
    /// Runs `integrate` once, timed, and returns its report (not yet printed).
    /// With `--timeline`, records the run and writes its two files; with
    /// `--work uneven`, refuses a strategy that did even work all the same.
    pub fn measure(
        &self,
        strategy: &str,
        integrate: impl FnOnce(&Problem, usize) -> f64,
    ) -> Report {
        static DEBUG_NOTE: std::sync::Once = std::sync::Once::new();
        if cfg!(debug_assertions) {
            DEBUG_NOTE
                .call_once(|| eprintln!("note: this is a debug build; timings need --release"));
        }
        let problem = self.problem();
        let threads = self.threads();
        work::take_uneven_kernel_ran();
        let timed = || {
            let start = Instant::now();
            let result = integrate(&problem, threads);
            (result, start.elapsed().as_secs_f64())
        };
        let ((result, seconds), recorded) = match self.timeline {
            None => (timed(), None),
            Some(_) => {
                let (timed, recorded) = timeline::record(timed);
                (timed, Some(recorded))
            }
        };
        if self.work == Work::Uneven && !work::take_uneven_kernel_ran() {
            exit_with_error(&format!(
                "--work uneven: {strategy} does not sum its chunks with Problem::sum_f, \
                 so it would do even work; use a strategy that sums chunks"
            ));
        }
        let mut report = Report::new(strategy, &problem, threads, result, seconds);
        if self.work == Work::Uneven {
            report = report.with("work", self.work.to_string());
        }
        if let (Some(given), Some(recorded)) = (&self.timeline, recorded) {
            self.write_timeline(given, &recorded, &report);
        }
        if self.compare {
            report.sequential_seconds = Some(self.sequential_seconds());
        }
        report
    }

    /// The time of the plain sequential loop on this problem, measured once
    /// (on first use) and remembered: the baseline of `--compare`.
    pub fn sequential_seconds(&self) -> f64 {
        *self.sequential_seconds.get_or_init(|| {
            let problem = self.problem();
            let start = Instant::now();
            std::hint::black_box(problem.sum_f(0..problem.n) * problem.dx());
            start.elapsed().as_secs_f64()
        })
    }

    /// Writes the `--timeline` files of one recorded run, and says where on stderr.
    fn write_timeline(&self, given: &Path, recorded: &timeline::Timeline, report: &Report) {
        if recorded.rows.is_empty() {
            exit_with_error(&format!(
                "--timeline: {} records no timeline (its workers keep no timeline::Track)",
                report.strategy
            ));
        }
        let (json, svg) = timeline::output_files(given).unwrap_or_else(|e| exit_with_error(&e));
        let mut extra = match serde_json::to_value(report) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        extra.remove("sequential_seconds");
        let about = trace::About {
            title: format!(
                "{}, N = {}, T = {}{}",
                report.strategy,
                report.n,
                report.threads,
                match self.work {
                    Work::Even => "",
                    Work::Uneven => ", uneven work",
                }
            ),
            command: command_line(),
            machine: trace::this_machine(),
            run_us: 0.0,
            extra,
        };
        let trace = trace::Trace::new(recorded, about);
        timeline::write_files(&trace, &json, &svg).unwrap_or_else(|e| exit_with_error(&e));
        eprintln!(
            "timeline: wrote {} (open it in https://ui.perfetto.dev) and {}",
            json.display(),
            svg.display()
        );
    }

    /// Prints a report as a text line, or as JSON with `--json` (and on the
    /// page's side channel, when the server runs the example).
    pub fn print(&self, report: &Report) {
        report.print(self.json);
    }

    /// Measures and prints: what most examples' `main` does.
    pub fn run(&self, strategy: &str, integrate: impl FnOnce(&Problem, usize) -> f64) -> Report {
        let report = self.measure(strategy, integrate);
        self.print(&report);
        report
    }
}

/// The command that is running, as `cargo run --release --example NAME -- FLAGS`
/// (with `-p PACKAGE` for an example of another package: its usage line's).
fn command_line() -> String {
    let flags: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    format!("{} {}", run_command(), flags.join(" "))
}
