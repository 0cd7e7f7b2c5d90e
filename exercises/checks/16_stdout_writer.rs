//! Checks for exercises/16_stdout_writer.rs.
//!
//! The model tests run the learner's functions under shuttle (random and PCT
//! schedules, with spurious wake-ups), on terminals that let the checker
//! switch threads between the pieces of a line: no piece may arrive while
//! another thread is in the middle of a line on that terminal, in any
//! schedule explored. For two terminals, one more model holds terminal 0 in
//! the middle of its first line until terminal 1 has printed two lines: a
//! worker must then take terminal 1, whichever terminal it waited for, or
//! the checker sees a deadlock. Then real threads: whole lines, three
//! pieces each, and both terminals in use at the same time.

mod common;
#[path = "../16_stdout_writer.rs"]
mod exercise;

use exercise::{Terminal, one_at_a_time, two_at_a_time};
use parallel_workbook::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use parallel_workbook::sync::model::{self, Model};
use parallel_workbook::sync::thread::{self, ThreadId};
use parallel_workbook::sync::{Arc, Condvar, Mutex};
use std::collections::HashSet;
use std::time::Duration;

/// A terminal for the model. Each piece is a step of the schedule, and
/// after it the checker may switch threads (a yield), in the middle of a
/// line. It fails the model at once if a piece arrives while another thread
/// is in the middle of a line. (Its state is under a std Mutex, held for no
/// operation of the checker's.)
struct ModelScreen<'a> {
    name: &'static str,
    state: std::sync::Mutex<ScreenState>,
    /// Its first line waits after its first piece until the other terminal
    /// has printed this many lines (the slow-terminal model).
    held: Option<(&'a LineCount, usize)>,
    held_yet: std::sync::atomic::AtomicBool,
    /// Counts its lines there (the other terminal of that model).
    counts: Option<&'a LineCount>,
}

#[derive(Default)]
struct ScreenState {
    lines: Vec<String>,
    /// The line being printed, and by which thread.
    partial: Option<(ThreadId, String)>,
    pieces: usize,
}

/// Lines printed on a terminal, and a Condvar that says when there are more.
struct LineCount {
    lines: Mutex<usize>,
    more: Condvar,
}

impl<'a> ModelScreen<'a> {
    fn new(name: &'static str) -> Self {
        ModelScreen {
            name,
            state: Default::default(),
            held: None,
            held_yet: Default::default(),
            counts: None,
        }
    }

    fn lines(&self) -> (Vec<String>, usize) {
        let state = self.state.lock().unwrap();
        (state.lines.clone(), state.pieces)
    }
}

impl Terminal for ModelScreen<'_> {
    fn print(&self, piece: &str) {
        model::note(format!("prints {piece:?} on {}", self.name));
        let me = thread::current().id();
        let clash = {
            let mut state = self.state.lock().unwrap();
            state.pieces += 1;
            let clash = match &state.partial {
                Some((writer, text)) if *writer != me => Some(text.clone()),
                _ => None,
            };
            let mut text = state.partial.take().map(|(_, t)| t).unwrap_or_default();
            text.push_str(piece);
            match text.strip_suffix('\n') {
                Some(line) => state.lines.push(line.to_string()),
                None => state.partial = Some((me, text)),
            }
            clash
        };
        if let Some(partial) = clash {
            panic!(
                "on {}, the piece {piece:?} arrived while another thread was in the middle of the line {partial:?}: \
                 two workers printed on one terminal at the same time. A worker must keep the terminal to itself \
                 for the whole line, all three pieces",
                self.name
            );
        }
        if let Some(count) = self.counts
            && piece.ends_with('\n')
        {
            *count.lines.lock().unwrap() += 1;
            count.more.notify_all();
        }
        if let Some((count, need)) = self.held
            && !self
                .held_yet
                .swap(true, std::sync::atomic::Ordering::SeqCst)
        {
            model::note(format!(
                "is held by the check in the middle of its line on {} until the other terminal has printed {need} lines",
                self.name
            ));
            let mut lines = count.lines.lock().unwrap();
            while *lines < need {
                lines = count.more.wait(lines).unwrap();
            }
        }
        thread::yield_now();
    }
}

/// Fails unless `lines` are exactly the lines "worker k: line j", each once,
/// printed in three pieces each.
fn assert_whole_lines(lines: &[String], pieces: usize, workers: usize, per_worker: usize) {
    assert_every_line_whole(lines, workers, per_worker);
    assert!(
        pieces == 3 * lines.len(),
        "{} lines came in {pieces} pieces: print_line prints each line in three pieces; keep it as it is",
        lines.len()
    );
}

/// What a deadlock in the models means: the checker saw every thread blocked.
const STUCK: &str = "the workers never all finished: no thread could go on (what each was waiting for is listed \
     below the steps). Is every lock released after each line? Does a worker that waits get woken when a \
     terminal is given back?";

