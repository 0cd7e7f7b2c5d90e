//! The `scaling` sweep's outputs: its two tables (speed-up per strategy
//! and T; memory-bound against compute-bound), and the files it writes
//! (scaling.csv, scaling.json, which the served book reads, and the
//! scaling.svg chart).

use parallel_workbook::report::format_seconds;
use parallel_workbook::{Problem, Work, machine, work};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One measured point of the sweep.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Point {
    pub strategy: String,
    pub threads: usize,
    pub median_seconds: f64,
    pub speedup: f64,
    pub efficiency: f64,
    /// The strategy's fastest T.
    pub best: bool,
}

/// One row of the memory table: the sum over stored values and the
/// computed one, at the same N and T.
#[derive(Debug, Clone, Serialize)]
pub struct MemoryPoint {
    pub threads: usize,
    pub memory_seconds: f64,
    pub memory_gb_per_s: f64,
    pub memory_speedup: f64,
    pub compute_seconds: f64,
    pub compute_speedup: f64,
}

/// The sweep's table (or with `json` one JSON line per point).
pub fn print_table(
    problem: &Problem,
    cores: usize,
    work: Work,
    baseline: f64,
    points: &[Point],
    json: bool,
) {
    if json {
        print_json(points.iter().map(serde_json::to_value));
        return;
    }
    println!(
        "N = {}, {cores} cores, {work} work, sequential baseline {} (median)",
        problem.n,
        format_seconds(baseline)
    );
    println!(
        "{:<16} {:>4} {:>10} {:>9} {:>11}",
        "strategy", "T", "time", "speed-up", "efficiency"
    );
    for p in points {
        println!(
            "{:<16} {:>4} {:>10} {:>8.2}x {:>10.0}% {}",
            p.strategy,
            p.threads,
            format_seconds(p.median_seconds),
            p.speedup,
            100.0 * p.efficiency,
            if p.best { "*" } else { "" }
        );
    }
}

/// The memory table (or with `json` one JSON line per row): `problem.n`
/// values in an array of `array_mib` MiB, each row the median of `repeats`.
pub fn print_memory_table(
    problem: &Problem,
    array_mib: u64,
    repeats: u32,
    rows: &[MemoryPoint],
    json: bool,
) {
    if json {
        print_json(rows.iter().map(|row| {
            let mut value = serde_json::to_value(row)?;
            value["table"] = "memory".into();
            value["n"] = problem.n.into();
            Ok(value)
        }));
        return;
    }
    let cache =
        machine::last_level_cache().map_or_else(|| "size unknown".to_owned(), |c| c.to_string());
    println!();
    println!(
        "Memory-bound vs compute-bound, N = {} (an array of {array_mib} MiB; last-level cache {cache}), median of {repeats}",
        problem.n
    );
    println!(
        "{:>4} {:>13} {:>7} {:>9} {:>14} {:>9}",
        "T", "memory_bound", "GB/s", "speed-up", "fast_parallel", "speed-up"
    );
    for r in rows {
        println!(
            "{:>4} {:>13} {:>7.1} {:>8.2}x {:>14} {:>8.2}x",
            r.threads,
            format_seconds(r.memory_seconds),
            r.memory_gb_per_s,
            r.memory_speedup,
            format_seconds(r.compute_seconds),
            r.compute_speedup
        );
    }
}

/// One JSON object per line (`--json`).
fn print_json(values: impl Iterator<Item = serde_json::Result<serde_json::Value>>) {
    for value in values {
        println!("{}", value.expect("a measured point serializes"));
    }
}

/// Everything the sweep measured, for the files it writes.
pub struct Outputs<'a> {
    pub problem: &'a Problem,
    pub cores: usize,
    pub repeats: u32,
    /// Runs per point of the memory table.
    pub memory_repeats: u32,
    pub baseline: f64,
    pub points: &'a [Point],
    pub memory: Option<(&'a Problem, &'a [MemoryPoint])>,
}

