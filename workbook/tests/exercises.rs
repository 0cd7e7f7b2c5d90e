//! The exercise checker (`list`, `check`, `watch`, `hint`, `solution`,
//! `reset`, `verify`) on copies of the tiny fixture exercise set in
//! `tests/fixtures/exercises` (no dependencies: it builds in about a second).
//! Each test runs the real binary with `WORKBOOK_ROOT` pointing at its own
//! temporary copy; every run is bounded in time.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Generous: the first run in a copy compiles its check (about a second),
/// and other tests compile at the same time.
const LIMIT: Duration = Duration::from_secs(120);

/// A temporary repository root with the fixture as its `exercises/`.
fn fixture_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exercises");
    common::copy_dir(&src, &dir.path().join("exercises"));
    dir
}

fn command(root: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_workbook"));
    cmd.args(args)
        .current_dir(root)
        .env(workbook::paths::ROOT_ENV, root)
        .env_remove("RUST_LOG")
        .env_remove("CARGO_TARGET_DIR")
        .env("RUST_BACKTRACE", "1");
    cmd
}

/// Runs `workbook args` on `root` with `input` on stdin, within [`LIMIT`].
fn run_with_input(root: &Path, args: &[&str], input: &str) -> Output {
    common::run_bounded(command(root, args), input, LIMIT)
}

fn run(root: &Path, args: &[&str]) -> Output {
    run_with_input(root, args, "")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The last non-empty line of stdout: the verdict of `check`.
fn verdict(out: &Output) -> String {
    text(&out.stdout)
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string()
}

/// Fails unless stderr holds exactly one line, an `error: ...`; returns it.
fn one_error_line(out: &Output) -> String {
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "expected failure; stderr:\n{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one line on stderr, got:\n{stderr}"
    );
    assert!(lines[0].starts_with("error: "), "{}", lines[0]);
    for bad in ["panicked", "backtrace", "RUST_BACKTRACE"] {
        assert!(!lines[0].contains(bad), "{}", lines[0]);
    }
    lines[0].to_string()
}

fn progress(root: &Path) -> serde_json::Value {
    let file = root.join(".workbook/progress.json");
    let text = std::fs::read_to_string(&file).expect("progress.json written");
    serde_json::from_str(&text).expect("progress.json is JSON")
}

