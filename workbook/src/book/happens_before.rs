//! The happens-before diagrams of chapter 18.3, generated from one source:
//! the four diagrams are data ([`all`]), drawn by one renderer
//! ([`Diagram::to_svg`]) into `book/images/hb-*.svg`. The files are
//! committed so that the book builds without this code running;
//! `workbook/tests/diagrams.rs` fails when one differs from what this module
//! draws, and rewrites them with `WORKBOOK_WRITE_DIAGRAMS=1`.
//!
//! A diagram has one column (lane) per thread and time running downward.
//! Each operation is a box; consecutive boxes of a thread are joined by
//! program order (a thin grey arrow). Arrows between threads say why one
//! operation is ordered before another, or which store a load read. The
//! style (colours per thread, fonts, the time arrow) is that of the
//! hand-drawn figures of Part III.

use std::fmt::Write;

/// A thread's column: its name and colours (box fill, text).
struct LaneStyle {
    fill: &'static str,
    ink: &'static str,
}

/// Thread A blue, thread B orange, as in `interleaving-race.svg`.
const LANES: [LaneStyle; 2] = [
    LaneStyle {
        fill: "#dbe7fb",
        ink: "#0b2f6b",
    },
    LaneStyle {
        fill: "#fde4cf",
        ink: "#6b2600",
    },
];
const TEXT: &str = "#1a1a1a";
const QUIET: &str = "#5a5a5a";
const START_FILL: &str = "#ececec";
const SYNC_INK: &str = "#1b6e20";
const HB_INK: &str = "#7a1f9e";

const WIDTH: f64 = 740.0;
const LEFT: f64 = 70.0;
const LANE_W: f64 = 330.0;
const BOX_W: f64 = 240.0;
const BOX_H: f64 = 34.0;
const FIRST_ROW: f64 = 100.0;
const ROW_H: f64 = 62.0;
const SANS: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const MONO: &str = "ui-monospace, Menlo, Consolas, monospace";

/// Where an operation is drawn: in a thread's lane, or across every lane
/// (the atomics' starting values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Lane(usize),
    Across,
}

/// One operation, in row `row` (0 is the top).
#[derive(Debug, Clone)]
pub struct Op {
    pub place: Place,
    pub row: usize,
    pub code: &'static str,
    /// Its place in the single total order of `SeqCst` operations, if drawn.
    pub order: Option<u32>,
}

/// Why an arrow joins two operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// A release and the acquire that read it: a solid green arrow.
    SynchronizesWith,
    /// Program order and synchronizes-with, chained: a dotted purple arrow.
    HappensBefore,
    /// A load took its value from this store: a dashed grey arrow.
    ReadsFrom,
}

/// An arrow from `ops[from]` to `ops[to]`. Its kind shows in its colour and
/// its line (solid, dotted, dashed), and the legend names each kind: labels
/// on the arrows would collide where two arrows cross between the lanes.
#[derive(Debug, Clone)]
pub struct Arrow {
    pub from: usize,
    pub to: usize,
    pub why: Why,
}

