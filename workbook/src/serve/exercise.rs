//! An exercise page as the learner's own file: load it, save it (never over
//! a version the page has not seen, always keeping the previous one), check
//! it exactly as `cargo workbook check` does, and the hint, the solution
//! (once it passes) and a reset. Exercises are named by the table, never by
//! a path.
//!
//! ```text
//! GET  /__workbook/api/exercise/NAME           ExerciseFile
//! POST /__workbook/api/exercise/NAME/save      SaveRequest -> Saved; 409 Conflict if changed on disk
//! POST /__workbook/api/exercise/NAME/check     a run's event stream; `done.detail` is a CheckDetail
//! GET  /__workbook/api/exercise/NAME/hint      Hint
//! GET  /__workbook/api/exercise/NAME/solution  Solution, or 403 until the check passes
//! POST /__workbook/api/exercise/NAME/reset     ResetReply
//! ```
//!
//! (The types are [`super::contract`]'s; every refusal is an `ApiError`.)

use std::path::Path;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::Server;
use super::contract::{
    self, CheckDetail, Conflict, ExerciseFile, Failure, Hint, ResetOutcome, ResetReply,
    SaveRequest, Saved, Solution,
};
use super::runs::{Done, Outcome, Phase, RunEvent, Runs, failed, stopped};
use crate::check::{self, Echo, Verdict};
use crate::exercises::{Exercise, Exercises, Progress, Status};
use crate::process::Stream;
use crate::{files, libtest, reset, solution};

/// How many of the latest versions of a learner's file the page's saves
/// keep (`.workbook/backups/exercises/NAME.rs.backup-*`); older ones go, except the first of
/// each day and the very first, so that a burst of saves never erases the
/// oldest work.
pub const BACKUPS_KEPT: usize = 20;

/// The version of a file's content the page compares: a hash.
pub fn version(content: &[u8]) -> String {
    hex::encode(&Sha256::digest(content)[..8])
}

/// A refusal or a failure, answered as `{"error": "..."}` with its status.
pub struct ApiError(pub StatusCode, pub String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(contract::ApiError { error: self.1 })).into_response()
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> ApiError {
    ApiError(status, message.into())
}

/// The table and the exercise `name`, or the 404 a page shows.
fn find(server: &Server, name: &str) -> Result<(Exercises, Exercise), ApiError> {
    let exs = Exercises::load(&server.root)
        .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")))?;
    let found = exs.list.iter().find(|ex| ex.name == name).cloned();
    match found {
        Some(ex) => Ok((exs, ex)),
        None => Err(error(
            StatusCode::NOT_FOUND,
            format!("no exercise {name:?} in exercises/exercises.toml"),
        )),
    }
}

/// The learner's file, read as a plain file: a symbolic link is refused
/// (it could point anywhere on the machine), and a missing file is empty.
fn read(exs: &Exercises, file: &Path) -> Result<Vec<u8>, ApiError> {
    let rel = file.strip_prefix(&exs.root).unwrap_or(file);
    match files::read_beneath(&exs.root, rel) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => Err(error(
            StatusCode::FORBIDDEN,
            format!(
                "{} is {e}: the workbook reads only plain files (put the file itself there)",
                exs.show(file)
            ),
        )),
        Err(e) => Err(error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot read {}: {e}", exs.show(file)),
        )),
    }
}

/// The recorded status of `name` (not started, if the progress is unreadable).
fn status(exs: &Exercises, name: &str) -> Status {
    Progress::load(&exs.root).map_or(Status::NotStarted, |p| p.status(name))
}

/// `GET /__workbook/api/exercise/NAME`
pub async fn load(
    State(server): State<Server>,
    UrlPath(name): UrlPath<String>,
) -> Result<Response, ApiError> {
    let (exs, ex) = find(&server, &name)?;
    let file = exs.file(&ex);
    let bytes = read(&exs, &file)?;
    let status = status(&exs, &ex.name);
    Ok(Json(ExerciseFile {
        name: ex.name.clone(),
        title: ex.title.clone(),
        file: exs.show(&file),
        exists: std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()),
        content: String::from_utf8_lossy(&bytes).into_owned(),
        version: version(&bytes),
        status,
        solution_available: status == Status::Passed,
        missing: ex
            .requires
            .filter(|r| !r.present())
            .map(|r| r.missing_note()),
        formerly: exs.former_names(&ex.name),
    })
    .into_response())
}

