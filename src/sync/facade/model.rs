//! Model runs: explore the schedules of a test with shuttle or loom, and
//! show a failing one as the steps each thread took.
//!
//! A check writes its test against the facade's types (`sync::{Mutex, thread}`,
//! the learner's own functions), and hands it to [`Model::check`]:
//!
//! ```ignore
//! Model::exhaustive("two threads add once each", 20_000).check(|| {
//!     let total = Arc::new(Mutex::new(Total::default()));
//!     model::name(&*total, "total");
//!     let t = thread::spawn({ let total = total.clone(); move || add(&total, 1.0, || {}) });
//!     add(&total, 2.0, || {});
//!     t.join().unwrap();
//!     assert_eq!(total.lock().unwrap().updates, 2, "an update was lost: ...");
//! });
//! ```
//!
//! [`Model::check`] runs the test under many schedules. If one fails (an
//! assertion, a panic in the learner's code, a deadlock), it panics with the
//! failure and that schedule's steps, numbered, as the puzzles show them:
//!
//! ```text
//!    1. thread 1 locks total
//!    2. thread 1 unlocks total
//!    3. thread 1: pause()
//!    4. thread 2 locks total
//! ```
//!
//! Every search is deterministic: loom's exhaustive search always explores the
//! same schedules, and shuttle's random and PCT schedulers start from a fixed
//! seed. A wrong solution that fails one run fails every run.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::{Arc, Once, OnceLock};
use std::time::{Duration, Instant};

mod orderings;
pub(crate) use orderings::{OrderingKind, ordering_at};
pub use orderings::{OrderingSite, OrderingUse};

/// Where the facade's operations go on this OS thread.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Backend {
    Std,
    Shuttle,
    Loom,
}

thread_local! {
    static BACKEND: Cell<Backend> = const { Cell::new(Backend::Std) };
    static RUN: RefCell<Option<Run>> = const { RefCell::new(None) };
    static STD_WAKEUPS: Cell<u64> = const { Cell::new(0) };
}

pub(crate) fn backend() -> Backend {
    BACKEND.get()
}

/// How a model explores the schedules of its test.
#[derive(Clone, Copy, Debug)]
pub enum Search {
    /// loom: every schedule that can change the outcome (loom skips orders
    /// of operations that cannot affect each other), with the weak memory
    /// behaviour of `Relaxed`, `Acquire` and `Release` atomics. A search that
    /// needs more than `max_schedules` stops and fails, saying so.
    Exhaustive { max_schedules: usize },
    /// shuttle's random scheduler: `schedules` runs, each choosing the next
    /// thread at random at every step, from a fixed seed.
    Random { seed: u64, schedules: usize },
    /// shuttle's PCT scheduler (probabilistic concurrency testing): each run
    /// gives the threads random priorities and changes them at `depth - 1`
    /// random steps. A bug that needs `depth - 1` such changes is found in
    /// each run with probability at least 1/(n·k^(depth-1)) (n threads, k
    /// steps).
    Pct {
        seed: u64,
        schedules: usize,
        depth: usize,
    },
}

/// A model test: what to explore and how.
#[derive(Clone, Debug)]
pub struct Model {
    what: String,
    search: Search,
    spurious_wakeups: bool,
    time_limit: Duration,
    deadlock: Option<String>,
    endless: Option<String>,
    u64_as_f64: bool,
    /// Require the weakest orderings in the files whose path ends so.
    weakest_in: Option<String>,
}

/// How long a search may take before it fails, saying it did not finish.
/// A check sizes its searches to take a small part of this.
pub const TIME_LIMIT: Duration = Duration::from_secs(4);

impl Model {
    /// Every schedule, with loom (the small primitives: a lock, a counter).
    pub fn exhaustive(what: impl Into<String>, max_schedules: usize) -> Model {
        Model::new(what, Search::Exhaustive { max_schedules })
    }

    /// `schedules` random schedules, with shuttle.
    pub fn random(what: impl Into<String>, schedules: usize) -> Model {
        Model::new(what, Search::Random { seed: 1, schedules })
    }

