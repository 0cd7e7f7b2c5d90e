//! Reading what a libtest program printed: its summary line, the failed
//! tests with their messages, and a panic on a thread the learner started.

use std::collections::HashSet;

/// The counts of the last `test result:` line, if the program got that far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
}

/// Output without colour codes (`--color=always` when a terminal shows it).
pub fn plain(text: &str) -> String {
    console::strip_ansi_codes(text).into_owned()
}

pub fn summary(text: &str) -> Option<Summary> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("test result: "))
        .next_back()
        .map(|rest| Summary {
            passed: count(rest, "passed"),
            failed: count(rest, "failed"),
        })
}

/// `N word` in a libtest summary (`3 passed; 2 failed; ...`).
fn count(summary: &str, word: &str) -> usize {
    summary
        .split([';', '.'])
        .filter_map(|part| {
            let mut it = part.split_whitespace();
            let n = it.next()?.parse::<usize>().ok()?;
            (it.next()? == word).then_some(n)
        })
        .next()
        .unwrap_or(0)
}

/// A failed test and the message of its panic (the assertion that failed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub test: String,
    pub message: String,
}

/// Every failed test, in the order libtest reports them, with the message
/// its `---- NAME stdout ----` section gives.
pub fn failures(text: &str) -> Vec<Failure> {
    let failed: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("test "))
        .filter_map(|l| l.strip_suffix(" ... FAILED"))
        .map(str::trim)
        .collect();
    failed
        .iter()
        .map(|&test| {
            let header = format!("---- {test} stdout ----");
            let section: Vec<&str> = text
                .lines()
                .skip_while(|l| l.trim() != header)
                .skip(1)
                .take_while(|l| !l.starts_with("---- ") && l.trim() != "failures:")
                .collect();
            Failure {
                test: test.to_string(),
                message: panic_message(&section).unwrap_or_default(),
            }
        })
        .collect()
}

/// The message after the first `thread '…' panicked at …` line of `lines`.
fn panic_message(lines: &[&str]) -> Option<String> {
    let (i, after) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| panicked_at(l).map(|(_, after)| (i, after)))?;
    // Since Rust 1.73: "thread 'x' panicked at file:line:col:\nmessage" (maybe
    // several lines, up to the `note:` libtest adds or a blank line).
    let message = if after.trim_end().ends_with(':') {
        lines[i + 1..]
            .iter()
            .take_while(|l| {
                !l.trim().is_empty() && !l.starts_with("note: ") && panicked_at(l).is_none()
            })
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        after.trim().to_string()
    };
    Some(message)
}

/// `thread 'NAME' (ID) panicked at REST` -> (NAME, REST).
fn panicked_at(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix("thread '")?;
    let (thread, after) = rest.split_once('\'')?;
    // Newer Rust versions print the thread id after the name: "'x' (123) panicked at".
    let after = after.trim_start();
    let after = match after.strip_prefix('(').and_then(|a| a.split_once(')')) {
        Some((id, a)) if id.chars().all(|c| c.is_ascii_digit()) => a.trim_start(),
        _ => after,
    };
    Some((thread, after.strip_prefix("panicked at ")?))
}

/// The message of the first panic on a thread that is not a test's own
/// thread (libtest names those after the test, or `main`): a thread the
/// exercise (or a check's watchdog running exercise code) started.
pub fn learner_panic(text: &str) -> Option<String> {
    let tests: HashSet<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("test "))
        .filter_map(|l| l.split(" ... ").next())
        .map(str::trim)
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some((thread, _)) = panicked_at(line) else {
            continue;
        };
        if thread == "main" || tests.contains(thread) {
            continue;
        }
        let message = panic_message(&lines[i..]).unwrap_or_default();
        let mut message = crate::message::one_line(&message);
        if message.chars().count() > 200 {
            message = message.chars().take(200).collect::<String>() + "…";
        }
        return Some(if message.is_empty() {
            "(no message)".into()
        } else {
            message
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "\nrunning 3 tests\ntest a ... ok\ntest b ... FAILED\ntest c ... FAILED\n\n\
        failures:\n\n---- b stdout ----\nthread 'worker-1' (77) panicked at checks/../x.rs:3:9:\nboom here\n\
        thread 'b' panicked at checks/x.rs:9:5:\nassertion failed\n\n\
        ---- c stdout ----\nthread 'c' panicked at checks/x.rs:12:5:\nlost 3 updates\nof 10\nnote: run with `RUST_BACKTRACE=1`\n\n\
        failures:\n    b\n    c\n\n\
        test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n";

    #[test]
    fn reads_summaries_failures_and_thread_panics() {
        assert_eq!(learner_panic(OUT).as_deref(), Some("boom here"));
        assert_eq!(
            summary(OUT),
            Some(Summary {
                passed: 1,
                failed: 2
            })
        );
        let failures = failures(OUT);
        assert_eq!(failures.len(), 2);
        assert_eq!(failures[0].test, "b");
        assert_eq!(failures[0].message, "boom here");
        assert_eq!(failures[1].message, "lost 3 updates\nof 10");
        let only_tests = "test b ... FAILED\nthread 'b' panicked at x.rs:1:1:\nno\n";
        assert_eq!(learner_panic(only_tests), None);
        assert_eq!(plain("\x1b[31mFAILED\x1b[0m"), "FAILED");
    }
}
