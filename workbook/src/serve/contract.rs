//! The contract between the server and the pages: every JSON shape a page
//! reads from `/__workbook/*`, and every request body it sends, as serde
//! types. Nothing else in the server writes JSON for a page by hand.
//!
//! The pages' side is `book/interactive/contract.js` (JSDoc typedefs that
//! mirror these types, checked by `tsc`). Both sides are pinned by one
//! fixture, `workbook/tests/fixtures/contract.json`: the test at the end of
//! this file writes one value of every type and variant and fails on any
//! difference from the committed file (`WORKBOOK_BLESS=1` rewrites it), and
//! the Node unit tests (`tests/browser/unit/`) replay the same file through
//! the page's client.
//!
//! ```text
//! POST /__workbook/api/run/snippet   SnippetRequest  -> a stream of RunEvent (NDJSON)
//! POST /__workbook/api/run/example   ExampleRequest  -> a stream of RunEvent
//! POST /__workbook/api/run/stop      StopRequest     -> 200 or 404 (text)
//! GET  /__workbook/status.json                       -> ProgressReply
//! POST /__workbook/api/progress/quiz   QuizAnswerRequest   -> ProgressReply, or 400 ApiError
//! POST /__workbook/api/progress/puzzle PuzzleSolvedRequest -> ProgressReply, or 400 ApiError
//! GET  /__workbook/events            (SSE)           -> `version` (text) and `notice` (Notice)
//! GET  /__workbook/api/exercise/NAME                 -> ExerciseFile
//! POST /__workbook/api/exercise/NAME/save  SaveRequest -> Saved, or 409 Conflict
//! POST /__workbook/api/exercise/NAME/check           -> a stream of RunEvent; Done::detail is a CheckDetail
//! GET  /__workbook/api/exercise/NAME/hint            -> Hint
//! GET  /__workbook/api/exercise/NAME/solution        -> Solution, or 403 ApiError
//! POST /__workbook/api/exercise/NAME/reset           -> ResetReply
//! any refusal of the exercise API                    -> ApiError
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::exercises::Status;
pub use parallel_workbook::Report;

// ------------------------------------------------------------------ runs

/// One line of a run's stream (`application/x-ndjson`), in this order:
/// `queued` (only if another run goes first), `started`, then `phase`,
/// `output`, `compile_error` and `report` as they come, and `done` last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RunEvent {
    /// Waiting: this many runs go first.
    Queued { ahead: usize },
    /// Running; `POST /__workbook/api/run/stop {"run": run}` ends it.
    Started { run: u64 },
    /// What the run is doing now.
    Phase { phase: Phase },
    /// Output as it comes.
    Output { stream: OutputStream, text: String },
    /// One compiler error, as rustc renders it.
    CompileError {
        code: Option<String>,
        rendered: String,
    },
    /// A report an example emitted on its side channel: the same object
    /// its `--json` prints.
    Report { report: Report },
    /// How the run ended: always the last line.
    Done(Done),
}

/// What a run is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Building what every snippet needs (at the server's start).
    Preparing,
    Compiling,
    /// The same code was compiled before: no compiling.
    Cached,
    Running,
}

/// Where a piece of output came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputStream {
    Stdout,
    Stderr,
    /// cargo's own lines (building, warnings).
    Build,
}

impl From<crate::process::Stream> for OutputStream {
    fn from(stream: crate::process::Stream) -> OutputStream {
        match stream {
            crate::process::Stream::Stdout => OutputStream::Stdout,
            crate::process::Stream::Stderr => OutputStream::Stderr,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The program ran to its end (`exit_code` says how).
    Exited,
    /// Stopped at its time limit.
    TimedOut,
    /// Stopped for printing more than the server keeps.
    TooMuchOutput,
    /// Stopped for passing a limit of memory, processes or file size
    /// (`message` says which; `cargo workbook serve --max-memory` etc.).
    OverLimit,
    /// Stop was pressed, or the page went away.
    Stopped,
    DoesNotCompile,
    /// It could not run at all (`message` says why).
    #[default]
    Error,
    /// A check: every test passed.
    Passed,
    /// A check: a test failed, or the tests crashed.
    Failed,
    /// A check this machine cannot run (it lacks what the exercise needs).
    Skipped,
}

/// The last line of a run's stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Done {
    pub outcome: Outcome,
    pub exit_code: Option<i32>,
    /// One line a learner reads: "exit code 0", "stopped at the 30 s limit".
    pub message: String,
    /// Some output was not kept.
    pub truncated: bool,
    /// The compiled program was already there (same code as before).
    pub cached: bool,
    pub compile_s: f64,
    pub run_s: f64,
    pub wall_s: f64,
    /// A check's verdict, in detail (only the exercise page's check has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<CheckDetail>,
}

/// What a check adds to its `done` line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckDetail {
    pub passed: bool,
    /// The tests that failed, and the message each failed with.
    pub failures: Vec<Failure>,
    /// The exercise's recorded status after this check.
    pub status: Status,
    /// Why the result could not be recorded, if it could not.
    pub progress_error: Option<String>,
}

