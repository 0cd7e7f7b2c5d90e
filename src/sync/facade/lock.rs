//! `Mutex` and `RwLock`, on `std`, shuttle or loom.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

use super::model::{self, Backend, Named, backend};

/// `std::sync::Mutex`, on the backend current when it was made.
pub struct Mutex<T> {
    inner: MutexInner<T>,
    pub(super) id: usize,
}

enum MutexInner<T> {
    Std(std::sync::Mutex<T>),
    Shuttle(shuttle::sync::Mutex<T>),
    Loom(loom::sync::Mutex<T>),
}

/// `std::sync::MutexGuard`: the lock is held until it is dropped.
pub struct MutexGuard<'a, T> {
    pub(super) mutex: &'a Mutex<T>,
    pub(super) inner: Option<GuardInner<'a, T>>,
}

pub(super) enum GuardInner<'a, T> {
    Std(std::sync::MutexGuard<'a, T>),
    Shuttle(shuttle::sync::MutexGuard<'a, T>),
    Loom(loom::sync::MutexGuard<'a, T>),
}

/// Maps a backend's lock result to ours, poisoned or not.
fn map_result<G, O>(result: LockResult<G>, f: impl FnOnce(G) -> O) -> LockResult<O> {
    match result {
        Ok(guard) => Ok(f(guard)),
        Err(poisoned) => Err(PoisonError::new(f(poisoned.into_inner()))),
    }
}

fn map_try<G, O>(result: TryLockResult<G>, f: impl FnOnce(G) -> O) -> TryLockResult<O> {
    match result {
        Ok(guard) => Ok(f(guard)),
        Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
        Err(TryLockError::Poisoned(p)) => {
            Err(TryLockError::Poisoned(PoisonError::new(f(p.into_inner()))))
        }
    }
}

impl<T> Mutex<T> {
    pub fn new(value: T) -> Mutex<T> {
        let inner = match backend() {
            Backend::Std => MutexInner::Std(std::sync::Mutex::new(value)),
            Backend::Shuttle => MutexInner::Shuttle(shuttle::sync::Mutex::new(value)),
            Backend::Loom => MutexInner::Loom(loom::sync::Mutex::new(value)),
        };
        let id = model::new_object(|| format!("Mutex<{}>", model::short_type::<T>()));
        Mutex { inner, id }
    }

    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        model::about_to_wait(|| format!("to lock {}", model::object(self.id)));
        let result = match &self.inner {
            MutexInner::Std(m) => map_result(m.lock(), GuardInner::Std),
            MutexInner::Shuttle(m) => map_result(m.lock(), GuardInner::Shuttle),
            MutexInner::Loom(m) => map_result(m.lock(), GuardInner::Loom),
        };
        model::record(|| format!("locks {}", model::object(self.id)));
        map_result(result, |inner| MutexGuard {
            mutex: self,
            inner: Some(inner),
        })
    }

    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        let result = match &self.inner {
            MutexInner::Std(m) => map_try(m.try_lock(), GuardInner::Std),
            MutexInner::Shuttle(m) => map_try(m.try_lock(), GuardInner::Shuttle),
            MutexInner::Loom(m) => map_try(m.try_lock(), GuardInner::Loom),
        };
        let got = !matches!(result, Err(TryLockError::WouldBlock));
        model::record(|| {
            let what = model::object(self.id);
            if got {
                format!("try_lock: locks {what}")
            } else {
                format!("try_lock: finds {what} locked")
            }
        });
        map_try(result, |inner| MutexGuard {
            mutex: self,
            inner: Some(inner),
        })
    }

    pub fn is_poisoned(&self) -> bool {
        match &self.inner {
            MutexInner::Std(m) => m.is_poisoned(),
            MutexInner::Shuttle(_) | MutexInner::Loom(_) => false,
        }
    }

    pub fn into_inner(self) -> LockResult<T> {
        match self.inner {
            MutexInner::Std(m) => m.into_inner(),
            MutexInner::Shuttle(m) => m.into_inner(),
            MutexInner::Loom(m) => m.into_inner(),
        }
    }

    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        match &mut self.inner {
            MutexInner::Std(m) => m.get_mut(),
            MutexInner::Shuttle(m) => m.get_mut(),
            MutexInner::Loom(m) => m.get_mut(),
        }
    }
}

