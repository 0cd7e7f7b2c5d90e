/* global workbook */
/* exported workbookExerciseLayout */
// The exercise page's elements (exercise.js gives them their behaviour):
// the learner's file under a heading, with what the keyboard does; the
// notice that the file changed on disk, above the editor; the editor; where
// the caret is and whether the text is saved; the buttons (Save, Check,
// Stop, Hint, Solution, Reset); Reset's question; the page's messages; the
// text kept aside after a load or a reset; the check's result; the hint and
// the solution. Every element the browser tests look for has a data-testid.

const workbookExerciseLayout = (() => {
  "use strict";

  const { el } = workbook;

  /** A button of the exercise page. @param {string} text @param {string} [testid] @param {Record<string, any>} [attrs] */
  const button = (text, testid, attrs = {}) =>
    el("button", { type: "button", class: "exercise-button", "data-testid": testid, text, ...attrs });

  /** The heading, what the page does, and what the keyboard does. @param {ExerciseFile} loaded @param {Record<string, string>} ids */
  function header(loaded, ids) {
    const code = (text) => el("code", { text });
    return [
      el("h2", { id: ids.heading, class: "exercise-file-heading" }, ["Your file: ", code(loaded.file)]),
      el("p", {}, [
        "This is your file as it is on disk now. Edit it here or in your own editor; the page and the file keep in step. ",
        el("strong", { text: "Save" }),
        " writes it, and keeps its previous version as a backup. ",
        el("strong", { text: "Check" }),
        " saves, then runs exactly what ",
        code(`cargo workbook check ${loaded.name}`),
        " runs in a terminal.",
      ]),
      el("p", {
        id: ids.keys,
        class: "exercise-keys",
        text: "Keyboard: in the editor, Tab indents. To leave the editor, press Esc, then Tab (or Shift+Tab). Ctrl+S saves.",
      }),
    ];
  }

  /** The buttons under the editor. @param {string} file @param {Record<string, string>} ids */
  function actions(file, ids) {
    const b = {
      save: button("Save", "exercise-save"),
      check: button("Check", "exercise-check"),
      // Shown only while a check runs, so that it is never a dead stop for the Tab key.
      stop: button("Stop", "exercise-stop", { hidden: true }),
      hint: button("Hint", "exercise-hint", { "aria-expanded": "false", "aria-controls": ids.hint }),
      solution: button("Solution", "exercise-solution", { "aria-controls": ids.solution, "aria-expanded": "false" }),
      reset: button("Reset…", "exercise-reset"),
    };
    const note = el("span", {
      id: ids.solutionNote,
      class: "exercise-solution-note",
      "data-testid": "exercise-solution-note",
    });
    const bar = el("div", { class: "exercise-actions", role: "group", "aria-label": `Work on ${file}` }, [
      ...Object.values(b),
      note,
    ]);
    return { buttons: b, solutionNote: note, bar };
  }

  /** The notice that the file changed on disk, with its two ways out. */
  function conflict() {
    const text = el("p", { "data-testid": "exercise-conflict-text" });
    const load = button("Load the version on disk", "exercise-load-disk");
    const overwrite = button("Save the page's version over it", "exercise-overwrite");
    const title = el("p", { class: "exercise-conflict-title", "data-testid": "exercise-conflict-title" }, [
      el("span", { "aria-hidden": "true", text: "⚠ " }),
      "Changed on disk",
    ]);
    const body = el("div", { hidden: true }, [
      title,
      text,
      el("div", { class: "exercise-actions" }, [load, overwrite]),
    ]);
    const box = el("div", { class: "exercise-conflict", role: "alert", "data-testid": "exercise-conflict" }, [body]);
    return { box, body, text, load, overwrite };
  }

  /** The learner's earlier text, kept aside (not saved anywhere) to copy or put back. */
  function kept() {
    const area = el("textarea", {
      class: "exercise-kept-text",
      readonly: true,
      rows: "8",
      wrap: "off",
      spellcheck: "false",
      "aria-label": "Your earlier text from the page (not saved)",
      "data-testid": "exercise-kept-text",
    });
    const why = el("p");
    const restore = button("Put it back in the editor");
    const dismiss = button("Dismiss");
    const box = el("div", { class: "exercise-kept", hidden: true, "data-testid": "exercise-kept" }, [
      why,
      area,
      el("div", { class: "exercise-actions" }, [restore, dismiss]),
    ]);
    return { box, why, area, restore, dismiss };
  }

  /** Reset's question. @param {string} file */
  function resetQuestion(file) {
    const confirm = button("Reset the file", "exercise-reset-confirm");
    const cancel = button("Keep my file", "exercise-reset-cancel");
    const text = el("p");
    const box = el(
      "div",
      {
        class: "exercise-confirm",
        hidden: true,
        role: "group",
        "aria-label": `Reset ${file}?`,
        "data-testid": "exercise-reset-box",
      },
      [text, el("div", { class: "exercise-actions" }, [confirm, cancel])],
    );
    return { box, text, confirm, cancel };
  }

  /** The check's result. @param {Record<string, string>} ids */
  function result(ids) {
    const verdict = el("p", { class: "exercise-verdict", "aria-live": "polite", "data-testid": "exercise-verdict" });
    const body = el("div", { "data-testid": "exercise-result-body" });
    const logText = el("pre", { class: "exercise-log", tabindex: "0", "aria-label": "Output of the check" });
    const logSummary = el("summary", { text: "Output of the check" });
    const log = el("details", { class: "exercise-log-box", hidden: true, "data-testid": "exercise-log" }, [
      logSummary,
      logText,
    ]);
    const box = el(
      "div",
      { id: ids.result, class: "exercise-result", hidden: true, "data-testid": "exercise-result" },
      [el("h3", { text: "Result of the check" }), verdict, body, log],
    );
    return { box, verdict, body, log, logText, logSummary };
  }

  /** What this machine lacks to run the check, said at the top. @param {string} missing */
  function missingNote(missing) {
    const words = el("span");
    workbook.setRich(words, missing);
    return el("p", { class: "exercise-missing", "data-testid": "exercise-missing" }, [
      el("strong", { text: "On this machine the check is skipped: " }),
      words,
    ]);
  }

  /**
   * Every element of the exercise page, in a section not yet on the page.
   * @param {ExerciseFile} loaded
   */
  function build(loaded) {
    const name = loaded.name;
    const ids = {
      heading: `exercise-file-${name}`,
      keys: `exercise-keys-${name}`,
      hint: `exercise-hint-${name}`,
      solution: `exercise-solution-${name}`,
      solutionNote: `exercise-solution-note-${name}`,
      result: `exercise-result-${name}`,
    };
    const parts = {
      ids,
      editorHost: el("div", { class: "exercise-editor" }),
      where: el("p", { class: "exercise-where", "data-testid": "exercise-where" }),
      message: el("p", { class: "exercise-message", role: "status", "data-testid": "exercise-message" }),
      actions: actions(loaded.file, ids),
      conflict: conflict(),
      kept: kept(),
      reset: resetQuestion(loaded.file),
      result: result(ids),
      hintBox: el("div", { id: ids.hint, class: "exercise-panel", hidden: true, "data-testid": "exercise-hint-box" }),
      solutionBox: el("div", {
        id: ids.solution,
        class: "exercise-panel",
        hidden: true,
        "data-testid": "exercise-solution-box",
      }),
    };
    const section = el(
      "section",
      { class: "exercise-workspace", "aria-labelledby": ids.heading, "data-testid": "exercise-workspace" },
      header(loaded, ids),
    );
    if (loaded.missing) {
      section.appendChild(missingNote(loaded.missing));
    }
    // The notice that the file changed on disk goes above the editor, where
    // it is seen; the controls and what they answer below it.
    section.append(
      parts.conflict.box,
      parts.editorHost,
      parts.where,
      parts.actions.bar,
      parts.reset.box,
      parts.message,
      parts.kept.box,
      parts.result.box,
      parts.hintBox,
      parts.solutionBox,
    );
    return { section, ...parts };
  }

  /**
   * The book's listing of the file's first lines (and the sentence that
   * introduces it), which the editor replaces.
   * @param {Element} badge @param {string} file
   * @returns {{pre: HTMLElement, intro: HTMLElement | null} | null}
   */
  function findListing(badge, file) {
    const main = badge.closest("main") || document.body;
    for (const pre of main.querySelectorAll("pre")) {
      if (!(badge.compareDocumentPosition(pre) & Node.DOCUMENT_POSITION_FOLLOWING)) {
        continue;
      }
      const inner = pre.querySelector("code.language-rust");
      if (!inner || !inner.textContent.startsWith("//! # ")) {
        continue;
      }
      const intro = pre.previousElementSibling;
      const names = intro && intro.tagName === "P" ? [...intro.querySelectorAll("code")] : [];
      const introduces = names.some((c) => c.textContent.trim() === file);
      return { pre: /** @type {HTMLElement} */ (pre), intro: introduces ? /** @type {HTMLElement} */ (intro) : null };
    }
    return null;
  }

  /** Puts the section in place of the listing, or under the badge. @param {Element} badge @param {string} file @param {HTMLElement} section */
  function place(badge, file, section) {
    const listing = findListing(badge, file);
    if (listing) {
      listing.pre.before(section);
      listing.pre.hidden = true;
      if (listing.intro) {
        listing.intro.hidden = true;
      }
    } else {
      (badge.nextElementSibling || badge).after(section);
    }
  }

  return { build, place };
})();
