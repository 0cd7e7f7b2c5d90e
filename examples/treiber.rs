//! A lock-free stack (R. K. Treiber's): push and pop are a compare-exchange
//! on the head of a linked list, and no thread ever waits for another. In
//! safe Rust: the nodes live in an arena and link by index, and each head
//! carries a version that defeats the ABA problem.
//!
//!     cargo run --release --example treiber -- --stack treiber --threads 2
//!     cargo run --release --example treiber -- --stack mutex --threads 2
//!
//! Each thread pushes and pops --ops times; compare the two lines' Mops/s.
//! Also a module of tests/loom_treiber.rs, which finds the ABA bug of the
//! stack without versions and checks the stack with them, and of
//! tests/lock_free.rs.

use clap::ValueEnum;
use parallel_workbook::cli;
use parallel_workbook::machine::default_threads;
use parallel_workbook::report::format_seconds;
use parallel_workbook::sync::Mutex;
use parallel_workbook::sync::atomic::{
    AtomicU32, AtomicU64, Ordering::Acquire, Ordering::Relaxed, Ordering::Release,
};
use std::thread;
use std::time::Instant;

/// The index that ends a list.
const END: u32 = u32::MAX;

// ANCHOR: head
/// The head of a list: the index of its first node, and a version that every
/// change of the head increments. Both fit in one `u64`, so that one
/// compare-exchange checks both: a head that was changed and changed back
/// has the same first node but not the same version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Head {
    first: u32,
    version: u32,
}

impl Head {
    fn pack(self) -> u64 {
        (u64::from(self.version) << 32) | u64::from(self.first)
    }

    fn unpack(bits: u64) -> Head {
        Head {
            first: bits as u32,
            version: (bits >> 32) as u32,
        }
    }
}
// ANCHOR_END: head

/// A node of the arena: a value, and the index of the next node of its list.
struct Node {
    value: AtomicU64,
    next: AtomicU32,
}

// ANCHOR: stack
/// A lock-free stack of `u64`s with room for a fixed number of them. Its
/// nodes are in one of two lists: `items` (the stack) or `free`. Push takes
/// a free node and links it onto `items`; pop does the reverse. Both lists
/// are Treiber stacks over the same arena.
///
/// `VERSIONED = false` leaves every version at 0: the stack of the ABA
/// problem, kept to show the bug.
pub struct Stack<const VERSIONED: bool> {
    items: AtomicU64,
    free: AtomicU64,
    nodes: Box<[Node]>,
}

/// The stack this example measures.
pub type TreiberStack = Stack<true>;
/// The same stack without versions: wrong (tests/loom_treiber.rs).
pub type UnversionedStack = Stack<false>;

impl<const VERSIONED: bool> Stack<VERSIONED> {
    pub fn push(&self, value: u64) -> Result<(), u64> {
        let Some(node) = self.take_first(&self.free) else {
            return Err(value); // full
        };
        self.nodes[node].value.store(value, Relaxed);
        self.link_first(&self.items, node);
        Ok(())
    }

    pub fn pop(&self) -> Option<u64> {
        let node = self.take_first(&self.items)?;
        let value = self.nodes[node].value.load(Relaxed);
        self.link_first(&self.free, node);
        Some(value)
    }
    // ANCHOR_END: stack

    // ANCHOR: take_first
    /// Unlinks the first node of `list` and returns its index. The
    /// compare-exchange succeeds only if the head is still the one read: the
    /// same first node *and* the same version. Without the version, a head
    /// whose node was taken and linked back meanwhile looks unchanged, and
    /// the stale `next` read before becomes the new head (ABA).
    fn take_first(&self, list: &AtomicU64) -> Option<usize> {
        // Acquire: the node's `next` was written before the `Release` that
        // linked it; every later change of the head is a read-modify-write,
        // so the load still synchronizes with that `Release`.
        let mut head = Head::unpack(list.load(Acquire));
        loop {
            if head.first == END {
                return None;
            }
            let first = head.first as usize;
            let next = Head {
                first: self.nodes[first].next.load(Relaxed),
                version: Self::after(head.version),
            };
            match list.compare_exchange_weak(head.pack(), next.pack(), Acquire, Acquire) {
                Ok(_) => return Some(first),
                Err(now) => head = Head::unpack(now),
            }
        }
    }
    // ANCHOR_END: take_first

    /// Links `node` (which no other thread holds) in front of `list`.
    /// Release: publishes the node's `value` and `next` to the thread that
    /// takes it.
    fn link_first(&self, list: &AtomicU64, node: usize) {
        let mut head = Head::unpack(list.load(Relaxed));
        loop {
            self.nodes[node].next.store(head.first, Relaxed);
            let linked = Head {
                first: node as u32,
                version: Self::after(head.version),
            };
            match list.compare_exchange_weak(head.pack(), linked.pack(), Release, Relaxed) {
                Ok(_) => return,
                Err(now) => head = Head::unpack(now),
            }
        }
    }

