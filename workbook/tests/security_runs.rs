//! The security suite, runs: everything a run from the page starts dies
//! with it (a `setsid`, a double fork; at its exit, at Stop, at its time
//! limit, when its page goes, even a silent run), nothing it prints reaches
//! the page after it is over, and it is held to its limits (memory,
//! processes and threads, file size, no core dumps, 1 MiB of output passed
//! on, a page that stops reading does not grow the server). The runs are
//! checks of a fixture exercise whose code is the test's (they build in
//! seconds), and one snippet on the real workbook. Linux: the containment
//! is Linux's (see the README for macOS). Every wait is bounded.
#![cfg(target_os = "linux")]

mod common;
#[path = "common/served.rs"]
mod served;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use served::{Served, get, post, post_head, serve};

/// The tiny book with the fixture exercises (whose checks have no
/// dependencies), the learner's `01_pass.rs` replaced by `code`.
fn workbook_with(code: &str) -> tempfile::TempDir {
    let dir = common::fixture_copy();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exercises");
    common::copy_dir(&fixture, &dir.path().join("exercises"));
    std::fs::write(dir.path().join("exercises/01_pass.rs"), code).unwrap();
    dir
}

/// The learner's `answer()`: `body` runs first, with `wait_for(path)`
/// (until a file exists, at most 20 s) and `at(name)` (a path in `dir`) at
/// hand; then it answers 42, which passes the check.
fn learner(dir: &Path, body: &str) -> String {
    format!(
        r#"//! The learner's file, as a test writes it.
#[allow(dead_code)]
fn at(name: &str) -> String {{
    format!("{dir}/{{name}}")
}}

#[allow(dead_code)]
fn wait_for(path: &str) {{
    for _ in 0..400 {{
        if std::path::Path::new(path).exists() {{
            return;
        }}
        std::thread::sleep(std::time::Duration::from_millis(50));
    }}
}}

/// Writes `text` to `path` whole (a reader never sees half of it).
#[allow(dead_code)]
fn put(path: &str, text: &str) {{
    let part = format!("{{path}}.part");
    std::fs::write(&part, text).unwrap();
    std::fs::rename(part, path).unwrap();
}}

pub fn answer() -> u32 {{
{body}
    42
}}
"#,
        dir = dir.display()
    )
}

/// A check's stream, read as it comes.
struct Run {
    reader: BufReader<TcpStream>,
    seen: Vec<Value>,
}

impl Run {
    fn check(served: &Served) -> Run {
        let mut stream = TcpStream::connect(("127.0.0.1", served.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        std::io::Write::write_all(
            &mut stream,
            format!(
                "{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                post_head(served, "/__workbook/api/exercise/01_pass/check")
            )
            .as_bytes(),
        )
        .unwrap();
        Run {
            reader: BufReader::new(stream),
            seen: Vec::new(),
        }
    }

    /// The next event, or `None` at the end of the stream; fails the test
    /// if nothing comes before `deadline`.
    fn next(&mut self, deadline: Instant) -> Option<Value> {
        let mut line = String::new();
        loop {
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) if line.ends_with('\n') => {
                    if let Some(at) = line.find('{')
                        && let Ok(event) = serde_json::from_str::<Value>(&line[at..])
                    {
                        self.seen.push(event.clone());
                        return Some(event);
                    }
                    line.clear();
                }
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("reading the run: {e}"),
            }
            assert!(
                Instant::now() < deadline,
                "the run said nothing more in time; so far: {:?}",
                self.seen
            );
        }
    }

    /// Reads until an event `matches`; that event.
    fn until(&mut self, matches: impl Fn(&Value) -> bool, limit: Duration) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            match self.next(deadline) {
                Some(event) if matches(&event) => return event,
                Some(_) => {}
                None => panic!("the run ended first: {:?}", self.seen),
            }
        }
    }

    fn done(&mut self) -> Value {
        self.until(|e| e["event"] == "done", Duration::from_secs(300))
    }

    /// What comes after the done event: the stream must end.
    fn rest(&mut self, limit: Duration) -> Vec<Value> {
        let deadline = Instant::now() + limit;
        let mut after = Vec::new();
        while let Some(event) = self.next(deadline) {
            after.push(event);
        }
        after
    }

    fn stdout(&self) -> String {
        self.seen
            .iter()
            .filter(|e| e["event"] == "output" && e["stream"] == "stdout")
            .filter_map(|e| e["text"].as_str())
            .collect()
    }
}

