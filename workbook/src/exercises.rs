//! The exercises: discovered from `exercises/exercises.toml`, in its order.
//! Also the small commands `list`, `hint` and `solution`; `check` is in
//! [`crate::checker`], `watch` in [`crate::exercise_watch`], `reset` in
//! [`crate::reset`], `verify` in [`crate::verify`].

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use serde::Deserialize;

use crate::paths;
use crate::progress::{Progress, Status};

/// Environment variable that overrides the repository root (used by the tests).
pub const ROOT_ENV: &str = "WORKBOOK_ROOT";

/// One `[[exercise]]` of `exercises/exercises.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct Exercise {
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub topic: Option<u32>,
    #[serde(default)]
    pub chapter: Option<String>,
    #[serde(default)]
    pub hint: String,
    #[serde(default)]
    pub related: Vec<u32>,
}

#[derive(Deserialize)]
struct Table {
    #[serde(default)]
    exercise: Vec<Exercise>,
}

/// The exercises of one repository.
#[derive(Debug, Clone)]
pub struct Exercises {
    pub root: PathBuf,
    pub list: Vec<Exercise>,
}

/// The repository root: `$WORKBOOK_ROOT` if set, else [`paths::repo_root`].
pub fn root() -> PathBuf {
    match std::env::var_os(ROOT_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => paths::repo_root(),
    }
}

/// `root/exercises`.
pub fn dir(root: &Path) -> PathBuf {
    root.join("exercises")
}

/// Where the checker builds the exercises: under the repository's `target/`,
/// so that `.cargo/config.toml` applies and `check` and `verify` share builds.
pub fn target_dir(root: &Path) -> PathBuf {
    root.join("target").join("exercises")
}

impl Exercises {
    /// Reads `root/exercises/exercises.toml`.
    pub fn load(root: &Path) -> Result<Exercises> {
        let file = dir(root).join("exercises.toml");
        let shown = paths::display_rel(root, &file);
        let text = std::fs::read_to_string(&file).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                anyhow!(
                    "{shown} not found: run this from the workbook's repository (or set {ROOT_ENV})"
                )
            } else {
                anyhow!("cannot read {shown}: {e}")
            }
        })?;
        let table: Table = toml::from_str(&text)
            .map_err(|e| anyhow!("{shown}: {}", crate::diagnostics::one_line(&e.to_string())))?;
        if table.exercise.is_empty() {
            return Err(anyhow!("{shown} lists no [[exercise]]"));
        }
        for ex in &table.exercise {
            let ok = !ex.name.is_empty()
                && ex
                    .name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !ok {
                return Err(anyhow!("{shown}: bad exercise name {:?}", ex.name));
            }
        }
        Ok(Exercises {
            root: root.to_path_buf(),
            list: table.exercise,
        })
    }

    /// The learner's file of `ex`.
    pub fn file(&self, ex: &Exercise) -> PathBuf {
        dir(&self.root).join(format!("{}.rs", ex.name))
    }

    /// The solution file of `ex`.
    pub fn solution_file(&self, ex: &Exercise) -> PathBuf {
        dir(&self.root)
            .join("solutions")
            .join(format!("{}.rs", ex.name))
    }

    /// `path` relative to the repository root, for messages.
    pub fn show(&self, path: &Path) -> String {
        paths::display_rel(&self.root, path)
    }

    /// The first exercise (in order) that has not passed, if any.
    pub fn next<'a>(&'a self, progress: &Progress) -> Option<&'a Exercise> {
        self.list
            .iter()
            .find(|ex| progress.status(&ex.name) != Status::Passed)
    }

    /// The exercise after `name`, in order.
    pub fn after(&self, name: &str) -> Option<&Exercise> {
        let i = self.list.iter().position(|ex| ex.name == name)?;
        self.list.get(i + 1)
    }

    /// Finds an exercise by its full name, its number (`3`, `03`), a unique
    /// prefix (`03_sc`) or its name without the number (`scoped_sum`).
    pub fn find(&self, query: &str) -> Result<&Exercise> {
        let q = query.trim().trim_end_matches(".rs");
        let q = q.rsplit('/').next().unwrap_or(q);
        if let Some(ex) = self.list.iter().find(|ex| ex.name == q) {
            return Ok(ex);
        }
        if !q.is_empty()
            && q.chars().all(|c| c.is_ascii_digit())
            && let Ok(n) = q.parse::<u64>()
        {
            let hits: Vec<_> = self
                .list
                .iter()
                .filter(|ex| number(&ex.name) == Some(n))
                .collect();
            if hits.len() == 1 {
                return Ok(hits[0]);
            }
        }
        if let Some(ex) = self.list.iter().find(|ex| stem(&ex.name) == q) {
            return Ok(ex);
        }
        let prefixed: Vec<_> = self
            .list
            .iter()
            .filter(|ex| !q.is_empty() && ex.name.starts_with(q))
            .collect();
        if prefixed.len() == 1 {
            return Ok(prefixed[0]);
        }
        if prefixed.len() > 1 {
            let names: Vec<_> = prefixed.iter().map(|ex| ex.name.as_str()).collect();
            return Err(anyhow!("'{q}' could be {}: say which", names.join(", ")));
        }
        match self.closest(q) {
            Some(best) => Err(anyhow!("no exercise '{q}' — did you mean {best}?")),
            None => Err(anyhow!(
                "no exercise '{q}' (run `cargo workbook list` to see them all)"
            )),
        }
    }

    /// The name closest to `query`, if any is reasonably close.
    fn closest(&self, query: &str) -> Option<&str> {
        let q = query.to_lowercase();
        let score = |name: &str| {
            let s = stem(name);
            if !q.is_empty() && (s.contains(&q) || q.contains(s)) {
                return 0;
            }
            edit_distance(&q, name).min(edit_distance(&q, s))
        };
        let (best, d) = self
            .list
            .iter()
            .map(|ex| (ex.name.as_str(), score(&ex.name)))
            .min_by_key(|&(_, d)| d)?;
        (d <= 3.max(q.chars().count() / 2)).then_some(best)
    }
}

