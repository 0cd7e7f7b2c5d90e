//! The README's map stays true: every example in the tree is in it, and
//! every file it links to exists. (Every exercise: `workbook/tests/exercise_table.rs`.)

use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn readme() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README.md")
}

#[test]
fn every_example_is_in_the_map() {
    let readme = readme();
    let mut examples: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("examples"))
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
    assert!(examples.len() >= 20, "{examples:?}");
    for name in examples {
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "examples/{name}.rs is missing from the README's table"
        );
    }
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