#[test]
fn one_at_a_time_prints_whole_lines_in_every_schedule_explored() {
    let test = || {
        let screen = ModelScreen::new("the terminal");
        one_at_a_time(&screen, 3, 2);
        let (lines, pieces) = screen.lines();
        assert_whole_lines(&lines, pieces, 3, 2);
    };
    common::within(HUNG_ONE, move || {
        Model::random("one_at_a_time: 3 workers, 2 lines each", 300)
            .on_deadlock(STUCK)
            .check(test);
        Model::pct("one_at_a_time: 3 workers, 2 lines each", 300, 3)
            .on_deadlock(STUCK)
            .check(test);
    });
}

#[test]
fn two_at_a_time_never_shares_a_terminal_in_any_schedule_explored() {
    let test = |workers: usize, lines: usize| {
        move || {
            let screens = [
                ModelScreen::new("terminal 0"),
                ModelScreen::new("terminal 1"),
            ];
            two_at_a_time([&screens[0], &screens[1]], workers, lines);
            let (mut all, mut pieces) = screens[0].lines();
            let (more, more_pieces) = screens[1].lines();
            all.extend(more);
            pieces += more_pieces;
            assert_whole_lines(&all, pieces, workers, lines);
        }
    };
    common::within(HUNG_TWO, move || {
        Model::random("two_at_a_time: 3 workers, 2 lines each", 300)
            .on_deadlock(STUCK)
            .check(test(3, 2));
        Model::pct("two_at_a_time: 4 workers, 1 line each", 300, 3)
            .on_deadlock(STUCK)
            .check(test(4, 1));
    });
}

/// What a deadlock with terminal 0 held up means.
const HELD_UP: &str = "two_at_a_time never finished while the check held a worker in the middle of a line on \
     terminal 0 until terminal 1 had printed two lines, and those lines never came: no thread could go on (what \
     each was waiting for is listed below the steps). Does a worker that finds both terminals busy wait for one \
     particular terminal (its lock, say)? It must take whichever becomes free first. Does any worker print \
     on terminal 1 while terminal 0 is busy?";

#[test]
fn a_waiting_worker_takes_whichever_terminal_is_free_first() {
    let test = || {
        let count = LineCount {
            lines: Mutex::new(0),
            more: Condvar::new(),
        };
        model::name(&count.lines, "the check's count of lines on terminal 1");
        model::name(&count.more, "the check's signal of lines on terminal 1");
        let mut slow = ModelScreen::new("terminal 0");
        slow.held = Some((&count, 2));
        let mut counted = ModelScreen::new("terminal 1");
        counted.counts = Some(&count);
        two_at_a_time([&slow, &counted], 3, 1);
        let (mut all, mut pieces) = slow.lines();
        let (more, more_pieces) = counted.lines();
        all.extend(more);
        pieces += more_pieces;
        assert_whole_lines(&all, pieces, 3, 1);
    };
    // No spurious wake-ups here: the model before this one has them for the
    // learner's waits, and the check's own wait would only add steps.
    let what = "two_at_a_time: 3 workers, 1 line each, terminal 0 slow";
    common::within(HUNG_TWO, move || {
        Model::random(what, 300)
            .spurious_wakeups(false)
            .on_deadlock(HELD_UP)
            .check(test);
        Model::pct(what, 300, 3)
            .spurious_wakeups(false)
            .on_deadlock(HELD_UP)
            .check(test);
    });
}

const HUNG_ONE: &str = "one_at_a_time never returned: is a lock held forever?";
const HUNG_TWO: &str = "two_at_a_time never returned: is a terminal never given back, or a waiting worker never woken?";

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
            common::wait_until(Duration::from_millis(25), || {
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

/// The pieces a `Screen` received, all lines whole: three per line.
fn assert_three_pieces(screen: &Screen) {
    let (pieces, lines) = (screen.pieces.load(SeqCst), screen.lines().len());
    assert!(
        pieces == 3 * lines,
        "on real threads, {lines} lines came in {pieces} pieces: print_line prints each line in three pieces; \
         keep it as it is"
    );
}

#[test]
fn one_at_a_time_prints_whole_lines() {
    let (workers, lines) = (4, 20);
    let screen = Arc::new(Screen::default());
    let s = screen.clone();
    common::within(HUNG_ONE, move || one_at_a_time(&*s, workers, lines));
    assert_eq!(
        screen.interleaved.load(SeqCst),
        0,
        "on real threads, pieces of different workers' lines were interleaved: hold one lock for the whole line"
    );
    assert_every_line_whole(&screen.lines(), workers, lines);
    assert_three_pieces(&screen);
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
    common::within(HUNG_TWO, move || two_at_a_time([&*a, &*b], workers, lines));
    for (k, screen) in [&first, &second].into_iter().enumerate() {
        assert_eq!(
            screen.interleaved.load(SeqCst),
            0,
            "on real threads, on terminal {k}, two workers printed pieces of their lines at the same time: \
             a terminal must be used by one worker at a time"
        );
    }
    let mut all = first.lines();
    all.extend(second.lines());
    assert_every_line_whole(&all, workers, lines);
    assert_three_pieces(&first);
    assert_three_pieces(&second);
    assert!(
        first.partner_busy.load(SeqCst),
        "on real threads, while a worker printed on terminal 0 (held there for 2 s), nobody printed on terminal 1: \
         let two workers print at once, one per terminal (take whichever terminal is free)"
    );
}
