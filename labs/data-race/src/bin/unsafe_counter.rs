//! Two threads increment a `static mut`: a data race. Part of the data-race
//! lab, the one crate of the workbook with `unsafe` code.
//!
//!     bash labs/data-race/run.sh           # under Miri and ThreadSanitizer
//!     cargo run --release --manifest-path labs/data-race/Cargo.toml --bin unsafe_counter -- 10000000

use data_race_lab::{increments_from_args, unsafe_counter, with_two_threads};

fn main() {
    let increments = increments_from_args();
    with_two_threads(increments, unsafe_counter::increment);
    println!(
        "unsafe_counter: {} of {}",
        unsafe_counter::count(),
        2 * increments
    );
}
