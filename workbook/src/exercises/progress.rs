//! The learner's progress: `.workbook/progress.json` at the repository root.
//!
//! ```json
//! {"exercises": {"01_chunks": {"status": "passed", "checked_at": 1700000000}},
//!  "quizzes": {"quiz-part1-quiz-md-1": {"answer": 2, "answered_at": 1700000100}},
//!  "puzzles": {"race": {"solved_at": 1700000200}}}
//! ```
//!
//! That is the one shape this tool writes and reads: an entry of any other
//! shape reads as "not started". `cargo workbook serve` answers
//! `/__workbook/status.json` with [`Progress::reply`] (every exercise of the
//! table, normalized), never with the file itself. Fields and entries this
//! tool does not know are kept as they are.
//!
//! `$WORKBOOK_PROGRESS` names another file in its place (the browser tests
//! give the server they start a progress file of its own).

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use serde_json::{Map, Value, json};

use crate::serve::contract::{
    ExerciseProgress, PartProgress, ProgressReply, PuzzleProgress, QuizProgress,
};
use crate::{files, paths};

/// What the progress file says about one exercise (on the wire:
/// `"passed"`, `"failed"`, `"not-started"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Passed,
    Failed,
    NotStarted,
}

impl Status {
    /// The word shown by `cargo workbook list`, with its symbol.
    pub fn label(self) -> &'static str {
        match self {
            Status::Passed => "✓ passed",
            Status::Failed => "✗ failed",
            Status::NotStarted => "  not started",
        }
    }
}

/// The progress file's contents, kept as JSON so that unknown fields survive.
#[derive(Debug, Clone)]
pub struct Progress {
    path: PathBuf,
    root: PathBuf,
    doc: Map<String, Value>,
}

