// report-table.js without a browser: the reports of one run as a table
// whose layout a second report never turns around; the telling column
// first, its marks; what every run shares said once; numbers as words; the
// summary row of repeated runs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { FIXTURE, load } from "./load.mjs";

const get = load("core.js", "report-table.js");
const table = get("workbookReportTable");

const RACY = FIXTURE.run_events.find((e) => e.event === "report").report;
// threads at N = 1e6, T = 2, as the example reports it (left sum from the closed form).
const RIGHT = {
  strategy: "threads",
  a: 0,
  b: 10,
  n: 1000000,
  threads: 2,
  result: 333.3328333335001,
  exact: 333.3333333333333,
  left_sum: 333.3328333335,
  abs_error: 0.0004999998333,
  seconds: 0.00081,
};

const keys = (t) => t.columns.map((c) => c.key);
const column = (t, key) => t.rows.map((r) => r[keys(t).indexOf(key)]);

test("numbers read as words: grouped, a power of ten, never an e-notation to break", () => {
  assert.equal(table.formatNumber(1000000000), "1\u202f000\u202f000\u202f000");
  assert.equal(table.formatNumber(332.83335), "332.83335");
  assert.equal(table.formatNumber(333333332.83333349), "333\u202f333\u202f332.833");
  assert.equal(table.formatNumber(-12.5), "−12.5");
  assert.equal(table.formatNumber(0.00001234), "1.234 × 10⁻⁵");
  assert.equal(table.formatField("abs_error", 0.49998333333331857), "5.00 × 10⁻¹");
  assert.equal(table.formatField("abs_error", 0), "0");
  assert.equal(table.formatField("speedup", 1.9166666666666667), "1.92×");
  assert.equal(table.formatField("seconds", 0.0012), "1.2 ms");
  assert.equal(table.formatField("most_busy", { chunk: 3 }), '{"chunk":3}');
  for (const x of [5e-4, 1.5e-7, 2.5e20, 123456.789]) {
    assert.doesNotMatch(table.formatNumber(x), /e/, `${x}`);
  }
});

test("one report: a row, lost_updates first and marked, the rest of the line in columns, what it was given above", () => {
  const t = table.layout([RACY]);
  assert.deepEqual(keys(t), ["run", "lost_updates", "result", "seconds", "speedup", "sequential_seconds", "abs_error"]);
  assert.equal(t.columns[1].telling, true);
  assert.deepEqual(t.shared, ["threads", "N = 1\u202f000", "T = 2", "left sum = 332.8335"]);
  assert.deepEqual(
    t.rows[0].map((c) => c.text),
    ["1", "3", "332.83335", "1.2 ms", "1.92×", "2.3 ms", "5.00 × 10⁻¹"],
  );
  assert.equal(t.rows[0][1].flagged, true, "3 lost updates");
  assert.equal(t.rows[0][2].flagged, true, "and its result is off the left sum");
  assert.equal(t.summary, null);
  assert.match(t.legend, /lost updates/);
});

test("without lost_updates the result is telling, marked only past what rounding explains", () => {
  assert.equal(table.offLeftSum(RIGHT), false, "a parallel sum a few ulps off is right");
  const rounding = { ...RIGHT, result: RIGHT.left_sum * (1 + 1e-14) };
  assert.equal(table.offLeftSum(rounding), false);
  const lost = { ...RIGHT, result: 331.9 };
  assert.equal(table.offLeftSum(lost), true);
  assert.equal(table.offLeftSum({ ...lost, std_error: 0.1 }), false, "a Monte Carlo estimate is no left sum");
  const t = table.layout([RIGHT, lost]);
  assert.deepEqual(keys(t).slice(0, 2), ["run", "result"]);
  assert.deepEqual(
    column(t, "result").map((c) => c.flagged),
    [false, true],
  );
  assert.equal(t.summary[1], "1 of 2 off the left sum");
  assert.equal(table.layout([RIGHT, RIGHT]).summary[1], "all match the left sum");
});

test("a second report adds a row and never turns the table; a setting that varies becomes a column, and stays one", () => {
  const one = table.layout([RIGHT]);
  const two = table.layout([RIGHT, { ...RIGHT, seconds: 0.0009 }]);
  assert.deepEqual(keys(two), keys(one), "same columns: only measurements are columns");
  assert.equal(two.rows.length, 2);
  assert.deepEqual(two.shared, one.shared);
  const sweep = [RIGHT, { ...RIGHT, threads: 4 }, { ...RIGHT, threads: 4 }];
  const t = table.layout(sweep);
  assert.deepEqual(keys(t), ["run", "result", "threads", "seconds", "abs_error"]);
  assert.deepEqual(t.shared, ["threads", "N = 1\u202f000\u202f000", "left sum = 333.332833333"]);
  assert.deepEqual(
    column(t, "threads").map((c) => c.text),
    ["2", "4", "4"],
  );
});

test("repeated runs: a summary row counts the runs that lost updates, and gives the median and range of times", () => {
  const reports = [1, 0, 5, 0, 2].map((lost, i) => ({ ...RACY, lost_updates: lost, seconds: (i + 1) / 1000 }));
  const t = table.layout(reports);
  assert.equal(t.rows.length, 5);
  assert.deepEqual(
    column(t, "lost_updates").map((c) => c.flagged),
    [true, false, true, false, true],
  );
  const summary = Object.fromEntries(keys(t).map((k, i) => [k, t.summary[i]]));
  assert.equal(summary.run, "all 5");
  assert.equal(summary.lost_updates, "3 of 5 runs");
  assert.equal(summary.seconds, "median 3.0 ms (1.0 ms–5.0 ms)");
  assert.equal(summary.abs_error, "");
});

test("200 reports: 200 rows and one summary, in the order they came", () => {
  const reports = Array.from({ length: 200 }, (_, i) => ({ ...RACY, lost_updates: i % 3, seconds: 0.001 + i * 1e-6 }));
  const t = table.layout(reports);
  assert.equal(t.rows.length, 200);
  assert.deepEqual(
    t.rows.slice(0, 3).map((r) => r[0].text),
    ["1", "2", "3"],
  );
  assert.equal(t.summary[1], "133 of 200 runs");
});

test("the tolerance is the library's (Problem::reduction_tolerance, in the contract fixture)", () => {
  const samples = FIXTURE.reduction_tolerances;
  assert.ok(samples.length >= 4);
  for (const { a, b, n, tolerance } of samples) {
    assert.equal(table.tolerance({ a, b, n }), tolerance, `a = ${a}, b = ${b}, N = ${n}`);
  }
});
