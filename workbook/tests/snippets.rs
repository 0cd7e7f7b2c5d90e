//! The Rust programs the served book offers to run (book/interactive/
//! snippets.js): every one works, and the rest of the book offers none.
//!
//! - Every `book/snippets/*.rs` compiles and runs, exit code 0, through the
//!   server's own code (`serve::snippet::run`, in its scratch crate, in
//!   release mode): what the learner's Run button does.
//! - Every Rust block of the built book that snippets.js would offer to run
//!   (outside quizzes: it has `fn main`, and is not marked `noplayground` or
//!   `ignore`) is one of those files, included whole. An excerpt of an
//!   example that shows its `fn main` cannot run alone: mark it
//!   ```` ```rust,noplayground ````. (A quiz's code runs only after the
//!   question is answered, and shows whatever happens; `tests/quiz.rs`
//!   checks what the quizzes claim about it.)
//! - No page has a `pre.playground`: mdBook's book.js would send it to
//!   play.rust-lang.org.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use scraper::{ElementRef, Html, Selector};
use workbook::serve::runs::{RunEvent, Runs};
use workbook::serve::{ServeArgs, ServerState, snippet};

/// Every `book/snippets/*.rs`: (file name, code).
fn snippet_files() -> BTreeMap<String, String> {
    let dir = common::repo_root().join("book").join("snippets");
    common::files_with_ext(&dir, "rs")
        .into_iter()
        .map(|file| {
            let name = workbook::paths::display_rel(&common::repo_root(), &file);
            (name, std::fs::read_to_string(&file).unwrap())
        })
        .collect()
}

/// Runs `code` as the server runs a snippet from the page; returns its events.
fn run_as_the_server_does(code: &str) -> Vec<serde_json::Value> {
    let root = common::repo_root();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // The first run compiles the scratch crate's dependencies: a long limit.
        let args = ServeArgs {
            snippet_timeout: 600,
            ..ServeArgs::default()
        };
        let keys = workbook::serve::auth::Keys::load(&root).unwrap();
        let mut state = ServerState::new(
            root.clone(),
            0,
            &args,
            Duration::from_secs(10),
            workbook::serve::auth::Auth::new(keys, 0),
        );
        // Kept as the server keeps them: by the workbook binary (this test's
        // own binary is not one).
        if let Some(containment) = &mut state.containment {
            containment.keeper = env!("CARGO_BIN_EXE_workbook").into();
        }
        let server = Arc::new(state);
        let (library, code) = (server.library.clone(), code.to_string());
        let limits = server.snippet_limits;
        let mut events = Runs::enqueue(&server, move |ctx| {
            snippet::run(&root, &library, &code, limits, ctx)
        });
        let mut seen = Vec::new();
        while let Some(event) = events.recv().await {
            let done = matches!(event, RunEvent::Done(_));
            seen.push(serde_json::to_value(&event).unwrap());
            if done {
                break;
            }
        }
        seen
    })
}

