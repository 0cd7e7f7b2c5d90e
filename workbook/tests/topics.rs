//! `book/TOPICS.md` maps topics 1..=26 to chapter files: each must exist, be
//! linked from `SUMMARY.md`, and start with a heading.

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
fn topics_table_lists_1_to_26() {
    let numbers: Vec<u32> = topics().iter().map(|t| t.0).collect();
    assert_eq!(numbers, (1..=26).collect::<Vec<_>>());
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
