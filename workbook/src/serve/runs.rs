//! Runs started from the page: one at a time, in the order asked (timed
//! runs must not disturb each other's numbers), each answered as a stream
//! of JSON lines (`application/x-ndjson`) that the page reads as it comes:
//!
//! ```text
//! {"event":"queued","ahead":1}               another run goes first
//! {"event":"started","run":7}                 POST /__workbook/api/run/stop {"run":7} ends it
//! {"event":"phase","phase":"compiling"}       compiling, cached, running
//! {"event":"output","stream":"stdout","text":"…"}   also "stderr" and "build" (cargo's lines)
//! {"event":"compile_error","code":"E0382","rendered":"…"}
//! {"event":"done","outcome":"exited","exit_code":0,"message":"…","wall_s":0.4,…}
//! ```
//!
//! A page that goes away (its request is dropped) stops its run.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tokio::sync::{Semaphore, mpsc};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

use super::Server;
use crate::process::{Finished, Limits, OnOutput, OnStart, Stopper, Stream, Supervised};

/// One line of a run's stream.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RunEvent {
    /// Waiting: this many runs go first.
    Queued {
        ahead: usize,
    },
    Started {
        run: u64,
    },
    Phase {
        phase: &'static str,
    },
    Output {
        stream: &'static str,
        text: String,
    },
    CompileError {
        code: Option<String>,
        rendered: String,
    },
    Done(Done),
}

/// How a run ended, for the page to show.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Done {
    /// `exited`, `timed_out`, `too_much_output`, `stopped`,
    /// `does_not_compile`, `error`.
    pub outcome: &'static str,
    pub exit_code: Option<i32>,
    /// One line a learner reads: "exit code 0", "stopped at the 30 s limit".
    pub message: String,
    pub truncated: bool,
    /// The compiled program was already there (same code as before).
    pub cached: bool,
    pub compile_s: f64,
    pub run_s: f64,
    pub wall_s: f64,
    /// Anything a particular kind of run adds (a check's verdict).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<serde_json::Value>,
}

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

    pub fn phase(&self, phase: &'static str) {
        self.send(RunEvent::Phase { phase });
    }

    /// Output as it comes, on `stream`.
    pub fn output(&self, stream: Stream, bytes: &[u8]) {
        let name = match stream {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        };
        self.send(RunEvent::Output {
            stream: name,
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
        Arc::new(move |_, bytes| {
            ctx.send(RunEvent::Output {
                stream: "build",
                text: String::from_utf8_lossy(bytes).into_owned(),
            })
        })
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
            .on_output(Arc::new(move |stream, bytes| sink.output(stream, bytes)))
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
                .unwrap_or_else(|e| Done {
                    outcome: "error",
                    message: format!("internal error: {e}"),
                    ..Done::default()
                });
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopRequest {
    run: u64,
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
        outcome: "stopped",
        message: "stopped".into(),
        ..base
    }
}

/// A run that could not start: its whole stream is this one line.
pub fn failed(message: impl Into<String>) -> Done {
    Done {
        outcome: "error",
        message: message.into(),
        ..Done::default()
    }
}