/// Writes scaling.csv, scaling.json and scaling.svg in `out`.
pub fn write_outputs(out: &Path, outputs: &Outputs) -> Result<(), String> {
    let Outputs {
        problem,
        cores,
        repeats,
        memory_repeats,
        baseline,
        points,
        memory,
    } = *outputs;
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        format!("cannot write {what} in {}: {e}", out.display())
    };
    std::fs::create_dir_all(out).map_err(|e| fail("the output directory", &e))?;
    let mut csv = String::from("strategy,threads,median_seconds,speedup,efficiency,best\n");
    for p in points {
        csv += &format!(
            "{},{},{},{},{},{}\n",
            p.strategy, p.threads, p.median_seconds, p.speedup, p.efficiency, p.best
        );
    }
    std::fs::write(out.join("scaling.csv"), csv).map_err(|e| fail("scaling.csv", &e))?;
    let summary = serde_json::json!({
        "n": problem.n, "cores": cores, "repeats": repeats, "work": work::current().to_string(),
        "sequential_seconds": baseline,
        "command": std::env::args().skip(1).collect::<Vec<_>>().join(" "),
        "unix_time": std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        "points": points,
        "memory": memory.map(|(problem, rows)| serde_json::json!({ "n": problem.n, "repeats": memory_repeats, "points": rows })),
    });
    std::fs::write(out.join("scaling.json"), summary.to_string())
        .map_err(|e| fail("scaling.json", &e))?;
    draw_chart(&out.join("scaling.svg"), points).map_err(|e| fail("scaling.svg", &e))
}

/// The strategies' colours: Okabe and Ito's palette, told apart with most
/// kinds of colour blindness (its yellow left out: too light on white).
/// Each line also has its own dash pattern and marker, so that no two
/// strategies differ by colour alone.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermilion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
];

/// Solid, then dashes of these lengths (dash, gap) in pixels.
const DASHES: [Option<(u32, u32)>; 3] = [None, Some((8, 4)), Some((2, 3))];

/// The marker of the k-th strategy at `at` (chart or legend coordinates):
/// circle, triangle, cross; filled, then hollow.
macro_rules! marker {
    ($k:expr, $at:expr, $style:expr) => {{
        let (k, at, style): (usize, _, ShapeStyle) = ($k, $at, $style);
        let style = if (k / 3) % 2 == 0 {
            style.filled()
        } else {
            style.stroke_width(2)
        };
        match k % 3 {
            0 => Circle::new(at, 4, style).into_dyn(),
            1 => TriangleMarker::new(at, 5, style).into_dyn(),
            _ => Cross::new(at, 4, style.stroke_width(2)).into_dyn(),
        }
    }};
}

/// Draws `scaling.svg` again from the `scaling.json` a sweep wrote (the
/// book's measured charts, after a change to the drawing).
pub fn redraw_chart(json: &Path, svg: &Path) -> Result<(), String> {
    #[derive(Deserialize)]
    struct Sweep {
        points: Vec<Point>,
    }
    let text = std::fs::read_to_string(json).map_err(|e| format!("{}: {e}", json.display()))?;
    let sweep: Sweep =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", json.display()))?;
    draw_chart(svg, &sweep.points).map_err(|e| format!("{}: {e}", svg.display()))
}

/// The values 1, 2 and 5 times a power of ten from `low` to `high`.
fn one_two_five(low: f64, high: f64) -> Vec<f64> {
    (-3..=4)
        .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)))
        .filter(|v| (low..=high).contains(v))
        .collect()
}

