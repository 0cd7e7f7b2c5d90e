//! `exercises/exercises.toml` is the one table of exercises: everything
//! else an exercise needs is checked against it, and a failure names what
//! is missing. Adding an exercise means one row, then whatever this test
//! asks for: the learner's file, the solution, the check and its `[[test]]`
//! target, the book page, its line in SUMMARY.md and in the README's map.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use workbook::exercises::{self, Exercises};

/// The `[[test]]` targets of a package's `Cargo.toml`: (name, path).
fn test_targets(manifest: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(manifest).unwrap_or_default();
    let doc: toml::Table = toml::from_str(&text).unwrap_or_default();
    doc.get("test")
        .and_then(|t| t.as_array())
        .into_iter()
        .flatten()
        .filter_map(|t| {
            let name = t.get("name")?.as_str()?.to_string();
            let path = t
                .get("path")
                .and_then(|p| p.as_str())
                .unwrap_or("")
                .to_string();
            Some((name, path))
        })
        .collect()
}

/// File stems of the `*.{ext}` files directly in `dir`.
fn stems(dir: &Path, ext: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect()
}

/// At least this many wrong solutions per exercise, and this many unusual ones.
const WRONG: usize = 4;
const UNUSUAL: usize = 1;

fn missing_parts(root: &Path) -> Vec<String> {
    let exs = Exercises::load(root).expect("exercises/exercises.toml");
    let summary = std::fs::read_to_string(root.join("book/SUMMARY.md")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let names: BTreeSet<String> = exs.list.iter().map(|ex| ex.name.clone()).collect();
    let mut missing = Vec::new();
    let show = |p: &Path| workbook::paths::display_rel(root, p);

    for ex in &exs.list {
        let name = &ex.name;
        let package = exs.package_dir(ex);
        let mut need = |ok: bool, what: String| {
            if !ok {
                missing.push(format!("{name}: {what}"));
            }
        };
        need(
            exs.file(ex).is_file(),
            format!("no learner's file {}", show(&exs.file(ex))),
        );
        need(
            exs.solution_file(ex).is_file(),
            format!("no solution {}", show(&exs.solution_file(ex))),
        );
        let check: PathBuf = package.join("checks").join(format!("{name}.rs"));
        need(check.is_file(), format!("no check {}", show(&check)));
        let manifest = package.join("Cargo.toml");
        let wanted = (name.clone(), format!("checks/{name}.rs"));
        need(
            test_targets(&manifest).contains(&wanted),
            format!(
                "no `[[test]] name = \"{name}\" path = \"checks/{name}.rs\"` in {}",
                show(&manifest)
            ),
        );
        let page = root.join("book/exercises").join(format!("{name}.md"));
        need(page.is_file(), format!("no page {}", show(&page)));
        need(
            summary.contains(&format!("(exercises/{name}.md)")),
            format!("book/SUMMARY.md does not list exercises/{name}.md"),
        );
        need(
            readme.contains(&format!("[{name}](exercises/{name}.rs)")),
            format!("the README's map has no [{name}](exercises/{name}.rs)"),
        );
        for (kind, least, what) in [
            ("wrong", WRONG, "wrong solutions (each fails its check)"),
            (
                "unusual",
                UNUSUAL,
                "right but unusual solutions (each passes)",
            ),
        ] {
            let found = workbook::verify::examples_of(root, kind, name).len();
            need(
                found >= least,
                format!(
                    "exercises/{kind}/{name}/ has {found} of the {least} or more {what}: `cargo workbook verify` proves them"
                ),
            );
        }
        if let Some(chapter) = &ex.chapter {
            need(
                root.join("book").join(chapter).is_file(),
                format!("its chapter book/{chapter} does not exist"),
            );
        }
    }

    // And the other way: nothing that looks like an exercise lacks a row.
    let mut stray =
        |what: String| missing.push(format!("{what} has no row in exercises/exercises.toml"));
    let dir = exercises::dir(root);
    for stem in stems(&dir, "rs") {
        if !names.contains(&stem) {
            stray(format!("exercises/{stem}.rs"));
        }
    }
    for stem in stems(&dir.join("solutions"), "rs") {
        if !names.contains(&stem) {
            stray(format!("exercises/solutions/{stem}.rs"));
        }
    }
    let packages: BTreeSet<String> = exs
        .list
        .iter()
        .map(|ex| exercises::package_name(ex).to_string())
        .collect();
    for package in &packages {
        for stem in stems(&root.join(package).join("checks"), "rs") {
            if stem != "common" && !names.contains(&stem) {
                stray(format!("{package}/checks/{stem}.rs"));
            }
        }
    }
    for (name, _) in test_targets(&dir.join("Cargo.toml")) {
        if !names.contains(&name) {
            stray(format!("the [[test]] {name} of exercises/Cargo.toml"));
        }
    }
    for kind in ["wrong", "unusual"] {
        for entry in std::fs::read_dir(dir.join(kind))
            .into_iter()
            .flatten()
            .flatten()
        {
            let stem = entry.file_name().to_string_lossy().into_owned();
            if !names.contains(&stem) {
                stray(format!("exercises/{kind}/{stem}/"));
            }
        }
    }
    for stem in stems(&root.join("book/exercises"), "md") {
        if stem != "README" && !names.contains(&stem) {
            stray(format!("book/exercises/{stem}.md"));
        }
    }

    // The pages appear in the table's order.
    let listed: Vec<&str> = summary
        .lines()
        .filter_map(|l| l.split("(exercises/").nth(1))
        .filter_map(|l| l.strip_suffix(".md)"))
        .filter(|stem| *stem != "README")
        .collect();
    let order: Vec<&str> = exs.list.iter().map(|ex| ex.name.as_str()).collect();
    if listed != order {
        missing.push(format!(
            "book/SUMMARY.md lists the exercise pages as {listed:?}, the table as {order:?}"
        ));
    }
    missing
}

#[test]
fn every_exercise_has_all_its_parts_and_nothing_lacks_a_row() {
    let missing = missing_parts(&common::repo_root());
    assert!(missing.is_empty(), "\n{}", missing.join("\n"));
}

#[test]
fn a_missing_part_is_named() {
    // A copy of the parts this test reads, then one row too many and one
    // stray file: both are named.
    let dir = tempfile::tempdir().unwrap();
    let root = common::repo_root();
    for part in ["README.md", "book/SUMMARY.md"] {
        let to = dir.path().join(part);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(part), &to).unwrap();
    }
    common::copy_dir(&root.join("exercises"), &dir.path().join("exercises"));
    let _ = std::fs::remove_dir_all(dir.path().join("exercises/target"));
    common::copy_dir(
        &root.join("book/exercises"),
        &dir.path().join("book/exercises"),
    );
    let table = dir.path().join("exercises/exercises.toml");
    let mut text = std::fs::read_to_string(&table).unwrap();
    text.push_str("\n[[exercise]]\nname = \"99_new\"\ntitle = \"New\"\n");
    std::fs::write(&table, text).unwrap();
    std::fs::write(dir.path().join("exercises/98_stray.rs"), "").unwrap();
    let missing = missing_parts(dir.path());
    for want in [
        "99_new: no learner's file exercises/99_new.rs",
        "99_new: no check exercises/checks/99_new.rs",
        "99_new: no page book/exercises/99_new.md",
        "99_new: book/SUMMARY.md does not list exercises/99_new.md",
        "exercises/98_stray.rs has no row in exercises/exercises.toml",
    ] {
        assert!(
            missing.iter().any(|m| m == want),
            "{want:?} not in {missing:#?}"
        );
    }
}
