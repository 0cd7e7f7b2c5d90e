/* global workbook */
/* exported workbookRuns */
// Runs from the page, for every script that starts one: snippets.js (the
// book's Rust programs), commands.js (`cargo run --example` command blocks)
// and the exercise page's Check (exercise-check.js).
//
// A run is a POST whose answer is a stream of JSON lines (RunEvent, in
// contract.js): queued, started, phase, output, compile_error, report,
// done. A Runner reads it and tells a view (RunView below) what happened;
// Stop ends the run (or, while it waits its turn, leaves the line). The
// Panel is the view under a code block: a status line (announced), the
// program's stdout and stderr in two labelled boxes, compile errors as rustc
// renders them, the reports as a table (report-table.js), and how the run
// ended. Nothing is
// sent to any other host; on a page that is not served (core.js, runnable)
// none of it appears.
//
// The words each event becomes are plain functions (doneWords, waitingWords,
// phaseWords), tested without a browser in tests/browser/unit/.

/** @typedef {"snippet" | "example" | "check"} RunKind */

/**
 * @typedef {object} DoneWords  how a run's last line reads
 * @property {boolean} ok  exited with 0
 * @property {string} symbol  ✓, ■ or ✗ (not read out: the words say it)
 * @property {string} words  how it ended
 * @property {string} times  how long it took
 * @property {string | null} timeoutFlag  the server's flag that allows longer
 * @property {boolean} overLimit  a limit of memory, processes or file size
 *   stopped it (the message says which; the server's flags allow more)
 * @property {boolean} cutShort  output was dropped
 */

/**
 * @typedef {"refused" | "unreachable" | "broken-off" | "cancelled" | "invalid"} Problem
 *   a run that got no `done`: the server refused it (HTTP), did not answer,
 *   its answer broke off, Stop came before it started, or the page could
 *   not ask (`detail` says why)
 */

/**
 * @typedef {object} RunView  what shows one run
 * @property {() => void} clear  a new run starts
 * @property {() => void} stopping  Stop was pressed
 * @property {(ahead: number) => void} waiting
 * @property {() => void} started
 * @property {(phase: Phase) => void} phase
 * @property {(stream: OutputStream, text: string) => void} output
 * @property {(event: CompileErrorEvent) => void} compileError
 * @property {(report: ExampleReport) => void} report
 * @property {(done: Done) => void} done
 * @property {(problem: Problem, detail?: string, status?: number) => void} problem
 * @property {() => void} finished  the run has ended, however (after done or problem)
 */

/**
 * @typedef {object} Ask  what a run asks the server
 * @property {string} path
 * @property {unknown} [body]
 * @property {string} [error]  nothing to ask: the page refuses it itself
 */