/// Speed-up against T, one line per strategy, and the ideal line y = T.
/// Both axes are logarithmic: a strategy that is many times faster than
/// the others at every T (`fast_parallel`: several lanes per thread) does
/// not squash them into the bottom of the chart, and the ideal line is the
/// diagonal.
fn draw_chart(path: &Path, points: &[Point]) -> Result<(), Box<dyn std::error::Error>> {
    let max_t = points.iter().map(|p| p.threads).max().unwrap_or(1) as f64;
    let speedups = || points.iter().map(|p| p.speedup).filter(|s| *s > 0.0);
    let low = speedups().fold(1.0, f64::min) / 1.3;
    let high = speedups().fold(max_t, f64::max) * 1.3;
    let root = SVGBackend::new(path, (800, 520)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Speed-up over the sequential loop (both axes logarithmic)",
            ("sans-serif", 24),
        )
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(64)
        .build_cartesian_2d(
            (0.8..max_t * 1.25).log_scale().base(2.0),
            // Ticks at 1, 2, 5 of each decade: plotters' own on a log axis
            // print one value twice (two "10"s) and crowd its grid.
            (low..high)
                .log_scale()
                .with_key_points(one_two_five(low, high)),
        )?;
    chart
        .configure_mesh()
        .x_desc("threads T")
        .y_desc("speed-up")
        .x_label_formatter(&|t| format!("{}", t.round()))
        .y_label_formatter(&|s| format!("{s}"))
        .label_style(("sans-serif", 18))
        .light_line_style(BLACK.mix(0.04))
        .axis_desc_style(("sans-serif", 19))
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            [(1.0, 1.0), (max_t, max_t)],
            BLACK.mix(0.5).stroke_width(1),
        ))?
        .label("ideal: T")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 24, y)], BLACK.mix(0.5)));
    let mut names: Vec<&str> = points.iter().map(|p| p.strategy.as_str()).collect();
    names.dedup();
    for (k, name) in names.iter().enumerate() {
        let style = ShapeStyle::from(PALETTE[k % PALETTE.len()]).stroke_width(2);
        let dash = DASHES[(k / PALETTE.len() + k) % DASHES.len()];
        let line: Vec<(f64, f64)> = points
            .iter()
            .filter(|p| p.strategy == *name && p.speedup > 0.0)
            .map(|p| (p.threads as f64, p.speedup))
            .collect();
        let drawn = match dash {
            None => chart.draw_series(LineSeries::new(line.clone(), style))?,
            Some((dash, gap)) => {
                chart.draw_series(DashedLineSeries::new(line.clone(), dash, gap, style))?
            }
        };
        // The legend's line has the line's dashes (a gap of 0 for a solid one).
        let (dash_len, gap) = dash.unwrap_or((24, 0));
        drawn.label(*name).legend(move |(x, y)| {
            EmptyElement::at((x + 12, y))
                + DashedPathElement::new([(-12, 0), (12, 0)], dash_len, gap, style)
                + marker!(k, (0, 0), style)
        });
        chart.draw_series(line.into_iter().map(|xy| marker!(k, xy, style)))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 18))
        .position(SeriesLabelPosition::UpperLeft)
        .draw()?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every measured sweep's chart (`book/measured/*/scaling.svg`) is its
    /// `scaling.json` drawn by today's `draw_chart`; `WORKBOOK_REDRAW=1
    /// cargo test -p workbook-instruments` draws them anew.
    #[test]
    fn measured_charts_are_their_sweeps_drawn() {
        let measured = Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/measured");
        let redraw = std::env::var_os("WORKBOOK_REDRAW").is_some();
        let scratch =
            std::env::temp_dir().join(format!("scaling-redraw-{}.svg", std::process::id()));
        let mut seen = 0;
        for machine in std::fs::read_dir(&measured).unwrap() {
            let dir = machine.unwrap().path();
            let (json, svg) = (dir.join("scaling.json"), dir.join("scaling.svg"));
            if !json.exists() {
                continue;
            }
            seen += 1;
            let target = if redraw { svg.clone() } else { scratch.clone() };
            redraw_chart(&json, &target).unwrap();
            if !redraw {
                assert_eq!(
                    std::fs::read_to_string(&scratch).unwrap(),
                    std::fs::read_to_string(&svg).unwrap(),
                    "{} is not {} drawn (WORKBOOK_REDRAW=1 cargo test -p workbook-instruments)",
                    svg.display(),
                    json.display()
                );
            }
        }
        let _ = std::fs::remove_file(&scratch);
        assert!(seen > 0, "no scaling.json in book/measured");
    }

    #[test]
    fn a_far_faster_strategy_leaves_the_others_room() {
        let point = |strategy: &str, threads: usize, speedup: f64| Point {
            strategy: strategy.into(),
            threads,
            median_seconds: 1.0,
            speedup,
            efficiency: speedup / threads as f64,
            best: false,
        };
        let mut points = Vec::new();
        for (k, name) in ["threads", "rayon", "fast_parallel"].iter().enumerate() {
            for t in [1, 2, 4] {
                let s = if *name == "fast_parallel" {
                    40.0 * t as f64
                } else {
                    0.9 * t as f64 + k as f64 * 0.1
                };
                points.push(point(name, t, s));
            }
        }
        let file = std::env::temp_dir().join(format!("scaling-test-{}.svg", std::process::id()));
        draw_chart(&file, &points).unwrap();
        let svg = std::fs::read_to_string(&file).unwrap();
        let _ = std::fs::remove_file(&file);
        assert!(svg.contains("both axes logarithmic"));
        for name in ["threads", "rayon", "fast_parallel", "ideal: T"] {
            assert!(
                svg.contains(&format!(">\n{name}\n<")),
                "no legend entry {name}"
            );
        }
    }
}
