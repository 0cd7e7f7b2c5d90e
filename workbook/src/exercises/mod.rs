//! The exercises: the one table, `exercises/exercises.toml`, in its order,
//! and the learner's progress through it ([`progress`]).
//!
//! A row names the exercise; by convention its files are
//! `exercises/NAME.rs` (the learner's), `exercises/solutions/NAME.rs`, the
//! check `checks/NAME.rs` of its package (a test target named NAME in that
//! package's `Cargo.toml`; the package is `exercises/` unless the row says
//! `package = "..."`), and the page `book/exercises/NAME.md`.
//! `workbook/tests/exercise_table.rs` names whichever of these is missing.

pub mod migrate;
pub mod progress;
pub mod renumber;

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use serde::Deserialize;

use crate::message::one_line;
use crate::paths;
pub use progress::{Progress, Status};

/// One `[[exercise]]` of `exercises/exercises.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// The directory (under the root) of the Cargo package whose test target
    /// NAME checks this exercise; `exercises` when absent.
    #[serde(default)]
    pub package: Option<String>,
    /// Something the check needs that a machine may lack.
    #[serde(default)]
    pub requires: Option<Requirement>,
}

/// What an exercise's check needs beyond Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Requirement {
    /// An MPI runtime: `mpiexec` on PATH.
    Mpi,
}

impl Requirement {
    /// Whether this machine has it.
    pub fn present(self) -> bool {
        match self {
            // `$MPIEXEC` names another launcher, as `cargo mpi` and the checks read it.
            Requirement::Mpi => {
                which::which(std::env::var_os("MPIEXEC").unwrap_or_else(|| "mpiexec".into()))
                    .is_ok()
            }
        }
    }

    /// A one-line note for a machine that lacks it.
    pub fn missing_note(self) -> String {
        match self {
            // The one copy of the advice, which `cargo mpi` and the book use too.
            Requirement::Mpi => format!(
                "needs MPI, which is not installed (no `mpiexec` on PATH): {}",
                include_str!("../../../distributed/install-mpi.txt").trim()
            ),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Requirement::Mpi => "needs MPI",
        }
    }
}

/// One `[[renamed]]` of `exercises/exercises.toml`: an exercise once called
/// `from` is now called `to`. Written by `cargo workbook renumber`, read by
/// [`migrate`], which moves a learner's work and progress along; applied in
/// the order of the table, so that a later renumbering chains on an earlier.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renamed {
    pub from: String,
    pub to: String,
}

#[derive(Deserialize)]
struct Table {
    #[serde(default)]
    exercise: Vec<Exercise>,
    #[serde(default)]
    renamed: Vec<Renamed>,
}

/// The exercises of one repository.
#[derive(Debug, Clone)]
pub struct Exercises {
    pub root: PathBuf,
    pub list: Vec<Exercise>,
    /// Every renaming so far, oldest first.
    pub renamed: Vec<Renamed>,
}

/// `root/exercises`: the learners' files, and the default package.
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
                    "{shown} not found: run this from the workbook's repository (or set {})",
                    paths::ROOT_ENV
                )
            } else {
                anyhow!("cannot read {shown}: {e}")
            }
        })?;
        let table: Table =
            toml::from_str(&text).map_err(|e| anyhow!("{shown}: {}", one_line(&e.to_string())))?;
        if table.exercise.is_empty() {
            return Err(anyhow!("{shown} lists no [[exercise]]"));
        }
        let plain = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        let mut stems = std::collections::BTreeSet::new();
        for ex in &table.exercise {
            if !plain(&ex.name) {
                return Err(anyhow!("{shown}: bad exercise name {:?}", ex.name));
            }
            // A renumbering keeps the stem: no two exercises may share one.
            if !stems.insert(stem(&ex.name)) {
                return Err(anyhow!(
                    "{shown}: two exercises are named *_{}: a name after its number must be unique",
                    stem(&ex.name)
                ));
            }
            if let Some(package) = &ex.package
                && !plain(package)
            {
                return Err(anyhow!(
                    "{shown}: {}: package {package:?} must be a directory name at the root",
                    ex.name
                ));
            }
        }
        for r in &table.renamed {
            if !plain(&r.from) || !plain(&r.to) {
                return Err(anyhow!(
                    "{shown}: bad [[renamed]] {:?} -> {:?}",
                    r.from,
                    r.to
                ));
            }
        }
        Ok(Exercises {
            root: root.to_path_buf(),
            list: table.exercise,
            renamed: table.renamed,
        })
    }

    /// Every name `name` had before, along the `[[renamed]]` rows (a later
    /// renumbering chains on an earlier), latest first.
    pub fn former_names(&self, name: &str) -> Vec<String> {
        let mut names = vec![name.to_string()];
        for renamed in self.renamed.iter().rev() {
            if names.contains(&renamed.to) && !names.contains(&renamed.from) {
                names.push(renamed.from.clone());
            }
        }
        names.split_off(1)
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

    /// The directory of the Cargo package that checks `ex`.
    pub fn package_dir(&self, ex: &Exercise) -> PathBuf {
        self.root.join(package_name(ex))
    }

    /// `path` relative to the repository root, for messages.
    pub fn show(&self, path: &Path) -> String {
        paths::display_rel(&self.root, path)
    }

    /// The first exercise (in order) that has not passed and that this
    /// machine can check, if any.
    pub fn next<'a>(&'a self, progress: &Progress) -> Option<&'a Exercise> {
        self.list.iter().find(|ex| {
            progress.status(&ex.name) != Status::Passed
                && ex.requires.is_none_or(Requirement::present)
        })
    }

    /// The exercise named on the command line, or the next unsolved one
    /// (`None`: every exercise passes).
    pub fn named_or_next(&self, name: Option<&str>) -> Result<Option<&Exercise>> {
        match name {
            Some(name) => self.find(name).map(Some),
            None => Ok(self.next(&Progress::load(&self.root)?)),
        }
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
            strsim::levenshtein(&q, name).min(strsim::levenshtein(&q, s))
        };
        let (best, d) = self
            .list
            .iter()
            .map(|ex| (ex.name.as_str(), score(&ex.name)))
            .min_by_key(|&(_, d)| d)?;
        (d <= 3.max(q.chars().count() / 2)).then_some(best)
    }
}

/// The package directory's name of `ex` (`exercises` by default).
pub fn package_name(ex: &Exercise) -> &str {
    ex.package.as_deref().unwrap_or("exercises")
}

/// The leading number of an exercise name (`03_scoped_sum` -> 3).
pub fn number(name: &str) -> Option<u64> {
    let digits: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// The name without its leading number (`03_scoped_sum` -> `scoped_sum`).
pub fn stem(name: &str) -> &str {
    name.trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches('_')
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
                    package: None,
                    requires: None,
                })
                .collect(),
            renamed: vec![],
        }
    }

    #[test]
    fn former_names_follow_chained_renumberings() {
        let mut ex = sample();
        let row = |from: &str, to: &str| Renamed {
            from: from.into(),
            to: to.into(),
        };
        ex.renamed = vec![
            row("13_scoped_sum", "07_scoped_sum"),
            row("05_chunks", "01_chunks"),
            row("07_scoped_sum", "03_scoped_sum"),
        ];
        assert_eq!(
            ex.former_names("03_scoped_sum"),
            vec!["07_scoped_sum", "13_scoped_sum"]
        );
        assert_eq!(ex.former_names("01_chunks"), vec!["05_chunks"]);
        assert!(ex.former_names("02_spawn_join").is_empty());
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
}
