//! `std::sync::mpsc`'s channels, on `std`, shuttle or loom (loom has no
//! bounded channel).

use std::fmt;
use std::sync::mpsc::{RecvError, RecvTimeoutError, SendError, TryRecvError, TrySendError};
use std::time::Duration;

use super::model::{self, Backend, Named, backend};

/// `std::sync::mpsc::Sender`.
pub struct Sender<T> {
    inner: SenderInner<T>,
    id: usize,
}

enum SenderInner<T> {
    Std(std::sync::mpsc::Sender<T>),
    Shuttle(shuttle::sync::mpsc::Sender<T>),
    Loom(loom::sync::mpsc::Sender<T>),
}

/// `std::sync::mpsc::SyncSender` (not under loom).
pub struct SyncSender<T> {
    inner: SyncInner<T>,
    id: usize,
}

enum SyncInner<T> {
    Std(std::sync::mpsc::SyncSender<T>),
    Shuttle(shuttle::sync::mpsc::SyncSender<T>),
}

/// `std::sync::mpsc::Receiver`.
pub struct Receiver<T> {
    inner: ReceiverInner<T>,
    id: usize,
}

enum ReceiverInner<T> {
    Std(std::sync::mpsc::Receiver<T>),
    Shuttle(shuttle::sync::mpsc::Receiver<T>),
    Loom(loom::sync::mpsc::Receiver<T>),
}

/// An unbounded channel.
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let id = model::new_object(|| format!("channel of {}", model::short_type::<T>()));
    let (s, r) = match backend() {
        Backend::Std => {
            let (s, r) = std::sync::mpsc::channel();
            (SenderInner::Std(s), ReceiverInner::Std(r))
        }
        Backend::Shuttle => {
            let (s, r) = shuttle::sync::mpsc::channel();
            (SenderInner::Shuttle(s), ReceiverInner::Shuttle(r))
        }
        Backend::Loom => {
            let (s, r) = loom::sync::mpsc::channel();
            (SenderInner::Loom(s), ReceiverInner::Loom(r))
        }
    };
    (Sender { inner: s, id }, Receiver { inner: r, id })
}

/// A channel that holds at most `bound` messages (not under loom).
pub fn sync_channel<T>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
    let id = model::new_object(|| format!("channel of {}", model::short_type::<T>()));
    let (s, r) = match backend() {
        Backend::Std => {
            let (s, r) = std::sync::mpsc::sync_channel(bound);
            (SyncInner::Std(s), ReceiverInner::Std(r))
        }
        Backend::Shuttle => {
            let (s, r) = shuttle::sync::mpsc::sync_channel(bound);
            (SyncInner::Shuttle(s), ReceiverInner::Shuttle(r))
        }
        Backend::Loom => panic!(
            "sync_channel is not available under loom: model a check that needs it with shuttle"
        ),
    };
    (SyncSender { inner: s, id }, Receiver { inner: r, id })
}

impl<T> Sender<T> {
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let r = match &self.inner {
            SenderInner::Std(s) => s.send(value),
            SenderInner::Shuttle(s) => s.send(value),
            SenderInner::Loom(s) => s.send(value),
        };
        let ok = r.is_ok();
        model::record(|| {
            let c = model::object(self.id);
            if ok {
                format!("sends on {c}")
            } else {
                format!("sends on {c}, which no receiver holds any more")
            }
        });
        r
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        let inner = match &self.inner {
            SenderInner::Std(s) => SenderInner::Std(s.clone()),
            SenderInner::Shuttle(s) => SenderInner::Shuttle(s.clone()),
            SenderInner::Loom(s) => SenderInner::Loom(s.clone()),
        };
        Sender { inner, id: self.id }
    }
}

impl<T> SyncSender<T> {
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        model::about_to_wait(|| format!("to send on {} (full)", model::object(self.id)));
        let r = match &self.inner {
            SyncInner::Std(s) => s.send(value),
            SyncInner::Shuttle(s) => s.send(value),
        };
        let ok = r.is_ok();
        model::record(|| {
            let c = model::object(self.id);
            if ok {
                format!("sends on {c}")
            } else {
                format!("sends on {c}, which no receiver holds any more")
            }
        });
        r
    }

    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        let r = match &self.inner {
            SyncInner::Std(s) => s.try_send(value),
            SyncInner::Shuttle(s) => s.try_send(value),
        };
        let full = matches!(r, Err(TrySendError::Full(_)));
        model::record(|| {
            let c = model::object(self.id);
            if full {
                format!("try_send: finds {c} full")
            } else {
                format!("try_send on {c}")
            }
        });
        r
    }
}

