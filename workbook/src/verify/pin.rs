//! Runs a check pinned to one core: the calling thread's CPU affinity is set
//! to one core while it starts the check (a child inherits its parent
//! thread's affinity), then set back. Only this thread changes: the other
//! runs of `verify` go on as they were.

/// Calls `start` (which spawns the check) with this thread pinned to the
/// first core it may run on. Where affinity cannot be set (not Linux), runs
/// `start` as it is.
#[cfg(target_os = "linux")]
pub fn to_one_core<T>(start: impl FnOnce() -> T) -> T {
    use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
    use nix::unistd::Pid;

    let this_thread = Pid::from_raw(0);
    let Ok(all) = sched_getaffinity(this_thread) else {
        return start();
    };
    let Some(first) = (0..CpuSet::count()).find(|&cpu| all.is_set(cpu).unwrap_or(false)) else {
        return start();
    };
    let mut one = CpuSet::new();
    if one.set(first).is_err() || sched_setaffinity(this_thread, &one).is_err() {
        return start();
    }
    let result = start();
    let _ = sched_setaffinity(this_thread, &all);
    result
}

#[cfg(not(target_os = "linux"))]
pub fn to_one_core<T>(start: impl FnOnce() -> T) -> T {
    start()
}
