//! How costly each term of the sum is: `--work even|uneven`.
//!
//! With even work every term costs the same, so T equal chunks take equal
//! times. With uneven work, term i is evaluated 1 + ⌊16·i/N⌋ times: once for
//! the first sixteenth of the points, 16 times for the last. The chunks near
//! b take longest: the
//! classic case where a static split (one chunk per thread) leaves threads
//! idle at the end and a queue's dynamic hand-out does not.
//!
//! The extra evaluations are computed and thrown away: the sum adds exactly
//! the same terms, in the same order, as with even work, so its result is
//! the same to the last bit (and within [`Problem::reduction_tolerance`] of
//! the closed form, like every other correct sum).
//!
//! The setting belongs to the whole run: the command line sets it once,
//! before any worker starts, and [`Problem::sum_f`] reads it. (It is not a
//! field of [`Problem`], so that code which builds a `Problem { a, b, n }`,
//! a learner's exercise among it, keeps compiling.)
//!
//! [`Problem`]: crate::Problem
//! [`Problem::sum_f`]: crate::Problem::sum_f
//! [`Problem::reduction_tolerance`]: crate::Problem::reduction_tolerance

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

/// How costly each term is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Work {
    /// Every term costs the same
    #[default]
    Even,
    /// Term i costs 1 + 16·i/N evaluations: later chunks take longer (same sum)
    Uneven,
}

/// With uneven work, the last terms cost this many times the first ones.
pub const COST_RATIO: u64 = 16;

static UNEVEN: AtomicBool = AtomicBool::new(false);
static UNEVEN_KERNEL_RAN: AtomicBool = AtomicBool::new(false);

/// Sets the work of this run. The command line calls it once, before any
/// worker starts; threads started afterwards see the value.
pub fn set(work: Work) {
    UNEVEN.store(work == Work::Uneven, Relaxed);
}

/// The work of this run ([`Work::Even`] unless [`set`] said otherwise).
pub fn current() -> Work {
    if UNEVEN.load(Relaxed) {
        Work::Uneven
    } else {
        Work::Even
    }
}

/// How many times term `i` of `n` is evaluated beyond the one that counts,
/// with uneven work: ⌊16·i/N⌋, from 0 for the first terms to 15 for the last.
pub fn extra_evaluations(i: u64, n: u64) -> u64 {
    // In u128, so that 16·i cannot overflow.
    (u128::from(COST_RATIO) * u128::from(i) / u128::from(n.max(1))) as u64
}

/// The first index whose term gets `extra` extra evaluations (or more):
/// ⌈extra·N/16⌉. The cost changes only at these 16 indices, so the uneven
/// loop computes it once per stretch of equal cost, not once per term.
pub fn first_index_with(extra: u64, n: u64) -> u64 {
    let ratio = u128::from(COST_RATIO);
    (u128::from(extra) * u128::from(n)).div_ceil(ratio) as u64
}

/// Called by the uneven kernel: it ran in this process.
pub(crate) fn note_uneven_kernel_ran() {
    // A load first, so that T threads do not all write the same cache line.
    if !UNEVEN_KERNEL_RAN.load(Relaxed) {
        UNEVEN_KERNEL_RAN.store(true, Relaxed);
    }
}

/// Whether the uneven kernel ran since the last call. A strategy whose loop
/// does not go through [`Problem::sum_f`] (a lock or an atomic per term,
/// rayon over single indices, worker processes) never runs it: `--work
/// uneven` would do even work there, so the command line refuses it.
///
/// [`Problem::sum_f`]: crate::Problem::sum_f
pub fn take_uneven_kernel_ran() -> bool {
    UNEVEN_KERNEL_RAN.swap(false, Relaxed)
}

/// `even` or `uneven`: the flag's value.
impl fmt::Display for Work {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Work::Even => "even",
            Work::Uneven => "uneven",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn the_cost_grows_from_one_evaluation_to_sixteen() {
        let n = 1_000_000;
        assert_eq!(extra_evaluations(0, n), 0);
        assert_eq!(extra_evaluations(n / 2, n), 8);
        assert_eq!(extra_evaluations(n - 1, n), COST_RATIO - 1);
        // Never more than the maximum, even at the largest N.
        let big = crate::problem::MAX_N;
        assert_eq!(extra_evaluations(big - 1, big), COST_RATIO - 1);
        // It never decreases with i.
        let costs: Vec<u64> = (0..1000).map(|i| extra_evaluations(i, 1000)).collect();
        assert!(costs.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn first_index_with_is_where_the_cost_steps_up() {
        for n in [1, 2, 15, 16, 17, 1000, 1_000_003, crate::problem::MAX_N] {
            assert_eq!(first_index_with(0, n), 0);
            assert_eq!(first_index_with(COST_RATIO, n), n);
            for extra in 1..COST_RATIO {
                let first = first_index_with(extra, n);
                if first < n {
                    assert!(extra_evaluations(first, n) >= extra, "n={n} extra={extra}");
                }
                if first > 0 {
                    assert!(
                        extra_evaluations(first - 1, n) < extra,
                        "n={n} extra={extra}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_flag_reads_what_display_writes() {
        for work in [Work::Even, Work::Uneven] {
            assert_eq!(Work::from_str(&work.to_string(), false), Ok(work));
        }
    }
}
