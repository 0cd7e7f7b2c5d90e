//! How much memory this process has used: its peak resident set size.
//!
//! Linux keeps the figure in `/proc/self/status` as `VmHWM` (the "high water
//! mark" of `VmRSS`, the pages actually in RAM). Other systems have no such
//! file; there [`peak_resident_bytes`] returns `None` and the examples say so
//! rather than print a number they cannot know. (macOS and the BSDs report it
//! through `getrusage`, which safe Rust's standard library does not expose.)

/// The most memory this process has held in RAM at once, in bytes, or
/// `None` where `/proc/self/status` does not exist or has no `VmHWM` line.
pub fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm(&status)
}

/// The most address space this process has reserved at once (`VmPeak`),
/// in bytes: memory it mapped, touched or not. A thread's stack counts
/// here in full from the start, and in [`peak_resident_bytes`] only as
/// far as the thread has used it.
pub fn peak_virtual_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_kib_line(&status, "VmPeak:")
}

/// The `VmHWM:` line of a `/proc/<pid>/status` text, in bytes.
fn parse_vm_hwm(status: &str) -> Option<u64> {
    parse_kib_line(status, "VmHWM:")
}

/// The line starting with `key` of a `/proc/<pid>/status` text, in bytes.
fn parse_kib_line(status: &str, key: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(key))?;
    let mut words = line[key.len()..].split_whitespace();
    let kib: u64 = words.next()?.parse().ok()?;
    (words.next() == Some("kB")).then_some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_high_water_mark_in_bytes() {
        let status = "Name:\tx\nVmPeak:\t  20000 kB\nVmHWM:\t    5120 kB\nVmRSS:\t 4000 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(5120 * 1024));
        assert_eq!(parse_vm_hwm("VmRSS:\t4000 kB\n"), None);
        assert_eq!(parse_vm_hwm("VmHWM:\tmany kB\n"), None);
        assert_eq!(parse_vm_hwm("VmHWM:\t12 MB\n"), None);
        assert_eq!(parse_kib_line(status, "VmPeak:"), Some(20000 * 1024));
    }

    #[test]
    fn on_linux_the_peak_grows_with_what_was_touched() {
        if !cfg!(target_os = "linux") {
            assert_eq!(peak_resident_bytes(), None);
            return;
        }
        let before = peak_resident_bytes().expect("Linux has VmHWM");
        // 64 MiB, every page written: it must be resident at some point.
        let block = vec![1u8; 64 << 20];
        std::hint::black_box(&block);
        let after = peak_resident_bytes().unwrap();
        assert!(after >= before, "the peak never goes down");
        assert!(
            after >= 64 << 20,
            "64 MiB were resident, VmHWM says {after} bytes"
        );
    }
}
