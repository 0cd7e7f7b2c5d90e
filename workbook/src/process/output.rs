//! Reading a child's stdout or stderr on a thread of its own: passing each
//! piece on as it comes, and keeping what the limits allow.

use std::io::Read;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, mpsc};

use super::group::Group;
use super::{OnOutput, Overflow, Stream};

/// What a pump keeps of one stream.
pub(super) struct Kept {
    pub(super) bytes: Vec<u8>,
    pub(super) truncated: bool,
}

pub(super) fn pump(
    mut from: Box<dyn Read + Send>,
    stream: Stream,
    cap: usize,
    overflow: Overflow,
    on_output: Option<OnOutput>,
    group: Arc<Group>,
    done: mpsc::Sender<()>,
) -> Arc<Mutex<Kept>> {
    let kept = Arc::new(Mutex::new(Kept {
        bytes: Vec::new(),
        truncated: false,
    }));
    let keep = Arc::clone(&kept);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let chunk = {
                let mut k = keep.lock().unwrap_or_else(|e| e.into_inner());
                let chunk = match overflow {
                    Overflow::KillKeepingHead => {
                        let room = cap.saturating_sub(k.bytes.len());
                        if n > room {
                            k.truncated = true;
                            group.overflowed.store(true, Ordering::SeqCst);
                            group.end();
                        }
                        &buf[..n.min(room)]
                    }
                    Overflow::KeepTail => &buf[..n],
                };
                k.bytes.extend_from_slice(chunk);
                if overflow == Overflow::KeepTail && k.bytes.len() > 2 * cap {
                    let cut = k.bytes.len() - cap;
                    k.bytes.drain(..cut);
                    k.truncated = true;
                }
                chunk
            };
            // Outside the lock: a callback that waits (a page that reads
            // slowly) must not keep `Running::wait` from the output.
            if let Some(on_output) = &on_output
                && !chunk.is_empty()
            {
                on_output(stream, chunk);
            }
        }
        let _ = done.send(());
    });
    kept
}
