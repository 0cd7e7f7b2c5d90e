//! The facts a measured file's header gives about the machine: CPU model,
//! cores, OS, rustc, Python's build, the load average, and how much of the
//! CPU time was idle (Linux: `/proc/stat`; other systems get no idle share).

use std::process::Command;
use std::time::Duration;

use crate::process::{Limits, Supervised};

/// What the header says about the machine.
#[derive(Debug, Clone)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub os: String,
    pub rustc: String,
}

impl Machine {
    pub fn detect() -> Machine {
        let cpu = cpu_model().unwrap_or_else(|| "unknown CPU".into());
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let os = first_line_of(Command::new("uname"), &["-srm"])
            .unwrap_or_else(|| std::env::consts::OS.to_string());
        let rustc = first_line_of(
            Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into())),
            &["--version"],
        )
        .unwrap_or_else(|| "rustc (version unknown)".into());
        Machine {
            cpu,
            cores,
            os,
            rustc,
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "{} · {} cores · {} · {}",
            self.cpu, self.cores, self.os, self.rustc
        )
    }

    /// `intel-xeon-2-cores`, `amd-epyc-7b13-2-cores`: the CPU model without
    /// trademarks, clock and filler words, then the core count.
    pub fn slug(&self) -> String {
        slug(&self.cpu, self.cores)
    }
}

/// See [`Machine::slug`].
pub fn slug(cpu: &str, cores: usize) -> String {
    let cleaned = cpu
        .to_ascii_lowercase()
        .replace("(r)", " ")
        .replace("(tm)", " ");
    let cleaned = cleaned.split('@').next().unwrap_or("");
    let filler = ["processor", "cpu", "with", "radeon", "graphics"];
    let words: Vec<&str> = cleaned
        .split_whitespace()
        // "64-Core" counts the chip's cores, not the machine's.
        .filter(|w| !w.ends_with("-core"))
        .flat_map(|w| w.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| !w.is_empty() && !filler.contains(w))
        .collect();
    let model = if words.is_empty() {
        "unknown-cpu".to_string()
    } else {
        words.join("-")
    };
    format!("{model}-{cores}-cores")
}

fn cpu_model() -> Option<String> {
    if let Ok(text) = std::fs::read_to_string("/proc/cpuinfo") {
        return text
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string());
    }
    first_line_of(Command::new("sysctl"), &["-n", "machdep.cpu.brand_string"])
}

fn first_line_of(mut program: Command, args: &[&str]) -> Option<String> {
    program.args(args);
    let limits = Limits {
        time: Duration::from_secs(30),
        output: 1 << 16,
    };
    let out = Supervised::new(program, limits).run().ok()?;
    if !out.success() {
        return None;
    }
    out.stdout
        .lines()
        .next()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
}

/// CPU time since boot, summed over every CPU, in the kernel's ticks: the
/// first line of `/proc/stat` (see proc(5)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuTimes {
    /// `idle` + `iowait`: time with nothing to run (iowait is idle time with
    /// a disk request outstanding; the CPU was free).
    pub idle: u64,
    /// `user` + `nice` + `system` + `idle` + `iowait` + `irq` + `softirq` +
    /// `steal`. (`guest` and `guest_nice` are already counted in `user` and
    /// `nice`.) `steal` is time a virtual machine's CPU wanted and the
    /// hypervisor gave to someone else: busy, from the measurement's side.
    pub total: u64,
}

/// Parses the `cpu ` line of `/proc/stat`: `cpu  user nice system idle
/// iowait irq softirq steal guest guest_nice`. Kernels before 2.6.11 have
/// fewer fields; missing ones count as 0.
pub fn parse_proc_stat(text: &str) -> Option<CpuTimes> {
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    let field = |i: usize| fields.get(i).copied().unwrap_or(0);
    if fields.len() < 4 {
        return None;
    }
    let idle = field(3) + field(4);
    let total = (0..8).map(field).sum();
    Some(CpuTimes { idle, total })
}

/// This machine's [`CpuTimes`] now. Only Linux has `/proc/stat`: on macOS
/// (and Windows) this is `None`, and a measured file's header says that the
/// idle share is unknown there; it still has the load average.
pub fn cpu_times() -> Option<CpuTimes> {
    parse_proc_stat(&std::fs::read_to_string("/proc/stat").ok()?)
}

/// The share of all CPUs' time that was idle between two readings, 0 to 1;
/// `None` if no time passed between them (or the counters went back).
pub fn idle_share(before: CpuTimes, after: CpuTimes) -> Option<f64> {
    let total = after.total.checked_sub(before.total)?;
    let idle = after.idle.checked_sub(before.idle)?;
    (total > 0).then(|| (idle.min(total)) as f64 / total as f64)
}

/// The idle share of this machine over the next `window`: reads the CPU
/// times, sleeps, reads them again. `None` where there is no `/proc/stat`.
pub fn idle_share_over(window: Duration) -> Option<f64> {
    let before = cpu_times()?;
    std::thread::sleep(window);
    idle_share(before, cpu_times()?)
}

/// The 1-minute load average, as the system prints it.
pub fn load_average() -> Option<String> {
    if let Ok(text) = std::fs::read_to_string("/proc/loadavg") {
        return text.split_whitespace().next().map(str::to_string);
    }
    // macOS: "{ 1.52 1.60 1.71 }"
    first_line_of(Command::new("sysctl"), &["-n", "vm.loadavg"])
        .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
}

/// `CPython 3.11.7 (GIL enabled)`: what `python3` is, and whether the GIL is on
/// (`sys._is_gil_enabled()` exists from 3.13; before, the GIL always is).
pub fn python_build() -> String {
    const PROBE: &str = "import sys,platform;g=getattr(sys,'_is_gil_enabled',None);print(platform.python_implementation(),platform.python_version(),'(GIL '+('enabled' if g is None or g() else 'disabled')+')')";
    first_line_of(Command::new("python3"), &["-c", PROBE])
        .unwrap_or_else(|| "python3 not found".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_slugs() {
        assert_eq!(slug("Intel(R) Xeon(R) Processor", 2), "intel-xeon-2-cores");
        assert_eq!(
            slug("AMD EPYC 7B13 64-Core Processor", 2),
            "amd-epyc-7b13-2-cores"
        );
        assert_eq!(
            slug("Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", 12),
            "intel-core-i7-8700-12-cores"
        );
        assert_eq!(slug("Apple M2", 8), "apple-m2-8-cores");
        assert_eq!(slug("", 1), "unknown-cpu-1-cores");
    }

    #[test]
    fn proc_stat_counts_iowait_as_idle_and_steal_as_busy() {
        let text = "cpu  100 5 50 800 20 3 2 10 7 0\ncpu0 50 2 25 400 10 1 1 5 3 0\nintr 1\n";
        assert_eq!(
            parse_proc_stat(text),
            Some(CpuTimes {
                idle: 820,
                total: 990
            })
        );
        assert_eq!(parse_proc_stat("cpu0 1 2 3 4\n"), None, "only the sum line");
        assert_eq!(parse_proc_stat("cpu  1 x 3 4\n"), None);
        let before = CpuTimes {
            idle: 100,
            total: 200,
        };
        let after = CpuTimes {
            idle: 190,
            total: 300,
        };
        assert_eq!(idle_share(before, after), Some(0.9));
        assert_eq!(idle_share(after, after), None, "no time passed");
        assert_eq!(idle_share(after, before), None, "counters went back");
    }
}
