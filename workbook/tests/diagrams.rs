//! The happens-before diagrams in `book/images/hb-*.svg` are what
//! `workbook::book::happens_before` draws: one source, never edited by hand.
//! After changing a diagram there, write the files again with
//!
//!     WORKBOOK_WRITE_DIAGRAMS=1 cargo test -p workbook --test diagrams

mod common;

use workbook::book::happens_before;

#[test]
fn committed_diagrams_are_the_generated_ones() {
    let images = common::repo_root().join("book").join("images");
    let write = std::env::var_os("WORKBOOK_WRITE_DIAGRAMS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for diagram in happens_before::all() {
        let file = images.join(format!("{}.svg", diagram.name));
        let drawn = diagram.to_svg();
        if write {
            std::fs::write(&file, &drawn).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(drawn.as_str()) {
            stale.push(file.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "not what workbook/src/book/happens_before.rs draws (write them with \
         WORKBOOK_WRITE_DIAGRAMS=1 cargo test -p workbook --test diagrams):\n{}",
        stale.join("\n")
    );
}

#[test]
fn no_stray_generated_diagram_is_left_behind() {
    let images = common::repo_root().join("book").join("images");
    let names: Vec<String> = happens_before::all()
        .iter()
        .map(|d| format!("{}.svg", d.name))
        .collect();
    for entry in std::fs::read_dir(&images).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with("hb-") {
            assert!(
                names.contains(&name),
                "book/images/{name} is no diagram of happens_before::all(): remove it"
            );
        }
    }
}
