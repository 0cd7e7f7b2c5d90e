//! `book/TOPICS.md` maps the syllabus's topics (`../shared/COURSE.md`) to
//! chapter files, or to a section of one (`FILE#heading-id`, for a topic the
//! syllabus places inside an existing chapter): each file must exist, be
//! linked from `SUMMARY.md` and start with a heading, and a section's
//! heading must be there. Topics 1 to 26 are the first edition's and Part
//! VI; the second edition's are 27 to 31; the third edition's 32 to 38
//! (SeqCst and fences, lock-free, data races by tool, task parallelism,
//! performance models, MPI messages, async). Every numbered chapter of
//! `SUMMARY.md` lives in a file named for its number (18.1 is `18-1-*.md`),
//! so that no file name or URL disagrees with the number the reader sees.

mod common;

fn topics() -> Vec<(u32, String, String)> {
    let text = std::fs::read_to_string(common::repo_root().join("book/TOPICS.md")).unwrap();
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let [n, title, path] = cells[..] else {
                return None;
            };
            Some((n.parse().ok()?, title.to_string(), path.to_string()))
        })
        .collect()
}

#[test]
fn topics_table_lists_1_to_38_in_order() {
    let numbers: Vec<u32> = topics().iter().map(|t| t.0).collect();
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "topics out of order or listed twice: {numbers:?}"
    );
    for topic in 1..=38 {
        assert!(
            numbers.contains(&topic),
            "topic {topic} is missing: {numbers:?}"
        );
    }
}

#[test]
fn chapters_that_exist_are_in_summary() {
    let root = common::repo_root();
    let summary = std::fs::read_to_string(root.join("book/SUMMARY.md")).unwrap();
    for (n, _, path) in topics() {
        let path = file_of(&path);
        if root.join("book").join(path).is_file() {
            assert!(
                summary.contains(&format!("]({path})")),
                "topic {n}: {path} exists but SUMMARY.md does not link it"
            );
        }
    }
}

#[test]
fn every_topic_has_its_chapter() {
    let root = common::repo_root();
    let summary = std::fs::read_to_string(root.join("book/SUMMARY.md")).unwrap();
    let mut problems = Vec::new();
    for (n, title, target) in topics() {
        let path = file_of(&target);
        let file = root.join("book").join(path);
        match std::fs::read_to_string(&file) {
            Err(_) => problems.push(format!("topic {n} ({title}): book/{path} is missing")),
            Ok(text) => {
                if !text.lines().any(|l| l.starts_with("# ")) {
                    problems.push(format!("topic {n}: book/{path} has no `# ` heading"));
                }
                if let Some((_, id)) = target.split_once('#')
                    && !text
                        .lines()
                        .filter_map(|l| l.strip_prefix("## ").or(l.strip_prefix("### ")))
                        .any(|heading| heading_id(heading) == id)
                {
                    problems.push(format!(
                        "topic {n}: book/{path} has no heading with the id {id}"
                    ));
                }
            }
        }
        if !summary.contains(&format!("]({path})")) {
            problems.push(format!("topic {n}: SUMMARY.md does not link {path}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `FILE#id` -> `FILE`.
fn file_of(target: &str) -> &str {
    target.split('#').next().unwrap_or(target)
}

/// The id mdBook gives a heading: lower case, spaces to `-`, other
/// punctuation dropped (backticks included).
fn heading_id(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn heading_ids_are_mdbooks() {
    assert_eq!(
        heading_id("Uneven work: one chunk each against a queue"),
        "uneven-work-one-chunk-each-against-a-queue"
    );
    assert_eq!(
        heading_id("A pool that outlives the call, and the `while let` trap"),
        "a-pool-that-outlives-the-call-and-the-while-let-trap"
    );
}

/// `- [18.1. Memory ordering](part4/18-1-memory-ordering.md)` -> ("18.1", "part4/18-1-memory-ordering.md").
fn numbered_chapters(summary: &str) -> Vec<(String, String)> {
    summary
        .lines()
        .filter_map(|line| {
            let entry = line.trim_start().strip_prefix("- [")?;
            let (title, rest) = entry.split_once("](")?;
            let path = rest.strip_suffix(')')?;
            let (number, _) = title.split_once(". ")?;
            number
                .split('.')
                .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                .then(|| (number.to_string(), path.to_string()))
        })
        .collect()
}

/// "18.1" -> "18-1-", "5" -> "05-".
fn file_prefix(number: &str) -> String {
    let mut parts = number.split('.');
    let chapter: u32 = parts.next().unwrap_or("").parse().unwrap_or(0);
    let mut prefix = format!("{chapter:02}");
    for part in parts {
        prefix.push('-');
        prefix.push_str(part);
    }
    prefix.push('-');
    prefix
}

#[test]
fn every_chapter_file_is_named_for_its_number() {
    let summary = std::fs::read_to_string(common::repo_root().join("book/SUMMARY.md")).unwrap();
    let chapters = numbered_chapters(&summary);
    assert!(
        chapters.len() >= 29,
        "only {} numbered chapters",
        chapters.len()
    );
    let wrong: Vec<String> = chapters
        .iter()
        .filter(|(number, path)| {
            let file = path.rsplit('/').next().unwrap_or(path);
            !file.starts_with(&file_prefix(number))
        })
        .map(|(number, path)| format!("{number}. is {path}: name it {}...", file_prefix(number)))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn chapter_numbers_become_file_prefixes() {
    assert_eq!(file_prefix("5"), "05-");
    assert_eq!(file_prefix("18.1"), "18-1-");
    assert_eq!(
        numbered_chapters(
            "- [Part IV](part4/README.md)\n    - [22.1. Back-pressure](part4/22-1-back-pressure.md)\n[Preface](preface.md)"
        ),
        [(
            "22.1".to_string(),
            "part4/22-1-back-pressure.md".to_string()
        )]
    );
}
