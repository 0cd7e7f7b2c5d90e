// "Your latest run": on a page with <figure data-timeline="NAME">, ask the
// workbook server for the learner's latest timeline of that example
// (/__workbook/timelines/NAME.svg, which `--timeline NAME` writes to
// target/timelines/NAME.svg) and, if there is one, show it in place of the
// reference run. The server answers 204 while there is none; a static copy
// of the book has no server. Either way the reference run stays.
(function () {
  "use strict";

  // The chart's own <title> and <desc> (the renderer writes both) become the
  // image's text alternative: it describes the learner's run, not ours.
  function describe(svgText) {
    try {
      var doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
      var root = doc.documentElement;
      if (!root || root.nodeName !== "svg") return null;
      var title = root.querySelector("title");
      var desc = root.querySelector("desc");
      return [title && title.textContent, desc && desc.textContent].filter(Boolean).join(". ");
    } catch (e) {
      return null;
    }
  }

  function show(figure, img, name, svgText) {
    var words = describe(svgText);
    if (words === null) return; // not an SVG: keep the reference
    img.src = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
    img.alt = words || "Timeline of your latest run of " + name + ".";
    var caption = figure.querySelector("figcaption");
    if (!caption) {
      caption = document.createElement("figcaption");
      figure.appendChild(caption);
    }
    caption.textContent =
      "Your latest run, from target/timelines/" + name + ".svg (recorded with --timeline " +
      name + "). It replaces the reference run, whose command and report are below.";
    figure.setAttribute("data-source", "learner");
  }

  function start() {
    if (!/^https?:$/.test(location.protocol) || !window.fetch || !window.DOMParser) return;
    var figures = document.querySelectorAll("figure[data-timeline]");
    Array.prototype.forEach.call(figures, function (figure) {
      var name = figure.getAttribute("data-timeline");
      var img = figure.querySelector("img");
      if (!img || !/^[a-z0-9][a-z0-9-]*$/.test(name || "")) return;
      figure.setAttribute("data-source", "reference");
      fetch("/__workbook/timelines/" + name + ".svg", { cache: "no-store" })
        .then(function (response) {
          if (response.status !== 200) throw new Error("no timeline yet");
          return response.text();
        })
        .then(function (text) {
          show(figure, img, name, text);
        })
        .catch(function () {
          /* none yet, or no server: keep the reference run */
        });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
