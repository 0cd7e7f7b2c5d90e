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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use nix::sched::sched_getaffinity;
    use nix::unistd::Pid;

    fn cores() -> usize {
        let set = sched_getaffinity(Pid::from_raw(0)).unwrap();
        (0..nix::sched::CpuSet::count())
            .filter(|&c| set.is_set(c).unwrap_or(false))
            .count()
    }

    #[test]
    fn a_child_started_pinned_runs_on_one_core_and_the_thread_is_set_back() {
        let before = cores();
        let inside = to_one_core(cores);
        assert_eq!(inside, 1);
        assert_eq!(cores(), before);
        // A child inherits the pinned thread's affinity.
        let out = to_one_core(|| {
            std::process::Command::new("grep")
                .args(["Cpus_allowed_list", "/proc/self/status"])
                .output()
                .unwrap()
        });
        let list = String::from_utf8_lossy(&out.stdout);
        let cpus = list.split(':').nth(1).unwrap_or("").trim().to_string();
        assert!(cpus.parse::<usize>().is_ok(), "{list}");
    }
}
