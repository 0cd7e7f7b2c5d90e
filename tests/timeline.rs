//! `--timeline` on every threaded example, from real runs: the file is a
//! trace that parses, it has one row per worker thread, its chunk events
//! cover every index of 0..N exactly once, the waits it counts are the waits
//! the code makes, and the chart has one row per thread. And `--work
//! uneven`: the same sum, refused where a strategy would ignore it.

use parallel_workbook::Problem;
use parallel_workbook::timeline::{Trace, svg};
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::run;

const N: u64 = 10_007;
const THREADS: usize = 3;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh directory for one test's files.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("timeline")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `name` with --timeline into `dir`, and reads back both files.
fn record(dir: &Path, name: &str, file: &str, extra: &[&str]) -> (Trace, String) {
    let base = dir.join(file);
    let mut args = vec![
        "--n",
        "10007",
        "--threads",
        "3",
        "--json",
        "--timeline",
        base.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = run(name, &args);
    assert!(
        output.status.success(),
        "{name} {extra:?}: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains(&format!("{}.json", base.display())),
        "{name} says where it wrote: {}",
        stderr(&output)
    );
    let json = std::fs::read_to_string(base.with_extension("json")).expect("FILE.json");
    let chart = std::fs::read_to_string(base.with_extension("svg")).expect("FILE.svg");
    let trace = Trace::from_json(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
    (trace, chart)
}

/// Every index of 0..n in exactly one chunk event.
fn assert_covers_every_index_once(what: &str, trace: &Trace, n: u64) {
    let mut chunks = trace.chunks();
    assert!(!chunks.is_empty(), "{what}: no chunk events");
    chunks.sort_by_key(|c| c.start);
    let mut next = 0;
    for c in &chunks {
        assert_eq!(
            c.start, next,
            "{what}: a gap or an overlap at {next}: {chunks:?}"
        );
        assert!(c.end > c.start, "{what}: an empty chunk event {c:?}");
        next = c.end;
    }
    assert_eq!(next, n, "{what}: the chunks end at {next}, not at N");
}

/// One row per thread (named, distinct), every span inside the run, and a
/// chart with the same rows.
fn assert_rows(what: &str, trace: &Trace, chart: &str, rows: usize) {
    let threads = trace.threads();
    assert_eq!(threads.len(), rows, "{what}: rows {threads:?}");
    let mut tids: Vec<u64> = threads.iter().map(|(tid, _)| *tid).collect();
    tids.dedup();
    assert_eq!(tids.len(), rows, "{what}: a thread twice");
    let run = trace.run_us();
    assert!(run > 0.0, "{what}: no run length");
    for (tid, _) in &threads {
        for e in trace.spans_of(*tid) {
            let end = e.ts + e.dur.expect("complete events have a length");
            assert!(
                e.ts >= 0.0 && end <= run + 1e-3,
                "{what}: {e:?} outside 0..{run}"
            );
        }
    }
    assert_eq!(
        chart.matches(r#"<g class="row">"#).count(),
        rows,
        "{what}: chart rows"
    );
    assert!(chart.contains("<title id=\"tl-title\">") && chart.contains("<desc id=\"tl-desc\">"));
    // The chart is the trace drawn: the same file draws the same chart.
    assert_eq!(
        svg::render(trace),
        chart,
        "{what}: FILE.svg is not FILE.json drawn"
    );
}

/// The total of the `waits` counts of wait events named `name`.
fn waits(trace: &Trace, name: &str) -> u64 {
    trace
        .events
        .iter()
        .filter(|e| e.ph == "X" && e.cat == "wait" && e.name == name)
        .map(|e| e.args["waits"].as_u64().expect("a count of waits"))
        .sum()
}

#[test]
fn every_threaded_example_records_one_row_per_thread_and_every_chunk_once() {
    let dir = scratch("examples");
    // (example, flags, chunks it makes)
    let cases: &[(&str, &[&str], usize)] = &[
        ("threads", &[], THREADS),
        ("scoped_threads", &[], THREADS),
        ("mutex", &["--granularity", "item"], THREADS),
        ("mutex", &["--granularity", "chunk"], THREADS),
        ("atomic", &["--granularity", "item"], THREADS),
        ("atomic", &["--granularity", "chunk"], THREADS),
        ("racy", &["--runs", "2"], THREADS),
        ("channels", &[], THREADS),
        ("channels", &["--bound", "0"], THREADS),
        ("queue", &["--chunks", "40"], 40),
    ];
    for (k, (name, extra, chunks)) in cases.iter().enumerate() {
        let what = format!("{name} {extra:?}");
        let (trace, chart) = record(&dir, name, &format!("{name}-{k}"), extra);
        assert_rows(&what, &trace, &chart, THREADS);
        assert_covers_every_index_once(&what, &trace, N);
        assert_eq!(trace.chunks().len(), *chunks, "{what}: chunk events");
        assert_eq!(
            trace.about.extra["n"], N,
            "{what}: the report is in otherData"
        );
    }
}

#[test]
fn the_waits_in_the_file_are_the_waits_the_code_makes() {
    let dir = scratch("waits");
    let lock = |granularity| record(&dir, "mutex", granularity, &["--granularity", granularity]).0;
    // One lock per term, every one counted (close ones share an event).
    assert_eq!(waits(&lock("item"), "lock"), N);
    assert_eq!(waits(&lock("chunk"), "lock"), THREADS as u64);
    // Each worker waits on the queue once per chunk it takes, and once more
    // to learn that the queue is closed.
    let (queue, _) = record(&dir, "queue", "queue", &["--chunks", "40"]);
    assert_eq!(waits(&queue, "queue"), 40 + THREADS as u64);
    let (channels, _) = record(&dir, "channels", "channels", &["--bound", "0"]);
    assert_eq!(waits(&channels, "send"), THREADS as u64);
}

#[test]
fn rayon_records_its_chunks_on_at_most_one_row_per_pool_thread() {
    let dir = scratch("rayon");
    let (trace, chart) = record(&dir, "rayon", "rayon", &["--split", "chunks"]);
    // A pool thread that ran no piece of the work has no row.
    let rows = trace.threads().len();
    assert!((1..=THREADS).contains(&rows), "{rows} rows");
    assert_rows("rayon", &trace, &chart, rows);
    assert_covers_every_index_once("rayon", &trace, N);
    assert_eq!(trace.chunks().len(), 8 * THREADS);
}

#[test]
fn an_uneven_run_records_like_an_even_one() {
    let dir = scratch("uneven");
    let (trace, chart) = record(&dir, "threads", "threads", &["--work", "uneven"]);
    assert_rows("threads --work uneven", &trace, &chart, THREADS);
    assert_covers_every_index_once("threads --work uneven", &trace, N);
    assert_eq!(trace.about.extra["work"], "uneven");
    assert!(
        trace.about.title.ends_with(", uneven work"),
        "{}",
        trace.about.title
    );
    // How much longer the late chunks take is a timing: it is shown in the
    // book's measured figure, never asserted here.
}

#[test]
fn a_bare_name_goes_to_target_timelines() {
    let name = format!("test-bare-name-{}", std::process::id());
    let output = run(
        "threads",
        &["--n", "1000", "--threads", "2", "--timeline", &name],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("timelines");
    for ext in ["json", "svg"] {
        let file = dir.join(format!("{name}.{ext}"));
        assert!(file.exists(), "{} is missing", file.display());
        std::fs::remove_file(file).unwrap();
    }
}

#[test]
fn uneven_work_gives_the_same_sum() {
    let problem = Problem::new(0.0, 10.0, N).unwrap();
    let result = |name: &str, extra: &[&str]| {
        let mut args = vec!["--n", "10007", "--threads", "3", "--json"];
        args.extend_from_slice(extra);
        let output = run(name, &args);
        assert!(
            output.status.success(),
            "{name} {extra:?}: {}",
            stderr(&output)
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["result"].as_f64().unwrap()
    };
    for (name, extra) in [
        ("threads", &[][..]),
        ("scoped_threads", &[]),
        ("mutex", &["--granularity", "chunk"]),
        ("atomic", &["--granularity", "chunk"]),
        ("channels", &[]),
        ("queue", &["--chunks", "40"]),
        ("rayon", &["--split", "chunks"]),
    ] {
        let uneven = result(name, &[extra, &["--work", "uneven", "--compare"]].concat());
        assert!(
            (uneven - problem.exact_left_sum()).abs() <= problem.reduction_tolerance(),
            "{name}: {uneven}"
        );
        // Same chunks, same order of additions: the same bits. (The
        // strategies that add partial sums in arrival order may differ in
        // the last bits from run to run, uneven or not.)
        if ["threads", "scoped_threads"].contains(&name) {
            assert_eq!(uneven.to_bits(), result(name, extra).to_bits(), "{name}");
        }
    }
}

#[test]
fn flags_that_would_record_or_cost_nothing_are_refused_in_one_line() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "processes",
            &["--timeline", "x"],
            "processes records no timeline",
        ),
        (
            "rayon",
            &["--split", "indices", "--timeline", "x"],
            "rayon/indices records no timeline",
        ),
        (
            "sequential",
            &["--timeline", "x"],
            "sequential records no timeline",
        ),
        ("threads", &["--timeline", ""], "--timeline"),
        ("threads", &["--timeline", "/"], "give a file name"),
        (
            "scaling",
            &["--timeline", "x"],
            "scaling runs many strategies",
        ),
        (
            "compare",
            &["--timeline", "x"],
            "compare runs many strategies",
        ),
        (
            "compare",
            &["--work", "uneven"],
            "compare measures even work only",
        ),
        (
            "mutex",
            &["--granularity", "item", "--work", "uneven"],
            "mutex/item does not sum",
        ),
        (
            "rayon",
            &["--split", "indices", "--work", "uneven"],
            "rayon/indices does not sum",
        ),
        (
            "sequential",
            &["--work", "uneven"],
            "sequential does not sum",
        ),
        ("processes", &["--work", "uneven"], "processes does not sum"),
        (
            "threads",
            &["--work", "lumpy"],
            "invalid value 'lumpy' for '--work",
        ),
    ];
    for (name, args, says) in cases {
        let mut all = vec!["--n", "1000", "--threads", "2"];
        all.extend_from_slice(args);
        let output = run(name, &all);
        // (A debug build of the examples adds a note first.)
        let text: String = stderr(&output)
            .lines()
            .filter(|l| !l.starts_with("note: this is a debug build"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(output.status.code(), Some(2), "{name} {args:?}: {text}");
        assert_eq!(
            text.lines().count(),
            1,
            "{name} {args:?}: one line, got {text}"
        );
        assert!(
            text.starts_with("error: ") && text.contains(says),
            "{name} {args:?}: {text}"
        );
        assert!(
            output.stdout.is_empty(),
            "{name} {args:?}: printed a report"
        );
    }
}