    /// `schedules` PCT schedules of bug depth `depth`, with shuttle.
    pub fn pct(what: impl Into<String>, schedules: usize, depth: usize) -> Model {
        Model::new(
            what,
            Search::Pct {
                seed: 1,
                schedules,
                depth,
            },
        )
    }

    fn new(what: impl Into<String>, search: Search) -> Model {
        Model {
            what: what.into(),
            search,
            spurious_wakeups: true,
            time_limit: TIME_LIMIT,
            deadlock: None,
            endless: None,
            u64_as_f64: false,
            weakest_in: None,
        }
    }

    /// Whether `Condvar::wait` may wake up without a notification (on by
    /// default: std allows it). Under shuttle the scheduler chooses, at each
    /// wait; loom has no choice of its own, so there every other wait of a
    /// thread on a condvar wakes spuriously (the first, the third, ...).
    pub fn spurious_wakeups(mut self, on: bool) -> Model {
        self.spurious_wakeups = on;
        self
    }

    /// What a deadlock means in this model, said before the steps (else: what
    /// the checker saw, and nothing more).
    pub fn on_deadlock(mut self, meaning: impl Into<String>) -> Model {
        self.deadlock = Some(meaning.into());
        self
    }

    /// What a schedule that runs too many steps means in this model (a loop
    /// that never ends), said instead of the general question about waiting
    /// loops.
    pub fn on_endless(mut self, meaning: impl Into<String>) -> Model {
        self.endless = Some(meaning.into());
        self
    }

    /// Shows the values of every `AtomicU64` in the steps as the f64 whose
    /// bits they are ("loads 2.5 from total", not "loads 4612811918334230528
    /// from total"): for a test whose `AtomicU64`s hold f64 bits.
    pub fn u64_as_f64(mut self) -> Model {
        self.u64_as_f64 = true;
        self
    }

    /// Another time limit than [`TIME_LIMIT`].
    pub fn time_limit(mut self, limit: Duration) -> Model {
        self.time_limit = limit;
        self
    }

    /// Also requires every ordering written in the file whose path ends
    /// with `file` (the learner's) to be the weakest that is correct: once
    /// the search passes, it runs again for each such ordering made one step
    /// weaker (`SeqCst` to `Release` on a store, `Acquire` to `Relaxed` on a
    /// load, a `Release` fence left out, ...), and if loom finds no failing
    /// schedule with the weaker one, the check fails and names the place.
    /// loom only: shuttle treats every ordering as `SeqCst`.
    pub fn weakest_orderings_in(mut self, file: impl Into<String>) -> Model {
        assert!(
            matches!(self.search, Search::Exhaustive { .. }),
            "only loom (Model::exhaustive) explores orderings"
        );
        self.weakest_in = Some(file.into());
        self
    }

    /// Explores `test`; on the first failing schedule, panics with what
    /// failed and that schedule's steps. With [`Model::weakest_orderings_in`],
    /// panics too if an ordering is stronger than needed.
    #[track_caller]
    pub fn check(self, test: impl Fn() + Send + Sync + 'static) -> Explored {
        let test: Arc<dyn Fn() + Send + Sync> = Arc::new(test);
        let weakest_in = self.weakest_in.clone();
        let explored = match explore(self.clone(), test.clone()) {
            Ok(explored) => explored,
            Err(failure) => panic!("{failure}"),
        };
        if let Some(file) = weakest_in
            && let Some(stronger) = orderings::stronger_than_needed(&self, &file, &explored, test)
        {
            panic!("{stronger}");
        }
        explored
    }

    /// Explores `test`, and returns the first failure instead of panicking.
    pub fn explore(
        self,
        test: impl Fn() + Send + Sync + 'static,
    ) -> Result<Explored, Box<Failure>> {
        explore(self, Arc::new(test))
    }
}

