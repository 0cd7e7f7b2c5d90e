//! The roofline model (Williams, Waterman and Patterson, *Roofline: an
//! insightful visual performance model for multicore architectures*, CACM
//! 52(4), 2009): a loop that moves `bytes` to or from main memory per unit
//! of work can go no faster than
//!
//! ```text
//! attainable(I) = min(compute roof, I × bandwidth roof),   I = work / bytes
//! ```
//!
//! Williams et al. count work in floating-point operations; the workbook
//! counts it in *terms* of the sum (one f(x_i) added), the unit every
//! example reports, so the arithmetic intensity I is in terms per byte and
//! performance in terms per second. The roofs are measured, not taken from
//! a data sheet: the compute roof is the register-only loop of `limit` (see
//! [`crate::lanes::register_only`]), the bandwidth roof the stored-value sum
//! of `memory_bound`. The `roofline` example measures both, places each
//! strategy by the bytes its loop moves per term ([`bytes_per_term`]), and
//! draws the chart with [`Roofline::svg`].
//!
//! Everything here is data in, data out: [`Roofline::place_report`] takes
//! an example's `--json` report, so that a page can redraw the chart from
//! the learner's own runs.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt::Write;

/// One measured ceiling: terms per second (compute) or bytes per second
/// (bandwidth), with what it is in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roof {
    pub label: String,
    pub per_second: f64,
}

/// One strategy's run, placed on the chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub strategy: String,
    pub threads: usize,
    /// Bytes its loop moves to or from main memory per term; 0 for a loop
    /// that computes every term in registers (its intensity is unbounded).
    pub bytes_per_term: f64,
    pub terms_per_second: f64,
}

impl Point {
    /// Terms per byte; `None` when the loop moves no bytes at all.
    pub fn intensity(&self) -> Option<f64> {
        (self.bytes_per_term > 0.0).then(|| 1.0 / self.bytes_per_term)
    }
}

/// Which roof limits a point, by the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    Memory,
    Compute,
}

/// The chart's data: the roofs, highest first in each list, and the points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roofline {
    /// Compute ceilings; the first (highest) is the roof.
    pub compute: Vec<Roof>,
    /// Bandwidth ceilings; the first (highest) is the roof.
    pub bandwidth: Vec<Roof>,
    pub points: Vec<Point>,
    /// The machine, for the chart's subtitle.
    #[serde(default)]
    pub machine: String,
}

/// The bytes per term that a strategy's loop moves to or from main memory,
/// for the strategies whose loops the workbook knows: `memory_bound` reads
/// one stored `f64` per term, the scans write one (and the caches of most
/// CPUs first read the line they write into), every other strategy computes
/// its terms in registers and reads nothing. `None` for a name it does not know.
pub fn bytes_per_term(strategy: &str) -> Option<f64> {
    const IN_REGISTERS: &[&str] = &[
        "sequential",
        "fast_sequential",
        "threads",
        "scoped_threads",
        "fast_parallel",
        "rayon/chunks",
        "rayon/indices",
        "queue",
        "channels",
        "mutex/chunk",
        "atomic/chunk",
        "fork_join/join",
        "fork_join/iter",
        "schedule/static",
        "schedule/cyclic",
        "schedule/dynamic",
        "schedule/guided",
    ];
    match strategy {
        "memory_bound" => Some(8.0),
        "scan/one-pass" | "scan/two-pass" => Some(8.0),
        s if IN_REGISTERS.contains(&s) => Some(0.0),
        _ => None,
    }
}

impl Roofline {
    /// A chart with these roofs and no points yet. Each list is sorted
    /// highest first; both must hold at least one positive roof.
    pub fn new(mut compute: Vec<Roof>, mut bandwidth: Vec<Roof>) -> Result<Roofline, String> {
        for roofs in [&mut compute, &mut bandwidth] {
            roofs.retain(|r| r.per_second.is_finite() && r.per_second > 0.0);
            roofs.sort_by(|x, y| y.per_second.total_cmp(&x.per_second));
        }
        if compute.is_empty() || bandwidth.is_empty() {
            return Err("a roofline needs a compute roof and a bandwidth roof".into());
        }
        Ok(Roofline {
            compute,
            bandwidth,
            points: Vec::new(),
            machine: String::new(),
        })
    }

    /// The compute roof, terms per second.
    pub fn peak(&self) -> f64 {
        self.compute[0].per_second
    }

