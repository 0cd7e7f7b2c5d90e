//! `cargo workbook verify` (for maintainers and CI): every check is a claim,
//! so verify proves it on files whose answer is known. Every exercise as
//! given must fail its check, every solution must pass it, every wrong
//! solution (`exercises/wrong/NAME/*.rs`) must fail it and every right but
//! unusual one (`exercises/unusual/NAME/*.rs`) must pass it: each on every
//! run, [`RUNS`] times on all cores and as often with the check pinned to
//! one core (`sched_setaffinity`: every thread of the check then takes turns
//! on that core, the schedules a learner's laptop under load can produce).
//! No file may use `std`'s synchronization directly (the check would refuse
//! it, see `check::imports`).
//!
//! Works on copies under `target/workbook-verify/` of `exercises/` and of
//! every other package that checks an exercise, never on the learner's
//! files: `unsolved/` with the files as they are, `solved/` with
//! `solutions/NAME.rs` in place of each `NAME.rs`, and `wrong-K/` (and
//! `unusual-K/`) with the K-th wrong (unusual) file of each exercise that has
//! one. An exercise whose check needs what this machine lacks (MPI) is
//! skipped with a note, not failed. All copies build into the checker's
//! target directory, so the library and the dependencies are compiled once
//! and shared with `check`; each copy's check programs are built with one
//! cargo call. Files are only rewritten when their content changed, so a
//! second run rebuilds nothing. The check runs go [`PARALLEL`] at a time:
//! most of a failing check's time is a watchdog waiting for a deadlock.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};

use crate::cargo::{self, Show, Targets};
use crate::check::{self, Echo, Verdict, imports};
use crate::exercises::{self, Exercise, Exercises};

mod copies;
mod pin;
use copies::prepare;

/// How many times each file's check runs on all cores, and again pinned.
pub const RUNS: usize = 2;

/// How many check runs go at once.
const PARALLEL: usize = 3;

/// `cargo workbook verify`
#[derive(clap::Args, Debug, Clone)]
pub struct VerifyArgs {
    /// Time limit for each check run, in seconds
    #[arg(long, value_name = "SECS", default_value_t = check::DEFAULT_TIMEOUT_S)]
    pub timeout: f64,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
pub(crate) enum Variant {
    Unsolved,
    Solved,
    /// The K-th (from 0) file of `exercises/wrong/NAME/`, by name.
    Wrong(usize),
    /// The K-th (from 0) file of `exercises/unusual/NAME/`, by name.
    Unusual(usize),
}

impl Variant {
    pub(crate) fn dir_name(self) -> String {
        match self {
            Variant::Unsolved => "unsolved".into(),
            Variant::Solved => "solved".into(),
            Variant::Wrong(k) => format!("wrong-{}", k + 1),
            Variant::Unusual(k) => format!("unusual-{}", k + 1),
        }
    }

    /// Whether the check must pass on this variant's files.
    fn must_pass(self) -> bool {
        matches!(self, Variant::Solved | Variant::Unusual(_))
    }
}

/// `exercises/wrong/NAME/*.rs` (or `unusual/`), sorted.
pub fn examples_of(root: &Path, kind: &str, name: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(exercises::dir(root).join(kind).join(name))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    files
}

/// The file a variant puts in place of `ex`'s learner's file (`None`: the
/// variant has none for `ex`, or keeps the learner's file).
pub(crate) fn variant_file(exs: &Exercises, ex: &Exercise, variant: Variant) -> Option<PathBuf> {
    match variant {
        Variant::Unsolved => Some(exs.file(ex)),
        Variant::Solved => Some(exs.solution_file(ex)),
        Variant::Wrong(k) => examples_of(&exs.root, "wrong", &ex.name).get(k).cloned(),
        Variant::Unusual(k) => examples_of(&exs.root, "unusual", &ex.name).get(k).cloned(),
    }
}

/// One file's result: all its runs.
struct Cell {
    file: String,
    verdicts: Vec<Verdict>,
    problem: Option<String>,
    slowest: Duration,
    ok: bool,
    output: String,
}

impl Cell {
    fn problem(file: String, problem: String) -> Cell {
        Cell {
            file,
            verdicts: Vec::new(),
            problem: Some(problem),
            slowest: Duration::ZERO,
            ok: false,
            output: String::new(),
        }
    }

