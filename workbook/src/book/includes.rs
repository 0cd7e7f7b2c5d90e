//! Finds mdBook `{{#include}}`, `{{#rustdoc_include}}` and `{{#playground}}`
//! links in markdown and checks that each points to an existing file (and,
//! when an anchor is named, that the file has `ANCHOR: name`). The build runs
//! this first, because mdBook only logs a broken include and carries on.

use std::path::{Path, PathBuf};

/// One `{{#... path}}` link found in a markdown file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Include {
    /// 1-based line of the link in its markdown file.
    pub line: usize,
    /// `include`, `rustdoc_include` or `playground`.
    pub kind: String,
    /// The path as written, relative to the markdown file's directory.
    pub path: String,
    /// The anchor name, when the link selects one (`file.rs:name`).
    pub anchor: Option<String>,
    /// The whole link text, `{{#include ...}}`.
    pub text: String,
}

const FILE_KINDS: &[&str] = &["include", "rustdoc_include", "playground"];

/// All file-including links in `markdown`, in order. `\{{#...}}` (escaped) is skipped,
/// as mdBook does.
pub fn find_includes(markdown: &str) -> Vec<Include> {
    let mut found = Vec::new();
    let mut rest = markdown;
    let mut offset = 0;
    while let Some(start) = rest.find("{{") {
        let abs = offset + start;
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let escaped = abs > 0 && markdown.as_bytes()[abs - 1] == b'\\';
        let inner = after[..end].trim();
        let consumed = start + 2 + end + 2;
        if !escaped && let Some(body) = inner.strip_prefix('#') {
            let mut words = body.split_whitespace();
            let kind = words.next().unwrap_or_default();
            let arg = words.next().unwrap_or_default();
            let text_ok = !inner.contains('\n') || kind == "playground";
            if FILE_KINDS.contains(&kind) && !arg.is_empty() && text_ok {
                let (path, anchor) = split_path(kind, arg);
                found.push(Include {
                    line: markdown[..abs].matches('\n').count() + 1,
                    kind: kind.to_string(),
                    path,
                    anchor,
                    text: markdown[abs..abs + consumed - start].to_string(),
                });
            }
        }
        rest = &rest[consumed..];
        offset += consumed;
    }
    found
}

/// Splits `file.rs:anchor` / `file.rs:3:10` into the path and the anchor (if any).
fn split_path(kind: &str, arg: &str) -> (String, Option<String>) {
    if kind == "playground" {
        return (arg.to_string(), None);
    }
    match arg.split_once(':') {
        None => (arg.to_string(), None),
        Some((path, selector)) => {
            let first = selector.split(':').next().unwrap_or_default();
            let is_range = first.is_empty() || first.chars().all(|c| c.is_ascii_digit());
            let anchor = (!is_range).then(|| first.to_string());
            (path.to_string(), anchor)
        }
    }
}

/// True when `source` contains an `ANCHOR: name` marker.
pub fn has_anchor(source: &str, name: &str) -> bool {
    source.match_indices("ANCHOR:").any(|(i, m)| {
        let after = source[i + m.len()..].trim_start();
        let word: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        word == name
    })
}

/// A broken include, ready to print as one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenInclude {
    pub markdown: PathBuf,
    pub line: usize,
    pub message: String,
    /// The include names an anchor of a learner's own file
    /// (`exercises/NAME.rs`) that the file no longer has: the learner's
    /// edit, not the book's mistake.
    pub learners_anchor: bool,
}

/// Checks every include of the markdown file `md`. `root` is only used to
/// shorten paths in messages.
pub fn check_markdown_file(root: &Path, md: &Path) -> Vec<BrokenInclude> {
    let Ok(text) = std::fs::read_to_string(md) else {
        return Vec::new();
    };
    let base = md.parent().unwrap_or(Path::new("."));
    let shown_md = crate::paths::display_rel(root, md);
    let mut problems = Vec::new();
    for inc in find_includes(&text) {
        let target = base.join(&inc.path);
        let learners = is_learners_file(root, &target);
        let mut learners_anchor = false;
        let problem = match std::fs::read_to_string(&target) {
            Err(_) if !target.exists() => {
                Some(format!("{}: file {} does not exist", inc.text, inc.path))
            }
            Err(e) => Some(format!("{}: cannot read {}: {e}", inc.text, inc.path)),
            Ok(source) => match &inc.anchor {
                Some(anchor) if !has_anchor(&source, anchor) && learners => {
                    learners_anchor = true;
                    let name = target
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    Some(format!(
                        "exercises/{name}.rs has no `// ANCHOR: {anchor}` line any more, so its page shows none of it \
                         (put the line back, or `cargo workbook reset {name}` restores the file, keeping yours as a backup)"
                    ))
                }
                Some(anchor) if !has_anchor(&source, anchor) => Some(format!(
                    "{}: {} has no `ANCHOR: {anchor}`",
                    inc.text, inc.path
                )),
                _ => None,
            },
        };
        if let Some(message) = problem {
            problems.push(BrokenInclude {
                markdown: md.to_path_buf(),
                line: inc.line,
                message: format!("{shown_md}:{}: {message}", inc.line),
                learners_anchor,
            });
        }
    }
    problems
}

/// Whether `path` (relative parts resolved by name, no link followed) is
/// a learner's own file: `exercises/NAME.rs` directly.
fn is_learners_file(root: &Path, path: &Path) -> bool {
    use std::path::Component;
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal.parent() == Some(crate::exercises::dir(root).as_path())
        && normal.extension().is_some_and(|x| x == "rs")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_includes_and_anchors() {
        let md = "a\n```rust\n{{#include ../examples/x.rs:main}}\n```\n\\{{#include no.rs}}\n{{#rustdoc_include ../src/y.rs:3:9}}\n{{#title T}}\n{{ #playground ../z.rs editable }}";
        let found = find_includes(md);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].line, 3);
        assert_eq!(found[0].path, "../examples/x.rs");
        assert_eq!(found[0].anchor.as_deref(), Some("main"));
        assert_eq!(found[1].anchor, None);
        assert_eq!(found[1].path, "../src/y.rs");
        assert_eq!(found[2].kind, "playground");
        assert_eq!(found[2].path, "../z.rs");
    }

    #[test]
    fn a_learners_file_is_one_directly_in_exercises() {
        let root = Path::new("/r");
        assert!(is_learners_file(
            root,
            Path::new("/r/book/exercises/../../exercises/03_x.rs")
        ));
        assert!(!is_learners_file(
            root,
            Path::new("/r/exercises/solutions/03_x.rs")
        ));
        assert!(!is_learners_file(root, Path::new("/r/examples/x.rs")));
    }

    #[test]
    fn anchors_match_whole_names() {
        let src = "// ANCHOR: main_loop\nx\n// ANCHOR_END: main_loop\n";
        assert!(has_anchor(src, "main_loop"));
        assert!(!has_anchor(src, "main"));
    }
}