/// A search that found no failure.
#[derive(Clone, Debug)]
pub struct Explored {
    /// How many schedules ran.
    pub schedules: usize,
    pub elapsed: Duration,
    orderings: Vec<OrderingUse>,
}

impl Explored {
    /// Every ordering the code used in the search, by place, object and
    /// thread (loom only: empty after a shuttle search).
    pub fn orderings(&self) -> &[OrderingUse] {
        &self.orderings
    }
}

/// What went wrong in a model run.
#[derive(Clone, Debug)]
pub enum Failed {
    /// A thread panicked (an assertion of the check, or the learner's code).
    Panicked {
        message: String,
        location: Option<String>,
        thread: Option<usize>,
    },
    /// No thread could go on, and not all had finished.
    Deadlock { checker: String },
    /// A thread ran too many steps without the others getting anywhere (a
    /// spin loop that never ends under this schedule).
    TooManySteps { checker: String },
    /// No two threads were ever ready to run at the same time (shuttle's PCT
    /// scheduler needs some concurrency to explore, and says so).
    NoConcurrency,
    /// The search needed more schedules or time than its budget.
    Unfinished { explored: usize, reason: String },
}

/// The first failing schedule of a model run.
#[derive(Clone, Debug)]
pub struct Failure {
    pub model: String,
    pub failed: Failed,
    pub deadlock_meaning: Option<String>,
    /// What a schedule that never ends means here, if the check said.
    pub endless_meaning: Option<String>,
    /// Which schedule failed (1-based) and how they were chosen.
    pub schedule: usize,
    pub search: Search,
    /// The steps of the failing schedule, in order: (thread, what it did).
    pub steps: Vec<(usize, String)>,
    /// What each thread that had not finished was waiting for at the end.
    pub waiting: Vec<(usize, String)>,
    /// Every ordering the code used in the search until it failed (loom only).
    pub orderings: Vec<OrderingUse>,
}

/// The most steps a failure shows (the last ones).
const SHOWN_STEPS: usize = 60;

/// "thread 2", or "main" for the model's own thread.
pub fn thread_name(thread: usize) -> String {
    if thread == 0 {
        "main".into()
    } else {
        format!("thread {thread}")
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = match self.search {
            Search::Exhaustive { .. } => "loom (every schedule)".to_string(),
            Search::Random { seed, schedules } => {
                format!("shuttle's random scheduler ({schedules} schedules from seed {seed})")
            }
            Search::Pct {
                seed,
                schedules,
                depth,
            } => format!(
                "shuttle's PCT scheduler ({schedules} schedules of depth {depth} from seed {seed})"
            ),
        };
        match &self.failed {
            Failed::Panicked {
                message,
                location,
                thread,
            } => {
                let at = location
                    .as_ref()
                    .map(|l| format!(" at {l}"))
                    .unwrap_or_default();
                let who = thread.map(thread_name).unwrap_or_else(|| "a thread".into());
                writeln!(f, "{message}")?;
                writeln!(f)?;
                writeln!(
                    f,
                    "Found by {how} in schedule {} of the model \"{}\": {who} panicked{at}.",
                    self.schedule, self.model
                )?;
            }
            Failed::Deadlock { checker } => {
                match &self.deadlock_meaning {
                    Some(meaning) => writeln!(f, "{meaning}")?,
                    None => writeln!(f, "The threads deadlocked.")?,
                }
                writeln!(f)?;
                writeln!(
                    f,
                    "Found by {how} in schedule {} of the model \"{}\": every thread that had not finished was blocked, so none could go on ({checker}).",
                    self.schedule, self.model
                )?;
            }
            Failed::TooManySteps { checker } => {
                match &self.endless_meaning {
                    Some(meaning) => writeln!(f, "{meaning}")?,
                    None => writeln!(
                        f,
                        "A schedule ran too many steps without ending: a loop that waits for something that never happens, \
                         or for a thread it never lets run? (A waiting loop should block on a Condvar, or call \
                         parallel_workbook::sync::hint::spin_loop() or thread::yield_now() on each turn.)"
                    )?,
                }
                writeln!(f)?;
                writeln!(
                    f,
                    "Found by {how} in schedule {} of the model \"{}\" ({checker}).",
                    self.schedule, self.model
                )?;
            }
            Failed::NoConcurrency => {
                return write!(
                    f,
                    "In the model \"{}\", no two threads were ever ready to run at the same time: \
                     each thread finished (or was joined) before the next one started, so nothing ran in parallel.",
                    self.model
                );
            }
            Failed::Unfinished { explored, reason } => {
                return write!(
                    f,
                    "The model \"{}\" could not be checked: {reason} ({explored} schedules explored by {how}). \
                     The check stops here rather than pass code it did not finish exploring. \
                     Does your code take many more steps (locks, atomic operations) than it needs?",
                    self.model
                );
            }
        }
        if self.steps.is_empty() {
            return Ok(());
        }
        writeln!(f, "The steps of that schedule, in order:")?;
        let skip = self.steps.len().saturating_sub(SHOWN_STEPS);
        if skip > 0 {
            writeln!(f, "  ({skip} earlier steps not shown)")?;
        }
        for (i, (thread, what)) in self.steps.iter().enumerate().skip(skip) {
            writeln!(f, "  {:>3}. {} {what}", i + 1, thread_name(*thread))?;
        }
        if matches!(self.failed, Failed::Deadlock { .. }) {
            for (thread, what) in &self.waiting {
                writeln!(
                    f,
                    "  At the end, {} was waiting {what}.",
                    thread_name(*thread)
                )?;
            }
        }
        Ok(())
    }
}

