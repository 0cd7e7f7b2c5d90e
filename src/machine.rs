//! What this machine has, asked at run time: its cores, its SIMD registers,
//! its last-level cache.
//! The `limit` and `memory_bound` examples and the `scaling` sweep size
//! their work and explain their numbers with these.

use std::fmt;

/// The number of threads the machine can run at once (1 if unknown): the
/// default T of every example.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A family of SIMD instructions: how many `f64` one register holds, and
/// whether there is a fused multiply-add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Simd {
    pub name: &'static str,
    pub width: usize,
    pub fma: bool,
}

impl fmt::Display for Simd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} f64 per register), {}",
            self.name,
            self.width,
            if self.fma { "FMA" } else { "no FMA" }
        )
    }
}

/// What the CPU supports, detected when the program runs.
pub fn cpu_simd() -> Simd {
    #[cfg(target_arch = "x86_64")]
    {
        let fma = std::arch::is_x86_feature_detected!("fma");
        if std::arch::is_x86_feature_detected!("avx512f") {
            return Simd {
                name: "AVX-512",
                width: 8,
                fma,
            };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            return Simd {
                name: "AVX2",
                width: 4,
                fma,
            };
        }
        if std::arch::is_x86_feature_detected!("avx") {
            return Simd {
                name: "AVX",
                width: 4,
                fma,
            };
        }
        Simd {
            name: "SSE2",
            width: 2,
            fma,
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        Simd {
            name: "NEON",
            width: 2,
            fma: true,
        }
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        Simd {
            name: "scalar",
            width: 1,
            fma: false,
        }
    }
}

/// What this build uses: fixed at compile time, so it can be less than
/// [`cpu_simd`] (a build for the baseline x86-64 runs on any x86-64 CPU and
/// uses only SSE2).
pub fn build_simd() -> Simd {
    let name = if cfg!(target_arch = "aarch64") {
        "NEON"
    } else if cfg!(target_feature = "avx512f") {
        "AVX-512"
    } else if cfg!(target_feature = "avx2") {
        "AVX2"
    } else if cfg!(target_feature = "avx") {
        "AVX"
    } else {
        "SSE2"
    };
    Simd {
        name,
        width: crate::lanes::WIDTH,
        fma: crate::lanes::FUSED,
    }
}

/// The CPU's model name, as the OS reports it.
pub fn cpu_model() -> Option<String> {
    let text = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    text.lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
}

/// A cache level and its size in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cache {
    pub level: u32,
    pub bytes: u64,
}

impl fmt::Display for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "L{} {} MiB", self.level, self.bytes >> 20)
    }
}

/// The last-level cache (the largest level) of CPU 0, from Linux's
/// `/sys/devices/system/cpu/cpu0/cache/index*/{level,size}`; `None` where
/// the system does not say (another OS, a container that hides it).
pub fn last_level_cache() -> Option<Cache> {
    let dir = std::fs::read_dir("/sys/devices/system/cpu/cpu0/cache").ok()?;
    dir.filter_map(|entry| {
        let path = entry.ok()?.path();
        let read = |name: &str| std::fs::read_to_string(path.join(name)).ok();
        Some(Cache {
            level: read("level")?.trim().parse().ok()?,
            bytes: parse_cache_size(&read("size")?)?,
        })
    })
    .max_by_key(|cache| (cache.level, cache.bytes))
}

/// `"32K"`, `"266240K"`, `"260M"`, `"1G"` or a plain number of bytes.
pub fn parse_cache_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let shift = match unit.trim() {
        "" => 0,
        "K" | "KiB" => 10,
        "M" | "MiB" => 20,
        "G" | "GiB" => 30,
        _ => return None,
    };
    digits.parse::<u64>().ok()?.checked_mul(1 << shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_sizes_in_the_forms_linux_writes() {
        assert_eq!(parse_cache_size("48K\n"), Some(48 << 10));
        assert_eq!(parse_cache_size("266240K"), Some(260 << 20));
        assert_eq!(parse_cache_size("32M"), Some(32 << 20));
        assert_eq!(parse_cache_size("1G"), Some(1 << 30));
        assert_eq!(parse_cache_size("4096"), Some(4096));
        assert_eq!(parse_cache_size("big"), None);
        assert_eq!(parse_cache_size("12Q"), None);
        assert_eq!(parse_cache_size(""), None);
    }

    #[test]
    fn the_build_never_uses_more_than_the_cpu_has() {
        let (cpu, build) = (cpu_simd(), build_simd());
        assert!(build.width <= cpu.width, "{build} on {cpu}");
        assert!(!build.fma || cpu.fma, "{build} on {cpu}");
    }

    #[test]
    fn the_last_level_cache_is_the_largest_level() {
        if let Some(cache) = last_level_cache() {
            assert!(cache.level >= 1 && cache.bytes >= 1 << 10, "{cache:?}");
        }
    }
}
