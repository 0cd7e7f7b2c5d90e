//! ARCHITECTURE.md stays true: every path it names in `backticks` exists,
//! and every file name it mentions is a file of the repository. (It names
//! things rather than linking them; this is what keeps the names honest.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The code spans of a Markdown text, outside ``` fences.
fn code_spans(text: &str) -> Vec<String> {
    let mut prose = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    // Spans may wrap onto the next line.
    prose
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|span| span.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Every file and directory of the repository (its own outputs and
/// downloads left out), relative to the root.
fn tree() -> BTreeSet<PathBuf> {
    let mut all = BTreeSet::new();
    let mut dirs = vec![PathBuf::new()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(Path::new(ROOT).join(&dir)).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if ["target", "node_modules", ".git"].contains(&name.to_str().unwrap_or("")) {
                continue;
            }
            let rel = dir.join(&name);
            if entry.path().is_dir() {
                dirs.push(rel.clone());
            }
            all.insert(rel);
        }
    }
    all
}

/// A span that names a place in the repository: a path with a directory,
/// or a file name with an extension. Not a command (spaces), a flag, a URL
/// path, a placeholder (`NN_name`, `NAME`, `<machine>`, `partN`), or what
/// a run writes (`target/`, `.workbook/`).
fn is_a_path(span: &str) -> bool {
    let placeholder = ["NN", "NAME", "<", "partN", "..."]
        .iter()
        .any(|p| span.contains(p));
    let written = ["target/", ".workbook/"]
        .iter()
        .any(|p| span.starts_with(p));
    let file = Path::new(span).extension().is_some_and(|e| {
        ["rs", "js", "mjs", "md", "toml", "json", "txt", "sh", "py"].contains(&e.to_str().unwrap())
    });
    !span.is_empty()
        && !span.contains(' ')
        && !span.contains("://")
        && !span.contains('=')
        && !span.starts_with('-')
        && !span.starts_with('/')
        && !placeholder
        && !written
        && (span.contains('/') || file)
}

/// Whether `text` matches `pattern`, whose `*` stands for any characters
/// but `/`.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|&i| rest.is_char_boundary(i) && !rest[..i].contains('/'))
                .any(|i| glob(tail, &rest[i..]))
        }
    }
}

#[test]
fn every_path_architecture_md_names_exists() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("ARCHITECTURE.md")).unwrap();
    let tree = tree();
    let names: BTreeSet<_> = tree.iter().filter_map(|p| p.file_name()).collect();
    let mut checked = 0;
    let mut missing = Vec::new();
    for span in code_spans(&text).iter().filter(|s| is_a_path(s)) {
        checked += 1;
        let path = Path::new(span.trim_end_matches('/'));
        let found = match (span.contains('/'), span.contains('*')) {
            (true, false) => tree.contains(path),
            (false, false) => names.contains(path.as_os_str()),
            // A glob matches at least one: by path, or by file name.
            (true, true) => tree.iter().any(|p| glob(span, &p.to_string_lossy())),
            (false, true) => names.iter().any(|n| glob(span, &n.to_string_lossy())),
        };
        if !found {
            missing.push(span.clone());
        }
    }
    assert!(
        checked > 100,
        "only {checked} paths found: is the span parser broken?"
    );
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names what the repository does not have: {missing:?}"
    );
}

#[test]
fn the_readme_points_to_the_map() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    assert!(
        readme.contains("(ARCHITECTURE.md)"),
        "the README's layout paragraph links ARCHITECTURE.md"
    );
}