/// What one execution (one schedule) recorded.
struct Run {
    backend: Backend,
    spurious_wakeups: bool,
    u64_as_f64: bool,
    /// The backend's id of each model thread, by our number (0: main).
    threads: Vec<String>,
    /// The thread that made the last recorded operation.
    current: usize,
    steps: Vec<(usize, String)>,
    /// Object labels, by id.
    objects: Vec<Label>,
    waiting: Vec<Option<String>>,
    /// Loom: how many times each (thread, condvar) has waited.
    waits: Vec<((usize, usize), u64)>,
    /// The first panic of this execution: (message, location, thread).
    panic: Option<(String, Option<String>, usize)>,
}

struct Label {
    kind: String,
    name: Option<String>,
}

/// The id of an object made in a model run (`usize::MAX` outside one).
pub(crate) const NO_OBJECT: usize = usize::MAX;

fn with_run<R>(f: impl FnOnce(&mut Run) -> R) -> Option<R> {
    RUN.with(|run| {
        let mut run = run.try_borrow_mut().ok()?;
        match run.as_mut() {
            Some(run) if run.panic.is_none() => Some(f(run)),
            _ => None,
        }
    })
}

/// The backend's id of the model thread running now.
fn current_key(backend: Backend) -> String {
    match backend {
        Backend::Shuttle => usize::from(shuttle::current::me()).to_string(),
        Backend::Loom => format!("{:?}", loom::thread::current().id()),
        Backend::Std => String::new(),
    }
}

/// Our number of the model thread running now (and remembers it as the
/// current one).
fn me(run: &mut Run) -> usize {
    let key = current_key(run.backend);
    let n = run
        .threads
        .iter()
        .position(|k| *k == key)
        .unwrap_or_else(|| {
            run.threads.push(key);
            run.waiting.push(None);
            run.threads.len() - 1
        });
    run.current = n;
    n
}

/// Records that the thread running now did `what` (in a model run).
pub(crate) fn record(what: impl FnOnce() -> String) {
    if backend() == Backend::Std {
        return;
    }
    let what = what();
    with_run(|run| {
        let me = me(run);
        run.waiting[me] = None;
        run.steps.push((me, what));
    });
}

/// Records a step of the check's own (a callback the check gave the
/// learner's code, say), in a model run; does nothing outside one.
pub fn note(what: impl Into<String>) {
    let what = what.into();
    record(|| what);
}