#[cfg(target_os = "linux")]
#[test]
fn every_snippet_file_compiles_and_runs_as_the_server_runs_it() {
    let files = snippet_files();
    assert!(!files.is_empty(), "book/snippets/ holds no .rs file");
    let mut problems = Vec::new();
    for (name, code) in &files {
        let events = run_as_the_server_does(code);
        let done = events.last().cloned().unwrap_or_default();
        let said: String = events
            .iter()
            .filter(|e| e["event"] == "output" || e["event"] == "compile_error")
            .filter_map(|e| e["text"].as_str().or(e["rendered"].as_str()))
            .collect();
        if done["event"] != "done" || done["outcome"] != "exited" || done["exit_code"] != 0 {
            problems.push(format!("{name}: {done}\n{said}"));
        } else if !events
            .iter()
            .any(|e| e["event"] == "output" && e["stream"] == "stdout")
        {
            problems.push(format!("{name}: printed nothing on stdout"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The rule of snippets.js's `isProgram`.
fn offered_to_run(code: ElementRef) -> bool {
    let classes: Vec<&str> = code.value().classes().collect();
    let text: String = code.text().collect();
    classes.contains(&"language-rust")
        && !classes.contains(&"noplayground")
        && !classes.contains(&"ignore")
        && text.lines().any(|line| {
            let line = line.trim_start();
            let line = line.strip_prefix("pub ").map_or(line, str::trim_start);
            line.strip_prefix("fn")
                .filter(|rest| rest.starts_with(char::is_whitespace))
                .is_some_and(|rest| {
                    let rest = rest.trim_start();
                    rest.strip_prefix("main")
                        .is_some_and(|after| after.trim_start().starts_with('('))
                })
        })
}

fn in_a_quiz(code: ElementRef) -> bool {
    code.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|e| e.value().name() == "form" && e.value().classes().any(|c| c == "quiz"))
}

struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

fn build_the_book() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("book");
    if let Err(e) = workbook::book::build(&common::repo_root(), Some(&out)) {
        panic!("the book does not build:\n{e:#}");
    }
    Built { _dir: dir, out }
}

fn pages(out: &Path) -> Vec<(String, Html)> {
    common::files_with_ext(out, "html")
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != "print.html"))
        .map(|p| {
            let name = workbook::paths::display_rel(out, &p);
            (
                name,
                Html::parse_document(&std::fs::read_to_string(&p).unwrap()),
            )
        })
        .collect()
}

#[test]
fn every_program_the_page_offers_to_run_is_a_snippet_file() {
    let built = build_the_book();
    let files = snippet_files();
    let code = Selector::parse("pre > code").unwrap();
    let mut problems = Vec::new();
    let mut offered: BTreeMap<String, usize> = BTreeMap::new();
    for (page, html) in pages(&built.out) {
        for block in html.select(&code) {
            if in_a_quiz(block) || !offered_to_run(block) {
                continue;
            }
            let text: String = block.text().collect();
            if files.values().any(|f| f.trim_end() == text.trim_end()) {
                *offered.entry(page.clone()).or_default() += 1;
            } else {
                let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                problems.push(format!(
                    "{page}: a Rust block with `fn main` (starting {first:?}) is not a file of book/snippets/: \
                     include one whole (```rust then {{{{#include ../snippets/NAME.rs}}}}), \
                     or mark an excerpt ```rust,noplayground"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        offered.contains_key("part2/05-os-threads.html"),
        "chapter 5 offers no program to run (the browser tests run one there): {offered:?}"
    );
}

#[test]
fn no_block_is_sent_to_the_online_playground() {
    let built = build_the_book();
    let playground = Selector::parse("pre.playground, code.mdbook-runnable").unwrap();
    for (page, html) in pages(&built.out) {
        assert_eq!(
            html.select(&playground).count(),
            0,
            "{page}: mdBook's book.js would send this block to play.rust-lang.org"
        );
    }
    // The editor snippets.js uses ships with the book (`editable = true`).
    assert!(
        std::fs::read_dir(&built.out)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("ace")),
        "no ace*.js in the built book: [output.html.playground] editable = true ships it"
    );
}

#[test]
fn the_how_to_use_page_states_the_servers_limits() {
    let text = std::fs::read_to_string(common::repo_root().join("book/how-to-use.md")).unwrap();
    let defaults = workbook::serve::ServeArgs::default();
    let snippet = format!("{} seconds", defaults.snippet_timeout);
    let example = format!("{} minutes", defaults.example_timeout / 60);
    let output = workbook::process::bytes(workbook::serve::OUTPUT_LIMIT);
    let size = |n: u64| workbook::process::bytes(usize::try_from(n).unwrap());
    for (what, words) in [
        ("--snippet-timeout's default", snippet),
        ("--example-timeout's default", example),
        ("the output limit", output),
        (
            "--max-memory's default",
            format!("{} of memory", size(defaults.max_memory)),
        ),
        (
            "--max-processes' default",
            format!("{} processes", defaults.max_processes),
        ),
        (
            "--max-file-size's default",
            format!("up to {}", size(defaults.max_file_size)),
        ),
    ] {
        assert!(
            text.contains(&words),
            "book/how-to-use.md should say {what}: {words:?}"
        );
    }
}
