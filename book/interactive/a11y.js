/* global workbook */
// Small accessibility repairs to mdBook's own page chrome, found by axe-core
// (tests/browser). Each is harmless where mdBook has already fixed it.
(() => {
  "use strict";

  // The sidebar toggle is a <label> for a hidden checkbox: not reachable with
  // the keyboard, and its aria-expanded / aria-label are not allowed on a
  // label. Make it a real button for assistive technology and the keyboard.
  function sidebarToggle() {
    const toggle = document.getElementById("mdbook-sidebar-toggle");
    if (!toggle || toggle.tagName !== "LABEL") {
      return;
    }
    toggle.setAttribute("role", "button");
    toggle.setAttribute("tabindex", "0");
    toggle.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        toggle.click();
      }
    });
  }

  // A code block wider than the page scrolls sideways; a keyboard user can
  // only scroll it if it can take focus.
  function scrollableCode() {
    for (const code of document.querySelectorAll("main pre > code")) {
      if (code.scrollWidth > code.clientWidth && !code.hasAttribute("tabindex")) {
        code.setAttribute("tabindex", "0");
      }
    }
  }

  // mdBook's sidebar puts some seventy links before a chapter's content:
  // the first Tab offers a link past them (visible once focused).
  function skipLink() {
    const main = document.querySelector("main");
    if (!main || document.querySelector(".wb-skip-link")) {
      return;
    }
    main.id = main.id || "wb-content";
    main.setAttribute("tabindex", "-1"); // the link's target takes the focus
    const link = workbook.el("a", {
      class: "wb-skip-link",
      href: `#${main.id}`,
      "data-testid": "skip-link",
      text: "Skip to the content",
    });
    link.addEventListener("click", (e) => {
      e.preventDefault();
      main.focus();
      main.scrollIntoView();
    });
    document.body.prepend(link);
  }

  workbook.onReady(() => {
    skipLink();
    sidebarToggle();
    scrollableCode();
  });
})();
