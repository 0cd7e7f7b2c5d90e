//! File events, debounced: "these paths changed", once per burst of writes.
//! The server's book watcher and `cargo workbook watch` both use it.
//!
//! The system's notifications (inotify, FSEvents) through `notify`, debounced
//! by `notify-debouncer-full`; where those fail, or with
//! `WORKBOOK_WATCH_POLL=1` (file systems that send none, such as some
//! network mounts), notify's polling watcher, once a second.

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use notify::RecursiveMode;
use notify::{PollWatcher, RecommendedWatcher, Watcher};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

/// Set to poll instead of using the system's notifications.
pub const POLL_ENV: &str = "WORKBOOK_WATCH_POLL";

/// Keeps watching while it lives.
pub struct Watching {
    _debouncer: Box<dyn Send>,
    pub polling: bool,
}

/// Calls `on_change` (on a background thread) with the paths that changed,
/// after `quiet` has passed with no further event. Access events (reads)
/// are ignored.
pub fn watch(
    targets: &[(PathBuf, RecursiveMode)],
    quiet: Duration,
    on_change: impl FnMut(Vec<PathBuf>) + Send + Clone + 'static,
) -> notify::Result<Watching> {
    let forced = std::env::var_os(POLL_ENV).is_some_and(|v| !v.is_empty() && v != "0");
    if !forced {
        match native(targets, quiet, on_change.clone()) {
            Ok(debouncer) => {
                return Ok(Watching {
                    _debouncer: Box::new(debouncer),
                    polling: false,
                });
            }
            Err(e) => eprintln!(
                "note: file notifications unavailable ({e}); checking for changes every second"
            ),
        }
    } else {
        eprintln!("note: {POLL_ENV} is set: checking for changes every second");
    }
    poll_watch(targets, quiet, on_change)
}

fn poll_watch(
    targets: &[(PathBuf, RecursiveMode)],
    quiet: Duration,
    on_change: impl FnMut(Vec<PathBuf>) + Send + 'static,
) -> notify::Result<Watching> {
    // notify's poller keeps modification times in whole seconds, so a save
    // in the same second as the previous one looks unchanged; comparing
    // contents too catches it (the watched directories are small).
    let config = notify::Config::default()
        .with_poll_interval(Duration::from_secs(1))
        .with_compare_contents(true);
    let mut debouncer = new_debouncer_opt::<_, PollWatcher, NoCache>(
        quiet,
        None,
        handler(on_change),
        NoCache,
        config,
    )?;
    add(&mut debouncer, targets)?;
    Ok(Watching {
        _debouncer: Box::new(debouncer),
        polling: true,
    })
}

fn native(
    targets: &[(PathBuf, RecursiveMode)],
    quiet: Duration,
    on_change: impl FnMut(Vec<PathBuf>) + Send + 'static,
) -> notify::Result<Debouncer<RecommendedWatcher, RecommendedCache>> {
    let mut debouncer = new_debouncer_opt::<_, RecommendedWatcher, RecommendedCache>(
        quiet,
        None,
        handler(on_change),
        RecommendedCache::new(),
        notify::Config::default(),
    )?;
    add(&mut debouncer, targets)?;
    Ok(debouncer)
}

fn add<W: Watcher, C: notify_debouncer_full::FileIdCache>(
    debouncer: &mut Debouncer<W, C>,
    targets: &[(PathBuf, RecursiveMode)],
) -> notify::Result<()> {
    for (path, depth) in targets {
        if path.exists() {
            debouncer.watch(path, *depth)?;
        }
    }
    Ok(())
}

fn handler(
    mut on_change: impl FnMut(Vec<PathBuf>) + Send + 'static,
) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            on_change(paths);
        }
    }
}

/// True for editor droppings, backups and build outputs, which never
/// matter. `rel` is relative to the watched root (the root itself may well
/// lie under a hidden directory).
pub fn is_noise(rel: &Path) -> bool {
    let hidden_or_built = rel.components().any(|c| {
        let part = c.as_os_str().to_string_lossy();
        part == "target" || part == "node_modules" || (part.starts_with('.') && part.len() > 1)
    });
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    hidden_or_built
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.contains(".backup-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn sees_a_save(poll: bool) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.rs");
        std::fs::write(&file, "one").unwrap();
        let (tx, rx) = mpsc::channel();
        let targets = [(dir.path().to_path_buf(), RecursiveMode::NonRecursive)];
        let watching = if poll {
            poll_watch(&targets, Duration::from_millis(100), move |p| {
                let _ = tx.send(p);
            })
        } else {
            native(&targets, Duration::from_millis(100), move |p| {
                let _ = tx.send(p);
            })
            .map(|d| Watching {
                _debouncer: Box::new(d),
                polling: false,
            })
        }
        .unwrap();
        // Within the same second as the first write, on purpose: a poller
        // that compares whole-second times alone would miss it.
        std::fs::write(&file, "two, longer").unwrap();
        let paths = rx.recv_timeout(Duration::from_secs(30)).expect("an event");
        assert!(paths.iter().any(|p| p.ends_with("a.rs")), "{paths:?}");
        drop(watching);
    }

    #[test]
    fn native_notifications_see_a_save() {
        sees_a_save(false);
    }

    #[test]
    fn polling_sees_a_save() {
        sees_a_save(true);
    }

    #[test]
    fn noise_is_relative() {
        assert!(is_noise(Path::new("exercises/target/x")));
        assert!(is_noise(Path::new("book/.a.md.swp")));
        assert!(is_noise(Path::new("exercises/01.rs.backup-1")));
        assert!(!is_noise(Path::new("book/part1/a.md")));
    }
}
