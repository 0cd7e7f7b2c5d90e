//! Every number the book shows comes from a measured file: no chapter shows
//! program output typed by hand, every `{{#include ../measured/...}}` names a
//! measurement of `book/measured/measurements.toml`, every measurement is
//! shown somewhere, and every measured file belongs to one. And `measure`
//! waits for a quiet machine, within its bound, and says in the header how
//! idle the CPUs were before each step, or that it could not tell.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use workbook::book::includes::find_includes;
use workbook::book::measured::typed_output;
use workbook::measure::{CpuTimes, Quiet, StepIdle, idle_header, settle};

fn book_pages() -> Vec<PathBuf> {
    common::files_with_ext(&common::repo_root().join("book"), "md")
}

fn shown(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string()
}

fn measurement_names() -> BTreeSet<String> {
    let root = common::repo_root();
    workbook::measure::load(&root)
        .unwrap_or_else(|e| panic!("{e:#}"))
        .into_iter()
        .map(|m| m.name)
        .collect()
}

/// (page, line, machine directory, measurement name) for every include of a
/// measured file.
fn measured_includes() -> Vec<(String, usize, String, String)> {
    let root = common::repo_root();
    let mut found = Vec::new();
    for page in book_pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for include in find_includes(&text) {
            let Some((_, rest)) = include.path.split_once("measured/") else {
                continue;
            };
            let (machine, file) = rest.split_once('/').unwrap_or(("", rest));
            let name = file.strip_suffix(".txt").unwrap_or(file);
            found.push((
                shown(&root, &page),
                include.line,
                machine.to_owned(),
                name.to_owned(),
            ));
        }
    }
    found
}

