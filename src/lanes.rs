//! The lane kernel: the sum of [`Problem::sum_f`] with many independent
//! running sums, so that one core can work on many terms at once. Used by
//! `fast_sequential` (one chunk, one thread) and `fast_parallel` (one chunk
//! per thread); chapter 1 says why, chapter 24 takes it apart.

use crate::problem::Problem;
use std::hint::black_box;
use std::ops::Range;

// ANCHOR: lanes
/// How many `f64` one SIMD register of this build holds: 8 with AVX-512,
/// 4 with AVX (AVX2 machines), 2 with SSE2 (every x86-64) or NEON (Arm).
/// Fixed when the program is compiled: `target-cpu=native` in
/// `.cargo/config.toml` lets the compiler use what this CPU has.
pub const WIDTH: usize = if cfg!(target_feature = "avx512f") {
    8
} else if cfg!(target_feature = "avx") {
    4
} else {
    2
};

/// Independent registers of running sums. An FMA into one register must
/// wait for the previous FMA into the same register (4 or 5 cycles on x86
/// cores of the last decade), while the core can finish one register's worth
/// of terms every cycle or two. With too few chains it waits; with too many
/// the registers run out (each chain holds two: its sums and its indices;
/// AVX2 has 16) and the sums spill to memory. `limit`'s chains table
/// (chapter 24) measures where more chains stop paying on your machine.
pub const CHAINS: usize = 4;

/// Running sums in all: lane `l` adds the points l, l + LANES, l + 2·LANES, …
pub const LANES: usize = WIDTH * CHAINS;

/// True when this build has a fused multiply-add instruction (FMA).
pub const FUSED: bool = cfg!(any(target_feature = "fma", target_arch = "aarch64"));

/// `sum + x·x`. With FMA it is one instruction that rounds once, instead of
/// a multiplication and an addition that round twice: one operation fewer
/// per term, and a result at least as close to the exact sum (see
/// [`Problem::reduction_tolerance`]). Without FMA, `mul_add` would be a slow
/// library call, so the plain form is used there.
#[inline(always)]
pub fn add_square(sum: f64, x: f64) -> f64 {
    if FUSED {
        x.mul_add(x, sum)
    } else {
        sum + x * x
    }
}

impl Problem {
    /// Σ f(x_i) over one chunk of indices, like [`Problem::sum_f`], with
    /// [`LANES`] running sums added together at the end.
    ///
    /// Per term, four operations (five without FMA), none of them wasted:
    /// one exact addition moves the lane's index on, one multiplication and
    /// one addition make the point a + i·Δx, rounded exactly as in
    /// `sequential`, and one FMA squares it into the running sum. The index
    /// is kept as an `f64` (exact below 2⁵³), so there is no integer to
    /// convert. Compiled for AVX-512, each of the four is one instruction
    /// for 8 terms (`vaddpd`, `vmulpd`, `vaddpd`, `vfmadd` on `zmm`
    /// registers), and the loop holds nothing else but its counter:
    /// `sh benches/loop-asm.sh --count target/release/examples/fast_sequential '*::sum_f_lanes'`.
    pub fn sum_f_lanes(&self, chunk: Range<u64>) -> f64 {
        let dx = self.dx();
        let mut sums = [[0.0; WIDTH]; CHAINS];
        let mut index: [[f64; WIDTH]; CHAINS] = std::array::from_fn(|chain| {
            std::array::from_fn(|lane| (chunk.start + (chain * WIDTH + lane) as u64) as f64)
        });
        let rounds = (chunk.end - chunk.start) / LANES as u64;
        for _ in 0..rounds {
            for chain in 0..CHAINS {
                for lane in 0..WIDTH {
                    let x = self.a + index[chain][lane] * dx;
                    sums[chain][lane] = add_square(sums[chain][lane], x);
                    index[chain][lane] += LANES as f64;
                }
            }
        }
        // The last (len % LANES) points, one at a time.
        let tail = self.sum_f(chunk.start + rounds * LANES as u64..chunk.end);
        sums.iter().flatten().sum::<f64>() + tail
    }
}
// ANCHOR_END: lanes

