//! The shared plumbing of the Parallel Rust workbook.
//!
//! Every example integrates f(x) = x² over [a, b] with a left Riemann sum of
//! N points, each with a different parallel strategy. What the examples share
//! lives here, so that an example file shows only its idea:
//!
//! - [`Problem`]: the integral, the chunking rule and the exact answers;
//! - [`cli`]: the common command line (`--a --b --n --threads --json --compare`);
//! - [`report`]: the one-line report every example prints (and its JSON);
//! - [`measure`]: one timed run of a strategy, as every example's `main` does it;
//! - [`Granularity`]: how often a worker updates the shared total (`--granularity`);
//! - [`lanes`]: the lane kernel, [`Problem::sum_f_lanes`], for one fast core;
//! - [`machine`]: what this machine has (cores, SIMD registers, last-level cache);
//! - [`timing`]: one warm-up run, then the median of several timed runs;
//! - [`timeline`]: what each worker thread did and when (`--timeline FILE`),
//!   written as a trace file and drawn as an SVG chart;
//! - [`work`]: even or uneven cost per term (`--work uneven`);
//! - [`memory`]: the process's peak memory, for the back-pressure example;
//! - [`semaphore`]: a counting semaphore from `Mutex` + `Condvar` (chapter 20);
//! - [`roofline`]: the roofline model, its data and its chart;
//! - [`sync`]: `std`'s synchronization types, or loom's when the crate is built
//!   with `--cfg loom` so a model checker can explore every interleaving, or
//!   (`--features model`, for the exercises' checks) a facade that runs on
//!   `std`, loom or shuttle, chosen at run time.

pub mod cli;
/// The book's short snippets that are not examples, as doctests (some must
/// fail to compile). Not part of the API.
#[doc(hidden)]
pub mod docs;
pub mod granularity;
pub mod lanes;
pub mod machine;
pub mod measure;
pub mod memory;
pub mod problem;
pub mod report;
pub mod roofline;
pub mod semaphore;
pub mod sync;
pub mod timeline;
pub mod timing;
pub mod work;

pub use cli::Args;
pub use granularity::{Granularity, GranularityFlag};
pub use problem::{Problem, ProblemError, chunk, chunks};
pub use report::Report;
pub use work::Work;
