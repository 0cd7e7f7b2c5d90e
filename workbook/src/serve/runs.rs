//! Runs started from the page: one at a time, in the order asked (timed
//! runs must not disturb each other's numbers), each answered as a stream
//! of JSON lines (`application/x-ndjson`), one [`RunEvent`] each, that the
//! page reads as it comes:
//!
//! ```text
//! {"event":"queued","ahead":1}               another run goes first
//! {"event":"started","run":7}                 POST /__workbook/api/run/stop {"run":7} ends it
//! {"event":"phase","phase":"compiling"}       preparing, compiling, cached, running
//! {"event":"output","stream":"stdout","text":"…"}   also "stderr" and "build" (cargo's lines)
//! {"event":"compile_error","code":"E0382","rendered":"…"}
//! {"event":"report","report":{"strategy":"threads",…}}  an example's report (its side channel)
//! {"event":"done","outcome":"exited","exit_code":0,"message":"…","wall_s":0.4,…}
//! ```
//!
//! The types are [`super::contract`]'s. A page that goes away (its
//! request is dropped, even while the run prints nothing) stops its run.
//! The events go to the page through a bounded channel, so a page that
//! stops reading holds the run back instead of growing the server; at most
//! [`super::OUTPUT_LIMIT`] of each stream (and of an example's reports)
//! is passed on, and nothing once
//! the run is over. At most [`MAX_WAITING`] runs wait in line; more are
//! answered 429.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::{Notify, Semaphore, mpsc};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;

pub use super::contract::{Done, Outcome, OutputStream, Phase, RunEvent, StopRequest};
use super::{OUTPUT_LIMIT, Server};
use crate::process::{
    Containment, Finished, Limits, OnOutput, OnStart, Stopper, Stream, Supervised,
};

/// The most runs that may wait for their turn.
pub const MAX_WAITING: usize = 8;

/// Events held for a page that has not read them yet.
const EVENTS_HELD: usize = 64;

/// What a run's work gets: where to send events, how it is stopped, and
/// how its programs are contained.
#[derive(Clone)]
pub struct RunContext {
    control: Arc<Control>,
    contain: Option<Containment>,
}

struct Control {
    /// The way to the page; taken when the run is over.
    tx: Mutex<Option<mpsc::Sender<RunEvent>>>,
    stopped: AtomicBool,
    /// The done event is out: nothing more goes to the page.
    over: AtomicBool,
    /// Wakes the watcher of the page when the run is over.
    over_notice: Notify,
    current: Mutex<Option<Stopper>>,
    /// Bytes passed on so far: stdout, stderr, build, and the reports of
    /// an example's side channel.
    passed: Mutex<[usize; 4]>,
    cut: AtomicBool,
}

impl RunContext {
    fn new(tx: mpsc::Sender<RunEvent>, contain: Option<Containment>) -> RunContext {
        RunContext {
            control: Arc::new(Control {
                tx: Mutex::new(Some(tx)),
                stopped: AtomicBool::new(false),
                over: AtomicBool::new(false),
                over_notice: Notify::new(),
                current: Mutex::new(None),
                passed: Mutex::new([0; 4]),
                cut: AtomicBool::new(false),
            }),
            contain,
        }
    }

