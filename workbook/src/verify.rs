//! `cargo workbook verify` (for maintainers and CI): every exercise as given
//! must fail its check, and every solution must pass it.
//!
//! Works on two copies of `exercises/` under `target/workbook-verify/`
//! (`unsolved/` with the files as they are, `solved/` with `solutions/NAME.rs`
//! in place of each `NAME.rs`), never on the learner's files. Both copies
//! build into the checker's target directory, so the library and the
//! dependencies are compiled once and shared with `check`; each copy's check
//! programs are built with one cargo call. Files are only rewritten when
//! their content changed, so a second run rebuilds nothing.

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};

use crate::checker::{self, Targets, Verdict};
use crate::exercises::{self, Exercises};

/// `cargo workbook verify`
#[derive(clap::Args, Debug, Clone)]
pub struct VerifyArgs {
    /// Time limit for each check run, in seconds
    #[arg(long, value_name = "SECS", default_value_t = checker::DEFAULT_TIMEOUT_S)]
    pub timeout: f64,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Variant {
    Unsolved,
    Solved,
}

impl Variant {
    fn dir_name(self) -> &'static str {
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

/// Entry point of `cargo workbook verify`.
pub fn run(args: VerifyArgs) -> Result<()> {
    let limit = checker::time_limit(args.timeout)?;
    let started = Instant::now();
    let root = exercises::root();
    let root = root
        .canonicalize()
        .map_err(|e| anyhow!("cannot find the repository root {}: {e}", root.display()))?;
    let exs = Exercises::load(&root)?;
    let source = exercises::dir(&root);
    let target = exercises::target_dir(&root);

    let mut columns = Vec::new();
    for variant in [Variant::Unsolved, Variant::Solved] {
        let copy = verify_dir(&root).join(variant.dir_name()).join("exercises");
        prepare(&exs, &source, &copy, variant)?;
        eprintln!(
            "Building the {} checks in {}",
            variant.dir_name(),
            exs.show(&copy)
        );
        let built = checker::build(&copy, &target, Targets::All)?;
        let mut cells = Vec::new();
        for ex in &exs.list {
            cells.push(run_one(&exs, &copy, &built, &ex.name, variant, limit)?);
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
    println!(
        "\nverify: {}/{total} as expected in {:.1} s",
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
    built: &checker::Build,
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
            format!("no test target {name} in exercises/Cargo.toml")
        };
        return Ok(Cell {
            verdict: None,
            problem: Some(problem),
            elapsed: Duration::ZERO,
            ok: false,
            output: String::new(),
        });
    };
    let outcome = checker::run_tests(exe, copy, limit, false)?;
    let verdict = checker::verdict(&outcome, limit);
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

/// Makes `copy` a copy of `source` (without build outputs and backups), with
/// solutions in place for [`Variant::Solved`] and relative dependency paths
/// made absolute. Rewrites only files whose content differs.
fn prepare(exs: &Exercises, source: &Path, copy: &Path, variant: Variant) -> Result<()> {
    let fail = |what: &Path, e: std::io::Error| anyhow!("cannot copy {}: {e}", what.display());
    let mut wanted = Vec::new();
    collect(source, source, &mut wanted).map_err(|e| fail(source, e))?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for rel in wanted {
        let from = source.join(&rel);
        let mut bytes = std::fs::read(&from).map_err(|e| fail(&from, e))?;
        if rel == Path::new("Cargo.toml") {
            bytes = manifest_for_copy(&bytes, source, variant)?;
        }
        files.push((rel, bytes));
    }
    if variant == Variant::Solved {
        for ex in &exs.list {
            let rel = PathBuf::from(format!("{}.rs", ex.name));
            files.retain(|(r, _)| *r != rel);
            // A missing solution is reported in the table as "no solution file".
            if let Ok(bytes) = std::fs::read(exs.solution_file(ex)) {
                files.push((rel, bytes));
            } else {
                let _ = std::fs::remove_file(copy.join(&rel));
            }
        }
    }
    // Each file written once, and only if it changed: cargo then sees an
    // unchanged copy as up to date.
    for (rel, bytes) in files {
        let dest = copy.join(rel);
        sync(&dest, &bytes).map_err(|e| fail(&dest, e))?;
    }
    Ok(())
}

/// Files under `dir`, relative to `base`: skips `target`, hidden entries and backups.
fn collect(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "target" || name.contains(".backup-") {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(base, &path, out)?;
        } else {
            out.push(path.strip_prefix(base).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

fn sync(dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(dest).ok().as_deref() == Some(bytes) {
        return Ok(());
    }
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(dest, bytes)
}

/// The copy's `Cargo.toml`: every relative `path = ".."` of a dependency
/// made absolute, and the package renamed (`workbook-exercises-verify-solved`).
/// The new name matters: cargo names build outputs by a hash of the package
/// name and version and of its path *relative to its workspace*, which is the
/// same for every copy; without it, the copies and the learner's own
/// `exercises/` would overwrite each other's test programs in the shared
/// target directory.
fn manifest_for_copy(manifest: &[u8], package_dir: &Path, variant: Variant) -> Result<Vec<u8>> {
    let text = String::from_utf8_lossy(manifest);
    let mut doc: toml::Table = toml::from_str(&text).map_err(|e| {
        anyhow!(
            "exercises/Cargo.toml: {}",
            crate::diagnostics::one_line(&e.to_string())
        )
    })?;
    fn fix_deps(deps: Option<&mut toml::Value>, dir: &Path) {
        let Some(toml::Value::Table(deps)) = deps else {
            return;
        };
        for (_, dep) in deps.iter_mut() {
            if let toml::Value::Table(dep) = dep
                && let Some(toml::Value::String(path)) = dep.get_mut("path")
                && Path::new(path.as_str()).is_relative()
            {
                *path = normalize(&dir.join(&*path)).to_string_lossy().into_owned();
            }
        }
    }
    if let Some(toml::Value::Table(package)) = doc.get_mut("package")
        && let Some(toml::Value::String(name)) = package.get_mut("name")
    {
        *name = format!("{name}-verify-{}", variant.dir_name());
    }
    for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
        fix_deps(doc.get_mut(key), package_dir);
    }
    if let Some(toml::Value::Table(targets)) = doc.get_mut("target") {
        for (_, target) in targets.iter_mut() {
            if let toml::Value::Table(target) = target {
                for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
                    fix_deps(target.get_mut(key), package_dir);
                }
            }
        }
    }
    let text = toml::to_string(&doc)
        .map_err(|e| anyhow!("cannot write a copy of exercises/Cargo.toml: {e}"))?;
    Ok(text.into_bytes())
}

/// `a/b/../c` -> `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_paths_become_absolute() {
        let manifest =
            b"[package]\nname = \"x\"\n[dependencies]\nlib = { path = \"..\" }\nrayon = \"1\"\n";
        let out =
            manifest_for_copy(manifest, Path::new("/repo/exercises"), Variant::Solved).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("path = \"/repo\""), "{out}");
        assert!(out.contains("rayon = \"1\""), "{out}");
        assert!(out.contains("name = \"x-verify-solved\""), "{out}");
    }
}
