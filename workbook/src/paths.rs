//! Where things live in the repository: the one place that finds its root,
//! and the fixed locations every command shares.

use std::path::{Path, PathBuf};

/// Environment variable naming the repository root (the tests point it at
/// a temporary copy). Every command honours it.
pub const ROOT_ENV: &str = "WORKBOOK_ROOT";

/// The repository root: `$WORKBOOK_ROOT` if set; else the nearest directory,
/// walking up from the current one, that holds `book.toml`; else the
/// checkout this tool was built from ([`source_root`]).
pub fn repo_root() -> PathBuf {
    if let Some(dir) = std::env::var_os(ROOT_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    std::env::current_dir()
        .ok()
        .and_then(|cwd| find_root_from(&cwd))
        .unwrap_or_else(source_root)
}

/// The checkout this tool was compiled from (the workspace root at build time).
pub fn source_root() -> PathBuf {
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

/// Environment variable naming the progress file instead of
/// `.workbook/progress.json` (the browser tests give the server they start
/// a file of its own, so that they never rewrite the learner's).
pub const PROGRESS_ENV: &str = "WORKBOOK_PROGRESS";

/// The learner's progress file, written by the exercise checker:
/// `$WORKBOOK_PROGRESS`, or `.workbook/progress.json` under `root`.
pub fn progress_file(root: &Path) -> PathBuf {
    match std::env::var_os(PROGRESS_ENV).filter(|f| !f.is_empty()) {
        Some(file) => root.join(file),
        None => root.join(".workbook").join("progress.json"),
    }
}

/// Where the `scaling` example writes its measurements and chart.
pub fn scaling_dir(root: &Path) -> PathBuf {
    root.join("target").join("scaling")
}

/// Where `cargo run --release --example roofline` writes its chart and data.
pub fn roofline_dir(root: &Path) -> PathBuf {
    root.join("target").join("roofline")
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
