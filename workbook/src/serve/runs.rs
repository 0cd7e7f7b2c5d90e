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
//! The types are [`super::contract`]'s. A page that goes away (its request
//! is dropped) stops its run.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::{Semaphore, mpsc};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

use super::Server;
pub use super::contract::{Done, Outcome, OutputStream, Phase, RunEvent, StopRequest};
use crate::process::{Finished, Limits, OnOutput, OnStart, Stopper, Stream, Supervised};

/// What a run's work gets: where to send events, and how it is stopped.
#[derive(Clone)]
pub struct RunContext {
    tx: mpsc::UnboundedSender<RunEvent>,
    control: Arc<Control>,
}

#[derive(Default)]
struct Control {
    stopped: AtomicBool,
    current: Mutex<Option<Stopper>>,
}

impl RunContext {
    /// Sends an event; a page that has gone away stops the run.
    pub fn send(&self, event: RunEvent) {
        if self.tx.send(event).is_err() {
            self.stop();
        }
    }

    pub fn phase(&self, phase: Phase) {
        self.send(RunEvent::Phase { phase });
    }

    /// Output as it comes, on `stream`.
    pub fn output(&self, stream: impl Into<OutputStream>, bytes: &[u8]) {
        self.send(RunEvent::Output {
            stream: stream.into(),
            text: String::from_utf8_lossy(bytes).into_owned(),
        });
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

    /// Runs `cmd` under `limits` as this run's program: its output streams
    /// to the page as it comes, and a stop (or the page leaving) kills it.
    pub fn supervise(
        &self,
        cmd: std::process::Command,
        limits: Limits,
    ) -> anyhow::Result<Finished> {
        let sink = self.clone();
        Supervised::new(cmd, limits)
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
    /// Queues `work` (a blocking function) and answers with its stream.
    pub fn start(
        server: &Server,
        work: impl FnOnce(&RunContext) -> Done + Send + 'static,
    ) -> Response {
        respond(Runs::enqueue(server, work))
    }

    /// Queues `work`; its events come out of the receiver.
    pub fn enqueue(
        server: &Server,
        work: impl FnOnce(&RunContext) -> Done + Send + 'static,
    ) -> mpsc::UnboundedReceiver<RunEvent> {
        let (tx, rx) = mpsc::unbounded_channel();
        let ctx = RunContext {
            tx,
            control: Arc::new(Control::default()),
        };
        let server = server.clone();
        tokio::spawn(async move {
            let runs = &server.runs;
            let ahead = runs.waiting.fetch_add(1, Ordering::SeqCst)
                + usize::from(runs.slot.available_permits() == 0);
            if ahead > 0 {
                ctx.send(RunEvent::Queued { ahead });
            }
            let permit = runs.slot.acquire().await;
            runs.waiting.fetch_sub(1, Ordering::SeqCst);
            let Ok(_permit) = permit else { return };
            if ctx.stopped() {
                return;
            }
            let id = runs.next_id.fetch_add(1, Ordering::SeqCst);
            runs.active
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id, ctx.clone());
            ctx.send(RunEvent::Started { run: id });
            let worker = ctx.clone();
            let started = std::time::Instant::now();
            let done = tokio::task::spawn_blocking(move || work(&worker))
                .await
                .unwrap_or_else(|e| failed(format!("internal error: {e}")));
            runs.active
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&id);
            ctx.send(RunEvent::Done(Done {
                wall_s: started.elapsed().as_secs_f64(),
                ..done
            }));
        });
        rx
    }
}

/// A run's events as a stream of JSON lines. (No `Cache-Control: no-store`:
/// the answer to a POST is never cached anyway, and Chromium's DevTools
/// reports a no-store stream that a page reads to its end as aborted,
/// microsoft/playwright#42742, which the browser tests would count as a
/// failed request.)
pub fn respond(rx: mpsc::UnboundedReceiver<RunEvent>) -> Response {
    let lines = UnboundedReceiverStream::new(rx).map(|event| {
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
/// be needed for): a stream whose one line is a [`failed`] `done`, read
/// like any run's answer (a 4xx would be a failed request in the page).
pub fn refuse(message: impl Into<String>) -> Response {
    let (tx, rx) = mpsc::unbounded_channel();
    let _ = tx.send(RunEvent::Done(failed(message)));
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
