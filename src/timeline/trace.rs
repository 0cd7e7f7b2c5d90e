//! The timeline file: Chrome's Trace Event Format, in its JSON object form.
//!
//! ```json
//! {"traceEvents": [
//!   {"ph": "M", "name": "process_name", "pid": 1, "tid": 0, "args": {"name": "threads, N = …"}},
//!   {"ph": "M", "name": "thread_name", "pid": 1, "tid": 1, "args": {"name": "chunk-0"}},
//!   {"ph": "X", "name": "chunk 0", "cat": "work", "ts": 12.5, "dur": 48210.0,
//!    "pid": 1, "tid": 1, "args": {"first": 0, "end": 50000000}},
//!   {"ph": "X", "name": "lock", "cat": "wait", "ts": 80.1, "dur": 500.0,
//!    "pid": 1, "tid": 2, "args": {"waits": 4210, "waiting_us": 391.7}}
//! ],
//!  "displayTimeUnit": "ms",
//!  "otherData": {"title": "...", "run_us": 48400.0, ...}}
//! ```
//!
//! Each span is a *complete* event (`"ph": "X"`): a start `ts` and a length
//! `dur`, both in microseconds from the start of the run. `pid` is the run
//! (always 1, named by a `process_name` metadata event, `"ph": "M"`), `tid`
//! the thread's row (1, 2, …), named by a `thread_name` one. A chunk's `args` hold its indices
//! (`first..end`, end excluded); a wait's hold how many waits it merges and
//! how long they waited in all. Perfetto (<https://ui.perfetto.dev>) and
//! chrome://tracing open the file as it is; [`super::svg`] draws it.

use super::{SpanKind, Timeline};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// A whole trace file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trace {
    #[serde(rename = "traceEvents")]
    pub events: Vec<Event>,
    #[serde(rename = "displayTimeUnit", default = "milliseconds")]
    pub display_time_unit: String,
    #[serde(rename = "otherData", default)]
    pub about: About,
}

fn milliseconds() -> String {
    "ms".to_owned()
}

/// One event.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    pub name: String,
    /// `work` for a chunk, `wait` for a wait.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cat: String,
    /// `X`: a complete event; `M`: metadata (a thread's name, its row order).
    pub ph: String,
    /// Start, in microseconds from the start of the run.
    #[serde(default)]
    pub ts: f64,
    /// Length in microseconds (complete events only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dur: Option<f64>,
    pub pid: u64,
    pub tid: u64,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub args: Map<String, Value>,
}

