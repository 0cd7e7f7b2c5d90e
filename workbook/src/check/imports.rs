//! A learner's file must take its threads, locks and atomics from
//! `parallel_workbook::sync`, the facade the checks can model-check: a
//! `std::sync::Mutex` is invisible to the model checker (it never switches
//! threads there, so it never tries the interleavings around it), and a
//! thread blocked on one stops the whole model run. So before building, the
//! check parses the learner's file (with `syn`: comments, strings and macro
//! bodies are not code) and names the first direct use it finds.

use std::path::Path;

use syn::visit::{self, Visit};

/// A direct use of `std`'s synchronization the checker cannot see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bypass {
    pub line: usize,
    /// As written: `std::sync::Mutex`.
    pub path: String,
    /// What to write instead: `parallel_workbook::sync::Mutex`.
    pub instead: String,
}

impl Bypass {
    /// The one line the learner reads.
    pub fn message(&self, file: &str) -> String {
        format!(
            "{file}:{} uses `{}` directly, which the checker cannot see or explore: use `{}` instead",
            self.line, self.path, self.instead
        )
    }
}

/// Items of `std::sync` and `std::thread` that synchronize nothing: `Arc`
/// counts references, `Ordering` names an ordering, the rest are types of
/// results and errors. The facade re-exports them too.
const HARMLESS: &[&str] = &[
    "sync::Arc",
    "sync::Weak",
    "sync::OnceLock",
    "sync::LockResult",
    "sync::PoisonError",
    "sync::TryLockError",
    "sync::TryLockResult",
    "sync::atomic::Ordering",
    "sync::mpsc::RecvError",
    "sync::mpsc::RecvTimeoutError",
    "sync::mpsc::SendError",
    "sync::mpsc::TryRecvError",
    "sync::mpsc::TrySendError",
    "thread::available_parallelism",
    "thread::Result",
    "thread::panicking",
];

/// The first direct use in `source`, or `None` (also when the file does not
/// parse: the compiler says why, better than we could).
pub fn first_bypass(source: &str) -> Option<Bypass> {
    let file = syn::parse_file(source).ok()?;
    let mut finder = Finder { found: Vec::new() };
    finder.visit_file(&file);
    finder.found.into_iter().min_by_key(|b| b.line)
}

/// [`first_bypass`] of a file on disk (`None` if it cannot be read: the build
/// reports that).
pub fn first_bypass_in(file: &Path) -> Option<Bypass> {
    first_bypass(&std::fs::read_to_string(file).ok()?)
}

/// Whether the package that checks an exercise has the facade to offer:
/// it depends on `parallel-workbook` (a package of exercises that does not,
/// such as the workbook's own test fixtures, is not held to it).
pub fn facade_available(package_dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(package_dir.join("Cargo.toml")) else {
        return false;
    };
    let Ok(manifest) = toml::from_str::<toml::Table>(&text) else {
        return false;
    };
    manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .is_some_and(|d| d.contains_key("parallel-workbook"))
}

struct Finder {
    found: Vec<Bypass>,
}

impl Finder {
    /// Checks one path, given as its segments from the crate root (`std`,
    /// `sync`, `Mutex`), written at `line`.
    fn check(&mut self, segments: &[String], line: usize) {
        let rest = match segments {
            [root, rest @ ..] if root == "std" || root == "core" => rest,
            _ => return,
        };
        let Some(module) = rest.first() else { return };
        let relevant = match module.as_str() {
            "sync" | "thread" => true,
            "hint" => rest.get(1).is_some_and(|item| item == "spin_loop"),
            _ => false,
        };
        if !relevant {
            return;
        }
        let tail = rest.join("::");
        if HARMLESS
            .iter()
            .any(|h| tail == *h || (tail.starts_with(h) && tail[h.len()..].starts_with("::")))
        {
            return;
        }
        self.found.push(Bypass {
            line,
            path: segments.join("::"),
            instead: format!("parallel_workbook::{}", facade_path(rest)),
        });
    }
}

