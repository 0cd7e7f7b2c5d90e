/* global workbook, workbookScheduler, workbookSchedulerParts */
// "Be the scheduler": the widget of the book's scheduler puzzles. It draws
// a puzzle of scheduler-engine.js, steps a thread when the reader asks,
// replays a failing schedule ("Show me"), and shows the engine's check of
// every schedule. In a puzzle with atomics, the reader also chooses which
// value each load reads (a list of them beside each thread's step button),
// and the page draws every atomic's stores and what each load may read.
//
// A page places a puzzle with an empty element:
//
//   <div class="sched-mount" data-puzzle="withdraw"></div>
//   <div id="race-scheduler"></div>       (the older ids still work:
//   <div id="deadlock-scheduler"></div>    race and deadlock)
//
// Without JavaScript the element stays empty and the chapter reads as
// before. Plain DOM, nothing fetched: it works in a static copy of the book.
(() => {
  "use strict";

  const { el, clear, setRich, plural, listWords, setUnavailable } = workbook;
  const E = workbookScheduler;
  const { MAY_READ, slug, button, stateTable, storesRow, storeShort, mountsOf, threadState } = workbookSchedulerParts;

  const REPLAY_MS = 650;

  const reducedMotion = () => window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  /** One puzzle on the page: its elements, the state it plays, and its controls. */
  class Widget {
    /** @param {HTMLElement} root @param {any} puzzle @param {string} name  the name it is registered and mounted by */
    constructor(root, puzzle, name) {
      this.root = root;
      this.name = name;
      this.puzzle = puzzle;
      this.id = puzzle.id;
      /** @type {"broken" | "fixed"} */
      this.variantName = "broken";
      this.variant = puzzle.variants.broken;
      this.threads = E.threadNames(this.variant);
      this.replayTimer = null;
      this.makeParts();
      this.makeControls();
      this.widget = this.section();
      clear(root);
      root.appendChild(this.widget);
      this.buildVariant();
      this.reset();
    }

    /** The parts that show the state. */
    makeParts() {
      const { id, puzzle, threads } = this;
      this.anyLocks = Object.values(puzzle.variants).some((v) => (v.locks || []).length);
      this.status = el("p", {
        class: "sched-status",
        role: "status",
        "aria-live": "polite",
        "data-testid": `${id}-status`,
      });
      // The outcome, said once: here (a live region of its own), never
      // repeated in the status line, which says what the step did.
      this.verdict = el("p", {
        class: "sched-verdict",
        role: "status",
        "aria-live": "polite",
        "data-testid": `${id}-verdict`,
      });
      this.checkResult = el("p", {
        class: "sched-check-result",
        role: "status",
        "aria-live": "polite",
        "data-testid": `${id}-check-result`,
      });
      this.headline = puzzle.headline ? el("strong", { class: "sched-shared", "data-testid": `${id}-shared` }) : null;
      this.anyAtomics = Object.values(puzzle.variants).some((v) => v.atomics);
      const rows = [
        "Next step",
        ...(this.anyAtomics ? [MAY_READ] : []),
        ...(puzzle.locals || []).map((l) => l.row),
        ...(this.anyLocks ? ["Holds"] : []),
        "State",
      ];
      const columns = ["", ...threads.map((t) => `Thread ${t}`)];
      this.threadTable = stateTable("Threads now", columns, rows, `${id}-state`);
      this.sharedTable = null; // rebuilt with the variant: its locks and condvars differ
      this.sharedBox = el("div", { class: "sched-shared-box" });
      this.programBox = el("div", { class: "sched-programs" });
      /** @type {Record<string, HTMLElement[]>} */
      this.programItems = {};
      this.logBody = el("tbody", { "data-testid": `${id}-log-body` });
    }

    /** The buttons: a step per thread, the presets, Reset, the check, the fix. */
    makeControls() {
      const { id, puzzle } = this;
      /** @type {Record<string, HTMLElement>} */
      this.stepButtons = {};
      /** @type {Record<string, HTMLSelectElement>} a load's value, per thread (puzzles with atomics) */
      this.readChoices = {};
      for (const t of this.threads) {
        this.stepButtons[t] = button(`Step thread ${t}`, `${id}-step-${slug(t)}`, () => {
          this.stopReplay();
          this.step(this.moveOf(t));
        });
        if (this.anyAtomics) {
          const choice = /** @type {HTMLSelectElement} */ (
            el("select", { id: `${id}-reads-${slug(t)}`, "data-testid": `${id}-reads-${slug(t)}` })
          );
          // The reader's own choice, kept until the load is made (or can no
          // longer read it); until then, the newest value.
          choice.addEventListener("change", () => (choice.dataset.chosen = choice.value));
          this.readChoices[t] = choice;
        }
      }
      const presets = (puzzle.presets || []).slice();
      if (puzzle.showMe) {
        presets.push({
          testid: "show-me",
          label: "Show me a failing schedule",
          schedule: puzzle.showMe,
          replay: true,
          announce: (s) =>
            `A failing schedule${puzzle.variants.fixed ? " of the broken version" : ""}, replayed: ${plural(s.steps, "step")}.`,
        });
      }
      this.presetButtons = presets.map((p) => button(p.label, `${id}-${p.testid}`, () => this.runPreset(p)));
      this.resetButton = button("Reset", `${id}-reset`, () => {
        this.stopReplay();
        this.reset();
        this.announce(puzzle.resetText || "Reset: every thread is back at its first step.");
      });
      this.checkButton = button("Check every schedule", `${id}-check-all`, () => this.checkAll());
      this.makeFixOption();
    }

    /** The checkbox that swaps the broken version for the fixed one, if there is one. */
    makeFixOption() {
      const { id, puzzle } = this;
      this.fixBox = null;
      this.fixLine = null;
      if (!puzzle.variants.fixed) {
        return;
      }
      const fix = puzzle.fix || {};
      const boxId = `${id}-${fix.testid || "fixed"}`;
      this.fixBox = el("input", {
        type: "checkbox",
        id: boxId,
        "data-testid": boxId,
        onchange: () => {
          const fixed = this.fixBox.checked;
          this.stopReplay();
          this.setVariant(fixed ? "fixed" : "broken");
          this.reset();
          setRich(this.checkResult, "");
          this.announce(
            fixed
              ? fix.on || "The fixed version: try to make it fail, or check every schedule."
              : fix.off || "The broken version again.",
          );
        },
      });
      this.fixLine = el("p", { class: "sched-option" }, [
        this.fixBox,
        el("label", { for: boxId, rich: ` ${fix.label || "Fixed version"}` }),
      ]);
    }

    /** The whole widget, in reading order. */
    section() {
      const { id, puzzle } = this;
      const intro = [el("p", { class: "sched-help", rich: puzzle.help })];
      if (puzzle.goal) {
        intro.push(
          el("p", { class: "sched-goal", "data-testid": `${id}-goal` }, [
            el("strong", { text: "Goal: " }),
            el("span", { rich: puzzle.goal }),
          ]),
        );
      }
      if (puzzle.hint) {
        intro.push(
          el("details", { class: "sched-hint", "data-testid": `${id}-hint` }, [
            el("summary", { text: "Hint" }),
            el("p", { rich: puzzle.hint }),
          ]),
        );
      }
      const log = el("table", { class: "sched-table sched-log", "data-testid": `${id}-log` }, [
        el("caption", { text: "Steps taken, in order" }),
        el("thead", {}, [
          el(
            "tr",
            {},
            ["#", "Thread", "Step", "What happened"].map((c) => el("th", { scope: "col", text: c })),
          ),
        ]),
        this.logBody,
      ]);
      const group = (label, children) =>
        el("div", { class: "sched-controls", role: "group", "aria-label": label }, children);
      return el(
        "section",
        { class: "sched", "aria-labelledby": `${id}-scheduler-title`, "data-testid": `${id}-widget` },
        [
          el("h3", { id: `${id}-scheduler-title`, class: "sched-title", rich: puzzle.title }),
          ...intro,
          this.programBox,
          ...(this.fixLine ? [this.fixLine] : []),
          // The state right under the Step buttons (on a phone too), then
          // what the step did and the outcome, then the other controls.
          group(
            "Choose the next step",
            this.threads.map((t) => this.threadControl(t)),
          ),
          ...(this.headline
            ? [el("p", { class: "sched-shared-line" }, [`${puzzle.headline.label}: `, this.headline])]
            : []),
          el("div", { class: "sched-tables" }, [this.threadTable.table, this.sharedBox]),
          this.status,
          this.verdict,
          group("Presets", [...this.presetButtons, this.resetButton]),
          group("Check", [this.checkButton]),
          this.checkResult,
          el("div", { class: "sched-log-wrap" }, [log]),
        ],
      );
    }

    /** Thread t's step button, and in a puzzle with atomics, its choice of the value its load reads. @param {string} t */
    threadControl(t) {
      const choice = this.readChoices[t];
      if (!choice) {
        return this.stepButtons[t];
      }
      return el("span", { class: "sched-thread-control" }, [
        this.stepButtons[t],
        el("label", { for: choice.id, text: `thread ${t}'s load reads:` }),
        choice,
      ]);
    }

    /** The move "Step thread t" makes: with the value chosen for its load, if it has a choice. @param {string} t */
    moveOf(t) {
      const choice = this.readChoices[t];
      return choice && !choice.disabled && choice.value ? `${t}:${choice.value}` : t;
    }

    /** The rows of the shared-state table for the current variant. */
    sharedRows() {
      const rows = (this.puzzle.shared || []).filter((r) => !r.only || r.only === this.variantName).map((r) => r.row);
      rows.push(...Object.keys(this.variant.atomics || {}).map(storesRow));
      rows.push(...(this.variant.locks || []));
      rows.push(...(this.variant.condvars || []).map((c) => `Asleep on \`${c}\``));
      return rows;
    }

    /** The programs and the shared-state table of the current variant. */
    buildVariant() {
      const { puzzle, variant } = this;
      clear(this.programBox);
      this.programItems = {};
      for (const t of this.threads) {
        const items = variant.programs[t].map((s, i) =>
          el("li", { "data-step": String(i), class: s.indent ? `sched-indent-${s.indent}` : null }, [
            el("span", { class: "sched-marker", "aria-hidden": "true" }),
            el("span", { rich: s.label }),
          ]),
        );
        this.programItems[t] = items;
        const role = puzzle.roles && puzzle.roles[t] ? ` (${puzzle.roles[t]})` : "";
        this.programBox.appendChild(
          el("div", { class: "sched-program" }, [
            el("p", { class: "sched-program-title", text: `Thread ${t}${role} runs:` }),
            el("ol", {}, items),
          ]),
        );
      }
      const rows = this.sharedRows();
      clear(this.sharedBox);
      this.sharedTable = rows.length
        ? stateTable("Shared state now", ["", "Now"], rows, `${this.id}-shared-state`)
        : null;
      if (this.sharedTable) {
        this.sharedBox.appendChild(this.sharedTable.table);
      }
    }

    /** @param {"broken" | "fixed"} name */
    setVariant(name) {
      this.variantName = name;
      this.variant = this.puzzle.variants[name];
      if (this.fixBox) {
        this.fixBox.checked = name === "fixed";
      }
      this.buildVariant();
    }

    reset() {
      this.state = E.initialState(this.variant);
      /** thread -> the indices of the steps it has taken (for the ✓ marks) */
      this.ran = Object.fromEntries(this.threads.map((t) => [t, {}]));
      /** @type {{t: string, i: number} | null} the step at which the program failed */
      this.failedAt = null;
      clear(this.logBody);
      this.verdict.textContent = "";
      this.render();
    }

    /** @param {string} text */
    announce(text) {
      setRich(this.status, text);
    }

    /** One move (a thread's step, and a load's choice), as the reader asked for it. @param {string} move @param {boolean} [quiet] */
    step(move, quiet) {
      const { state, variant } = this;
      const [t] = E.parseMove(move);
      const refusal = E.cannotStep(this.variant, state, t);
      if (refusal) {
        this.announce(refusal);
        return;
      }
      const wait = E.blockedBy(variant, state, t);
      if (wait) {
        this.addLog(null, t, E.nextStep(variant, state, t).short, wait.status, null);
        if (!quiet) {
          this.announce(wait.status);
        }
        this.render();
        return;
      }
      const short = E.nextStep(variant, state, t).short;
      const pc = state.threads[t].pc;
      const result = E.advance(variant, state, move);
      if (this.readChoices[t]) {
        delete this.readChoices[t].dataset.chosen; // that load is made
      }
      // The step that made the program fail is marked as that place.
      if (result.fail) {
        this.failedAt = { t, i: pc };
      } else {
        this.ran[t][pc] = true;
      }
      this.addLog(state.steps, t, short, result.say, result);
      if (state.failure && state.failure.kind !== "fail") {
        const note = state.failure.kind === "deadlock" ? "Deadlock" : "Stuck forever";
        this.addLog("", "—", "", "No thread can move.", { fail: true, note });
      }
      const words = this.verdictText();
      setRich(this.verdict, words);
      if (!quiet && state.failure && this.variantName === "broken") {
        // Made to fail by hand, not by "Show me": solved (kept when served).
        workbook.keepProgress(workbook.API.puzzleSolved, { id: this.name });
      }
      if (!quiet) {
        this.announce(`Step ${state.steps}: ${result.say}`);
      }
      this.render();
    }

    /** A row of the log: a step taken, or one that had to wait (`number` null). */
    addLog(number, t, short, say, result) {
      const failed = result && result.fail;
      const note = result && result.note;
      const row = el(
        "tr",
        {
          class: failed ? "sched-lost" : null,
          "data-testid": `${this.id}-log-row`,
          "data-failure": failed ? "true" : null,
          "data-waited": number === null ? "true" : null,
        },
        [
          el("td", { text: number === null ? "–" : String(number) }),
          el("td", { text: t }),
          el("td", { rich: short }),
          el("td", {}, [
            el("span", { rich: say }),
            ...(note ? [" ", el("strong", { class: "sched-note", rich: `⚠ ${note}` })] : []),
          ]),
        ],
      );
      if (result && result.mark) {
        row.setAttribute(`data-${result.mark}`, "true");
      }
      this.logBody.appendChild(row);
    }

    render() {
      this.threads.forEach((t, col) => this.renderThread(t, col));
      const { puzzle, state, variant, sharedTable } = this;
      if (this.headline) {
        this.headline.textContent = puzzle.headline.show(state);
      }
      if (sharedTable) {
        for (const r of puzzle.shared || []) {
          if (sharedTable.cells[r.row]) {
            setRich(sharedTable.cells[r.row][0], r.show(state));
          }
        }
        for (const [a, stores] of Object.entries(state.memory)) {
          sharedTable.cells[storesRow(a)][0].textContent = stores.map(storeShort).join(", then ");
        }
        for (const l of variant.locks || []) {
          sharedTable.cells[l][0].textContent = state.locks[l] ? `held by thread ${state.locks[l]}` : "free";
        }
        for (const c of variant.condvars || []) {
          const who = state.sleepers[c];
          sharedTable.cells[`Asleep on \`${c}\``][0].textContent = who.length
            ? listWords(who.map((u) => `thread ${u}`))
            : "nobody";
        }
      }
      this.root.setAttribute("data-variant", this.variantName);
    }

    /** Thread t's column of the threads' table, and the marks in its program. @param {string} t @param {number} col */
    renderThread(t, col) {
      const { state, variant, puzzle, threadTable } = this;
      const th = state.threads[t];
      const next = E.nextStep(variant, state, t);
      const wait = next ? E.blockedBy(variant, state, t) : null;
      const failedHere = this.failedAt && this.failedAt.t === t;
      setRich(
        threadTable.cells["Next step"][col],
        failedHere ? "none: the program failed at its last step" : next ? next.label : "finished",
      );
      for (const l of puzzle.locals || []) {
        setRich(threadTable.cells[l.row][col], l.show(th.local, state, t));
      }
      if (this.anyAtomics) {
        this.renderChoices(t, col);
      }
      if (this.anyLocks) {
        const holds = E.held(state, t);
        threadTable.cells.Holds[col].textContent = holds.length ? listWords(holds) : "nothing";
      }
      const { kind, words } = threadState(state.failure, next, wait);
      const cell = threadTable.cells.State[col];
      setRich(cell, words);
      cell.setAttribute("data-state", kind);
      cell.className = wait ? "sched-blocked" : "";
      this.markProgram(t, kind, wait);
      setUnavailable(this.stepButtons[t], !next || Boolean(state.failure));
    }

    /** What thread t's next load may read: the threads' table, and the list to choose from. @param {string} t @param {number} col */
    renderChoices(t, col) {
      const { state, variant } = this;
      const choices = state.failure ? null : E.choicesOf(variant, state, t);
      const cell = this.threadTable.cells[MAY_READ][col];
      cell.textContent = choices ? choices.map((c) => c.words).join("; or ") : "nothing: its next step is not a load";
      const select = this.readChoices[t];
      clear(select);
      for (const c of choices || [{ key: "", words: "(no load next)" }]) {
        select.appendChild(el("option", { value: c.key, text: c.words }));
      }
      const kept = select.dataset.chosen;
      if (choices && choices.some((c) => c.key === kept)) {
        select.value = kept;
      } else {
        delete select.dataset.chosen;
      }
      select.disabled = !choices;
    }

    /** The ▶, ✓ and ⚠ marks of thread t's program. */
    markProgram(t, kind, wait) {
      const pc = this.state.threads[t].pc;
      const failedAt = this.failedAt && this.failedAt.t === t ? this.failedAt.i : null;
      this.programItems[t].forEach((li, i) => {
        const marker = li.querySelector(".sched-marker");
        if (i === failedAt) {
          li.setAttribute("data-failed", "true");
        } else {
          li.removeAttribute("data-failed");
        }
        const current = failedAt !== null ? i === failedAt : i === pc;
        if (current) {
          li.setAttribute("aria-current", "step");
        } else {
          li.removeAttribute("aria-current");
        }
        if (failedAt !== null) {
          // The step itself ran; what it did made the program fail.
          marker.textContent =
            i === failedAt ? "⚠ done, and the program failed here: " : this.ran[t][i] ? "✓ done: " : "";
        } else if (i === pc) {
          marker.textContent = `▶ ${kind === "stopped" ? "stopped" : wait ? wait.marker : "next"}: `;
        } else {
          marker.textContent = this.ran[t][i] ? "✓ done: " : "";
        }
      });
    }

    stopReplay() {
      if (this.replayTimer !== null) {
        clearInterval(this.replayTimer);
        this.replayTimer = null;
      }
      this.widget.removeAttribute("data-replaying");
    }

    /** A preset schedule: played at once, or replayed a step at a time. */
    runPreset(p) {
      this.stopReplay();
      this.setVariant(p.variant || "broken");
      this.reset();
      // The outcome is the verdict's to say (once).
      const words = () =>
        p.announce ? p.announce(this.state) : `${p.label}: ${plural(this.state.steps, "step")} taken.`;
      if (!p.replay || reducedMotion()) {
        for (const t of p.schedule) {
          this.step(t, true);
        }
        this.announce(words());
        return;
      }
      // Replay: one step at a time, so the reader sees the markers and the
      // tables move. Any other button stops it.
      this.announce(`Replaying a failing schedule, one step at a time: ${p.schedule.join(", ")}.`);
      this.widget.setAttribute("data-replaying", "true");
      let i = 0;
      this.replayTimer = setInterval(() => {
        if (i < p.schedule.length && !this.state.failure) {
          this.step(p.schedule[i], true);
          i += 1;
        }
        if (i >= p.schedule.length || this.state.failure) {
          this.stopReplay();
          this.announce(words());
        }
      }, REPLAY_MS);
    }

    verdictText() {
      return E.verdictWords(this.puzzle, this.variantName, this.state);
    }

    /** "Check every schedule": the engine's exhaustive check, in words. */
    checkAll() {
      let r;
      try {
        r = E.explore(this.variant);
      } catch (e) {
        setRich(this.checkResult, `The check could not finish: ${e.message}`);
        return;
      }
      const text = E.checkWords(this.puzzle, this.variantName, r);
      this.checkResult.setAttribute("data-schedules", String(r.schedules));
      this.checkResult.setAttribute("data-failing", String(r.failing));
      this.checkResult.setAttribute("data-variant", this.variantName);
      setRich(this.checkResult, text);
    }
  }

  // ------------------------------------------------------------ mounting

  workbook.onReady(() => {
    E.onRegister((name, make) => {
      for (const root of mountsOf(name)) {
        if (!root.getAttribute("data-mounted")) {
          root.setAttribute("data-mounted", "true");
          new Widget(/** @type {HTMLElement} */ (root), make(root), name);
        }
      }
    });
  });
})();
