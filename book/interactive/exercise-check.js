/* global workbook, workbookExerciseWords */
/* exported workbookExerciseCheck */
// The exercise page's Check: a run like any other (runs.js's Runner reads
// its stream, Stop ends it), shown as the check's result under the editor
// instead of a run panel: a verdict line (announced), the tests that failed
// and why, the compiler's errors with a button to each line, notes, and the
// check's whole output folded away. Exactly what `cargo workbook check NAME`
// runs (workbook/src/serve/exercise.rs).

const workbookExerciseCheck = (() => {
  "use strict";

  const { el, setRich } = workbook;
  const W = workbookExerciseWords;

  // The most of a check's output the page keeps (its end); the verdict and
  // the failures come separately, whole.
  const LOG_LIMIT = 200000;

  /**
   * The parts of the page a check shows in (exercise.js makes them).
   * @typedef {object} CheckParts
   * @property {string} name  the exercise
   * @property {HTMLElement} result  the whole result, which carries data-outcome
   * @property {HTMLElement} verdict
   * @property {HTMLElement} body  failures, compile errors, notes
   * @property {HTMLDetailsElement} log
   * @property {HTMLElement} logText
   * @property {HTMLElement} logSummary
   * @property {HTMLElement} stopButton
   * @property {Editor} editor
   */

  /** @implements {RunView} */
  class CheckView {
    /**
     * @param {CheckParts} parts
     * @param {(done: Done) => void} onDone  the check has a verdict
     */
    constructor(parts, onDone) {
      this.parts = parts;
      this.onDone = onDone;
      this.reset();
    }

    reset() {
      /** @type {CompileErrorEvent[]} */
      this.compileErrors = [];
      this.testLines = 0;
      this.queuedAt = 0;
      this.startedAt = performance.now();
      this.stopped = false;
    }

    /** @param {Outcome | "running" | "queued" | "stopped"} outcome @param {string} text */
    show(outcome, text) {
      const { result, verdict } = this.parts;
      result.hidden = false;
      setRich(verdict, text);
      result.setAttribute("data-outcome", outcome);
    }

    clear() {
      const { result, body, log, logText, editor, name } = this.parts;
      this.reset();
      result.hidden = false;
      result.removeAttribute("data-wall-s");
      result.removeAttribute("data-queued-s");
      workbook.clear(body);
      logText.textContent = "";
      log.hidden = true;
      log.open = false;
      editor.markErrors([]);
      this.show("running", `Checking ${name}…`);
    }

    stopping() {
      this.stopped = true;
      this.parts.stopButton.setAttribute("aria-disabled", "true");
      this.show("running", "Stopping the check…");
    }

    /** @param {number} ahead */
    waiting(ahead) {
      this.queuedAt = this.queuedAt || performance.now();
      this.show("queued", W.waitingWords(ahead));
    }

    started() {
      if (this.queuedAt) {
        this.parts.result.setAttribute("data-queued-s", ((performance.now() - this.queuedAt) / 1000).toFixed(2));
      }
      this.show("running", `Checking ${this.parts.name}…`);
    }

    /** @param {Phase} phase */
    phase(phase) {
      if (phase === "compiling") {
        this.show("running", "Compiling the check (the first check after a change takes longest)…");
      }
    }

    /** @param {OutputStream} stream @param {string} text */
    output(stream, text) {
      // The first line of the tests themselves (cargo's come first).
      if (stream !== "build") {
        if (this.testLines === 0 && !this.stopped) {
          this.show("running", "Running the check's tests…");
        }
        this.testLines += 1;
      }
      const { log, logText } = this.parts;
      let now = logText.textContent + text;
      if (now.length > LOG_LIMIT) {
        now = `[… the start is cut: only the end is shown here]\n${now.slice(now.length - LOG_LIMIT)}`;
      }
      logText.textContent = now;
      log.hidden = false;
    }

    /** @param {CompileErrorEvent} event */
    compileError(event) {
      this.compileErrors.push(event);
    }

    report() {
      // A check's tests report nothing on the side channel.
    }

    /** @param {Done} done */
    done(done) {
      const { result, body, logSummary } = this.parts;
      this.show(done.outcome, W.verdictWords(done));
      result.setAttribute("data-wall-s", String(done.wall_s));
      result.setAttribute("data-page-s", ((performance.now() - this.startedAt) / 1000).toFixed(2));
      const failures = (done.detail && done.detail.failures) || [];
      if (failures.length) {
        body.appendChild(
          el("p", {
            text: failures.length === 1 ? "The check that failed, and why:" : "The checks that failed, and why:",
          }),
        );
        const items = failures.map((f) =>
          el("li", {}, [
            el("code", { text: f.test }),
            el("pre", {
              class: "exercise-failure-message",
              tabindex: "0",
              "aria-label": `Why ${f.test} failed`,
              text: f.message,
            }),
          ]),
        );
        body.appendChild(el("ul", { class: "exercise-failures", "data-testid": "exercise-failures" }, items));
      }
      if (this.compileErrors.length) {
        this.showCompileErrors();
      }
      for (const text of W.checkNotes(done)) {
        body.appendChild(el("p", { class: "exercise-note", text }));
      }
      logSummary.textContent = `Output of the check${typeof done.wall_s === "number" ? ` (${done.wall_s.toFixed(1)} s)` : ""}`;
      this.onDone(done);
    }

    /** The compiler's errors, each with a button to its line in the editor. */
    showCompileErrors() {
      const { body, editor, name } = this.parts;
      const errors = this.compileErrors;
      const marks = [];
      body.appendChild(
        el("p", { text: errors.length === 1 ? "The compiler's error:" : `The compiler's ${errors.length} errors:` }),
      );
      const items = errors.map((error) => {
        const item = el("li", {}, [
          el("pre", { tabindex: "0", "aria-label": `Compiler error ${error.code || ""}`, text: error.rendered }),
        ]);
        for (const place of workbook.errorPlaces(error.rendered, `${name}.rs`).slice(0, 1)) {
          marks.push({ line: place.line, column: place.column, text: error.rendered.split("\n")[0] });
          const go = el("button", {
            type: "button",
            class: "exercise-button exercise-goto",
            "data-testid": "exercise-goto-line",
            text: `Go to line ${place.line}`,
          });
          go.addEventListener("click", () => editor.goTo(place.line, place.column));
          item.appendChild(go);
        }
        return item;
      });
      body.appendChild(el("ol", { class: "exercise-compile-errors", "data-testid": "exercise-compile-errors" }, items));
      editor.markErrors(marks);
    }

    /** @param {Problem} problem @param {string} [detail] @param {number} [status] */
    problem(problem, detail, status) {
      if (problem === "cancelled") {
        this.show("stopped", "Stopped before it started: nothing was checked, and nothing recorded.");
      } else if (problem === "refused") {
        this.show("error", `The check did not start: ${W.failure({ status, body: { error: detail } })}`);
      } else if (problem === "broken-off") {
        this.show("error", `The check's answer broke off before its verdict: ${W.NO_SERVER}`);
      } else {
        this.show("error", `The check did not finish: ${detail || W.NO_SERVER}`);
      }
    }

    finished() {
      // The page puts its buttons back (exercise.js, check).
    }
  }

  return { CheckView };
})();