    fn sender(&self) -> Option<mpsc::Sender<RunEvent>> {
        self.control
            .tx
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Sends an event, waiting while the page has not read those before
    /// (from the run's own threads, never the server's); a page that has
    /// gone away stops the run, and once the run is over nothing is sent.
    pub fn send(&self, event: RunEvent) {
        let Some(tx) = self.sender() else { return };
        let mut event = event;
        loop {
            if self.control.over.load(Ordering::SeqCst) {
                return;
            }
            match tx.try_send(event) {
                Ok(()) => return,
                Err(mpsc::error::TrySendError::Full(again)) => {
                    event = again;
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(mpsc::error::TrySendError::Closed(_)) => return self.stop(),
            }
        }
    }

    /// [`RunContext::send`] from the server's tasks.
    async fn send_async(&self, event: RunEvent) {
        let Some(tx) = self.sender() else { return };
        if tx.send(event).await.is_err() {
            self.stop();
        }
    }

    pub fn phase(&self, phase: Phase) {
        self.send(RunEvent::Phase { phase });
    }

    /// Output as it comes, on `stream`: at most [`OUTPUT_LIMIT`] of each.
    pub fn output(&self, stream: impl Into<OutputStream>, bytes: &[u8]) {
        let stream = stream.into();
        let slot = match stream {
            OutputStream::Stdout => 0,
            OutputStream::Stderr => 1,
            OutputStream::Build => 2,
        };
        let room = self.room(slot, bytes.len());
        if room > 0 {
            self.send(RunEvent::Output {
                stream,
                text: String::from_utf8_lossy(&bytes[..room]).into_owned(),
            });
        }
    }

    /// A report of the example's side channel (`len`: the bytes of its
    /// line), passed on whole while the reports stay within
    /// [`OUTPUT_LIMIT`] together.
    pub fn report(&self, report: super::contract::Report, len: usize) {
        if self.room(3, len) == len {
            self.send(RunEvent::Report { report });
        }
    }

    /// How many of `len` more bytes of `slot` may be passed on (the rest
    /// is cut, and the run's `done` will say so).
    fn room(&self, slot: usize, len: usize) -> usize {
        let mut passed = self
            .control
            .passed
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let room = OUTPUT_LIMIT.saturating_sub(passed[slot]).min(len);
        if room < len {
            self.control.cut.store(true, Ordering::SeqCst);
            // A report is passed on whole or not at all: none of it counts.
            if slot == 3 {
                return 0;
            }
        }
        passed[slot] += room;
        room
    }

    /// How the programs of this run are contained (none: not on Linux).
    pub fn contain(&self) -> Option<Containment> {
        self.contain.clone()
    }

    /// How to build for this run: a release build, quiet, contained, that
    /// Stop reaches.
    pub fn cargo_options(&self, limits: Limits) -> crate::cargo::Options {
        crate::cargo::Options {
            release: true,
            show: crate::cargo::Show::Quiet,
            limits,
            on_progress: None,
            on_start: Some(self.on_start()),
            contain: self.contain(),
        }
    }

    /// The program now running for this run; a stop from now on ends it.
    pub fn running(&self, stopper: Stopper) {
        let mut current = self
            .control
            .current
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if self.stopped() {
            stopper.stop();
        }
        *current = Some(stopper);
    }

    /// What hands each program this run starts (cargo, then the program
    /// itself) to [`RunContext::running`], so that Stop reaches it.
    pub fn on_start(&self) -> OnStart {
        let ctx = self.clone();
        Arc::new(move |stopper| ctx.running(stopper))
    }

    /// What streams cargo's progress lines to the page, as `"build"` output.
    pub fn on_build_output(&self) -> OnOutput {
        let ctx = self.clone();
        Arc::new(move |_, bytes| ctx.output(OutputStream::Build, bytes))
    }

    /// Runs `cmd` under `limits` as this run's program, contained: its
    /// output streams to the page as it comes, and a stop (or the page
    /// leaving) ends it and everything it started.
    pub fn supervise(
        &self,
        cmd: std::process::Command,
        limits: Limits,
    ) -> anyhow::Result<Finished> {
        let sink = self.clone();
        Supervised::new(cmd, limits)
            .contain(self.contain())
            .on_output(Arc::new(move |stream: Stream, bytes: &[u8]| {
                sink.output(stream, bytes)
            }))
            .start()
            .and_then(|running| {
                self.running(running.stopper());
                running.wait()
            })
    }

    pub fn stopped(&self) -> bool {
        self.control.stopped.load(Ordering::SeqCst)
    }

    /// Whether some output was not passed on (past [`OUTPUT_LIMIT`]).
    pub fn cut(&self) -> bool {
        self.control.cut.load(Ordering::SeqCst)
    }

    pub fn stop(&self) {
        self.control.stopped.store(true, Ordering::SeqCst);
        if let Some(stopper) = self
            .control
            .current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            stopper.stop();
        }
    }
}

/// The queue: one run at a time, first come first served.
pub struct Runs {
    slot: Semaphore,
    waiting: AtomicUsize,
    next_id: AtomicU64,
    active: Mutex<HashMap<u64, RunContext>>,
}

impl Default for Runs {
    fn default() -> Self {
        Runs {
            // tokio's semaphore is fair: runs go in the order they asked.
            slot: Semaphore::new(1),
            waiting: AtomicUsize::new(0),
            next_id: AtomicU64::new(1),
            active: Mutex::new(HashMap::new()),
        }
    }
}

impl Runs {
    /// Queues `work` (a blocking function) and answers with its stream, or
    /// 429 when [`MAX_WAITING`] runs wait already.
    pub fn start(
        server: &Server,
        work: impl FnOnce(&RunContext) -> Done + Send + 'static,
    ) -> Response {
        if server.runs.waiting.load(Ordering::SeqCst) >= MAX_WAITING {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                format!("{MAX_WAITING} runs are waiting already: wait for them, or stop some\n"),
            )
                .into_response();
        }
        respond(Runs::enqueue(server, work))
    }