/// The leading number of an exercise name (`03_scoped_sum` -> 3).
fn number(name: &str) -> Option<u64> {
    let digits: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// The name without its leading number (`03_scoped_sum` -> `scoped_sum`).
fn stem(name: &str) -> &str {
    name.trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches('_')
}

/// Levenshtein distance, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `cargo workbook list`
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ListArgs {}

/// `cargo workbook hint [NAME]`
#[derive(clap::Args, Debug, Clone, Default)]
pub struct HintArgs {
    /// Exercise name, number or unique prefix (default: the next unsolved one)
    pub name: Option<String>,
}

/// `cargo workbook solution NAME`
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SolutionArgs {
    /// Exercise name, number or unique prefix
    pub name: String,
    /// Show it even though the exercise has not passed its check yet
    #[arg(long)]
    pub force: bool,
}

/// Prints the exercise table and the overall progress.
pub fn list(_args: ListArgs) -> Result<()> {
    let root = root();
    let exercises = Exercises::load(&root)?;
    let progress = Progress::load(&root)?;
    print!("{}", list_text(&exercises, &progress));
    Ok(())
}

/// The text of `cargo workbook list`.
pub fn list_text(exercises: &Exercises, progress: &Progress) -> String {
    use std::fmt::Write as _;
    let next = exercises.next(progress).map(|ex| ex.name.clone());
    let width = exercises
        .list
        .iter()
        .map(|ex| ex.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for ex in &exercises.list {
        let status = progress.status(&ex.name);
        let mark = if next.as_deref() == Some(&ex.name) {
            "  ← next"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<14} {:<width$}  {}{mark}",
            status.label(),
            ex.name,
            ex.title
        );
    }
    let done = exercises
        .list
        .iter()
        .filter(|ex| progress.status(&ex.name) == Status::Passed)
        .count();
    let _ = writeln!(out);
    match next.and_then(|n| exercises.list.iter().find(|ex| ex.name == n)) {
        Some(ex) => {
            let _ = writeln!(
                out,
                "{done}/{} done. Next: {} — edit {}, then run `cargo workbook check {}`{}",
                exercises.list.len(),
                ex.name,
                exercises.show(&exercises.file(ex)),
                ex.name,
                ex.chapter
                    .as_deref()
                    .map(|c| format!(" (read book/{c} first)"))
                    .unwrap_or_default()
            );
        }
        None => {
            let _ = writeln!(
                out,
                "{done}/{} done. Every exercise passes its check.",
                exercises.list.len()
            );
        }
    }
    out
}

/// Prints the hint of one exercise.
pub fn hint(args: HintArgs) -> Result<()> {
    let root = root();
    let exercises = Exercises::load(&root)?;
    let ex = match &args.name {
        Some(name) => exercises.find(name)?,
        None => {
            let progress = Progress::load(&root)?;
            exercises.next(&progress).ok_or_else(|| {
                anyhow!("every exercise passes already: name one, e.g. `cargo workbook hint 01`")
            })?
        }
    };
    print!("{}", hint_text(&exercises, ex));
    Ok(())
}

/// The text of `cargo workbook hint`.
pub fn hint_text(exercises: &Exercises, ex: &Exercise) -> String {
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

/// Prints the solution of one exercise, once it has passed (or with --force).
pub fn solution(args: SolutionArgs) -> Result<()> {
    let root = root();
    let exercises = Exercises::load(&root)?;
    let ex = exercises.find(&args.name)?;
    if !args.force {
        let progress = Progress::load(&root)?;
        if progress.status(&ex.name) != Status::Passed {
            return Err(anyhow!(
                "{0} has not passed its check yet: solve it first (`cargo workbook check {0}`), or see the solution anyway with `cargo workbook solution {0} --force`",
                ex.name
            ));
        }
    }
    let file = exercises.solution_file(ex);
    let text = std::fs::read_to_string(&file)
        .map_err(|e| anyhow!("cannot read {}: {e}", exercises.show(&file)))?;
    println!("// {} — a solution ({})", ex.name, exercises.show(&file));
    print!("{text}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Exercises {
        let names = [
            "01_chunks",
            "02_spawn_join",
            "03_scoped_sum",
            "10_lock_ordering",
        ];
        Exercises {
            root: PathBuf::from("/r"),
            list: names
                .iter()
                .map(|n| Exercise {
                    name: n.to_string(),
                    title: String::new(),
                    topic: None,
                    chapter: None,
                    hint: String::new(),
                    related: vec![],
                })
                .collect(),
        }
    }

    #[test]
    fn finds_by_name_number_prefix_and_stem() {
        let ex = sample();
        assert_eq!(ex.find("03_scoped_sum").unwrap().name, "03_scoped_sum");
        assert_eq!(ex.find("3").unwrap().name, "03_scoped_sum");
        assert_eq!(ex.find("03").unwrap().name, "03_scoped_sum");
        assert_eq!(ex.find("10").unwrap().name, "10_lock_ordering");
        assert_eq!(ex.find("03_sc").unwrap().name, "03_scoped_sum");
        assert_eq!(ex.find("scoped_sum").unwrap().name, "03_scoped_sum");
        assert_eq!(
            ex.find("exercises/02_spawn_join.rs").unwrap().name,
            "02_spawn_join"
        );
        assert!(ex.find("0").unwrap_err().to_string().contains("could be"));
    }

    #[test]
    fn suggests_the_closest() {
        let ex = sample();
        assert_eq!(
            ex.find("scoped").unwrap_err().to_string(),
            "no exercise 'scoped' — did you mean 03_scoped_sum?"
        );
        assert!(
            ex.find("lock_ordreing")
                .unwrap_err()
                .to_string()
                .contains("10_lock_ordering")
        );
        assert!(
            ex.find("zzzzzzzzzzzzzzzzzzzzz")
                .unwrap_err()
                .to_string()
                .contains("cargo workbook list")
        );
    }

    #[test]
    fn distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", "abc"), 0);
    }
}