/// How many steps `thread` (0: main, then in the order they were started)
/// has taken so far in this schedule; 0 outside a model run.
pub fn steps_of(thread: usize) -> usize {
    RUN.with(|run| {
        run.try_borrow()
            .ok()
            .and_then(|run| {
                run.as_ref()
                    .map(|run| run.steps.iter().filter(|(t, _)| *t == thread).count())
            })
            .unwrap_or(0)
    })
}

/// Remembers what the thread running now is about to block on, for a
/// deadlock's report; the next recorded step of the thread clears it.
pub(crate) fn about_to_wait(what: impl FnOnce() -> String) {
    if backend() == Backend::Std {
        return;
    }
    let what = what();
    with_run(|run| {
        let me = me(run);
        run.waiting[me] = Some(what);
    });
}

/// A new object of `kind` (e.g. `Mutex<Total>`): its id in this run.
pub(crate) fn new_object(kind: impl FnOnce() -> String) -> usize {
    if backend() == Backend::Std {
        return NO_OBJECT;
    }
    let kind = kind();
    with_run(|run| {
        run.objects.push(Label { kind, name: None });
        run.objects.len() - 1
    })
    .unwrap_or(NO_OBJECT)
}

/// How a step names object `id`: a marker, replaced in the report by the
/// object's name, or by its kind (numbered when there are several).
pub(crate) fn object(id: usize) -> String {
    format!("\u{1}{id}\u{2}")
}

/// `text` with each object's marker replaced by its label.
fn resolve(run: &Run, text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('\u{1}') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after.find('\u{2}').unwrap_or(after.len());
        let id = after[..end].parse().unwrap_or(NO_OBJECT);
        out.push_str(&label(run, id));
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn label(run: &Run, id: usize) -> String {
    let Some(this) = run.objects.get(id) else {
        return "?".into();
    };
    if let Some(name) = &this.name {
        return name.clone();
    }
    let same: Vec<usize> = (0..run.objects.len())
        .filter(|&i| run.objects[i].name.is_none() && run.objects[i].kind == this.kind)
        .collect();
    if same.len() == 1 {
        format!("the {}", this.kind)
    } else {
        let k = same.iter().position(|&i| i == id).unwrap_or(0) + 1;
        format!("{} #{k}", this.kind)
    }
}

/// An object that a model run can name.
pub trait Named {
    #[doc(hidden)]
    fn object_id(&self) -> usize;
}

/// Gives `object` a name for the steps ("locks total"), in a model run.
pub fn name(object: &impl Named, name: &str) {
    let id = object.object_id();
    with_run(|run| {
        if let Some(label) = run.objects.get_mut(id) {
            label.name = Some(name.to_string());
        }
    });
}

/// How a step shows a value of an atomic: as `{:?}`, or, in a model made
/// with [`Model::u64_as_f64`], a `u64` as the f64 of those bits.
pub(crate) fn value_text<T: std::fmt::Debug + Any>(value: &T) -> String {
    let as_f64 = with_run(|run| run.u64_as_f64).unwrap_or(false);
    match (as_f64, (value as &dyn Any).downcast_ref::<u64>()) {
        (true, Some(bits)) => format!("{:?}", f64::from_bits(*bits)),
        _ => format!("{value:?}"),
    }
}

/// The short name of a type: `Mutex<usize>`, not `std::sync::Mutex<usize>`.
pub(crate) fn short_type<T: ?Sized>() -> String {
    let full = std::any::type_name::<T>();
    let mut out = String::new();
    let mut word = String::new();
    for c in full.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
        } else {
            out.push_str(word.rsplit("::").next().unwrap_or(""));
            word.clear();
            out.push(c);
        }
    }
    out.push_str(word.rsplit("::").next().unwrap_or(""));
    out
}

