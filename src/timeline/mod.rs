//! Timelines of real runs: what each worker thread did, and when.
//!
//! With `--timeline FILE` on the command line, each worker keeps a
//! [`Track`]: it stamps the start and the end of every chunk it sums, and of
//! every wait (for a lock, for the work queue, to send on a channel), with
//! `Instant::now()` into a `Vec` of its own. Nothing is shared and no lock is
//! taken while it records, so recording does not add waiting of its own to
//! what it measures. When the worker ends, dropping its track hands the
//! `Vec` over, once. Without `--timeline` a track is empty: it records
//! nothing and costs one atomic load when it starts.
//!
//! In an example it reads like this:
//!
//! ```
//! use parallel_workbook::timeline::Track;
//! # let problem = parallel_workbook::Problem::default();
//! # let chunk = 0..problem.n;
//! std::thread::scope(|scope| {
//!     scope.spawn(move || Track::start().chunk(chunk, |chunk| problem.sum_f(chunk)));
//! });
//! ```
//!
//! [`record`] turns recording on around one run and returns its
//! [`Timeline`]; the command line (`Args::measure`) does that and writes the
//! two files: [`trace`] is the file format (Chrome's Trace Event Format,
//! which Perfetto and chrome://tracing open) and [`svg`] draws it as a Gantt
//! chart, one row per thread.

pub mod svg;
pub mod trace;

use std::cell::RefCell;
use std::marker::PhantomData;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

pub use trace::Trace;

/// What a worker waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// A `Mutex`: from asking for the lock until the update under it is done.
    Lock,
    /// The work queue: taking the next chunk (or learning there is none).
    Queue,
    /// Sending a result: for room in a bounded channel (back-pressure), or
    /// for the receiver itself with a bound of 0.
    Send,
    /// A blocking call (a `std::thread::sleep`, a blocking read): the
    /// thread can do nothing else until it returns. On an async runtime's
    /// thread, no other task runs meanwhile (chapter 8.1).
    Blocked,
}

impl Wait {
    /// The event's name in the trace file.
    pub fn name(self) -> &'static str {
        match self {
            Wait::Lock => "lock",
            Wait::Queue => "queue",
            Wait::Send => "send",
            Wait::Blocked => "blocking call",
        }
    }
}

/// Waits that follow each other closer than this are kept as one span (with
/// their number and their total), so that a lock taken once per term does
/// not fill the file with millions of events.
pub const MERGE_GAP: Duration = Duration::from_micros(10);
/// A span of merged waits is closed when it reaches this length, so that the
/// chart still shows how the waiting share changes over the run.
pub const MERGE_SPAN: Duration = Duration::from_micros(500);

/// One worker thread's record of what it did: create it first thing in the
/// worker with [`Track::start`], wrap each chunk in [`Track::chunk`] and
/// each wait in [`Track::wait`]. Dropping it hands what it recorded over to
/// [`record`]. It belongs to the thread that started it (it is not `Send`).
pub struct Track {
    recorder: Option<Recorder>,
    /// Not `Send`: the track stamps the thread that started it.
    _this_thread: PhantomData<*const ()>,
}

struct Recorder {
    session: u64,
    thread: ThreadId,
    name: Option<String>,
    spans: RefCell<Vec<RawSpan>>,
}

#[derive(Debug, Clone, PartialEq)]
enum RawKind {
    Chunk(Range<u64>),
    Wait(Wait),
}

#[derive(Debug, Clone)]
struct RawSpan {
    kind: RawKind,
    start: Instant,
    end: Instant,
    count: u32,
    busy: Duration,
}

/// The session being recorded (0: none). Read once by each `Track::start`.
static RECORDING: AtomicU64 = AtomicU64::new(0);
static LAST_SESSION: AtomicU64 = AtomicU64::new(0);
/// Tracks handed back by finished workers: one lock per worker, when it ends.
static HANDED_BACK: Mutex<Vec<(u64, RawTrack)>> = Mutex::new(Vec::new());

struct RawTrack {
    thread: ThreadId,
    name: Option<String>,
    spans: Vec<RawSpan>,
}

impl Track {
    /// This thread's track: recording if a [`record`] is running, else empty.
    pub fn start() -> Track {
        let session = RECORDING.load(Ordering::Acquire);
        let recorder = (session != 0).then(|| {
            let me = thread::current();
            Recorder {
                session,
                thread: me.id(),
                name: me.name().map(str::to_owned),
                spans: RefCell::new(Vec::with_capacity(64)),
            }
        });
        Track {
            recorder,
            _this_thread: PhantomData,
        }
    }

    /// Whether this track records (a [`record`] is running).
    pub fn is_recording(&self) -> bool {
        self.recorder.is_some()
    }