    /// The bandwidth roof, bytes per second.
    pub fn bandwidth_roof(&self) -> f64 {
        self.bandwidth[0].per_second
    }

    /// The intensity where the two roofs meet: below it a loop is limited
    /// by memory, above it by computing.
    pub fn ridge(&self) -> f64 {
        self.peak() / self.bandwidth_roof()
    }

    /// What the model allows at intensity `intensity` (`None`: unbounded).
    pub fn attainable(&self, intensity: Option<f64>) -> f64 {
        match intensity {
            Some(i) => self.peak().min(i * self.bandwidth_roof()),
            None => self.peak(),
        }
    }

    /// Which roof limits `point`.
    pub fn bound(&self, point: &Point) -> Bound {
        match point.intensity() {
            Some(i) if i < self.ridge() => Bound::Memory,
            _ => Bound::Compute,
        }
    }

    /// Places an example's `--json` report (strategy, n, threads, seconds),
    /// with the bytes per term of [`bytes_per_term`]. Returns whether it was
    /// placed: an unknown strategy or a report without those fields is not.
    pub fn place_report(&mut self, report: &Value) -> bool {
        let strategy = report["strategy"].as_str().unwrap_or_default();
        let (Some(bytes), Some(n), Some(threads), Some(seconds)) = (
            bytes_per_term(strategy),
            report["n"].as_f64(),
            report["threads"].as_u64(),
            report["seconds"].as_f64(),
        ) else {
            return false;
        };
        if seconds <= 0.0 || !seconds.is_finite() {
            return false;
        }
        self.points.push(Point {
            strategy: strategy.to_owned(),
            threads: threads as usize,
            bytes_per_term: bytes,
            terms_per_second: n / seconds,
        });
        true
    }

    /// The points as a table: each one's intensity, what it reached, what
    /// the model allows there, and which roof that is.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<18} {:>3} {:>10} {:>16} {:>11} {:>11} {:>9}  {}\n",
            "strategy",
            "T",
            "bytes/term",
            "terms/byte",
            "Gterms/s",
            "model",
            "of model",
            "bound by"
        );
        for p in &self.points {
            let intensity = p
                .intensity()
                .map_or_else(|| "unbounded".to_owned(), |i| format!("{i:.3}"));
            let model = self.attainable(p.intensity());
            let _ = writeln!(
                out,
                "{:<18} {:>3} {:>10} {:>16} {:>11.2} {:>11.2} {:>9.2}  {}",
                p.strategy,
                p.threads,
                p.bytes_per_term,
                intensity,
                p.terms_per_second / 1e9,
                model / 1e9,
                p.terms_per_second / model,
                match self.bound(p) {
                    Bound::Memory => "memory",
                    Bound::Compute => "compute",
                }
            );
        }
        out
    }

    /// The chart as a standalone SVG document: log-log axes, every roof as
    /// a line, every point as a marker with its name. Points with no memory
    /// traffic sit in a band at the right, where only the compute roofs reach.
    pub fn svg(&self) -> String {
        Chart::new(self).draw()
    }
}

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 600.0;
const LEFT: f64 = 90.0;
const TOP: f64 = 84.0;
const PLOT_RIGHT: f64 = 700.0;
const BAND_RIGHT: f64 = 936.0;
const BOTTOM: f64 = 520.0;
const TEXT: &str = "#1f1f1f";
const QUIET: &str = "#4d4d4d";
const ROOF: &str = "#2a64a8";
const CEILING: &str = "#7a7a7a";
const MEMORY_POINT: &str = "#9a4600";
const COMPUTE_POINT: &str = "#1d6b2f";

/// The axes of one chart: log10 of intensity and of terms per second.
struct Chart<'a> {
    roofline: &'a Roofline,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

