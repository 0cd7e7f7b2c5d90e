//! `Condvar` (with spurious wake-ups) and `Barrier`, on `std`, shuttle or loom.

use std::fmt;
use std::sync::{LockResult, PoisonError};
use std::time::Duration;

use super::lock::{GuardInner, MutexGuard};
use super::model::{self, Backend, Named, backend};

/// `std::sync::Condvar`, on the backend current when it was made. `wait`
/// may return without a notification (a spurious wake-up, which std
/// allows): see [`model::Model::spurious_wakeups`].
pub struct Condvar {
    inner: CondvarInner,
    id: usize,
}

enum CondvarInner {
    Std(std::sync::Condvar),
    Shuttle(shuttle::sync::Condvar),
    Loom(loom::sync::Condvar),
}

/// `std::sync::WaitTimeoutResult`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

fn poisoned_if<G>(poisoned: bool, guard: G) -> LockResult<G> {
    if poisoned {
        Err(PoisonError::new(guard))
    } else {
        Ok(guard)
    }
}

impl Condvar {
    pub fn new() -> Condvar {
        let inner = match backend() {
            Backend::Std => CondvarInner::Std(std::sync::Condvar::new()),
            Backend::Shuttle => CondvarInner::Shuttle(shuttle::sync::Condvar::new()),
            Backend::Loom => CondvarInner::Loom(loom::sync::Condvar::new()),
        };
        let id = model::new_object(|| "Condvar".into());
        Condvar { inner, id }
    }

    pub fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        let mutex = guard.mutex;
        if model::spurious_wakeup(self.id) {
            // Unlock, let others run, lock again: std allows a wait to end
            // like this, with no notification at all. (Recorded after the
            // unlock: the model checkers switch threads only before an
            // operation, so nothing can come between the two.)
            drop(guard.inner.take());
            drop(guard);
            if backend() == Backend::Std {
                std::thread::yield_now();
            }
            model::record(|| {
                format!(
                    "waits on {}, unlocking {}, and wakes up at once without a notification: a spurious wake-up, which std allows",
                    model::object(self.id),
                    model::object(mutex.id)
                )
            });
            return mutex.lock();
        }
        let inner = guard.inner.take().expect("a live guard");
        // The wait itself is recorded when it ends: the checkers may switch
        // threads inside `wait` before it unlocks and starts waiting, so a
        // step recorded here could come before steps that really happened
        // first (a notification that this wait then missed, say).
        let (cv, m) = (model::object(self.id), model::object(mutex.id));
        model::about_to_wait(|| format!("on {cv} for a notification, having unlocked {m}"));
        let (inner, poisoned) = match (&self.inner, inner) {
            (CondvarInner::Std(c), GuardInner::Std(g)) => match c.wait(g) {
                Ok(g) => (GuardInner::Std(g), false),
                Err(p) => (GuardInner::Std(p.into_inner()), true),
            },
            (CondvarInner::Shuttle(c), GuardInner::Shuttle(g)) => match c.wait(g) {
                Ok(g) => (GuardInner::Shuttle(g), false),
                Err(p) => (GuardInner::Shuttle(p.into_inner()), true),
            },
            (CondvarInner::Loom(c), GuardInner::Loom(g)) => match c.wait(g) {
                Ok(g) => (GuardInner::Loom(g), false),
                Err(p) => (GuardInner::Loom(p.into_inner()), true),
            },
            _ => panic!(
                "a Condvar used with a Mutex made in another backend (one inside a model run, one outside)"
            ),
        };
        model::record(|| {
            format!("is woken on {cv} (it had unlocked {m} to wait), and locks {m} again")
        });
        guard.inner = Some(inner);
        poisoned_if(poisoned, guard)
    }

    pub fn wait_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }

    /// In a model run there is no time: the wait ends by a notification or
    /// a spurious wake-up, never by the timeout.
    pub fn wait_timeout<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        dur: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        if backend() != Backend::Std || !matches!(self.inner, CondvarInner::Std(_)) {
            return match self.wait(guard) {
                Ok(g) => Ok((g, WaitTimeoutResult(false))),
                Err(p) => Err(PoisonError::new((p.into_inner(), WaitTimeoutResult(false)))),
            };
        }
        let (CondvarInner::Std(c), Some(GuardInner::Std(g))) = (&self.inner, guard.inner.take())
        else {
            panic!("a Condvar used with a Mutex made in another backend");
        };
        let (g, timed_out, poisoned) = match c.wait_timeout(g, dur) {
            Ok((g, t)) => (g, t.timed_out(), false),
            Err(p) => {
                let (g, t) = p.into_inner();
                (g, t.timed_out(), true)
            }
        };
        guard.inner = Some(GuardInner::Std(g));
        poisoned_if(poisoned, (guard, WaitTimeoutResult(timed_out)))
    }

    pub fn wait_timeout_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        dur: Duration,
        mut condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        let start = std::time::Instant::now();
        while condition(&mut *guard) {
            let left = dur.saturating_sub(start.elapsed());
            if backend() == Backend::Std && left.is_zero() {
                return Ok((guard, WaitTimeoutResult(true)));
            }
            guard = match self.wait_timeout(guard, left) {
                Ok((g, _)) => g,
                Err(p) => {
                    let (g, _) = p.into_inner();
                    return Err(PoisonError::new((g, WaitTimeoutResult(false))));
                }
            };
        }
        Ok((guard, WaitTimeoutResult(false)))
    }

    pub fn notify_one(&self) {
        match &self.inner {
            CondvarInner::Std(c) => c.notify_one(),
            CondvarInner::Shuttle(c) => c.notify_one(),
            CondvarInner::Loom(c) => c.notify_one(),
        }
        model::record(|| format!("notifies one waiter of {}", model::object(self.id)));
    }

    pub fn notify_all(&self) {
        match &self.inner {
            CondvarInner::Std(c) => c.notify_all(),
            CondvarInner::Shuttle(c) => c.notify_all(),
            CondvarInner::Loom(c) => c.notify_all(),
        }
        model::record(|| format!("notifies all waiters of {}", model::object(self.id)));
    }
}

