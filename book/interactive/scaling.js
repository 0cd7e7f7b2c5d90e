// "Speed-up on your machine": on the page holding <div id="scaling-live">,
// ask the workbook server for the learner's latest sweep
// (/__workbook/scaling.json and .svg, written by
// `cargo run --release --example scaling`, or by its command block on the
// page: runs.js says when a run ends) and, if there is one, show it in place
// of the reference machine's chart and table. A static copy of the book,
// or a server with no sweep yet, keeps the reference run.
(function () {
  "use strict";

  function formatSeconds(s) {
    if (s < 1e-3) return (s * 1e6).toFixed(0) + " µs";
    if (s < 1) return (s * 1e3).toFixed(1) + " ms";
    return s.toFixed(2) + " s";
  }

  function cell(row, tag, text, scope) {
    var c = document.createElement(tag);
    c.textContent = text;
    if (scope) c.setAttribute("scope", scope);
    row.appendChild(c);
  }

  function table(data) {
    var t = document.createElement("table");
    t.setAttribute("data-testid", "scaling-table");
    var caption = document.createElement("caption");
    caption.textContent =
      "Your latest sweep: N = " + data.n + ", " + data.cores + " cores, median of " +
      data.repeats + " runs, sequential baseline " + formatSeconds(data.sequential_seconds) +
      ". The best T of each strategy is marked.";
    t.appendChild(caption);
    var head = document.createElement("tr");
    ["strategy", "T", "time", "speed-up", "efficiency", "best"].forEach(function (h) {
      cell(head, "th", h, "col");
    });
    t.appendChild(head);
    data.points.forEach(function (p) {
      var r = document.createElement("tr");
      cell(r, "th", p.strategy, "row");
      cell(r, "td", String(p.threads));
      cell(r, "td", formatSeconds(p.median_seconds));
      cell(r, "td", p.speedup.toFixed(2) + "x");
      cell(r, "td", (100 * p.efficiency).toFixed(0) + "%");
      cell(r, "td", p.best ? "best" : "");
      t.appendChild(r);
    });
    return t;
  }

  function show(box, data, stamp) {
    while (box.firstChild) box.removeChild(box.firstChild);
    var intro = document.createElement("p");
    var when = data.unix_time ? new Date(data.unix_time * 1000).toLocaleString() : "recently";
    intro.textContent =
      "Measured on your machine (" + when + ") with: cargo run --release --example scaling -- " +
      (data.command || "") + ". It replaces the reference machine's run, which the book " +
      "shows when it is read without `cargo workbook` or before your first sweep.";
    box.appendChild(intro);
    var img = document.createElement("img");
    img.src = "/__workbook/scaling.svg?t=" + stamp;
    img.alt = "Speed-up against the number of threads for every strategy, from your latest sweep.";
    img.setAttribute("data-testid", "scaling-chart");
    box.appendChild(img);
    box.appendChild(table(data));
    box.setAttribute("data-source", "learner");
  }

  function start() {
    var box = document.getElementById("scaling-live");
    if (!box || !/^https?:$/.test(location.protocol) || !window.fetch) return;
    box.setAttribute("data-source", "reference");
    load(box);
    // A sweep run from this page (runs.js) may have written a new one.
    document.addEventListener("workbook-run-done", function (e) {
      if (e.detail && e.detail.name === "scaling" && e.detail.outcome === "exited" && e.detail.exitCode === 0) load(box);
    });
  }

  function load(box) {
    fetch("/__workbook/scaling.json", { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("no sweep");
        return response.json();
      })
      .then(function (data) {
        if (data && Array.isArray(data.points) && data.points.length) show(box, data, Date.now());
      })
      .catch(function () {
        /* no sweep yet, or no server: keep the reference run */
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
