//! The α–β model of a message (Hockney's): sending n bytes takes
//!
//! ```text
//! t(n) = α + β·n
//! ```
//!
//! α is the latency, paid by every message however small; β the time per
//! byte, 1/β the bandwidth. `mpi_ping_pong` measures t(n) for many n, and
//! [`fit`] finds the α and β that match them best.

/// A fitted model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlphaBeta {
    /// Seconds per message.
    pub alpha: f64,
    /// Seconds per byte.
    pub beta: f64,
}

impl AlphaBeta {
    /// The model's time for a message of `bytes`.
    pub fn time(&self, bytes: f64) -> f64 {
        self.alpha + self.beta * bytes
    }

    /// The size at which a message spends as long on its bytes as on its
    /// latency (α/β): smaller messages are mostly latency, and sending many
    /// of them as one saves most of their time.
    pub fn half_size(&self) -> f64 {
        self.alpha / self.beta
    }
}

// ANCHOR: fit
/// The α and β of least *relative* error over the measured `(bytes,
/// seconds)` pairs: each point is weighted by 1/t², so the small messages
/// (microseconds) count as much as the large ones (milliseconds), which
/// plain least squares would let decide alone. `None` with fewer than two
/// distinct sizes.
pub fn fit(points: &[(f64, f64)]) -> Option<AlphaBeta> {
    // Weighted least squares for t = α + β·n: the normal equations.
    let (mut w, mut wn, mut wnn, mut wt, mut wnt) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(n, t) in points {
        let weight = 1.0 / (t * t);
        w += weight;
        wn += weight * n;
        wnn += weight * n * n;
        wt += weight * t;
        wnt += weight * n * t;
    }
    let determinant = w * wnn - wn * wn;
    if !(determinant.is_finite() && determinant > 0.0) {
        return None;
    }
    let beta = (w * wnt - wn * wt) / determinant;
    let alpha = (wt - beta * wn) / w;
    Some(AlphaBeta { alpha, beta })
}
// ANCHOR_END: fit

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_found_exactly() {
        let model = AlphaBeta {
            alpha: 2e-6,
            beta: 1e-10,
        };
        let points: Vec<(f64, f64)> = [8.0, 64.0, 4096.0, 1e6, 8e6]
            .into_iter()
            .map(|n| (n, model.time(n)))
            .collect();
        let found = fit(&points).unwrap();
        assert!((found.alpha - model.alpha).abs() < 1e-12, "{found:?}");
        assert!((found.beta - model.beta).abs() < 1e-16, "{found:?}");
        assert!((found.half_size() - 20_000.0).abs() < 1e-3);
    }

    #[test]
    fn small_messages_decide_alpha_even_next_to_large_ones() {
        // Noise of 10% on the largest message moves β a little, and α hardly.
        let points = [(8.0, 1e-6), (64.0, 1e-6), (1e6, 1e-4 * 1.1), (1e7, 1e-3)];
        let found = fit(&points).unwrap();
        assert!(
            (found.alpha - 1e-6).abs() < 0.1e-6,
            "α should stay near 1 µs: {found:?}"
        );
    }

    #[test]
    fn one_size_is_not_enough() {
        assert_eq!(fit(&[(8.0, 1e-6), (8.0, 2e-6)]), None);
        assert_eq!(fit(&[]), None);
    }
}
