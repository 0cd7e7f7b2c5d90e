//! Every integration strategy in one table, for the `scaling` sweep, the
//! benchmarks and the tests. The strategies themselves live in their example
//! files; this pulls those files in as modules, so there is one copy of each.
//!
//! A module of examples/scaling.rs, compare.rs, limit.rs and timeline_cost.rs, benches/ and tests/strategies.rs.

#![allow(dead_code)]

use parallel_workbook::{Granularity, Problem};

#[path = "../atomic.rs"]
pub mod atomic;
#[path = "../channels.rs"]
pub mod channels;
#[path = "../false_sharing.rs"]
pub mod false_sharing;
#[path = "../fast_parallel.rs"]
pub mod fast_parallel;
#[path = "../fast_sequential.rs"]
pub mod fast_sequential;
#[path = "../memory_bound.rs"]
pub mod memory_bound;
#[path = "../mutex.rs"]
pub mod mutex;
#[path = "../processes.rs"]
pub mod processes;
#[path = "../queue.rs"]
pub mod queue;
#[path = "../racy.rs"]
pub mod racy;
#[path = "../rayon.rs"]
pub mod rayon;
#[path = "../scoped_threads.rs"]
pub mod scoped_threads;
#[path = "../sequential.rs"]
pub mod sequential;
#[path = "../threads.rs"]
pub mod threads;

/// One way to compute the integral with T threads (or worker processes).
#[derive(Clone, Copy)]
pub struct Strategy {
    pub name: &'static str,
    /// False for the one-thread strategies, which ignore T.
    pub parallel: bool,
    pub integrate: fn(&Problem, usize) -> f64,
}

/// Every correct strategy, the per-chunk ones first. Per-item locking and
/// the racy sum are left out: they measure contention, not the integral.
/// So is `memory_bound`, which reads its terms from an array made
/// beforehand: the sweep measures it on its own (`scaling`'s memory table).
/// The two slot layouts of `false_sharing` are in: their gap is the lesson
/// of chapter 18.2, and the sweep shows how it grows with T.
pub const ALL: &[Strategy] = &[
    Strategy {
        name: "sequential",
        parallel: false,
        integrate: |p, _| sequential::integrate(p),
    },
    Strategy {
        name: "fast_sequential",
        parallel: false,
        integrate: |p, _| fast_sequential::integrate(p),
    },
    Strategy {
        name: "threads",
        parallel: true,
        integrate: threads::integrate,
    },
    Strategy {
        name: "scoped_threads",
        parallel: true,
        integrate: scoped_threads::integrate,
    },
    Strategy {
        name: "mutex/chunk",
        parallel: true,
        integrate: |p, t| mutex::integrate(p, t, Granularity::Chunk),
    },
    Strategy {
        name: "atomic/chunk",
        parallel: true,
        integrate: |p, t| atomic::integrate(p, t, Granularity::Chunk),
    },
    Strategy {
        name: "slots/adjacent",
        parallel: true,
        integrate: |p, t| false_sharing::integrate(p, t, false_sharing::Layout::Adjacent),
    },
    Strategy {
        name: "slots/padded",
        parallel: true,
        integrate: |p, t| false_sharing::integrate(p, t, false_sharing::Layout::Padded),
    },
    Strategy {
        name: "channels",
        parallel: true,
        integrate: channels::integrate,
    },
    Strategy {
        name: "queue",
        parallel: true,
        integrate: |p, t| queue::integrate(p, t, 8 * t as u64),
    },
    Strategy {
        name: "fast_parallel",
        parallel: true,
        integrate: fast_parallel::integrate,
    },
    Strategy {
        name: "rayon/chunks",
        parallel: true,
        integrate: |p, t| rayon::integrate(p, t, rayon::Split::Chunks),
    },
    Strategy {
        name: "rayon/indices",
        parallel: true,
        integrate: |p, t| rayon::integrate(p, t, rayon::Split::Indices),
    },
    // This one starts copies of the running program as its workers: a program
    // that includes this table calls `processes::serve_as_worker_if_asked()`
    // first thing in `main`.
    Strategy {
        name: "processes",
        parallel: true,
        integrate: |p, t| {
            processes::integrate(p, t, processes::this_program_as_worker)
                .unwrap_or_else(|e| parallel_workbook::cli::exit_with_error(&e))
        },
    },
];

/// Looks a strategy up by name.
pub fn find(name: &str) -> Option<&'static Strategy> {
    ALL.iter().find(|s| s.name == name)
}

/// The strategies a `--strategies` list names, in its order, or those
/// `by_default` picks when it names none; an unknown name ends the program
/// with a one-line error that lists the known ones.
pub fn chosen(names: &[String], by_default: fn(&Strategy) -> bool) -> Vec<&'static Strategy> {
    if names.is_empty() {
        return ALL.iter().filter(|s| by_default(s)).collect();
    }
    names
        .iter()
        .map(|name| {
            find(name).unwrap_or_else(|| {
                let known: Vec<&str> = ALL.iter().map(|s| s.name).collect();
                parallel_workbook::cli::exit_with_error(&format!(
                    "--strategies: unknown '{name}'; known: {}",
                    known.join(", ")
                ))
            })
        })
        .collect()
}
