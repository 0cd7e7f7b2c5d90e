//! Checks for exercises/09_stdout_writer.rs.

mod common;
#[path = "../09_stdout_writer.rs"]
mod exercise;

use exercise::{Terminal, one_at_a_time, two_at_a_time};
use parallel_workbook::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use parallel_workbook::sync::thread::{self, ThreadId};
use parallel_workbook::sync::{Arc, Mutex};
use std::collections::HashSet;
use std::time::Duration;

/// An in-memory terminal. It notes when a piece arrives while another thread
/// is in the middle of a line. To make an interleaving show up every time, not
/// by luck, the first time each thread is mid-line it pauses briefly to let
/// other threads print (only as long as nobody does).
#[derive(Default)]
struct Screen {
    text: Mutex<(String, Option<ThreadId>)>,
    pieces: AtomicUsize,
    interleaved: AtomicUsize,
    paused: Mutex<HashSet<ThreadId>>,
    /// Another screen that must receive something while this one is mid-line
    /// (waited for once, by the first thread that pauses here).
    partner: Option<Arc<Screen>>,
    partner_checked: AtomicBool,
    partner_busy: AtomicBool,
}

impl Terminal for Screen {
    fn print(&self, piece: &str) {
        let me = thread::current().id();
        {
            let mut text = self.text.lock().unwrap();
            if text.1.is_some_and(|writer| writer != me) {
                self.interleaved.fetch_add(1, SeqCst);
            }
            text.0.push_str(piece);
            text.1 = if piece.ends_with('\n') {
                None
            } else {
                Some(me)
            };
        }
        let before = self.pieces.fetch_add(1, SeqCst) + 1;
        if !piece.ends_with('\n') && self.paused.lock().unwrap().insert(me) {
            common::wait_until(Duration::from_millis(100), || {
                self.pieces.load(SeqCst) > before
            });
            if let Some(partner) = &self.partner
                && !self.partner_checked.swap(true, SeqCst)
            {
                let seen = partner.pieces.load(SeqCst);
                let busy = common::wait_until(Duration::from_secs(2), || {
                    partner.pieces.load(SeqCst) > seen
                });
                self.partner_busy.store(busy, SeqCst);
            }
        }
    }
}

impl Screen {
    fn lines(&self) -> Vec<String> {
        self.text
            .lock()
            .unwrap()
            .0
            .lines()
            .map(String::from)
            .collect()
    }
}

/// Fails unless `lines` are exactly the lines "worker k: line j", each once.
fn assert_every_line_whole(lines: &[String], workers: usize, per_worker: usize) {
    let mut expected: HashSet<String> = (0..workers)
        .flat_map(|w| (0..per_worker).map(move |j| format!("worker {w}: line {j}")))
        .collect();
    for line in lines {
        assert!(
            expected.remove(line),
            "the line {line:?} is jumbled (or printed twice): a line must be printed whole, by one worker at a time"
        );
    }
    assert!(
        expected.is_empty(),
        "{} lines were never printed, e.g. {:?}",
        expected.len(),
        expected.iter().next()
    );
}

#[test]
fn one_at_a_time_prints_whole_lines() {
    let (workers, lines) = (4, 20);
    let screen = Arc::new(Screen::default());
    let s = screen.clone();
    common::within(
        "one_at_a_time never returned: is a lock held forever?",
        move || one_at_a_time(&*s, workers, lines),
    );
    assert_eq!(
        screen.interleaved.load(SeqCst),
        0,
        "pieces of different workers' lines were interleaved: hold one lock for the whole line"
    );
    assert_every_line_whole(&screen.lines(), workers, lines);
}

#[test]
fn two_at_a_time_uses_both_terminals_at_once() {
    let (workers, lines) = (4, 20);
    let second = Arc::new(Screen::default());
    let first = Arc::new(Screen {
        partner: Some(second.clone()),
        ..Screen::default()
    });
    let (a, b) = (first.clone(), second.clone());
    common::within(
        "two_at_a_time never returned: is a lock held forever?",
        move || two_at_a_time([&*a, &*b], workers, lines),
    );
    for (k, screen) in [&first, &second].into_iter().enumerate() {
        assert_eq!(
            screen.interleaved.load(SeqCst),
            0,
            "on terminal {k}, two workers printed pieces of their lines at the same time: \
             a terminal must be used by one worker at a time"
        );
    }
    let mut all = first.lines();
    all.extend(second.lines());
    assert_every_line_whole(&all, workers, lines);
    assert!(
        first.partner_busy.load(SeqCst),
        "while a worker printed on terminal 0, nobody printed on terminal 1: let two workers print at once, \
         one per terminal (take whichever terminal is free)"
    );
}