impl<'a> Chart<'a> {
    fn new(roofline: &'a Roofline) -> Chart<'a> {
        let finite = roofline.points.iter().filter_map(Point::intensity);
        let ridge = roofline.ridge();
        let x_low = finite.clone().map(|i| i / 2.0).fold(ridge / 16.0, f64::min);
        let x_high = finite.fold(ridge * 8.0, f64::max);
        let lowest_point = roofline
            .points
            .iter()
            .map(|p| p.terms_per_second)
            .fold(f64::INFINITY, f64::min);
        let lowest_roof = roofline
            .compute
            .last()
            .map_or(f64::INFINITY, |r| r.per_second);
        let y_low = lowest_point
            .min(lowest_roof)
            .min(roofline.peak() / 100.0)
            .min(x_low * roofline.bandwidth_roof() * 4.0);
        let decade = |v: f64, up: bool| {
            let l = v.log10();
            10f64.powf(if up { l.ceil() } else { l.floor() })
        };
        Chart {
            roofline,
            x_range: (decade(x_low, false), decade(x_high, true)),
            y_range: (decade(y_low, false), decade(roofline.peak() * 1.5, true)),
        }
    }

    fn x(&self, intensity: f64) -> f64 {
        let (lo, hi) = (self.x_range.0.log10(), self.x_range.1.log10());
        LEFT + (PLOT_RIGHT - LEFT) * (intensity.log10() - lo) / (hi - lo)
    }

    fn y(&self, per_second: f64) -> f64 {
        let (lo, hi) = (self.y_range.0.log10(), self.y_range.1.log10());
        BOTTOM - (BOTTOM - TOP) * (per_second.log10() - lo) / (hi - lo)
    }

    fn draw(&self) -> String {
        let r = self.roofline;
        let mut body = String::new();
        self.axes(&mut body);
        // The band of loops that move no memory: only compute roofs reach it.
        let _ = write!(
            body,
            r##"<rect x="{PLOT_RIGHT}" y="{TOP}" width="{w}" height="{h}" fill="#f3f3f3" stroke="#b5b5b5" stroke-width="0.5"/><text x="{cx}" y="{ty}" text-anchor="middle" font-size="11" fill="{QUIET}">no memory traffic</text><text x="{cx}" y="{ty2}" text-anchor="middle" font-size="11" fill="{QUIET}">(intensity unbounded)</text>"##,
            w = BAND_RIGHT - PLOT_RIGHT,
            h = BOTTOM - TOP,
            cx = (PLOT_RIGHT + BAND_RIGHT) / 2.0,
            ty = BOTTOM + 18.0,
            ty2 = BOTTOM + 32.0,
        );
        // Compute ceilings: flat, from where the bandwidth roof meets them.
        // The roof's label goes above its line, every ceiling's below.
        for (k, roof) in r.compute.iter().enumerate() {
            let start = (roof.per_second / r.bandwidth_roof()).max(self.x_range.0);
            let (colour, width, dash, dy) = line_style(k);
            let y = self.y(roof.per_second);
            let _ = write!(
                body,
                r#"<line x1="{:.1}" y1="{y:.1}" x2="{BAND_RIGHT}" y2="{y:.1}" stroke="{colour}" stroke-width="{width}"{dash}/><text x="{:.1}" y="{:.1}" font-size="11" fill="{colour}">{}</text>"#,
                self.x(start),
                self.x(start) + 6.0,
                y + dy,
                xml(&format!(
                    "{}: {:.2} Gterms/s",
                    roof.label,
                    roof.per_second / 1e9
                )),
            );
        }
        // Bandwidth ceilings: slope 1 in log-log, up to the compute roof.
        for (k, roof) in r.bandwidth.iter().enumerate() {
            let x0 = self.x_range.0.max(self.y_range.0 / roof.per_second);
            let x1 = (r.peak() / roof.per_second).min(self.x_range.1);
            let (colour, width, dash, dy) = line_style(k);
            let (sx, sy) = (self.x(x0), self.y(x0 * roof.per_second));
            let (ex, ey) = (self.x(x1), self.y(x1 * roof.per_second));
            let angle = ((ey - sy) / (ex - sx)).atan().to_degrees();
            // The label sits a tenth of the way along, turned with the line.
            let (lx, ly) = (sx + (ex - sx) * 0.1, sy + (ey - sy) * 0.1 + dy);
            let _ = write!(
                body,
                r#"<line x1="{sx:.1}" y1="{sy:.1}" x2="{ex:.1}" y2="{ey:.1}" stroke="{colour}" stroke-width="{width}"{dash}/><text transform="translate({lx:.1} {ly:.1}) rotate({angle:.1})" font-size="11" fill="{colour}">{}</text>"#,
                xml(&format!(
                    "{}: {:.1} GB/s",
                    roof.label,
                    roof.per_second / 1e9
                )),
            );
        }
        // The points, labelled on their right; labels of points at the same
        // intensity are pushed apart so that none covers another.
        let mut placed: Vec<(f64, f64, &Point)> = r
            .points
            .iter()
            .map(|p| {
                let band = (PLOT_RIGHT + BAND_RIGHT) / 2.0 - 70.0;
                (
                    p.intensity().map_or(band, |i| self.x(i)),
                    self.y(p.terms_per_second),
                    p,
                )
            })
            .collect();
        placed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut last_label: Option<(f64, f64)> = None;
        for (cx, cy, p) in placed {
            let mut label_y = cy + 4.0;
            if let Some((x, y)) = last_label
                && (x - cx).abs() < 1.0
                && label_y < y + 13.0
            {
                label_y = y + 13.0;
            }
            last_label = Some((cx, label_y));
            let colour = match r.bound(p) {
                Bound::Memory => MEMORY_POINT,
                Bound::Compute => COMPUTE_POINT,
            };
            let name = format!("{} T={}", p.strategy, p.threads);
            let _ = write!(
                body,
                r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="5" fill="{colour}"><title>{}</title></circle><text x="{:.1}" y="{label_y:.1}" font-size="11" fill="{TEXT}" stroke="white" stroke-width="3" paint-order="stroke">{}</text>"#,
                xml(&format!(
                    "{name}: {:.2} Gterms/s, {:.0}% of what the model allows",
                    p.terms_per_second / 1e9,
                    100.0 * p.terms_per_second / r.attainable(p.intensity())
                )),
                cx + 8.0,
                xml(&name),
            );
        }
        let title = "Roofline: each strategy against this machine's two roofs";
        let subtitle = if r.machine.is_empty() {
            "terms of the sum per second against terms per byte of memory traffic".to_owned()
        } else {
            format!("measured on {}", r.machine)
        };
        let mut svg = String::with_capacity(body.len() + 2048);
        let _ = write!(
            svg,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="rl-title rl-desc" font-family="DejaVu Sans, Helvetica, Arial, sans-serif"><title id="rl-title">{}</title><desc id="rl-desc">{}</desc><rect width="100%" height="100%" fill="#ffffff"/><text x="16" y="26" font-size="17" font-weight="bold" fill="{TEXT}">{}</text><text x="16" y="46" font-size="12" fill="{QUIET}">{}</text>"##,
            xml(title),
            xml(&self.description()),
            xml(title),
            xml(&subtitle),
        );
        svg.push_str(&body);
        svg.push_str("</svg>\n");
        svg
    }

    /// Log axes with a tick at every power of ten.
    fn axes(&self, out: &mut String) {
        let _ = write!(
            out,
            r#"<line x1="{LEFT}" y1="{BOTTOM}" x2="{PLOT_RIGHT}" y2="{BOTTOM}" stroke="{TEXT}"/><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{BOTTOM}" stroke="{TEXT}"/>"#
        );
        let mut x = self.x_range.0;
        while x <= self.x_range.1 * 1.0001 {
            let px = self.x(x);
            let _ = write!(
                out,
                r##"<line x1="{px:.1}" y1="{TOP}" x2="{px:.1}" y2="{BOTTOM}" stroke="#e4e4e4"/><text x="{px:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="{TEXT}">{}</text>"##,
                BOTTOM + 16.0,
                number(x)
            );
            x *= 10.0;
        }
        let mut y = self.y_range.0;
        while y <= self.y_range.1 * 1.0001 {
            let py = self.y(y);
            let _ = write!(
                out,
                r##"<line x1="{LEFT}" y1="{py:.1}" x2="{PLOT_RIGHT}" y2="{py:.1}" stroke="#e4e4e4"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="{TEXT}">{}</text>"##,
                LEFT - 6.0,
                py + 4.0,
                number(y / 1e9)
            );
            y *= 10.0;
        }
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12" fill="{TEXT}">arithmetic intensity (terms per byte moved to or from memory, log scale)</text><text transform="translate(24 {:.1}) rotate(-90)" text-anchor="middle" font-size="12" fill="{TEXT}">10⁹ terms per second (log scale)</text>"#,
            (LEFT + PLOT_RIGHT) / 2.0,
            BOTTOM + 42.0,
            (TOP + BOTTOM) / 2.0,
        );
    }