impl<T> Named for Mutex<T> {
    fn object_id(&self) -> usize {
        self.id
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T> From<T> for Mutex<T> {
    fn from(value: T) -> Self {
        Mutex::new(value)
    }
}

impl<T: fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            MutexInner::Std(m) => m.fmt(f),
            MutexInner::Shuttle(m) => m.fmt(f),
            MutexInner::Loom(m) => m.fmt(f),
        }
    }
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self.inner.as_ref().expect("a live guard") {
            GuardInner::Std(g) => g,
            GuardInner::Shuttle(g) => g,
            GuardInner::Loom(g) => g,
        }
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        match self.inner.as_mut().expect("a live guard") {
            GuardInner::Std(g) => &mut *g,
            GuardInner::Shuttle(g) => &mut *g,
            GuardInner::Loom(g) => &mut *g,
        }
    }
}

impl<T> MutexGuard<'_, T> {
    /// Unlocks (the backend's guard is dropped) and records it; for drop and
    /// for `Condvar::wait`.
    pub(super) fn release(&mut self) {
        if let Some(inner) = self.inner.take() {
            drop(inner);
            model::record(|| format!("unlocks {}", model::object(self.mutex.id)));
        }
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        self.release();
    }
}

impl<T: fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: fmt::Display> fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

/// `std::sync::RwLock`, on the backend current when it was made.
pub struct RwLock<T> {
    inner: RwInner<T>,
    id: usize,
}

enum RwInner<T> {
    Std(std::sync::RwLock<T>),
    Shuttle(shuttle::sync::RwLock<T>),
    Loom(loom::sync::RwLock<T>),
}

/// `std::sync::RwLockReadGuard`.
pub struct RwLockReadGuard<'a, T> {
    lock: &'a RwLock<T>,
    inner: Option<ReadInner<'a, T>>,
}

