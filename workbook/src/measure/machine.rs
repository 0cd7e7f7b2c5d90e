//! The facts a measured file's header gives about the machine: CPU model,
//! cores, OS, rustc, Python's build, the load average.

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
}
