//! The measuring instruments of the workbook's sweep examples: what
//! `scaling`, `limit` and `compare` print and write around their
//! measurements (progress, tables, CSV, JSON, an SVG chart), so that each
//! example file holds its lesson, the measuring itself, and little else.
//!
//! A dev-dependency of the root package: examples use it, the library does
//! not (it stays light: every `cargo run --example` builds against it).

pub mod compare;
pub mod limit;
pub mod progress;
pub mod scaling;