/// Whether this `Condvar::wait` wakes up spuriously instead of waiting.
pub(crate) fn spurious_wakeup(condvar: usize) -> bool {
    match backend() {
        // std: one wait in four, drawn from a small per-thread generator
        // (xorshift); never the same wait twice in a row, so every thread
        // that must wait for a notification does wait for one.
        Backend::Std => STD_WAKEUPS.with(|state| {
            let mut x = state.get();
            if x == 0 {
                x = seed_for_this_thread();
            }
            if x & (1 << 63) != 0 {
                state.set(x & !(1 << 63));
                return false;
            }
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let spurious = x % 4 == 0;
            state.set(if spurious {
                x | (1 << 63)
            } else {
                x & !(1 << 63)
            });
            spurious
        }),
        // shuttle: the scheduler's random data decides, at each wait (so a
        // schedule's choices are replayed with it), but never twice in a
        // row for one thread and condvar: every thread that must wait for
        // a notification does wait for one.
        Backend::Shuttle => {
            use shuttle::rand::RngCore;
            let wake = with_run(|run| {
                if !run.spurious_wakeups {
                    return None;
                }
                let me = me(run);
                Some(*waits_of(run, me, condvar))
            })
            .flatten();
            let Some(count) = wake else { return false };
            let last_was_spurious = count & 1 == 1;
            let spurious =
                !last_was_spurious && shuttle::rand::thread_rng().next_u32().is_multiple_of(2);
            let me = with_run(|run| run.current).unwrap_or(0);
            with_run(|run| {
                *waits_of(run, me, condvar) = u64::from(spurious);
            });
            spurious
        }
        Backend::Loom => with_run(|run| {
            if !run.spurious_wakeups {
                return false;
            }
            let me = me(run);
            let count = waits_of(run, me, condvar);
            *count += 1;
            *count % 2 == 1
        })
        .unwrap_or(false),
    }
}

/// The wait counter of (thread, condvar): loom counts waits; shuttle keeps
/// whether the last wait was spurious.
fn waits_of(run: &mut Run, thread: usize, condvar: usize) -> &mut u64 {
    let key = (thread, condvar);
    let at = match run.waits.iter().position(|(k, _)| *k == key) {
        Some(at) => at,
        None => {
            run.waits.push((key, 0));
            run.waits.len() - 1
        }
    };
    &mut run.waits[at].1
}

fn seed_for_this_thread() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(Instant::now().elapsed().as_nanos() as u64);
    (h.finish() | 1) & !(1 << 63)
}

/// A model thread starts: it takes number `n` (given by its parent).
pub(crate) fn thread_started(n: usize) {
    with_run(|run| {
        let key = current_key(run.backend);
        while run.threads.len() <= n {
            run.threads.push(String::new());
            run.waiting.push(None);
        }
        run.threads[n] = key;
        run.current = n;
    });
}

/// Reserves the next thread number (the parent does, at spawn).
pub(crate) fn reserve_thread() -> usize {
    with_run(|run| {
        run.threads.push(String::new());
        run.waiting.push(None);
        run.threads.len() - 1
    })
    .unwrap_or(0)
}

/// Raised (with `panic_any`) when a search runs out of budget.
struct OutOfBudget(String);

/// The panic hook, installed once: in a model run it records the panic for
/// the failure report and prints nothing (the report says it all); outside
/// one, the hook that was there before.
fn install_hook() {
    static ORIGINAL: OnceLock<Arc<Hook>> = OnceLock::new();
    static FIRST: Once = Once::new();
    FIRST.call_once(|| {
        let original = Arc::new(panic::take_hook());
        // shuttle installs a hook of its own on its first run (it prints
        // the schedule in its own encoding, and noise for a panic outside a
        // model): let it do that now, with nothing to explore, and replace
        // it, so that no later run brings it back.
        shuttle::Runner::new(Random::new(0, 1), shuttle_config()).run(|| {});
        drop(panic::take_hook());
        let _ = ORIGINAL.set(original);
        set_our_hook(&ORIGINAL);
    });
}

/// Installs the facade's panic hook now, not at the first model run. A
/// check calls this before any test's code runs (`common::within` does), so
/// that a test panicking on real threads while another starts the first
/// model run never meets the hook shuttle sets up for a moment then.
pub fn install_panic_hook() {
    assert!(
        backend() == Backend::Std,
        "install_panic_hook is for outside a model run"
    );
    install_hook();
}

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Send + Sync>;

