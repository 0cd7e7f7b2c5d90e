//! Every number the book shows comes from a measured file: no chapter shows
//! program output typed by hand, every `{{#include ../measured/...}}` names a
//! measurement of `book/measured/measurements.toml`, every measurement is
//! shown somewhere, and every measured file belongs to one.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use workbook::book::includes::find_includes;
use workbook::book::measured::typed_output;

fn book_pages() -> Vec<PathBuf> {
    common::files_with_ext(&common::repo_root().join("book"), "md")
}

fn shown(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string()
}

fn measurement_names() -> BTreeSet<String> {
    let root = common::repo_root();
    workbook::measure::load(&root)
        .unwrap_or_else(|e| panic!("{e:#}"))
        .into_iter()
        .map(|m| m.name)
        .collect()
}

/// (page, line, machine directory, measurement name) for every include of a
/// measured file.
fn measured_includes() -> Vec<(String, usize, String, String)> {
    let root = common::repo_root();
    let mut found = Vec::new();
    for page in book_pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for include in find_includes(&text) {
            let Some((_, rest)) = include.path.split_once("measured/") else {
                continue;
            };
            let (machine, file) = rest.split_once('/').unwrap_or(("", rest));
            let name = file.strip_suffix(".txt").unwrap_or(file);
            found.push((
                shown(&root, &page),
                include.line,
                machine.to_owned(),
                name.to_owned(),
            ));
        }
    }
    found
}

#[test]
fn no_chapter_shows_output_typed_by_hand() {
    let root = common::repo_root();
    let mut problems = Vec::new();
    for page in book_pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for typed in typed_output(&text) {
            problems.push(format!(
                "{}:{}: {} typed by hand; add a measurement to \
                 book/measured/measurements.toml and show its file with \
                 {{{{#include ../measured/<machine>/NAME.txt}}}}",
                shown(&root, &page),
                typed.line,
                typed.what
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_measured_include_names_a_measurement() {
    let names = measurement_names();
    let includes = measured_includes();
    assert!(
        includes.len() >= 30,
        "only {} measured includes",
        includes.len()
    );
    let problems: Vec<String> = includes
        .iter()
        .filter(|(_, _, machine, name)| machine.is_empty() || !names.contains(name))
        .map(|(page, line, machine, name)| {
            format!(
                "{page}:{line}: ../measured/{machine}/{name}.txt is not \
                 book/measured/<machine>/<a measurement's name>.txt"
            )
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_measurement_is_shown_in_the_book() {
    let shown: BTreeSet<String> = measured_includes()
        .into_iter()
        .map(|(_, _, _, name)| name)
        .collect();
    let unshown: Vec<String> = measurement_names()
        .into_iter()
        .filter(|name| !shown.contains(name))
        .collect();
    assert!(
        unshown.is_empty(),
        "measured but shown by no chapter (include it, or remove it from \
         book/measured/measurements.toml): {unshown:?}"
    );
}

#[test]
fn every_measured_file_belongs_to_a_measurement_and_names_its_machine() {
    let root = common::repo_root();
    let names = measurement_names();
    let measured = root.join("book").join("measured");
    let mut problems = Vec::new();
    let mut count = 0;
    for file in common::files_with_ext(&measured, "txt") {
        count += 1;
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let in_machine_dir = file.parent() != Some(measured.as_path());
        if !in_machine_dir || !names.contains(&name) {
            problems.push(format!(
                "{}: not book/measured/<machine>/<a measurement's name>.txt",
                shown(&root, &file)
            ));
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        if !text.starts_with("# machine: ") || !text.lines().any(|l| l.starts_with("$ ")) {
            problems.push(format!(
                "{}: a measured file starts with `# machine: ...` and shows each command as `$ command`",
                shown(&root, &file)
            ));
        }
    }
    assert!(count >= 30, "only {count} measured files");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
