//! Exercise numbers follow the reading order: the repository's numbering is
//! checked against book/SUMMARY.md; `cargo workbook renumber` renames a
//! small repository's exercises in every place; and a learner's tree with
//! work under the old names is moved along, safely, by the next command.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use workbook::exercises::Exercises;
use workbook::exercises::renumber::{plan, summary_pages};

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn the_numbering_follows_the_reading_order() {
    let root = common::repo_root();
    let exercises = Exercises::load(&root).unwrap();
    let summary = std::fs::read_to_string(root.join("book/SUMMARY.md")).unwrap();
    let renames = plan(&exercises, &summary_pages(&summary)).unwrap();
    let shown: Vec<String> = renames
        .iter()
        .map(|r| format!("{} -> {}", r.from, r.to))
        .collect();
    assert!(
        renames.is_empty(),
        "the exercise numbers do not follow the order of their chapters in book/SUMMARY.md; \
         run `cargo workbook renumber` (it renames every file and mention, and records the \
         renamings for learners):\n{}",
        shown.join("\n")
    );
    // Every renaming recorded leads to an exercise of the table (or to a
    // name renamed again later).
    for (i, r) in exercises.renamed.iter().enumerate() {
        let later = exercises.renamed[i + 1..].iter().any(|l| l.from == r.to);
        assert!(
            later || exercises.list.iter().any(|ex| ex.name == r.to),
            "[[renamed]] {} -> {}: no such exercise",
            r.from,
            r.to
        );
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// A repository of three exercises, numbered against the reading order:
/// `01_late` goes with chapter 2, `02_early` with chapter 1.
fn small_repo(root: &Path) {
    write(root, "book.toml", "[book]\ntitle = \"t\"\n");
    write(
        root,
        "book/SUMMARY.md",
        "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n- [Exercises](exercises/README.md)\n  \
         - [Exercise 01 · Late](exercises/01_late.md)\n  - [Exercise 02 · Early](exercises/02_early.md)\n  \
         - [Exercise 03 · Also two](exercises/03_also.md)\n",
    );
    write(
        root,
        "book/one.md",
        "Now do [exercise 02](exercises/02_early.md).\n",
    );
    write(root, "book/two.md", "Exercise 01 and exercise 3 go here.\n");
    write(
        root,
        "exercises/exercises.toml",
        "# the table\n\n[[exercise]]\nname = \"01_late\"\ntitle = \"Late\"\nchapter = \"two.md\"\n\n\
         [[exercise]]\nname = \"02_early\"\ntitle = \"Early\"\nchapter = \"one.md\"\n\n\
         [[exercise]]\nname = \"03_also\"\ntitle = \"Also two\"\nchapter = \"two.md\"\n",
    );
    write(
        root,
        "exercises/Cargo.toml",
        "[[test]]\nname = \"01_late\"\npath = \"checks/01_late.rs\"\n\n\
         [[test]]\nname = \"02_early\"\npath = \"checks/02_early.rs\"\n",
    );
    for name in ["01_late", "02_early", "03_also"] {
        write(
            root,
            &format!("exercises/{name}.rs"),
            &format!("// {name}\n"),
        );
        write(
            root,
            &format!("exercises/checks/{name}.rs"),
            &format!("// check of {name}\n"),
        );
        write(
            root,
            &format!("exercises/solutions/{name}.rs"),
            "// solution\n",
        );
        write(
            root,
            &format!("exercises/wrong/{name}/off_by_one.rs"),
            "// wrong\n",
        );
        write(
            root,
            &format!("book/exercises/{name}.md"),
            &format!(
                "# Exercise {} · x\n\n`cargo workbook check {name}`\n",
                &name[..2]
            ),
        );
    }
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "start"]);
}

