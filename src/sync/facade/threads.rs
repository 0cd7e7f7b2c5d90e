//! `std::thread`'s API, on `std`, shuttle or loom (by the backend current
//! when it is called).

use std::fmt;
use std::io;
use std::time::Duration;

use super::model::{self, Backend, backend};

/// `std::thread::ThreadId`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ThreadId(IdInner);

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum IdInner {
    Std(std::thread::ThreadId),
    Shuttle(shuttle::thread::ThreadId),
    Loom(loom::thread::ThreadId),
}

impl fmt::Debug for ThreadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            IdInner::Std(id) => id.fmt(f),
            IdInner::Shuttle(id) => id.fmt(f),
            IdInner::Loom(id) => id.fmt(f),
        }
    }
}

/// `std::thread::Thread`: a handle to unpark a thread, and its id.
#[derive(Clone, Debug)]
pub struct Thread(ThreadInner);

#[derive(Clone, Debug)]
enum ThreadInner {
    Std(std::thread::Thread),
    Shuttle(shuttle::thread::Thread),
    Loom(loom::thread::Thread),
}

impl Thread {
    pub fn id(&self) -> ThreadId {
        ThreadId(match &self.0 {
            ThreadInner::Std(t) => IdInner::Std(t.id()),
            ThreadInner::Shuttle(t) => IdInner::Shuttle(t.id()),
            ThreadInner::Loom(t) => IdInner::Loom(t.id()),
        })
    }

    pub fn name(&self) -> Option<&str> {
        match &self.0 {
            ThreadInner::Std(t) => t.name(),
            ThreadInner::Shuttle(t) => t.name(),
            ThreadInner::Loom(t) => t.name(),
        }
    }

    pub fn unpark(&self) {
        match &self.0 {
            ThreadInner::Std(t) => t.unpark(),
            ThreadInner::Shuttle(t) => t.unpark(),
            ThreadInner::Loom(t) => t.unpark(),
        }
        model::record(|| "unparks a thread".into());
    }
}

/// The thread running now.
pub fn current() -> Thread {
    Thread(match backend() {
        Backend::Std => ThreadInner::Std(std::thread::current()),
        Backend::Shuttle => ThreadInner::Shuttle(shuttle::thread::current()),
        Backend::Loom => ThreadInner::Loom(loom::thread::current()),
    })
}

/// Blocks until unparked (or spuriously, as std allows).
pub fn park() {
    model::about_to_wait(|| "in park()".into());
    match backend() {
        Backend::Std => std::thread::park(),
        Backend::Shuttle => shuttle::thread::park(),
        Backend::Loom => loom::thread::park(),
    }
    model::record(|| "is unparked".into());
}

/// In a model run there is no time: the same as [`park`].
pub fn park_timeout(dur: Duration) {
    match backend() {
        Backend::Std => std::thread::park_timeout(dur),
        _ => park(),
    }
}

/// In a model run there is no time: a sleep lets the other threads run.
pub fn sleep(dur: Duration) {
    match backend() {
        Backend::Std => std::thread::sleep(dur),
        Backend::Shuttle => shuttle::thread::sleep(dur),
        Backend::Loom => loom::thread::yield_now(),
    }
    model::record(|| "sleeps".into());
}

pub fn yield_now() {
    match backend() {
        Backend::Std => std::thread::yield_now(),
        Backend::Shuttle => shuttle::thread::yield_now(),
        Backend::Loom => loom::thread::yield_now(),
    }
}

/// `std::thread::JoinHandle`.
pub struct JoinHandle<T> {
    inner: JoinInner<T>,
    thread: Thread,
    number: usize,
}

enum JoinInner<T> {
    Std(std::thread::JoinHandle<T>),
    Shuttle(shuttle::thread::JoinHandle<T>),
    Loom(loom::thread::JoinHandle<T>),
}

impl<T> JoinHandle<T> {
    pub fn join(self) -> std::thread::Result<T> {
        let number = self.number;
        model::about_to_wait(|| format!("to join {}", model::thread_name(number)));
        let result = match self.inner {
            JoinInner::Std(h) => h.join(),
            JoinInner::Shuttle(h) => h.join(),
            JoinInner::Loom(h) => h.join(),
        };
        model::record(|| format!("joins {}", model::thread_name(number)));
        result
    }

    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    /// Whether the thread has finished (`std` only: no model checker can
    /// tell without a scheduling point of its own).
    pub fn is_finished(&self) -> bool {
        match &self.inner {
            JoinInner::Std(h) => h.is_finished(),
            _ => panic!("JoinHandle::is_finished is not available in a model run"),
        }
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JoinHandle { .. }")
    }
}

/// `std::thread::Builder`.
#[derive(Debug, Default)]
pub struct Builder {
    name: Option<String>,
    stack_size: Option<usize>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    pub fn name(mut self, name: String) -> Builder {
        self.name = Some(name);
        self
    }

    pub fn stack_size(mut self, size: usize) -> Builder {
        self.stack_size = Some(size);
        self
    }

