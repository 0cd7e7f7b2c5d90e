//! Finds program output typed into a chapter by hand. Every number the book
//! shows comes from a file in `book/measured/`, written by `cargo workbook
//! measure` and shown with `{{#include ../measured/<machine>/NAME.txt}}`; a
//! code block that holds output itself has been copied from a terminal once,
//! and will drift from what the command prints now.
//!
//! Typed output is, in a fenced code block that is not an include:
//! - an example's report line (`threads         N=1000 T=7  result=...`),
//! - the header of a sweep or comparison table (`strategy   T   time ...`),
//! - a test harness's verdict (`running 6 tests`, `test result: ok. ...`),
//! - a transcript: a `$ command` line followed by lines it printed. A
//!   refusal (`error: ...`) is not a measurement and may be shown: the
//!   examples' tests check those messages.

use std::ops::Range;

/// One line of typed output in a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedOutput {
    /// 1-based line in the Markdown file.
    pub line: usize,
    pub what: &'static str,
}

/// The first line of typed output of every code block that has some.
pub fn typed_output(markdown: &str) -> Vec<TypedOutput> {
    let mut found = Vec::new();
    for block in code_blocks(markdown) {
        found.extend(check_block(&block));
    }
    found
}

/// The lines of one fenced code block, each with its line number.
fn code_blocks(markdown: &str) -> Vec<Vec<(usize, String)>> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let line_of = |offset: usize| markdown[..offset].matches('\n').count() + 1;
    let mut blocks = Vec::new();
    let mut open: Option<Vec<(usize, String)>> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => open = Some(Vec::new()),
            Event::Text(text) => {
                if let Some(lines) = &mut open {
                    let Range { start, .. } = range;
                    for (i, line) in text.lines().enumerate() {
                        lines.push((line_of(start) + i, line.to_owned()));
                    }
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

/// The first line of typed output in a block, if any.
fn check_block(lines: &[(usize, String)]) -> Option<TypedOutput> {
    // Inside a transcript: the last line was a command or its output.
    let mut after_command = false;
    for (line, text) in lines {
        let text = text.trim_end();
        let trimmed = text.trim_start();
        let what = if trimmed.starts_with("{{#include") {
            after_command = false;
            None
        } else if let Some(command) = trimmed.strip_prefix("$ ") {
            after_command = !command.trim().is_empty();
            None
        } else if is_report_line(trimmed) {
            Some("an example's report line")
        } else if is_table_header(trimmed) {
            Some("a sweep or comparison table")
        } else if is_test_verdict(trimmed) {
            Some("a test run's output")
        } else if after_command && !trimmed.is_empty() && !trimmed.starts_with("error: ") {
            Some("the output of a command")
        } else {
            None
        };
        if let Some(what) = what {
            // The first line of typed output points at the block.
            return Some(TypedOutput { line: *line, what });
        }
    }
    None
}

/// `threads         N=1000 T=7  result=...`: a name, then `N=` and `T=`.
fn is_report_line(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let (Some(_), Some(n), Some(t)) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    let number_after = |word: &str, key: &str| {
        word.strip_prefix(key)
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
    };
    number_after(n, "N=") && number_after(t, "T=")
}

/// `strategy            T       time  speed-up  efficiency` and the like.
fn is_table_header(line: &str) -> bool {
    let mut words = line.split_whitespace();
    words.next() == Some("strategy") && matches!(words.next(), Some("T" | "language"))
}

/// `running 6 tests`, `test result: ok. 6 passed; ...`
fn is_test_verdict(line: &str) -> bool {
    if line.starts_with("test result:") {
        return true;
    }
    let mut words = line.split_whitespace();
    words.next() == Some("running")
        && words
            .next()
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        && matches!(words.next(), Some("test" | "tests"))
        && words.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(markdown: &str) -> Vec<usize> {
        typed_output(markdown).iter().map(|t| t.line).collect()
    }

    #[test]
    fn finds_output_typed_by_hand() {
        let chapter = "\
# A broken chapter

```console
$ cargo run --release --example threads -- --n 1000 --threads 7
threads         N=1000 T=7  result=332.8335  time=6.8 ms
```

```text
strategy            T       time  speed-up  efficiency
threads             1     1.11 s     1.00x        100%
```

```console
$ cargo run --release --example semaphore
threads=8 permits=3 rounds=5  most at once=3
```

```text
running 6 tests
test result: ok. 6 passed; 0 failed
```

- In a list:

  ```text
  racy N=10 T=2  result=1
  ```
";
        let found = typed_output(chapter);
        assert_eq!(lines_of(chapter), [5, 9, 15, 19, 26], "{found:?}");
        assert_eq!(found[0].what, "an example's report line");
        assert_eq!(found[1].what, "a sweep or comparison table");
        assert_eq!(found[2].what, "the output of a command");
        assert_eq!(found[3].what, "a test run's output");
    }

    #[test]
    fn accepts_includes_commands_to_run_and_refusals() {
        let chapter = "\
```text
{{#include ../measured/amd-epyc-2-cores/threads-t2.txt}}
```

```console
cargo run --release --example threads -- --n 1e9 --threads 2 --compare
$ cargo test --doc
```

```console
$ cargo run --release --example threads -- --n 10 --threads 11
error: --threads 11 is more than --n 10: each thread needs at least one point
```

```rust
let n = 10; // N=10 T=3 in a comment is not a report line
println!(\"running {n} tests\");
```

Prose may say threads N=10 T=3, outside code.
";
        assert_eq!(typed_output(chapter), []);
    }
}
