//! Where things live in the repository. Small on purpose: every subcommand uses it.

use std::path::{Path, PathBuf};

/// The repository root: the nearest directory, walking up from the current
/// directory, that holds `book.toml`. Falls back to the parent of this crate's
/// manifest directory (the workspace root at build time).
pub fn repo_root() -> PathBuf {
    if let Ok(cwd) = std::env::current_dir()
        && let Some(root) = find_root_from(&cwd)
    {
        return root;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The nearest ancestor of `start` (itself included) that holds `book.toml`.
pub fn find_root_from(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("book.toml").is_file())
        .map(Path::to_path_buf)
}

/// The default output directory of `cargo workbook build`.
pub fn default_book_out(root: &Path) -> PathBuf {
    root.join("target").join("book")
}

/// The learner's progress file, written by the exercise checker.
pub fn progress_file(root: &Path) -> PathBuf {
    root.join(".workbook").join("progress.json")
}

/// Where the `scaling` example writes its measurements and chart.
pub fn scaling_dir(root: &Path) -> PathBuf {
    root.join("target").join("scaling")
}

/// `path` shown relative to `root` when it lies inside it, with `/` separators.
pub fn display_rel(root: &Path, path: &Path) -> String {
    let shown = path.strip_prefix(root).unwrap_or(path);
    shown
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