#[test]
fn renumber_renames_every_file_and_mention_and_records_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_repo(root);
    let out = common::workbook(root, &["renumber"], LIMIT);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("02_early -> 01_early"), "{said}");
    assert!(said.contains("01_late -> 02_late"), "{said}");
    assert!(!said.contains("03_also ->"), "{said}");

    for rel in [
        "exercises/01_early.rs",
        "exercises/checks/02_late.rs",
        "exercises/solutions/01_early.rs",
        "exercises/wrong/02_late/off_by_one.rs",
        "book/exercises/01_early.md",
    ] {
        assert!(root.join(rel).is_file(), "{rel} missing");
    }
    assert!(!root.join("exercises/01_late.rs").exists());
    assert!(
        !root.join("exercises/wrong/01_late").exists(),
        "the old folder is gone"
    );
    assert_eq!(read(root, "exercises/01_early.rs"), "// 01_early\n");
    assert!(
        read(root, "exercises/Cargo.toml")
            .contains("name = \"02_late\"\npath = \"checks/02_late.rs\"")
    );
    assert_eq!(
        read(root, "book/one.md"),
        "Now do [exercise 01](exercises/01_early.md).\n"
    );
    assert_eq!(
        read(root, "book/two.md"),
        "Exercise 02 and exercise 3 go here.\n"
    );
    assert_eq!(
        read(root, "book/exercises/01_early.md"),
        "# Exercise 01 · x\n\n`cargo workbook check 01_early`\n"
    );
    let summary = read(root, "book/SUMMARY.md");
    assert!(
        summary.contains(
            "  - [Exercise 01 · Early](exercises/01_early.md)\n  - [Exercise 02 · Late](exercises/02_late.md)\n  - [Exercise 03 · Also two](exercises/03_also.md)\n"
        ),
        "{summary}"
    );
    let exercises = Exercises::load(root).unwrap();
    let names: Vec<_> = exercises.list.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["01_early", "02_late", "03_also"]);
    let renamed: Vec<_> = exercises
        .renamed
        .iter()
        .map(|r| (r.from.as_str(), r.to.as_str()))
        .collect();
    assert_eq!(renamed, [("02_early", "01_early"), ("01_late", "02_late")]);

    // A second run finds nothing to do, and leaves the history alone.
    let out = common::workbook(root, &["renumber"], LIMIT);
    assert!(String::from_utf8_lossy(&out.stdout).contains("already follow the reading order"));
    assert_eq!(Exercises::load(root).unwrap().renamed.len(), 2);
}

#[test]
fn a_learners_work_moves_along_safely_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    small_repo(root);
    common::workbook(root, &["renumber"], LIMIT);
    // The learner's tree: work under the old names, a backup of it, a
    // progress file with fields this tool does not know, and a clash: a
    // file of both names (their own work under the old one).
    write(root, "exercises/02_early.rs", "// my early work\n");
    write(
        root,
        "exercises/02_early.rs.backup-100",
        "// my older early work\n",
    );
    write(root, "exercises/01_late.rs", "// my late work\n");
    write(
        root,
        ".workbook/progress.json",
        r#"{"exercises":{"02_early":{"status":"passed","checked_at":5,"mine":1},"01_late":{"status":"failed"}},"theirs":true}"#,
    );
    std::fs::remove_file(root.join("exercises/01_early.rs")).unwrap();

    let out = common::workbook(root, &["list"], LIMIT);
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    let notes: Vec<_> = err
        .lines()
        .filter(|l| l.starts_with("note: the exercises were renumbered"))
        .collect();
    assert_eq!(notes.len(), 1, "one line: {err}");
    let note = notes[0];
    assert!(
        note.contains("moved exercises/02_early.rs to exercises/01_early.rs and 1 more file"),
        "{note}"
    );
    assert!(note.contains("renamed 2 progress entries"), "{note}");
    assert!(
        note.contains(
            "kept both exercises/01_late.rs (yours, old number) and exercises/02_late.rs"
        ),
        "{note}"
    );
    assert!(
        note.contains("copies in .workbook/backups/renumber-"),
        "{note}"
    );

    assert_eq!(read(root, "exercises/01_early.rs"), "// my early work\n");
    // The backup left beside the file by an older workbook moved out of
    // the exercises folder, and along the renumbering.
    assert_eq!(
        read(root, ".workbook/backups/exercises/01_early.rs.backup-100"),
        "// my older early work\n"
    );
    assert!(!root.join("exercises/02_early.rs.backup-100").exists());
    assert!(!root.join("exercises/01_early.rs.backup-100").exists());
    // The clash: neither file was touched.
    assert_eq!(read(root, "exercises/01_late.rs"), "// my late work\n");
    assert_eq!(read(root, "exercises/02_late.rs"), "// 02_late\n");
    let progress: serde_json::Value =
        serde_json::from_str(&read(root, ".workbook/progress.json")).unwrap();
    assert_eq!(progress["theirs"], true);
    assert_eq!(progress["exercises"]["01_early"]["mine"], 1);
    assert_eq!(progress["exercises"]["01_early"]["status"], "passed");
    assert_eq!(progress["exercises"]["02_late"]["status"], "failed");
    assert!(progress["exercises"].get("02_early").is_none());
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("✓ passed") && listed.contains("01_early"),
        "{listed}"
    );

    // The backup holds the progress file and the moved files as they were.
    let backups: Vec<_> = std::fs::read_dir(root.join(".workbook/backups"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("renumber-")
        })
        .collect();
    assert_eq!(backups.len(), 1);
    assert!(read(&backups[0], "progress.json").contains("\"02_early\""));
    assert_eq!(
        read(&backups[0], "exercises/02_early.rs"),
        "// my early work\n"
    );

    // Next start: nothing more to say (the clash is left for the learner, and said again).
    let out = common::workbook(root, &["list"], LIMIT);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("moved"), "{err}");
    assert!(!err.contains("progress entr"), "{err}");
}
