//! `book/TOPICS.md` maps the syllabus's topics (`../shared/COURSE.md`) to
//! chapter files, or to a section of one (`FILE#heading-id`, for a topic the
//! syllabus places inside an existing chapter): each file must exist, be
//! linked from `SUMMARY.md` and start with a heading, and a section's
//! heading must be there. Topics 1 to 26 are the first edition's and Part
//! VI; the second edition's are 27 to 31; the third edition's 35 to 38
//! (task parallelism, performance models, MPI messages, async) are listed
//! too, beside 32 to 34 as their chapters arrive.

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
fn topics_table_lists_1_to_31_and_35_to_38_in_order() {
    let numbers: Vec<u32> = topics().iter().map(|t| t.0).collect();
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "topics out of order or listed twice: {numbers:?}"
    );
    for topic in (1..=31).chain(35..=38) {
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
