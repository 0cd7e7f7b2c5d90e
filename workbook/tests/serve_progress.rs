//! The progress beyond exercises, against a real server: a quiz answer and a
//! solved puzzle are kept in the learner's progress file (fields it does
//! not know survive), the server decides what is right, refuses what the
//! book does not have, and `/__workbook/status.json` and `cargo workbook
//! list` give the same counts per part.

mod common;
#[path = "common/served.rs"]
mod served;

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use served::{Reply, get, post, serve};

fn json_of(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.body))
}

/// The tiny book, made into one part with a two-question quiz, a puzzle
/// and the fixture exercises (01_pass and 02_fail belong to its chapters).
fn course_root() -> tempfile::TempDir {
    let dir = common::fixture_copy();
    let root = dir.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exercises");
    common::copy_dir(&fixture, &root.join("exercises"));
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "book/SUMMARY.md",
        "# Summary\n\n[Intro](intro.md)\n\n- [Part I: Tiny](part1/README.md)\n  - [1. Pass](part1/01-pass.md)\n  - [2. Fail](part1/02-fail.md)\n  - [Part I quiz](part1/quiz.md)\n- [Chapter one](ch1.md)\n",
    );
    write("book/part1/README.md", "# Part I\n");
    write(
        "book/part1/01-pass.md",
        "# Pass\n\n<div class=\"sched-mount\" data-puzzle=\"withdraw\"></div>\n",
    );
    write("book/part1/02-fail.md", "# Fail\n");
    write(
        "book/part1/quiz.md",
        "# Quiz\n\n```quiz\n[[question]]\nprompt = \"One?\"\nchoices = [\"a\", \"b\"]\nanswer = 1\nexplanation = \"b.\"\n\n[[question]]\nprompt = \"Two?\"\nchoices = [\"a\", \"b\", \"c\"]\nanswer = 0\nexplanation = \"a.\"\n```\n",
    );
    write(
        ".workbook/progress.json",
        r#"{"exercises":{"01_pass":{"status":"passed","checked_at":1}},"quizzes":{"quiz-part1-quiz-md-9":{"answer":0,"mine":true}},"learner":"kept"}"#,
    );
    dir
}

const Q1: &str = "quiz-part1-quiz-md-1";
const Q2: &str = "quiz-part1-quiz-md-2";

#[test]
fn answers_and_puzzles_are_kept_and_counted_as_list_counts_them() {
    let dir = course_root();
    let root = dir.path();
    let served = serve(root, &[]);
    let quiz = |id: &str, answer: usize| {
        post(
            &served,
            "/__workbook/api/progress/quiz",
            &json!({ "id": id, "answer": answer }).to_string(),
        )
    };

    let reply = quiz(Q1, 1);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let reply = quiz(Q2, 2);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let progress = json_of(&reply);
    assert_eq!(progress["quizzes"][Q1]["correct"], true);
    assert_eq!(progress["quizzes"][Q2]["correct"], false);
    assert_eq!(progress["quizzes"][Q2]["answer"], 2);

    // What the book does not have is refused, and changes nothing.
    let refused = quiz("quiz-part1-quiz-md-3", 0);
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        json_of(&refused)["error"]
            .as_str()
            .unwrap()
            .contains("no quiz question")
    );
    let refused = quiz(Q2, 3);
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        json_of(&refused)["error"]
            .as_str()
            .unwrap()
            .contains("no choice 3")
    );
    let refused = post(
        &served,
        "/__workbook/api/progress/puzzle",
        r#"{"id":"nope"}"#,
    );
    assert_eq!(refused.status, 400, "{}", refused.body);
    let refused = post(&served, "/__workbook/api/progress/quiz", r#"{"id":"x"}"#);
    assert!(
        refused.status >= 400 && refused.status < 500,
        "{}",
        refused.body
    );

    let reply = post(
        &served,
        "/__workbook/api/progress/puzzle",
        r#"{"id":"withdraw"}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);

    // A reload (a new request) sees the same; the file keeps what it had.
    let progress = json_of(&get(&served, "/__workbook/status.json"));
    assert!(
        progress["puzzles"]["withdraw"]["solved_at"]
            .as_u64()
            .unwrap()
            > 1_600_000_000
    );
    let part = &progress["parts"][0];
    assert_eq!(part["title"], "Part I: Tiny");
    assert_eq!(part["exercises"], json!(["01_pass", "02_fail"]));
    assert_eq!(part["exercises_passed"], 1);
    assert_eq!(part["questions"], json!([Q1, Q2]));
    assert_eq!(part["questions_answered"], 2);
    assert_eq!(part["questions_right"], 1);
    assert_eq!(part["puzzles"], json!(["withdraw"]));
    assert_eq!(part["puzzles_solved"], 1);
    assert_eq!(progress["parts"].as_array().unwrap().len(), 1, "only parts");
    let file: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join(".workbook/progress.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(file["learner"], "kept");
    assert_eq!(file["quizzes"]["quiz-part1-quiz-md-9"]["mine"], true);
    assert_eq!(file["exercises"]["01_pass"]["checked_at"], 1);

    // `cargo workbook list` says the same.
    let out = common::workbook(root, &["list"], Duration::from_secs(60));
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains(
            "Part I: Tiny — exercises 1/2 passed · quiz 2/2 answered, 1 right · puzzles 1/1 solved"
        ),
        "{listed}"
    );
    assert!(
        listed.contains("Next: 02_fail · ") && listed.contains("for chapter 2, “Fail”"),
        "{listed}"
    );
}