fn set_our_hook(original: &'static OnceLock<Arc<Hook>>) {
    panic::set_hook(Box::new(move |info| {
        if backend() == Backend::Std {
            if let Some(original) = original.get() {
                original(info);
            }
            return;
        }
        let message = payload_text(info.payload());
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
        RUN.with(|run| {
            if let Ok(mut run) = run.try_borrow_mut()
                && let Some(run) = run.as_mut()
                && run.panic.is_none()
            {
                let thread = run.current;
                run.panic = Some((message, location, thread));
            }
        });
    }));
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else if let Some(OutOfBudget(s)) = payload.downcast_ref::<OutOfBudget>() {
        s.clone()
    } else {
        "(a panic without a message)".into()
    }
}

/// Sets the backend for the duration of a search, and back on drop.
struct InModel;

impl InModel {
    fn enter(backend: Backend) -> InModel {
        BACKEND.set(backend);
        InModel
    }
}

impl Drop for InModel {
    fn drop(&mut self) {
        BACKEND.set(Backend::Std);
    }
}

fn explore(model: Model, test: Arc<dyn Fn() + Send + Sync>) -> Result<Explored, Box<Failure>> {
    assert!(
        backend() == Backend::Std,
        "a model run cannot start inside another"
    );
    install_hook();
    let started = Instant::now();
    let schedules = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (limit, max) = (
        model.time_limit,
        match model.search {
            Search::Exhaustive { max_schedules } => max_schedules,
            Search::Random { schedules, .. } | Search::Pct { schedules, .. } => schedules,
        },
    );
    let backend = match model.search {
        Search::Exhaustive { .. } => Backend::Loom,
        _ => Backend::Shuttle,
    };
    let spurious = model.spurious_wakeups;
    let u64_as_f64 = model.u64_as_f64;
    orderings::forget();
    let count = schedules.clone();
    let one_schedule = move || {
        let n = count.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        install_hook();
        RUN.with(|run| {
            *run.borrow_mut() = Some(Run {
                backend,
                spurious_wakeups: spurious,
                u64_as_f64,
                threads: vec![current_key(backend)],
                current: 0,
                steps: Vec::new(),
                objects: Vec::new(),
                waiting: vec![None],
                waits: Vec::new(),
                panic: None,
            })
        });
        if n > max {
            panic::panic_any(OutOfBudget(format!(
                "the search needs more than {max} schedules"
            )));
        }
        if started.elapsed() > limit {
            panic::panic_any(OutOfBudget(format!(
                "the search did not finish in {} s",
                limit.as_secs_f64()
            )));
        }
        test();
    };
    let outcome = {
        let _in_model = InModel::enter(backend);
        panic::catch_unwind(AssertUnwindSafe(|| match model.search {
            Search::Exhaustive { .. } => {
                // Builder::new reads LOOM_* variables; none may make the
                // search less than exhaustive, or write files, here.
                let mut builder = loom::model::Builder::new();
                builder.max_branches = 10_000;
                builder.preemption_bound = None;
                builder.max_permutations = None;
                builder.max_duration = None;
                builder.checkpoint_file = None;
                builder.log = false;
                builder.check(one_schedule);
            }
            Search::Random { seed, schedules } => {
                let scheduler = Random::new(seed, schedules);
                shuttle::Runner::new(scheduler, shuttle_config()).run(one_schedule);
            }
            Search::Pct {
                seed,
                schedules,
                depth,
            } => {
                let scheduler =
                    shuttle::scheduler::PctScheduler::new_from_seed(seed, depth, schedules);
                shuttle::Runner::new(scheduler, shuttle_config()).run(one_schedule);
            }
        }))
    };
    let run = RUN.with(|run| run.borrow_mut().take());
    let orderings = orderings::recorded();
    let schedule = schedules.load(std::sync::atomic::Ordering::Relaxed);
    let payload = match outcome {
        Ok(()) => {
            return Ok(Explored {
                schedules: schedule,
                elapsed: started.elapsed(),
                orderings,
            });
        }
        Err(payload) => payload,
    };
    let text = payload_text(&*payload);
    let (steps, waiting, recorded) = match run {
        Some(run) => {
            let waiting = run
                .waiting
                .iter()
                .enumerate()
                .filter_map(|(t, w)| w.as_ref().map(|w| (t, resolve(&run, w))))
                .collect();
            let steps = run
                .steps
                .iter()
                .map(|(t, what)| (*t, resolve(&run, what)))
                .collect();
            (steps, waiting, run.panic)
        }
        None => (Vec::new(), Vec::new(), None),
    };
    let failed = if payload.downcast_ref::<OutOfBudget>().is_some() {
        Failed::Unfinished {
            explored: schedule.saturating_sub(1),
            reason: text,
        }
    } else if text.starts_with("deadlock") || text.contains("deadlock!") {
        Failed::Deadlock {
            checker: first_line(&text),
        }
    } else if text.contains("did not exercise any concurrency") {
        Failed::NoConcurrency
    } else if text.contains("exceeded max_steps") || text.contains("maximum number of branches") {
        Failed::TooManySteps {
            checker: first_line(&text),
        }
    } else {
        let (message, location, thread) = match recorded {
            Some((message, location, thread)) => (message, location, Some(thread)),
            None => (text, None, None),
        };
        Failed::Panicked {
            message,
            location,
            thread,
        }
    };
    let unfinished = matches!(failed, Failed::Unfinished { .. } | Failed::NoConcurrency);
    Err(Box::new(Failure {
        model: model.what,
        failed,
        deadlock_meaning: model.deadlock,
        endless_meaning: model.endless,
        schedule,
        search: model.search,
        steps: if unfinished { Vec::new() } else { steps },
        waiting: if unfinished { Vec::new() } else { waiting },
        orderings,
    }))
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    if line.chars().count() > 160 {
        line.chars().take(160).collect::<String>() + "…"
    } else {
        line.to_string()
    }
}