const workbookRuns = (() => {
  "use strict";

  const { el, formatSeconds, plural, sentence } = workbook;

  // ------------------------------------------------------------ words

  /** The status line while a run waits its turn. @param {number} ahead @param {RunKind} kind */
  function waitingWords(ahead, kind) {
    const first =
      kind === "snippet"
        ? " (Just after `cargo workbook` starts, the run ahead is the first build of the libraries programs here may use.)"
        : "";
    return `Waiting: ${plural(ahead, "run")} ahead of this one. The server runs one program at a time, so that timings do not disturb each other.${first}`;
  }

  const PHASES = {
    snippet: {
      preparing: "Preparing…",
      compiling: "Compiling it (release mode)…",
      cached: "Compiled before: running the same program again…",
      running: "Running…",
    },
    example: {
      preparing: "Preparing…",
      compiling: "Building the example (cargo build --release)…",
      cached: "Running…",
      running: "Running…",
    },
  };

  /** The status line for a phase. @param {Phase} phase @param {RunKind} kind */
  function phaseWords(phase, kind) {
    return (PHASES[kind] || PHASES.example)[phase] || `${phase}…`;
  }

  /** @param {Done} d @param {RunKind} kind @returns {DoneWords} */
  function doneWords(d, kind) {
    const ok = d.outcome === "exited" && d.exit_code === 0;
    let words;
    if (ok) {
      words = "Finished: exit code 0.";
    } else if (d.outcome === "exited") {
      words = `Ended: ${sentence(d.message)}`;
    } else if (d.outcome === "error") {
      words = `Could not run: ${sentence(d.message)}`;
    } else {
      words = sentence(d.message || d.outcome);
    }
    const times = [];
    if (d.cached) {
      times.push("not compiled again (the same code was compiled before)");
    } else if (d.outcome === "does_not_compile") {
      times.push(`the compiler took ${formatSeconds(d.compile_s)}`);
    } else if (d.compile_s > 0) {
      times.push(`${kind === "snippet" ? "compiled" : "built"} in ${formatSeconds(d.compile_s)}`);
    }
    if (d.run_s > 0 || d.outcome === "exited") {
      times.push(`ran for ${formatSeconds(d.run_s)}`);
    }
    times.push(`${formatSeconds(d.wall_s)} in all`);
    return {
      ok,
      symbol: ok ? "✓" : d.outcome === "stopped" ? "■" : "✗",
      words,
      times: sentence(times.join(", ")),
      timeoutFlag: d.outcome === "timed_out" ? (kind === "snippet" ? "--snippet-timeout" : "--example-timeout") : null,
      overLimit: d.outcome === "over_limit",
      cutShort: d.truncated && d.outcome !== "too_much_output",
    };
  }

  // ------------------------------------------------------------ a run

  /** One run at a time for a view: starts it, reads its stream, stops it. */
  class Runner {
    /**
     * @param {RunView} view
     * @param {(running: boolean) => void} [onChange]  a run starts or ends
     */
    constructor(view, onChange) {
      this.view = view;
      this.onChange = onChange || (() => {});
      /** @type {{controller: AbortController, id: number | null, stopping: boolean} | null} */
      this.active = null;
    }

    get running() {
      return this.active !== null;
    }

    /**
     * Runs what `ask` asks; resolves once the run has ended, however.
     * @param {Ask} ask
     */
    async start(ask) {
      if (this.active) {
        return;
      }
      const view = this.view;
      view.clear();
      if (ask.error) {
        view.problem("invalid", ask.error);
        view.finished();
        return;
      }
      const run = { controller: new AbortController(), id: null, stopping: false };
      this.active = run;
      this.onChange(true);
      try {
        const response = await workbook.send(ask.path, {
          method: "POST",
          json: ask.body,
          signal: run.controller.signal,
        });
        if (!response.ok) {
          view.problem("refused", (await response.text()).trim(), response.status);
        } else if (!(await workbook.readRun(response, (event) => this.event(event, run)))) {
          view.problem("broken-off");
        }
      } catch (e) {
        view.problem(e && e.name === "AbortError" ? "cancelled" : "unreachable");
      } finally {
        this.active = null;
        this.onChange(false);
        view.finished();
      }
    }

    /** @param {RunEvent} event @param {{id: number | null, stopping: boolean}} run */
    event(event, run) {
      const view = this.view;
      switch (event.event) {
        case "queued":
          view.waiting(event.ahead);
          break;
        case "started":
          run.id = event.run;
          view.started();
          if (run.stopping) {
            this.stop(true);
          }
          break;
        case "phase":
          if (!run.stopping) {
            view.phase(event.phase);
          }
          break;
        case "output":
          view.output(event.stream, event.text);
          break;
        case "compile_error":
          view.compileError(event);
          break;
        case "report":
          view.report(event.report);
          break;
        case "done":
          view.done(event);
          break;
      }
    }

    /** Stop: ends the run, or takes it out of the line. @param {boolean} [again] */
    stop(again) {
      const run = this.active;
      if (!run || (run.stopping && !again)) {
        return;
      }
      run.stopping = true;
      this.view.stopping();
      if (run.id === null) {
        run.controller.abort(); // still waiting: leaving the line is enough
        return;
      }
      workbook.send(workbook.API.stop, { method: "POST", json: { run: run.id } }).catch(() => {
        // The run's own stream says how it ended.
      });
    }
  }

  /**
   * Wires a Run and a Stop button to a runner: `ask()` says what to run.
   * The buttons are marked unavailable (aria-disabled, never disabled: a
   * button just pressed keeps the keyboard's focus) while they cannot act.
   * @param {Runner} runner
   * @param {HTMLElement} runButton
   * @param {HTMLElement} stopButton
   * @param {() => Ask} ask
   */
  function wire(runner, runButton, stopButton, ask) {
    const show = (running) => {
      workbook.setUnavailable(runButton, running);
      workbook.setUnavailable(stopButton, !running);
    };
    runner.onChange = show;
    show(false);
    runButton.addEventListener("click", () => runner.start(ask()));
    stopButton.addEventListener("click", () => runner.stop());
  }

  /** A button of a run panel. @param {string} label @param {string} testid @param {string} [extraClass] */
  function button(label, testid, extraClass) {
    return el("button", {
      type: "button",
      class: `wb-run-button ${extraClass || ""}`,
      "data-testid": testid,
      text: label,
    });
  }

  return { Runner, wire, button, waitingWords, phaseWords, doneWords };
})();
