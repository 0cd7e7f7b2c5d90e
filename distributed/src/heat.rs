//! The 1-D heat equation of chapter 26.1, u_t = κ·u_xx on [a, b], solved
//! by the explicit finite-difference scheme
//!
//! ```text
//! u_i ← u_i + r·(u_{i−1} − 2·u_i + u_{i+1}),   r = κ·Δt / Δx²  (stable for r ≤ 1/2)
//! ```
//!
//! The rod starts as the workbook's function, u(x, 0) = x², and its ends
//! stay at a² and b². Cell i of N sits at x_i = a + (i + 1)·Δx, Δx = (b − a)/(N + 1),
//! between the two fixed ends at x = a and x = b. As t grows, u relaxes
//! from the parabola to the straight line between the ends.
//!
//! What is here is what every rank and the sequential reference share: the
//! grid, one step of the stencil, and the whole sequential solve. How the
//! ranks split the cells and exchange their edges is the example's
//! (`examples/mpi_heat.rs`), the lesson of the chapter.

use parallel_workbook::Problem;

/// r = κ·Δt/Δx²: 0.4, below the stability limit 1/2 of the explicit scheme.
pub const R: f64 = 0.4;

/// The rod: N cells between two fixed ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rod {
    pub a: f64,
    pub b: f64,
    pub cells: u64,
}

impl Rod {
    /// The distance between two cells.
    pub fn dx(&self) -> f64 {
        (self.b - self.a) / (self.cells + 1) as f64
    }

    /// The initial temperature of cell `i`: f(x_i) = x_i².
    pub fn initial(&self, i: u64) -> f64 {
        Problem::f(self.a + (i + 1) as f64 * self.dx())
    }

    /// The fixed temperatures at the two ends, (a², b²).
    pub fn ends(&self) -> (f64, f64) {
        (Problem::f(self.a), Problem::f(self.b))
    }

    /// ∫ u dx over the rod by the trapezoidal rule over its cells and ends:
    /// 1000/3 for u = x² on [0, 10] (up to the rule's error), 500 for the
    /// straight line the rod relaxes to.
    pub fn integral(&self, cells: &[f64]) -> f64 {
        let (left, right) = self.ends();
        let inner: f64 = cells.iter().sum();
        self.dx() * (inner + (left + right) / 2.0)
    }
}

// ANCHOR: step
/// One step of the stencil: `next[i]` from `u[i]` and its two neighbours,
/// for every cell of `next`. `u` holds one more value on each side than
/// `next`: the neighbours of the first and last cell (a fixed end, or a
/// halo: a copy of a cell another rank owns).
pub fn step(u: &[f64], next: &mut [f64]) {
    debug_assert_eq!(u.len(), next.len() + 2);
    for (i, new) in next.iter_mut().enumerate() {
        *new = u[i + 1] + R * (u[i] - 2.0 * u[i + 1] + u[i + 2]);
    }
}
// ANCHOR_END: step

/// The whole solve on one thread: `steps` steps of every cell. The
/// reference that the ranks' result must equal, bit for bit: each cell's
/// new value is the same three numbers put through the same arithmetic,
/// whoever computes it.
pub fn solve_sequentially(rod: &Rod, steps: u64) -> Vec<f64> {
    let (left, right) = rod.ends();
    let n = rod.cells as usize;
    let mut u: Vec<f64> = std::iter::once(left)
        .chain((0..rod.cells).map(|i| rod.initial(i)))
        .chain(std::iter::once(right))
        .collect();
    let mut next = u.clone();
    for _ in 0..steps {
        step(&u, &mut next[1..=n]);
        std::mem::swap(&mut u, &mut next);
    }
    u[1..=n].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rod_starts_as_the_parabola_and_relaxes_to_the_line() {
        let rod = Rod {
            a: 0.0,
            b: 10.0,
            cells: 99,
        };
        assert_eq!(rod.dx(), 0.1);
        assert_eq!(rod.initial(0), Problem::f(0.1));
        let start = solve_sequentially(&rod, 0);
        assert!((rod.integral(&start) - 1000.0 / 3.0).abs() < 0.1);
        // Long after: the line from 0 to 100, whose integral is 500.
        let end = solve_sequentially(&rod, 200_000);
        assert!(
            (rod.integral(&end) - 500.0).abs() < 1e-6,
            "{}",
            rod.integral(&end)
        );
        for (i, u) in end.iter().enumerate() {
            let line = 10.0 * (i + 1) as f64 * rod.dx();
            assert!((u - line).abs() < 1e-6, "cell {i}: {u} against {line}");
        }
    }

    #[test]
    fn one_step_is_the_stencil() {
        let u = [0.0, 1.0, 4.0, 9.0];
        let mut next = [0.0; 2];
        step(&u, &mut next);
        // u'' = 2 everywhere for u = i²: each cell gains r·2.
        assert_eq!(next, [1.0 + R * 2.0, 4.0 + R * 2.0]);
    }
}
