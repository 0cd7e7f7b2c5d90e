//! What the MPI programs of Part VI share (chapter 26, `book/part6/`).
//!
//! Each example in `examples/` is one MPI program, started on every rank by
//! `mpiexec` (or `cargo mpi`, which builds it first). What they all need
//! lives here, so that an example shows only its idea:
//!
//! - [`Ranks`]: MPI started on this rank, the shared command line read on
//!   every rank with only the root printing, the work timed across the job,
//!   and a panic on any rank ending the whole job instead of hanging it;
//! - [`mpiexec`]: starting a job from Rust with a time limit, for the tests,
//!   the exercise's check and `mpi_crossover`;
//! - [`install_mpi`]: what to install where MPI is missing;
//! - [`heat`]: the 1-D heat equation of chapter 26.1 (grid, stencil, and
//!   the sequential solve the ranks' result is checked against);
//! - [`alpha_beta`]: the α–β model of a message, fitted to a ping-pong.
//!
//! The problem, the chunking rule and the report line are the workbook's
//! own (`parallel_workbook`), the same as in every other example.

pub mod alpha_beta;
pub mod halo;
pub mod heat;
pub mod mpiexec;
pub mod ranks;

pub use mpi;
pub use ranks::{ROOT, Ranks};

/// One line: the packages that provide MPI and libclang (which rsmpi's
/// build needs), on Debian/Ubuntu, Fedora and macOS. The one copy of this
/// advice: `cargo mpi`, the book (chapter 26) and `cargo workbook` show it.
pub fn install_mpi() -> &'static str {
    include_str!("../install-mpi.txt").trim()
}