enum ReadInner<'a, T> {
    Std(std::sync::RwLockReadGuard<'a, T>),
    Shuttle(shuttle::sync::RwLockReadGuard<'a, T>),
    Loom(loom::sync::RwLockReadGuard<'a, T>),
}

/// `std::sync::RwLockWriteGuard`.
pub struct RwLockWriteGuard<'a, T> {
    lock: &'a RwLock<T>,
    inner: Option<WriteInner<'a, T>>,
}

enum WriteInner<'a, T> {
    Std(std::sync::RwLockWriteGuard<'a, T>),
    Shuttle(shuttle::sync::RwLockWriteGuard<'a, T>),
    Loom(loom::sync::RwLockWriteGuard<'a, T>),
}

impl<T> RwLock<T> {
    pub fn new(value: T) -> RwLock<T> {
        let inner = match backend() {
            Backend::Std => RwInner::Std(std::sync::RwLock::new(value)),
            Backend::Shuttle => RwInner::Shuttle(shuttle::sync::RwLock::new(value)),
            Backend::Loom => RwInner::Loom(loom::sync::RwLock::new(value)),
        };
        let id = model::new_object(|| format!("RwLock<{}>", model::short_type::<T>()));
        RwLock { inner, id }
    }

    pub fn read(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        model::about_to_wait(|| format!("to read-lock {}", model::object(self.id)));
        let result = match &self.inner {
            RwInner::Std(l) => map_result(l.read(), ReadInner::Std),
            RwInner::Shuttle(l) => map_result(l.read(), ReadInner::Shuttle),
            RwInner::Loom(l) => map_result(l.read(), ReadInner::Loom),
        };
        model::record(|| format!("read-locks {}", model::object(self.id)));
        map_result(result, |inner| RwLockReadGuard {
            lock: self,
            inner: Some(inner),
        })
    }

    pub fn write(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        model::about_to_wait(|| format!("to write-lock {}", model::object(self.id)));
        let result = match &self.inner {
            RwInner::Std(l) => map_result(l.write(), WriteInner::Std),
            RwInner::Shuttle(l) => map_result(l.write(), WriteInner::Shuttle),
            RwInner::Loom(l) => map_result(l.write(), WriteInner::Loom),
        };
        model::record(|| format!("write-locks {}", model::object(self.id)));
        map_result(result, |inner| RwLockWriteGuard {
            lock: self,
            inner: Some(inner),
        })
    }

    pub fn try_read(&self) -> TryLockResult<RwLockReadGuard<'_, T>> {
        let result = match &self.inner {
            RwInner::Std(l) => map_try(l.try_read(), ReadInner::Std),
            RwInner::Shuttle(l) => map_try(l.try_read(), ReadInner::Shuttle),
            RwInner::Loom(l) => map_try(l.try_read(), ReadInner::Loom),
        };
        let got = !matches!(result, Err(TryLockError::WouldBlock));
        model::record(|| {
            let what = model::object(self.id);
            if got {
                format!("try_read: read-locks {what}")
            } else {
                format!("try_read: finds {what} write-locked")
            }
        });
        map_try(result, |inner| RwLockReadGuard {
            lock: self,
            inner: Some(inner),
        })
    }

    pub fn try_write(&self) -> TryLockResult<RwLockWriteGuard<'_, T>> {
        let result = match &self.inner {
            RwInner::Std(l) => map_try(l.try_write(), WriteInner::Std),
            RwInner::Shuttle(l) => map_try(l.try_write(), WriteInner::Shuttle),
            RwInner::Loom(l) => map_try(l.try_write(), WriteInner::Loom),
        };
        let got = !matches!(result, Err(TryLockError::WouldBlock));
        model::record(|| {
            let what = model::object(self.id);
            if got {
                format!("try_write: write-locks {what}")
            } else {
                format!("try_write: finds {what} locked")
            }
        });
        map_try(result, |inner| RwLockWriteGuard {
            lock: self,
            inner: Some(inner),
        })
    }

    pub fn into_inner(self) -> LockResult<T> {
        match self.inner {
            RwInner::Std(l) => l.into_inner(),
            RwInner::Shuttle(l) => l.into_inner(),
            RwInner::Loom(l) => Ok(l.into_inner().unwrap_or_else(PoisonError::into_inner)),
        }
    }

    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        match &mut self.inner {
            RwInner::Std(l) => l.get_mut(),
            RwInner::Shuttle(l) => l.get_mut(),
            RwInner::Loom(l) => l.get_mut(),
        }
    }
}

impl<T> Named for RwLock<T> {
    fn object_id(&self) -> usize {
        self.id
    }
}

impl<T: Default> Default for RwLock<T> {
    fn default() -> Self {
        RwLock::new(T::default())
    }
}

impl<T> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RwLock { .. }")
    }
}

impl<T> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self.inner.as_ref().expect("a live guard") {
            ReadInner::Std(g) => g,
            ReadInner::Shuttle(g) => g,
            ReadInner::Loom(g) => g,
        }
    }
}

impl<T> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            drop(inner);
            model::record(|| format!("read-unlocks {}", model::object(self.lock.id)));
        }
    }
}

impl<T> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self.inner.as_ref().expect("a live guard") {
            WriteInner::Std(g) => g,
            WriteInner::Shuttle(g) => g,
            WriteInner::Loom(g) => g,
        }
    }
}

impl<T> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        match self.inner.as_mut().expect("a live guard") {
            WriteInner::Std(g) => &mut *g,
            WriteInner::Shuttle(g) => &mut *g,
            WriteInner::Loom(g) => &mut *g,
        }
    }
}

impl<T> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            drop(inner);
            model::record(|| format!("write-unlocks {}", model::object(self.lock.id)));
        }
    }
}
