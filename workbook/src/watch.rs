//! Watches the book's inputs and calls back after a burst of changes settles.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{Event, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

/// Directories (recursive) whose changes trigger a rebuild.
pub const WATCHED_DIRS: &[&str] = &["book", "examples", "exercises", "src", "tests"];

/// Keeps the watcher alive; dropping it stops watching.
pub struct WatchHandle {
    _watcher: Box<dyn Watcher + Send>,
}

/// Starts watching `root`'s book inputs. `on_change` runs on a background
/// thread, once per burst of changes (after `quiet` without further events).
pub fn watch(
    root: &Path,
    quiet: Duration,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> notify::Result<WatchHandle> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let root_owned = root.to_path_buf();
    let handler = move |res: notify::Result<Event>| {
        if let Ok(event) = res {
            if matches!(event.kind, notify::EventKind::Access(_)) {
                return;
            }
            for path in event.paths {
                if is_relevant(&root_owned, &path) {
                    let _ = tx.send(path);
                }
            }
        }
    };
    let watcher: Box<dyn Watcher + Send> = match native(root, handler.clone()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("note: native file watching failed ({e}); polling for changes every second");
            let config = notify::Config::default().with_poll_interval(Duration::from_secs(1));
            let mut w = PollWatcher::new(handler, config)?;
            add_paths(&mut w, root)?;
            Box::new(w)
        }
    };
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let mut changed = vec![first];
            while let Ok(more) = rx.recv_timeout(quiet) {
                changed.push(more);
            }
            changed.sort();
            changed.dedup();
            on_change(changed);
        }
    });
    Ok(WatchHandle { _watcher: watcher })
}

fn native(
    root: &Path,
    handler: impl notify::EventHandler,
) -> notify::Result<Box<dyn Watcher + Send>> {
    let mut w = RecommendedWatcher::new(handler, notify::Config::default())?;
    add_paths(&mut w, root)?;
    Ok(Box::new(w))
}

fn add_paths(w: &mut dyn Watcher, root: &Path) -> notify::Result<()> {
    // The root itself, not recursively, to see `book.toml` (editors often
    // replace a file rather than write it, which a file watch would miss).
    w.watch(root, RecursiveMode::NonRecursive)?;
    for dir in WATCHED_DIRS {
        let dir = root.join(dir);
        if dir.is_dir() {
            w.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

/// Changes that should rebuild the book: `book.toml`, or anything under the
/// watched directories except build outputs and editor droppings.
pub fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    if first == "book.toml" {
        return true;
    }
    if !WATCHED_DIRS.contains(&first.as_ref()) {
        return false;
    }
    let rest: Vec<_> = parts.collect();
    if rest
        .iter()
        .any(|p| p == "target" || p == "node_modules" || p.starts_with('.'))
    {
        return false;
    }
    let name = rest.last().map(|s| s.as_ref()).unwrap_or("");
    !(name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.starts_with(".#"))
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
    }
}