#[test]
fn no_chapter_shows_output_typed_by_hand() {
    let root = common::repo_root();
    let mut problems = Vec::new();
    for page in book_pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for typed in typed_output(&text) {
            problems.push(format!(
                "{}:{}: {} typed by hand; add a measurement to \
                 book/measured/measurements.toml and show its file with \
                 {{{{#include ../measured/<machine>/NAME.txt}}}}",
                shown(&root, &page),
                typed.line,
                typed.what
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_measured_include_names_a_measurement() {
    let names = measurement_names();
    let includes = measured_includes();
    assert!(
        includes.len() >= 30,
        "only {} measured includes",
        includes.len()
    );
    let problems: Vec<String> = includes
        .iter()
        .filter(|(_, _, machine, name)| machine.is_empty() || !names.contains(name))
        .map(|(page, line, machine, name)| {
            format!(
                "{page}:{line}: ../measured/{machine}/{name}.txt is not \
                 book/measured/<machine>/<a measurement's name>.txt"
            )
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The book quotes one machine per core count: all its 2-core files come
/// from one directory. Moving the book to a newly measured machine is then
/// one replacement of that directory's name over `book/` (and the README),
/// and no chapter is left quoting the old machine.
#[test]
fn the_book_quotes_one_machine_per_core_count() {
    let mut machines: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for (_, _, machine, _) in measured_includes() {
        let cores = machine
            .rsplit_once('-')
            .filter(|(_, last)| *last == "cores")
            .and_then(|(rest, _)| rest.rsplit_once('-'))
            .map_or_else(|| machine.clone(), |(_, n)| n.to_owned());
        machines.entry(cores).or_default().insert(machine);
    }
    let mixed: Vec<String> = machines
        .iter()
        .filter(|(_, dirs)| dirs.len() > 1)
        .map(|(cores, dirs)| format!("{cores} cores: {dirs:?}"))
        .collect();
    assert!(
        mixed.is_empty(),
        "the book quotes several machines of the same size: {mixed:?}"
    );
}

#[test]
fn every_measurement_is_shown_in_the_book() {
    let shown: BTreeSet<String> = measured_includes()
        .into_iter()
        .map(|(_, _, _, name)| name)
        .collect();
    let unshown: Vec<String> = measurement_names()
        .into_iter()
        .filter(|name| !shown.contains(name))
        .collect();
    assert!(
        unshown.is_empty(),
        "measured but shown by no chapter (include it, or remove it from \
         book/measured/measurements.toml): {unshown:?}"
    );
}

#[test]
fn every_measured_file_belongs_to_a_measurement_and_names_its_machine() {
    let root = common::repo_root();
    let names = measurement_names();
    let measured = root.join("book").join("measured");
    let mut problems = Vec::new();
    let mut count = 0;
    for file in common::files_with_ext(&measured, "txt") {
        count += 1;
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let in_machine_dir = file.parent() != Some(measured.as_path());
        if !in_machine_dir || !names.contains(&name) {
            problems.push(format!(
                "{}: not book/measured/<machine>/<a measurement's name>.txt",
                shown(&root, &file)
            ));
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        if !text.starts_with("# machine: ") || !text.lines().any(|l| l.starts_with("$ ")) {
            problems.push(format!(
                "{}: a measured file starts with `# machine: ...` and shows each command as `$ command`",
                shown(&root, &file)
            ));
        }
    }
    assert!(count >= 30, "only {count} measured files");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn quiet(percent: u32, budget_s: u64) -> Quiet {
    Quiet {
        idle: f64::from(percent) / 100.0,
        budget: Duration::from_secs(budget_s),
        window: Duration::from_secs(1),
    }
}

/// Readings of the idle share, one per call, as `settle` would take them
/// from `/proc/stat`; counts the calls.
fn script(
    shares: &[Option<f64>],
) -> (
    impl FnMut(Duration) -> Option<f64> + '_,
    std::rc::Rc<std::cell::Cell<usize>>,
) {
    let calls = std::rc::Rc::new(std::cell::Cell::new(0));
    let counter = calls.clone();
    let read = move |window: Duration| {
        assert_eq!(window, Duration::from_secs(1));
        let i = counter.get();
        counter.set(i + 1);
        shares[i.min(shares.len() - 1)]
    };
    (read, calls)
}

#[test]
fn a_step_waits_until_the_machine_is_idle_enough() {
    let q = quiet(90, 120);
    let mut left = q.budget;
    let (read, calls) = script(&[Some(0.40), Some(0.85), Some(0.95)]);
    let step = settle(&q, &mut left, read);
    assert_eq!(
        step,
        StepIdle {
            share: Some(0.95),
            quiet: true
        }
    );
    assert_eq!(calls.get(), 3, "read until quiet");
    assert_eq!(left, Duration::from_secs(118), "two busy seconds spent");
}

#[test]
fn the_wait_is_bounded_per_file_and_the_header_says_when_it_ran_out() {
    let q = quiet(90, 3);
    let mut left = q.budget;
    let (read, calls) = script(&[Some(0.5)]);
    let first = settle(&q, &mut left, read);
    assert_eq!(
        first,
        StepIdle {
            share: Some(0.5),
            quiet: false
        }
    );
    assert_eq!(
        calls.get(),
        4,
        "one reading, then three more within the bound"
    );
    assert_eq!(left, Duration::ZERO);
    // The next step of the same file does not wait again.
    let (read, calls) = script(&[Some(0.6)]);
    let second = settle(&q, &mut left, read);
    assert_eq!(
        second,
        StepIdle {
            share: Some(0.6),
            quiet: false
        }
    );
    assert_eq!(calls.get(), 1);

    let done = StepIdle {
        share: Some(0.999),
        quiet: true,
    };
    let header = idle_header(&[done, first, second], &q);
    assert!(
        header.starts_with("# idle CPU share in the second before each step: 99%, 50%*, 60%* (waited for 90%, up to 3 s per file)\n"),
        "{header}"
    );
    assert!(
        header.contains("# NOT QUIET: the steps marked * started below 90% idle"),
        "{header}"
    );
    let calm = idle_header(&[done, done], &q);
    assert!(!calm.contains("NOT QUIET"), "{calm}");
}

#[test]
fn without_proc_stat_nothing_is_waited_for_and_the_header_says_so() {
    let q = quiet(90, 120);
    let mut left = q.budget;
    let (read, calls) = script(&[None]);
    let step = settle(&q, &mut left, read);
    assert_eq!(
        step,
        StepIdle {
            share: None,
            quiet: true
        }
    );
    assert_eq!((calls.get(), left), (1, q.budget));
    let header = idle_header(&[step], &q);
    assert!(
        header.starts_with("# idle CPU share: unknown here"),
        "{header}"
    );
    assert!(header.contains("/proc/stat") && header.ends_with('\n'));
}

#[test]
fn the_idle_share_is_read_from_proc_stat() {
    let text = "cpu  4705 356 584 3699 23 0 36 0 0 0\ncpu0 1393 280 466 1773 9 0 36 0 0 0\n";
    assert_eq!(
        workbook::measure::parse_proc_stat(text),
        Some(CpuTimes {
            idle: 3722,
            total: 9403
        })
    );
    if cfg!(target_os = "linux") {
        let share = workbook::measure::idle_share_over(Duration::from_millis(200))
            .expect("Linux has /proc/stat");
        assert!((0.0..=1.0).contains(&share), "{share}");
    } else {
        assert_eq!(workbook::measure::cpu_times(), None);
    }
}