    /// Queues `work`; its events come out of the receiver.
    pub fn enqueue(
        server: &Server,
        work: impl FnOnce(&RunContext) -> Done + Send + 'static,
    ) -> mpsc::Receiver<RunEvent> {
        let (tx, rx) = mpsc::channel(EVENTS_HELD);
        let ctx = RunContext::new(tx.clone(), server.containment.clone());
        // The page gone (its request dropped) stops the run, even a run
        // that prints nothing.
        let watched = ctx.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = tx.closed() => watched.stop(),
                () = watched.control.over_notice.notified() => {}
            }
        });
        let server = server.clone();
        server.runs.waiting.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let runs = &server.runs;
            let ahead = runs.waiting.load(Ordering::SeqCst) - 1
                + usize::from(runs.slot.available_permits() == 0);
            if ahead > 0 {
                ctx.send_async(RunEvent::Queued { ahead }).await;
            }
            let permit = runs.slot.acquire().await;
            runs.waiting.fetch_sub(1, Ordering::SeqCst);
            let Ok(permit) = permit else { return };
            if ctx.stopped() {
                return ctx.finish();
            }
            let id = runs.next_id.fetch_add(1, Ordering::SeqCst);
            runs.active
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id, ctx.clone());
            ctx.send_async(RunEvent::Started { run: id }).await;
            let worker = ctx.clone();
            let started = std::time::Instant::now();
            let done = tokio::task::spawn_blocking(move || work(&worker))
                .await
                .unwrap_or_else(|e| failed(format!("internal error: {e}")));
            runs.active
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&id);
            // The next run need not wait for this page to read its end.
            drop(permit);
            let done = Done {
                wall_s: started.elapsed().as_secs_f64(),
                truncated: done.truncated || ctx.cut(),
                ..done
            };
            ctx.send_async(RunEvent::Done(done)).await;
            ctx.finish();
        });
        rx
    }
}

impl RunContext {
    /// The run is over: nothing more goes to the page, and its stream ends
    /// once the page has read what was sent.
    fn finish(&self) {
        self.control.over.store(true, Ordering::SeqCst);
        self.control
            .tx
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        self.control.over_notice.notify_one();
    }
}

/// A run's events as a stream of JSON lines. (No `Cache-Control: no-store`:
/// the answer to a POST is never cached anyway, and Chromium's DevTools
/// reports a no-store stream that a page reads to its end as aborted,
/// microsoft/playwright#42742, which the browser tests would count as a
/// failed request.)
pub fn respond(rx: mpsc::Receiver<RunEvent>) -> Response {
    let lines = ReceiverStream::new(rx).map(|event| {
        let mut line = serde_json::to_vec(&event).unwrap_or_default();
        line.push(b'\n');
        Ok::<_, std::convert::Infallible>(Bytes::from(line))
    });
    (
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(lines),
    )
        .into_response()
}