/// One failed test of a check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub test: String,
    pub message: String,
}

/// `POST /__workbook/api/run/snippet`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnippetRequest {
    pub code: String,
}

/// `POST /__workbook/api/run/example`: the flags as the learner typed them
/// after `--`; the server splits them into words as a shell would
/// ([`super::examples::split_flags`]), without running one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleRequest {
    pub name: String,
    #[serde(default)]
    pub flags: String,
    /// Whose example it is; the workbook's when absent.
    #[serde(default, skip_serializing_if = "ExamplePackage::is_workbook")]
    pub package: ExamplePackage,
    /// `cargo mpi -n RANKS`: how many ranks (MPI examples only; without it
    /// the program runs as one plain process, as `cargo mpi` runs it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranks: Option<u32>,
}

/// The packages whose examples the page can run, each as its command
/// blocks write it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExamplePackage {
    /// `examples/`: `cargo run --release --example NAME -- FLAGS`
    #[default]
    Workbook,
    /// `async/examples/`: `cargo run --release -p workbook-async --example NAME -- FLAGS`
    Async,
    /// `distributed/examples/`: `cargo mpi -n RANKS NAME FLAGS`, under `mpiexec`
    Mpi,
}

impl ExamplePackage {
    pub fn is_workbook(&self) -> bool {
        *self == ExamplePackage::Workbook
    }
}

/// `POST /__workbook/api/run/stop`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopRequest {
    pub run: u64,
}

// -------------------------------------------------------------- roofline

pub use parallel_workbook::roofline::{Bound, Roof};

/// `GET /__workbook/roofline.json`: chapter 24.2's roofline from the
/// learner's own runs. The roofs are those of their latest `roofline` run
/// (`target/roofline/roofline.json`); every point is placed on them by
/// `parallel_workbook::roofline`: that run's own, and the reports of the
/// examples run from the page since the server started. Before a
/// `roofline` run there are no roofs, and the page keeps the book's chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RooflineReply {
    /// The machine the roofs were measured on.
    pub machine: String,
    /// Compute ceilings, terms per second, highest (the roof) first; empty
    /// before the learner's first `roofline` run.
    pub compute: Vec<Roof>,
    /// Bandwidth ceilings, bytes per second, highest first.
    pub bandwidth: Vec<Roof>,
    /// Terms per byte where the two roofs meet.
    pub ridge: Option<f64>,
    pub points: Vec<PlacedPoint>,
    /// Why the learner's roofline file could not be read, if it could not.
    pub error: Option<String>,
}

/// One run on the chart, placed by the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlacedPoint {
    pub strategy: String,
    pub threads: usize,
    /// Terms per byte; `None` for a loop that moves no bytes (unbounded).
    pub intensity: Option<f64>,
    pub terms_per_second: f64,
    /// What the model allows at its intensity, terms per second.
    pub attainable: f64,
    pub bound: Bound,
    pub source: PointSource,
}

/// Where a point comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PointSource {
    /// The learner's `roofline` run, with the roofs.
    Roofline,
    /// An example the learner ran from the page.
    Page,
}

// ------------------------------------------------------------- exercises

/// `GET /__workbook/api/exercise/NAME`: the learner's file as it is on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseFile {
    pub name: String,
    pub title: String,
    /// The file, relative to the repository root (`exercises/NAME.rs`).
    pub file: String,
    pub exists: bool,
    pub content: String,
    /// The version of `content` (a hash), which a save names as its base.
    pub version: String,
    pub status: Status,
    pub solution_available: bool,
    /// What this machine lacks to run the check, if anything.
    pub missing: Option<String>,
    /// The names this exercise had before a renumbering (latest first), so
    /// that the page moves a draft kept under one of them to `name`.
    pub formerly: Vec<String>,
}

