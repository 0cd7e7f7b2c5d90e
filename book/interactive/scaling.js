/* global workbook */
// "Speed-up on your machine": on the page holding <div id="scaling-live">,
// served by `cargo workbook`, ask the server for the learner's latest sweep
// (/__workbook/scaling.json and .svg, written by
// `cargo run --release --example scaling`, or by its command block on the
// page: run-panel.js says when a run ends) and, if there is one, show it in
// place of the reference machine's chart and table. A static copy of the
// book, or a server with no sweep yet, keeps the reference run.
(() => {
  "use strict";

  const { el, formatSeconds } = workbook;

  /** The sweep's table (scaling.json as the `scaling` example writes it). */
  function table(data) {
    const caption =
      `Your latest sweep: N = ${data.n}, ${data.cores} cores, median of ${data.repeats} runs, ` +
      `sequential baseline ${formatSeconds(data.sequential_seconds)}. The best T of each strategy is marked.`;
    const head = el(
      "tr",
      {},
      ["strategy", "T", "time", "speed-up", "efficiency", "best"].map((h) => el("th", { scope: "col", text: h })),
    );
    const rows = data.points.map((p) =>
      el("tr", {}, [
        el("th", { scope: "row", text: p.strategy }),
        el("td", { text: String(p.threads) }),
        el("td", { text: formatSeconds(p.median_seconds) }),
        el("td", { text: `${p.speedup.toFixed(2)}x` }),
        el("td", { text: `${(100 * p.efficiency).toFixed(0)}%` }),
        el("td", { text: p.best ? "best" : "" }),
      ]),
    );
    return el("table", { "data-testid": "scaling-table" }, [el("caption", { text: caption }), head, ...rows]);
  }

  /** @param {HTMLElement} box */
  function show(box, data, stamp) {
    workbook.clear(box);
    const when = data.unix_time ? new Date(data.unix_time * 1000).toLocaleString() : "recently";
    const intro =
      `Measured on your machine (${when}) with: cargo run --release --example scaling -- ${data.command || ""}. ` +
      "It replaces the reference machine's run, which the book shows when it is read without `cargo workbook` or before your first sweep.";
    box.append(
      el("p", { text: intro }),
      el("img", {
        src: `/__workbook/scaling.svg?t=${stamp}`,
        alt: "Speed-up against the number of threads for every strategy, from your latest sweep.",
        "data-testid": "scaling-chart",
      }),
      table(data),
    );
    box.setAttribute("data-source", "learner");
  }

  /** @param {HTMLElement} box */
  function load(box) {
    workbook
      .call("/__workbook/scaling.json")
      .then((reply) => {
        if (reply.ok && Array.isArray(reply.body.points) && reply.body.points.length) {
          show(box, reply.body, Date.now());
        }
      })
      .catch(() => {
        // No server any more: keep what the page shows.
      });
  }

  workbook.onReady(() => {
    const box = document.getElementById("scaling-live");
    if (!box || !workbook.served()) {
      return;
    }
    box.setAttribute("data-source", "reference");
    load(box);
    // A sweep run from this page may have written a new one.
    document.addEventListener("workbook-run-done", (e) => {
      const d = /** @type {CustomEvent} */ (e).detail;
      if (d && d.name === "scaling" && d.outcome === "exited" && d.exitCode === 0) {
        load(box);
      }
    });
  });
})();
