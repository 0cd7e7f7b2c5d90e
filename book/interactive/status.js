// The exercise status badge. On a page with
//   <div class="exercise-status" data-exercise="01_chunks"></div>
// asks the workbook server (`cargo workbook serve`) for the learner's progress
// at /__workbook/status.json and shows "passed", "failed" or "not started".
// Anywhere else (a static copy of the book, a file:// URL, an old server) the
// request fails or answers nonsense, and the badge stays empty and hidden.
// The badge follows the progress while the page is open: it asks again on the
// server's `progress` notice (a check from a page or a terminal; the server's
// event stream is `window.workbookEvents`) and on a `workbook:progress` event
// from another script of the page (exercise.js, after a check or a reset).
//
// Accepted shapes of status.json, per exercise:
//   {"exercises": {"01_chunks": "passed"}}
//   {"exercises": {"01_chunks": {"status": "failed", ...}}}
//   {"exercises": {"01_chunks": {"passed": true, ...}}}
(function () {
  "use strict";

  var LABELS = {
    passed: { symbol: "✓", text: "Exercise status: passed" },
    failed: { symbol: "✗", text: "Exercise status: failed (run the check again after fixing it)" },
    "not-started": { symbol: "", text: "Exercise status: not started" },
  };

  function statusOf(entry) {
    if (entry === undefined || entry === null) return "not-started";
    if (typeof entry === "string") return normalise(entry);
    if (typeof entry === "object") {
      if (typeof entry.status === "string") return normalise(entry.status);
      if (entry.passed === true) return "passed";
      if (entry.passed === false) return "failed";
    }
    return "not-started";
  }

  function normalise(word) {
    var w = word.toLowerCase().replace(/[\s_]+/g, "-");
    if (w === "passed" || w === "pass" || w === "done" || w === "solved") return "passed";
    if (w === "failed" || w === "fail" || w === "failing") return "failed";
    return "not-started";
  }

  function show(el, status) {
    var label = LABELS[status];
    while (el.firstChild) el.removeChild(el.firstChild);
    if (label.symbol) {
      var symbol = document.createElement("span");
      symbol.setAttribute("aria-hidden", "true");
      symbol.textContent = label.symbol + " ";
      el.appendChild(symbol);
    }
    el.appendChild(document.createTextNode(label.text));
    el.setAttribute("data-status", status);
  }

  function refresh() {
    var badges = document.querySelectorAll(".exercise-status[data-exercise]");
    if (!badges.length || !/^https?:$/.test(location.protocol) || !window.fetch) return;
    fetch("/__workbook/status.json", { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("no status");
        return response.json();
      })
      .then(function (data) {
        if (!data || typeof data !== "object" || typeof data.exercises !== "object" || data.exercises === null) return;
        Array.prototype.forEach.call(badges, function (el) {
          show(el, statusOf(data.exercises[el.getAttribute("data-exercise")]));
        });
      })
      .catch(function () {
        // No workbook server: show nothing.
      });
  }

  function start() {
    if (!document.querySelector(".exercise-status[data-exercise]")) return;
    refresh();
    document.addEventListener("workbook:progress", refresh);
    var events = window.workbookEvents;
    if (events && events.addEventListener) {
      events.addEventListener("notice", function (e) {
        try {
          if (JSON.parse(e.data).kind === "progress") refresh();
        } catch (_) {
          // Not a notice this script knows.
        }
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