/// `POST /__workbook/api/exercise/NAME/save`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveRequest {
    pub content: String,
    /// The version the page loaded (or last saved).
    pub base: String,
    /// Save even though the file changed on disk since `base`.
    #[serde(default)]
    pub overwrite: bool,
}

/// A save's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub version: String,
    /// Where the previous version is kept, if one was written.
    pub backup: Option<String>,
    /// The file already held this text: nothing was written.
    pub unchanged: bool,
}

/// A save refused (409): the file changed on disk since the page's base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub error: String,
    pub disk_content: String,
    pub disk_version: String,
}

/// `GET /__workbook/api/exercise/NAME/hint`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hint {
    pub hint: String,
    pub chapter: Option<String>,
}

/// `GET /__workbook/api/exercise/NAME/solution`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    pub content: String,
}

/// What a reset did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetOutcome {
    /// The file already was the committed version.
    Unchanged,
    Reset,
}

/// `POST /__workbook/api/exercise/NAME/reset`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResetReply {
    pub outcome: ResetOutcome,
    pub backup: Option<String>,
    pub content: String,
    pub version: String,
}

/// Any refusal or failure of the exercise API, with its HTTP status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
}

// ------------------------------------------------- notices and progress

/// What changed on disk, for the open pages (a `notice` event of
/// `/__workbook/events`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// `exercises/NAME.rs`, with the version its content has now.
    Exercise { name: String, version: String },
    /// The progress file (a check, from a page or a terminal).
    Progress,
}

/// `GET /__workbook/status.json`: every exercise of the table, with its
/// recorded status, whatever shape the progress file has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ProgressReply {
    pub exercises: BTreeMap<String, ExerciseProgress>,
    /// Every quiz question answered, by its form's id.
    #[serde(default)]
    pub quizzes: BTreeMap<String, QuizProgress>,
    /// Every puzzle solved, by its name.
    #[serde(default)]
    pub puzzles: BTreeMap<String, PuzzleProgress>,
    /// The course's parts in reading order, with their counts (the lines of
    /// `cargo workbook list`).
    #[serde(default)]
    pub parts: Vec<PartProgress>,
    /// Why the progress file could not be read, if it could not (every
    /// exercise then shows as not started); always there, `null` or not.
    pub error: Option<String>,
}

/// One exercise's recorded progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseProgress {
    pub status: Status,
    /// When its latest check ran (Unix seconds), if it ever ran.
    pub checked_at: Option<u64>,
}

/// A quiz question's recorded answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizProgress {
    /// The index of the choice last given.
    pub answer: usize,
    /// Whether it is the right one (the server decides, from the book).
    pub correct: bool,
    pub answered_at: Option<u64>,
}

/// A puzzle's recorded progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PuzzleProgress {
    /// When the learner first made its failure happen, stepping by hand.
    pub solved_at: Option<u64>,
}

/// One part of the course and how far the learner got in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PartProgress {
    pub title: String,
    pub exercises: Vec<String>,
    pub exercises_passed: usize,
    /// Its quiz questions' form ids.
    pub questions: Vec<String>,
    pub questions_answered: usize,
    pub questions_right: usize,
    pub puzzles: Vec<String>,
    pub puzzles_solved: usize,
}

/// `POST /__workbook/api/progress/quiz`: the learner answered a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizAnswerRequest {
    pub id: String,
    pub answer: usize,
}

