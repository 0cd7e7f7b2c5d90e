//! `cargo workbook reset NAME`: puts an exercise file back as committed in
//! git, after saving the learner's version next to it as
//! `exercises/NAME.rs.backup-<unix time>`.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Result, anyhow};

use crate::exercises::{self, Exercises};
use crate::progress::{self, Progress};

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
fn committed(root: &Path, rev: &str, rel: &str) -> Result<Vec<u8>> {
    if rev.starts_with('-') || rev.contains(':') || rev.trim().is_empty() {
        return Err(anyhow!(
            "--from {rev:?} is not a git revision; nothing was changed"
        ));
    }
    let out = Command::new("git")
        .arg("show")
        .arg(format!("{rev}:./{rel}"))
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            anyhow!("cannot run git ({e}): reset needs git to find the committed version; nothing was changed")
        })?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        let why = why
            .lines()
            .map(|l| l.trim().trim_start_matches("fatal: "))
            .find(|l| !l.is_empty())
            .unwrap_or("git show failed");
        return Err(anyhow!(
            "no committed version of {rel} at {rev} ({why}); nothing was changed"
        ));
    }
    Ok(out.stdout)
}

/// A backup path that does not exist yet.
fn backup_path(file: &Path) -> PathBuf {
    let stamp = progress::now_unix();
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut candidate = file.with_file_name(format!("{name}.backup-{stamp}"));
    let mut n = 2;
    while candidate.exists() {
        candidate = file.with_file_name(format!("{name}.backup-{stamp}-{n}"));
        n += 1;
    }
    candidate
}

/// Entry point of `cargo workbook reset`.
pub fn run(args: ResetArgs) -> Result<()> {
    let root = exercises::root();
    let exs = Exercises::load(&root)?;
    let ex = exs.find(&args.name)?;
    let file = exs.file(ex);
    let rel = exs.show(&file);
    let original = committed(&root, &args.from, &rel)?;
    let current = match std::fs::read(&file) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(anyhow!("cannot read {rel}: {e}; nothing was changed")),
    };
    if current.as_deref() == Some(original.as_slice()) {
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
    if let Some(bytes) = &current {
        let backup = backup_path(&file);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&backup)
            .map_err(|e| {
                anyhow!(
                    "cannot save your version to {}: {e}; nothing was changed",
                    exs.show(&backup)
                )
            })?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .map_err(|e| {
                anyhow!(
                    "cannot save your version to {}: {e}; nothing was changed",
                    exs.show(&backup)
                )
            })?;
        println!("Saved your version to {}", exs.show(&backup));
    }
    let tmp = file.with_file_name(format!(".{}.rs.reset-{}", ex.name, std::process::id()));
    std::fs::write(&tmp, &original)
        .and_then(|()| std::fs::rename(&tmp, &file))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            anyhow!("cannot write {rel}: {e} (your version is in the backup above)")
        })?;
    println!("Reset {rel} to its version at {}", args.from);
    // The file is back at the start: so is its status. Not being able to
    // record that is worth a note, not a failure of the reset.
    if let Err(e) = Progress::load(&root).and_then(|mut progress| {
        progress.forget(&ex.name);
        progress.save()
    }) {
        eprintln!("note: {}", crate::diagnostics::one_line(&format!("{e:#}")));
    }
    Ok(())
}