/// What the run was: shown in the chart's title and in Perfetto's "metadata".
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct About {
    /// One line saying what ran, such as `threads: N = 100000000, T = 2, even work`.
    #[serde(default)]
    pub title: String,
    /// The command that recorded it.
    #[serde(default)]
    pub command: String,
    /// The machine it ran on (CPU model and core count).
    #[serde(default)]
    pub machine: String,
    /// The length of the run in microseconds: the chart's time axis.
    #[serde(default)]
    pub run_us: f64,
    /// Anything else: the report's fields (strategy, n, threads, work, result…).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The category of chunk events and of wait events.
pub const WORK: &str = "work";
pub const WAIT: &str = "wait";

/// Microseconds, to the nanosecond (exact in an f64 up to 104 days).
fn micros(d: std::time::Duration) -> f64 {
    d.as_nanos() as f64 / 1000.0
}

impl Trace {
    /// The trace of a recorded run, with `about` naming it.
    pub fn new(timeline: &Timeline, mut about: About) -> Trace {
        about.run_us = micros(timeline.duration);
        // The run names the process in Perfetto's track list.
        let mut events = vec![metadata("process_name", 0, json!({ "name": about.title }))];
        for (k, row) in timeline.rows.iter().enumerate() {
            let tid = k as u64 + 1;
            events.push(metadata("thread_name", tid, json!({ "name": row.name })));
            events.push(metadata(
                "thread_sort_index",
                tid,
                json!({ "sort_index": tid }),
            ));
            for span in &row.spans {
                let (name, cat, args) = match &span.kind {
                    SpanKind::Chunk { indices, number } => (
                        format!("chunk {number}"),
                        WORK,
                        json!({ "first": indices.start, "end": indices.end }),
                    ),
                    SpanKind::Wait(wait) => (
                        wait.name().to_owned(),
                        WAIT,
                        json!({ "waits": span.count, "waiting_us": micros(span.busy) }),
                    ),
                };
                events.push(Event {
                    name,
                    cat: cat.to_owned(),
                    ph: "X".to_owned(),
                    ts: micros(span.start),
                    dur: Some(micros(span.end.saturating_sub(span.start))),
                    pid: 1,
                    tid,
                    args: match args {
                        Value::Object(map) => map,
                        _ => Map::new(),
                    },
                });
            }
        }
        Trace {
            events,
            display_time_unit: milliseconds(),
            about,
        }
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a trace always serializes")
    }

    /// Reads a trace file's text.
    pub fn from_json(text: &str) -> Result<Trace, String> {
        serde_json::from_str(text).map_err(|e| format!("not a trace file: {e}"))
    }

    /// The rows, in order: (tid, the thread's name). A thread is a row if
    /// it has a name or a complete event.
    pub fn threads(&self) -> Vec<(u64, String)> {
        let mut threads: Vec<(u64, String)> = Vec::new();
        for e in &self.events {
            let named = e.ph == "M" && e.name == "thread_name";
            if !(named || e.ph == "X") {
                continue;
            }
            let name = named
                .then(|| e.args.get("name").and_then(Value::as_str))
                .flatten();
            match threads.iter_mut().find(|(tid, _)| *tid == e.tid) {
                Some(known) => {
                    if let Some(name) = name {
                        known.1 = name.to_owned();
                    }
                }
                None => threads.push((
                    e.tid,
                    name.map_or_else(|| format!("thread {}", e.tid), str::to_owned),
                )),
            }
        }
        threads.sort_by_key(|(tid, _)| *tid);
        threads
    }

    /// The complete events (`"ph": "X"`) of thread `tid`, in time order.
    pub fn spans_of(&self, tid: u64) -> Vec<&Event> {
        let mut spans: Vec<&Event> = self
            .events
            .iter()
            .filter(|e| e.ph == "X" && e.tid == tid)
            .collect();
        spans.sort_by(|a, b| a.ts.total_cmp(&b.ts));
        spans
    }

    /// Every chunk event's indices, `first..end`.
    pub fn chunks(&self) -> Vec<std::ops::Range<u64>> {
        self.events
            .iter()
            .filter(|e| e.ph == "X" && e.cat == WORK)
            .filter_map(|e| {
                let first = e.args.get("first")?.as_u64()?;
                let end = e.args.get("end")?.as_u64()?;
                Some(first..end)
            })
            .collect()
    }

    /// The run's length in microseconds: `otherData.run_us`, or the end of
    /// the last event for a trace written by something else.
    pub fn run_us(&self) -> f64 {
        let last = self
            .events
            .iter()
            .filter(|e| e.ph == "X")
            .map(|e| e.ts + e.dur.unwrap_or(0.0))
            .fold(0.0, f64::max);
        self.about.run_us.max(last)
    }
}

fn metadata(name: &str, tid: u64, args: Value) -> Event {
    Event {
        name: name.to_owned(),
        cat: String::new(),
        ph: "M".to_owned(),
        ts: 0.0,
        dur: None,
        pid: 1,
        tid,
        args: match args {
            Value::Object(map) => map,
            _ => Map::new(),
        },
    }
}

/// The CPU model and the number of cores this program may use, for
/// [`About::machine`] (the model from `/proc/cpuinfo` on Linux).
pub fn this_machine() -> String {
    let cores = crate::machine::default_threads();
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_owned());
    format!("{model}, {cores} cores")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::{Row, Span, Wait};
    use std::time::Duration;

    pub(crate) fn sample() -> Trace {
        let us = Duration::from_micros;
        let timeline = Timeline {
            duration: us(1000),
            rows: vec![
                Row {
                    name: "chunk-0".into(),
                    spans: vec![Span {
                        kind: SpanKind::Chunk {
                            indices: 0..50,
                            number: 0,
                        },
                        start: us(10),
                        end: us(400),
                        count: 1,
                        busy: us(390),
                    }],
                },
                Row {
                    name: "chunk-1".into(),
                    spans: vec![
                        Span {
                            kind: SpanKind::Wait(Wait::Lock),
                            start: us(20),
                            end: us(120),
                            count: 40,
                            busy: us(75),
                        },
                        Span {
                            kind: SpanKind::Chunk {
                                indices: 50..100,
                                number: 1,
                            },
                            start: us(120),
                            end: us(990),
                            count: 1,
                            busy: us(870),
                        },
                    ],
                },
            ],
        };
        Trace::new(
            &timeline,
            About {
                title: "test run".into(),
                ..About::default()
            },
        )
    }

    #[test]
    fn a_trace_reads_back_what_it_wrote() {
        let trace = sample();
        let again = Trace::from_json(&trace.to_json()).unwrap();
        assert_eq!(again.events, trace.events);
        // The process is named after the run, and is not a row.
        assert_eq!(again.events[0].name, "process_name");
        assert_eq!(again.events[0].args["name"], "test run");
        assert_eq!(again.about, trace.about);
        assert_eq!(again.run_us(), 1000.0);
        assert_eq!(
            again.threads(),
            [(1, "chunk-0".to_owned()), (2, "chunk-1".to_owned())]
        );
        assert_eq!(again.chunks(), [0..50, 50..100]);
        let lock = again.spans_of(2)[0];
        assert_eq!((lock.name.as_str(), lock.cat.as_str()), ("lock", WAIT));
        assert_eq!(lock.args["waits"], 40);
        assert_eq!(lock.args["waiting_us"], 75.0);
        assert_eq!((lock.ts, lock.dur), (20.0, Some(100.0)));
    }

    #[test]
    fn a_trace_from_elsewhere_reads_too() {
        let text = r#"{"traceEvents":[{"name":"x","ph":"X","ts":5,"dur":10,"pid":7,"tid":3}]}"#;
        let trace = Trace::from_json(text).unwrap();
        assert_eq!(trace.threads(), [(3, "thread 3".to_owned())]);
        assert_eq!(trace.run_us(), 15.0);
        assert!(Trace::from_json("[]").is_err());
    }
}
