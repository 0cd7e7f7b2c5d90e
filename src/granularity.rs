//! How often a worker touches the shared total: the knob of the `mutex` and
//! `atomic` examples (`--granularity item|chunk`).

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use std::fmt;

/// `Item`: every term is added to the shared total, N updates fought over by
/// T threads. `Chunk`: each thread sums its chunk privately, then adds that
/// partial sum once, T updates in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Item,
    Chunk,
}

impl Granularity {
    /// The value parser of an example's `--granularity` flag. One update is a
    /// lock in one example and a compare-and-swap in another, so each example
    /// says in its `--help` what `item` and `chunk` mean there.
    pub fn parser(
        item_help: &'static str,
        chunk_help: &'static str,
    ) -> impl TypedValueParser<Value = Granularity> {
        PossibleValuesParser::new([
            PossibleValue::new("item").help(item_help),
            PossibleValue::new("chunk").help(chunk_help),
        ])
        .map(|name| match name.as_str() {
            "item" => Granularity::Item,
            _ => Granularity::Chunk,
        })
    }
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

    #[test]
    fn the_parser_reads_what_display_writes() {
        let command = clap::Command::new("test");
        for granularity in [Granularity::Item, Granularity::Chunk] {
            let text = granularity.to_string();
            let parsed = Granularity::parser("", "")
                .parse_ref(&command, None, text.as_ref())
                .unwrap();
            assert_eq!(parsed, granularity);
        }
        assert!(
            Granularity::parser("", "")
                .parse_ref(&command, None, "items".as_ref())
                .is_err()
        );
    }
}