impl Named for Condvar {
    fn object_id(&self) -> usize {
        self.id
    }
}

impl Default for Condvar {
    fn default() -> Self {
        Condvar::new()
    }
}

impl fmt::Debug for Condvar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Condvar { .. }")
    }
}

/// `std::sync::Barrier`. loom has none: there it is a count and a
/// generation under loom's `Mutex`, with loom's `Condvar`.
pub struct Barrier {
    inner: BarrierInner,
    id: usize,
}

enum BarrierInner {
    Std(std::sync::Barrier),
    Shuttle(shuttle::sync::Barrier),
    Loom {
        parties: usize,
        state: loom::sync::Mutex<(usize, u64)>,
        all_here: loom::sync::Condvar,
    },
}

/// `std::sync::BarrierWaitResult`: one waiter of each round is the leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl Barrier {
    pub fn new(n: usize) -> Barrier {
        let inner = match backend() {
            Backend::Std => BarrierInner::Std(std::sync::Barrier::new(n)),
            Backend::Shuttle => BarrierInner::Shuttle(shuttle::sync::Barrier::new(n)),
            Backend::Loom => BarrierInner::Loom {
                parties: n,
                state: loom::sync::Mutex::new((0, 0)),
                all_here: loom::sync::Condvar::new(),
            },
        };
        let id = model::new_object(|| format!("Barrier({n})"));
        Barrier { inner, id }
    }

    pub fn wait(&self) -> BarrierWaitResult {
        // Recorded when it ends, as `Condvar::wait`.
        model::about_to_wait(|| format!("at {}", model::object(self.id)));
        let leader = match &self.inner {
            BarrierInner::Std(b) => b.wait().is_leader(),
            BarrierInner::Shuttle(b) => b.wait().is_leader(),
            BarrierInner::Loom {
                parties,
                state,
                all_here,
            } => {
                let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
                let generation = state.1;
                state.0 += 1;
                if state.0 < *parties {
                    while generation == state.1 {
                        state = all_here.wait(state).unwrap_or_else(PoisonError::into_inner);
                    }
                    false
                } else {
                    state.0 = 0;
                    state.1 += 1;
                    all_here.notify_all();
                    true
                }
            }
        };
        model::record(|| format!("waits at {} and passes it", model::object(self.id)));
        BarrierWaitResult(leader)
    }
}

impl Named for Barrier {
    fn object_id(&self) -> usize {
        self.id
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Barrier { .. }")
    }
}
