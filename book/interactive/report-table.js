/* global workbook */
/* exported workbookReportTable */
// The reports of one run as a table (run-panel.js draws it; nothing here
// touches the DOM, so tests/browser/unit/ tests it in Node). An example
// prints one report line per run of its work (`--repeats`, a sweep, the
// racy example's rounds), and the table grows a row for each:
//
// - every row is a run, from the first report on: a second report adds a
//   row, never turns the table around;
// - the column that tells whether the run went right comes first after the
//   run's number: `lost_updates` where the example counts them, else
//   `result`, which is marked where it differs from the left sum by more
//   than rounding can explain (Problem::reduction_tolerance, src/problem.rs);
// - what every run shares (the strategy, N, T, the left sum, an example's
//   settings) is said once, in a caption line above the table, not on every
//   row; such a field becomes a column once two runs differ in it (a
//   sweep's T), and stays one. What a run measures (its result, time,
//   speed-up, error) is always a column, so the columns a learner reads
//   stay where they are;
// - numbers are whole words (CSS keeps them on one line) and read as a
//   person writes them: 1 000 000, 5.00 × 10⁻¹, 1.92×, 12.3 ms;
// - with two runs or more, a summary row: how many runs lost updates or
//   differ from the left sum, and the median (min–max) of each time.

/**
 * @typedef {object} Cell
 * @property {string} text
 * @property {boolean} flagged  a lost update, or a result off the left sum
 */

/**
 * @typedef {object} Column
 * @property {string} key  the report's field (or "run", "seconds", "speedup")
 * @property {string} label
 * @property {boolean} telling  the column that says whether the run went right
 */

/**
 * @typedef {object} Layout
 * @property {string[]} shared  "N = 1 000"-like words for what every run shares
 * @property {Column[]} columns  the first is the run's number
 * @property {Cell[][]} rows
 * @property {string[] | null} summary  a cell per column, with two runs or more
 * @property {string} legend  what a mark means, when a column can carry one
 */

