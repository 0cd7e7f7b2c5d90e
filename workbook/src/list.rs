//! `cargo workbook list`: every exercise with its status, the next one (named
//! with its chapter), and per part of the course what the progress page
//! shows: exercises passed, quiz questions answered and right, puzzles
//! solved (the same counts, from [`crate::course::Course`]).

use std::fmt::Write as _;

use anyhow::Result;

use crate::course::Course;
use crate::exercises::{Exercises, Progress, Status};

/// `cargo workbook list`
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ListArgs {}

/// Entry point of `cargo workbook list`.
pub fn run(_args: ListArgs) -> Result<()> {
    let exercises = Exercises::load(&crate::paths::repo_root())?;
    let progress = Progress::load(&exercises.root)?;
    print!("{}", text(&exercises, &progress));
    Ok(())
}

/// The text of `cargo workbook list` (also the `l` key of `watch`).
pub fn text(exercises: &Exercises, progress: &Progress) -> String {
    let course = Course::load(&exercises.root, exercises).ok();
    let next = exercises.next(progress).map(|ex| ex.name.clone());
    let width = exercises
        .list
        .iter()
        .map(|ex| ex.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for ex in &exercises.list {
        let status = progress.status(&ex.name);
        let missing = ex.requires.filter(|needs| !needs.present());
        let label = match missing {
            Some(needs) if status == Status::NotStarted => needs.label(),
            _ => status.label(),
        };
        let mark = if next.as_deref() == Some(&ex.name) {
            "  ← next"
        } else {
            ""
        };
        let _ = writeln!(out, "{label:<14} {:<width$}  {}{mark}", ex.name, ex.title);
    }
    let done = exercises
        .list
        .iter()
        .filter(|ex| progress.status(&ex.name) == Status::Passed)
        .count();
    let _ = writeln!(out);
    match next.and_then(|n| exercises.list.iter().find(|ex| ex.name == n)) {
        Some(ex) => {
            let chapter = ex
                .chapter
                .as_deref()
                .and_then(|c| course.as_ref()?.chapter_title(c))
                .map(|title| format!(", for {}", crate::course::chapter_words(title)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{done}/{} done. Next: {} · {}{chapter} — edit {}, then run `cargo workbook check {}`",
                exercises.list.len(),
                ex.name,
                ex.title,
                exercises.show(&exercises.file(ex)),
                ex.name,
            );
        }
        None if done == exercises.list.len() => {
            let _ = writeln!(
                out,
                "{done}/{} done. Every exercise passes its check.",
                exercises.list.len()
            );
        }
        None => {
            let _ = writeln!(
                out,
                "{done}/{} done. The others need something this machine lacks (see above).",
                exercises.list.len()
            );
        }
    }
    if let Some(course) = &course {
        let _ = write!(out, "\n{}", course.summary(progress));
    }
    for needs in exercises
        .list
        .iter()
        .filter_map(|ex| ex.requires)
        .filter(|needs| !needs.present())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let _ = writeln!(out, "note: {}: {}", needs.label(), needs.missing_note());
    }
    out
}
