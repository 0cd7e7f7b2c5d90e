//! `cargo workbook reset NAME`: puts an exercise file back as committed in
//! git, after saving the learner's version as
//! `.workbook/backups/exercises/NAME.rs.backup-<unix time>`.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Result, anyhow};

use crate::exercises::{Exercise, Exercises, Progress};
use crate::files;
use crate::message::one_line;
use crate::process::{Limits, Supervised};

/// `cargo workbook reset NAME`
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ResetArgs {
    /// Exercise name, number or unique prefix
    pub name: String,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// The git revision to restore from
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub from: String,
}

/// The content of `rel` (relative to `root`, `/`-separated) at git revision `rev`.
pub fn committed(root: &Path, rev: &str, rel: &str) -> Result<Vec<u8>> {
    if rev.starts_with('-') || rev.contains(':') || rev.trim().is_empty() {
        return Err(anyhow!(
            "--from {rev:?} is not a git revision; nothing was changed"
        ));
    }
    let mut git = Command::new("git");
    git.arg("show")
        .arg(format!("{rev}:./{rel}"))
        .current_dir(root);
    let limits = Limits {
        time: Duration::from_secs(60),
        output: 16 << 20,
    };
    let out = Supervised::new(git, limits).run().map_err(|e| {
        anyhow!("{e}: reset needs git to find the committed version; nothing was changed")
    })?;
    if !out.success() {
        let why = out
            .stderr
            .lines()
            .map(|l| l.trim().trim_start_matches("fatal: "))
            .find(|l| !l.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| out.describe());
        return Err(anyhow!(
            "no committed version of {rel} at {rev} ({why}); nothing was changed"
        ));
    }
    Ok(out.stdout.into_bytes())
}

/// What [`reset`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Reset {
    /// The file already was the committed version.
    Unchanged,
    /// Replaced; the learner's version is in the backup (if there was a file).
    Done { backup: Option<PathBuf> },
}

/// Puts `ex`'s file back as committed at `rev`, after backing up the
/// learner's version, and forgets its status.
pub fn reset(exs: &Exercises, ex: &Exercise, rev: &str) -> Result<Reset> {
    let file = exs.file(ex);
    let rel = exs.show(&file);
    let original = committed(&exs.root, rev, &rel)?;
    match std::fs::read(&file) {
        Ok(current) if current == original => return Ok(Reset::Unchanged),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(anyhow!("cannot read {rel}: {e}; nothing was changed")),
    }
    let backup = files::back_up(&exs.root, &file)
        .map_err(|e| anyhow!("cannot save your version of {rel}: {e}; nothing was changed"))?;
    files::write_atomically(&file, &original)
        .map_err(|e| anyhow!("cannot write {rel}: {e} (your version is in the backup)"))?;
    // The file is back at the start: so is its status. Not being able to
    // record that is worth a note, not a failure of the reset.
    if let Err(e) = Progress::load(&exs.root).and_then(|mut progress| {
        progress.forget(&ex.name);
        progress.save()
    }) {
        eprintln!("note: {}", one_line(&format!("{e:#}")));
    }
    Ok(Reset::Done { backup })
}

/// Entry point of `cargo workbook reset`.
pub fn run(args: ResetArgs) -> Result<()> {
    let exs = Exercises::load(&crate::paths::repo_root())?;
    let ex = exs.find(&args.name)?;
    let rel = exs.show(&exs.file(ex));
    // Ask before anything is written; `reset` then checks again.
    let original = committed(&exs.root, &args.from, &rel)?;
    if std::fs::read(exs.file(ex)).ok().as_deref() == Some(original.as_slice()) {
        println!(
            "{rel} is already as committed at {}; nothing to do",
            args.from
        );
        return Ok(());
    }
    if !args.yes {
        print!("Reset {rel}? [y/N] ");
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        let answer = answer.trim().to_ascii_lowercase();
        if answer != "y" && answer != "yes" {
            println!("Not reset: {rel} is unchanged.");
            return Ok(());
        }
    }
    match reset(&exs, ex, &args.from)? {
        Reset::Unchanged => println!(
            "{rel} is already as committed at {}; nothing to do",
            args.from
        ),
        Reset::Done { backup } => {
            if let Some(backup) = backup {
                println!("Saved your version to {}", exs.show(&backup));
            }
            println!("Reset {rel} to its version at {}", args.from);
        }
    }
    Ok(())
}