/// `POST /__workbook/api/exercise/NAME/save`
pub async fn save(
    State(server): State<Server>,
    UrlPath(name): UrlPath<String>,
    Json(request): Json<SaveRequest>,
) -> Result<Response, ApiError> {
    let (exs, ex) = find(&server, &name)?;
    let file = exs.file(&ex);
    // One save at a time, so that the check of the version on disk and the
    // write belong together.
    let _one = server.saving.lock().await;
    let disk = read(&exs, &file)?;
    let disk_version = version(&disk);
    if disk_version != request.base && !request.overwrite {
        return Ok((
            StatusCode::CONFLICT,
            Json(Conflict {
                error: format!(
                    "{} changed on disk since the page loaded it",
                    exs.show(&file)
                ),
                disk_content: String::from_utf8_lossy(&disk).into_owned(),
                disk_version,
            }),
        )
            .into_response());
    }
    if disk == request.content.as_bytes() {
        return Ok(Json(Saved {
            version: disk_version,
            backup: None,
            unchanged: true,
        })
        .into_response());
    }
    let backup = files::back_up(&exs.root, &file).map_err(|e| {
        error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "cannot keep a backup of {}: {e}; nothing was saved",
                exs.show(&file)
            ),
        )
    })?;
    files::write_atomically(&file, request.content.as_bytes()).map_err(|e| {
        error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot save {}: {e}", exs.show(&file)),
        )
    })?;
    prune_backups(&exs.root, &file);
    Ok(Json(Saved {
        version: version(request.content.as_bytes()),
        backup: backup.map(|b| exs.show(&b)),
        unchanged: false,
    })
    .into_response())
}

/// Keeps the [`BACKUPS_KEPT`] most recent backups of `file`, and the
/// first backup of each day (UTC), the first of all among them.
fn prune_backups(root: &Path, file: &Path) {
    for old in backups_to_remove(&files::backups_of(root, file)) {
        let _ = std::fs::remove_file(old);
    }
}

/// Which of `backups` (oldest first, named `NAME.backup-UNIXTIME[-N]`) go.
fn backups_to_remove(backups: &[std::path::PathBuf]) -> Vec<&std::path::PathBuf> {
    let day = |path: &std::path::PathBuf| {
        let name = path.file_name()?.to_str()?;
        let stamp = name.rsplit_once(".backup-")?.1;
        let seconds: u64 = stamp.split('-').next()?.parse().ok()?;
        Some(seconds / 86_400)
    };
    let recent = backups.len().saturating_sub(BACKUPS_KEPT);
    let mut days_seen = std::collections::HashSet::new();
    backups
        .iter()
        .enumerate()
        .filter(|&(i, path)| {
            let first_of_its_day = days_seen.insert(day(path));
            i < recent && !first_of_its_day
        })
        .map(|(_, path)| path)
        .collect()
}

/// `POST /__workbook/api/exercise/NAME/check`: what `cargo workbook check
/// NAME` runs (the same build, limit, kill and verdict), in the run queue,
/// its output streamed; the progress is recorded as the command records it.
pub async fn check(
    State(server): State<Server>,
    UrlPath(name): UrlPath<String>,
) -> Result<Response, ApiError> {
    let (exs, ex) = find(&server, &name)?;
    let limit = server.check_timeout;
    Ok(Runs::start(&server, move |ctx| {
        ctx.phase(Phase::Compiling);
        let test_ctx = ctx.clone();
        let echo = Echo::Stream {
            build: ctx.on_build_output(),
            test: Arc::new(move |stream: Stream, bytes: &[u8]| test_ctx.output(stream, bytes)),
            started: ctx.on_start(),
            contain: ctx.contain(),
        };
        let checked = check::check_exercise(&exs, &ex, limit, &echo);
        // Stopped (by the learner, or by the page going away): no verdict,
        // and nothing recorded; whatever was killed says nothing of the file.
        if ctx.stopped() {
            return stopped(Done::default());
        }
        let checked = match checked {
            Ok(checked) => checked,
            Err(e) => return failed(format!("{e:#}")),
        };
        let recorded = check::record(&exs.root, &ex.name, &checked.verdict)
            .err()
            .map(|e| format!("{e:#}"));
        for error in checked.build.messages.iter().filter(|m| m.is_error) {
            ctx.send(RunEvent::CompileError {
                code: error.code.clone(),
                rendered: error.rendered.clone(),
            });
        }
        let failures = checked
            .run
            .as_ref()
            .map(|run| libtest::failures(&libtest::plain(&run.stdout)))
            .unwrap_or_default();
        let verdict = &checked.verdict;
        Done {
            outcome: match verdict {
                Verdict::Passed => Outcome::Passed,
                Verdict::Failed { .. } | Verdict::Crashed { .. } | Verdict::Bypassed { .. } => {
                    Outcome::Failed
                }
                Verdict::DoesNotCompile => Outcome::DoesNotCompile,
                Verdict::TimedOut { .. } => Outcome::TimedOut,
                Verdict::Skipped { .. } => Outcome::Skipped,
            },
            exit_code: checked
                .run
                .as_ref()
                .and_then(|r| r.status())
                .and_then(|s| s.code()),
            message: verdict.line(&ex.name),
            truncated: checked.run.as_ref().is_some_and(|r| r.truncated),
            run_s: checked
                .run
                .as_ref()
                .map_or(0.0, |r| r.elapsed.as_secs_f64()),
            detail: Some(CheckDetail {
                passed: verdict.passed(),
                failures: failures
                    .into_iter()
                    .map(|f| Failure {
                        test: f.test,
                        message: f.message,
                    })
                    .collect(),
                status: status(&exs, &ex.name),
                progress_error: recorded,
            }),
            ..Done::default()
        }
    }))
}

