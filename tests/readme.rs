//! The README's map stays true: every example in the tree is in it, and
//! every file it links to exists. (Every exercise: `workbook/tests/exercise_table.rs`.)

use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn readme() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README.md")
}

/// The examples in `dir` (relative to the root), by name.
fn examples_in(dir: &str) -> Vec<String> {
    let mut examples: Vec<String> = std::fs::read_dir(Path::new(ROOT).join(dir))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".rs")
                .map(str::to_owned)
        })
        .collect();
    examples.sort();
    examples
}

#[test]
fn every_example_is_in_the_map() {
    let readme = readme();
    let examples = examples_in("examples");
    assert!(examples.len() >= 20, "{examples:?}");
    let mpi_examples = examples_in("distributed/examples");
    assert!(mpi_examples.len() >= 4, "{mpi_examples:?}");
    let async_examples = examples_in("async/examples");
    assert!(async_examples.len() >= 3, "{async_examples:?}");
    for (dir, names) in [
        ("examples", examples),
        ("distributed/examples", mpi_examples),
        ("async/examples", async_examples),
    ] {
        for name in names {
            assert!(
                readme.contains(&format!("| `{name}` |")),
                "{dir}/{name}.rs is missing from the README's table"
            );
        }
    }
}

#[test]
fn the_mpi_setup_line_is_the_one_the_tools_print() {
    let advice = std::fs::read_to_string(Path::new(ROOT).join("distributed/install-mpi.txt"))
        .expect("distributed/install-mpi.txt");
    let debian = advice
        .split('`')
        .find(|part| part.starts_with("sudo apt-get install"))
        .expect("install-mpi.txt names the Debian packages");
    let readme = readme().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme.contains(&format!("`{debian}`")),
        "the README's MPI line should say `{debian}`, as install-mpi.txt does"
    );
}

#[test]
fn every_link_in_the_readme_exists() {
    let readme = readme();
    for part in readme.split("](").skip(1) {
        let target = &part[..part.find(')').unwrap()];
        if target.starts_with("http") {
            continue;
        }
        assert!(
            Path::new(ROOT).join(target).exists(),
            "README links to missing {target}"
        );
    }
}

#[test]
fn the_setup_is_two_commands() {
    let readme = readme();
    assert!(readme.contains("cargo workbook            #"));
    assert!(readme.contains("cargo test --workspace    #"));
}