    pub fn spawn<F, T>(self, f: F) -> io::Result<JoinHandle<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let number = model::reserve_thread();
        let started = move || {
            model::thread_started(number);
            f()
        };
        // Before the spawn: the new thread's steps never come first.
        model::record(|| format!("starts {}", model::thread_name(number)));
        let (inner, thread) = match backend() {
            Backend::Std => {
                let mut b = std::thread::Builder::new();
                if let Some(name) = self.name {
                    b = b.name(name);
                }
                if let Some(size) = self.stack_size {
                    b = b.stack_size(size);
                }
                let h = b.spawn(started)?;
                let t = ThreadInner::Std(h.thread().clone());
                (JoinInner::Std(h), t)
            }
            Backend::Shuttle => {
                let mut b = shuttle::thread::Builder::new();
                if let Some(name) = self.name {
                    b = b.name(name);
                }
                let h = b.spawn(started)?;
                let t = ThreadInner::Shuttle(h.thread().clone());
                (JoinInner::Shuttle(h), t)
            }
            Backend::Loom => {
                let mut b = loom::thread::Builder::new();
                if let Some(name) = self.name {
                    b = b.name(name);
                }
                let h = b.spawn(started)?;
                let t = ThreadInner::Loom(h.thread().clone());
                (JoinInner::Loom(h), t)
            }
        };
        Ok(JoinHandle {
            inner,
            thread: Thread(thread),
            number,
        })
    }
}

/// Starts a thread (`std::thread::spawn`).
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    Builder::new().spawn(f).expect("failed to spawn thread")
}

/// `std::thread::Scope`: scoped threads may borrow from outside the scope.
pub struct Scope<'scope, 'env: 'scope> {
    inner: ScopeInner<'scope, 'env>,
}

enum ScopeInner<'scope, 'env: 'scope> {
    Std(&'scope std::thread::Scope<'scope, 'env>),
    Shuttle(&'scope shuttle::thread::Scope<'scope, 'env>),
}

impl fmt::Debug for Scope<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Scope { .. }")
    }
}

/// `std::thread::ScopedJoinHandle`.
pub struct ScopedJoinHandle<'scope, T> {
    inner: ScopedInner<'scope, T>,
    thread: Thread,
    number: usize,
}

enum ScopedInner<'scope, T> {
    Std(std::thread::ScopedJoinHandle<'scope, T>),
    Shuttle(shuttle::thread::ScopedJoinHandle<'scope, T>),
}

impl<'scope> Scope<'scope, '_> {
    pub fn spawn<F, T>(&'scope self, f: F) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        let number = model::reserve_thread();
        let started = move || {
            model::thread_started(number);
            f()
        };
        model::record(|| format!("starts {}", model::thread_name(number)));
        let (inner, thread) = match &self.inner {
            ScopeInner::Std(s) => {
                let h = s.spawn(started);
                let t = ThreadInner::Std(h.thread().clone());
                (ScopedInner::Std(h), t)
            }
            ScopeInner::Shuttle(s) => {
                let h = s.spawn(started);
                let t = ThreadInner::Shuttle(h.thread().clone());
                (ScopedInner::Shuttle(h), t)
            }
        };
        ScopedJoinHandle {
            inner,
            thread: Thread(thread),
            number,
        }
    }
}

impl<T> ScopedJoinHandle<'_, T> {
    pub fn join(self) -> std::thread::Result<T> {
        let number = self.number;
        model::about_to_wait(|| format!("to join {}", model::thread_name(number)));
        let result = match self.inner {
            ScopedInner::Std(h) => h.join(),
            ScopedInner::Shuttle(h) => h.join(),
        };
        model::record(|| format!("joins {}", model::thread_name(number)));
        result
    }

    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    pub fn is_finished(&self) -> bool {
        match &self.inner {
            ScopedInner::Std(h) => h.is_finished(),
            ScopedInner::Shuttle(h) => h.is_finished(),
        }
    }
}

impl<T> fmt::Debug for ScopedJoinHandle<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ScopedJoinHandle { .. }")
    }
}

/// `std::thread::scope`: every thread spawned in it is joined before it
/// returns. (One small allocation per call is leaked: the scope's handle
/// must live as long as the scope, and only `std` and shuttle can make
/// one that does.)
pub fn scope<'env, F, T>(f: F) -> T
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    let result = match backend() {
        Backend::Std => std::thread::scope(|s| {
            f(Box::leak(Box::new(Scope {
                inner: ScopeInner::Std(s),
            })))
        }),
        Backend::Shuttle => shuttle::thread::scope(|s| {
            f(Box::leak(Box::new(Scope {
                inner: ScopeInner::Shuttle(s),
            })))
        }),
        Backend::Loom => panic!(
            "thread::scope is not available under loom: model a check that needs scoped threads with shuttle (Model::random or Model::pct)"
        ),
    };
    model::record(|| "leaves the thread::scope (every thread in it has finished)".into());
    result
}
