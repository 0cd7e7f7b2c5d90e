//! The quizzes at the end of each part (`book/partN/quiz.md`) make claims
//! about code: "this does not compile (E0373)", "this prints 60". This test
//! holds them to it. Every question with a `check` has its `code` compiled
//! with the `rustc` that runs the tests (`--edition 2024`, no optimizations):
//!
//! - `compiles`: it must compile;
//! - `compile-error`: it must not, and the output must name `error_code`;
//! - `prints-answer`: it must compile, run, exit with 0, and print (trimmed)
//!   exactly the text of the right choice.
//!
//! It also checks the shape of the quizzes: parts 1 to 5 each have a quiz
//! page with one or two sections (```quiz blocks) of 4 to 6 questions each
//! (Part IV's second one is on its scheduler puzzles), and every question
//! explains its answer.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use workbook::book::quiz::{Check, Question, find_quizzes};

/// Snippets compiled at the same time. Small on purpose: the machines that
/// run the tests are often busy with other builds.
const PARALLEL_COMPILES: usize = 2;
/// How long a `prints-answer` program may run. They all finish at once;
/// this only turns a hang into a failure.
const RUN_LIMIT: Duration = Duration::from_secs(30);

/// One question, and where it lives (for messages).
struct Found {
    file: PathBuf,
    line: usize,
    number: usize,
    question: Question,
}

impl Found {
    fn place(&self) -> String {
        let root = common::repo_root();
        format!(
            "{} (quiz at line {}), question {}",
            workbook::paths::display_rel(&root, &self.file),
            self.line,
            self.number
        )
    }
}

/// Every question of every ```quiz block under `book/`.
fn all_questions() -> Vec<Found> {
    let book = common::repo_root().join("book");
    let mut found = Vec::new();
    for file in common::files_with_ext(&book, "md") {
        let text = std::fs::read_to_string(&file).unwrap();
        let quizzes = find_quizzes(&text).unwrap_or_else(|e| panic!("{}: {e:#}", file.display()));
        let mut number = 0;
        for (line, quiz) in quizzes {
            for question in quiz.question {
                number += 1;
                found.push(Found {
                    file: file.clone(),
                    line,
                    number,
                    question,
                });
            }
        }
    }
    found
}

