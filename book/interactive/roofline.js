/* global workbook */
/* exported workbookRoofline */
// "The roofline on your machine": on the page holding <div id="roofline-live">
// (chapter 24.2), served by `cargo workbook`, ask the server for the
// learner's own roofline (/__workbook/roofline.json: the roofs of their
// latest `cargo run --release --example roofline`, and every run placed on
// them by parallel_workbook::roofline, that run's points and those of the
// examples run from the page since the server started) and, if there are
// roofs, draw it in place of the reference machine's chart and table. A
// static copy of the book, or a server with no roofline run yet, keeps the
// reference. The model is the server's: this script only draws what it is
// sent (workbookRoofline.layout and .rows hold no DOM, for the unit tests).
const workbookRoofline = (() => {
  "use strict";

  /** The chart's box, in SVG units. */
  const BOX = { width: 640, height: 400, left: 72, right: 24, top: 16, bottom: 52 };

  /**
   * Where everything goes, in data units (terms per byte, terms per second):
   * the axes' ranges (log scale), each roof as a segment, each point. A
   * point that moves no bytes has no finite intensity: it sits in a band at
   * the right edge, as in the `roofline` example's own chart.
   * @param {RooflineReply} reply  with at least one roof of each kind
   */
  function layout(reply) {
    const peak = reply.compute[0].per_second;
    const bandwidth = reply.bandwidth[0].per_second;
    const ridge = peak / bandwidth;
    const bounded = reply.points.filter((p) => p.intensity !== null).map((p) => /** @type {number} */ (p.intensity));
    const xLow = Math.min(ridge / 16, ...bounded.map((i) => i / 4));
    const xHigh = Math.max(ridge * 16, ...bounded.map((i) => i * 4));
    const rates = [
      ...reply.compute.map((r) => r.per_second),
      ...reply.points.map((p) => p.terms_per_second),
      xLow * bandwidth,
    ].filter((r) => r > 0);
    const yHigh = peak * 2;
    const yLow = Math.max(Math.min(...rates) / 2, peak / 1e5);
    // Each bandwidth ceiling rises from the left edge to the compute roof;
    // each compute ceiling runs from the bandwidth roof to the right edge.
    const roofs = [
      ...reply.bandwidth.map((roof) => ({
        kind: "bandwidth",
        label: roof.label,
        from: [xLow, xLow * roof.per_second],
        to: [peak / roof.per_second, peak],
        top: roof === reply.bandwidth[0],
      })),
      ...reply.compute.map((roof) => ({
        kind: "compute",
        label: roof.label,
        from: [roof.per_second / bandwidth, roof.per_second],
        to: [xHigh, roof.per_second],
        top: roof === reply.compute[0],
      })),
    ];
    const points = reply.points.map((p) => ({
      label: `${p.strategy}, T = ${p.threads}`,
      x: p.intensity === null ? xHigh : p.intensity,
      y: p.terms_per_second,
      inBand: p.intensity === null,
      source: p.source,
    }));
    return { x: [xLow, xHigh], y: [yLow, yHigh], ridge, roofs, points };
  }

  /** A rate in words: 2.4e9 → "2.40 G". @param {number} value */
  function rate(value) {
    const units = [
      { size: 1e12, unit: "T" },
      { size: 1e9, unit: "G" },
      { size: 1e6, unit: "M" },
      { size: 1e3, unit: "k" },
    ];
    for (const { size, unit } of units) {
      if (value >= size) {
        return `${(value / size).toFixed(2)} ${unit}`;
      }
    }
    return value.toFixed(0);
  }

  /**
   * The table under the chart, one row per point, as the `roofline`
   * example's own table reads: intensity, rate, the model's roof there,
   * the fraction of it reached, the roof that bounds it, where it is from.
   * @param {RooflineReply} reply
   * @returns {string[][]}
   */
  function rows(reply) {
    return reply.points.map((p) => [
      p.strategy,
      String(p.threads),
      p.intensity === null ? "∞ (no bytes)" : p.intensity.toPrecision(3),
      `${rate(p.terms_per_second)} terms/s`,
      `${rate(p.attainable)} terms/s`,
      `${(100 * (p.terms_per_second / p.attainable)).toFixed(0)}%`,
      p.bound,
      p.source === "page" ? "a run from the page" : "your roofline run",
    ]);
  }

  return { BOX, layout, rows, rate };
})();

