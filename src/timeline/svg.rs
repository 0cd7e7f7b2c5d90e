//! A trace drawn as an SVG Gantt chart: one row per thread, time left to
//! right.
//!
//! Work, waiting and idle time differ in pattern and in words, not only in
//! colour: work is a solid bar labelled with its chunk, waiting is hatched,
//! idle is dotted and labelled "idle" where there is room. A hatched bar
//! lower than its row stands for many short waits merged into one span (see
//! [`super::MERGE_GAP`]): its height is their share of that stretch, so the
//! hatched area is the time spent waiting. Each row's label adds its shares
//! in words, and the `<title>` and `<desc>` say it all again for screen
//! readers.

use super::trace::{Event, Trace, WAIT};
use std::fmt::Write;

const WIDTH: f64 = 760.0;
const LEFT: f64 = 235.0;
const RIGHT: f64 = 24.0;
const PLOT: f64 = WIDTH - LEFT - RIGHT;
const FIRST_ROW: f64 = 104.0;
const ROW: f64 = 34.0;
const ROW_GAP: f64 = 8.0;

const WORK_FILL: &str = "#2a64a8";
const WAIT_INK: &str = "#9a4600";
const WAIT_PAPER: &str = "#fbdcbc";
const IDLE_INK: &str = "#7a7a7a";
const TEXT: &str = "#1f1f1f";
const QUIET_TEXT: &str = "#4d4d4d";

/// One row's time, in microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Shares {
    pub work: f64,
    pub waiting: f64,
    pub idle: f64,
}