#[test]
fn every_part_ends_with_a_quiz_of_sections_of_4_to_6_questions() {
    let book = common::repo_root().join("book");
    let mut problems = Vec::new();
    for part in 1..=6 {
        let page = book.join(format!("part{part}/quiz.md"));
        let Ok(text) = std::fs::read_to_string(&page) else {
            problems.push(format!("book/part{part}/quiz.md is missing"));
            continue;
        };
        if !text.lines().any(|l| l.starts_with("# ")) {
            problems.push(format!("book/part{part}/quiz.md has no `# ` heading"));
        }
        match find_quizzes(&text) {
            Err(e) => problems.push(format!("book/part{part}/quiz.md: {e:#}")),
            Ok(quizzes) => {
                if !(1..=2).contains(&quizzes.len()) {
                    problems.push(format!(
                        "book/part{part}/quiz.md has {} ```quiz blocks, not 1 or 2",
                        quizzes.len()
                    ));
                }
                for (line, quiz) in &quizzes {
                    let count = quiz.question.len();
                    if !(4..=6).contains(&count) {
                        problems.push(format!(
                            "book/part{part}/quiz.md, quiz at line {line}: {count} questions, not 4 to 6"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_question_explains_itself() {
    let questions = all_questions();
    assert!(!questions.is_empty(), "no ```quiz blocks found under book/");
    let mut problems = Vec::new();
    for found in &questions {
        let q = &found.question;
        let place = found.place();
        if q.explanation.trim().is_empty() {
            problems.push(format!("{place}: the explanation is empty"));
        }
        if q.prompt.trim().is_empty() {
            problems.push(format!("{place}: the prompt is empty"));
        }
        // The preprocessor writes prompt, choices and explanation into one
        // HTML block; a blank line would end the block in the middle.
        let texts = [&q.prompt, &q.explanation].into_iter().chain(&q.choices);
        if texts.into_iter().any(|t| t.trim().contains("\n\n")) {
            problems.push(format!(
                "{place}: a blank line in the prompt, a choice or the explanation"
            ));
        }
        // `code` spans are paired backticks; an odd count renders half the
        // text as code.
        let texts = [&q.prompt, &q.explanation].into_iter().chain(&q.choices);
        if texts.into_iter().any(|t| t.matches('`').count() % 2 == 1) {
            problems.push(format!(
                "{place}: an unpaired backtick in the prompt, a choice or the explanation"
            ));
        }
        let distinct: HashSet<&str> = q.choices.iter().map(|c| c.trim()).collect();
        if distinct.len() != q.choices.len() {
            problems.push(format!("{place}: two choices are the same"));
        }
        if q.error_code.is_some() && q.check != Some(Check::CompileError) {
            problems.push(format!(
                "{place}: `error_code` without `check = \"compile-error\"`"
            ));
        }
        if let Some(code) = &q.error_code {
            let well_formed = code.len() == 5
                && code.starts_with('E')
                && code[1..].chars().all(|c| c.is_ascii_digit());
            if !well_formed {
                problems.push(format!("{place}: error_code {code:?} is not like E0373"));
            }
        }
        if q.check.is_some() && !q.code.as_deref().unwrap_or("").contains("fn main") {
            problems.push(format!(
                "{place}: checked code must be a whole program with `fn main`"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn quiz_code_does_what_the_quiz_says() {
    let checked: Vec<Found> = all_questions()
        .into_iter()
        .filter(|f| f.question.check.is_some())
        .collect();
    assert!(!checked.is_empty(), "no quiz question has a `check`");
    let scratch = tempfile::tempdir().expect("temp dir");
    let next = Mutex::new(0..checked.len());
    let problems = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..PARALLEL_COMPILES {
            s.spawn(|| {
                loop {
                    // The guard is a temporary: dropped before the work starts.
                    let Some(k) = next.lock().unwrap().next() else {
                        break;
                    };
                    let dir = scratch.path().join(format!("q{k}"));
                    if let Err(problem) = verify(&checked[k], &dir) {
                        problems
                            .lock()
                            .unwrap()
                            .push(format!("{}: {problem}", checked[k].place()));
                    }
                }
            });
        }
    });
    let problems = problems.into_inner().unwrap();
    assert!(
        problems.is_empty(),
        "{} of {} checked questions are wrong:\n\n{}",
        problems.len(),
        checked.len(),
        problems.join("\n\n")
    );
}

/// Compiles (and for `prints-answer` runs) one question's code in `dir`.
fn verify(found: &Found, dir: &Path) -> Result<(), String> {
    let q = &found.question;
    let (Some(check), Some(code)) = (q.check, q.code.as_deref()) else {
        return Ok(());
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let source = dir.join("main.rs");
    std::fs::write(&source, code).map_err(|e| format!("cannot write {}: {e}", source.display()))?;
    let binary = dir.join(if cfg!(windows) { "main.exe" } else { "main" });
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let compiled = Command::new(&rustc)
        .args([
            "--edition",
            "2024",
            "-C",
            "opt-level=0",
            "--color",
            "never",
            "--crate-name",
            "quiz",
        ])
        .arg("-o")
        .arg(&binary)
        .arg(&source)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {rustc}: {e}"))?;
    let messages = String::from_utf8_lossy(&compiled.stderr);
    match check {
        Check::CompileError => {
            if compiled.status.success() {
                return Err("the quiz says it does not compile, but it compiles".into());
            }
            if let Some(code) = &q.error_code {
                let wanted = format!("error[{code}]");
                if !messages.contains(&wanted) {
                    return Err(format!(
                        "the quiz names {code}, but rustc says:\n{messages}"
                    ));
                }
            }
            Ok(())
        }
        Check::Compiles | Check::PrintsAnswer if !compiled.status.success() => Err(format!(
            "the quiz says it compiles, but rustc says:\n{messages}"
        )),
        Check::Compiles => Ok(()),
        Check::PrintsAnswer => {
            let run = run_bounded(&binary, dir)?;
            if !run.status.success() {
                return Err(format!(
                    "the program failed ({}):\n{}",
                    run.status,
                    String::from_utf8_lossy(&run.stderr)
                ));
            }
            let printed = String::from_utf8_lossy(&run.stdout);
            let expected = q.choices[q.answer].trim();
            if printed.trim() != expected {
                return Err(format!(
                    "the right choice is {expected:?}, but the program printed {:?}",
                    printed.trim()
                ));
            }
            Ok(())
        }
    }
}

/// Runs `binary` in `dir` with a wall-clock bound, collecting its output.
fn run_bounded(binary: &Path, dir: &Path) -> Result<Output, String> {
    let mut cmd = Command::new(binary);
    cmd.current_dir(dir);
    common::try_run_bounded(cmd, "", RUN_LIMIT)
}
