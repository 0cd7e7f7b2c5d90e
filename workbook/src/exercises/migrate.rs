//! The learner's side of a renumbering: on start, `cargo workbook` moves
//! their work along the `[[renamed]]` rows of `exercises/exercises.toml`
//! (see [`super::renumber`]): their exercise files, the backups of those
//! files (under `.workbook/backups/exercises/`), and the entries of their
//! progress file. Nothing is overwritten:
//! where a file of the new name exists already and differs, both are kept
//! and the line says so. Before anything moves, a copy of the progress file
//! and of every file about to move goes to
//! `.workbook/backups/renumber-UNIXTIME/`. Then one line says what was done.
//! Once moved, nothing is left under an old name, so a second start does
//! nothing.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{Exercises, Progress, dir};
use crate::{files, paths};

/// What one migration did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Migrated {
    /// (old, new) file names, relative to the root.
    pub moved: Vec<(String, String)>,
    /// Progress entries renamed.
    pub entries: usize,
    /// Files kept under their old name because the new name was taken by a
    /// different file.
    pub clashes: Vec<(String, String)>,
    /// Where the copies were put.
    pub backup: Option<PathBuf>,
}

impl Migrated {
    /// The one line the learner reads (`None`: nothing to say).
    pub fn line(&self, root: &Path) -> Option<String> {
        if self.moved.is_empty() && self.entries == 0 && self.clashes.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        if let Some((from, to)) = self.moved.first() {
            let more = match self.moved.len() - 1 {
                0 => String::new(),
                1 => " and 1 more file".to_string(),
                n => format!(" and {n} more files"),
            };
            parts.push(format!("moved {from} to {to}{more}"));
        }
        if self.entries > 0 {
            parts.push(format!(
                "renamed {} progress entr{}",
                self.entries,
                if self.entries == 1 { "y" } else { "ies" }
            ));
        }
        for (old, new) in &self.clashes {
            parts.push(format!(
                "kept both {old} (yours, old number) and {new}: they differ, compare them and keep one"
            ));
        }
        let backup = self
            .backup
            .as_ref()
            .map(|b| format!(" (copies in {})", paths::display_rel(root, b)))
            .unwrap_or_default();
        Some(format!(
            "note: the exercises were renumbered to follow the book's reading order: {}{backup}",
            parts.join("; ")
        ))
    }
}

/// One planned move of a file.
struct Move {
    from: PathBuf,
    to: PathBuf,
}

/// Moves the learner's work of the repository at `root` to the current
/// names. A repository without a readable table has nothing to migrate (the
/// command that runs next says what is wrong with it).
pub fn migrate(root: &Path) -> Result<Migrated> {
    let Ok(exercises) = Exercises::load(root) else {
        return Ok(Migrated::default());
    };
    if exercises.renamed.is_empty() {
        return Ok(Migrated::default());
    }
    let mut progress = Progress::load(root)?;
    let ex_dir = dir(root);
    let mut done = Migrated::default();
    let mut backup: Option<PathBuf> = None;
    let shown = |p: &Path| paths::display_rel(root, p);
    for renamed in &exercises.renamed {
        let old_file = ex_dir.join(format!("{}.rs", renamed.from));
        let new_file = ex_dir.join(format!("{}.rs", renamed.to));
        let mut moves = Vec::new();
        if old_file.is_file() {
            moves.push(Move {
                from: old_file.clone(),
                to: new_file.clone(),
            });
        }
        for old_backup in files::backups_of(root, &old_file) {
            let name = old_backup
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rest = name.strip_prefix(&renamed.from).unwrap_or(&name);
            moves.push(Move {
                to: old_backup.with_file_name(format!("{}{rest}", renamed.to)),
                from: old_backup,
            });
        }
        let entry = progress.has_entry(&renamed.from) && !progress.has_entry(&renamed.to);
        for m in moves {
            let clash = m.to.exists() && std::fs::read(&m.from).ok() != std::fs::read(&m.to).ok();
            if clash {
                done.clashes.push((shown(&m.from), shown(&m.to)));
                continue;
            }
            copy_into(ensure_backup(root, &mut backup)?, root, &m.from)?;
            if m.to.exists() {
                // The same content under both names: the old one adds nothing
                // (and a copy of it is in the backup).
                std::fs::remove_file(&m.from)
                    .with_context(|| format!("cannot remove {}", shown(&m.from)))?;
            } else {
                std::fs::rename(&m.from, &m.to)
                    .with_context(|| format!("cannot move {}", shown(&m.from)))?;
                done.moved.push((shown(&m.from), shown(&m.to)));
            }
        }
        if entry {
            ensure_backup(root, &mut backup)?;
            progress.rename_entry(&renamed.from, &renamed.to);
            done.entries += 1;
        }
    }
    if done.entries > 0 {
        progress.save()?;
    }
    done.backup = backup;
    Ok(done)
}

/// The backup folder of this migration, made on first use.
fn ensure_backup<'a>(root: &Path, backup: &'a mut Option<PathBuf>) -> Result<&'a Path> {
    if backup.is_none() {
        *backup = Some(first_backup(root)?);
    }
    Ok(backup.as_deref().expect("just set"))
}

/// A new `.workbook/backups/renumber-UNIXTIME[-N]/` holding a copy of the
/// progress file, if there is one.
fn first_backup(root: &Path) -> Result<PathBuf> {
    let base = root.join(".workbook").join("backups");
    std::fs::create_dir_all(&base).with_context(|| format!("cannot create {}", base.display()))?;
    let stamp = files::now_unix();
    let dir = (1..)
        .map(|n| {
            base.join(if n == 1 {
                format!("renumber-{stamp}")
            } else {
                format!("renumber-{stamp}-{n}")
            })
        })
        .find(|d| std::fs::create_dir(d).is_ok())
        .expect("some name is free");
    let progress = paths::progress_file(root);
    if progress.is_file() {
        std::fs::copy(&progress, dir.join("progress.json"))
            .context("cannot back up the progress file")?;
    }
    Ok(dir)
}

/// Copies `file` into `backup` under its path relative to `root`.
fn copy_into(backup: &Path, root: &Path, file: &Path) -> Result<()> {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let to = backup.join(rel);
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::copy(file, &to).with_context(|| format!("cannot back up {}", file.display()))?;
    Ok(())
}

/// Moves the backups that earlier versions left beside the learner's files
/// to `.workbook/backups/` (first, so that the renumbering finds them
/// there), migrates, then prints one line for each (errors too: a failed
/// migration must not stop the command the learner asked for).
pub fn on_start(root: &Path) {
    match files::move_backups_out(root, &dir(root)) {
        Ok(0) => {}
        Ok(n) => eprintln!(
            "note: moved {n} backup{} of your exercise files out of exercises/ to {}",
            if n == 1 { "" } else { "s" },
            paths::display_rel(root, &files::backups_dir(root).join("exercises"))
        ),
        Err(e) => eprintln!(
            "warning: could not move the backups beside your exercise files: {}",
            crate::message::one_line(&e.to_string())
        ),
    }
    match migrate(root) {
        Ok(done) => {
            if let Some(line) = done.line(root) {
                eprintln!("{line}");
            }
        }
        Err(e) => eprintln!(
            "warning: could not move your work to the renumbered exercises: {}",
            crate::message::one_line(&format!("{e:#}"))
        ),
    }
}