    /// `✓ fails (2/3) (0.41 s)`: the first run's verdict, or how the runs
    /// disagreed, and the slowest run.
    fn show(&self) -> String {
        let mark = if self.ok { "✓" } else { "✗" };
        let word = match (&self.problem, self.verdicts.first()) {
            (Some(p), _) => p.clone(),
            (None, Some(first)) => {
                let mut shorts: Vec<String> = Vec::new();
                for v in &self.verdicts {
                    if !shorts.contains(&v.short()) {
                        shorts.push(v.short());
                    }
                }
                let passed = self.verdicts.iter().filter(|v| v.passed()).count();
                if shorts.len() == 1 {
                    first.short()
                } else if passed == 0 && shorts.iter().all(|s| s.starts_with("fails (")) {
                    let counts: Vec<&str> = shorts
                        .iter()
                        .map(|s| s.trim_start_matches("fails (").trim_end_matches(')'))
                        .collect();
                    format!("fails ({})", counts.join(", "))
                } else {
                    format!("passes {passed} of {} runs", self.verdicts.len())
                }
            }
            (None, None) => "?".into(),
        };
        format!("{mark} {word} ({:.2} s)", self.slowest.as_secs_f64())
    }
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

/// One check run to make.
struct Job<'a> {
    ex: &'a Exercise,
    variant: Variant,
    exe: PathBuf,
    dir: PathBuf,
    pinned: bool,
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
    let runnable = |ex: &Exercise| ex.requires.is_none_or(|r| r.present());

    let most = |kind: &str| {
        exs.list
            .iter()
            .map(|ex| examples_of(&root, kind, &ex.name).len())
            .max()
            .unwrap_or(0)
    };
    let variants: Vec<Variant> = [Variant::Unsolved, Variant::Solved]
        .into_iter()
        .chain((0..most("wrong")).map(Variant::Wrong))
        .chain((0..most("unusual")).map(Variant::Unusual))
        .collect();

    // Every file, by (exercise, variant): its cell, filled in below.
    let mut cells: BTreeMap<(usize, Variant), Cell> = BTreeMap::new();
    let mut jobs = Vec::new();
    for &variant in &variants {
        let has = |ex: &Exercise| variant_file(&exs, ex, variant).is_some();
        let copy = verify_dir(&root).join(variant.dir_name());
        prepare(&exs, &packages, &copy, variant)?;
        for package in &packages {
            let needed: Vec<&Exercise> = exs
                .list
                .iter()
                .filter(|ex| exercises::package_name(ex) == package && has(ex) && runnable(ex))
                .collect();
            // A package whose every exercise needs what this machine lacks
            // is not built at all (building it would fail for that reason).
            if needed.is_empty() {
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
            for ex in needed {
                let i = exs.list.iter().position(|e| e.name == ex.name).unwrap_or(0);
                let file = variant_file(&exs, ex, variant).unwrap_or_default();
                let shown = exs.show(&file);
                if let Some(bypass) = imports::first_bypass_in(&file)
                    && imports::facade_available(&exs.package_dir(ex))
                {
                    let problem = format!("uses {} directly", bypass.path);
                    cells.insert((i, variant), Cell::problem(shown, problem));
                    continue;
                }
                match built.executables.get(&ex.name) {
                    Some(exe) => {
                        cells.insert(
                            (i, variant),
                            Cell {
                                file: shown,
                                verdicts: Vec::new(),
                                problem: None,
                                slowest: Duration::ZERO,
                                ok: true,
                                output: String::new(),
                            },
                        );
                        for pinned in [false, true] {
                            for _ in 0..RUNS {
                                jobs.push(Job {
                                    ex,
                                    variant,
                                    exe: exe.clone(),
                                    dir: copy.join(package),
                                    pinned,
                                });
                            }
                        }
                    }
                    None => {
                        let problem = if built.failed.contains(&ex.name) {
                            "does not compile".to_string()
                        } else if !file.is_file() {
                            "no solution file".to_string()
                        } else {
                            format!(
                                "no test target {} in {}/Cargo.toml",
                                ex.name,
                                exercises::package_name(ex)
                            )
                        };
                        cells.insert((i, variant), Cell::problem(shown, problem));
                    }
                }
            }
        }
    }
    for (i, ex) in exs.list.iter().enumerate() {
        if !runnable(ex) {
            for variant in [Variant::Unsolved, Variant::Solved] {
                cells.insert(
                    (i, variant),
                    Cell {
                        file: String::new(),
                        verdicts: vec![Verdict::Skipped {
                            note: ex
                                .requires
                                .map(|r| r.label().to_string())
                                .unwrap_or_default(),
                        }],
                        problem: None,
                        slowest: Duration::ZERO,
                        ok: true,
                        output: String::new(),
                    },
                );
            }
        }
    }
    eprintln!(
        "Running {} checks ({RUNS} times each on all cores, {RUNS} times pinned to one core)",
        jobs.len()
    );
    let results = run_all(&exs, jobs, limit)?;
    for (key, verdict, elapsed, output, pinned) in results {
        let Some(cell) = cells.get_mut(&key) else {
            continue;
        };
        let ok = match key.1 {
            // A check must fail by its own tests, quickly: not by not
            // compiling, and not by hanging until the checker's kill.
            Variant::Unsolved | Variant::Wrong(_) => {
                matches!(verdict, Verdict::Failed { .. } | Verdict::Crashed { .. })
            }
            Variant::Solved | Variant::Unusual(_) => verdict.passed(),
        };
        if !ok && cell.ok {
            let how = if pinned { " (pinned to one core)" } else { "" };
            cell.output = format!("{how}\n{output}");
        }
        cell.ok &= ok;
        cell.slowest = cell.slowest.max(elapsed);
        cell.verdicts.push(verdict);
    }
    print_table(&exs, &cells);
    let total = cells.len();
    let bad = cells.values().filter(|c| !c.ok).count();
    let skipped = cells
        .values()
        .filter(|c| matches!(c.verdicts.first(), Some(Verdict::Skipped { .. })))
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
            "{bad} of {total} results were not as expected (every exercise as given and every wrong solution must fail its check on every run, every solution and unusual solution must pass it)"
        ));
    }
    Ok(())
}

