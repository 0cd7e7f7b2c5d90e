//! `book/TOPICS.md` maps the syllabus's topics (`../shared/COURSE.md`) to
//! chapter files: each must exist, be linked from `SUMMARY.md`, and start
//! with a heading. Topics 1 to 26 are the first edition's and Part VI; the
//! second edition's (27 on) are added as their chapters are written.

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
fn topics_table_lists_1_to_29_in_order() {
    let numbers: Vec<u32> = topics().iter().map(|t| t.0).collect();
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "topics out of order or listed twice: {numbers:?}"
    );
    for topic in 1..=29 {
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
        if root.join("book").join(&path).is_file() {
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
    for (n, title, path) in topics() {
        let file = root.join("book").join(&path);
        match std::fs::read_to_string(&file) {
            Err(_) => problems.push(format!("topic {n} ({title}): book/{path} is missing")),
            Ok(text) => {
                if !text.lines().any(|l| l.starts_with("# ")) {
                    problems.push(format!("topic {n}: book/{path} has no `# ` heading"));
                }
            }
        }
        if !summary.contains(&format!("]({path})")) {
            problems.push(format!("topic {n}: SUMMARY.md does not link {path}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