#[test]
fn passing_check_is_recorded_and_survives_a_restart() {
    let dir = fixture_root();
    let root = dir.path();
    let out = run(root, &["check", "01_pass"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(verdict(&out), "✓ 01_pass passed");
    assert!(text(&out.stdout).contains("test the_answer_is_42 ... ok"));
    let p = progress(root);
    assert_eq!(p["exercises"]["01_pass"]["status"], "passed");
    assert!(p["exercises"]["01_pass"]["checked_at"].as_u64().unwrap() > 1_600_000_000);

    // A new process reads it back.
    let out = run(root, &["list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = text(&out.stdout);
    assert!(list.contains("✓ passed"), "{list}");
    assert!(list.contains("not started"), "{list}");
    assert!(list.contains("1/5 done"), "{list}");
    assert!(list.contains("Next: 02_fail"), "{list}");
    let line = list.lines().find(|l| l.contains("02_fail")).unwrap();
    assert!(line.contains("← next"), "{list}");

    // `check` with no name checks the next one.
    let out = run(root, &["check"]);
    assert_eq!(verdict(&out), "✗ 02_fail failed: 1 of 2 checks failed");
}

#[test]
fn failing_check_counts_the_failed_checks() {
    let dir = fixture_root();
    let out = run(dir.path(), &["check", "2"]);
    assert!(!out.status.success());
    assert_eq!(verdict(&out), "✗ 02_fail failed: 1 of 2 checks failed");
    assert!(
        text(&out.stderr).trim().is_empty() || !text(&out.stderr).contains("error: "),
        "a failed check is not a tool error: {}",
        text(&out.stderr)
    );
    assert_eq!(
        progress(dir.path())["exercises"]["02_fail"]["status"],
        "failed"
    );
    let list = text(&run(dir.path(), &["list"]).stdout);
    assert!(list.contains("✗ failed"), "{list}");
    assert!(list.contains("0/5 done"), "{list}");
}

#[test]
fn compile_error_shows_the_compiler_and_says_so() {
    let dir = fixture_root();
    let out = run(dir.path(), &["check", "03"]);
    assert!(!out.status.success());
    assert_eq!(verdict(&out), "✗ 03_compile_error does not compile");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("error[E0308]"), "{stderr}");
    assert_eq!(
        progress(dir.path())["exercises"]["03_compile_error"]["status"],
        "failed"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn deadlock_is_killed_in_time_with_its_children() {
    let dir = fixture_root();
    let root = dir.path();
    // Build first, so the timing below is the run alone.
    let _ = run(root, &["check", "01"]);
    let started = Instant::now();
    let out = run(root, &["check", "04_deadlock", "--timeout", "1.5"]);
    let took = started.elapsed();
    assert!(!out.status.success());
    assert_eq!(
        verdict(&out),
        "✗ 04_deadlock did not finish in 1.5 s — a deadlock or an endless loop?"
    );
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let pids = std::fs::read_to_string(root.join("exercises/pids.txt")).expect("pids.txt");
    let pids: Vec<u32> = pids
        .split_whitespace()
        .map(|p| p.parse().unwrap())
        .collect();
    assert_eq!(pids.len(), 2, "the test program and its `sleep` child");
    // SIGKILL is immediate, but give the kernel a moment.
    for pid in pids {
        assert!(common::gone(pid), "process {pid} was left running");
    }
    assert_eq!(
        progress(root)["exercises"]["04_deadlock"]["status"],
        "failed"
    );
}

#[test]
fn panic_in_a_spawned_thread_is_named() {
    let dir = fixture_root();
    let out = run(dir.path(), &["check", "05_thread"]);
    assert!(!out.status.success());
    assert_eq!(
        verdict(&out),
        "✗ 05_thread_panic failed: 1 of 1 check failed; a thread panicked: boom in a worker"
    );
}

/// The real exercises' `.cargo/config.toml` has the compiler name the
/// learner's file as the learner knows it, in panic messages too, not as
/// `checks/../NN_name.rs` (the path the check pulls it in by).
#[test]
fn a_panic_names_the_learners_file_as_they_know_it() {
    let dir = fixture_root();
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("../exercises/.cargo");
    common::copy_dir(&config, &dir.path().join("exercises/.cargo"));
    let mut cmd = command(dir.path(), &["check", "05_thread"]);
    // A RUSTFLAGS variable would replace the config's flags.
    cmd.env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    let out = common::run_bounded(cmd, "", LIMIT);
    let printed = text(&out.stdout) + &text(&out.stderr);
    assert!(
        printed.contains("panicked at 05_thread_panic.rs:7:"),
        "{printed}"
    );
    assert!(!printed.contains("checks/.."), "{printed}");
}

#[test]
fn unknown_names_get_a_suggestion() {
    let dir = fixture_root();
    let line = one_error_line(&run(dir.path(), &["check", "deadlok"]));
    assert_eq!(
        line,
        "error: no exercise 'deadlok' — did you mean 04_deadlock?"
    );
    let line = one_error_line(&run(dir.path(), &["hint", "pas"]));
    assert_eq!(line, "error: no exercise 'pas' — did you mean 01_pass?");
    let line = one_error_line(&run(dir.path(), &["check", "0"]));
    assert!(line.contains("could be 01_pass, 02_fail"), "{line}");
    let line = one_error_line(&run(dir.path(), &["check", "9"]));
    assert!(line.starts_with("error: no exercise '9'"), "{line}");
    let line = one_error_line(&run(dir.path(), &["check", "1", "--timeout=-1"]));
    assert!(line.contains("--timeout"), "{line}");
    assert!(
        !dir.path().join(".workbook").exists(),
        "nothing recorded for bad input"
    );
}

#[test]
fn hint_and_solution() {
    let dir = fixture_root();
    let root = dir.path();
    let out = run(root, &["hint", "2"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("The answer is 42, not 41."));
    assert!(text(&out.stdout).contains("book/part1/02-fail.md"));

    let line = one_error_line(&run(root, &["solution", "02"]));
    assert!(line.contains("has not passed its check yet"), "{line}");
    assert!(line.contains("--force"), "{line}");
    let out = run(root, &["solution", "02", "--force"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("42"));

    assert!(run(root, &["check", "01"]).status.success());
    let out = run(root, &["solution", "01"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("pub fn answer()"));
}

#[test]
fn deleted_exercise_file_is_one_line() {
    let dir = fixture_root();
    std::fs::remove_file(dir.path().join("exercises/02_fail.rs")).unwrap();
    let line = one_error_line(&run(dir.path(), &["check", "02_fail"]));
    assert_eq!(
        line,
        "error: exercises/02_fail.rs is missing (deleted or moved?): `cargo workbook reset 02_fail` restores it"
    );
}

#[test]
fn missing_exercise_table_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let line = one_error_line(&run(dir.path(), &["list"]));
    assert!(
        line.contains("exercises/exercises.toml not found"),
        "{line}"
    );
}

#[cfg(unix)]
#[test]
fn read_only_progress_file_is_a_clear_error_after_the_verdict() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixture_root();
    let state = dir.path().join(".workbook");
    std::fs::create_dir_all(&state).unwrap();
    let file = state.join("progress.json");
    std::fs::write(&file, "{\"exercises\": {}}\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = run(dir.path(), &["check", "01"]);
    assert_eq!(
        verdict(&out),
        "✓ 01_pass passed",
        "the result is still shown"
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    // cargo's own progress lines ("Compiling", "Finished") come first.
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let line = errors[0];
    assert!(
        line.starts_with("error: cannot save your progress to .workbook/progress.json"),
        "{line}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "{\"exercises\": {}}\n"
    );
}

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(root)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

/// The backups of `name`'s file: under `.workbook/backups/exercises/`,
/// never beside the file.
fn backups(root: &Path, name: &str) -> Vec<PathBuf> {
    let beside = std::fs::read_dir(root.join("exercises"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".backup-"))
        .count();
    assert_eq!(beside, 0, "a backup beside the learner's files");
    let mut v: Vec<PathBuf> = std::fs::read_dir(root.join(".workbook/backups/exercises"))
        .into_iter()
        .flatten()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{name}.rs.backup-"))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn reset_restores_the_committed_version_and_keeps_a_backup() {
    let dir = fixture_root();
    let root = dir.path();
    let exercises = root.join("exercises");
    let file = exercises.join("02_fail.rs");
    let original = std::fs::read_to_string(&file).unwrap();

    // No git repository: an error, and nothing changes.
    std::fs::write(&file, "// mine\n").unwrap();
    let line = one_error_line(&run(root, &["reset", "02", "--yes"]));
    assert!(line.contains("nothing was changed"), "{line}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "// mine\n");
    assert!(backups(root, "02_fail").is_empty());

    git(root, &["init", "-q"]);
    git(root, &["add", "exercises"]);
    std::fs::write(&file, &original).unwrap();
    git(root, &["add", "exercises"]);
    git(root, &["commit", "-q", "-m", "fixture"]);
    std::fs::write(&file, "// my attempt\n").unwrap();
    assert!(!run(root, &["check", "02"]).status.success());

    // Without --yes it asks; anything but y leaves the file alone.
    let out = run_with_input(root, &["reset", "02"], "n\n");
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("Reset exercises/02_fail.rs? [y/N]"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "// my attempt\n");
    assert!(backups(root, "02_fail").is_empty());

    let out = run_with_input(root, &["reset", "02"], "y\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    let saved = backups(root, "02_fail");
    assert_eq!(saved.len(), 1);
    assert_eq!(
        std::fs::read_to_string(&saved[0]).unwrap(),
        "// my attempt\n"
    );
    let shown = format!(
        "Saved your version to .workbook/backups/exercises/{}",
        saved[0].file_name().unwrap().to_string_lossy()
    );
    assert!(text(&out.stdout).contains(&shown), "{}", text(&out.stdout));
    // The exercise is not started again.
    assert!(progress(root)["exercises"].get("02_fail").is_none());

    // A deleted file comes back too (nothing to back up).
    std::fs::remove_file(&file).unwrap();
    let out = run(root, &["reset", "02_fail", "--yes"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    assert_eq!(backups(root, "02_fail").len(), 1);

    let line = one_error_line(&run(root, &["reset", "02", "--yes", "--from", "nosuchrev"]));
    assert!(line.contains("nothing was changed"), "{line}");
}

#[test]
fn verify_fails_what_must_fail_and_passes_solutions_without_touching_files() {
    let dir = fixture_root();
    let root = dir.path();
    let exercises = root.join("exercises");
    let before: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&exercises)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    let out = run(root, &["verify", "--timeout", "1.5"]);
    let stdout = text(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    let row = |name: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row for {name}:\n{stdout}"))
            .to_string()
    };
    // 01 passes as given and 03 does not compile: both wrong for a starting file.
    assert!(row("01_pass").contains("✗ passes"), "{stdout}");
    assert!(row("02_fail").contains("✓ fails (1/2)"), "{stdout}");
    assert!(
        row("03_compile_error").contains("✗ does not compile"),
        "{stdout}"
    );
    assert!(row("04_deadlock").contains("✗ hangs (> 1.5 s)"), "{stdout}");
    assert!(row("05_thread_panic").contains("✓ fails (1/1)"), "{stdout}");
    // 02's wrong solutions: one fails as it must, one passes (named below);
    // its unusual solution passes.
    assert!(row("02_fail").contains("✗ 1/2 fail"), "{stdout}");
    assert!(row("02_fail").contains("✓ 1/1 pass"), "{stdout}");
    assert!(
        stdout.contains(
            "--- 02_fail (exercises/wrong/02_fail/passes_anyway.rs, must fail): ✗ passes"
        ),
        "{stdout}"
    );
    for name in [
        "01_pass",
        "03_compile_error",
        "04_deadlock",
        "05_thread_panic",
    ] {
        // The solution passes, with its time; the fixture has no wrong or
        // unusual solutions, so their columns say "–".
        assert!(
            row(name).contains("✓ passes (") && row(name).trim_end().ends_with("–"),
            "{stdout}"
        );
    }
    assert!(stdout.contains("verify: 9/13 as expected"), "{stdout}");
    let line = text(&out.stderr)
        .lines()
        .rfind(|l| l.starts_with("error: "))
        .unwrap_or("")
        .to_string();
    assert!(
        line.contains("4 of 13 results were not as expected"),
        "{line}"
    );
    for (path, bytes) in before {
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{} changed",
            path.display()
        );
    }
    assert!(
        !exercises.join("pids.txt").exists(),
        "verify ran in the repo's exercises/"
    );
    assert!(
        !root.join(".workbook").exists(),
        "verify records no progress"
    );

    // The copies share the target directory with `check` but never each
    // other's test programs: the learner's 02 still fails, and a second
    // verify (which rebuilds nothing) gives the same table.
    let out = run(root, &["check", "02"]);
    assert_eq!(verdict(&out), "✗ 02_fail failed: 1 of 2 checks failed");
    let again = run(root, &["verify", "--timeout", "1.5"]);
    let again = text(&again.stdout);
    assert!(again.contains("verify: 9/13 as expected"), "{again}");
    assert!(again.contains("✓ fails (1/2)"), "{again}");
}

/// Lines of a child's stdout, as they come.
fn lines_of(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits (bounded) for a line containing `want`; returns everything seen.
fn wait_for(rx: &mpsc::Receiver<String>, want: &str, seen: &mut String) {
    let deadline = Instant::now() + LIMIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                seen.push_str(&line);
                seen.push('\n');
                if line.contains(want) {
                    return;
                }
            }
            Err(_) => panic!("no line with {want:?} within {LIMIT:?}; output:\n{seen}"),
        }
    }
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn watch_rechecks_on_save_and_moves_on() {
    watch_session(false);
}

#[test]
fn watch_by_polling_rechecks_on_save_and_moves_on() {
    watch_session(true);
}

fn watch_session(poll: bool) {
    let dir = fixture_root();
    let root = dir.path();
    let mut cmd = command(root, &["watch", "--timeout", "5"]);
    if poll {
        cmd.env("WORKBOOK_WATCH_POLL", "1");
    }
    let child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run workbook watch");
    let mut child = KillOnDrop(child);
    let rx = lines_of(&mut child.0);
    let mut seen = String::new();
    // 01 passes at once, so it moves on to 02 and checks nothing more yet.
    wait_for(&rx, "✓ 01_pass passed", &mut seen);
    wait_for(&rx, "Now: 02_fail", &mut seen);
    wait_for(&rx, "Keys (then Enter)", &mut seen);
    let mut stdin = child.0.stdin.take().unwrap();
    writeln!(stdin, "h").unwrap();
    wait_for(&rx, "The answer is 42, not 41.", &mut seen);
    writeln!(stdin, "c").unwrap();
    wait_for(&rx, "✗ 02_fail failed: 1 of 2 checks failed", &mut seen);
    // Save a fix: the watch checks again by itself, and moves on.
    let fixed = std::fs::read_to_string(root.join("exercises/solutions/02_fail.rs")).unwrap();
    std::fs::write(root.join("exercises/02_fail.rs"), fixed).unwrap();
    wait_for(&rx, "✓ 02_fail passed", &mut seen);
    wait_for(&rx, "Now: 03_compile_error", &mut seen);
    writeln!(stdin, "l").unwrap();
    wait_for(&rx, "2/5 done", &mut seen);
    writeln!(stdin, "q").unwrap();
    let status = common::wait_bounded(&mut child.0, Duration::from_secs(30), "watch after q");
    assert!(status.success(), "{seen}");
    assert_eq!(progress(root)["exercises"]["02_fail"]["status"], "passed");
}

#[test]
fn an_exercise_that_needs_mpi_is_skipped_where_there_is_none() {
    let dir = fixture_root();
    let root = dir.path();
    let table = root.join("exercises/exercises.toml");
    let mut rows = std::fs::read_to_string(&table).unwrap();
    rows.push_str("\n[[exercise]]\nname = \"06_mpi\"\ntitle = \"Needs MPI\"\npackage = \"distributed\"\nrequires = \"mpi\"\n");
    std::fs::write(&table, rows).unwrap();
    std::fs::write(root.join("exercises/06_mpi.rs"), "fn main() {}\n").unwrap();
    let without_mpi = |args: &[&str]| {
        let mut cmd = command(root, args);
        cmd.env("MPIEXEC", "no-such-mpiexec-anywhere");
        common::run_bounded(cmd, "", LIMIT)
    };
    let list = text(&without_mpi(&["list"]).stdout);
    assert!(list.contains("needs MPI      06_mpi"), "{list}");
    assert!(
        list.contains("note: needs MPI: needs MPI, which is not installed"),
        "{list}"
    );
    assert!(list.contains("sudo apt-get install mpich"), "{list}");
    let check = without_mpi(&["check", "06"]);
    assert!(check.status.success(), "skipped is not failed");
    assert!(
        verdict(&check).starts_with("– 06_mpi skipped: needs MPI"),
        "{}",
        verdict(&check)
    );
    assert!(
        progress_or_none(root).is_none_or(|p| p["exercises"]["06_mpi"].is_null()),
        "a skip records nothing"
    );
    let verify = text(&without_mpi(&["verify", "--timeout", "1.5"]).stdout);
    assert!(verify.contains("verify: 11/15 as expected"), "{verify}");
    assert!(verify.contains("(2 skipped: needs MPI"), "{verify}");
}

fn progress_or_none(root: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(root.join(".workbook/progress.json")).ok()?;
    serde_json::from_str(&text).ok()
}
