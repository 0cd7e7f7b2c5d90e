//! `cargo workbook verify` (for maintainers and CI): every exercise as given
//! must fail its check, and every solution must pass it.
//!
//! Works on two copies under `target/workbook-verify/` of `exercises/` and
//! of every other package that checks an exercise (`unsolved/` with the
//! files as they are, `solved/` with `solutions/NAME.rs` in place of each
//! `NAME.rs`), never on the learner's files. An exercise whose check needs
//! what this machine lacks (MPI) is skipped with a note, not failed. Both copies
//! build into the checker's target directory, so the library and the
//! dependencies are compiled once and shared with `check`; each copy's check
//! programs are built with one cargo call. Files are only rewritten when
//! their content changed, so a second run rebuilds nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};

use crate::cargo::{self, Show, Targets};
use crate::check::{self, Echo, Verdict};
use crate::exercises::{self, Exercises};

mod copies;
use copies::prepare;

/// `cargo workbook verify`
#[derive(clap::Args, Debug, Clone)]
pub struct VerifyArgs {
    /// Time limit for each check run, in seconds
    #[arg(long, value_name = "SECS", default_value_t = check::DEFAULT_TIMEOUT_S)]
    pub timeout: f64,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Variant {
    Unsolved,
    Solved,
}

impl Variant {
    pub(crate) fn dir_name(self) -> &'static str {
        match self {
            Variant::Unsolved => "unsolved",
            Variant::Solved => "solved",
        }
    }
}

/// One cell of the table.
struct Cell {
    verdict: Option<Verdict>,
    problem: Option<String>,
    elapsed: Duration,
    ok: bool,
    output: String,
}

/// Where `verify` keeps its copies.
pub fn verify_dir(root: &Path) -> PathBuf {
    root.join("target").join("workbook-verify")
}

/// The package directories the exercises are checked in (`exercises` first).
fn packages(exs: &Exercises) -> Vec<String> {
    let mut set: BTreeSet<String> = exs
        .list
        .iter()
        .map(|ex| exercises::package_name(ex).to_string())
        .collect();
    set.remove("exercises");
    std::iter::once("exercises".to_string())
        .chain(set)
        .collect()
}

