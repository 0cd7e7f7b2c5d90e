//! Each page loads only the scripts it uses. mdBook adds every
//! `additional-js` file, and Ace (with `[output.html.playground] editable`),
//! to every page; after a build this takes out of each page the groups of
//! scripts nothing on it needs:
//!
//! - Ace (`ace`, `mode-rust`, `editor`, its two themes: 370 KiB): needed
//!   where there is an editor: an exercise page, or a Rust program the page
//!   offers to run (snippets.js makes those editors: a `language-rust` block
//!   with `fn main`, not marked `noplayground` or `ignore`);
//! - the exercise page's scripts (`exercise*.js`): on exercise pages;
//! - the scheduler puzzles' (`scheduler*.js`, `puzzles*.js`): where a
//!   puzzle is mounted (`data-puzzle`, or the first two puzzles' ids).
//!
//! `print.html` holds every chapter, so it keeps everything. The tests in
//! `tests/browser/` load the pages and measure what each transfers.

use std::path::Path;

use anyhow::{Context, Result};

/// A group of scripts, by their file names without the content hash.
struct Group {
    /// Whether a script (`src` of a `<script>` tag) belongs to the group.
    member: fn(&str) -> bool,
    /// Whether a page needs the group.
    needed: fn(&str) -> bool,
}

const GROUPS: [Group; 3] = [
    Group {
        member: |name| {
            [
                "ace",
                "mode-rust",
                "editor",
                "theme-dawn",
                "theme-tomorrow_night",
            ]
            .contains(&name)
        },
        needed: |page| is_exercise_page(page) || has_runnable_program(page),
    },
    Group {
        member: |name| name.starts_with("exercise"),
        needed: is_exercise_page,
    },
    Group {
        member: |name| name.starts_with("scheduler") || name.starts_with("puzzles"),
        needed: |page| {
            page.contains("data-puzzle=\"")
                || page.contains("id=\"race-scheduler\"")
                || page.contains("id=\"deadlock-scheduler\"")
        },
    },
];

fn is_exercise_page(page: &str) -> bool {
    page.contains("class=\"exercise-status\" data-exercise=\"")
}

/// Whether a page has a Rust block snippets.js turns into an editor.
fn has_runnable_program(page: &str) -> bool {
    let mut rest = page;
    while let Some(i) = rest.find("<code class=\"") {
        let after = &rest[i + 13..];
        let Some(end) = after.find('"') else { break };
        let classes: Vec<&str> = after[..end].split_whitespace().collect();
        let body_end = after.find("</code>").unwrap_or(after.len());
        let body = &after[end..body_end];
        if classes.contains(&"language-rust")
            && !classes.contains(&"noplayground")
            && !classes.contains(&"ignore")
            && has_main(body)
        {
            return true;
        }
        rest = &after[body_end..];
    }
    false
}

/// `fn main(` at the start of a line (after spaces, maybe `pub`), as
/// snippets.js's `MAIN` pattern. Highlighting is done in the browser, so
/// the block's text is plain here (mdBook may wrap hidden lines in a span).
fn has_main(body: &str) -> bool {
    body.lines().any(|line| {
        let line = line.replace("<span class=\"boring\">", "");
        let line = line.trim_start();
        let line = line.strip_prefix("pub ").map_or(line, str::trim_start);
        line.strip_prefix("fn")
            .filter(|rest| rest.starts_with(char::is_whitespace))
            .is_some_and(|rest| {
                rest.trim_start().starts_with("main") && {
                    rest.trim_start()["main".len()..]
                        .trim_start()
                        .starts_with('(')
                }
            })
    })
}

/// The name of a script without directories, content hash and `.js`:
/// `../book/interactive/scheduler-87adad54.js` -> `scheduler`.
fn script_name(src: &str) -> &str {
    let file = src.rsplit('/').next().unwrap_or(src);
    let stem = file.strip_suffix(".js").unwrap_or(file);
    let stem = stem.strip_suffix(".min").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((name, hash)) if hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            name
        }
        _ => stem,
    }
}

/// `page` without the `<script src>` lines of the groups it does not need.
pub fn trim_page(page: &str) -> String {
    let unneeded: Vec<&Group> = GROUPS.iter().filter(|g| !(g.needed)(page)).collect();
    if unneeded.is_empty() {
        return page.to_string();
    }
    page.split_inclusive('\n')
        .filter(|line| {
            let tag = line.trim();
            let Some(src) = tag
                .strip_prefix("<script src=\"")
                .and_then(|rest| rest.strip_suffix("\"></script>"))
            else {
                return true;
            };
            let name = script_name(src);
            !unneeded.iter().any(|g| (g.member)(name))
        })
        .collect()
}

/// Trims every page of the built book in `out_dir` but `print.html`.
pub fn trim(out_dir: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(out_dir).into_iter().flatten() {
        let path = entry.path();
        if !entry.file_type().is_file()
            || path.extension().is_none_or(|e| e != "html")
            || path.file_name().is_some_and(|n| n == "print.html")
        {
            continue;
        }
        let page = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let trimmed = trim_page(&page);
        if trimmed != page {
            std::fs::write(path, trimmed)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPTS: &str = "<script src=\"ace-2a3cd908.js\"></script>\n        <script src=\"editor-16ca416c.js\"></script>\n<script src=\"book-609e4cb8.js\"></script>\n<script src=\"../book/interactive/scheduler-engine-7ae6ed6c.js\"></script>\n<script src=\"../book/interactive/puzzles-3dc3a20c.js\"></script>\n<script src=\"../book/interactive/exercise-check-1eb15737.js\"></script>\n<script src=\"../book/interactive/core-f671803c.js\"></script>\n";

    #[test]
    fn a_page_keeps_what_it_uses() {
        let plain = format!("<p>text</p>\n{SCRIPTS}");
        assert_eq!(
            trim_page(&plain),
            "<p>text</p>\n<script src=\"book-609e4cb8.js\"></script>\n<script src=\"../book/interactive/core-f671803c.js\"></script>\n"
        );
        let program = format!(
            "<pre><code class=\"language-rust\">use std::thread;\n\nfn main() {{}}\n</code></pre>\n{SCRIPTS}"
        );
        let kept = trim_page(&program);
        assert!(kept.contains("ace-2a3cd908.js") && kept.contains("editor-16ca416c.js"));
        assert!(!kept.contains("scheduler") && !kept.contains("exercise-check"));
        let excerpt = format!(
            "<pre><code class=\"language-rust noplayground\">fn main() {{}}\n</code></pre>\n<pre><code class=\"language-rust\">fn mainly() {{}}\n</code></pre>\n{SCRIPTS}"
        );
        assert!(!trim_page(&excerpt).contains("ace-"));
        let puzzle =
            format!("<div class=\"sched-mount\" data-puzzle=\"withdraw\"></div>\n{SCRIPTS}");
        let kept = trim_page(&puzzle);
        assert!(kept.contains("scheduler-engine") && kept.contains("puzzles-3dc3a20c"));
        assert!(!kept.contains("ace-"));
        let exercise =
            format!("<div class=\"exercise-status\" data-exercise=\"01_chunks\"></div>\n{SCRIPTS}");
        let kept = trim_page(&exercise);
        assert!(kept.contains("ace-") && kept.contains("exercise-check"));
    }
}