/// The pid written in `file` (waiting up to 60 s for it).
fn pid_in(file: &Path) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(text) = std::fs::read_to_string(file)
            && let Ok(pid) = text.trim().parse()
        {
            return pid;
        }
        assert!(Instant::now() < deadline, "{} never came", file.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether process `pid`, whose command line holds `marker`, is gone
/// within 15 s (a zombie is gone; so is a process that has another command
/// line: the pid was reused).
fn gone(pid: u32, marker: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        let dead = stat.is_empty() || stat.contains(") Z ") || !cmdline.contains(marker);
        if dead || Instant::now() > deadline {
            return dead;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts a `setsid` process that sleeps (`sleep MARKER`) and writes its pid to `name`.
fn setsid_sleeper(name: &str, marker: &str) -> String {
    format!(
        r#"    let _ = std::process::Command::new("setsid")
        .args(["sh", "-c", &format!("echo $$ > {{0}}.part && mv {{0}}.part {{0}}; exec sleep {marker}", at("{name}"))])
        .spawn();
    wait_for(&at("{name}"));"#
    )
}

#[test]
fn a_setsid_process_dies_when_its_run_ends() {
    let dir = tempfile::tempdir().unwrap();
    let root = workbook_with(&learner(dir.path(), &setsid_sleeper("escaped", "3601")));
    let served = serve(root.path(), &[]);
    let mut run = Run::check(&served);
    let done = run.done();
    assert_eq!(done["outcome"], "passed", "{:?}", run.seen);
    let pid = pid_in(&dir.path().join("escaped"));
    assert!(
        gone(pid, "3601"),
        "the setsid'd sleep {pid} outlived its run"
    );
}

#[test]
fn a_double_forked_process_dies_when_its_run_ends() {
    let dir = tempfile::tempdir().unwrap();
    // In a process group of its own, which it leaves to the orphan: killing
    // the run's group would not reach it.
    let body = r#"    use std::os::unix::process::CommandExt;
    let _ = std::process::Command::new("sh")
        .args(["-c", &format!("(sleep 3602 & echo $! > {0}.part && mv {0}.part {0}) &", at("orphan"))])
        .process_group(0)
        .status();
    wait_for(&at("orphan"));"#;
    let root = workbook_with(&learner(dir.path(), body));
    let served = serve(root.path(), &[]);
    let mut run = Run::check(&served);
    assert_eq!(run.done()["outcome"], "passed", "{:?}", run.seen);
    let pid = pid_in(&dir.path().join("orphan"));
    assert!(
        gone(pid, "3602"),
        "the orphaned sleep {pid} outlived its run"
    );
}

/// A check that starts a `setsid` sleeper (pid in `escaped`), writes its
/// own pid (in `me`), then waits for ever, printing nothing.
fn endless(dir: &Path, marker: &str) -> String {
    learner(
        dir,
        &format!(
            "{}\n    put(&at(\"me\"), &std::process::id().to_string());\n    std::thread::sleep(std::time::Duration::from_secs(3600));",
            setsid_sleeper("escaped", marker)
        ),
    )
}

#[test]
fn stop_ends_everything_the_run_started() {
    let dir = tempfile::tempdir().unwrap();
    let root = workbook_with(&endless(dir.path(), "3603"));
    let served = serve(root.path(), &["--check-timeout", "600"]);
    let mut run = Run::check(&served);
    let id = run.until(|e| e["event"] == "started", Duration::from_secs(60))["run"].clone();
    let (escaped, main) = (
        pid_in(&dir.path().join("escaped")),
        pid_in(&dir.path().join("me")),
    );
    let stop = post(
        &served,
        "/__workbook/api/run/stop",
        &format!(r#"{{"run":{id}}}"#),
    );
    assert_eq!(stop.status, 200, "{}", stop.body);
    assert_eq!(run.done()["outcome"], "stopped", "{:?}", run.seen);
    assert!(
        gone(escaped, "3603"),
        "the setsid'd sleep {escaped} outlived Stop"
    );
    assert!(gone(main, "01_pass"), "the check {main} outlived Stop");
}

#[test]
fn the_time_limit_ends_everything_the_run_started() {
    let dir = tempfile::tempdir().unwrap();
    let root = workbook_with(&endless(dir.path(), "3604"));
    let served = serve(root.path(), &["--check-timeout", "5"]);
    let mut run = Run::check(&served);
    let done = run.done();
    assert_eq!(done["outcome"], "timed_out", "{:?}", run.seen);
    let (escaped, main) = (
        pid_in(&dir.path().join("escaped")),
        pid_in(&dir.path().join("me")),
    );
    assert!(
        gone(escaped, "3604"),
        "the setsid'd sleep {escaped} outlived the limit"
    );
    assert!(gone(main, "01_pass"), "the check {main} outlived the limit");
}

#[test]
fn a_silent_run_ends_when_its_page_goes() {
    let dir = tempfile::tempdir().unwrap();
    let root = workbook_with(&endless(dir.path(), "3605"));
    let served = serve(root.path(), &["--check-timeout", "600"]);
    let mut run = Run::check(&served);
    run.until(|e| e["event"] == "started", Duration::from_secs(60));
    let (escaped, main) = (
        pid_in(&dir.path().join("escaped")),
        pid_in(&dir.path().join("me")),
    );
    // The page goes: its connection closes, while the run prints nothing.
    drop(run);
    assert!(gone(main, "01_pass"), "the check {main} outlived its page");
    assert!(
        gone(escaped, "3605"),
        "the setsid'd sleep {escaped} outlived its page"
    );
    assert_eq!(get(&served, "/").status, 200);
}

#[test]
fn nothing_reaches_the_page_after_the_run_is_over() {
    let dir = tempfile::tempdir().unwrap();
    // A setsid'd process that prints on the run's stdout for ever.
    let body = r#"    let _ = std::process::Command::new("setsid")
        .args(["sh", "-c", &format!("echo $$ > {0}.part && mv {0}.part {0}; while :; do echo tick 3606; sleep 0.05; done", at("ticker"))])
        .spawn();
    wait_for(&at("ticker"));
    std::thread::sleep(std::time::Duration::from_millis(300));"#;
    let root = workbook_with(&learner(dir.path(), body));
    let served = serve(root.path(), &[]);
    let mut run = Run::check(&served);
    assert_eq!(run.done()["outcome"], "passed", "{:?}", run.seen);
    assert!(run.stdout().contains("tick 3606"), "{:?}", run.seen);
    let after = run.rest(Duration::from_secs(30));
    assert!(after.is_empty(), "events after done: {after:?}");
    let pid = pid_in(&dir.path().join("ticker"));
    assert!(gone(pid, "sh"), "the ticker {pid} outlived its run");
}

#[test]
fn a_run_that_uses_too_much_memory_is_stopped_and_told_so() {
    let dir = tempfile::tempdir().unwrap();
    // 1.5 GiB, touched, against a limit of 512 MiB (a check's build needs
    // far less: the compiler of this crate stays under 200 MiB).
    let body = r#"    let memory = vec![1u8; 1536 << 20];
    std::hint::black_box(&memory);
    std::thread::sleep(std::time::Duration::from_secs(60));"#;
    let root = workbook_with(&learner(dir.path(), body));
    let served = serve(root.path(), &["--max-memory", "512MiB"]);
    let mut run = Run::check(&served);
    let done = run.done();
    assert_eq!(
        done["message"],
        "✗ 01_pass failed: the check used more than 512 MiB of memory and was stopped",
        "{:?}",
        run.seen
    );
}

#[test]
fn a_run_that_starts_too_many_threads_is_stopped_and_told_so() {
    let dir = tempfile::tempdir().unwrap();
    // 400 threads against a limit of 100 (the build needs a few dozen).
    // Past the kernel's limit (not root) a spawn fails: the others wait.
    let body = r#"    let _threads: Vec<_> = (0..400)
        .filter_map(|_| std::thread::Builder::new()
            .spawn(|| std::thread::sleep(std::time::Duration::from_secs(60)))
            .ok())
        .collect();
    std::thread::sleep(std::time::Duration::from_secs(60));"#;
    let root = workbook_with(&learner(dir.path(), body));
    let served = serve(root.path(), &["--max-processes", "100"]);
    let mut run = Run::check(&served);
    let done = run.done();
    assert_eq!(
        done["message"],
        "✗ 01_pass failed: the check started more than 100 processes and threads and was stopped",
        "{:?}",
        run.seen
    );
}

#[test]
fn a_run_that_writes_too_large_a_file_is_stopped_and_told_so() {
    let dir = tempfile::tempdir().unwrap();
    // 128 MiB against a limit of 64 MiB (the build's largest file, the
    // check's program, is a few MiB).
    let body = r#"    std::fs::write(at("large"), vec![0u8; 128 << 20]).unwrap();"#;
    let root = workbook_with(&learner(dir.path(), body));
    let served = serve(root.path(), &["--max-file-size", "64MiB"]);
    let mut run = Run::check(&served);
    let done = run.done();
    assert_eq!(
        done["message"],
        "✗ 01_pass failed: the check wrote a file larger than 64 MiB and was stopped",
        "{:?}",
        run.seen
    );
    let written = std::fs::metadata(dir.path().join("large")).unwrap().len();
    assert_eq!(written, 64 << 20, "the file stopped at the limit");
}

#[test]
fn a_run_has_its_limits_and_dumps_no_core() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"    put(&at("limits"), &std::fs::read_to_string("/proc/self/limits").unwrap());"#;
    let root = workbook_with(&learner(dir.path(), body));
    let served = serve(
        root.path(),
        &["--max-file-size", "300MiB", "--max-processes", "700"],
    );
    let mut run = Run::check(&served);
    assert_eq!(run.done()["outcome"], "passed", "{:?}", run.seen);
    let limits = std::fs::read_to_string(dir.path().join("limits")).unwrap();
    let row = |name: &str| -> Vec<String> {
        let line = limits
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {limits}"));
        line[name.len()..]
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    assert_eq!(row("Max core file size")[..2], ["0", "0"], "{limits}");
    let bytes = (300u64 << 20).to_string();
    assert_eq!(
        row("Max file size")[..2],
        [bytes.clone(), bytes],
        "{limits}"
    );
    // The user's tasks at the start of the run, and 700 more (and two for
    // the keeper): a number, not "unlimited".
    let processes: u64 = row("Max processes")[0]
        .parse()
        .unwrap_or_else(|_| panic!("{limits}"));
    assert!(processes > 700, "{limits}");
}

#[test]
fn a_checks_output_reaches_the_page_only_up_to_1_mib() {
    let dir = tempfile::tempdir().unwrap();
    // 3 MiB on stdout itself (libtest's capture does not hold it), then a pass.
    let body = r#"    use std::io::Write;
    let line = [b'x'; 1023].iter().chain(b"\n").copied().collect::<Vec<u8>>();
    let mut out = std::io::stdout().lock();
    for _ in 0..3072 {
        out.write_all(&line).unwrap();
    }
    out.flush().unwrap();"#;
    let root = workbook_with(&learner(dir.path(), body));
    let served = serve(root.path(), &[]);
    let mut run = Run::check(&served);
    let done = run.done();
    assert_eq!(done["outcome"], "passed", "the verdict still comes");
    assert_eq!(done["truncated"], true);
    let shown = run.stdout().len();
    assert!(
        (workbook::serve::OUTPUT_LIMIT / 2..=workbook::serve::OUTPUT_LIMIT).contains(&shown),
        "{shown} bytes of stdout reached the page"
    );
}

/// The server's resident memory, in bytes.
fn resident(served: &Served) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", served.pid())).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb * 1024
}

#[test]
fn a_page_that_stops_reading_does_not_grow_the_server() {
    let dir = tempfile::tempdir().unwrap();
    // 400 MiB on stdout, as fast as it goes.
    let body = r#"    use std::io::Write;
    let block = vec![b'y'; 1 << 20];
    let mut out = std::io::stdout().lock();
    for _ in 0..400 {
        if out.write_all(&block).is_err() {
            break;
        }
    }"#;
    let root = workbook_with(&learner(dir.path(), body));
    let served = serve(root.path(), &["--check-timeout", "20"]);
    let before = resident(&served);
    let mut run = Run::check(&served);
    run.until(|e| e["event"] == "output", Duration::from_secs(120));
    // The page reads no more for a while: the program is held back.
    std::thread::sleep(Duration::from_secs(8));
    let held = resident(&served);
    assert!(
        held < before + (64 << 20),
        "the server grew from {before} to {held} bytes"
    );
    run.done();
    assert_eq!(get(&served, "/").status, 200);
}

/// A snippet on the real workbook, as the page runs it: what it started
/// with `setsid` and by a double fork dies with it.
#[test]
fn a_snippets_escaped_processes_die_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let (setsid, orphan) = (dir.path().join("setsid"), dir.path().join("orphan"));
    let code = format!(
        r#"use std::os::unix::process::CommandExt;
use std::process::Command;
fn main() {{
    Command::new("setsid")
        .args(["sh", "-c", "echo $$ > {0}.part && mv {0}.part {0}; exec sleep 3607"])
        .spawn()
        .unwrap();
    Command::new("sh")
        .args(["-c", "(sleep 3608 & echo $! > {1}.part && mv {1}.part {1}) &"])
        .process_group(0)
        .status()
        .unwrap();
    while !(std::path::Path::new("{0}").exists() && std::path::Path::new("{1}").exists()) {{
        std::thread::sleep(std::time::Duration::from_millis(20));
    }}
    println!("started both");
}}
"#,
        setsid.display(),
        orphan.display()
    );
    let served = serve(&common::repo_root(), &["--snippet-timeout", "120"]);
    let reply = post(
        &served,
        "/__workbook/api/run/snippet",
        &serde_json::json!({ "code": code }).to_string(),
    );
    assert_eq!(served::done(&reply)["outcome"], "exited", "{}", reply.body);
    assert!(served::stdout_of(&reply).contains("started both"));
    let (a, b) = (pid_in(&setsid), pid_in(&orphan));
    assert!(
        gone(a, "3607"),
        "the setsid'd sleep {a} outlived the snippet"
    );
    assert!(
        gone(b, "3608"),
        "the orphaned sleep {b} outlived the snippet"
    );
}
