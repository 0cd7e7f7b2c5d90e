//! The book build: in-process with `mdbook-driver`, with the KaTeX and
//! quiz preprocessors registered as libraries (nothing to `cargo install`),
//! after checking what mdBook would only log (missing chapters, broken
//! includes).

pub mod diagnostics;
pub mod happens_before;
pub mod includes;
pub mod measured;
pub mod page_scripts;
pub mod quiz;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use mdbook_driver::MDBook;
use mdbook_driver::config::{Config, HtmlConfig};
use mdbook_katex::preprocess::KatexProcessor;

use crate::message::one_line;
use crate::paths;
use diagnostics::{Diagnostic, Severity};

/// What a successful build produced.
#[derive(Debug)]
pub struct BuildReport {
    /// The directory holding `index.html`.
    pub out_dir: PathBuf,
    /// Warnings mdBook (or a preprocessor) logged.
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// Prints the build's warnings, one line each.
pub fn print_warnings(report: &BuildReport) {
    for w in &report.warnings {
        eprintln!("{w}");
    }
}

/// Builds the book whose `book.toml` is in `root` into `out` (default
/// `target/book` under `root`). Errors are one line each (several problems:
/// several lines, each a complete message).
pub fn build(root: &Path, out: Option<&Path>) -> Result<BuildReport> {
    build_with(root, out, Learners::Strict)
}

/// What a build makes of a learner's file that lost an anchor the book
/// includes (`// ANCHOR: statement` of an exercise).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Learners {
    /// An error, as for any broken include (`cargo workbook build`, CI).
    Strict,
    /// A warning, and the page shows none of it: the server must start
    /// whatever the learner did to their file.
    Lenient,
}

/// [`build`], saying how to take a learner's file's missing anchor.
pub fn build_with(root: &Path, out: Option<&Path>, learners: Learners) -> Result<BuildReport> {
    let started = Instant::now();
    let mut config = load_config(root)?;
    // Never invent chapter files: a missing one is an error.
    config.build.create_missing = false;
    let out_dir = match out {
        Some(dir) => dir.to_path_buf(),
        None if config.build.build_dir == Path::new("book") => paths::default_book_out(root),
        None => root.join(&config.build.build_dir),
    };
    let src_dir = root.join(&config.book.src);
    if src_dir.starts_with(&out_dir) || out_dir == root {
        bail!(
            "refusing to build into {}: a build empties that directory, and it holds the book sources",
            out_dir.display()
        );
    }
    config.build.build_dir = out_dir.clone();

    let chapters = check_summary(root, &src_dir)?;
    let learners_warnings = check_includes(root, &chapters, learners)?;

    let (result, diagnostics) = diagnostics::capture(|| -> Result<()> {
        let mut book =
            MDBook::load_with_config(root, config.clone()).map_err(|e| anyhow!(flatten(e)))?;
        if config.contains_key("preprocessor.katex") {
            // Same name as the `[preprocessor.katex]` table, so it replaces the
            // `mdbook-katex` command that `mdbook build` would run.
            book.with_preprocessor(KatexProcessor);
        }
        if config.contains_key("preprocessor.quiz") {
            // Likewise replaces the `workbook quiz-preprocessor` command.
            book.with_preprocessor(quiz::QuizPreprocessor);
        }
        book.build().map_err(|e| anyhow!(flatten(e)))
    });
    let (errors, warnings): (Vec<_>, Vec<_>) = diagnostics
        .into_iter()
        .partition(|d| d.level == Severity::Error);
    result?;
    if !errors.is_empty() {
        let lines: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
        return Err(anyhow!(lines.join("\n")));
    }
    page_scripts::trim(&out_dir)?;
    Ok(BuildReport {
        out_dir,
        warnings: learners_warnings.into_iter().chain(warnings).collect(),
        elapsed: started.elapsed(),
    })
}

/// Reads and validates `book.toml`, with a one-line message on failure.
pub fn load_config(root: &Path) -> Result<Config> {
    let path = root.join("book.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if let Err(e) = text.parse::<toml::Table>() {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let at = line.map(|l| format!(":{l}")).unwrap_or_default();
        bail!("book.toml{at}: malformed TOML: {}", one_line(e.message()));
    }
    let mut config: Config = text
        .parse()
        .map_err(|e: anyhow::Error| anyhow!("book.toml: {}", flatten(e)))?;
    config
        .update_from_env()
        .map_err(|e| anyhow!("MDBOOK_* environment: {}", flatten(e)))?;
    if let Err(e) = config.get::<HtmlConfig>("output.html") {
        bail!("book.toml: [output.html]: {}", flatten(e));
    }
    Ok(config)
}

/// Every chapter file listed in `SUMMARY.md`; an error names the first missing one.
pub fn check_summary(root: &Path, src_dir: &Path) -> Result<Vec<PathBuf>> {
    let summary_path = src_dir.join("SUMMARY.md");
    let shown = paths::display_rel(root, &summary_path);
    let text = std::fs::read_to_string(&summary_path).map_err(|e| anyhow!("{shown}: {e}"))?;
    let summary =
        mdbook_summary::parse_summary(&text).map_err(|e| anyhow!("{shown}: {}", flatten(e)))?;
    let mut chapters = Vec::new();
    let mut missing = Vec::new();
    let mut stack: Vec<&mdbook_summary::SummaryItem> = summary
        .prefix_chapters
        .iter()
        .chain(&summary.numbered_chapters)
        .chain(&summary.suffix_chapters)
        .rev()
        .collect();
    while let Some(item) = stack.pop() {
        if let mdbook_summary::SummaryItem::Link(link) = item {
            if let Some(location) = &link.location {
                let file = src_dir.join(location);
                if file.is_file() {
                    chapters.push(file);
                } else {
                    missing.push(format!(
                        "{}: listed in SUMMARY.md but missing",
                        paths::display_rel(root, &file)
                    ));
                }
            }
            stack.extend(link.nested_items.iter().rev());
        }
    }
    if !missing.is_empty() {
        bail!(missing.join("\n"));
    }
    Ok(chapters)
}

/// Every broken include is an error, but (when lenient) a learner's file's
/// missing anchor, which comes back as a warning.
fn check_includes(
    root: &Path,
    chapters: &[PathBuf],
    learners: Learners,
) -> Result<Vec<Diagnostic>> {
    let (warnings, problems): (Vec<_>, Vec<_>) = chapters
        .iter()
        .flat_map(|md| includes::check_markdown_file(root, md))
        .partition(|p| p.learners_anchor && learners == Learners::Lenient);
    if !problems.is_empty() {
        let lines: Vec<String> = problems.into_iter().map(|p| p.message).collect();
        bail!(lines.join("\n"))
    }
    Ok(warnings
        .into_iter()
        .map(|p| Diagnostic {
            level: Severity::Warning,
            message: p.message,
        })
        .collect())
}

/// An error and its causes on one line.
pub fn flatten(e: anyhow::Error) -> String {
    one_line(&format!("{e:#}"))
}