/// The intervals `[start, end)` of `spans`, clipped to `[0, run]`, merged.
fn covered(spans: &[&Event], run: f64) -> Vec<(f64, f64)> {
    let mut intervals: Vec<(f64, f64)> = spans
        .iter()
        .map(|e| (e.ts.max(0.0), (e.ts + e.dur.unwrap_or(0.0)).min(run)))
        .filter(|(a, b)| b > a)
        .collect();
    intervals.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::new();
    for (a, b) in intervals {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// The time a wait event spent waiting: all of it for a single wait, its
/// `waiting_us` for merged ones.
fn waiting_us(e: &Event) -> f64 {
    let dur = e.dur.unwrap_or(0.0);
    e.args
        .get("waiting_us")
        .and_then(serde_json::Value::as_f64)
        .map_or(dur, |w| w.clamp(0.0, dur))
}

/// How one row spent the run: waiting, working (covered and not waiting)
/// and idle (covered by nothing).
pub fn shares(spans: &[&Event], run: f64) -> Shares {
    let covered = covered(spans, run)
        .iter()
        .fold(0.0, |sum, (a, b)| sum + (b - a));
    let waiting: f64 = spans
        .iter()
        .filter(|e| e.cat == WAIT)
        .map(|e| waiting_us(e))
        .fold(0.0, |sum, w| sum + w)
        .min(covered);
    Shares {
        work: covered - waiting,
        waiting,
        idle: (run - covered).max(0.0),
    }
}

/// "850 µs", "12.4 ms", "1.25 s".
fn duration(us: f64) -> String {
    if us < 1000.0 {
        format!("{us:.0} µs")
    } else if us < 1e6 {
        format!("{:.1} ms", us / 1e3)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

fn percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        (100.0 * part / whole).round()
    } else {
        0.0
    }
}

/// Escapes text for SVG content and attributes.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Tick spacing for an axis of `run` µs: 1, 2 or 5 times a power of ten,
/// 5 to 10 ticks, and the unit to label them in.
fn ticks(run: f64) -> (f64, f64, &'static str) {
    let (scale, unit) = if run < 2e3 {
        (1.0, "µs")
    } else if run < 2e6 {
        (1e3, "ms")
    } else {
        (1e6, "s")
    };
    let raw = (run / scale / 10.0).max(1e-9);
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * power);
    (step * scale, scale, unit)
}

/// Text that fits in `width` pixels at about 7.3 px per character (13 px).
fn fits(text: &str, width: f64) -> bool {
    text.chars().count() as f64 * 7.3 + 8.0 <= width
}

/// The chart of `trace`, as a standalone SVG document.
pub fn render(trace: &Trace) -> String {
    let run = trace.run_us().max(1e-3);
    let threads = trace.threads();
    let x = |us: f64| LEFT + PLOT * (us / run).clamp(0.0, 1.0);
    let rows_end = FIRST_ROW + threads.len() as f64 * (ROW + ROW_GAP);
    let axis = rows_end + 2.0;
    let height = axis + 52.0;
    let title = if trace.about.title.is_empty() {
        "Timeline of a run".to_owned()
    } else {
        format!("Timeline: {}", trace.about.title)
    };
    let mut subtitle = format!(
        "{} run, one row per thread",
        duration(trace.about.run_us.max(run))
    );
    if !trace.about.machine.is_empty() {
        subtitle = format!("{subtitle}, on {}", trace.about.machine);
    }

    // The description a screen reader reads: each row in words.
    let mut desc = format!(
        "Gantt chart. Time runs from left to right, 0 to {}. {} rows, one per thread.",
        duration(run),
        threads.len()
    );
    let mut body = String::new();
    for (k, (tid, name)) in threads.iter().enumerate() {
        let spans = trace.spans_of(*tid);
        let top = FIRST_ROW + k as f64 * (ROW + ROW_GAP);
        let bottom = top + ROW;
        let share = shares(&spans, run);
        let chunks: Vec<&str> = spans
            .iter()
            .filter(|e| e.cat != WAIT)
            .map(|e| e.name.as_str())
            .collect();
        let waits: u64 = spans
            .iter()
            .filter(|e| e.cat == WAIT)
            .map(|e| e.args.get("waits").and_then(|w| w.as_u64()).unwrap_or(1))
            .sum();
        let in_words = format!(
            "work {}%, waiting {}%, idle {}%",
            percent(share.work, run),
            percent(share.waiting, run),
            percent(share.idle, run)
        );
        let _ = write!(
            desc,
            " {name}: {}{}; {in_words}.",
            match chunks.len() {
                0 => "no chunks".to_owned(),
                1 => chunks[0].to_owned(),
                n if n <= 6 => format!("{n} chunks ({})", chunks.join(", ")),
                n => format!("{n} chunks"),
            },
            match waits {
                0 => String::new(),
                1 => ", 1 wait".to_owned(),
                w => format!(", {w} waits"),
            }
        );

        // The row: its label, idle background, work, then waits on top.
        let _ = write!(
            body,
            r#"<g class="row"><text x="{lx}" y="{ny:.1}" text-anchor="end" font-size="14" fill="{TEXT}">{name}</text><text x="{lx}" y="{sy:.1}" text-anchor="end" font-size="13" fill="{QUIET_TEXT}">{shares}</text>"#,
            lx = LEFT - 8.0,
            ny = top + 14.0,
            sy = top + 30.0,
            name = xml(name),
            shares = xml(&in_words),
        );
        let _ = write!(
            body,
            r##"<rect x="{LEFT}" y="{top:.1}" width="{PLOT}" height="{ROW}" fill="url(#tl-idle)" stroke="#b5b5b5" stroke-width="0.5"/>"##
        );
        let mut previous_end = 0.0;
        for (a, b) in covered(&spans, run)
            .into_iter()
            .chain(std::iter::once((run, run)))
        {
            if fits("idle", x(a) - x(previous_end)) && a > previous_end {
                label(
                    &mut body,
                    "idle",
                    (x(previous_end) + x(a)) / 2.0,
                    top,
                    QUIET_TEXT,
                );
            }
            previous_end = b;
        }
        for e in spans.iter().filter(|e| e.cat != WAIT) {
            let (x0, x1) = (x(e.ts), x(e.ts + e.dur.unwrap_or(0.0)));
            let width = (x1 - x0).max(0.5);
            let tip = work_tip(e);
            let _ = write!(
                body,
                r##"<rect x="{x0:.2}" y="{top:.1}" width="{width:.2}" height="{ROW}" fill="{WORK_FILL}" stroke="#ffffff" stroke-width="0.6"><title>{tip}</title></rect>"##,
                tip = xml(&tip)
            );
            if fits(&e.name, width) {
                label(&mut body, &e.name, x0 + width / 2.0, top, "#ffffff");
            }
        }
        for e in spans.iter().filter(|e| e.cat == WAIT) {
            let dur = e.dur.unwrap_or(0.0);
            let fraction = if dur > 0.0 { waiting_us(e) / dur } else { 1.0 };
            let (x0, x1) = (x(e.ts), x(e.ts + dur));
            let width = (x1 - x0).max(0.5);
            let tall = (ROW * fraction).max(1.0);
            let _ = write!(
                body,
                r#"<rect x="{x0:.2}" y="{y:.2}" width="{width:.2}" height="{tall:.2}" fill="url(#tl-wait)" stroke="{WAIT_INK}" stroke-width="0.6"><title>{tip}</title></rect>"#,
                y = bottom - tall,
                tip = xml(&wait_tip(e, fraction)),
            );
            let text = format!("waiting: {}", e.name);
            if fraction > 0.99 && fits(&text, width) {
                label(&mut body, &text, x0 + width / 2.0, top, "#3d1c00");
            }
        }
        body.push_str("</g>");
    }

    // The time axis.
    let (step, scale, unit) = ticks(run);
    let _ = write!(
        body,
        r#"<line x1="{LEFT}" y1="{axis:.1}" x2="{end}" y2="{axis:.1}" stroke="{TEXT}" stroke-width="1"/>"#,
        end = LEFT + PLOT
    );
    let mut tick = 0.0;
    while tick <= run * 1.0001 {
        let tx = x(tick);
        let value = tick / scale;
        let text = if step / scale >= 1.0 {
            format!("{value:.0}")
        } else {
            let digits = (-(step / scale).log10()).ceil().max(0.0) as usize;
            format!("{value:.digits$}")
        };
        let _ = write!(
            body,
            r#"<line x1="{tx:.2}" y1="{axis:.1}" x2="{tx:.2}" y2="{y2:.1}" stroke="{TEXT}"/><text x="{tx:.2}" y="{ty:.1}" text-anchor="middle" font-size="13" fill="{TEXT}">{text}</text>"#,
            y2 = axis + 5.0,
            ty = axis + 18.0,
        );
        tick += step;
    }
    let _ = write!(
        body,
        r#"<text x="{cx}" y="{ty:.1}" text-anchor="middle" font-size="13" fill="{TEXT}">time since the run started ({unit})</text>"#,
        cx = LEFT + PLOT / 2.0,
        ty = axis + 38.0,
    );

    let mut svg = String::with_capacity(body.len() + 4096);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" role="img" aria-labelledby="tl-title tl-desc" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">"#
    );
    let _ = write!(
        svg,
        r#"<title id="tl-title">{}</title><desc id="tl-desc">{}</desc>"#,
        xml(&title),
        xml(&desc)
    );
    let _ = write!(
        svg,
        r##"<defs><pattern id="tl-idle" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="0.9" fill="{IDLE_INK}"/></pattern><pattern id="tl-wait" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="7" height="7" fill="{WAIT_PAPER}"/><line x1="0" y1="0" x2="0" y2="7" stroke="{WAIT_INK}" stroke-width="2.6"/></pattern></defs>"##
    );
    let _ = write!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/><text x="16" y="26" font-size="18" font-weight="bold" fill="{TEXT}">{}</text><text x="16" y="46" font-size="13" fill="{QUIET_TEXT}">{}</text>"##,
        xml(&title),
        xml(&subtitle)
    );
    legend(&mut svg);
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    svg
}

