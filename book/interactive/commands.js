/* global workbook, workbookRuns, workbookRunPanel */
// "Run on this machine" for the book's command blocks, on a page `cargo
// workbook` serves (core.js, runnable; elsewhere this script adds nothing).
// Every line of a code block that is
//
//     cargo run --release --example NAME [-- FLAGS]
//
// (with or without a leading `$ `, in ```console and ```text blocks and in
// the measured files the chapters include) gets a control under a block:
// the flags in a text field, prefilled with the block's and editable, and
// Run and Stop. The page sends the flags as typed; the server splits them
// into words as a shell would, without running one, and refuses what would
// need a shell (workbook/src/serve/examples.rs). A line that needs one here
// (a pipe, `&`, `VAR=value` in front) gets no control. The server runs only
// examples that exist, one run at a time; the example's own parser judges
// the flags.
//
// One control per command and page (see start). A block that also shows
// output (a measured run) keeps it; the learner's run appears under it,
// labelled as theirs.
(() => {
  "use strict";

  const { el } = workbook;

  const COMMAND = /^(?:\$\s+)?cargo\s+run\s+--release\s+--example\s+([a-z][a-z0-9_]*)(?:\s+--(?:\s+(.*))?)?\s*$/;
  // What only a shell understands: such a line is shown, not offered to run.
  const SHELL_SYNTAX = /[|&;<>()$`]/;

  /**
   * The runnable commands of a block, and whether it has other lines (output).
   * @param {string} text
   * @returns {{commands: Array<{name: string, flags: string}>, hasOutput: boolean}}
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
      const m = COMMAND.exec(line);
      const flags = m ? (m[2] || "").trim() : "";
      if (!m || SHELL_SYNTAX.test(flags)) {
        hasOutput = true;
      } else {
        commands.push({ name: m[1], flags });
      }
    }
    return { commands, hasOutput };
  }

  /** @param {{name: string, flags: string}} command @param {boolean} hasOutput */
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
      el("code", { text: `cargo run --release --example ${command.name} --` }),
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
      body: { name: command.name, flags: input.value },
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
    const key = (command) => `${command.name} ${command.flags}`;
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