    /// Runs `sum` on `chunk` and records when it started and ended.
    pub fn chunk<R>(&self, chunk: Range<u64>, sum: impl FnOnce(Range<u64>) -> R) -> R {
        let Some(recorder) = &self.recorder else {
            return sum(chunk);
        };
        let indices = chunk.clone();
        let start = Instant::now();
        let result = sum(chunk);
        let end = Instant::now();
        recorder.spans.borrow_mut().push(RawSpan {
            kind: RawKind::Chunk(indices),
            start,
            end,
            count: 1,
            busy: end - start,
        });
        result
    }

    /// Runs `wait` (taking a lock, a chunk from the queue, sending on a
    /// bounded channel…) and records how long it took, as a wait for `what`.
    pub fn wait<R>(&self, what: Wait, wait: impl FnOnce() -> R) -> R {
        let Some(recorder) = &self.recorder else {
            return wait();
        };
        let start = Instant::now();
        let result = wait();
        let end = Instant::now();
        push_wait(&mut recorder.spans.borrow_mut(), what, start, end);
        result
    }
}

/// Adds one wait to `spans`: to the last span if that is a wait for the
/// same thing, ended less than [`MERGE_GAP`] before, and would stay shorter
/// than [`MERGE_SPAN`]; as a span of its own otherwise.
fn push_wait(spans: &mut Vec<RawSpan>, what: Wait, start: Instant, end: Instant) {
    let kind = RawKind::Wait(what);
    match spans.last_mut() {
        Some(last)
            if last.kind == kind
                && start.saturating_duration_since(last.end) < MERGE_GAP
                && end.saturating_duration_since(last.start) < MERGE_SPAN =>
        {
            last.end = end;
            last.count += 1;
            last.busy += end - start;
        }
        _ => spans.push(RawSpan {
            kind,
            start,
            end,
            count: 1,
            busy: end - start,
        }),
    }
}

impl Drop for Track {
    fn drop(&mut self) {
        if let Some(recorder) = self.recorder.take() {
            let track = RawTrack {
                thread: recorder.thread,
                name: recorder.name,
                spans: recorder.spans.into_inner(),
            };
            HANDED_BACK
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((recorder.session, track));
        }
    }
}

/// Runs `run` with recording on, and returns what it returned and the
/// timeline of every track that ended before `run` returned. One recording
/// at a time per process (a second one waits for the first); every
/// [`Track::start`] on any thread while it runs records into it.
pub fn record<R>(run: impl FnOnce() -> R) -> (R, Timeline) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let session = LAST_SESSION.fetch_add(1, Ordering::Relaxed) + 1;
    let origin = Instant::now();
    RECORDING.store(session, Ordering::Release);
    let result = run();
    let end = Instant::now();
    RECORDING.store(0, Ordering::Release);
    let tracks: Vec<RawTrack> =
        std::mem::take(&mut *HANDED_BACK.lock().unwrap_or_else(PoisonError::into_inner))
            .into_iter()
            .filter(|(s, _)| *s == session)
            .map(|(_, track)| track)
            .collect();
    (result, Timeline::new(origin, end, tracks))
}

/// What one recorded run did: one [`Row`] per thread, times from the start
/// of the run.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// From the start of the recording to the end of the run.
    pub duration: Duration,
    /// One per thread, in the order the threads started recording.
    pub rows: Vec<Row>,
}

/// One thread's spans.
#[derive(Debug, Clone)]
pub struct Row {
    /// The thread's name, or `worker K` for an unnamed one.
    pub name: String,
    pub spans: Vec<Span>,
}

/// One chunk summed, or one wait (or several merged: see [`MERGE_GAP`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub kind: SpanKind,
    pub start: Duration,
    pub end: Duration,
    /// How many waits this span holds (1 for a chunk).
    pub count: u32,
    /// The time spent waiting inside it (the whole span for a chunk or a
    /// single wait; less for merged waits, which have work between them).
    pub busy: Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SpanKind {
    /// The indices summed, and the chunk's number in index order.
    Chunk {
        indices: Range<u64>,
        number: usize,
    },
    Wait(Wait),
}

