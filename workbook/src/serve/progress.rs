//! The page's side of the progress file beyond exercises: a quiz answer
//! (`POST /__workbook/api/progress/quiz`) and a solved puzzle
//! (`POST /__workbook/api/progress/puzzle`), each kept in the learner's
//! progress file next to the exercises' statuses, so that they survive
//! reloads, rebuilds and other browsers. The server checks a question's id
//! and choice against the book and decides itself whether it is right;
//! every answer is the whole, normalized [`ProgressReply`].

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::Server;
use super::contract::{ProgressReply, PuzzleSolvedRequest, QuizAnswerRequest};
use super::exercise::ApiError;
use crate::course::Course;
use crate::exercises::{Exercises, Progress};

/// Loads the course, applies `change` to the progress file and saves it,
/// one write at a time.
async fn update(
    server: &Server,
    change: impl FnOnce(&Course, &mut Progress) -> Result<(), String> + Send + 'static,
) -> Result<Json<ProgressReply>, ApiError> {
    let _one = server.saving.lock().await;
    let root = server.root.clone();
    let done = tokio::task::spawn_blocking(move || {
        let exercises = Exercises::load(&root)
            .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")))?;
        let course = Course::load(&root, &exercises)
            .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")))?;
        let mut progress =
            Progress::load(&root).map_err(|e| (StatusCode::CONFLICT, format!("{e:#}")))?;
        change(&course, &mut progress).map_err(|e| (StatusCode::BAD_REQUEST, e))?;
        progress
            .save()
            .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")))?;
        Ok(super::pages::progress_reply(&root))
    })
    .await
    .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let _ = server.notices.send(super::contract::Notice::Progress);
    done.map(Json).map_err(|(status, e)| ApiError(status, e))
}

/// `POST /__workbook/api/progress/quiz`
pub async fn quiz(
    State(server): State<Server>,
    Json(request): Json<QuizAnswerRequest>,
) -> Result<Json<ProgressReply>, ApiError> {
    update(&server, move |course, progress| {
        let question = course
            .question(&request.id)
            .ok_or_else(|| format!("no quiz question {:?} in the book", request.id))?;
        if request.answer >= question.choices {
            return Err(format!(
                "question {:?} has {} choices: there is no choice {}",
                request.id, question.choices, request.answer
            ));
        }
        progress.record_quiz(&request.id, request.answer);
        Ok(())
    })
    .await
}

/// `POST /__workbook/api/progress/puzzle`
pub async fn puzzle(
    State(server): State<Server>,
    Json(request): Json<PuzzleSolvedRequest>,
) -> Result<Json<ProgressReply>, ApiError> {
    update(&server, move |course, progress| {
        if !course.has_puzzle(&request.id) {
            return Err(format!("no puzzle {:?} in the book", request.id));
        }
        progress.record_puzzle(&request.id);
        Ok(())
    })
    .await
}
