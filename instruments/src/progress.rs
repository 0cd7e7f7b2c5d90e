//! A sweep's progress: a bar on a terminal, and anywhere else (a pipe, the
//! served book's page) a plain line on stderr per measured point.

use indicatif::{ProgressBar, ProgressStyle};
use parallel_workbook::report::format_seconds;

/// The progress of a sweep of `total` timed runs.
pub struct Sweep {
    bar: ProgressBar,
    total: u64,
    plain: bool,
}

impl Sweep {
    pub fn new(total: u64) -> Sweep {
        let bar = ProgressBar::new(total).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {msg}")
                .expect("valid template"),
        );
        let plain = !std::io::IsTerminal::is_terminal(&std::io::stderr());
        Sweep { bar, total, plain }
    }

    /// What is being measured now.
    pub fn now(&self, what: &str) {
        self.bar.set_message(what.to_owned());
    }

    /// `runs` more runs are done, without a line of their own.
    pub fn skip(&self, runs: u64) {
        self.bar.inc(runs);
    }

    /// `runs` more runs are done: `what` took `seconds` (the median).
    pub fn measured(&self, what: &str, seconds: f64, runs: u64) {
        self.bar.inc(runs);
        if self.plain {
            let done = self.bar.position();
            let total = self.total;
            eprintln!("{done}/{total} runs  {what}: {}", format_seconds(seconds));
        }
    }

    /// The sweep is over: the bar goes.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
