//! Exercise pages against a real server: Save never loses a version (a
//! backup every time, a refusal when the file changed on disk), Check is
//! `cargo workbook check` in the run queue, the solution waits for a pass,
//! Reset keeps a backup, an edit outside the page is announced, and nothing
//! is answered to a foreign page.

mod common;
#[path = "common/served.rs"]
mod served;

use std::io::BufRead;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use served::{
    Reply, Served, done, events, get, open, open_events, post, post_head, request, serve,
};

/// The tiny book with the fixture exercises, committed in a git repository
/// of its own (Reset restores the committed version).
fn workbook_root() -> tempfile::TempDir {
    let dir = common::fixture_copy();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exercises");
    common::copy_dir(&fixture, &dir.path().join("exercises"));
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "fixture",
        ],
    ] {
        let mut git = Command::new("git");
        git.args(args).current_dir(dir.path());
        assert!(
            common::run_bounded(git, "", Duration::from_secs(60))
                .status
                .success()
        );
    }
    dir
}

fn json(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.body))
}

fn save(served: &Served, name: &str, content: &str, base: &str, overwrite: bool) -> Reply {
    let body = serde_json::json!({ "content": content, "base": base, "overwrite": overwrite });
    post(
        served,
        &format!("/__workbook/api/exercise/{name}/save"),
        &body.to_string(),
    )
}

/// The backups of `name`'s file, kept out of the exercises folder (where
/// none may be).
fn backups(root: &Path, name: &str) -> Vec<String> {
    let named = |dir: &Path| -> Vec<String> {
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(&format!("{name}.rs.backup-")))
            .collect();
        found.sort();
        found
    };
    assert_eq!(named(&root.join("exercises")), Vec::<String>::new());
    named(&backups_dir(root))
}

fn backups_dir(root: &Path) -> std::path::PathBuf {
    root.join(".workbook/backups/exercises")
}

fn read(root: &Path, name: &str) -> String {
    std::fs::read_to_string(root.join("exercises").join(format!("{name}.rs"))).unwrap()
}

#[test]
fn save_keeps_every_version_and_refuses_what_it_has_not_seen() {
    let dir = workbook_root();
    let root = dir.path();
    let served = serve(root, &[]);
    let port = served.port;

    let loaded = get(&served, "/__workbook/api/exercise/02_fail");
    assert_eq!(loaded.status, 200);
    let loaded = json(&loaded);
    assert_eq!(loaded["file"], "exercises/02_fail.rs");
    assert_eq!(loaded["content"], read(root, "02_fail"));
    assert_eq!(loaded["status"], "not-started");
    let first = loaded["content"].as_str().unwrap().to_string();
    let v1 = loaded["version"].as_str().unwrap().to_string();

    // A foreign page, or a browser not signed in, cannot save.
    let body = serde_json::json!({ "content": "stolen", "base": v1 }).to_string();
    for (origin, cookie, refused) in [
        (
            format!("http://127.0.0.1:{port}"),
            "X-Signed-In: no".to_string(),
            401,
        ),
        (
            "http://evil.example".to_string(),
            served.cookie_header(),
            403,
        ),
    ] {
        let reply = request(
            port,
            &format!(
                "POST /__workbook/api/exercise/02_fail/save HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\n{cookie}\r\nContent-Type: application/json"
            ),
            &body,
            Duration::from_secs(60),
        );
        assert_eq!(reply.status, refused);
    }
    assert_eq!(read(root, "02_fail"), first);
    assert_eq!(
        get(&served, "/__workbook/api/exercise/02_fail/save").status,
        405
    );

    // Unknown exercises and paths are not found.
    assert_eq!(get(&served, "/__workbook/api/exercise/99_none").status, 404);
    assert_eq!(save(&served, "99_none", "x", "", false).status, 404);
    assert_eq!(
        get(&served, "/__workbook/api/exercise/..%2FCargo.toml").status,
        404
    );
    let huge = "x".repeat(workbook::serve::BODY_LIMIT + 1);
    assert_eq!(save(&served, "02_fail", &huge, &v1, false).status, 413);

    // A save: the file holds it, the previous version is a backup.
    let second = first.replace("41", "40");
    let saved = save(&served, "02_fail", &second, &v1, false);
    assert_eq!(saved.status, 200, "{}", saved.body);
    let v2 = json(&saved)["version"].as_str().unwrap().to_string();
    assert_eq!(read(root, "02_fail"), second);
    let kept = backups(root, "02_fail");
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(backups_dir(root).join(&kept[0])).unwrap(),
        first
    );

    // The learner's own editor changes the file: a save from the page that
    // has not seen it is refused, and both versions survive.
    let outside = format!("{second}\n// written in another editor\n");
    std::fs::write(root.join("exercises/02_fail.rs"), &outside).unwrap();
    let page = format!("{second}\n// written in the page\n");
    let refused = save(&served, "02_fail", &page, &v2, false);
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert_eq!(json(&refused)["disk_content"], outside);
    assert_eq!(read(root, "02_fail"), outside, "the disk version survives");
    // Saving it anyway is an explicit choice, and keeps the other as a backup.
    let forced = save(&served, "02_fail", &page, &v2, true);
    assert_eq!(forced.status, 200, "{}", forced.body);
    assert_eq!(read(root, "02_fail"), page);
    let kept = backups(root, "02_fail");
    assert_eq!(kept.len(), 2);
    assert!(
        kept.iter()
            .any(|b| std::fs::read_to_string(backups_dir(root).join(b)).unwrap() == outside)
    );

    // Reset: the committed version back, the learner's as a backup.
    let reset = post(&served, "/__workbook/api/exercise/02_fail/reset", "");
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert_eq!(json(&reset)["outcome"], "reset");
    assert_eq!(read(root, "02_fail"), first);
    assert_eq!(backups(root, "02_fail").len(), 3);
}