impl<T> Clone for SyncSender<T> {
    fn clone(&self) -> Self {
        let inner = match &self.inner {
            SyncInner::Std(s) => SyncInner::Std(s.clone()),
            SyncInner::Shuttle(s) => SyncInner::Shuttle(s.clone()),
        };
        SyncSender { inner, id: self.id }
    }
}

impl<T> Receiver<T> {
    pub fn recv(&self) -> Result<T, RecvError> {
        model::about_to_wait(|| format!("to receive on {}", model::object(self.id)));
        let r = match &self.inner {
            ReceiverInner::Std(r) => r.recv(),
            ReceiverInner::Shuttle(r) => r.recv(),
            ReceiverInner::Loom(r) => r.recv(),
        };
        let ok = r.is_ok();
        model::record(|| {
            let c = model::object(self.id);
            if ok {
                format!("receives on {c}")
            } else {
                format!("finds {c} empty with every sender gone")
            }
        });
        r
    }

    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        let r = match &self.inner {
            ReceiverInner::Std(r) => r.try_recv(),
            ReceiverInner::Shuttle(r) => r.try_recv(),
            ReceiverInner::Loom(r) => r.try_recv(),
        };
        let what = match &r {
            Ok(_) => "receives on",
            Err(TryRecvError::Empty) => "try_recv: finds empty",
            Err(TryRecvError::Disconnected) => "try_recv: finds empty, with every sender gone,",
        };
        model::record(|| format!("{what} {}", model::object(self.id)));
        r
    }

    /// In a model run there is no time, so a wait may outlast any timeout.
    /// Under shuttle, when nothing is there to receive, the scheduler
    /// decides: the wait times out at once (nothing came in time), or it
    /// waits as `recv` does (something came in time). Under loom it waits as
    /// `recv` does.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        match &self.inner {
            ReceiverInner::Std(r) => r.recv_timeout(timeout),
            ReceiverInner::Shuttle(r) => {
                use shuttle::rand::RngCore;
                let c = || model::object(self.id);
                match r.try_recv() {
                    Ok(value) => {
                        model::record(|| format!("receives on {}", c()));
                        Ok(value)
                    }
                    Err(TryRecvError::Disconnected) => {
                        model::record(|| format!("finds {} empty with every sender gone", c()));
                        Err(RecvTimeoutError::Disconnected)
                    }
                    Err(TryRecvError::Empty) => {
                        if shuttle::rand::thread_rng().next_u32().is_multiple_of(2) {
                            model::record(|| {
                                format!("waits on {} until the timeout: nothing came", c())
                            });
                            Err(RecvTimeoutError::Timeout)
                        } else {
                            self.recv().map_err(|_| RecvTimeoutError::Disconnected)
                        }
                    }
                }
            }
            ReceiverInner::Loom(_) => self.recv().map_err(|_| RecvTimeoutError::Disconnected),
        }
    }

    pub fn iter(&self) -> Iter<'_, T> {
        Iter { receiver: self }
    }

    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { receiver: self }
    }
}

impl<T> Named for Receiver<T> {
    fn object_id(&self) -> usize {
        self.id
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sender { .. }")
    }
}

impl<T> fmt::Debug for SyncSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SyncSender { .. }")
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Receiver { .. }")
    }
}

/// Messages as they come, until every sender is gone.
#[derive(Debug)]
pub struct Iter<'a, T> {
    receiver: &'a Receiver<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.recv().ok()
    }
}

/// The messages there now.
#[derive(Debug)]
pub struct TryIter<'a, T> {
    receiver: &'a Receiver<T>,
}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.try_recv().ok()
    }
}

/// A receiver as an iterator.
#[derive(Debug)]
pub struct IntoIter<T> {
    receiver: Receiver<T>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.recv().ok()
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;
    fn into_iter(self) -> IntoIter<T> {
        IntoIter { receiver: self }
    }
}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}