/// `POST /__workbook/api/progress/puzzle`: the learner solved a puzzle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PuzzleSolvedRequest {
    pub id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// One of every phase; a new variant fails to compile here until it is
    /// added (and so reaches the fixture).
    fn every_phase() -> Vec<Phase> {
        let all = vec![
            Phase::Preparing,
            Phase::Compiling,
            Phase::Cached,
            Phase::Running,
        ];
        for p in &all {
            match p {
                Phase::Preparing | Phase::Compiling | Phase::Cached | Phase::Running => {}
            }
        }
        all
    }

    fn every_stream() -> Vec<OutputStream> {
        let all = vec![
            OutputStream::Stdout,
            OutputStream::Stderr,
            OutputStream::Build,
        ];
        for s in &all {
            match s {
                OutputStream::Stdout | OutputStream::Stderr | OutputStream::Build => {}
            }
        }
        all
    }

    /// A done line for every outcome, as a run of that kind ends.
    fn every_done() -> Vec<Done> {
        let done = |outcome, message: &str, [compile_s, run_s, wall_s]: [f64; 3]| Done {
            outcome,
            message: message.to_string(),
            compile_s,
            run_s,
            wall_s,
            ..Done::default()
        };
        let verdict = |status, failures: &[(&str, &str)], progress_error: Option<&str>| {
            Some(CheckDetail {
                passed: status == Status::Passed,
                failures: (failures.iter())
                    .map(|&(test, message)| Failure {
                        test: test.into(),
                        message: message.into(),
                    })
                    .collect(),
                status,
                progress_error: progress_error.map(str::to_string),
            })
        };
        let timed_out = "stopped at the 30 s limit: an endless loop or a deadlock? \
                         (its whole process group was killed)";
        let flood = "stopped after printing more than 1 MiB (the rest is not shown)";
        let shell =
            "`|` is shell syntax; the page runs the example without a shell, so leave it out";
        let failed = "✗ 08_fix_the_race failed: 1 of 2 checks failed";
        let lost = (
            "no_update_is_lost_even_at_the_worst_moment",
            "an update was lost",
        );
        let read_only = "cannot save your progress to .workbook/progress.json: read-only";
        let all = vec![
            Done {
                exit_code: Some(0),
                ..done(Outcome::Exited, "exit code 0", [1.25, 0.5, 1.75])
            },
            done(Outcome::TimedOut, timed_out, [0.0, 30.0, 31.5]),
            Done {
                truncated: true,
                cached: true,
                ..done(Outcome::TooMuchOutput, flood, [0.0, 0.25, 0.25])
            },
            done(
                Outcome::OverLimit,
                "the program used more than 2 GiB of memory and was stopped",
                [0.5, 1.25, 1.75],
            ),
            done(Outcome::Stopped, "stopped", [0.0, 0.0, 2.0]),
            done(
                Outcome::DoesNotCompile,
                "does not compile: error[E0308]: mismatched types",
                [0.75, 0.0, 0.75],
            ),
            done(Outcome::Error, shell, [0.0; 3]),
            Done {
                exit_code: Some(0),
                detail: verdict(Status::Passed, &[], None),
                ..done(
                    Outcome::Passed,
                    "✓ 08_fix_the_race passed: 2 of 2 checks",
                    [0.0, 1.5, 4.0],
                )
            },
            Done {
                exit_code: Some(101),
                detail: verdict(Status::Failed, &[lost], Some(read_only)),
                ..done(Outcome::Failed, failed, [0.0, 1.5, 4.0])
            },
            Done {
                detail: verdict(Status::NotStarted, &[], None),
                ..done(
                    Outcome::Skipped,
                    "– 22_mpi_reduce skipped: this machine has no MPI",
                    [0.0; 3],
                )
            },
        ];
        // A new outcome fails to compile here until it has a line above.
        for d in &all {
            match d.outcome {
                Outcome::Exited
                | Outcome::TimedOut
                | Outcome::TooMuchOutput
                | Outcome::OverLimit
                | Outcome::Stopped
                | Outcome::DoesNotCompile
                | Outcome::Error
                | Outcome::Passed
                | Outcome::Failed
                | Outcome::Skipped => {}
            }
        }
        all
    }

    /// One of every run event (a `done` per outcome); a new variant fails
    /// to compile in the match until it is here.
    fn every_run_event() -> Vec<RunEvent> {
        let problem = parallel_workbook::Problem::new(0.0, 10.0, 1000).unwrap();
        let mut report =
            Report::new("threads", &problem, 2, 332.83335, 0.0012).with("lost_updates", 3);
        report.sequential_seconds = Some(0.0023);
        report.speedup = Some(0.0023 / 0.0012);
        let mut events = vec![RunEvent::Queued { ahead: 1 }, RunEvent::Started { run: 7 }];
        events.extend(
            every_phase()
                .into_iter()
                .map(|phase| RunEvent::Phase { phase }),
        );
        events.extend(every_stream().into_iter().map(|stream| RunEvent::Output {
            stream,
            text: format!("a line on {stream:?}\n"),
        }));
        events.push(RunEvent::CompileError {
            code: Some("E0308".into()),
            rendered: "error[E0308]: mismatched types\n --> src/main.rs:2:23\n".into(),
        });
        events.push(RunEvent::CompileError {
            code: None,
            rendered: "error: expected one of `,` or `}`\n".into(),
        });
        events.push(RunEvent::Report { report });
        events.extend(every_done().into_iter().map(RunEvent::Done));
        for e in &events {
            match e {
                RunEvent::Queued { .. }
                | RunEvent::Started { .. }
                | RunEvent::Phase { .. }
                | RunEvent::Output { .. }
                | RunEvent::CompileError { .. }
                | RunEvent::Report { .. }
                | RunEvent::Done(_) => {}
            }
        }
        events
    }

    /// The page's report table marks a result off the left sum by more than
    /// rounding explains: its port of the bound must give these, the
    /// library's own (tests/browser/unit/report-table.test.mjs).
    fn reduction_tolerances() -> Vec<Value> {
        [(0.0, 10.0, 1), (0.0, 10.0, 1_000_000), (-3.0, 5.0, 1_000), (2.0, 2.5, 1_000_000_000)]
            .into_iter()
            .map(|(a, b, n)| {
                let problem = parallel_workbook::Problem::new(a, b, n).expect("a valid problem");
                serde_json::json!({ "a": a, "b": b, "n": n, "tolerance": problem.reduction_tolerance() })
            })
            .collect()
    }

    /// The whole fixture: one of everything a page reads or sends.
    fn fixture() -> Value {
        let file = ExerciseFile {
            name: "08_fix_the_race".into(),
            title: "Fix the race".into(),
            file: "exercises/08_fix_the_race.rs".into(),
            exists: true,
            content: "//! # 04\nfn main() {}\n".into(),
            version: "0123456789abcdef".into(),
            status: Status::Failed,
            solution_available: false,
            missing: None,
            formerly: vec!["04_fix_the_race".into()],
        };
        let mut exercises = BTreeMap::new();
        for (name, status, checked_at) in [
            ("01_chunks", Status::Passed, Some(1_700_000_000)),
            ("03_spawn_join", Status::Failed, Some(1_700_000_100)),
            ("04_scoped_sum", Status::NotStarted, None),
        ] {
            exercises.insert(name.to_string(), ExerciseProgress { status, checked_at });
        }
        json!({
            "run_events": every_run_event(),
            "requests": {
                "snippet": SnippetRequest { code: "fn main() {}\n".into() },
                "quiz_answer": QuizAnswerRequest { id: "quiz-part1-quiz-md-1".into(), answer: 2 },
                "puzzle_solved": PuzzleSolvedRequest { id: "race".into() },
                "example": ExampleRequest { name: "threads".into(), flags: "--n 1e6 --threads 2".into(), package: ExamplePackage::Workbook, ranks: None },
                "example_async": ExampleRequest { name: "stalled_executor".into(), flags: "--call spawn-blocking".into(), package: ExamplePackage::Async, ranks: None },
                "example_mpi": ExampleRequest { name: "mpi_heat".into(), flags: "--cells 1e4 --check".into(), package: ExamplePackage::Mpi, ranks: Some(2) },
                "stop": StopRequest { run: 7 },
                "save": SaveRequest { content: "fn main() {}\n".into(), base: "0123456789abcdef".into(), overwrite: false },
            },
            "exercise": {
                "file": file,
                "missing": ExerciseFile {
                    name: "22_mpi_reduce".into(),
                    title: "Reduce with MPI".into(),
                    file: "exercises/22_mpi_reduce.rs".into(),
                    exists: false,
                    content: String::new(),
                    status: Status::NotStarted,
                    missing: Some("this machine has no MPI: `sudo apt-get install mpich`".into()),
                    formerly: vec![],
                    ..file.clone()
                },
                "saved": Saved { version: "fedcba9876543210".into(), backup: Some(".workbook/backups/exercises/08_fix_the_race.rs.backup-1".into()), unchanged: false },
                "unchanged": Saved { version: "0123456789abcdef".into(), backup: None, unchanged: true },
                "conflict": Conflict {
                    error: "exercises/08_fix_the_race.rs changed on disk since the page loaded it".into(),
                    disk_content: "// edited elsewhere\n".into(),
                    disk_version: "00112233445566778".into(),
                },
                "hint": Hint { hint: "Take the lock once, keep the guard.".into(), chapter: Some("part3/11-shared-data.md".into()) },
                "solution": Solution { content: "// a solution\n".into() },
                "reset": ResetReply {
                    outcome: ResetOutcome::Reset,
                    backup: Some(".workbook/backups/exercises/08_fix_the_race.rs.backup-2".into()),
                    content: "//! # 04\n".into(),
                    version: "0123456789abcdef".into(),
                },
                "reset_unchanged": ResetReply { outcome: ResetOutcome::Unchanged, backup: None, content: "//! # 04\n".into(), version: "0123456789abcdef".into() },
                "error": ApiError { error: "no exercise \"99_none\" in exercises/exercises.toml".into() },
            },
            "notices": [
                Notice::Exercise { name: "08_fix_the_race".into(), version: "fedcba9876543210".into() },
                Notice::Progress,
            ],
            "progress": ProgressReply {
                exercises,
                quizzes: BTreeMap::from([
                    ("quiz-part1-quiz-md-1".to_string(), QuizProgress { answer: 2, correct: true, answered_at: Some(1_700_000_200) }),
                    ("quiz-part1-quiz-md-2".to_string(), QuizProgress { answer: 0, correct: false, answered_at: Some(1_700_000_300) }),
                ]),
                puzzles: BTreeMap::from([
                    ("race".to_string(), PuzzleProgress { solved_at: Some(1_700_000_400) }),
                ]),
                parts: vec![PartProgress {
                    title: "Part I: Why go parallel?".into(),
                    exercises: vec!["01_chunks".into(), "02_amdahl".into()],
                    exercises_passed: 1,
                    questions: vec!["quiz-part1-quiz-md-1".into(), "quiz-part1-quiz-md-2".into(), "quiz-part1-quiz-md-3".into()],
                    questions_answered: 2,
                    questions_right: 1,
                    puzzles: vec![],
                    puzzles_solved: 0,
                }],
                error: None,
            },
            "roofline": RooflineReply {
                machine: "AMD EPYC (2 cores)".into(),
                compute: vec![
                    Roof { label: "2 cores, all lanes".into(), per_second: 2.5e10 },
                    Roof { label: "1 core, 1 lane, 1 chain".into(), per_second: 1.25e9 },
                ],
                bandwidth: vec![Roof { label: "2 cores, reading".into(), per_second: 2.0e10 }],
                ridge: Some(1.25),
                points: vec![
                    PlacedPoint { strategy: "memory_bound".into(), threads: 2, intensity: Some(0.125), terms_per_second: 2.4e9, attainable: 2.5e9, bound: Bound::Memory, source: PointSource::Roofline },
                    PlacedPoint { strategy: "fast_parallel".into(), threads: 2, intensity: None, terms_per_second: 2.2e10, attainable: 2.5e10, bound: Bound::Compute, source: PointSource::Roofline },
                    PlacedPoint { strategy: "threads".into(), threads: 2, intensity: None, terms_per_second: 2.0e9, attainable: 2.5e10, bound: Bound::Compute, source: PointSource::Page },
                ],
                error: None,
            },
            "roofline_none": RooflineReply::default(),
            "reduction_tolerances": reduction_tolerances(),
            "progress_unreadable": ProgressReply {
                exercises: BTreeMap::new(),
                quizzes: BTreeMap::new(),
                puzzles: BTreeMap::new(),
                parts: vec![],
                error: Some(".workbook/progress.json is not valid JSON: fix or delete it".into()),
            },
        })
    }

    #[test]
    fn the_committed_fixture_is_what_the_server_sends() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join("fixtures")
            .join("contract.json");
        let mut written = serde_json::to_string_pretty(&fixture()).unwrap();
        written.push('\n');
        if std::env::var_os("WORKBOOK_BLESS").is_some() {
            std::fs::write(&path, &written).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == written,
            "{} differs from what the server sends: the pages' client must change with it \
             (book/interactive/contract.js, tests/browser/unit/); then rewrite it with \
             WORKBOOK_BLESS=1 cargo test -p workbook --lib contract",
            path.display()
        );
    }

    #[test]
    fn every_value_of_the_fixture_reads_back_as_itself() {
        let outcomes: std::collections::BTreeSet<String> = every_done()
            .iter()
            .map(|d| format!("{:?}", d.outcome))
            .collect();
        assert_eq!(outcomes.len(), 10, "one done line per outcome");
        for event in every_run_event() {
            let text = serde_json::to_string(&event).unwrap();
            assert_eq!(serde_json::from_str::<RunEvent>(&text).unwrap(), event);
        }
        let text = r#"{"exercises":{"01_chunks":{"status":"not-started","checked_at":null}},"quizzes":{},"puzzles":{},"parts":[],"error":null}"#;
        let progress: ProgressReply = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&progress).unwrap(), text);
    }
}