/// `GET /__workbook/api/exercise/NAME/hint`
pub async fn hint(
    State(server): State<Server>,
    UrlPath(name): UrlPath<String>,
) -> Result<Response, ApiError> {
    let (_, ex) = find(&server, &name)?;
    Ok(Json(Hint {
        hint: ex.hint.trim().to_string(),
        chapter: ex.chapter,
    })
    .into_response())
}

/// `GET /__workbook/api/exercise/NAME/solution`: as on the command line,
/// only once the exercise has passed its check.
pub async fn solution(
    State(server): State<Server>,
    UrlPath(name): UrlPath<String>,
) -> Result<Response, ApiError> {
    let (exs, ex) = find(&server, &name)?;
    if status(&exs, &ex.name) != Status::Passed {
        return Err(error(
            StatusCode::FORBIDDEN,
            format!(
                "{} has not passed its check yet: solve it first, and the solution opens",
                ex.name
            ),
        ));
    }
    let content = solution::read(&exs, &ex, true)
        .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")))?;
    Ok(Json(Solution { content }).into_response())
}

/// `POST /__workbook/api/exercise/NAME/reset`: the committed version back,
/// the learner's kept as a backup (as `cargo workbook reset NAME --yes`).
pub async fn reset(
    State(server): State<Server>,
    UrlPath(name): UrlPath<String>,
) -> Result<Response, ApiError> {
    let (exs, ex) = find(&server, &name)?;
    let _one = server.saving.lock().await;
    let (exs, ex, done) = tokio::task::spawn_blocking(move || {
        let done = reset::reset(&exs, &ex, "HEAD");
        (exs, ex, done)
    })
    .await
    .map_err(|_| {
        error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the reset did not finish",
        )
    })?;
    let result = done.map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")))?;
    let bytes = std::fs::read(exs.file(&ex)).unwrap_or_default();
    let (outcome, backup) = match result {
        reset::Reset::Unchanged => (ResetOutcome::Unchanged, None),
        reset::Reset::Done { backup } => (ResetOutcome::Reset, backup.map(|b| exs.show(&b))),
    };
    Ok(Json(ResetReply {
        outcome,
        backup,
        content: String::from_utf8_lossy(&bytes).into_owned(),
        version: version(&bytes),
    })
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn a_burst_of_saves_keeps_the_oldest_and_the_first_of_each_day() {
        // Day 1: one backup; day 2: 30 in a burst.
        let mut backups = vec![PathBuf::from("01_x.rs.backup-86400")];
        backups.extend((0..30).map(|n| PathBuf::from(format!("01_x.rs.backup-172800-{n}"))));
        let gone = backups_to_remove(&backups);
        assert_eq!(gone.len(), 31 - BACKUPS_KEPT - 2);
        assert!(!gone.contains(&&backups[0]), "the oldest stays");
        assert!(!gone.contains(&&backups[1]), "the first of day 2 stays");
        assert!(gone.contains(&&backups[2]));
        assert!(!gone.contains(&&backups[30]), "the latest stay");
    }
}