    /// The version a change of a head gives it. It wraps after 2³² changes:
    /// a pop stalled between its read and its compare-exchange for exactly
    /// that many changes would be fooled again.
    fn after(version: u32) -> u32 {
        if VERSIONED {
            version.wrapping_add(1)
        } else {
            0
        }
    }

    /// An empty stack with room for `capacity` values (at most 2³² − 1).
    pub fn with_capacity(capacity: usize) -> Self {
        assert!(capacity < END as usize, "at most {} nodes", END - 1);
        let nodes: Box<[Node]> = (0..capacity)
            .map(|k| Node {
                value: AtomicU64::new(0),
                next: AtomicU32::new(if k + 1 < capacity { k as u32 + 1 } else { END }),
            })
            .collect();
        let first_free = if capacity > 0 { 0 } else { END };
        Stack {
            items: AtomicU64::new(
                Head {
                    first: END,
                    version: 0,
                }
                .pack(),
            ),
            free: AtomicU64::new(
                Head {
                    first: first_free,
                    version: 0,
                }
                .pack(),
            ),
            nodes,
        }
    }
}

/// The locked stack it is measured against.
pub struct LockedStack(Mutex<Vec<u64>>);

impl LockedStack {
    pub fn with_capacity(capacity: usize) -> Self {
        LockedStack(Mutex::new(Vec::with_capacity(capacity)))
    }

    pub fn push(&self, value: u64) -> Result<(), u64> {
        self.0.lock().unwrap().push(value);
        Ok(())
    }

    pub fn pop(&self) -> Option<u64> {
        self.0.lock().unwrap().pop()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// The lock-free stack with versions
    Treiber,
    /// A `Mutex<Vec<u64>>`
    Mutex,
}

// ANCHOR: measure
/// Every thread pushes a value of its own and pops one, `ops` times. Returns
/// the seconds taken and the sum of every value popped, which must equal the
/// sum of every value pushed: nothing lost, nothing popped twice.
fn push_pop(
    threads: usize,
    ops: u64,
    push: impl Fn(u64) -> Result<(), u64> + Sync,
    pop: impl Fn() -> Option<u64> + Sync,
) -> (f64, u64) {
    let start = Instant::now();
    let popped: u64 = thread::scope(|s| {
        let workers: Vec<_> = (0..threads as u64)
            .map(|t| {
                let (push, pop) = (&push, &pop);
                s.spawn(move || {
                    let mut sum = 0u64;
                    for i in 0..ops {
                        push(t * ops + i).expect("room for one value per thread");
                        sum += pop().expect("at least the value this thread pushed");
                    }
                    sum
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    (start.elapsed().as_secs_f64(), popped)
}
// ANCHOR_END: measure

#[derive(clap::Args)]
struct TreiberFlags {
    /// Which stack
    #[arg(long, value_enum, default_value_t = Kind::Treiber)]
    stack: Kind,
    /// Threads pushing and popping [default: the number of cores]
    #[arg(long, short = 't', value_parser = cli::parse_threads)]
    threads: Option<usize>,
    /// Push-and-pop pairs per thread (1e6 and 1_000_000 are accepted)
    #[arg(long, default_value = "1e6", value_parser = cli::parse_count)]
    ops: u64,
    /// Print one JSON object instead of a text line
    #[arg(long)]
    json: bool,
}

/// threads × ops values are pushed, each below threads × ops: keep it in u64
/// with room for the sum.
const MAX_OPS_TOTAL: u64 = 1 << 32;

fn main() {
    let flags = cli::parse_own_flags::<TreiberFlags>("A lock-free stack against a locked one");
    let threads = flags.threads.unwrap_or_else(default_threads);
    if flags.ops.saturating_mul(threads as u64) > MAX_OPS_TOTAL {
        cli::exit_with_error(&format!(
            "--threads × --ops is more than {MAX_OPS_TOTAL}: lower one of them"
        ));
    }
    // One node per thread is enough: each holds at most one value at a time.
    let (seconds, popped) = match flags.stack {
        Kind::Treiber => {
            let stack = TreiberStack::with_capacity(threads);
            push_pop(threads, flags.ops, |v| stack.push(v), || stack.pop())
        }
        Kind::Mutex => {
            let stack = LockedStack::with_capacity(threads);
            push_pop(threads, flags.ops, |v| stack.push(v), || stack.pop())
        }
    };
    let total = threads as u64 * flags.ops;
    let pushed = total * (total - 1) / 2; // every value 0..total, once
    let name = match flags.stack {
        Kind::Treiber => "treiber",
        Kind::Mutex => "mutex",
    };
    let mops = 2.0 * total as f64 / seconds / 1e6;
    if flags.json {
        let report = serde_json::json!({
            "stack": name,
            "threads": threads,
            "ops_per_thread": flags.ops,
            "seconds": seconds,
            "mops_per_s": mops,
            "every_value_once": popped == pushed,
        });
        println!("{report}");
    } else {
        println!(
            "{name:<8} T={threads}  push+pop pairs={total}  time={}  {mops:.1} Mops/s  every value popped once: {}",
            format_seconds(seconds),
            if popped == pushed { "yes" } else { "NO" }
        );
    }
    if popped != pushed {
        std::process::exit(1);
    }
}