/// One diagram, written to `book/images/{name}.svg`.
#[derive(Debug, Clone)]
pub struct Diagram {
    pub name: &'static str,
    pub title: &'static str,
    /// The whole picture in words, for screen readers (`<desc>`).
    pub description: &'static str,
    pub threads: [&'static str; 2],
    pub ops: Vec<Op>,
    pub arrows: Vec<Arrow>,
    /// One or two lines under the picture.
    pub caption: Vec<&'static str>,
}

fn lane(thread: usize, row: usize, code: &'static str) -> Op {
    Op {
        place: Place::Lane(thread),
        row,
        code,
        order: None,
    }
}

fn arrow(from: usize, to: usize, why: Why) -> Arrow {
    Arrow { from, to, why }
}

/// Every diagram of the book.
pub fn all() -> Vec<Diagram> {
    vec![
        publish(),
        store_buffering(),
        store_buffering_seqcst(),
        mutex_hand_over(),
    ]
}

/// `publish.rs`: the sum, then the flag with `Release`; main's `Acquire`
/// load of the flag sees it, so the sum's store happens before its load.
fn publish() -> Diagram {
    Diagram {
        name: "hb-publish",
        title: "Publishing a sum behind a flag",
        description: "Two threads, time running downward. The worker stores its sum with Relaxed, then stores true in the ready flag with Release. Main loads the flag with Acquire and reads true, then loads the sum with Relaxed. A green arrow from the Release store to the Acquire load says that the store synchronizes with the load. Chained with each thread's program order, that gives a dotted arrow from the worker's store of the sum to main's load of it: the store happens before the load, so the load reads the sum.",
        threads: ["worker", "main"],
        ops: vec![
            lane(0, 0, "sum.store(s, Relaxed)"),
            lane(0, 1, "ready.store(true, Release)"),
            lane(1, 2, "ready.load(Acquire) → true"),
            lane(1, 3, "sum.load(Relaxed) → s"),
        ],
        arrows: vec![
            arrow(1, 2, Why::SynchronizesWith),
            arrow(0, 3, Why::HappensBefore),
        ],
        caption: vec![
            "The Acquire load read the value the Release store wrote: everything before the store",
            "happens before everything after the load, so main reads s, never the old 0.",
        ],
    }
}

/// Store buffering with `Relaxed` (or `Release`/`Acquire`): both loads read
/// the starting 0, since nothing orders either store before the other
/// thread's load.
fn store_buffering() -> Diagram {
    Diagram {
        name: "hb-store-buffering",
        title: "Store buffering: both threads read 0",
        description: "Two threads, time running downward, and the starting values x = 0 and y = 0 drawn across both. Thread A stores 1 in x, then loads y and reads 0. Thread B stores 1 in y, then loads x and reads 0. Dashed arrows run from the starting values to both loads: each load read the starting value. No arrow joins the two threads: with Relaxed, or with a Release store and an Acquire load, neither store is ordered before the other thread's load, and both loads may read 0.",
        threads: ["thread A", "thread B"],
        ops: vec![
            Op {
                place: Place::Across,
                row: 0,
                code: "x = 0, y = 0 (starting values)",
                order: None,
            },
            lane(0, 1, "x.store(1, Release)"),
            lane(0, 2, "y.load(Acquire) → 0"),
            lane(1, 1, "y.store(1, Release)"),
            lane(1, 2, "x.load(Acquire) → 0"),
        ],
        arrows: vec![arrow(0, 2, Why::ReadsFrom), arrow(0, 4, Why::ReadsFrom)],
        caption: vec![
            "An Acquire load that reads 0 read no Release store: nothing synchronizes, no arrow joins",
            "the threads, and nothing stops both loads from reading the starting values.",
        ],
    }
}

/// Store buffering with `SeqCst`: one total order of all four operations.
fn store_buffering_seqcst() -> Diagram {
    let sc = |thread, row, code, order| Op {
        place: Place::Lane(thread),
        row,
        code,
        order: Some(order),
    };
    Diagram {
        name: "hb-store-buffering-seqcst",
        title: "Store buffering with SeqCst: one total order",
        description: "The same two threads with SeqCst on every operation. The operations are numbered in one total order that every thread agrees on, here: 1, thread A stores 1 in x; 2, thread B stores 1 in y; 3, thread A loads y and reads 1; 4, thread B loads x and reads 1. Dashed arrows show which store each load read. Whatever the order, the load that comes last in it comes after both stores, so it reads 1: both threads can never read 0.",
        threads: ["thread A", "thread B"],
        ops: vec![
            sc(0, 0, "x.store(1, SeqCst)", 1),
            sc(0, 2, "y.load(SeqCst) → 1", 3),
            sc(1, 1, "y.store(1, SeqCst)", 2),
            sc(1, 3, "x.load(SeqCst) → 1", 4),
        ],
        arrows: vec![arrow(2, 1, Why::ReadsFrom), arrow(0, 3, Why::ReadsFrom)],
        caption: vec![
            "The numbers are one total order of all SeqCst operations. Whichever load is last in it",
            "comes after both stores and reads 1: the outcome 0, 0 has no place in any such order.",
        ],
    }
}

/// A `Mutex` handed from one thread to the next: the unlock synchronizes
/// with the next lock, so the first thread's write happens before the
/// second's read.
fn mutex_hand_over() -> Diagram {
    Diagram {
        name: "hb-mutex-hand-over",
        title: "A Mutex handed over",
        description: "Two threads, time running downward. Thread A locks the mutex, adds a to the total, and unlocks (its guard is dropped). Thread B then locks the mutex, adds b to the total, reading the total that A wrote, and unlocks. A green arrow from A's unlock to B's lock says that the unlock synchronizes with the lock that acquires the mutex next. A dotted arrow from A's addition to B's addition says that A's write happens before B's read, so B adds to A's total.",
        threads: ["thread A", "thread B"],
        ops: vec![
            lane(0, 0, "total.lock()"),
            lane(0, 1, "*guard += a"),
            lane(0, 2, "drop(guard): unlock"),
            lane(1, 3, "total.lock()"),
            lane(1, 4, "*guard += b  (reads a)"),
            lane(1, 5, "drop(guard): unlock"),
        ],
        arrows: vec![
            arrow(2, 3, Why::SynchronizesWith),
            arrow(1, 4, Why::HappensBefore),
        ],
        caption: vec![
            "Unlocking releases, the next lock acquires: what A wrote inside the lock, B sees inside it.",
        ],
    }
}

/// `&`, `<`, `>` and quotes, escaped for SVG text and attributes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// A number as SVG writes it: whole numbers without a fraction.
fn n(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

impl Diagram {
    fn rows(&self) -> usize {
        self.ops.iter().map(|op| op.row + 1).max().unwrap_or(0)
    }

    fn lane_centre(thread: usize) -> f64 {
        LEFT + LANE_W * (thread as f64 + 0.5)
    }

    fn row_top(row: usize) -> f64 {
        FIRST_ROW + ROW_H * row as f64
    }

    /// The box of an operation: left, top, width.
    fn bounds(op: &Op) -> (f64, f64, f64) {
        let top = Self::row_top(op.row);
        match op.place {
            Place::Lane(thread) => (Self::lane_centre(thread) - BOX_W / 2.0, top, BOX_W),
            Place::Across => {
                let left = Self::lane_centre(0) - BOX_W / 2.0;
                let right = Self::lane_centre(1) + BOX_W / 2.0;
                (left, top, right - left)
            }
        }
    }

    /// The ends of an arrow: from the side (or bottom) of one box to the
    /// side (or top) of the other.
    fn ends(&self, a: &Arrow) -> ((f64, f64), (f64, f64)) {
        let (from, to) = (&self.ops[a.from], &self.ops[a.to]);
        let (fl, ft, fw) = Self::bounds(from);
        let (tl, tt, tw) = Self::bounds(to);
        match (from.place, to.place) {
            // From the starting values down to a load, beside the lane.
            (Place::Across, Place::Lane(thread)) => {
                let x = if thread == 0 {
                    tl - 14.0
                } else {
                    tl + tw + 14.0
                };
                ((x, ft + BOX_H), (x, tt + BOX_H / 2.0))
            }
            (Place::Lane(f), Place::Lane(t)) if f < t => {
                ((fl + fw, ft + BOX_H / 2.0), (tl, tt + BOX_H / 2.0))
            }
            (Place::Lane(f), Place::Lane(t)) if f > t => {
                ((fl, ft + BOX_H / 2.0), (tl + tw, tt + BOX_H / 2.0))
            }
            _ => ((fl + fw / 2.0, ft + BOX_H), (tl + tw / 2.0, tt)),
        }
    }

    /// The whole SVG document.
    pub fn to_svg(&self) -> String {
        let legend_top = Self::row_top(self.rows()) + 10.0;
        let caption_top = legend_top + 44.0;
        let height = caption_top + 22.0 * self.caption.len() as f64 + 10.0;
        let mut svg = String::new();
        let id = self.name;
        let _ = writeln!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{SANS}\" font-size=\"15\">",
            w = n(WIDTH),
            h = n(height),
        );
        let _ = writeln!(
            svg,
            "  <title id=\"{id}-title\">{}</title>\n  <desc id=\"{id}-desc\">{}</desc>",
            escape(self.title),
            escape(self.description)
        );
        self.defs(&mut svg);
        let _ = writeln!(
            svg,
            "  <rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            n(WIDTH),
            n(height)
        );
        let _ = writeln!(
            svg,
            "  <text x=\"{}\" y=\"30\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\" fill=\"{TEXT}\">{}</text>",
            n(WIDTH / 2.0),
            escape(self.title)
        );
        for (thread, name) in self.threads.iter().enumerate() {
            let _ = writeln!(
                svg,
                "  <text x=\"{}\" y=\"74\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"{}\">{}</text>",
                n(Self::lane_centre(thread)),
                LANES[thread].ink,
                escape(name)
            );
        }
        self.time_axis(&mut svg);
        self.program_order(&mut svg);
        for op in &self.ops {
            self.draw_op(&mut svg, op);
        }
        for a in &self.arrows {
            self.draw_arrow(&mut svg, a);
        }
        self.legend(&mut svg, legend_top);
        for (k, line) in self.caption.iter().enumerate() {
            let _ = writeln!(
                svg,
                "  <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" fill=\"{TEXT}\">{}</text>",
                n(WIDTH / 2.0),
                n(caption_top + 22.0 * k as f64),
                escape(line)
            );
        }
        svg.push_str("</svg>\n");
        svg
    }

    /// One arrowhead per colour.
    fn defs(&self, svg: &mut String) {
        svg.push_str("  <defs>\n");
        for (name, colour) in [
            ("order", QUIET),
            ("sync", SYNC_INK),
            ("hb", HB_INK),
            ("reads", QUIET),
        ] {
            let _ = writeln!(
                svg,
                "    <marker id=\"{}-{name}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"12\" markerHeight=\"12\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 Z\" fill=\"{colour}\"/></marker>",
                self.name
            );
        }
        svg.push_str("  </defs>\n");
    }

    fn time_axis(&self, svg: &mut String) {
        let bottom = Self::row_top(self.rows()) - ROW_H + BOX_H;
        let _ = writeln!(
            svg,
            "  <line x1=\"24\" y1=\"{top}\" x2=\"24\" y2=\"{}\" stroke=\"{TEXT}\" stroke-width=\"2\"/>\n  <path d=\"M 17 {} L 24 {} L 31 {} Z\" fill=\"{TEXT}\"/>\n  <text x=\"18\" y=\"{mid}\" text-anchor=\"middle\" fill=\"{TEXT}\" transform=\"rotate(-90 18 {mid})\">time</text>",
            n(bottom - 10.0),
            n(bottom - 14.0),
            n(bottom),
            n(bottom - 14.0),
            top = n(FIRST_ROW),
            mid = n((FIRST_ROW + bottom) / 2.0),
        );
    }

    /// Thin grey arrows between one thread's consecutive operations.
    fn program_order(&self, svg: &mut String) {
        for thread in 0..self.threads.len() {
            let mut rows: Vec<usize> = self
                .ops
                .iter()
                .filter(|op| op.place == Place::Lane(thread))
                .map(|op| op.row)
                .collect();
            rows.sort_unstable();
            let x = n(Self::lane_centre(thread));
            for pair in rows.windows(2) {
                let _ = writeln!(
                    svg,
                    "  <line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{QUIET}\" stroke-width=\"1.5\" marker-end=\"url(#{}-order)\"/>",
                    n(Self::row_top(pair[0]) + BOX_H + 2.0),
                    n(Self::row_top(pair[1]) - 3.0),
                    self.name
                );
            }
        }
    }

    fn draw_op(&self, svg: &mut String, op: &Op) {
        let (left, top, width) = Self::bounds(op);
        let (fill, ink) = match op.place {
            Place::Lane(thread) => (LANES[thread].fill, LANES[thread].ink),
            Place::Across => (START_FILL, TEXT),
        };
        let _ = writeln!(
            svg,
            "  <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"5\" fill=\"{fill}\"/>\n  <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-family=\"{MONO}\" font-size=\"14\" fill=\"{ink}\">{}</text>",
            n(left),
            n(top),
            n(width),
            n(BOX_H),
            n(left + width / 2.0),
            n(top + 22.0),
            escape(op.code)
        );
        if let Some(order) = op.order {
            // On the outer side of the lane, away from the arrows between lanes.
            let cx = match op.place {
                Place::Lane(0) => left - 18.0,
                _ => left + width + 18.0,
            };
            let cy = top + BOX_H / 2.0;
            let _ = writeln!(
                svg,
                "  <circle cx=\"{}\" cy=\"{}\" r=\"12\" fill=\"#ffffff\" stroke=\"{TEXT}\" stroke-width=\"1.5\"/>\n  <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" fill=\"{TEXT}\">{order}</text>",
                n(cx),
                n(cy),
                n(cx),
                n(cy + 5.0)
            );
        }
    }

    fn draw_arrow(&self, svg: &mut String, a: &Arrow) {
        let ((x1, y1), (x2, y2)) = self.ends(a);
        let (colour, marker, style) = match a.why {
            Why::SynchronizesWith => (SYNC_INK, "sync", "stroke-width=\"3\""),
            Why::HappensBefore => (HB_INK, "hb", "stroke-width=\"2\" stroke-dasharray=\"2 4\""),
            Why::ReadsFrom => (
                QUIET,
                "reads",
                "stroke-width=\"1.5\" stroke-dasharray=\"7 5\"",
            ),
        };
        let _ = writeln!(
            svg,
            "  <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" {style} marker-end=\"url(#{}-{marker})\"/>",
            n(x1),
            n(y1),
            n(x2),
            n(y2),
            self.name
        );
    }

    /// A sample of each kind of line the diagram uses, in words.
    fn legend(&self, svg: &mut String, top: f64) {
        let mut kinds = vec![("program order", QUIET, "order", "stroke-width=\"1.5\"")];
        for (why, words, colour, marker, style) in [
            (
                Why::SynchronizesWith,
                "synchronizes with",
                SYNC_INK,
                "sync",
                "stroke-width=\"3\"",
            ),
            (
                Why::HappensBefore,
                "happens before",
                HB_INK,
                "hb",
                "stroke-width=\"2\" stroke-dasharray=\"2 4\"",
            ),
            (
                Why::ReadsFrom,
                "reads the value of",
                QUIET,
                "reads",
                "stroke-width=\"1.5\" stroke-dasharray=\"7 5\"",
            ),
        ] {
            if self.arrows.iter().any(|a| a.why == why) {
                kinds.push((words, colour, marker, style));
            }
        }
        let slot = (WIDTH - LEFT) / kinds.len() as f64;
        for (k, (words, colour, marker, style)) in kinds.into_iter().enumerate() {
            let x = LEFT + slot * k as f64;
            let y = top + 12.0;
            let _ = writeln!(
                svg,
                "  <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" {style} marker-end=\"url(#{}-{marker})\"/>\n  <text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"{TEXT}\">{}</text>",
                n(x),
                n(y),
                n(x + 40.0),
                n(y),
                self.name,
                n(x + 48.0),
                n(y + 5.0),
                escape(words)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_arrow_joins_two_operations_of_its_diagram() {
        for d in all() {
            for a in &d.arrows {
                assert!(a.from < d.ops.len() && a.to < d.ops.len(), "{}", d.name);
                assert_ne!(a.from, a.to, "{}", d.name);
            }
            for op in &d.ops {
                if let Place::Lane(thread) = op.place {
                    assert!(thread < d.threads.len(), "{}", d.name);
                }
            }
        }
    }

    #[test]
    fn names_are_distinct_file_names() {
        let names: std::collections::HashSet<&str> = all().iter().map(|d| d.name).collect();
        assert_eq!(names.len(), all().len());
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a < b & 'c'"), "a &lt; b &amp; &#x27;c&#x27;");
    }
}
