/* global workbook, workbookRuns, workbookRunPanel */
/* exported workbookCommands */
// "Run on this machine" for the book's command blocks, on a page `cargo
// workbook` serves (core.js, runnable; elsewhere this script adds nothing).
// Every line of a code block that is one of
//
//     cargo run --release --example NAME [-- FLAGS]
//     cargo run --release -p workbook-async --example NAME [-- FLAGS]
//     cargo mpi [-n RANKS] NAME [FLAGS]
//
// (with or without a leading `$ `, in ```console and ```text blocks and in
// the measured files the chapters include) gets a control under a block:
// the flags in a text field, prefilled with the block's and editable, and
// Run and Stop. The page sends the flags as typed; the server splits them
// into words as a shell would, without running one, and refuses what would
// need a shell (workbook/src/serve/examples.rs). A line that needs one here
// (a pipe, `&`, `VAR=value` in front) gets no control. The server runs only
// examples that exist, one run at a time (an MPI example under mpiexec,
// where the machine has MPI; elsewhere its answer is one line saying what
// to install); the example's own parser judges the flags.
//
// One control per command and page (see start). A block that also shows
// output (a measured run) keeps it; the learner's run appears under it,
// labelled as theirs.
/**
 * @typedef {object} Command  one runnable line of a block
 * @property {ExamplePackage} package
 * @property {string} name
 * @property {string} flags
 * @property {number | null} ranks  `cargo mpi -n RANKS`
 */

const workbookCommands = (() => {
  "use strict";

  // The three ways the book writes a command the page can run.
  const CARGO_RUN =
    /^cargo\s+run\s+--release\s+(?:(?:-p|--package)\s+(workbook-async)\s+)?--example\s+([a-z][a-z0-9_]*)(?:\s+--(?:\s+(.*))?)?$/;
  const CARGO_MPI = /^cargo\s+mpi\s+(?:-n\s*([0-9]+)\s+)?([a-z][a-z0-9_]*)(?:\s+(.*))?$/;
  // What only a shell understands: such a line is shown, not offered to run.
  const SHELL_SYNTAX = /[|&;<>()$`]/;

  /**
   * The command of one line (without a leading `$ `), or null.
   * @param {string} line
   * @returns {Command | null}
   */
  function parse(line) {
    const text = line.replace(/^\$\s+/, "").trim();
    const run = CARGO_RUN.exec(text);
    if (run) {
      const pkg = run[1] ? "async" : "workbook";
      return { package: pkg, name: run[2], flags: (run[3] || "").trim(), ranks: null };
    }
    const mpi = CARGO_MPI.exec(text);
    if (mpi) {
      return { package: "mpi", name: mpi[2], flags: (mpi[3] || "").trim(), ranks: mpi[1] ? Number(mpi[1]) : null };
    }
    return null;
  }

  /**
   * The runnable commands of a block, and whether it has other lines (output).
   * @param {string} text
   * @returns {{commands: Command[], hasOutput: boolean}}
   */
  function commandsOf(text) {
    const commands = [];
    let hasOutput = false;
    for (const raw of text.split("\n")) {
      // A measured file notes repeats after the command: `  # 3 runs`.
      const line = raw.replace(/\s+#[^'"]*$/, "").trim();
      if (!line) {
        continue;
      }
      const command = parse(line);
      if (!command || SHELL_SYNTAX.test(command.flags)) {
        hasOutput = true;
      } else {
        commands.push(command);
      }
    }
    return { commands, hasOutput };
  }

  /**
   * The command as the learner would type it, up to its flags.
   * @param {Command} command
   */
  function prefix(command) {
    switch (command.package) {
      case "async":
        return `cargo run --release -p workbook-async --example ${command.name} --`;
      case "mpi":
        return command.ranks === null ? `cargo mpi ${command.name}` : `cargo mpi -n ${command.ranks} ${command.name}`;
      default:
        return `cargo run --release --example ${command.name} --`;
    }
  }

  /**
   * What the page sends to run it: the workbook's examples as before, the
   * others with their package (and ranks).
   * @param {Command} command
   * @param {string} flags  as typed in the control
   * @returns {ExampleRequest}
   */
  function request(command, flags) {
    /** @type {ExampleRequest} */
    const body = { name: command.name, flags };
    if (command.package !== "workbook") {
      body.package = command.package;
    }
    if (command.ranks !== null) {
      body.ranks = command.ranks;
    }
    return body;
  }

  return { parse, commandsOf, prefix, request };
})();

(() => {
  "use strict";
  if (typeof document === "undefined") {
    return; // loaded for its parser alone (the unit tests)
  }

  const { el } = workbook;
  const { commandsOf, prefix, request } = workbookCommands;

  /** @param {Command} command @param {boolean} hasOutput */
  function control(command, hasOutput) {
    const panel = new workbookRunPanel.Panel({
      kind: "example",
      label: `Run the example ${command.name} on this machine`,
      name: command.name,
      yourMachine: hasOutput,
    });
    const id = workbook.uniqueId("flags");
    const label = el("label", { for: id, class: "wb-run-command" }, [
      el("span", { class: "wb-run-command-title", text: "Run on this machine: " }),
      el("code", { text: prefix(command) }),
    ]);
    const input = el("input", {
      id,
      type: "text",
      class: "wb-run-flags",
      spellcheck: "false",
      autocomplete: "off",
      autocapitalize: "off",
      "data-testid": "run-flags",
    });
    input.value = command.flags;
    input.size = Math.max(12, Math.min(48, command.flags.length + 2));
    const runButton = workbookRuns.button("Run", "run-start", "wb-run-start");
    const stopButton = workbookRuns.button("Stop", "run-stop");
    panel.bar.append(label, input, runButton, stopButton);
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        runButton.click();
      }
    });
    workbookRuns.wire(new workbookRuns.Runner(panel), runButton, stopButton, () => ({
      path: workbook.API.example,
      body: request(command, input.value),
    }));
    return panel.root;
  }

  /**
   * A command often appears twice on a page: in a block that says what to
   * type, and again in the measured file below it. It gets one control: under
   * the measured output, where the learner's run can be read against the
   * book's, or else under its first block. A block in a section the page
   * swaps for the learner's own results (`data-reference`, the scaling
   * chart) gets none: its control would vanish with the run it started.
   */
  function start() {
    const blocks = [];
    for (const code of document.querySelectorAll("main pre > code")) {
      if (
        code.classList.contains("language-rust") ||
        code.getAttribute("data-workbook-run") ||
        code.closest("[data-reference]")
      ) {
        continue;
      }
      const found = commandsOf(code.textContent);
      if (found.commands.length) {
        blocks.push({ code, found });
      }
    }
    const key = (command) => `${prefix(command)} ${command.flags}`;
    const home = new Map(); // command -> the index of the block that gets its control
    blocks.forEach((block, i) => {
      for (const command of block.found.commands) {
        const current = home.get(key(command));
        if (current === undefined || (block.found.hasOutput && !blocks[current].found.hasOutput)) {
          home.set(key(command), i);
        }
      }
    });
    blocks.forEach((block, i) => {
      block.code.setAttribute("data-workbook-run", "command");
      const own = block.found.commands.filter((command) => home.get(key(command)) === i);
      if (own.length) {
        const box = el(
          "div",
          { class: "wb-run-commands" },
          own.map((command) => control(command, block.found.hasOutput)),
        );
        block.code.parentElement.after(box);
      }
    });
  }

  workbook.onReady(() => {
    if (workbook.runnable()) {
      start();
    }
  });
})();
