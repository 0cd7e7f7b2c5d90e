//! Finding and running the example binaries from an integration test.

#![allow(dead_code)]

mod json_lines;
#[allow(unused_imports)]
pub use json_lines::json_lines;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Once;

/// The path of the built example NAME: target/<profile>/examples/NAME, next
/// to this test's own executable (target/<profile>/deps/...). A full
/// `cargo test` builds every example before running tests; `cargo test
/// --test X` does not, so the first call runs `cargo build --examples` (same
/// profile; nothing to do when they are up to date) so no stale binary is run.
pub fn example(name: &str) -> PathBuf {
    static BUILD: Once = Once::new();
    let mut dir = std::env::current_exe().expect("test executable path");
    dir.pop();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let path = dir.join("examples").join(name);
    BUILD.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build.args(["build", "--examples", "--manifest-path"]);
        build.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"));
        if !cfg!(debug_assertions) {
            build.arg("--release");
        }
        let status = build.status().expect("cargo starts");
        assert!(status.success(), "building the examples failed");
    });
    assert!(path.exists(), "{} is not built", path.display());
    path
}

/// Runs the built example NAME with `args` to the end and returns what it
/// printed and how it exited.
pub fn run(name: &str, args: &[&str]) -> Output {
    Command::new(example(name))
        .args(args)
        .output()
        .expect("the example starts")
}

/// Writes an executable shell script `dir/name` (a stand-in for a program
/// the example starts) and returns its path.
#[cfg(unix)]
pub fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}
