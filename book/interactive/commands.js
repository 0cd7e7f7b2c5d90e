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
// One control per command and page (see start), except in a chapter's "Run
// it yourself" section, where every command of its block gets a control of
// its own, and the lines the page cannot run (`cargo test`, a `diff`, a
// command that needs a shell) are said to be for a terminal. A block that
// also shows output (a measured run) keeps it; the learner's run appears
// under it, labelled as theirs.
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
   * The runnable commands of a block, and its other lines (output, or
   * commands the page cannot run): `hasOutput` if there are any.
   * @param {string} text
   * @returns {{commands: Command[], hasOutput: boolean, others: string[]}}
   */
  function commandsOf(text) {
    const commands = [];
    const others = [];
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
        others.push(raw.replace(/^\$\s+/, "").trim());
      } else {
        commands.push(command);
      }
    }
    return { commands, hasOutput, others };
  }

  /**
   * The command as the learner would type it, up to its flags: cargo's `--`
   * only when there are flags to pass on.
   * @param {Command} command
   * @param {string} [flags]  as typed in the control (the block's by default)
   */
  function prefix(command, flags = command.flags) {
    const dashes = flags.trim() ? " --" : "";
    switch (command.package) {
      case "async":
        return `cargo run --release -p workbook-async --example ${command.name}${dashes}`;
      case "mpi":
        return command.ranks === null ? `cargo mpi ${command.name}` : `cargo mpi -n ${command.ranks} ${command.name}`;
      default:
        return `cargo run --release --example ${command.name}${dashes}`;
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
    const shown = el("code", { "data-testid": "run-command" });
    // A line breaks between words, never inside `--release`.
    const showCommand = (text) => {
      workbook.clear(shown);
      text.split(" ").forEach((word, k) => {
        shown.append(k ? " " : "", el("span", { class: "wb-run-word", text: word }));
      });
    };
    showCommand(prefix(command));
    const label = el("label", { for: id, class: "wb-run-command" }, [
      el("span", { class: "wb-run-command-title", text: "Run on this machine: " }),
      shown,
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
    input.placeholder = "flags (none)";
    input.size = Math.max(12, Math.min(48, command.flags.length + 2));
    input.addEventListener("input", () => {
      showCommand(prefix(command, input.value));
    });
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

  /** Whether a block is in a chapter's "Run it yourself" section. @param {Element} pre */
  function inRunItYourself(pre) {
    for (let e = pre.previousElementSibling; e; e = e.previousElementSibling) {
      if (/^H[12]$/.test(e.tagName)) {
        return e.id === "run-it-yourself";
      }
    }
    return false;
  }

  /** The lines of a "Run it yourself" block the page cannot run. @param {string[]} lines */
  function terminalNote(lines) {
    return el("div", { class: "wb-run-terminal", "data-testid": "run-terminal" }, [
      el("p", {
        text:
          lines.length === 1
            ? "This one runs in a terminal, not from the page:"
            : "These run in a terminal, not from the page:",
      }),
      el(
        "ul",
        {},
        lines.map((line) => el("li", {}, [el("code", { text: line })])),
      ),
    ]);
  }

  /**
   * A command often appears twice on a page: in a block that says what to
   * type, and again in the measured file below it. It gets one control: under
   * the measured output, where the learner's run can be read against the
   * book's, or else under its first block. A "Run it yourself" block gets a
   * control for each of its commands all the same, in its order: the
   * section offers them, so it runs them. A block in a section the page
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
      const yourself = inRunItYourself(code.parentElement);
      if (found.commands.length || (yourself && found.others.length)) {
        blocks.push({ code, found, yourself });
      }
    }
    const key = (command) => `${prefix(command)} ${command.flags}`;
    const home = new Map(); // command -> the index of the block that gets its control
    blocks.forEach((block, i) => {
      if (block.yourself) {
        return;
      }
      for (const command of block.found.commands) {
        const current = home.get(key(command));
        if (current === undefined || (block.found.hasOutput && !blocks[current].found.hasOutput)) {
          home.set(key(command), i);
        }
      }
    });
    blocks.forEach((block, i) => {
      block.code.setAttribute("data-workbook-run", "command");
      const own = block.yourself
        ? block.found.commands
        : block.found.commands.filter((command) => home.get(key(command)) === i);
      // In "Run it yourself" every line is a command: those that are not
      // runnable here are for a terminal, not output.
      const underOutput = block.found.hasOutput && !block.yourself;
      const parts = own.map((command) => control(command, underOutput));
      if (block.yourself && block.found.others.length) {
        parts.push(terminalNote(block.found.others));
      }
      if (parts.length) {
        const box = el(
          "div",
          { class: "wb-run-commands", "data-testid": block.yourself ? "run-it-yourself" : null },
          parts,
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
