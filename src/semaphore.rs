//! A counting semaphore built from a `Mutex<usize>` and a `Condvar` (std has
//! no semaphore type): at most K threads hold a permit at once. Chapter 20
//! shows it, `examples/semaphore.rs` and `examples/stdout_writer.rs` use it,
//! and exercise 15 has the learner write it.

use std::sync::{Condvar, Mutex};

// ANCHOR: semaphore
/// K permits. `acquire` takes one, waiting while none is free; the permit is
/// given back when the returned guard is dropped, even if its holder panics.
pub struct Semaphore {
    free: Mutex<usize>,
    released: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Semaphore {
            free: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    pub fn acquire(&self) -> Permit<'_> {
        let free = self.free.lock().unwrap();
        // Sleep until a permit is free. `wait_while` re-checks the count after
        // every wake-up: a wake-up is a hint, not a promise.
        let mut free = self.released.wait_while(free, |free| *free == 0).unwrap();
        *free -= 1;
        Permit { semaphore: self }
    }
}

/// One permit: like a `MutexGuard`, holding it is the right to go on.
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.semaphore.free.lock().unwrap() += 1;
        self.semaphore.released.notify_one(); // wake one waiter, if any
    }
}
// ANCHOR_END: semaphore

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    #[test]
    fn with_every_permit_taken_the_next_waits_until_one_comes_back() {
        let semaphore = Semaphore::new(2);
        let (first, second) = (semaphore.acquire(), semaphore.acquire());
        let (took, taken) = mpsc::channel();
        thread::scope(|scope| {
            scope.spawn(|| {
                let _third = semaphore.acquire();
                took.send(()).unwrap();
            });
            // A right semaphore never lets the third in here, so this wait
            // cannot fail by luck; a wrong one lets it in at once.
            assert!(
                taken.recv_timeout(Duration::from_millis(200)).is_err(),
                "a third permit of two"
            );
            drop(first);
            taken
                .recv_timeout(Duration::from_secs(30))
                .expect("a permit came back, and the waiter did not wake up");
        });
        drop(second);
        assert_eq!(*semaphore.free.lock().unwrap(), 2, "every permit is back");
    }

    #[test]
    fn a_permit_comes_back_when_its_holder_panics() {
        let semaphore = Semaphore::new(1);
        let panicked = thread::scope(|scope| {
            scope
                .spawn(|| {
                    let _permit = semaphore.acquire();
                    panic!("the holder panics");
                })
                .join()
        });
        assert!(panicked.is_err());
        // Would wait forever if the permit were lost.
        drop(semaphore.acquire());
        assert_eq!(*semaphore.free.lock().unwrap(), 1);
    }
}
