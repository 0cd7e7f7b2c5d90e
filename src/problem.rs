//! The running problem: ∫ₐᵇ x² dx by a left Riemann sum of N points.

use crate::work::{self, Work};
use std::fmt;
use std::ops::Range;

/// The largest N accepted: every index `i < N` must convert to `f64` exactly,
/// or the points `a + i·Δx` would silently repeat.
pub const MAX_N: u64 = 1 << 53;

/// One integration problem: the interval [a, b] and the number of points N.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Problem {
    pub a: f64,
    pub b: f64,
    pub n: u64,
}

/// Why a [`Problem`] was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ProblemError {
    NotFinite { name: &'static str, value: f64 },
    Reversed { a: f64, b: f64 },
    ZeroPoints,
    TooManyPoints(u64),
}

impl fmt::Display for ProblemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFinite { name, value } => {
                write!(f, "--{name} must be a finite number, got {value}")
            }
            Self::Reversed { a, b } => write!(
                f,
                "--a ({a}) must not be greater than --b ({b}); swap them and negate the result"
            ),
            Self::ZeroPoints => write!(f, "--n must be at least 1"),
            Self::TooManyPoints(n) => write!(
                f,
                "--n {n} is too large: at most 2^53 = {MAX_N}, so every index is exact as an f64"
            ),
        }
    }
}

impl std::error::Error for ProblemError {}

impl Problem {
    /// The workbook's running example: ∫₀¹⁰ x² dx = 1000/3.
    pub const DEFAULT_A: f64 = 0.0;
    pub const DEFAULT_B: f64 = 10.0;

    /// Checks the input: finite bounds, a ≤ b, 1 ≤ N ≤ 2^53.
    pub fn new(a: f64, b: f64, n: u64) -> Result<Self, ProblemError> {
        for (name, value) in [("a", a), ("b", b)] {
            if !value.is_finite() {
                return Err(ProblemError::NotFinite { name, value });
            }
        }
        if a > b {
            return Err(ProblemError::Reversed { a, b });
        }
        if n == 0 {
            return Err(ProblemError::ZeroPoints);
        }
        if n > MAX_N {
            return Err(ProblemError::TooManyPoints(n));
        }
        Ok(Self { a, b, n })
    }

    /// The function being integrated.
    #[inline]
    pub fn f(x: f64) -> f64 {
        x * x
    }

    /// The width of one strip, Δx = (b − a) / N.
    #[inline]
    pub fn dx(&self) -> f64 {
        (self.b - self.a) / self.n as f64
    }

    /// The i-th sample point, x_i = a + i·Δx. Every strategy computes the
    /// points this way, so they all add exactly the same terms.
    #[inline]
    pub fn x(&self, i: u64) -> f64 {
        // Through i64: the same value (i ≤ 2^53), but one instruction on
        // x86-64 where u64 → f64 takes five.
        self.a + i as i64 as f64 * self.dx()
    }

    // ANCHOR: sum_f
    /// Σ f(x_i) over one chunk of indices: the loop of `examples/sequential.rs`,
    /// restricted to a chunk. Each parallel strategy runs it on its chunks and
    /// multiplies the reassembled sum by Δx once at the end (`fast_parallel`
    /// runs the lane kernel, [`Problem::sum_f_lanes`], instead).
    pub fn sum_f(&self, chunk: Range<u64>) -> f64 {
        if work::current() == Work::Uneven {
            return self.sum_f_uneven(chunk); // `--work uneven`: see crate::work
        }
        let dx = self.dx();
        let mut sum = 0.0;
        // i64 for the same reason as in `x`.
        for i in chunk.start as i64..chunk.end as i64 {
            let x = self.a + i as f64 * dx;
            sum += Self::f(x);
        }
        sum
    }
    // ANCHOR_END: sum_f

    /// [`sum_f`](Self::sum_f) with uneven work: the same terms added in the
    /// same order (so the same result, bit for bit), but term i is evaluated
    /// [`work::extra_evaluations`] more times first, and those evaluations
    /// are thrown away. `black_box` stops the compiler from noticing that
    /// they are unused, or that they all compute the same value.
    pub fn sum_f_uneven(&self, chunk: Range<u64>) -> f64 {
        work::note_uneven_kernel_ran();
        let dx = self.dx();
        let mut sum = 0.0;
        let mut start = chunk.start;
        // One stretch of equal cost at a time (at most 16 per chunk).
        while start < chunk.end {
            let extra = work::extra_evaluations(start, self.n);
            let end = work::first_index_with(extra + 1, self.n).min(chunk.end);
            for i in start as i64..end as i64 {
                let x = self.a + i as f64 * dx;
                for _ in 0..extra {
                    std::hint::black_box(Self::f(std::hint::black_box(x)));
                }
                sum += Self::f(x);
            }
            start = end;
        }
        sum
    }

    /// The value of the integral, (b³ − a³) / 3: 1000/3 for [0, 10].
    pub fn exact_integral(&self) -> f64 {
        (self.b.powi(3) - self.a.powi(3)) / 3.0
    }

    /// The closed form of the left sum itself, which the code must reproduce
    /// up to rounding:
    /// Δx · [N·a² + a·Δx·(N−1)·N + Δx²·(N−1)·N·(2N−1)/6].
    pub fn exact_left_sum(&self) -> f64 {
        let (a, dx, n) = (self.a, self.dx(), self.n as f64);
        dx * (n * a * a + a * dx * (n - 1.0) * n + dx * dx * (n - 1.0) * n * (2.0 * n - 1.0) / 6.0)
    }

