/* global workbook, workbookRuns, workbookReportTable */
/* exported workbookRunPanel */
// The panel under a code block that shows one run (the RunView of
// runs.js for snippets.js and commands.js): a bar of controls, a status line
// announced to screen readers, then one slot per kind of thing a run shows,
// always in this order: cargo's output (folded), compile errors, stdout,
// stderr, the reports as a table (laid out by report-table.js), and how the
// run ended.

const workbookRunPanel = (() => {
  "use strict";

  const { el, sentence } = workbook;
  const { doneWords, phaseWords, waitingWords } = workbookRuns;

  const STREAM_LABELS = {
    stdout: "Standard output (stdout)",
    stderr: "Standard error (stderr)",
  };

  /** @type {Record<Problem, (detail: string, status?: number) => string>} */
  const PROBLEMS = {
    refused: (detail, status) =>
      status === 401 ? sentence(workbook.NOT_SIGNED_IN) : `The server refused the run (HTTP ${status}): ${detail}`,
    unreachable: () =>
      "Cannot reach the workbook server: is `cargo workbook` still running? (Start it again, then reload this page.)",
    "broken-off": () => "The run ended without a result: was `cargo workbook` stopped?",
    cancelled: () => "Cancelled before it started.",
    invalid: (detail) => detail,
  };

  /** @implements {RunView} */
  class Panel {
    /**
     * @param {{kind: "snippet" | "example", label: string, name?: string, yourMachine?: boolean}} options
     *   label: the group's accessible name; name: what runs; yourMachine: the
     *   block shows the book's own output, so this run is said to be the learner's
     */
    constructor(options) {
      this.kind = options.kind;
      this.yourMachine = Boolean(options.yourMachine);
      this.root = el("div", {
        class: "wb-run",
        role: "group",
        "aria-label": options.label,
        "data-testid": "run-panel",
        "data-kind": options.kind,
        "data-state": "idle",
        "data-name": options.name,
        "data-under-output": this.yourMachine ? "true" : null,
      });
      this.bar = this.root.appendChild(el("div", { class: "wb-run-bar" }));
      this.status = this.root.appendChild(
        el("p", { class: "wb-run-status", role: "status", "aria-live": "polite", "data-testid": "run-status" }),
      );
      this.result = this.root.appendChild(
        el("div", { class: "wb-run-result", "data-testid": "run-result", hidden: true }),
      );
      this.empty();
      this.setState("idle");
    }

    /** @param {"idle" | "starting" | "waiting" | "running" | "done"} state */
    setState(state) {
      this.root.setAttribute("data-state", state);
    }

    /** @param {string} words */
    say(words) {
      workbook.setRich(this.status, words); // `code` in the words shows as code
    }

    stopping() {
      this.say("Stopping…");
    }

    /** A new run starts. */
    clear() {
      this.empty();
      this.setState("starting");
      this.say("Starting…");
    }

    /** The run has ended, however: the panel can start another. */
    finished() {
      this.setState("done");
    }

    /** Empties the result area: a slot per kind of thing a run shows. */
    empty() {
      workbook.clear(this.result);
      this.result.hidden = true;
      if (this.yourMachine) {
        this.result.appendChild(
          el("p", { class: "wb-run-heading", text: "Your machine (the output above is the book's reference run):" }),
        );
      }
      /** @type {Record<string, HTMLElement>} */
      this.slots = {};
      for (const name of ["build", "errors", "stdout", "stderr", "table", "done"]) {
        this.slots[name] = this.result.appendChild(el("div", { class: "wb-run-slot" }));
      }
      /** @type {Record<string, HTMLElement>} */
      this.streams = {};
      this.build = null;
      /** @type {ExampleReport[]} */
      this.reports = [];
      this.tableBox = null;
      if (this.tableFrame) {
        cancelAnimationFrame(this.tableFrame);
      }
      this.tableFrame = null;
      if (this.frame) {
        cancelAnimationFrame(this.frame);
      }
      this.frame = null;
      /** @type {Record<string, string>} */
      this.unshown = {};
      for (const a of [
        "data-outcome",
        "data-exit-code",
        "data-cached",
        "data-compile-s",
        "data-run-s",
        "data-wall-s",
      ]) {
        this.root.removeAttribute(a);
      }
    }

    /** @param {string} slot @param {HTMLElement} node */
    show(slot, node) {
      this.slots[slot].appendChild(node);
      this.result.hidden = false;
      return node;
    }

    /** @param {number} ahead */
    waiting(ahead) {
      this.setState("waiting");
      this.say(waitingWords(ahead, this.kind));
    }

    started() {
      this.setState("running");
    }

    /** @param {Phase} phase */
    phase(phase) {
      this.say(phaseWords(phase, this.kind));
    }

    /** The box for one of the program's streams, made when it first prints. @param {"stdout" | "stderr"} name */
    stream(name) {
      if (!this.streams[name]) {
        const id = workbook.uniqueId(name);
        // Focusable: a long output scrolls, and the keyboard must reach it.
        const pre = el("pre", { tabindex: "0", "aria-labelledby": id, "data-testid": `run-${name}` });
        this.show(
          name,
          el("div", { class: `wb-run-stream wb-run-${name}` }, [
            el("p", { class: "wb-run-label", id, text: STREAM_LABELS[name] }),
            pre,
          ]),
        );
        this.streams[name] = pre;
      }
      return this.streams[name];
    }

    /** cargo's own lines (building, warnings): folded away, open on request. */
    buildOutput() {
      if (!this.build) {
        const summary = this.kind === "snippet" ? "Compiler output (warnings)" : "Build output (cargo)";
        this.build = el("pre", { tabindex: "0", "aria-label": "Build output" });
        this.show(
          "build",
          el("details", { class: "wb-run-build", "data-testid": "run-build" }, [
            el("summary", { text: summary }),
            this.build,
          ]),
        );
      }
      return this.build;
    }

    /** Output is drawn once per frame, not once per piece: a program that
     * floods stdout sends thousands of pieces a second.
     * @param {OutputStream} stream @param {string} text */
    output(stream, text) {
      this.unshown[stream] = (this.unshown[stream] || "") + text;
      if (!this.frame) {
        this.frame = requestAnimationFrame(() => this.flush());
      }
    }

    /** Draws the reports now, not at the next frame (the run has ended). */
    flushTable() {
      if (this.tableFrame) {
        cancelAnimationFrame(this.tableFrame);
        this.tableFrame = null;
        this.drawTable();
      }
    }

    flush() {
      if (this.frame) {
        cancelAnimationFrame(this.frame);
      }
      this.frame = null;
      const unshown = this.unshown;
      this.unshown = {};
      for (const [name, text] of Object.entries(unshown)) {
        if (name === "build") {
          this.buildOutput().appendChild(document.createTextNode(text));
        } else {
          const pre = this.stream(name === "stderr" ? "stderr" : "stdout");
          pre.appendChild(document.createTextNode(text));
          pre.scrollTop = pre.scrollHeight;
        }
      }
    }

    /** A report from the example's side channel: the table grows a row,
     * drawn once per frame (a sweep may send many at once). @param {ExampleReport} report */
    report(report) {
      this.reports.push(report);
      if (!this.tableFrame) {
        this.tableFrame = requestAnimationFrame(() => {
          this.tableFrame = null;
          this.drawTable();
        });
      }
    }

    /** The reports so far as one table, in a box that keeps its scroll:
     * at the bottom it follows new rows, elsewhere it stays where the
     * reader scrolled. */
    drawTable() {
      if (!this.tableBox) {
        this.tableBox = this.show("table", el("div", { class: "wb-run-reports" }));
      }
      const box = this.tableBox;
      const old = box.querySelector(".wb-run-table-wrap");
      const atBottom = !old || old.scrollTop + old.clientHeight >= old.scrollHeight - 4;
      const top = old ? old.scrollTop : 0;
      const focused = old !== null && old === document.activeElement;
      workbook.clear(box);
      const { caption, wrap } = reportTable(this.reports);
      box.append(caption, wrap);
      wrap.scrollTop = atBottom ? wrap.scrollHeight : top;
      if (focused) {
        wrap.focus();
      }
    }

    /** @param {CompileErrorEvent} event */
    compileError(event) {
      this.flush();
      const code = event.code ? `error[${event.code}]` : "an error";
      const label = el("p", { class: "wb-run-label" }, [
        el("span", { "aria-hidden": "true", text: "✗ " }),
        `The compiler refuses it with ${code}`,
      ]);
      if (event.code) {
        label.append(" (for the long explanation: ", el("code", { text: `rustc --explain ${event.code}` }), ")");
      }
      const pre = el("pre", { tabindex: "0", "aria-label": `The compiler's message, ${code}`, text: event.rendered });
      this.show(
        "errors",
        el("div", { class: "wb-run-compile-error", "data-testid": "run-compile-error" }, [label, pre]),
      );
    }

    /** The last line of a run: how it ended, and how long it took. @param {Done} d */
    done(d) {
      this.flush();
      this.flushTable();
      const w = doneWords(d, this.kind);
      const line = el("p", { class: "wb-run-done", "data-testid": "run-done", "data-ok": w.ok ? "true" : "false" }, [
        el("span", { "aria-hidden": "true", text: `${w.symbol} ` }),
        `${w.words} ${w.times}`,
      ]);
      if (w.timeoutFlag) {
        line.append(
          " To allow longer, start the server with ",
          el("code", { text: `cargo workbook ${w.timeoutFlag} SECONDS` }),
          ".",
        );
      }
      if (w.overLimit) {
        line.append(
          " To allow more, start the server with ",
          el("code", { text: "cargo workbook --max-memory SIZE" }),
          ", ",
          el("code", { text: "--max-processes N" }),
          " or ",
          el("code", { text: "--max-file-size SIZE" }),
          ".",
        );
      }
      if (w.cutShort) {
        line.append(" The output shown is cut short: the rest was not kept.");
      }
      this.show("done", line);
      this.say(w.words);
      this.mark(d);
      // For the page's other scripts (scaling.js shows a sweep just made).
      const detail = {
        kind: this.kind,
        name: this.root.getAttribute("data-name"),
        outcome: d.outcome,
        exitCode: d.exit_code,
      };
      document.dispatchEvent(new CustomEvent("workbook-run-done", { detail }));
    }

    /** The run's ending as attributes, for the tests. @param {Done} d */
    mark(d) {
      const r = this.root;
      r.setAttribute("data-outcome", d.outcome);
      if (d.exit_code !== null && d.exit_code !== undefined) {
        r.setAttribute("data-exit-code", String(d.exit_code));
      }
      r.setAttribute("data-cached", d.cached ? "true" : "false");
      r.setAttribute("data-compile-s", String(d.compile_s));
      r.setAttribute("data-run-s", String(d.run_s));
      r.setAttribute("data-wall-s", String(d.wall_s));
    }

    /** A run that did not get as far as an ending.
     * @param {Problem} problem @param {string} [detail] @param {number} [status] */
    problem(problem, detail, status) {
      const words = PROBLEMS[problem](detail || "", status);
      this.flush();
      this.flushTable();
      this.show(
        "done",
        el("p", { class: "wb-run-done", "data-testid": "run-done", "data-ok": "false" }, [
          el("span", { "aria-hidden": "true", text: "✗ " }),
          words,
        ]),
      );
      this.root.setAttribute("data-outcome", problem === "cancelled" ? "cancelled" : "refused");
      this.say(words);
    }
  }

  /**
   * The reports as a table (report-table.js lays it out): what every run
   * shares in a line above it, a row per run, the telling column first and
   * its marks (✗, said in words to a screen reader), a summary row, and a
   * box of capped height that scrolls (focusable: the keyboard reaches it).
   * @param {ExampleReport[]} reports
   */
  function reportTable(reports) {
    const t = workbookReportTable.layout(reports);
    const runs = reports.length === 1 ? "one run" : `${reports.length} runs`;
    const words = t.shared.length ? `Every run: ${t.shared.join(", ")}.` : "";
    const caption = el("p", { class: "wb-run-table-shared", "data-testid": "run-table-shared", text: words });
    const mark = (cell, column) =>
      cell.flagged
        ? [
            el("span", { "aria-hidden": "true", text: "✗ " }),
            cell.text,
            el("span", {
              class: "wb-run-sr",
              text: column.key === "lost_updates" ? " (lost updates)" : " (off the left sum)",
            }),
          ]
        : [cell.text];
    const body = t.rows.map((cells) =>
      el(
        "tr",
        { "data-testid": "run-table-row", "data-flagged": cells.some((c) => c.flagged) ? "true" : null },
        cells.map((cell, k) => {
          const column = t.columns[k];
          const attrs = {
            "data-key": column.key,
            "data-telling": column.telling ? "true" : null,
            "data-flagged": cell.flagged ? "true" : null,
          };
          return k === 0
            ? el("th", { scope: "row", ...attrs }, mark(cell, column))
            : el("td", attrs, mark(cell, column));
        }),
      ),
    );
    const parts = [
      el("caption", { text: `The reports, a row per run (${runs}). ${t.legend}` }),
      el("thead", {}, [
        el(
          "tr",
          {},
          t.columns.map((c) =>
            el("th", { scope: "col", "data-key": c.key, "data-telling": c.telling ? "true" : null, text: c.label }),
          ),
        ),
      ]),
      el("tbody", {}, body),
    ];
    if (t.summary) {
      parts.push(
        el("tfoot", {}, [
          el(
            "tr",
            { "data-testid": "run-table-summary" },
            t.summary.map((text, k) =>
              k === 0
                ? el("th", { scope: "row", text })
                : el("td", {
                    "data-key": t.columns[k].key,
                    "data-telling": t.columns[k].telling ? "true" : null,
                    text,
                  }),
            ),
          ),
        ]),
      );
    }
    const table = el("table", { class: "wb-run-table", "data-testid": "run-table" }, parts);
    const wrap = el(
      "div",
      { class: "wb-run-table-wrap", tabindex: "0", role: "region", "aria-label": "The reports as a table" },
      [table],
    );
    return { caption, wrap };
  }

  return { Panel };
})();
