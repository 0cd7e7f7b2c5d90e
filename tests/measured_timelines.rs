//! Every timeline chart the book shows (`book/measured/*/timeline-*.svg`) is
//! its trace (`timeline-*.json` beside it) drawn by today's renderer: a
//! change to the drawing (sizes, words, colours) shows in the book without
//! measuring again. `WORKBOOK_REDRAW=1 cargo test --test measured_timelines`
//! draws them anew from their traces; the traces, the measurements, never
//! change.

use parallel_workbook::timeline::{Trace, svg};
use std::path::Path;

#[test]
fn measured_timelines_are_their_traces_drawn() {
    let measured = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/measured");
    let redraw = std::env::var_os("WORKBOOK_REDRAW").is_some();
    let mut seen = 0;
    let mut stale = Vec::new();
    for machine in std::fs::read_dir(&measured).expect("book/measured") {
        let dir = machine.expect("a machine's directory").path();
        let Ok(files) = std::fs::read_dir(&dir) else {
            continue;
        };
        for file in files {
            let json = file.expect("a measured file").path();
            let name = json.file_name().unwrap().to_string_lossy().into_owned();
            if !(name.starts_with("timeline-") && name.ends_with(".json")) {
                continue;
            }
            let chart = json.with_extension("svg");
            let trace = Trace::from_json(&std::fs::read_to_string(&json).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", json.display()));
            let drawn = svg::render(&trace);
            seen += 1;
            if redraw {
                std::fs::write(&chart, &drawn).unwrap();
            } else if std::fs::read_to_string(&chart).ok().as_deref() != Some(drawn.as_str()) {
                stale.push(chart.display().to_string());
            }
        }
    }
    assert!(seen > 0, "no timeline-*.json in book/measured");
    assert!(
        stale.is_empty(),
        "not their trace drawn (WORKBOOK_REDRAW=1 cargo test --test measured_timelines draws them): {stale:?}"
    );
}