impl Timeline {
    fn new(origin: Instant, end: Instant, tracks: Vec<RawTrack>) -> Timeline {
        let since = |t: Instant| t.saturating_duration_since(origin);
        // One row per thread: rayon may hand one thread several tracks.
        let mut threads: Vec<RawTrack> = Vec::new();
        for track in tracks {
            match threads.iter_mut().find(|t| t.thread == track.thread) {
                Some(same) => same.spans.extend(track.spans),
                None => threads.push(track),
            }
        }
        for t in &mut threads {
            t.spans.sort_by_key(|s| s.start);
        }
        // Rows in the order the threads first did something; idle ones last.
        threads.sort_by_key(|t| t.spans.first().map_or(end, |s| s.start));
        // Chunks are numbered in index order, as `chunks()` numbers them.
        let mut starts: Vec<u64> = threads
            .iter()
            .flat_map(|t| &t.spans)
            .filter_map(|s| match &s.kind {
                RawKind::Chunk(r) => Some(r.start),
                RawKind::Wait(_) => None,
            })
            .collect();
        starts.sort_unstable();
        let rows = threads
            .into_iter()
            .enumerate()
            .map(|(k, t)| Row {
                name: t.name.unwrap_or_else(|| format!("worker {k}")),
                spans: t
                    .spans
                    .into_iter()
                    .map(|s| Span {
                        kind: match s.kind {
                            RawKind::Chunk(indices) => SpanKind::Chunk {
                                number: starts.partition_point(|&x| x < indices.start),
                                indices,
                            },
                            RawKind::Wait(w) => SpanKind::Wait(w),
                        },
                        start: since(s.start),
                        end: since(s.end),
                        count: s.count,
                        busy: s.busy,
                    })
                    .collect(),
            })
            .collect();
        Timeline {
            duration: since(end),
            rows,
        }
    }
}

/// The two files `--timeline FILE` writes: FILE.json and FILE.svg (a given
/// `.json` or `.svg` is replaced, not doubled). A bare name, with no
/// directory part, goes into `target/timelines/` of the workbook, where
/// `cargo workbook serve` shows each example's latest timeline.
pub fn output_files(given: &Path) -> Result<(PathBuf, PathBuf), String> {
    let name = given.file_name().ok_or_else(|| {
        format!(
            "--timeline {}: give a file name, such as `--timeline mutex-item`",
            given.display()
        )
    })?;
    let bare = given
        .parent()
        .is_none_or(|parent| parent.as_os_str().is_empty());
    let mut base = if bare {
        timelines_dir().join(name)
    } else {
        given.to_path_buf()
    };
    if matches!(
        base.extension().and_then(|e| e.to_str()),
        Some("json" | "svg")
    ) {
        base.set_extension("");
    }
    let with = |ext: &str| {
        let mut file = base.clone().into_os_string();
        file.push(".");
        file.push(ext);
        PathBuf::from(file)
    };
    Ok((with("json"), with("svg")))
}

/// `target/timelines/` in the workbook's own directory.
pub fn timelines_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("timelines")
}