// ANCHOR: register_only
/// The lane kernel's operations with nothing else, the compute roof of the
/// `roofline` example (and the loop `limit` times for its limit): `CHAINS`
/// registers of [`WIDTH`] lanes, each doing per term what
/// [`Problem::sum_f_lanes`] does (an exact addition, a multiplication, an
/// addition and [`add_square`]), for `terms` terms. No memory, no chunk
/// edges, no tail: with enough chains no operation waits for another.
/// Always inlined: `limit` wraps each chain count in a function of its own
/// whose machine code is found by name (`benches/loop-asm.sh`).
#[inline(always)]
pub fn register_only<const CHAINS: usize>(terms: u64) -> f64 {
    let (a, d) = (black_box(1.0), black_box(1e-9));
    let mut index: [[f64; WIDTH]; CHAINS] =
        std::array::from_fn(|chain| std::array::from_fn(|lane| (chain * WIDTH + lane) as f64));
    let mut sums = [[0.0; WIDTH]; CHAINS];
    for _ in 0..terms / (CHAINS * WIDTH) as u64 {
        for chain in 0..CHAINS {
            for lane in 0..WIDTH {
                let x = a + index[chain][lane] * d;
                sums[chain][lane] = add_square(sums[chain][lane], x);
                index[chain][lane] += (CHAINS * WIDTH) as f64;
            }
        }
    }
    sums.iter().flatten().sum()
}

/// The plain loop's operations with nothing else: one lane, one running
/// sum, per term the conversion of the index, a multiplication, an addition
/// and a square added to the sum, as `Problem::sum_f` does them (never
/// fused: Rust does not fuse on its own). Each addition to the sum waits
/// for the one before, and no instruction works on more than one term: the
/// ceiling of a loop that uses neither lanes nor independent chains.
pub fn register_only_scalar(terms: u64) -> f64 {
    let (a, d) = (black_box(1.0), black_box(1e-9));
    let mut sum = 0.0;
    for i in 0..terms as i64 {
        let x = a + i as f64 * d;
        sum += x * x;
    }
    sum
}
// ANCHOR_END: register_only

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lanes_add_exactly_the_points_of_the_sequential_loop() {
        // With Δx = 1/4 and small integers every point, square and partial
        // sum is exact, so any other point (or one missing) would show.
        for (a, n) in [(0.0, 1000), (-3.0, 1003), (2.5, 77), (1.0, 5)] {
            let problem = Problem::new(a, a + n as f64 / 4.0, n).unwrap();
            for chunk in [0..n, 0..n / 2, n / 3..n, 7.min(n)..7.min(n)] {
                assert_eq!(
                    problem.sum_f_lanes(chunk.clone()),
                    problem.sum_f(chunk.clone()),
                    "{problem:?} {chunk:?}"
                );
            }
        }
    }

    #[test]
    fn the_lanes_agree_with_the_sequential_loop_within_the_rounding_bound() {
        for (a, b, n) in [
            (0.0, 10.0, 1_000_003),
            (-7.25, 3.5, 99_999),
            (1e3, 1e3 + 1.0, 4097),
        ] {
            let problem = Problem::new(a, b, n).unwrap();
            let lanes = problem.sum_f_lanes(0..n) * problem.dx();
            let sequential = problem.sum_f(0..n) * problem.dx();
            assert!(
                (lanes - sequential).abs() <= problem.reduction_tolerance(),
                "{problem:?}: {lanes} vs {sequential}"
            );
        }
    }

    #[test]
    fn the_register_only_loops_add_the_terms_of_the_plain_loop() {
        // (1 + i·10⁻⁹)² for i below a multiple of every lane count: the
        // scalar loop in order, the lane loops in their own grouping.
        let terms = (8 * WIDTH * 100) as u64;
        let plain: f64 = (0..terms).map(|i| (1.0 + i as f64 * 1e-9).powi(2)).sum();
        for (name, sum) in [
            ("scalar", register_only_scalar(terms)),
            ("4 chains", register_only::<4>(terms)),
            ("8 chains", register_only::<8>(terms)),
        ] {
            assert!(
                (sum - plain).abs() <= 1e-9 * plain,
                "{name}: {sum} against {plain}"
            );
        }
    }

    #[test]
    fn add_square_rounds_once_with_fma_and_twice_without() {
        // x·x = 1 + 2⁻²⁹ + 2⁻⁶⁰ needs more bits than an f64 has: rounded
        // first, the 2⁻⁶⁰ is lost before the subtraction; fused, it is not.
        let x = 1.0 + 2f64.powi(-30);
        let fused = x.mul_add(x, -1.0);
        let twice = x * x - 1.0;
        assert_eq!(fused - twice, 2f64.powi(-60));
        assert_eq!(add_square(-1.0, x), if FUSED { fused } else { twice });
    }
}
