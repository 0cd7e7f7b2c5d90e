//! `cargo workbook build`: the book, without serving it.

use std::path::PathBuf;

use anyhow::Result;

use crate::{book, paths};

/// `cargo workbook build`
#[derive(clap::Args, Debug, Default, Clone)]
pub struct BuildArgs {
    /// Output directory (default: target/book)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Entry point of `cargo workbook build`.
pub fn run(args: BuildArgs) -> Result<()> {
    let root = paths::repo_root();
    let out = args.out.map(|o| {
        std::env::current_dir()
            .map(|cwd| cwd.join(o))
            .unwrap_or_default()
    });
    let report = book::build(&root, out.as_deref())?;
    book::print_warnings(&report);
    eprintln!(
        "Built the book in {:.2} s: {}/index.html ({} warning{})",
        report.elapsed.as_secs_f64(),
        report.out_dir.display(),
        report.warnings.len(),
        if report.warnings.len() == 1 { "" } else { "s" }
    );
    Ok(())
}
