//! Exercise numbers follow the reading order: [`reading_order`] says what
//! the order is (the order of the exercises' chapters in `book/SUMMARY.md`,
//! ties kept in table order), and `cargo workbook renumber` (for
//! maintainers, hidden) renames every exercise whose number is out of it:
//! its files (learner's file, check, solution, `wrong/`, `unusual/`, page),
//! every mention of its name in the tracked files (the `[[test]]` target,
//! SUMMARY.md, the README, ARCHITECTURE.md, tests), the number in "exercise
//! NN" and "[NN · " mentions, the order of the table's rows and of the lines
//! that list the exercises one per line; and it records each renaming as a
//! `[[renamed]]` row of `exercises/exercises.toml`, which the learner's copy
//! of the tool reads to move their work and progress along
//! ([`super::migrate`]). `workbook/tests/exercise_table.rs` fails while the
//! numbering does not follow the reading order.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};

use super::{Exercise, Exercises, Renamed, number, stem};
use crate::paths;

/// `cargo workbook renumber`
#[derive(clap::Args, Debug, Clone, Default)]
pub struct RenumberArgs {
    /// Only say what would be renamed
    #[arg(long)]
    pub dry_run: bool,
}

/// The pages of `book/SUMMARY.md`, in reading order, as written there
/// (relative to `book/`).
pub fn summary_pages(summary: &str) -> Vec<String> {
    let mut pages = Vec::new();
    for line in summary.lines() {
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            pages.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    pages
}

/// The exercises in reading order: by the position of their chapter in
/// `pages`, exercises of one chapter in table order. An exercise without a
/// chapter, or whose chapter is not in `pages`, is an error.
pub fn reading_order<'a>(exercises: &'a Exercises, pages: &[String]) -> Result<Vec<&'a Exercise>> {
    let mut keyed = Vec::new();
    for (i, ex) in exercises.list.iter().enumerate() {
        let chapter = ex
            .chapter
            .as_deref()
            .ok_or_else(|| anyhow!("{}: no chapter: the reading order needs one", ex.name))?;
        let at = pages.iter().position(|p| p == chapter).ok_or_else(|| {
            anyhow!(
                "{}: its chapter {chapter} is not in book/SUMMARY.md",
                ex.name
            )
        })?;
        keyed.push((at, i, ex));
    }
    keyed.sort_by_key(|&(at, i, _)| (at, i));
    Ok(keyed.into_iter().map(|(_, _, ex)| ex).collect())
}

/// The renamings that put the exercises in reading order, numbered from 01
/// (empty when they already are), in their new order.
pub fn plan(exercises: &Exercises, pages: &[String]) -> Result<Vec<Renamed>> {
    let width = exercises.list.len().to_string().len().max(2);
    Ok(reading_order(exercises, pages)?
        .into_iter()
        .enumerate()
        .map(|(i, ex)| Renamed {
            from: ex.name.clone(),
            to: format!("{:0width$}_{}", i + 1, stem(&ex.name)),
        })
        .filter(|r| r.from != r.to)
        .collect())
}

/// Entry point of `cargo workbook renumber`.
pub fn run(args: RenumberArgs) -> Result<()> {
    let root = paths::repo_root();
    let renames = apply(&root, args.dry_run)?;
    if renames.is_empty() {
        println!("The exercises already follow the reading order: nothing to rename.");
        return Ok(());
    }
    for r in &renames {
        println!("{} -> {}", r.from, r.to);
    }
    if args.dry_run {
        println!("(dry run: nothing changed)");
    } else {
        println!(
            "Renamed {} exercises and recorded them as [[renamed]] in exercises/exercises.toml. \
             Review `git status` and `git diff`, run the tests, then commit everything.",
            renames.len()
        );
    }
    Ok(())
}

/// Renumbers the exercises of the repository at `root` (a git checkout:
/// only tracked files are touched); returns the renamings.
pub fn apply(root: &Path, dry_run: bool) -> Result<Vec<Renamed>> {
    let exercises = Exercises::load(root)?;
    let summary = std::fs::read_to_string(root.join("book/SUMMARY.md"))
        .context("cannot read book/SUMMARY.md")?;
    let renames = plan(&exercises, &summary_pages(&summary))?;
    if renames.is_empty() || dry_run {
        return Ok(renames);
    }
    let names: BTreeMap<String, String> = renames
        .iter()
        .map(|r| (r.from.clone(), r.to.clone()))
        .collect();
    let numbers: BTreeMap<u64, u64> = renames
        .iter()
        .filter_map(|r| Some((number(&r.from)?, number(&r.to)?)))
        .collect();
    let table = Path::new("exercises/exercises.toml");
    let tracked = tracked_files(root)?;
    // Texts first, then the files they live in move.
    for rel in &tracked {
        // This module and its table's own tests use sample names.
        if rel.starts_with(OWN_DIR) {
            continue;
        }
        let path = root.join(rel);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // binary, or gone
        };
        let new = if rel == table {
            rewrite_table(&text, &renames)
        } else {
            sort_listing_lines(&rewrite_numbers(&rewrite_names(&text, &names), &numbers))
        };
        if new != text {
            std::fs::write(&path, new)
                .with_context(|| format!("cannot write {}", rel.display()))?;
        }
    }
    for rel in &tracked {
        let moved = rename_path(rel, &names);
        if moved != *rel {
            let to = root.join(&moved);
            if to.exists() {
                return Err(anyhow!(
                    "{} would replace {}: stopped (nothing else was moved after it)",
                    rel.display(),
                    moved.display()
                ));
            }
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::rename(root.join(rel), &to)
                .with_context(|| format!("cannot move {}", rel.display()))?;
            remove_empty_dirs(root, rel.parent());
        }
    }
    Ok(renames)
}

