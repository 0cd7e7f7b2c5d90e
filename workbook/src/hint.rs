//! `cargo workbook hint [NAME]`: the hint of an exercise, from the table.

use anyhow::{Result, anyhow};

use crate::exercises::{Exercise, Exercises};

/// `cargo workbook hint [NAME]`
#[derive(clap::Args, Debug, Clone, Default)]
pub struct HintArgs {
    /// Exercise name, number or unique prefix (default: the next unsolved one)
    pub name: Option<String>,
}

/// Entry point of `cargo workbook hint`.
pub fn run(args: HintArgs) -> Result<()> {
    let exercises = Exercises::load(&crate::paths::repo_root())?;
    let ex = exercises
        .named_or_next(args.name.as_deref())?
        .ok_or_else(|| {
            anyhow!("every exercise passes already: name one, e.g. `cargo workbook hint 01`")
        })?;
    print!("{}", text(&exercises, ex));
    Ok(())
}

/// The text of `cargo workbook hint` (also the `h` key of `watch`).
pub fn text(exercises: &Exercises, ex: &Exercise) -> String {
    let mut out = format!("Hint for {} ({}):\n", ex.name, ex.title);
    let hint = ex.hint.trim();
    if hint.is_empty() {
        out.push_str("(this exercise has no hint)\n");
    } else {
        out.push_str(hint);
        out.push('\n');
    }
    if let Some(chapter) = &ex.chapter {
        out.push_str(&format!("Chapter: book/{chapter}\n"));
    }
    out.push_str(&format!("File: {}\n", exercises.show(&exercises.file(ex))));
    out
}
