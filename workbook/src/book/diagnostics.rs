//! Collects the warnings and errors that mdBook (and the KaTeX preprocessor)
//! log through `tracing` / `log`, so that a build can count them, print them
//! in one place, and fail on errors that mdBook itself only logs (for example
//! a broken `{{#include}}`).
//!
//! Set `RUST_LOG=info` (or `debug`) to also see mdBook's own log lines.

use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// A warning or error logged during a build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Severity,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Warning,
    Error,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let label = match self.level {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{label}: {}", self.message)
    }
}

/// Diagnostics of the capture in progress; `None` when nothing captures.
static SINK: Mutex<Option<Vec<Diagnostic>>> = Mutex::new(None);
/// One capture at a time: the subscriber is process-wide (mdBook's
/// preprocessors log from rayon worker threads).
static CAPTURE: Mutex<()> = Mutex::new(());
static INSTALL: Once = Once::new();

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Installs the process-wide subscriber (idempotent). If another subscriber
/// is already installed (say, by a test harness), capturing still works for
/// events that reach ours, and nothing panics.
pub fn install() {
    INSTALL.call_once(|| {
        let verbose = std::env::var_os("RUST_LOG").map(|_| {
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(EnvFilter::from_default_env())
        });
        let _ = tracing_subscriber::registry()
            .with(CaptureLayer)
            .with(verbose)
            .try_init();
    });
}

/// Runs `f` while collecting every warning and error logged, on any thread.
/// Captures are serialized.
pub fn capture<T>(f: impl FnOnce() -> T) -> (T, Vec<Diagnostic>) {
    install();
    let _one_at_a_time = lock(&CAPTURE);
    *lock(&SINK) = Some(Vec::new());
    let out = f();
    let diagnostics = lock(&SINK).take().unwrap_or_default();
    (out, diagnostics)
}

struct CaptureLayer;

impl<S: Subscriber> Layer<S> for CaptureLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let level = match *event.metadata().level() {
            Level::ERROR => Severity::Error,
            Level::WARN => Severity::Warning,
            _ => return,
        };
        let mut visitor = MessageVisitor::default();
        event.record(&mut visitor);
        let mut message = visitor.message;
        if !visitor.fields.is_empty() {
            if !message.is_empty() {
                message.push(' ');
            }
            message.push_str(&visitor.fields);
        }
        let diagnostic = Diagnostic {
            level,
            message: crate::message::one_line(&message),
        };
        let mut sink = lock(&SINK);
        match sink.as_mut() {
            Some(list) => list.push(diagnostic),
            // Outside a build (e.g. while serving): print right away.
            None => eprintln!("{diagnostic}"),
        }
    }
}

#[derive(Default)]
struct MessageVisitor {
    message: String,
    fields: String,
}

impl Visit for MessageVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            self.record_debug(field, &value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => {
                let _ = write!(self.message, "{value:?}");
            }
            // Fields the `log` bridge adds; not interesting to a reader.
            name if name.starts_with("log.") => {}
            name => {
                if !self.fields.is_empty() {
                    self.fields.push(' ');
                }
                let _ = write!(self.fields, "{name}={value:?}");
            }
        }
    }
}