/// Writes the trace and its chart (each to a temporary file first, then
/// renamed, so a server never serves half a file).
pub fn write_files(trace: &Trace, json: &Path, svg: &Path) -> Result<(), String> {
    for (path, text) in [(json, trace.to_json()), (svg, svg::render(trace))] {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("--timeline: cannot create {}: {e}", dir.display()))?;
        }
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        std::fs::write(&partial, text)
            .and_then(|()| std::fs::rename(&partial, path))
            .map_err(|e| format!("--timeline: cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every test that records runs inside this one: a recording collects
    /// every track started in the process, so two at once would mix.
    #[test]
    fn recording() {
        a_disabled_track_records_nothing();
        each_thread_gets_a_row_and_chunks_are_numbered_in_index_order();
        every_wait_is_counted_once();
        a_track_from_another_recording_is_left_out();
    }

    fn a_disabled_track_records_nothing() {
        let track = Track::start();
        assert!(!track.is_recording());
        assert_eq!(track.chunk(0..3, |c| c.end - c.start), 3);
        assert_eq!(track.wait(Wait::Lock, || 7), 7);
        drop(track);
        let ((), timeline) = record(|| ());
        assert!(timeline.rows.is_empty(), "{timeline:?}");
    }

    fn each_thread_gets_a_row_and_chunks_are_numbered_in_index_order() {
        let (total, timeline) = record(|| {
            thread::scope(|scope| {
                let handles: Vec<_> = [20..30, 0..10, 10..20]
                    .into_iter()
                    .map(|chunk| {
                        scope.spawn(move || {
                            Track::start().chunk(chunk, |c| c.map(|i| i as f64).sum::<f64>())
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).sum::<f64>()
            })
        });
        assert_eq!(total, (0..30).sum::<u64>() as f64);
        assert_eq!(timeline.rows.len(), 3);
        let mut numbers: Vec<(u64, usize)> = timeline
            .rows
            .iter()
            .flat_map(|r| &r.spans)
            .map(|s| match &s.kind {
                SpanKind::Chunk { indices, number } => (indices.start, *number),
                SpanKind::Wait(_) => panic!("no waits here"),
            })
            .collect();
        numbers.sort_unstable();
        assert_eq!(numbers, [(0, 0), (10, 1), (20, 2)]);
        for row in &timeline.rows {
            assert!(row.name.starts_with("worker "), "{}", row.name);
            for span in &row.spans {
                assert!(span.start <= span.end && span.end <= timeline.duration);
            }
        }
    }

    fn every_wait_is_counted_once() {
        let ((), timeline) = record(|| {
            let track = Track::start();
            assert!(track.is_recording());
            track.chunk(0..100, |c| {
                for _ in c {
                    track.wait(Wait::Lock, || ());
                }
            });
            // A chunk between two waits keeps them apart.
            track.wait(Wait::Queue, || ());
            track.chunk(100..101, |_| ());
            track.wait(Wait::Queue, || ());
        });
        let row = &timeline.rows[0];
        assert_eq!(row.name, thread::current().name().unwrap());
        let locks: Vec<&Span> = row
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Wait(Wait::Lock))
            .collect();
        let counted: u32 = locks.iter().map(|s| s.count).sum();
        assert_eq!(counted, 100);
        for s in &locks {
            assert!(s.busy <= s.end - s.start);
        }
        let queues = row
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Wait(Wait::Queue))
            .count();
        assert_eq!(queues, 2);
    }

    #[test]
    fn close_waits_merge_until_a_gap_a_length_or_another_kind() {
        let origin = Instant::now();
        let at = |us: u64| origin + Duration::from_micros(us);
        let mut spans = Vec::new();
        // Three waits 2 µs apart: one span of 3, 3 µs of waiting in 7.
        for start in [0, 3, 6] {
            push_wait(&mut spans, Wait::Lock, at(start), at(start + 1));
        }
        assert_eq!(spans.len(), 1);
        let span = &spans[0];
        assert_eq!((span.count, span.busy), (3, Duration::from_micros(3)));
        assert_eq!((span.start, span.end), (at(0), at(7)));
        // A gap of MERGE_GAP or more starts a new span.
        let later = 7 + MERGE_GAP.as_micros() as u64;
        push_wait(&mut spans, Wait::Lock, at(later), at(later + 1));
        assert_eq!(spans.len(), 2);
        // So does another kind of wait, right after.
        push_wait(&mut spans, Wait::Queue, at(later + 2), at(later + 3));
        assert_eq!(spans.len(), 3);
        // And a span stops growing before MERGE_SPAN.
        let mut spans = Vec::new();
        let span_us = MERGE_SPAN.as_micros() as u64;
        for start in (0..2 * span_us).step_by(5) {
            push_wait(&mut spans, Wait::Lock, at(start), at(start + 1));
        }
        assert!(spans.len() >= 2, "{} spans", spans.len());
        assert!(spans.iter().all(|s| s.end - s.start < MERGE_SPAN));
        assert_eq!(
            spans.iter().map(|s| s.count).sum::<u32>(),
            (2 * span_us / 5) as u32
        );
    }

    fn a_track_from_another_recording_is_left_out() {
        let (late, first) = record(|| {
            let (to_worker, from_main) = std::sync::mpsc::channel::<()>();
            let (started, has_started) = std::sync::mpsc::channel::<()>();
            let worker = thread::spawn(move || {
                let track = Track::start();
                started.send(()).unwrap();
                from_main.recv().unwrap(); // ends after the recording
                track.chunk(0..1, |_| ());
            });
            has_started.recv().unwrap();
            (worker, to_worker)
        });
        assert!(first.rows.is_empty());
        let ((), second) = record(|| {
            let (worker, to_worker) = late;
            to_worker.send(()).unwrap();
            worker.join().unwrap();
        });
        assert!(second.rows.is_empty(), "{second:?}");
    }

    #[test]
    fn a_bare_name_goes_to_target_timelines() {
        let (json, svg) = output_files(Path::new("mutex-item")).unwrap();
        assert_eq!(json, timelines_dir().join("mutex-item.json"));
        assert_eq!(svg, timelines_dir().join("mutex-item.svg"));
        let (json, svg) = output_files(Path::new("racy.svg")).unwrap();
        assert_eq!(json, timelines_dir().join("racy.json"));
        assert_eq!(svg, timelines_dir().join("racy.svg"));
        let (json, svg) = output_files(Path::new("out/run.1.json")).unwrap();
        assert_eq!(json, Path::new("out/run.1.json"));
        assert_eq!(svg, Path::new("out/run.1.svg"));
        let (json, _) = output_files(Path::new("./here")).unwrap();
        assert_eq!(json, Path::new("./here.json"));
        assert!(output_files(Path::new("")).is_err());
        assert!(output_files(Path::new("..")).is_err());
        assert!(output_files(Path::new("/")).is_err());
    }
}