/// Where the exercise table's code lives: its unit tests use names of their
/// own, which a renumbering leaves alone.
const OWN_DIR: &str = "workbook/src/exercises";

/// The files git tracks under `root`, relative to it.
fn tracked_files(root: &Path) -> Result<Vec<PathBuf>> {
    let out = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .context("cannot run git")?;
    if !out.status.success() {
        return Err(anyhow!(
            "`git ls-files` failed: renumber works on a git checkout ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out
        .stdout
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
        .collect())
}

fn remove_empty_dirs(root: &Path, mut dir: Option<&Path>) {
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        if std::fs::remove_dir(root.join(d)).is_err() {
            break; // not empty
        }
        dir = d.parent();
    }
}

/// `rel` with every component named after an old exercise (`NAME`,
/// `NAME.rs`, `NAME.md`) renamed.
pub fn rename_path(rel: &Path, names: &BTreeMap<String, String>) -> PathBuf {
    rel.components()
        .map(|c| {
            let part = c.as_os_str().to_string_lossy();
            let (head, ext) = part.split_once('.').unwrap_or((&part, ""));
            match names.get(head) {
                Some(new) if ext.is_empty() => new.clone(),
                Some(new) => format!("{new}.{ext}"),
                None => part.into_owned(),
            }
        })
        .collect()
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `text` with every old name replaced by its new one, all at once (a name
/// counts where no letter or digit is before it and no word character after).
pub fn rewrite_names(text: &str, names: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut prev: Option<char> = None;
    'scan: while i < text.len() {
        if prev.is_none_or(|p| !p.is_ascii_alphanumeric()) {
            for (old, new) in names {
                if text[i..].starts_with(old.as_str())
                    && text[i + old.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !is_word(c))
                {
                    out.push_str(new);
                    i += old.len();
                    prev = old.chars().last();
                    continue 'scan;
                }
            }
        }
        let c = text[i..].chars().next().expect("i < len");
        out.push(c);
        prev = Some(c);
        i += c.len_utf8();
    }
    out
}

/// `text` with the numbers of "exercise NN", "Exercise NN", "exercises NN"
/// and a row's "[NN · " renumbered, all at once; the width is kept (`8` or
/// `08`).
pub fn rewrite_numbers(text: &str, numbers: &BTreeMap<u64, u64>) -> String {
    const BEFORE: [&str; 4] = ["xercise ", "xercises ", "xercise\u{a0}", "["];
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    'scan: while i < text.len() {
        for before in BEFORE {
            if !text[i..].starts_with(before) {
                continue;
            }
            let start = i + before.len();
            let digits: String = text[start..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let end = start + digits.len();
            let after = &text[end..];
            let fits = (1..=3).contains(&digits.len())
                && !after.starts_with(is_word)
                && (before != "[" || after.starts_with(" · "));
            let Some(new) = digits.parse().ok().and_then(|n: u64| numbers.get(&n)) else {
                continue;
            };
            if !fits {
                continue;
            }
            out.push_str(before);
            if digits.len() >= 2 {
                let _ = write!(out, "{new:0w$}", w = digits.len());
            } else {
                let _ = write!(out, "{new}");
            }
            i = end;
            continue 'scan;
        }
        let c = text[i..].chars().next().expect("i < len");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The exercise page a line links to (`](…NN_name.md)`), if exactly one.
fn listed_exercise(line: &str) -> Option<u64> {
    let pages: Vec<_> = summary_pages(line)
        .into_iter()
        .filter_map(|p| {
            let file = p.rsplit('/').next()?.strip_suffix(".md")?.to_string();
            let n = number(&file)?;
            (file.len() > 3 && file.as_bytes().get(2) == Some(&b'_')).then_some(n)
        })
        .collect();
    match pages.as_slice() {
        [n] => Some(*n),
        _ => None,
    }
}

/// Runs of three or more consecutive lines that each link to one exercise
/// page (SUMMARY.md, the exercises' README) sorted by that exercise's number.
pub fn sort_listing_lines(text: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j < lines.len() && listed_exercise(lines[j]).is_some() {
            j += 1;
        }
        if j - i >= 3 {
            let mut run: Vec<&str> = lines[i..j].to_vec();
            let last_has_newline = run.last().is_some_and(|l| l.ends_with('\n'));
            run.sort_by_key(|l| listed_exercise(l));
            for (k, l) in run.iter().enumerate() {
                out.push_str(l.trim_end_matches('\n'));
                if k + 1 < run.len() || last_has_newline {
                    out.push('\n');
                }
            }
            i = j;
        } else {
            out.push_str(lines[i]);
            i += 1;
        }
    }
    out
}

/// `exercises.toml` with its `[[exercise]]` rows renamed and in reading
/// order, and the renamings appended as `[[renamed]]` rows (earlier
/// `[[renamed]]` rows are history: left as they are).
pub fn rewrite_table(text: &str, renames: &[Renamed]) -> String {
    let names: BTreeMap<String, String> = renames
        .iter()
        .map(|r| (r.from.clone(), r.to.clone()))
        .collect();
    let (rows, history) = match text.find("\n[[renamed]]") {
        Some(at) => text.split_at(at + 1),
        None => (text, ""),
    };
    let mut blocks = rows.split("[[exercise]]\n");
    let preamble = blocks.next().unwrap_or("");
    let mut blocks: Vec<(usize, String)> = blocks
        .map(|b| {
            let name = b
                .lines()
                .find_map(|l| l.strip_prefix("name = \""))
                .and_then(|l| l.strip_suffix('"'))
                .unwrap_or("");
            let new_name = names.get(name).map_or(name, String::as_str);
            let at = number(new_name).unwrap_or(u64::MAX) as usize;
            let mut b = rewrite_names(b, &names);
            if !b.ends_with("\n\n") {
                b = format!("{}\n\n", b.trim_end());
            }
            (at, b)
        })
        .collect();
    blocks.sort_by_key(|(at, _)| *at);
    let mut out = preamble.to_string();
    for (_, b) in &blocks {
        out.push_str("[[exercise]]\n");
        out.push_str(b);
    }
    let mut out = out.trim_end().to_string();
    out.push('\n');
    if history.is_empty() {
        out.push_str(
            "\n# Renamings, oldest first (written by `cargo workbook renumber`): the\n\
             # learner's `cargo workbook` moves their files, backups and progress along.\n",
        );
    } else {
        out.push('\n');
        out.push_str(history.trim_end());
        out.push('\n');
    }
    for r in renames {
        let _ = write!(
            out,
            "\n[[renamed]]\nfrom = \"{}\"\nto = \"{}\"\n",
            r.from, r.to
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn names_are_replaced_at_once_and_only_whole() {
        let names = map(&[("13_amdahl", "02_amdahl"), ("02_spawn", "03_spawn")]);
        assert_eq!(
            rewrite_names(
                "checks/13_amdahl.rs 02_spawn, fn t_13_amdahl() x13_amdahl 13_amdahl_x 02_spawn.md",
                &names
            ),
            "checks/02_amdahl.rs 03_spawn, fn t_02_amdahl() x13_amdahl 13_amdahl_x 03_spawn.md"
        );
    }

    #[test]
    fn numbers_keep_their_width() {
        let numbers: BTreeMap<u64, u64> = [(13, 2), (8, 14), (2, 3)].into_iter().collect();
        assert_eq!(
            rewrite_numbers(
                "exercise 13 has; Exercise 08 ·; exercise 8's; [13 · Amdahl](13_amdahl.md); [2] exercise 130; chapter 13",
                &numbers
            ),
            "exercise 02 has; Exercise 14 ·; exercise 14's; [02 · Amdahl](13_amdahl.md); [2] exercise 130; chapter 13"
        );
    }

    #[test]
    fn listing_lines_are_sorted() {
        let text = "x\n  - [E 03](exercises/03_b.md)\n  - [E 01](exercises/01_a.md)\n  - [E 02](exercises/02_c.md)\ny\n";
        assert_eq!(
            sort_listing_lines(text),
            "x\n  - [E 01](exercises/01_a.md)\n  - [E 02](exercises/02_c.md)\n  - [E 03](exercises/03_b.md)\ny\n"
        );
    }

    #[test]
    fn paths_are_renamed_by_component() {
        let names = map(&[("13_amdahl", "02_amdahl")]);
        assert_eq!(
            rename_path(Path::new("exercises/wrong/13_amdahl/x.rs"), &names),
            PathBuf::from("exercises/wrong/02_amdahl/x.rs")
        );
        assert_eq!(
            rename_path(Path::new("book/exercises/13_amdahl.md"), &names),
            PathBuf::from("book/exercises/02_amdahl.md")
        );
        assert_eq!(
            rename_path(Path::new("exercises/13_amdahl.rs.backup-1"), &names),
            PathBuf::from("exercises/02_amdahl.rs.backup-1")
        );
    }
}