/// Where the facade has `std::<rest>`.
fn facade_path(rest: &[String]) -> String {
    match rest.first().map(String::as_str) {
        // std::sync::X is sync::X; std::thread and std::hint are in sync.
        Some("sync") => rest.join("::"),
        _ => format!("sync::{}", rest.join("::")),
    }
}

fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut prefix = Vec::new();
        walk_use(&item.tree, &mut prefix, self);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let line = path
            .segments
            .first()
            .map_or(0, |s| s.ident.span().start().line);
        self.check(&segments(path), line);
        visit::visit_path(self, path);
    }
}

/// Every path a `use` tree names, whole: `std::sync::{Mutex, atomic::*}`
/// gives `std::sync::Mutex` and `std::sync::atomic::*`.
fn walk_use(tree: &syn::UseTree, prefix: &mut Vec<String>, finder: &mut Finder) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            walk_use(&p.tree, prefix, finder);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            let mut whole = prefix.clone();
            if name != "self" {
                whole.push(name);
            }
            finder.check(&whole, n.ident.span().start().line);
        }
        syn::UseTree::Rename(r) => {
            let mut whole = prefix.clone();
            whole.push(r.ident.to_string());
            finder.check(&whole, r.ident.span().start().line);
        }
        syn::UseTree::Glob(g) => {
            let mut whole = prefix.clone();
            whole.push("*".into());
            finder.check(&whole, g.star_token.span.start().line);
        }
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                walk_use(tree, prefix, finder);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(source: &str) -> Option<(usize, String, String)> {
        first_bypass(source).map(|b| (b.line, b.path, b.instead))
    }

    #[test]
    fn direct_uses_are_found_with_their_line_and_the_facade_path() {
        assert_eq!(
            found("use std::sync::Mutex;\n"),
            Some((
                1,
                "std::sync::Mutex".into(),
                "parallel_workbook::sync::Mutex".into()
            ))
        );
        assert_eq!(
            found(
                "use parallel_workbook::sync::Mutex;\nuse std::{thread, sync::{Arc, Condvar}};\n"
            ),
            Some((
                2,
                "std::thread".into(),
                "parallel_workbook::sync::thread".into()
            ))
        );
        assert_eq!(
            found("fn f() {\n    let x = 1;\n    std::thread::sleep(d);\n}\n"),
            Some((
                3,
                "std::thread::sleep".into(),
                "parallel_workbook::sync::thread::sleep".into()
            ))
        );
        assert_eq!(
            found("use std::sync::atomic::{AtomicU64, Ordering};\n").map(|f| f.1),
            Some("std::sync::atomic::AtomicU64".into())
        );
        assert_eq!(
            found("use std::hint::spin_loop;\n").map(|f| f.2),
            Some("parallel_workbook::sync::hint::spin_loop".into())
        );
        assert_eq!(
            found("use std::sync;\n").map(|f| f.2),
            Some("parallel_workbook::sync".into())
        );
        assert_eq!(
            found("fn f() { std::hint::spin_loop(); }").map(|f| f.2),
            Some("parallel_workbook::sync::hint::spin_loop".into())
        );
    }

    #[test]
    fn comments_strings_harmless_items_and_the_facade_are_not_flagged() {
        for source in [
            "// use std::sync::Mutex;\nfn f() {}\n",
            "fn f() { let s = \"std::sync::Mutex\"; }\n",
            "/// Like `std::thread::spawn`.\nfn f() {}\n",
            "use std::sync::Arc;\nuse std::sync::atomic::Ordering::{Relaxed, SeqCst};\n",
            "use std::thread::available_parallelism;\n",
            "use parallel_workbook::sync::{Mutex, thread, atomic::AtomicU64};\n",
            "use std::ops::Range;\nfn f(r: Range<u64>) -> std::hint::BlackBox {}\n",
            "this does not parse {",
        ] {
            assert_eq!(found(source), None, "{source}");
        }
    }
}