(() => {
  "use strict";
  if (typeof document === "undefined") {
    return; // loaded for its data handling alone (the unit tests)
  }

  const { el } = workbook;
  const { BOX, layout, rows } = workbookRoofline;
  const SVG = "http://www.w3.org/2000/svg";

  /** @param {string} tag @param {Record<string, string | number>} attrs @param {Node[]} [children] */
  function svg(tag, attrs, children = []) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) {
      node.setAttribute(key, String(value));
    }
    node.append(...children);
    return node;
  }

  /** @param {string} text */
  function title(text) {
    const node = document.createElementNS(SVG, "title");
    node.textContent = text;
    return node;
  }

  /** @param {string} text @param {Record<string, string | number>} attrs */
  function label(text, attrs) {
    return svg("text", { fill: "currentColor", "font-size": 12, ...attrs }, [document.createTextNode(text)]);
  }

  /**
   * The scales of a layout: data units to SVG units, log on both axes.
   * @param {ReturnType<typeof layout>} model
   */
  function scales(model) {
    const [x0, x1] = model.x.map(Math.log10);
    const [y0, y1] = model.y.map(Math.log10);
    const width = BOX.width - BOX.left - BOX.right;
    const height = BOX.height - BOX.top - BOX.bottom;
    return {
      x0,
      x1,
      y0,
      y1,
      width,
      height,
      sx: (/** @type {number} */ x) => BOX.left + ((Math.log10(x) - x0) / (x1 - x0)) * width,
      sy: (/** @type {number} */ y) => BOX.top + (1 - (Math.log10(y) - y0) / (y1 - y0)) * height,
    };
  }

  /** The frame, a tick at every power of ten, the axes' names. @param {ReturnType<typeof scales>} s */
  function axes(s) {
    const parts = [
      svg("rect", {
        x: BOX.left,
        y: BOX.top,
        width: s.width,
        height: s.height,
        fill: "none",
        stroke: "currentColor",
        "stroke-opacity": 0.4,
      }),
    ];
    for (let e = Math.ceil(s.x0); e <= Math.floor(s.x1); e++) {
      parts.push(label(`1e${e}`, { x: s.sx(10 ** e), y: BOX.top + s.height + 18, "text-anchor": "middle" }));
    }
    for (let e = Math.ceil(s.y0); e <= Math.floor(s.y1); e++) {
      parts.push(label(`1e${e}`, { x: BOX.left - 6, y: s.sy(10 ** e) + 4, "text-anchor": "end" }));
    }
    const middle = BOX.top + s.height / 2;
    parts.push(
      label("intensity, terms per byte (∞ at the right edge)", {
        x: BOX.left + s.width / 2,
        y: BOX.height - 8,
        "text-anchor": "middle",
      }),
      label("terms per second", { x: 14, y: middle, transform: `rotate(-90 14 ${middle})`, "text-anchor": "middle" }),
    );
    return parts;
  }

  /** The roofs as lines, the runs as dots, each named for a screen reader. */
  function marks(/** @type {ReturnType<typeof layout>} */ model, /** @type {ReturnType<typeof scales>} */ s) {
    const roofs = model.roofs.map((roof) =>
      svg(
        "line",
        {
          x1: s.sx(roof.from[0]),
          y1: s.sy(roof.from[1]),
          x2: s.sx(roof.to[0]),
          y2: s.sy(roof.to[1]),
          stroke: roof.kind === "compute" ? "#c05621" : "#2b6cb0",
          "stroke-width": roof.top ? 3 : 1.5,
          "stroke-dasharray": roof.top ? "none" : "6 4",
          "data-testid": "roofline-roof",
        },
        [title(`${roof.kind} roof: ${roof.label}`)],
      ),
    );
    const points = model.points.map((point) =>
      svg(
        "circle",
        {
          cx: s.sx(point.x),
          cy: s.sy(point.y),
          r: 5,
          fill: point.source === "page" ? "#2f855a" : "#805ad5",
          stroke: "currentColor",
          "data-testid": "roofline-point",
        },
        [title(`${point.label}${point.inBand ? " (no bytes moved)" : ""}`)],
      ),
    );
    return [...roofs, ...points];
  }

  /** @param {RooflineReply} reply */
  function chart(reply) {
    const model = layout(reply);
    const s = scales(model);
    const described =
      `Your roofline on ${reply.machine || "this machine"}: ${reply.compute.length} compute and ` +
      `${reply.bandwidth.length} bandwidth ceilings meeting at ${model.ridge.toPrecision(3)} terms per byte, and ` +
      `${model.points.length} runs placed under them; the table below lists each.`;
    return svg(
      "svg",
      {
        viewBox: `0 0 ${BOX.width} ${BOX.height}`,
        role: "img",
        "aria-label": described,
        "data-testid": "roofline-chart",
      },
      [...axes(s), ...marks(model, s)],
    );
  }

  /** @param {RooflineReply} reply */
  function table(reply) {
    const head = el(
      "tr",
      {},
      ["strategy", "T", "terms/byte", "reached", "model allows", "of model", "bound by", "from"].map((h) =>
        el("th", { scope: "col", text: h }),
      ),
    );
    const body = rows(reply).map(([strategy, ...cells]) =>
      el("tr", {}, [el("th", { scope: "row", text: strategy }), ...cells.map((c) => el("td", { text: c }))]),
    );
    const caption = `Your runs, placed on your roofs (${reply.machine || "this machine"}).`;
    return el("table", { "data-testid": "roofline-table" }, [el("caption", { text: caption }), head, ...body]);
  }

  /** @param {HTMLElement} box @param {RooflineReply} reply */
  function show(box, reply) {
    workbook.clear(box);
    box.append(
      el("p", {
        text:
          "Measured on your machine: the roofs of your latest `cargo run --release --example roofline`, with its " +
          "points and those of the examples you ran from the book's pages since `cargo workbook` started. It " +
          "replaces the reference machine's chart, which the book shows when it is read without `cargo workbook` " +
          "or before your first roofline run.",
      }),
      chart(reply),
      table(reply),
    );
    box.setAttribute("data-source", "learner");
  }

  /** @param {HTMLElement} box */
  function load(box) {
    workbook
      .call("/__workbook/roofline.json")
      .then((reply) => {
        const body = /** @type {RooflineReply} */ (reply.body);
        if (reply.ok && Array.isArray(body.compute) && body.compute.length && body.bandwidth.length) {
          show(box, body);
        }
      })
      .catch(() => {
        // No server any more: keep what the page shows.
      });
  }

  workbook.onReady(() => {
    const box = document.getElementById("roofline-live");
    if (!box || !workbook.served()) {
      return;
    }
    box.setAttribute("data-source", "reference");
    load(box);
    // A roofline run writes new roofs; any example's run may add a point.
    document.addEventListener("workbook-run-done", (e) => {
      const d = /** @type {CustomEvent} */ (e).detail;
      if (d && d.outcome === "exited" && d.exitCode === 0) {
        load(box);
      }
    });
  });
})();
