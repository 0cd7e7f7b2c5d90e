// Right, unusual: the permits are tokens in a channel; acquire receives one (blocking while none is there), release sends it back.

use parallel_workbook::sync::Mutex;
use parallel_workbook::sync::mpsc::{Receiver, Sender, channel};

/// A counting semaphore.
pub struct Semaphore {
    tokens: Mutex<Receiver<()>>,
    give_back: Mutex<Sender<()>>,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        let (give_back, tokens) = channel();
        for _ in 0..permits {
            give_back.send(()).expect("the receiver is right here");
        }
        Self {
            tokens: Mutex::new(tokens),
            give_back: Mutex::new(give_back),
        }
    }

    pub fn acquire(&self) -> Permit<'_> {
        self.tokens
            .lock()
            .unwrap()
            .recv()
            .expect("the semaphore holds a sender");
        Permit { semaphore: self }
    }

    fn release(&self) {
        self.give_back
            .lock()
            .unwrap()
            .send(())
            .expect("the semaphore holds the receiver");
    }
}

/// A taken permit; dropping it releases it.
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
