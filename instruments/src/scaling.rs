//! The `scaling` sweep's outputs: its two tables (speed-up per strategy
//! and T; memory-bound against compute-bound), and the files it writes
//! (scaling.csv, scaling.json, which the served book reads, and the
//! scaling.svg chart).

use parallel_workbook::report::format_seconds;
use parallel_workbook::{Problem, Work, machine, work};
use plotters::prelude::*;
use serde::Serialize;
use std::path::Path;

/// One measured point of the sweep.
#[derive(Debug, Clone, Serialize)]
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

/// Speed-up against T, one line per strategy, and the ideal line y = T.
fn draw_chart(path: &Path, points: &[Point]) -> Result<(), Box<dyn std::error::Error>> {
    let max_t = points.iter().map(|p| p.threads).max().unwrap_or(1) as f64;
    let max_speedup = points.iter().map(|p| p.speedup).fold(max_t, f64::max);
    let root = SVGBackend::new(path, (800, 500)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption("Speed-up over the sequential loop", ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..max_t * 1.05, 0.0..max_speedup * 1.1)?;
    chart
        .configure_mesh()
        .x_desc("threads T")
        .y_desc("speed-up")
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            [(0.0, 0.0), (max_t, max_t)],
            BLACK.stroke_width(1),
        ))?
        .label("ideal: T")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLACK));
    let mut names: Vec<&str> = points.iter().map(|p| p.strategy.as_str()).collect();
    names.dedup();
    for (k, name) in names.iter().enumerate() {
        let color = Palette99::pick(k).to_rgba();
        let line: Vec<(f64, f64)> = points
            .iter()
            .filter(|p| p.strategy == *name)
            .map(|p| (p.threads as f64, p.speedup))
            .collect();
        chart
            .draw_series(LineSeries::new(line.clone(), color.stroke_width(2)))?
            .label(*name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2)));
        chart.draw_series(
            line.into_iter()
                .map(|xy| Circle::new(xy, 3, color.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()?;
    root.present()?;
    Ok(())
}
