/* global workbook */
// The exercise status badge. On a page with
//   <div class="exercise-status" data-exercise="01_chunks"></div>
// served by `cargo workbook`, shows the learner's progress: "passed",
// "failed" or "not started", and follows it while the page is open (a check
// from a page or a terminal, a reset: core.js, watchProgress). Anywhere
// else (a static copy of the book, a file:// URL) the badge stays empty and
// hidden.
(() => {
  "use strict";

  /** @type {Record<Status, {symbol: string, text: string}>} */
  const LABELS = {
    passed: { symbol: "✓", text: "Exercise status: passed" },
    failed: { symbol: "✗", text: "Exercise status: failed (run the check again after fixing it)" },
    "not-started": { symbol: "", text: "Exercise status: not started" },
  };

  /** @param {HTMLElement} badge @param {Status} status */
  function show(badge, status) {
    const label = LABELS[status];
    workbook.clear(badge);
    if (label.symbol) {
      badge.appendChild(workbook.el("span", { "aria-hidden": "true", text: `${label.symbol} ` }));
    }
    badge.append(label.text);
    badge.setAttribute("data-status", status);
  }

  workbook.onReady(() => {
    const badges = document.querySelectorAll(".exercise-status[data-exercise]");
    if (!badges.length) {
      return;
    }
    workbook.watchProgress((progress) => {
      for (const badge of badges) {
        show(/** @type {HTMLElement} */ (badge), workbook.statusOf(progress, badge.getAttribute("data-exercise")));
      }
    });
  });
})();
