//! The copies `verify` checks: every package directory that checks an
//! exercise, side by side as in the repository, with the solutions swapped
//! in for the solved copy.

use std::path::{Component, Path, PathBuf};

use anyhow::{Result, anyhow};

use super::Variant;
use crate::exercises::Exercises;
use crate::message::one_line;

/// Makes `copy/PACKAGE` a copy of every package directory (without build
/// outputs and backups), with the variant's file in place of each learner's
/// file that has one (the solution, or a wrong or unusual solution), and
/// dependency paths that leave the copied directories made absolute.
/// Rewrites only files whose content differs.
pub(super) fn prepare(
    exs: &Exercises,
    packages: &[String],
    copy: &Path,
    variant: Variant,
) -> Result<()> {
    let fail = |what: &Path, e: std::io::Error| anyhow!("cannot copy {}: {e}", what.display());
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for package in packages {
        let source = exs.root.join(package);
        for from in walk(&source) {
            let rel = from.strip_prefix(&exs.root).unwrap_or(&from).to_path_buf();
            let mut bytes = std::fs::read(&from).map_err(|e| fail(&from, e))?;
            if rel == Path::new(package).join("Cargo.toml") {
                let bins;
                (bytes, bins) = manifest_for_copy(&bytes, &exs.root, package, packages, variant)?;
                let target = crate::exercises::target_dir(&exs.root);
                let config = config_for_copy(&bins, &target);
                files.push((Path::new(package).join(".cargo/config.toml"), config));
            }
            files.push((rel, bytes));
        }
    }
    if variant != Variant::Unsolved {
        for ex in &exs.list {
            let Some(file) = super::variant_file(exs, ex, variant) else {
                continue;
            };
            let rel = Path::new("exercises").join(format!("{}.rs", ex.name));
            files.retain(|(r, _)| *r != rel);
            // A missing solution is reported in the table as "no solution file".
            if let Ok(bytes) = std::fs::read(&file) {
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

/// Files under `dir`: skips `target`, hidden entries and backups.
fn walk(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.') || name == "target" || name.contains(".backup-"))
        })
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
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
/// that leads out of the copied package directories made absolute, and
/// the package renamed (`workbook-exercises-verify-solved`). The new name
/// matters: cargo names build outputs by a hash of the package name and
/// version and of its path *relative to its workspace*, which is the same
/// for every copy; without it, the copies and the learner's own
/// `exercises/` would overwrite each other's test programs in the shared
/// target directory. Programs (`[[bin]]`) are renamed too, since cargo puts
/// each at `debug/NAME` under its own name, not hashed: returned as
/// (original, new) names, for [`config_for_copy`].
fn manifest_for_copy(
    manifest: &[u8],
    root: &Path,
    package: &str,
    packages: &[String],
    variant: Variant,
) -> Result<(Vec<u8>, Renamed)> {
    let text = String::from_utf8_lossy(manifest);
    let mut doc: toml::Table = toml::from_str(&text)
        .map_err(|e| anyhow!("{package}/Cargo.toml: {}", one_line(&e.to_string())))?;
    let package_dir = root.join(package);
    let copied: Vec<PathBuf> = packages.iter().map(|p| root.join(p)).collect();
    let fix_deps = |deps: Option<&mut toml::Value>| {
        let Some(toml::Value::Table(deps)) = deps else {
            return;
        };
        for (_, dep) in deps.iter_mut() {
            if let toml::Value::Table(dep) = dep
                && let Some(toml::Value::String(path)) = dep.get_mut("path")
                && Path::new(path.as_str()).is_relative()
            {
                let target = normalize(&package_dir.join(&*path));
                if !copied.iter().any(|c| target.starts_with(c)) {
                    *path = target.to_string_lossy().into_owned();
                }
            }
        }
    };
    let mut original = None;
    if let Some(toml::Value::Table(pkg)) = doc.get_mut("package")
        && let Some(toml::Value::String(name)) = pkg.get_mut("name")
    {
        original = Some(name.replace('-', "_"));
        *name = format!("{name}-verify-{}", variant.dir_name());
    }
    // The library keeps its crate name, so that the checks that `use` it
    // still compile.
    let has_lib = doc.contains_key("lib") || package_dir.join("src/lib.rs").is_file();
    if let (Some(original), true) = (original, has_lib) {
        let lib = doc
            .entry("lib")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let toml::Value::Table(lib) = lib {
            lib.entry("name")
                .or_insert_with(|| toml::Value::String(original));
        }
    }
    for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
        fix_deps(doc.get_mut(key));
    }
    let mut bins = Vec::new();
    if let Some(toml::Value::Array(targets)) = doc.get_mut("bin") {
        for target in targets.iter_mut() {
            if let toml::Value::Table(target) = target
                && let Some(toml::Value::String(name)) = target.get_mut("name")
            {
                let renamed = format!("{name}-verify-{}", variant.dir_name());
                bins.push((name.clone(), renamed.clone()));
                *name = renamed;
            }
        }
    }
    if let Some(toml::Value::Table(targets)) = doc.get_mut("target") {
        for (_, target) in targets.iter_mut() {
            if let toml::Value::Table(target) = target {
                for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
                    fix_deps(target.get_mut(key));
                }
            }
        }
    }
    let text = toml::to_string(&doc)
        .map_err(|e| anyhow!("cannot write a copy of {package}/Cargo.toml: {e}"))?;
    Ok((text.into_bytes(), bins))
}

/// The copy's `.cargo/config.toml`: each renamed program's
/// `CARGO_BIN_EXE_<original name>` (which cargo sets only for the new name)
/// pointing at the program under its new name, so that a check that runs
/// the learner's program (15: `env!("CARGO_BIN_EXE_22_mpi_reduce")`) runs
/// this copy's. `verify` builds the copies without `--release`: `debug/`.
fn config_for_copy(bins: &[(String, String)], target: &Path) -> Vec<u8> {
    let mut env = toml::Table::new();
    for (original, renamed) in bins {
        let program = target.join("debug").join(renamed);
        env.insert(
            format!("CARGO_BIN_EXE_{original}"),
            toml::Value::String(program.to_string_lossy().into_owned()),
        );
    }
    let mut config = toml::Table::new();
    config.insert("env".into(), toml::Value::Table(env));
    let text = toml::to_string(&config).unwrap_or_default();
    format!(
        "# Written by `cargo workbook verify` for this copy: each program of the copy has\n\
         # a name of its own, and the checks find it under the original one.\n{text}"
    )
    .into_bytes()
}

/// Programs a copy renames: (original name, new name).
type Renamed = Vec<(String, String)>;

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
        let packages = ["exercises".to_string(), "distributed".to_string()];
        let out = manifest_for_copy(
            manifest,
            Path::new("/repo"),
            "exercises",
            &packages,
            Variant::Solved,
        )
        .unwrap()
        .0;
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("path = \"/repo\""), "{out}");
        assert!(out.contains("rayon = \"1\""), "{out}");
        assert!(out.contains("name = \"x-verify-solved\""), "{out}");
        let sibling = b"[package]\nname = \"d\"\n[dependencies]\nlib = { path = \"..\" }\nex = { path = \"../exercises\" }\n";
        let out = manifest_for_copy(
            sibling,
            Path::new("/repo"),
            "distributed",
            &packages,
            Variant::Unsolved,
        )
        .unwrap()
        .0;
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("path = \"/repo\""), "{out}");
        assert!(out.contains("path = \"../exercises\""), "{out}");
    }

    #[test]
    fn programs_are_renamed_and_found_under_their_old_name() {
        let manifest = b"[package]\nname = \"d\"\n[[bin]]\nname = \"15_mpi\"\npath = \"../exercises/15_mpi.rs\"\n";
        let packages = ["distributed".to_string()];
        let (out, bins) = manifest_for_copy(
            manifest,
            Path::new("/repo"),
            "distributed",
            &packages,
            Variant::Wrong(0),
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("name = \"15_mpi-verify-wrong-1\""), "{out}");
        assert_eq!(
            bins,
            [("15_mpi".to_string(), "15_mpi-verify-wrong-1".to_string())]
        );
        let config = String::from_utf8(config_for_copy(&bins, Path::new("/t"))).unwrap();
        assert!(
            config.contains("CARGO_BIN_EXE_15_mpi = \"/t/debug/15_mpi-verify-wrong-1\""),
            "{config}"
        );
    }
}