    /// What a screen reader reads: the roofs and each point in words.
    fn description(&self) -> String {
        let r = self.roofline;
        let mut desc = format!(
            "Log-log chart. Compute roof {:.2} billion terms per second ({}); bandwidth roof {:.1} GB/s ({}); they meet at {:.2} terms per byte.",
            r.peak() / 1e9,
            r.compute[0].label,
            r.bandwidth_roof() / 1e9,
            r.bandwidth[0].label,
            r.ridge()
        );
        for p in &r.points {
            let _ = write!(
                desc,
                " {} at T = {}: {:.2} billion terms per second, {}, {:.0}% of what the model allows.",
                p.strategy,
                p.threads,
                p.terms_per_second / 1e9,
                p.intensity().map_or_else(
                    || "no memory traffic".to_owned(),
                    |i| format!("{i:.3} terms per byte")
                ),
                100.0 * p.terms_per_second / r.attainable(p.intensity())
            );
        }
        desc
    }
}

/// How the `k`-th roof of a list is drawn: the first (the roof) solid and
/// labelled above, the ceilings under it dashed and labelled below.
fn line_style(k: usize) -> (&'static str, f64, &'static str, f64) {
    if k == 0 {
        (ROOF, 2.5, "", -6.0)
    } else {
        (CEILING, 1.2, r#" stroke-dasharray="5 3""#, 14.0)
    }
}

/// 0.01, 0.1, 1, 10, 100: a power of ten as an axis label.
fn number(value: f64) -> String {
    if value >= 1.0 {
        format!("{value:.0}")
    } else {
        let digits = (-value.log10()).round().max(0.0) as usize;
        format!("{value:.digits$}")
    }
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Roofline {
        let roof = |label: &str, per_second| Roof {
            label: label.to_owned(),
            per_second,
        };
        let mut r = Roofline::new(
            vec![roof("1 core", 10e9), roof("2 cores", 20e9)],
            vec![roof("1 core", 8e9), roof("2 cores", 16e9)],
        )
        .unwrap();
        for (strategy, threads, n, seconds) in [
            ("memory_bound", 2, 2e9, 1.0),
            ("fast_parallel", 2, 1e9, 0.05),
            ("sequential", 1, 1e9, 0.8),
        ] {
            let report = serde_json::json!({
                "strategy": strategy, "threads": threads, "n": n, "seconds": seconds,
            });
            assert!(r.place_report(&report), "{strategy}");
        }
        r
    }

    #[test]
    fn the_roofs_are_the_highest_ceilings_and_meet_at_the_ridge() {
        let r = sample();
        assert_eq!((r.peak(), r.bandwidth_roof()), (20e9, 16e9));
        assert_eq!(r.ridge(), 1.25);
        // Below the ridge the slope limits, above it the flat roof.
        assert_eq!(r.attainable(Some(0.125)), 2e9);
        assert_eq!(r.attainable(Some(10.0)), 20e9);
        assert_eq!(r.attainable(None), 20e9);
    }

    #[test]
    fn each_point_is_bound_by_the_roof_over_its_intensity() {
        let r = sample();
        let bounds: Vec<Bound> = r.points.iter().map(|p| r.bound(p)).collect();
        assert_eq!(bounds, [Bound::Memory, Bound::Compute, Bound::Compute]);
        // memory_bound: 2e9 terms/s at 1/8 term per byte, exactly on the slope.
        let table = r.table();
        let line = table
            .lines()
            .find(|l| l.starts_with("memory_bound"))
            .unwrap();
        assert!(line.ends_with("1.00  memory"), "{line}");
    }

    #[test]
    fn unknown_strategies_and_broken_reports_are_not_placed() {
        let mut r = sample();
        let before = r.points.len();
        for report in [
            serde_json::json!({"strategy": "racy", "threads": 2, "n": 1e6, "seconds": 1.0}),
            serde_json::json!({"strategy": "threads", "threads": 2, "n": 1e6}),
            serde_json::json!({"strategy": "threads", "threads": 2, "n": 1e6, "seconds": 0.0}),
        ] {
            assert!(!r.place_report(&report), "{report}");
        }
        assert_eq!(r.points.len(), before);
        assert!(Roofline::new(vec![], vec![]).is_err());
    }

    #[test]
    fn the_chart_names_every_roof_and_point_in_words() {
        let svg = sample().svg();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        for text in [
            "memory_bound T=2",
            "fast_parallel T=2",
            "sequential T=1",
            "2 cores: 20.00 Gterms/s",
            "2 cores: 16.0 GB/s",
            "no memory traffic",
        ] {
            assert!(svg.contains(text), "{text} missing from the chart");
        }
        assert!(svg.contains("<desc id=\"rl-desc\">Log-log chart."));
    }

    #[test]
    fn the_data_reads_back_as_json() {
        let r = sample();
        let text = serde_json::to_string(&r).unwrap();
        let back: Roofline = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
    }
}