/// Waits on the event stream for the notice about `name` that carries the
/// version the server now loads. An edit written in place (truncate, then
/// write) may be seen half-way, as an empty file, and announced as such
/// before the notice of the whole edit: a page takes the latest notice,
/// and so does this. A notice that never names the right version fails
/// the test at the stream's read limit.
fn notice_after(served: &Served, name: &str, edit: impl FnOnce()) -> Value {
    let mut reader = open_events(served, Duration::from_secs(60));
    let mut line = String::new();
    // The first event (the version) says the stream is open.
    while !line.starts_with("data:") {
        line.clear();
        reader.read_line(&mut line).expect("the first event");
    }
    edit();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("a notice in time");
        if let Some(data) = line.trim().strip_prefix("data:")
            && let Ok(notice) = serde_json::from_str::<Value>(data.trim())
            && notice["name"] == name
            && notice["version"]
                == json(&get(served, &format!("/__workbook/api/exercise/{name}")))["version"]
        {
            return notice;
        }
    }
}

#[test]
fn check_is_the_checker_and_the_solution_waits_for_a_pass() {
    let dir = workbook_root();
    let root = dir.path();
    let served = serve(root, &["--check-timeout", "2"]);
    let check = |name: &str| {
        post(
            &served,
            &format!("/__workbook/api/exercise/{name}/check"),
            "",
        )
    };

    let failed = check("02_fail");
    let verdict = done(&failed);
    assert_eq!(verdict["outcome"], "failed", "{}", failed.body);
    assert_eq!(verdict["message"], "✗ 02_fail failed: 1 of 2 checks failed");
    let failures = verdict["detail"]["failures"].as_array().unwrap();
    assert_eq!(failures[0]["test"], "the_answer_is_42");
    assert!(
        failures[0]["message"]
            .as_str()
            .unwrap()
            .contains("left: 41")
    );
    assert_eq!(
        json(&get(&served, "/__workbook/status.json"))["exercises"]["02_fail"]["status"],
        "failed"
    );
    assert_eq!(
        get(&served, "/__workbook/api/exercise/02_fail/solution").status,
        403
    );

    let compile = check("03_compile_error");
    assert_eq!(done(&compile)["outcome"], "does_not_compile");
    assert!(
        events(&compile)
            .iter()
            .any(|e| e["event"] == "compile_error"
                && e["rendered"]
                    .as_str()
                    .unwrap()
                    .contains("03_compile_error.rs:")),
        "the compiler's error, with its file and line: {}",
        compile.body
    );

    // An endless check: the checker's verdict at its limit, and the server answers.
    let hung = check("04_deadlock");
    assert_eq!(done(&hung)["outcome"], "timed_out", "{}", hung.body);
    assert_eq!(
        done(&hung)["message"],
        "✗ 04_deadlock did not finish in 2 s — a deadlock or an endless loop?"
    );
    assert_eq!(get(&served, "/").status, 200);

    // The fix, saved from the page: the check passes, the solution opens.
    let fixed = std::fs::read_to_string(root.join("exercises/solutions/02_fail.rs")).unwrap();
    let base = json(&get(&served, "/__workbook/api/exercise/02_fail"))["version"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(save(&served, "02_fail", &fixed, &base, false).status, 200);
    assert_eq!(done(&check("02_fail"))["outcome"], "passed");
    let solution = get(&served, "/__workbook/api/exercise/02_fail/solution");
    assert_eq!(solution.status, 200);
    assert_eq!(json(&solution)["content"], fixed);
    let hint = json(&get(&served, "/__workbook/api/exercise/02_fail/hint"));
    assert_eq!(hint["hint"], "The answer is 42, not 41.");

    // An edit made outside the page is announced to open pages.
    let notice = notice_after(&served, "01_pass", || {
        let file = root.join("exercises/01_pass.rs");
        let mut text = std::fs::read_to_string(&file).unwrap();
        text.push_str("\n// edited outside\n");
        std::fs::write(&file, text).unwrap();
    });
    assert_eq!(notice["kind"], "exercise");
    assert!(
        json(&get(&served, "/__workbook/api/exercise/01_pass"))["content"]
            .as_str()
            .unwrap()
            .ends_with("// edited outside\n"),
        "the version announced is the edited file"
    );
    // The pages' scripts hear the notices on one event stream for all tabs
    // (a SharedWorker holds it), not on a connection each: a browser gives a
    // host six (tests/browser/tabs.test.mjs opens ten tabs).
    let page = get(&served, "/");
    assert!(
        page.body
            .contains(r#"new SharedWorker("/__workbook/events-worker.js""#)
            && page.body.contains("window.workbookEvents = events;"),
        "a served page shares its event stream: {}",
        page.body
    );
    let worker = get(&served, "/__workbook/events-worker.js");
    assert_eq!(worker.status, 200);
    assert!(
        worker
            .headers
            .to_ascii_lowercase()
            .contains("content-type: text/javascript"),
        "{}",
        worker.headers
    );
    assert!(
        worker
            .body
            .contains(r#"new EventSource("/__workbook/events")"#)
    );
}

#[test]
fn stop_ends_a_check_and_records_nothing() {
    let dir = workbook_root();
    let root = dir.path();
    // A limit the test never reaches: only Stop can end this check.
    let served = serve(root, &["--check-timeout", "600"]);
    let port = served.port;
    // The progress of 04_deadlock as the file says (null when none).
    let deadlock_progress = || {
        std::fs::read(root.join(".workbook/progress.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
            .map_or(Value::Null, |p| p["exercises"]["04_deadlock"].clone())
    };
    let progress_before = deadlock_progress();

    let mut reader = open(
        port,
        &post_head(&served, "/__workbook/api/exercise/04_deadlock/check"),
        "",
        Duration::from_secs(300),
    );
    // Until the check has started (and so has its id) and its tests run.
    let mut run = None;
    let mut seen = String::new();
    while run.is_none() || !seen.contains("running 1 test") {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "{seen}");
        if let Some(json) = line.find('{').map(|at| &line[at..])
            && let Ok(event) = serde_json::from_str::<Value>(json)
            && event["event"] == "started"
        {
            run = event["run"].as_u64();
        }
        seen.push_str(&line);
    }
    // A second check, asked while the first holds the run slot, says it
    // waits its turn (the first can only end by Stop, so it is still there).
    let mut second = open(
        port,
        &post_head(&served, "/__workbook/api/exercise/01_pass/check"),
        "",
        Duration::from_secs(300),
    );
    let mut second_seen = String::new();
    while !second_seen.contains(r#""event":"queued""#) {
        let mut line = String::new();
        assert!(second.read_line(&mut line).unwrap() > 0, "{second_seen}");
        assert!(
            !line.contains(r#""event":"started""#),
            "the second check started while the first ran: {second_seen}{line}"
        );
        second_seen.push_str(&line);
    }
    let stop = post(
        &served,
        "/__workbook/api/run/stop",
        &format!(r#"{{"run":{}}}"#, run.unwrap()),
    );
    assert_eq!(stop.status, 200, "{}", stop.body);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut reader, &mut rest).unwrap();
    seen.push_str(&rest);
    assert!(seen.contains(r#""outcome":"stopped""#), "{seen}");
    // Its processes are gone: the run slot is free, and the waiting check
    // runs and passes.
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut second, &mut rest).unwrap();
    second_seen.push_str(&rest);
    assert!(
        second_seen.contains(r#""outcome":"passed""#),
        "{second_seen}"
    );
    // The second check recorded its pass; the stopped one nothing.
    assert_eq!(
        deadlock_progress(),
        progress_before,
        "a stopped check says nothing of the file: no progress recorded"
    );
}