const workbookReportTable = (() => {
  "use strict";

  const { formatSeconds } = workbook;

  // The fields of the report line (report.rs), in its order, in its words.
  const LABELS = {
    strategy: "strategy",
    n: "N",
    threads: "T",
    result: "result",
    left_sum: "left sum",
    abs_error: "|error|",
    seconds: "time",
    speedup: "speed-up",
    sequential_seconds: "sequential",
  };
  // What a run is given rather than what it measures: said once in the
  // caption while every run has the same. An example's own fields are
  // measurements unless named here.
  const SETTINGS = new Set([
    "strategy",
    "n",
    "threads",
    "left_sum",
    "a",
    "b",
    "chunk",
    "chunks",
    "grain",
    "seed",
    "bound",
    "work",
    "tasks_per_worker",
    "leaves",
    "array_mib",
    "last_level_cache_mib",
  ]);
  // Never shown: `exact` is the integral (|error| is measured against it).
  const HIDDEN = new Set(["exact"]);
  const SETTING_ORDER = ["strategy", "n", "threads", "a", "b", "left_sum"];
  const MEASURE_ORDER = ["result", "seconds", "speedup", "sequential_seconds", "abs_error"];

  const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

  /** 1.23 × 10⁻⁴: `digits` significant digits. @param {number} x @param {number} digits */
  function scientific(x, digits) {
    const [mantissa, exponent] = x.toExponential(digits - 1).split("e");
    const power = String(Number(exponent))
      .split("")
      .map((c) => SUPERSCRIPT[c])
      .join("");
    return `${mantissa} × 10${power}`;
  }

  /** Groups of three digits, with a narrow no-break space: 1 000 000. @param {string} digits */
  function grouped(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  }

  /**
   * A number as a person writes it: integers grouped, others with up to 12
   * significant digits (enough to see a result differ from the left sum),
   * tiny and huge ones as a power of ten.
   * @param {number} x
   */
  function formatNumber(x) {
    if (!Number.isFinite(x)) {
      return String(x);
    }
    if (Number.isInteger(x) && Math.abs(x) < 1e21) {
      return (x < 0 ? "−" : "") + grouped(String(Math.abs(x)));
    }
    const abs = Math.abs(x);
    if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) {
      return scientific(x, 4);
    }
    const text = String(Number(x.toPrecision(12)));
    const [whole, fraction] = text.replace("-", "").split(".");
    return (x < 0 ? "−" : "") + grouped(whole) + (fraction ? `.${fraction}` : "");
  }

  /** A field's value as the table shows it. @param {string} key @param {unknown} value */
  function formatField(key, value) {
    if (value === undefined || value === null) {
      return "";
    }
    if (typeof value !== "number") {
      return typeof value === "object" ? JSON.stringify(value) : String(value);
    }
    switch (key) {
      case "seconds":
      case "sequential_seconds":
        return formatSeconds(value);
      case "abs_error":
        return value === 0 ? "0" : scientific(value, 3);
      case "speedup":
        return `${value.toFixed(2)}×`;
      default:
        return formatNumber(value);
    }
  }

  /**
   * How far a right sum may be from the left sum: the bound of
   * Problem::reduction_tolerance (src/problem.rs), for the report's a, b, N.
   * @param {Record<string, any>} r
   */
  function tolerance(r) {
    const u = Number.EPSILON / 2;
    const n = r.n + 2;
    const gamma = (n * u) / (1 - n * u);
    const magnitude = Math.max(Math.abs(r.a), Math.abs(r.b)) ** 2 * (r.b - r.a);
    return 2 * gamma * magnitude + 4 * Number.EPSILON * magnitude;
  }

  /**
   * Whether a result is off its left sum by more than rounding explains. A
   * Monte Carlo estimate (it reports its `std_error`) is not a left sum.
   * @param {Record<string, any>} r
   */
  function offLeftSum(r) {
    if (
      typeof r.result !== "number" ||
      typeof r.left_sum !== "number" ||
      r.std_error !== undefined ||
      ![r.a, r.b, r.n].every((v) => typeof v === "number")
    ) {
      return false;
    }
    return !(Math.abs(r.result - r.left_sum) <= tolerance(r));
  }

  /** @param {string} key @param {Record<string, any>} r */
  function flagged(key, r) {
    if (key === "lost_updates") {
      return typeof r.lost_updates === "number" && r.lost_updates > 0;
    }
    return key === "result" && offLeftSum(r);
  }

  /** The telling column of these reports. @param {Array<Record<string, any>>} reports */
  function tellingKey(reports) {
    return reports.some((r) => r.lost_updates !== undefined) ? "lost_updates" : "result";
  }

  /** @param {string[]} keys @param {string[]} order */
  function ordered(keys, order) {
    const rank = (k) => (order.includes(k) ? order.indexOf(k) : order.length);
    return [...keys].sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
  }

  /** @param {number[]} xs */
  function median(xs) {
    const s = [...xs].sort((x, y) => x - y);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  }

  /** @param {string} key @param {Array<Record<string, any>>} reports */
  function summaryOf(key, reports) {
    if (key === "run") {
      return `all ${reports.length}`;
    }
    if (key === "lost_updates" || key === "result") {
      const bad = reports.filter((r) => flagged(key, r)).length;
      if (key === "lost_updates") {
        return `${bad} of ${reports.length} runs`;
      }
      return bad ? `${bad} of ${reports.length} off the left sum` : "all match the left sum";
    }
    const values = reports.map((r) => r[key]).filter((v) => typeof v === "number");
    if ((key === "seconds" || key === "sequential_seconds" || key === "speedup") && values.length > 1) {
      const f = (v) => formatField(key, v);
      return `median ${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
    }
    return "";
  }

  /**
   * The table of these reports (all of the run so far, in order).
   * @param {ExampleReport[]} reports
   * @returns {Layout}
   */
  function layout(reports) {
    /** @type {Array<Record<string, any>>} */
    const rs = reports;
    const keys = [];
    for (const r of rs) {
      for (const k of Object.keys(r)) {
        if (!keys.includes(k) && !HIDDEN.has(k)) {
          keys.push(k);
        }
      }
    }
    const telling = tellingKey(rs);
    const same = (k) => rs.every((r) => formatField(k, r[k]) === formatField(k, rs[0][k]));
    const settings = ordered(
      keys.filter((k) => SETTINGS.has(k)),
      SETTING_ORDER,
    );
    const shared = settings.filter((k) => same(k) && k !== telling);
    const varying = settings.filter((k) => !shared.includes(k) && k !== telling);
    const measures = ordered(
      keys.filter((k) => !SETTINGS.has(k) && k !== telling),
      MEASURE_ORDER,
    );
    const label = (k) => LABELS[k] || k;
    /** @type {Column[]} */
    const columns = [
      { key: "run", label: "run", telling: false },
      { key: telling, label: label(telling), telling: true },
      ...[...varying, ...measures].map((k) => ({ key: k, label: label(k), telling: false })),
    ];
    const rows = rs.map((r, i) =>
      columns.map((c) =>
        c.key === "run"
          ? { text: String(i + 1), flagged: false }
          : { text: formatField(c.key, r[c.key]), flagged: flagged(c.key, r) },
      ),
    );
    // The interval a..b is the same for every example the page runs.
    const sharedWords = shared
      .filter((k) => rs[0][k] !== undefined && k !== "a" && k !== "b")
      .map((k) => (k === "strategy" ? String(rs[0][k]) : `${label(k)} = ${formatField(k, rs[0][k])}`));
    const legend =
      telling === "lost_updates"
        ? "✗ marks lost updates, and a result further from the left sum than rounding explains."
        : "✗ marks a result further from the left sum than rounding explains.";
    return {
      shared: sharedWords,
      columns,
      rows,
      summary: rs.length > 1 ? columns.map((c) => summaryOf(c.key, rs)) : null,
      legend,
    };
  }

  return { layout, formatNumber, formatField, offLeftSum, tolerance };
})();