type Outcome = ((usize, Variant), Verdict, Duration, String, bool);

/// Runs every job, [`PARALLEL`] at a time.
fn run_all(exs: &Exercises, jobs: Vec<Job<'_>>, limit: Duration) -> Result<Vec<Outcome>> {
    let queue = Mutex::new(jobs.into_iter());
    let results = Mutex::new(Vec::new());
    let error = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().map(|mut q| q.next()).ok().flatten();
                    let Some(job) = next else { break };
                    let i = exs
                        .list
                        .iter()
                        .position(|e| e.name == job.ex.name)
                        .unwrap_or(0);
                    let run = || check::run_tests(&job.exe, &job.dir, limit, &Echo::Quiet);
                    let outcome = if job.pinned {
                        pin::to_one_core(run)
                    } else {
                        run()
                    };
                    match outcome {
                        Ok(done) => {
                            let verdict = check::verdict(&done);
                            let output = format!("{}{}", done.stdout, done.stderr);
                            if let Ok(mut results) = results.lock() {
                                results.push((
                                    (i, job.variant),
                                    verdict,
                                    done.elapsed,
                                    output,
                                    job.pinned,
                                ));
                            }
                        }
                        Err(e) => {
                            if let Ok(mut error) = error.lock() {
                                error.get_or_insert(e);
                            }
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = error.into_inner().ok().flatten() {
        return Err(e);
    }
    Ok(results.into_inner().unwrap_or_default())
}

fn print_table(exs: &Exercises, cells: &BTreeMap<(usize, Variant), Cell>) {
    let width = exs
        .list
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    println!();
    println!(
        "{:<width$}  {:<28}  {:<28}  {:<24}  unusual (must pass)",
        "exercise", "as given (must fail)", "solution", "wrong (must fail)"
    );
    for (i, ex) in exs.list.iter().enumerate() {
        let show = |v: Variant| cells.get(&(i, v)).map(Cell::show).unwrap_or_default();
        let group = |wrong: bool| {
            let of: Vec<&Cell> = cells
                .iter()
                .filter(|((j, v), _)| {
                    *j == i
                        && matches!(
                            (wrong, v),
                            (true, Variant::Wrong(_)) | (false, Variant::Unusual(_))
                        )
                })
                .map(|(_, c)| c)
                .collect();
            if of.is_empty() {
                return "–".to_string();
            }
            let good = of.iter().filter(|c| c.ok).count();
            let mark = if good == of.len() { "✓" } else { "✗" };
            let slowest = of.iter().map(|c| c.slowest).max().unwrap_or_default();
            let word = if wrong { "fail" } else { "pass" };
            format!(
                "{mark} {good}/{} {word} ({:.2} s)",
                of.len(),
                slowest.as_secs_f64()
            )
        };
        println!(
            "{:<width$}  {:<28}  {:<28}  {:<24}  {}",
            ex.name,
            show(Variant::Unsolved),
            show(Variant::Solved),
            group(true),
            group(false)
        );
    }
    for ((i, variant), cell) in cells {
        if cell.ok {
            continue;
        }
        let ex = &exs.list[*i];
        let expected = if variant.must_pass() { "pass" } else { "fail" };
        println!(
            "\n--- {} ({}, must {expected}): {} ---",
            ex.name,
            if cell.file.is_empty() {
                variant.dir_name()
            } else {
                cell.file.clone()
            },
            cell.show()
        );
        let lines: Vec<&str> = cell.output.lines().collect();
        for line in &lines[lines.len().saturating_sub(40)..] {
            println!("{line}");
        }
    }
}