fn shuttle_config() -> shuttle::Config {
    let mut config = shuttle::Config::new();
    config.failure_persistence = shuttle::FailurePersistence::None;
    config.silence_warnings = true;
    // A spin loop that never lets the others run: fail soon, not after a
    // million steps.
    config.max_steps = shuttle::MaxSteps::FailAfter(20_000);
    config
}

/// shuttle's random scheduler, less what it prints (a seed and how to
/// replay it with shuttle's API, which a learner cannot use): at every step,
/// any runnable thread, drawn from a generator seeded by the run's seed and
/// the schedule's number. (`SHUTTLE_RANDOM_SEED` does not change it either.)
struct Random {
    seed: u64,
    schedules: usize,
    done: usize,
    state: u64,
}

impl Random {
    fn new(seed: u64, schedules: usize) -> Random {
        Random {
            seed,
            schedules,
            done: 0,
            state: 1,
        }
    }

    /// xorshift64*: small, fast, and plenty for choosing among a few threads.
    fn next(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

impl shuttle::scheduler::Scheduler for Random {
    fn new_execution(&mut self) -> Option<shuttle::scheduler::Schedule> {
        if self.done >= self.schedules {
            return None;
        }
        self.done += 1;
        let seed = self
            .seed
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .wrapping_add(self.done as u64);
        self.state = seed | 1;
        Some(shuttle::scheduler::Schedule::new(seed))
    }

    fn next_task(
        &mut self,
        runnable: &[&shuttle::scheduler::Task],
        _current: Option<shuttle::scheduler::TaskId>,
        _is_yielding: bool,
    ) -> Option<shuttle::scheduler::TaskId> {
        let pick = (self.next() % runnable.len() as u64) as usize;
        Some(runnable[pick].id())
    }

    fn next_u64(&mut self) -> u64 {
        self.next()
    }
}
