//! The minimum Rust version the README and `rust-version` state is the true
//! one: no locked package of any of the workbook's workspaces (the root, the
//! learner's `exercises/`, `distributed/` where present, the data-race lab)
//! declares a higher `rust-version`, every workspace states the same one, and
//! the README says it.
//! (The resolver keeps this true by itself: `resolver = "3"` picks versions
//! that fit `rust-version`; this test catches a hand-edited lock file or a
//! dependency that leaves no fitting version.)

mod common;

use cargo_metadata::MetadataCommand;
use cargo_metadata::semver::Version;

fn stated() -> Version {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(common::repo_root().join("Cargo.toml")).unwrap())
            .unwrap();
    let text = manifest["workspace"]["package"]["rust-version"]
        .as_str()
        .expect("[workspace.package] rust-version");
    Version::parse(&format!("{text}.0")).expect("rust-version is MAJOR.MINOR")
}

#[test]
fn no_locked_package_needs_a_newer_rust_than_stated() {
    let msrv = stated();
    let root = common::repo_root();
    let mut too_new = Vec::new();
    for workspace in ["", "exercises", "distributed", "labs/data-race"] {
        let manifest = root.join(workspace).join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        let metadata = MetadataCommand::new()
            .manifest_path(&manifest)
            .other_options(vec!["--locked".to_string()])
            .exec()
            .unwrap_or_else(|e| panic!("cargo metadata for {}: {e}", manifest.display()));
        for package in &metadata.packages {
            let member = metadata.workspace_members.contains(&package.id);
            let Some(needs) = &package.rust_version else {
                if member {
                    too_new.push(format!("{} states no rust-version", package.name));
                }
                continue;
            };
            if member && *needs != msrv {
                too_new.push(format!(
                    "{} states rust-version {needs}, the workspace {msrv}",
                    package.name
                ));
            } else if *needs > msrv {
                too_new.push(format!(
                    "{} {} (locked in {}) needs Rust {needs}",
                    package.name,
                    package.version,
                    if workspace.is_empty() {
                        "Cargo.lock"
                    } else {
                        workspace
                    }
                ));
            }
        }
    }
    assert!(
        too_new.is_empty(),
        "the stated minimum is Rust {}.{}, but:\n{}",
        msrv.major,
        msrv.minor,
        too_new.join("\n")
    );
}

#[test]
fn the_readme_states_the_same_minimum() {
    let msrv = stated();
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    let want = format!("Rust {}.{} or newer", msrv.major, msrv.minor);
    assert!(readme.contains(&want), "the README should say {want:?}");
}
