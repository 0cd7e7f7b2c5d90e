//! The server's watchers: which changes rebuild the book, and which tell
//! open pages that a learner's file or the progress changed on disk.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::contract::Notice;
use crate::file_events::{self, RecursiveMode, Watching};

/// Directories (recursive) whose changes rebuild the book.
pub const WATCHED_DIRS: &[&str] = &["book", "examples", "exercises", "src", "tests"];

/// Starts watching `root`'s book inputs; `on_change` runs on a background
/// thread, once per settled burst of relevant changes.
pub fn watch(
    root: &Path,
    on_change: impl Fn(Vec<PathBuf>) + Send + Sync + 'static,
) -> notify::Result<Watching> {
    // The root itself, not recursively, to see `book.toml` (editors often
    // replace a file rather than write it, which a file watch would miss).
    let mut targets = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
    targets.extend(
        WATCHED_DIRS
            .iter()
            .map(|dir| (root.join(dir), RecursiveMode::Recursive)),
    );
    let root = root.to_path_buf();
    let on_change = std::sync::Arc::new(on_change);
    file_events::watch(&targets, Duration::from_millis(300), move |paths| {
        let relevant: Vec<PathBuf> = paths
            .into_iter()
            .filter(|p| is_relevant(&root, p))
            .collect();
        if !relevant.is_empty() {
            on_change(relevant);
        }
    })
}

/// Changes that should rebuild the book: `book.toml`, or anything under the
/// watched directories except build outputs, backups and editor droppings.
pub fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let Some(first) = rel.components().next() else {
        return false;
    };
    let first = first.as_os_str().to_string_lossy();
    if first == "book.toml" {
        return true;
    }
    WATCHED_DIRS.contains(&first.as_ref()) && !file_events::is_noise(rel) && !is_learners_file(rel)
}

/// `exercises/NAME.rs`: the learner's own file. Its edits do not rebuild the
/// book (a reload would throw away what an exercise page holds); the page
/// hears of them through [`watch_learner`]. (The book's statement of an
/// exercise, included from that file, is the one it had when the server
/// started.)
fn is_learners_file(rel: &Path) -> bool {
    let parts: Vec<_> = rel.components().collect();
    parts.len() == 2
        && parts[0].as_os_str() == "exercises"
        && rel.extension().is_some_and(|x| x == "rs")
}

/// Watches the learners' files and the progress file.
pub fn watch_learner(
    root: &Path,
    on_notice: impl Fn(Notice) + Send + Sync + 'static,
) -> notify::Result<Watching> {
    let progress = crate::paths::progress_file(root);
    if let Some(dir) = progress.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let targets = [
        (crate::exercises::dir(root), RecursiveMode::NonRecursive),
        (
            progress.parent().unwrap_or(root).to_path_buf(),
            RecursiveMode::NonRecursive,
        ),
    ];
    let root = root.to_path_buf();
    let on_notice = std::sync::Arc::new(on_notice);
    file_events::watch(&targets, Duration::from_millis(150), move |paths| {
        let mut progress_changed = false;
        for path in &paths {
            if *path == progress {
                progress_changed = true;
                continue;
            }
            let Ok(rel) = path.strip_prefix(&root) else {
                continue;
            };
            if is_learners_file(rel)
                && let Some(name) = rel.file_stem().map(|s| s.to_string_lossy().into_owned())
            {
                let bytes = std::fs::read(path).unwrap_or_default();
                on_notice(Notice::Exercise {
                    name,
                    version: super::exercise::version(&bytes),
                });
            }
        }
        if progress_changed {
            on_notice(Notice::Progress);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevance() {
        let root = Path::new("/r");
        assert!(is_relevant(root, Path::new("/r/book.toml")));
        assert!(is_relevant(root, Path::new("/r/book/part1/a.md")));
        assert!(is_relevant(root, Path::new("/r/examples/x.rs")));
        assert!(!is_relevant(root, Path::new("/r/exercises/target/debug/x")));
        assert!(!is_relevant(root, Path::new("/r/target/book/index.html")));
        assert!(!is_relevant(root, Path::new("/r/book/.a.md.swp")));
        assert!(!is_relevant(root, Path::new("/r/Cargo.lock")));
        assert!(!is_relevant(
            root,
            Path::new("/r/exercises/01_x.rs.backup-17")
        ));
        let hidden = Path::new("/home/u/.work/r");
        assert!(is_relevant(hidden, Path::new("/home/u/.work/r/book/a.md")));
    }
}
