//! The course as a learner goes through it: its parts in reading order
//! (from `book/SUMMARY.md`), each with its exercises (by their chapter), its
//! quiz questions (the ids the quiz preprocessor gives their forms) and its
//! puzzles (the `data-puzzle` mounts of its chapters); and how far the
//! learner's progress file says they got in each. `cargo workbook list`
//! prints [`Course::summary`] and the progress page shows the same counts
//! from `/__workbook/status.json` ([`Course::parts_progress`]): one
//! computation for both, so they cannot disagree.

use std::path::Path;

use anyhow::{Context, Result};

use crate::book::quiz;
use crate::exercises::{Exercises, Progress, Status};
use crate::serve::contract::PartProgress;

/// One quiz question of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The id of its form on the page (`quiz-part1-quiz-md-3`).
    pub id: String,
    /// The index of the right choice.
    pub answer: usize,
    /// How many choices it offers.
    pub choices: usize,
}

/// One part of the course.
#[derive(Debug, Clone, Default)]
pub struct Part {
    pub title: String,
    /// Its pages (relative to `book/`), in reading order, with their titles.
    pub pages: Vec<(String, String)>,
    pub exercises: Vec<String>,
    pub questions: Vec<Question>,
    pub puzzles: Vec<String>,
}

/// The whole course.
#[derive(Debug, Clone, Default)]
pub struct Course {
    pub parts: Vec<Part>,
}

/// The elements that mounted the first two puzzles, before puzzles had
/// names (book/interactive/scheduler.js knows them too).
const LEGACY_MOUNTS: [(&str, &str); 2] = [
    ("id=\"race-scheduler\"", "race"),
    ("id=\"deadlock-scheduler\"", "deadlock"),
];

impl Course {
    /// Reads the course of the repository at `root`.
    pub fn load(root: &Path, exercises: &Exercises) -> Result<Course> {
        let book = root.join("book");
        let summary = std::fs::read_to_string(book.join("SUMMARY.md"))
            .context("cannot read book/SUMMARY.md")?;
        let mut parts = parts_of(&summary);
        for part in &mut parts {
            for (page, _) in &part.pages {
                let Ok(markdown) = std::fs::read_to_string(book.join(page)) else {
                    continue;
                };
                let quizzes = quiz::find_quizzes(&markdown).with_context(|| page.clone())?;
                let mut n = 0;
                for (_, q) in quizzes {
                    for question in q.question {
                        n += 1;
                        part.questions.push(Question {
                            id: quiz::question_id(page, n),
                            answer: question.answer,
                            choices: question.choices.len(),
                        });
                    }
                }
                part.puzzles.extend(puzzles_of(&markdown));
            }
            for ex in &exercises.list {
                if ex
                    .chapter
                    .as_deref()
                    .is_some_and(|c| part.pages.iter().any(|(p, _)| p == c))
                {
                    part.exercises.push(ex.name.clone());
                }
            }
        }
        Ok(Course { parts })
    }

    /// The question with this form id, if the book has one.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.parts
            .iter()
            .flat_map(|p| &p.questions)
            .find(|q| q.id == id)
    }

    /// Whether the book has a puzzle of this name.
    pub fn has_puzzle(&self, name: &str) -> bool {
        self.parts
            .iter()
            .any(|p| p.puzzles.iter().any(|q| q == name))
    }

    /// The title of the page `chapter` (relative to `book/`), if listed.
    pub fn chapter_title(&self, chapter: &str) -> Option<&str> {
        self.parts
            .iter()
            .flat_map(|p| &p.pages)
            .find(|(page, _)| page == chapter)
            .map(|(_, title)| title.as_str())
    }

    /// Each part with what `progress` records of it.
    pub fn parts_progress(&self, progress: &Progress) -> Vec<PartProgress> {
        self.parts
            .iter()
            .map(|part| {
                let answered: Vec<_> = (part.questions.iter())
                    .filter_map(|q| Some((q, progress.quiz_answer(&q.id)?)))
                    .collect();
                PartProgress {
                    title: part.title.clone(),
                    exercises: part.exercises.clone(),
                    exercises_passed: (part.exercises.iter())
                        .filter(|name| progress.status(name) == Status::Passed)
                        .count(),
                    questions: part.questions.iter().map(|q| q.id.clone()).collect(),
                    questions_answered: answered.len(),
                    questions_right: answered.iter().filter(|(q, a)| *a == q.answer).count(),
                    puzzles: part.puzzles.clone(),
                    puzzles_solved: (part.puzzles.iter())
                        .filter(|name| progress.puzzle_solved_at(name).is_some())
                        .count(),
                }
            })
            .collect()
    }

    /// The per-part lines of `cargo workbook list`: the same counts as the
    /// progress page.
    pub fn summary(&self, progress: &Progress) -> String {
        let mut out = String::new();
        for p in self.parts_progress(progress) {
            let mut bits = Vec::new();
            if !p.exercises.is_empty() {
                bits.push(format!(
                    "exercises {}/{} passed",
                    p.exercises_passed,
                    p.exercises.len()
                ));
            }
            if !p.questions.is_empty() {
                bits.push(format!(
                    "quiz {}/{} answered, {} right",
                    p.questions_answered,
                    p.questions.len(),
                    p.questions_right
                ));
            }
            if !p.puzzles.is_empty() {
                bits.push(format!(
                    "puzzles {}/{} solved",
                    p.puzzles_solved,
                    p.puzzles.len()
                ));
            }
            if !bits.is_empty() {
                out.push_str(&format!("{} — {}\n", p.title, bits.join(" · ")));
            }
        }
        out
    }
}