/// Entry point of `cargo workbook verify`.
pub fn run(args: VerifyArgs) -> Result<()> {
    let limit = check::time_limit(args.timeout)?;
    let started = Instant::now();
    let root = crate::paths::repo_root();
    let root = root
        .canonicalize()
        .map_err(|e| anyhow!("cannot find the repository root {}: {e}", root.display()))?;
    let exs = Exercises::load(&root)?;
    let target = exercises::target_dir(&root);
    let packages = packages(&exs);

    let mut columns = Vec::new();
    for variant in [Variant::Unsolved, Variant::Solved] {
        let copy = verify_dir(&root).join(variant.dir_name());
        prepare(&exs, &packages, &copy, variant)?;
        let mut builds = std::collections::HashMap::new();
        for package in &packages {
            let needed: Vec<_> = exs
                .list
                .iter()
                .filter(|ex| exercises::package_name(ex) == package)
                .collect();
            // A package whose every exercise needs what this machine lacks
            // is not built at all (building it would fail for that reason).
            if needed
                .iter()
                .all(|ex| ex.requires.is_some_and(|r| !r.present()))
            {
                continue;
            }
            eprintln!(
                "Building the {} checks in {}",
                variant.dir_name(),
                exs.show(&copy.join(package))
            );
            // Only the checks: a package's other tests (distributed/'s own)
            // are not the exercises', and need files the copy does not have.
            let checks: Vec<String> = needed.iter().map(|ex| ex.name.clone()).collect();
            let built = cargo::build(
                &copy.join(package),
                &target,
                Targets::Tests(&checks),
                Show::Live,
            )?;
            builds.insert(package.clone(), built);
        }
        let mut cells = Vec::new();
        for ex in &exs.list {
            let package = exercises::package_name(ex);
            cells.push(match (ex.requires, builds.get(package)) {
                (Some(needs), _) if !needs.present() => Cell {
                    verdict: Some(Verdict::Skipped {
                        note: needs.label().into(),
                    }),
                    problem: None,
                    elapsed: Duration::ZERO,
                    ok: true,
                    output: String::new(),
                },
                (_, Some(built)) => {
                    run_one(&exs, &copy.join(package), built, &ex.name, variant, limit)?
                }
                (_, None) => unreachable!("every package with a runnable exercise was built"),
            });
        }
        columns.push(cells);
    }
    let width = exs
        .list
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    println!();
    println!(
        "{:<width$}  {:<28}  solution",
        "exercise", "as given (must fail)"
    );
    let mut bad = 0;
    for (i, ex) in exs.list.iter().enumerate() {
        let show = |cell: &Cell| {
            let word = match (&cell.problem, &cell.verdict) {
                (Some(p), _) => p.clone(),
                (None, Some(v)) => v.short(),
                (None, None) => "?".into(),
            };
            let mark = if cell.ok { "✓" } else { "✗" };
            format!("{mark} {word} ({:.2} s)", cell.elapsed.as_secs_f64())
        };
        let (u, s) = (&columns[0][i], &columns[1][i]);
        bad += usize::from(!u.ok) + usize::from(!s.ok);
        println!("{:<width$}  {:<28}  {}", ex.name, show(u), show(s));
    }
    for (variant, cells) in [Variant::Unsolved, Variant::Solved].iter().zip(&columns) {
        for (ex, cell) in exs.list.iter().zip(cells) {
            if !cell.ok && !cell.output.trim().is_empty() {
                println!(
                    "\n--- {} ({}) output, last lines ---",
                    ex.name,
                    variant.dir_name()
                );
                let lines: Vec<&str> = cell.output.lines().collect();
                for line in &lines[lines.len().saturating_sub(40)..] {
                    println!("{line}");
                }
            }
        }
    }
    let total = 2 * exs.list.len();
    let skipped = columns
        .iter()
        .flatten()
        .filter(|c| matches!(c.verdict, Some(Verdict::Skipped { .. })))
        .count();
    let skipped_note = if skipped > 0 {
        let notes: BTreeSet<String> = exs
            .list
            .iter()
            .filter_map(|ex| ex.requires)
            .filter(|r| !r.present())
            .map(|r| r.missing_note().to_string())
            .collect();
        format!(
            " ({skipped} skipped: {})",
            notes.into_iter().collect::<Vec<_>>().join("; ")
        )
    } else {
        String::new()
    };
    println!(
        "\nverify: {}/{total} as expected in {:.1} s{skipped_note}",
        total - bad,
        started.elapsed().as_secs_f64()
    );
    if bad > 0 {
        return Err(anyhow!(
            "{bad} of {total} results were not as expected (every exercise as given must fail its check, every solution must pass)"
        ));
    }
    Ok(())
}

fn run_one(
    exs: &Exercises,
    copy: &Path,
    built: &cargo::Build,
    name: &str,
    variant: Variant,
    limit: Duration,
) -> Result<Cell> {
    let Some(exe) = built.executables.get(name) else {
        let problem = if built.failed.contains(name) {
            "does not compile".to_string()
        } else if variant == Variant::Solved && !exs.solution_file(exs.find(name)?).is_file() {
            "no solution file".to_string()
        } else {
            format!(
                "no test target {name} in {}/Cargo.toml",
                exercises::package_name(exs.find(name)?)
            )
        };
        return Ok(Cell {
            verdict: None,
            problem: Some(problem),
            elapsed: Duration::ZERO,
            ok: false,
            output: String::new(),
        });
    };
    let outcome = check::run_tests(exe, copy, limit, &Echo::Quiet)?;
    let verdict = check::verdict(&outcome);
    let ok = match variant {
        // A check must fail by its own tests, quickly: not by not compiling,
        // and not by hanging until the checker's kill.
        Variant::Unsolved => matches!(verdict, Verdict::Failed { .. } | Verdict::Crashed { .. }),
        Variant::Solved => verdict.passed(),
    };
    Ok(Cell {
        verdict: Some(verdict),
        problem: None,
        elapsed: outcome.elapsed,
        ok,
        output: format!("{}{}", outcome.stdout, outcome.stderr),
    })
}
