//! The process groups of running children: ending one (never a group id
//! that may have been reused), and ending all of them when the tool is
//! interrupted.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// One child's process group, while it may still be signalled.
pub(super) struct Group {
    pub(super) id: u32,
    /// The child is a keeper ([`super::contain`]): it ends its run itself.
    keeper: bool,
    /// False once the child is reaped and its leftovers killed: the id may
    /// then be reused by another process, so it is never signalled again.
    pub(super) alive: AtomicBool,
    pub(super) stopped: AtomicBool,
    pub(super) overflowed: AtomicBool,
}

/// Every group that may still be running, for the Ctrl-C handler.
static RUNNING: Mutex<Vec<Arc<Group>>> = Mutex::new(Vec::new());

impl Group {
    pub(super) fn register(id: u32, keeper: bool) -> Arc<Group> {
        install_signal_handler();
        let group = Arc::new(Group {
            id,
            keeper,
            alive: AtomicBool::new(true),
            stopped: AtomicBool::new(false),
            overflowed: AtomicBool::new(false),
        });
        RUNNING
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Arc::clone(&group));
        group
    }

    /// Ends the run: a keeper is asked (SIGTERM), and kills everything its
    /// program started, in the group or not, then exits; any other child
    /// is killed with its whole group.
    pub(super) fn end(&self) {
        if !self.keeper {
            return self.kill();
        }
        if !self.alive.load(Ordering::SeqCst) {
            return;
        }
        #[cfg(unix)]
        {
            use nix::sys::signal::{Signal, kill};
            use nix::unistd::Pid;
            let _ = kill(Pid::from_raw(self.id as i32), Signal::SIGTERM);
        }
    }

    /// SIGKILL to every process of the group (none left is fine).
    pub(super) fn kill(&self) {
        if !self.alive.load(Ordering::SeqCst) {
            return;
        }
        #[cfg(unix)]
        {
            use nix::sys::signal::{Signal, killpg};
            use nix::unistd::Pid;
            let _ = killpg(Pid::from_raw(self.id as i32), Signal::SIGKILL);
        }
    }

    pub(super) fn forget(&self) {
        self.alive.store(false, Ordering::SeqCst);
        RUNNING
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|g| g.id != self.id);
    }
}

/// Ends every running group, then exits as an interrupted program does.
/// `ctrlc` runs this on a thread of its own, not inside the signal handler,
/// so it may take locks. (A keeper finishes its work after this process
/// has gone.)
fn install_signal_handler() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        // An error means someone installed a handler already; then that one decides.
        let _ = ctrlc::try_set_handler(|| {
            for group in RUNNING.lock().unwrap_or_else(|e| e.into_inner()).iter() {
                group.end();
            }
            std::process::exit(130);
        });
    });
}
