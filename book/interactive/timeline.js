/* global workbook */
// "Your latest run": on a page with <figure data-timeline="NAME"> served by
// `cargo workbook`, ask the server for the learner's latest timeline of that
// example (/__workbook/timelines/NAME.svg, which `--timeline NAME` writes to
// target/timelines/NAME.svg) and, if there is one, show it in place of the
// reference run. The server answers 204 while there is none; a static copy
// of the book has no server. Either way the reference run stays. After an
// example run from the page ends (run-panel.js says so), it asks again: a
// `--timeline NAME` run shows at once, without a reload.
(() => {
  "use strict";

  /**
   * The chart's own <title> and <desc> (the renderer writes both), which
   * become the image's text alternative: it describes the learner's run.
   * @param {string} svgText
   * @returns {string | null} null if it is not an SVG
   */
  function describe(svgText) {
    const root = new DOMParser().parseFromString(svgText, "image/svg+xml").documentElement;
    if (!root || root.nodeName !== "svg") {
      return null;
    }
    const title = root.querySelector("title");
    const desc = root.querySelector("desc");
    return [title && title.textContent, desc && desc.textContent].filter(Boolean).join(". ");
  }

  /** @param {HTMLElement} figure @param {HTMLImageElement} img @param {string} name @param {string} svgText */
  function show(figure, img, name, svgText) {
    const words = describe(svgText);
    if (words === null) {
      return; // not an SVG: keep the reference
    }
    if (img.src.startsWith("blob:")) {
      URL.revokeObjectURL(img.src); // the learner's previous run
    }
    img.src = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
    img.alt = words || `Timeline of your latest run of ${name}.`;
    const caption = figure.querySelector("figcaption") || figure.appendChild(document.createElement("figcaption"));
    caption.textContent =
      `Your latest run, from target/timelines/${name}.svg (recorded with --timeline ${name}). ` +
      "It replaces the reference run, whose command and report are below.";
    figure.setAttribute("data-source", "learner");
  }

  /** Asks for the learner's latest timeline of `figure`'s example. @param {HTMLElement} figure */
  function load(figure) {
    const name = figure.getAttribute("data-timeline");
    const img = figure.querySelector("img");
    if (!img || !/^[a-z0-9][a-z0-9-]*$/.test(name || "")) {
      return;
    }
    if (!figure.hasAttribute("data-source")) {
      figure.setAttribute("data-source", "reference");
    }
    workbook
      .send(`/__workbook/timelines/${name}.svg`)
      .then((response) => (response.status === 200 ? response.text() : null))
      .then((text) => {
        if (text !== null && text !== figure.dataset.shown) {
          figure.dataset.shown = text;
          show(figure, img, name, text);
        }
      })
      .catch(() => {
        // No server any more: keep what the figure shows.
      });
  }

  workbook.onReady(() => {
    if (!workbook.served() || !window.DOMParser) {
      return;
    }
    const figures = () => /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("figure[data-timeline]"));
    figures().forEach(load);
    // A run from this page may have written a timeline (`--timeline NAME`
    // in its flags, which the page does not read): ask again for each.
    document.addEventListener("workbook-run-done", (e) => {
      const d = /** @type {CustomEvent} */ (e).detail;
      if (d && d.kind === "example" && d.outcome === "exited") {
        figures().forEach(load);
      }
    });
  });
})();
