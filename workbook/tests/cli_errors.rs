//! Each way a build can fail gives exactly one `error:` line on stderr and a
//! non-zero exit, never a panic or a backtrace. Runs the real binary on
//! copies of `tests/fixtures/tiny`.

mod common;
#[path = "common/links.rs"]
mod links;

use std::net::TcpListener;
use std::path::Path;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(120);

/// Runs `workbook args` in `dir`, expects failure, and returns the single stderr line.
fn one_error_line(dir: &Path, args: &[&str]) -> String {
    let out = common::workbook(dir, args, LIMIT);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "expected failure; stderr:\n{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one line on stderr, got:\n{stderr}"
    );
    let line = lines[0].to_string();
    assert!(line.starts_with("error: "), "{line}");
    for bad in ["panicked", "backtrace", "RUST_BACKTRACE", "Caused by"] {
        assert!(!line.contains(bad), "{line}");
    }
    line
}

fn append(path: &Path, text: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

#[test]
fn fixture_builds() {
    let dir = common::fixture_copy();
    let out = common::workbook(dir.path(), &["build", "--out", "site"], LIMIT);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.lines().any(|l| l.starts_with("warning:")),
        "{stderr}"
    );
    let intro = std::fs::read_to_string(dir.path().join("site/intro.html")).unwrap();
    assert!(intro.contains("<math"), "no MathML in intro.html");
    assert!(intro.contains("println!"), "include not expanded");
    assert!(!intro.contains("{{#"));
    assert!(links::check_links(&dir.path().join("site")).is_empty());
}

#[test]
fn default_output_is_target_book() {
    let dir = common::fixture_copy();
    let out = common::workbook(dir.path(), &["build"], LIMIT);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("target/book/index.html").is_file());
    assert!(
        dir.path().join("book/SUMMARY.md").is_file(),
        "sources must survive"
    );
}

#[test]
fn broken_include_is_one_line() {
    let dir = common::fixture_copy();
    append(
        &dir.path().join("book/ch1.md"),
        "\n```rust\n{{#include ../examples/missing.rs}}\n```\n",
    );
    let line = one_error_line(dir.path(), &["build"]);
    assert!(
        line.contains("book/ch1.md") && line.contains("missing.rs"),
        "{line}"
    );
}

#[test]
fn missing_anchor_is_one_line() {
    let dir = common::fixture_copy();
    append(
        &dir.path().join("book/ch1.md"),
        "\n```rust\n{{#include ../examples/hello.rs:nope}}\n```\n",
    );
    let line = one_error_line(dir.path(), &["build"]);
    assert!(line.contains("ANCHOR: nope"), "{line}");
}

#[test]
fn missing_chapter_is_one_line_and_not_created() {
    let dir = common::fixture_copy();
    append(
        &dir.path().join("book/SUMMARY.md"),
        "- [Gone](part1/gone.md)\n",
    );
    let line = one_error_line(dir.path(), &["build"]);
    assert_eq!(
        line,
        "error: book/part1/gone.md: listed in SUMMARY.md but missing"
    );
    assert!(
        !dir.path().join("book/part1/gone.md").exists(),
        "mdBook must not create it"
    );
}

#[test]
fn malformed_book_toml_is_one_line() {
    let dir = common::fixture_copy();
    append(&dir.path().join("book.toml"), "\n[output.html\nfoo = \n");
    let line = one_error_line(dir.path(), &["build"]);
    assert!(line.contains("book.toml"), "{line}");
}

#[test]
fn unknown_html_option_is_one_line() {
    let dir = common::fixture_copy();
    append(
        &dir.path().join("book.toml"),
        "\n[output.html]\nno-such-option = true\n",
    );
    let line = one_error_line(dir.path(), &["build"]);
    assert!(
        line.contains("book.toml") && line.contains("no-such-option"),
        "{line}"
    );
}

#[test]
fn port_in_use_is_one_line() {
    let dir = common::fixture_copy();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let line = one_error_line(dir.path(), &["serve", "--no-open", "--port", &port]);
    assert!(line.contains(&port) && line.contains("in use"), "{line}");
    drop(listener);
}