    /// How far apart two correct sums of these N terms, added in different
    /// orders, may be: each is within γ_N·Σ|f(x_i)|·Δx of the true sum
    /// (γ_N = N·u / (1 − N·u), u = 2⁻⁵³, the standard bound for recursive
    /// summation), so two of them are within twice that. A few more units
    /// cover the final multiplication by Δx. Counting N + 2 roundings also
    /// covers the rounding of each square; the lane kernel, which fuses the
    /// square into the addition (`mul_add`), rounds once fewer per term, so
    /// the same bound holds for it.
    pub fn reduction_tolerance(&self) -> f64 {
        let u = f64::EPSILON / 2.0;
        let n = self.n as f64 + 2.0;
        let gamma = n * u / (1.0 - n * u);
        // Σ|f(x_i)|·Δx ≤ max(a², b²)·(b − a): a cheap upper bound of the sum of magnitudes.
        let magnitude = self.a.abs().max(self.b.abs()).powi(2) * (self.b - self.a);
        2.0 * gamma * magnitude + 4.0 * f64::EPSILON * magnitude
    }
}

impl Default for Problem {
    fn default() -> Self {
        Self {
            a: Self::DEFAULT_A,
            b: Self::DEFAULT_B,
            n: 1_000_000,
        }
    }
}

// ANCHOR: chunking
/// The k-th of `parts` chunks of the indices 0..n, as even as possible: the
/// first `n % parts` chunks get one extra index. Together the chunks cover
/// every index exactly once, even when `parts` does not divide `n`; when
/// `parts > n` the last chunks are empty.
pub fn chunk(n: u64, parts: u64, k: u64) -> Range<u64> {
    assert!(parts > 0 && k < parts, "chunk {k} of {parts}");
    let (base, extra) = (n / parts, n % parts);
    let start = k * base + k.min(extra);
    let len = base + u64::from(k < extra);
    start..start + len
}

/// All `parts` chunks of 0..n, in order.
pub fn chunks(n: u64, parts: u64) -> impl Iterator<Item = Range<u64>> {
    (0..parts).map(move |k| chunk(n, parts, k))
}
// ANCHOR_END: chunking

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_index_once() {
        for n in [0, 1, 7, 10, 100, 1001] {
            for parts in [1, 2, 3, 4, 7, 16, 2000] {
                let mut next = 0;
                for c in chunks(n, parts) {
                    assert_eq!(c.start, next, "n={n} parts={parts}");
                    next = c.end;
                }
                assert_eq!(next, n);
                let lens: Vec<u64> = chunks(n, parts).map(|c| c.end - c.start).collect();
                let (min, max) = (lens.iter().min().unwrap(), lens.iter().max().unwrap());
                assert!(max - min <= 1, "uneven chunks {lens:?}");
            }
        }
    }

    #[test]
    fn closed_forms_match_the_definition() {
        let p = Problem::new(0.0, 10.0, 1000).unwrap();
        let left = p.sum_f(0..p.n) * p.dx();
        assert!((left - p.exact_left_sum()).abs() < 1e-9);
        // a = 0: S_N = Δx³·(N−1)·N·(2N−1)/6 = 332.8335
        assert!((p.exact_left_sum() - 332.8335).abs() < 1e-9);
        assert_eq!(p.exact_integral(), 1000.0 / 3.0);
        let shifted = Problem::new(-3.0, 2.5, 777).unwrap();
        let direct = shifted.sum_f(0..shifted.n) * shifted.dx();
        assert!((direct - shifted.exact_left_sum()).abs() < 1e-10);
    }

    #[test]
    fn uneven_work_adds_the_same_terms_in_the_same_order() {
        // sum_f_uneven is called directly: `work::set` would change the
        // setting for every test running at the same time.
        for (a, b, n) in [
            (0.0, 10.0, 1000),
            (-3.0, 2.5, 777),
            (0.0, 1.0, 17),
            (1.0, 1.0, 5),
        ] {
            let p = Problem::new(a, b, n).unwrap();
            for parts in [1, 2, 3, 16, 40] {
                for c in chunks(n, parts) {
                    assert_eq!(
                        p.sum_f_uneven(c.clone()).to_bits(),
                        p.sum_f(c.clone()).to_bits(),
                        "a={a} b={b} n={n} chunk {c:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn bad_problems_are_refused_with_the_flag_named() {
        let msg = |r: Result<Problem, ProblemError>| r.unwrap_err().to_string();
        assert!(msg(Problem::new(f64::NAN, 1.0, 1)).starts_with("--a must be a finite"));
        assert!(msg(Problem::new(0.0, f64::INFINITY, 1)).starts_with("--b must be a finite"));
        assert!(msg(Problem::new(2.0, 1.0, 1)).contains("must not be greater than --b"));
        assert_eq!(msg(Problem::new(0.0, 1.0, 0)), "--n must be at least 1");
        assert!(
            msg(Problem::new(0.0, 1.0, MAX_N + 1)).starts_with("--n 9007199254740993 is too large")
        );
        assert!(Problem::new(1.0, 1.0, MAX_N).is_ok());
    }
}
