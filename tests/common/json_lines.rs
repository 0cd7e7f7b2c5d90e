//! One JSON object per line, as the examples print with `--json` and the
//! server streams a run: the one reader of such output for every test (the
//! workbook's tests include this file with `#[path]`; distributed/'s, with
//! the rest of `tests/common/`).

/// Each non-empty line of `text` as JSON; a line that is not fails the test,
/// showing it.
pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect()
}
