//! How often a worker touches the shared total: the knob of the `mutex` and
//! `atomic` examples (`--granularity item|chunk`).

use std::fmt;

/// `Item`: every term is added to the shared total, N updates fought over by
/// T threads. `Chunk`: each thread sums its chunk privately, then adds that
/// partial sum once, T updates in all. (An update is a lock in `mutex`, a
/// compare-and-swap in `atomic`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Granularity {
    /// Update the shared total once for every term
    Item,
    /// Sum a chunk privately, then update the shared total once
    Chunk,
}

/// The `--granularity` flag, for an example to take as its own flags.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct GranularityFlag {
    /// How often each thread updates the shared total
    #[arg(long, value_enum, default_value_t = Granularity::Chunk)]
    pub granularity: Granularity,
}

/// `item` or `chunk`: the flag's value, and the second half of the strategy's
/// name in reports (`mutex/item`).
impl fmt::Display for Granularity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Granularity::Item => "item",
            Granularity::Chunk => "chunk",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn the_flag_reads_what_display_writes() {
        for granularity in [Granularity::Item, Granularity::Chunk] {
            let text = granularity.to_string();
            assert_eq!(Granularity::from_str(&text, false), Ok(granularity));
        }
        assert!(Granularity::from_str("items", false).is_err());
    }
}