/// `POST /__workbook/api/run/stop {"run": ID}`
pub async fn stop(State(server): State<Server>, Json(request): Json<StopRequest>) -> Response {
    let ctx = server
        .runs
        .active
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&request.run)
        .cloned();
    match ctx {
        Some(ctx) => {
            ctx.stop();
            (StatusCode::OK, "stopping\n").into_response()
        }
        None => (
            StatusCode::NOT_FOUND,
            format!("no run {} is going on (it may have ended)\n", request.run),
        )
            .into_response(),
    }
}

/// A run that Stop (or the page going away) ended before it finished.
pub fn stopped(base: Done) -> Done {
    Done {
        outcome: Outcome::Stopped,
        message: "stopped".into(),
        ..base
    }
}

/// The answer to a run refused before it was queued (flags a shell would
/// be needed for, a path outside the repository, a program flag): a
/// stream whose one line is a [`failed`] `done`, read like any run's
/// answer (a 4xx would be a failed request in the page).
pub fn refuse(message: impl Into<String>) -> Response {
    let (tx, rx) = mpsc::channel(1);
    let _ = tx.try_send(RunEvent::Done(failed(message)));
    respond(rx)
}

/// A run that could not start: its whole stream is this one line.
pub fn failed(message: impl Into<String>) -> Done {
    Done {
        outcome: Outcome::Error,
        message: message.into(),
        ..Done::default()
    }
}

/// A program run from the page behaves the same whoever started the server:
/// a backtrace setting of their shell (`RUST_BACKTRACE`, `RUST_LIB_BACKTRACE`)
/// would add a backtrace to every panic the page shows.
pub fn same_for_everyone(cmd: &mut std::process::Command) {
    cmd.env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a run sends, read on another thread (a full channel holds the
    /// sender back), until the run's context is dropped.
    fn sent(work: impl FnOnce(&RunContext) + Send + 'static) -> Vec<RunEvent> {
        let (tx, mut rx) = mpsc::channel(EVENTS_HELD);
        let runner = std::thread::spawn(move || {
            let ctx = RunContext::new(tx, None);
            work(&ctx);
            ctx.cut()
        });
        let mut events = Vec::new();
        while let Some(event) = rx.blocking_recv() {
            events.push(event);
        }
        assert!(runner.join().unwrap(), "the run knows that some was cut");
        events
    }

    #[test]
    fn each_stream_and_the_reports_pass_at_most_the_output_limit() {
        let chunk = vec![b'x'; 64 << 10];
        let events = sent(move |ctx| {
            for _ in 0..(OUTPUT_LIMIT / chunk.len() + 4) {
                ctx.output(OutputStream::Stdout, &chunk);
                ctx.output(OutputStream::Build, &chunk);
            }
            ctx.output(OutputStream::Stderr, b"still room here\n");
        });
        let bytes = |stream| -> usize {
            (events.iter())
                .map(|e| match e {
                    RunEvent::Output { stream: s, text } if *s == stream => text.len(),
                    _ => 0,
                })
                .sum()
        };
        assert_eq!(bytes(OutputStream::Stdout), OUTPUT_LIMIT);
        assert_eq!(bytes(OutputStream::Build), OUTPUT_LIMIT);
        assert_eq!(bytes(OutputStream::Stderr), 16);

        let problem = parallel_workbook::Problem::new(0.0, 1.0, 10).unwrap();
        let report = super::super::contract::Report::new("threads", &problem, 1, 0.3, 0.1);
        let line = serde_json::to_string(&report).unwrap().len() + 1;
        let fit = OUTPUT_LIMIT / line;
        let events = sent(move |ctx| {
            for _ in 0..fit + 10 {
                ctx.report(report.clone(), line);
            }
        });
        assert_eq!(events.len(), fit, "whole reports, within the limit");
    }
}