/// A SUMMARY.md title as a sentence names it: `2. Chunk, execute` ->
/// `chapter 2, “Chunk, execute”`.
pub fn chapter_words(title: &str) -> String {
    match title.split_once(". ") {
        Some((number, rest))
            if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit() || c == '.') =>
        {
            format!("chapter {number}, \u{201c}{rest}\u{201d}")
        }
        _ => format!("\u{201c}{title}\u{201d}"),
    }
}

/// The parts of SUMMARY.md: each top-level entry titled "Part …", with the
/// pages listed under it (its own page first).
pub fn parts_of(summary: &str) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    let mut in_part = false;
    for line in summary.lines() {
        let Some((title, page)) = link_of(line) else {
            continue;
        };
        let top = !line.starts_with(' ') && !line.starts_with('\t');
        if top {
            in_part = title.starts_with("Part ");
            if in_part {
                parts.push(Part {
                    title: title.clone(),
                    ..Part::default()
                });
            }
        }
        if in_part && let Some(part) = parts.last_mut() {
            part.pages.push((page, title));
        }
    }
    parts
}

/// The `[title](page)` of a SUMMARY.md line.
fn link_of(line: &str) -> Option<(String, String)> {
    let start = line.find('[')?;
    let mid = line[start..].find("](")? + start;
    let end = line[mid..].find(')')? + mid;
    Some((
        line[start + 1..mid].to_string(),
        line[mid + 2..end].to_string(),
    ))
}

/// The puzzles a chapter mounts, in page order.
fn puzzles_of(markdown: &str) -> Vec<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut rest = markdown;
    let mut offset = 0;
    while let Some(i) = rest.find("data-puzzle=\"") {
        let after = &rest[i + 13..];
        if let Some(end) = after.find('"') {
            found.push((offset + i, after[..end].to_string()));
        }
        offset += i + 13;
        rest = after;
    }
    for (mount, name) in LEGACY_MOUNTS {
        if let Some(i) = markdown.find(mount) {
            found.push((i, name.to_string()));
        }
    }
    found.sort();
    let mut names: Vec<String> = Vec::new();
    for (_, name) in found {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_and_puzzles_are_read_in_order() {
        let summary = "# Summary\n\n[Preface](preface.md)\n- [Part I: A](part1/README.md)\n  - [1. One](part1/01.md)\n    - [1.1. Sub](part1/01-1.md)\n- [Part II: B](part2/README.md)\n- [Exercises](exercises/README.md)\n  - [Exercise 01](exercises/01_x.md)\n";
        let parts = parts_of(summary);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].title, "Part I: A");
        let pages: Vec<_> = parts[0].pages.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(pages, ["part1/README.md", "part1/01.md", "part1/01-1.md"]);
        assert_eq!(parts[1].pages.len(), 1);
        assert_eq!(
            puzzles_of(
                "<div id=\"deadlock-scheduler\"></div>\n<div class=\"sched-mount\" data-puzzle=\"philosophers\"></div>"
            ),
            ["deadlock", "philosophers"]
        );
    }
}