impl Progress {
    /// Reads the progress file of the repository at `root`; a missing file is
    /// an empty progress, an unreadable or malformed one an error.
    pub fn load(root: &Path) -> Result<Progress> {
        let path = paths::progress_file(root);
        let shown = paths::display_rel(root, &path);
        let doc = match std::fs::read_to_string(&path) {
            Ok(text) if text.trim().is_empty() => Map::new(),
            Ok(text) => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(map)) => map,
                Ok(_) => return Err(anyhow!("{shown} is not a JSON object: fix or delete it")),
                Err(e) => return Err(anyhow!("{shown} is not valid JSON ({e}): fix or delete it")),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Map::new(),
            Err(e) => return Err(anyhow!("cannot read {shown}: {e}")),
        };
        Ok(Progress {
            path,
            root: root.to_path_buf(),
            doc,
        })
    }

    /// No progress at all (every exercise not started).
    pub fn empty(root: &Path) -> Progress {
        Progress {
            path: paths::progress_file(root),
            root: root.to_path_buf(),
            doc: Map::new(),
        }
    }

    fn entry(&self, name: &str) -> Option<&Value> {
        self.doc.get("exercises")?.get(name)
    }

    /// The recorded status of exercise `name`.
    pub fn status(&self, name: &str) -> Status {
        match self.entry(name).and_then(|e| e.get("status")) {
            Some(Value::String(s)) if s == "passed" => Status::Passed,
            Some(Value::String(s)) if s == "failed" => Status::Failed,
            _ => Status::NotStarted,
        }
    }

    /// When exercise `name` was last checked (Unix seconds), if recorded.
    pub fn checked_at(&self, name: &str) -> Option<u64> {
        self.entry(name)?.get("checked_at")?.as_u64()
    }

    /// The choice last given to quiz question `id`, if recorded.
    pub fn quiz_answer(&self, id: &str) -> Option<usize> {
        let answer = self.doc.get("quizzes")?.get(id)?.get("answer")?.as_u64()?;
        usize::try_from(answer).ok()
    }

    /// When puzzle `name` was solved, if it was.
    pub fn puzzle_solved_at(&self, name: &str) -> Option<u64> {
        self.doc
            .get("puzzles")?
            .get(name)?
            .get("solved_at")?
            .as_u64()
    }

    /// The object `doc[key][id]`, made if missing or of another shape.
    fn object_mut(&mut self, key: &str, id: &str) -> &mut Map<String, Value> {
        let slot = self
            .doc
            .entry(key)
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let entry = slot
            .as_object_mut()
            .expect("just made an object")
            .entry(id.to_string())
            .or_insert_with(|| json!({}));
        if !entry.is_object() {
            *entry = json!({});
        }
        entry.as_object_mut().expect("just made an object")
    }

    /// Records choice `answer` for quiz question `id`, now.
    pub fn record_quiz(&mut self, id: &str, answer: usize) {
        let entry = self.object_mut("quizzes", id);
        entry.insert("answer".into(), json!(answer));
        entry.insert("answered_at".into(), json!(files::now_unix()));
    }

    /// Records puzzle `name` as solved (the first time counts).
    pub fn record_puzzle(&mut self, name: &str) {
        let entry = self.object_mut("puzzles", name);
        if !entry.get("solved_at").is_some_and(Value::is_u64) {
            entry.insert("solved_at".into(), json!(files::now_unix()));
        }
    }

    /// What the server answers for `/__workbook/status.json`: each of
    /// `names` (the exercises of the table, and any other the file records)
    /// with its status and the time of its latest check; each question of
    /// `course` answered, each puzzle solved, and each part's counts.
    pub fn reply<'a>(
        &self,
        names: impl IntoIterator<Item = &'a str>,
        course: &crate::course::Course,
    ) -> ProgressReply {
        let questions = course.parts.iter().flat_map(|p| &p.questions);
        let quizzes = questions
            .filter_map(|q| {
                let answer = self.quiz_answer(&q.id)?;
                let answered_at = self.doc["quizzes"][&q.id]
                    .get("answered_at")
                    .and_then(Value::as_u64);
                let progress = QuizProgress {
                    answer,
                    correct: answer == q.answer,
                    answered_at,
                };
                Some((q.id.clone(), progress))
            })
            .collect();
        let puzzles = (course.parts.iter().flat_map(|p| &p.puzzles))
            .filter_map(|name| {
                let solved_at = Some(self.puzzle_solved_at(name)?);
                Some((name.clone(), PuzzleProgress { solved_at }))
            })
            .collect();
        let parts: Vec<PartProgress> = course.parts_progress(self);
        let recorded = self
            .doc
            .get("exercises")
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        let exercises = names
            .into_iter()
            .map(str::to_string)
            .chain(recorded)
            .map(|name| {
                let entry = ExerciseProgress {
                    status: self.status(&name),
                    checked_at: self.checked_at(&name),
                };
                (name, entry)
            })
            .collect();
        ProgressReply {
            exercises,
            quizzes,
            puzzles,
            parts,
            error: None,
        }
    }

    fn exercises_mut(&mut self) -> &mut Map<String, Value> {
        let slot = self
            .doc
            .entry("exercises")
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        slot.as_object_mut().expect("just made an object")
    }

    /// Records the result of a check of `name`, now.
    pub fn record(&mut self, name: &str, passed: bool) {
        let status = if passed { "passed" } else { "failed" };
        let entry = self
            .exercises_mut()
            .entry(name.to_string())
            .or_insert_with(|| json!({}));
        if !entry.is_object() {
            *entry = json!({});
        }
        let obj = entry.as_object_mut().expect("just made an object");
        obj.insert("status".into(), json!(status));
        obj.insert("checked_at".into(), json!(files::now_unix()));
    }

    /// Whether the file has an entry for `name` (of any shape).
    pub fn has_entry(&self, name: &str) -> bool {
        self.entry(name).is_some()
    }

    /// Moves the entry of `from` to `to` (an exercise renamed), with every
    /// field it has; an existing entry of `to` is kept and `from`'s stays.
    pub fn rename_entry(&mut self, from: &str, to: &str) {
        let map = self.exercises_mut();
        if map.contains_key(to) {
            return;
        }
        if let Some(entry) = map.remove(from) {
            map.insert(to.to_string(), entry);
        }
    }

    /// Forgets `name` (after `reset`): it is "not started" again.
    pub fn forget(&mut self, name: &str) {
        self.exercises_mut().remove(name);
    }

    /// Writes the file atomically. A read-only file is respected: an
    /// error, not a silent replacement.
    pub fn save(&self) -> Result<()> {
        let shown = paths::display_rel(&self.root, &self.path);
        let mut text = serde_json::to_string_pretty(&Value::Object(self.doc.clone()))?;
        text.push('\n');
        files::write_atomically(&self.path, text.as_bytes()).map_err(|e| {
            anyhow!(
                "cannot save your progress to {shown}: {e} (the check result above still stands)"
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_unknown_fields() {
        let dir = tempfile::tempdir().unwrap();
        let file = paths::progress_file(dir.path());
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(
            &file,
            r#"{"exercises":{"01_chunks":{"status":"passed","checked_at":1,"extra":2},"02_x":{"status":"failed"},"04_old":"passed"},"other":true}"#,
        )
        .unwrap();
        let mut p = Progress::load(dir.path()).unwrap();
        assert_eq!(p.status("01_chunks"), Status::Passed);
        assert_eq!(p.status("02_x"), Status::Failed);
        assert_eq!(p.status("03_y"), Status::NotStarted);
        assert_eq!(
            p.status("04_old"),
            Status::NotStarted,
            "a shape this tool never wrote"
        );
        let reply = p.reply(["01_chunks", "03_y"], &crate::course::Course::default());
        let names: Vec<_> = reply.exercises.keys().map(String::as_str).collect();
        assert_eq!(names, ["01_chunks", "02_x", "03_y", "04_old"]);
        assert_eq!(reply.exercises["01_chunks"].checked_at, Some(1));
        assert_eq!(reply.exercises["02_x"].status, Status::Failed);
        assert_eq!(reply.exercises["03_y"].checked_at, None);
        p.record("03_y", true);
        p.record("01_chunks", false);
        p.save().unwrap();
        let p = Progress::load(dir.path()).unwrap();
        assert_eq!(p.status("03_y"), Status::Passed);
        assert_eq!(p.status("01_chunks"), Status::Failed);
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(v["other"], json!(true));
        assert_eq!(v["exercises"]["01_chunks"]["extra"], json!(2));
        assert!(v["exercises"]["03_y"]["checked_at"].as_u64().unwrap() > 1_600_000_000);
    }

    #[test]
    fn malformed_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = paths::progress_file(dir.path());
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "{not json").unwrap();
        let e = Progress::load(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains(".workbook/progress.json is not valid JSON"),
            "{e}"
        );
    }
}