/// A bar's label, centred, with a halo so that it reads on any pattern.
fn label(out: &mut String, text: &str, cx: f64, top: f64, colour: &str) {
    let halo = if colour == "#ffffff" {
        WORK_FILL
    } else {
        "#ffffff"
    };
    let _ = write!(
        out,
        r#"<text x="{cx:.2}" y="{y:.1}" text-anchor="middle" font-size="13" fill="{colour}" stroke="{halo}" stroke-width="3" paint-order="stroke">{}</text>"#,
        xml(text),
        y = top + ROW / 2.0 + 4.5,
    );
}

fn legend(out: &mut String) {
    let items = [
        (format!(r#"fill="{WORK_FILL}""#), "work: summing a chunk"),
        (
            format!(r#"fill="url(#tl-wait)" stroke="{WAIT_INK}" stroke-width="0.6""#),
            "waiting: for a lock, a queue, a channel, a blocking call",
        ),
        (
            r##"fill="url(#tl-idle)" stroke="#b5b5b5" stroke-width="0.5""##.to_owned(),
            "idle",
        ),
    ];
    let mut x = 16.0;
    for (paint, text) in items {
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="58" width="22" height="14" {paint}/><text x="{tx:.1}" y="69.5" font-size="13" fill="{TEXT}">{text}</text>"#,
            tx = x + 28.0,
        );
        x += 28.0 + text.chars().count() as f64 * 7.3 + 20.0;
    }
    let _ = write!(
        out,
        r#"<text x="16" y="90" font-size="13" fill="{QUIET_TEXT}">A hatched bar lower than its row: many short waits, as tall as their share of the time.</text>"#
    );
}

fn work_tip(e: &Event) -> String {
    let start = e.ts;
    let end = e.ts + e.dur.unwrap_or(0.0);
    let indices = match (
        e.args.get("first").and_then(|v| v.as_u64()),
        e.args.get("end").and_then(|v| v.as_u64()),
    ) {
        (Some(first), Some(last)) if last > first => {
            format!(", points {first} to {}", last - 1)
        }
        _ => String::new(),
    };
    format!(
        "{}{indices}: {} to {} ({})",
        e.name,
        duration(start),
        duration(end),
        duration(end - start)
    )
}

fn wait_tip(e: &Event, fraction: f64) -> String {
    let dur = e.dur.unwrap_or(0.0);
    let waits = e.args.get("waits").and_then(|v| v.as_u64()).unwrap_or(1);
    if waits > 1 {
        format!(
            "{} waits for the {}, {} of waiting in {} ({:.0}%), from {}",
            waits,
            e.name,
            duration(waiting_us(e)),
            duration(dur),
            100.0 * fraction,
            duration(e.ts)
        )
    } else {
        format!(
            "waiting for the {}: {} from {}",
            e.name,
            duration(dur),
            duration(e.ts)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::trace::Trace;

    fn sample() -> Trace {
        let text = r#"{"traceEvents":[
          {"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"chunk-0"}},
          {"ph":"M","name":"thread_name","pid":1,"tid":2,"args":{"name":"chunk-1 <&>"}},
          {"ph":"X","name":"chunk 0","cat":"work","ts":0,"dur":400,"pid":1,"tid":1,"args":{"first":0,"end":50}},
          {"ph":"X","name":"chunk 1","cat":"work","ts":100,"dur":900,"pid":1,"tid":2,"args":{"first":50,"end":100}},
          {"ph":"X","name":"lock","cat":"wait","ts":200,"dur":100,"pid":1,"tid":2,"args":{"waits":40,"waiting_us":75}}
        ],"otherData":{"title":"threads: N = 100, T = 2","run_us":1000,"machine":"Test CPU, 2 cores"}}"#;
        Trace::from_json(text).unwrap()
    }

    #[test]
    fn each_row_says_how_it_spent_the_run() {
        let trace = sample();
        let first = shares(&trace.spans_of(1), 1000.0);
        assert_eq!(
            first,
            Shares {
                work: 400.0,
                waiting: 0.0,
                idle: 600.0
            }
        );
        let second = shares(&trace.spans_of(2), 1000.0);
        assert_eq!(
            second,
            Shares {
                work: 825.0,
                waiting: 75.0,
                idle: 100.0
            }
        );
    }

    #[test]
    fn the_chart_has_one_row_per_thread_a_legend_and_a_description() {
        let svg = render(&sample());
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_eq!(svg.matches(r#"<g class="row">"#).count(), 2);
        assert!(svg.contains(r#"<title id="tl-title">Timeline: threads: N = 100, T = 2</title>"#));
        assert!(
            svg.contains("chunk-0: chunk 0; work 40%, waiting 0%, idle 60%."),
            "{svg}"
        );
        assert!(
            svg.contains(
                "chunk-1 &lt;&amp;&gt;: chunk 1, 40 waits; work 83%, waiting 8%, idle 10%."
            )
        );
        for words in [
            "work: summing a chunk",
            "waiting: for a lock",
            ">idle<",
            "Test CPU, 2 cores",
        ] {
            assert!(svg.contains(words), "no {words:?} in the chart");
        }
        // The merged waits fill 75% of the row's height: 25.5 of 34 pixels.
        assert!(
            svg.contains(r#"height="25.50" fill="url(#tl-wait)""#),
            "{svg}"
        );
        assert!(svg.contains("40 waits for the lock, 75 µs of waiting in 100 µs (75%)"));
        assert!(svg.contains(">time since the run started (µs)<"));
    }

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(ticks(1000.0), (100.0, 1.0, "µs"));
        assert_eq!(ticks(48_000.0), (5_000.0, 1e3, "ms"));
        assert_eq!(ticks(3.2e6), (500_000.0, 1e6, "s"));
    }

    #[test]
    fn an_empty_trace_still_draws() {
        let svg = render(&Trace::from_json(r#"{"traceEvents":[]}"#).unwrap());
        assert!(svg.contains("0 rows"));
        assert!(svg.ends_with("</svg>\n"));
    }
}
