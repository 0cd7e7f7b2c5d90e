// "Run on this machine" for the book's command blocks, when `cargo
// workbook` serves the book (runs.js decides; elsewhere this script adds
// nothing). Every line of a code block that is
//
//     cargo run --release --example NAME [-- FLAGS]
//
// (with or without a leading `$ `, in ```console and ```text blocks and in
// the measured files the chapters include) gets a control under a block:
// the flags in a text field, prefilled with the block's and editable, and
// Run and Stop. The flags are split into words as a shell would split them,
// but no shell ever runs: a line that needs one (`&`, a pipe, `VAR=value`
// in front) gets no control. The server runs only examples that exist, one
// run at a time; the example's own parser judges the flags.
//
// One control per command and page (see start). A block that also shows
// output (a measured run) keeps it; the learner's run appears under it,
// labelled as theirs.
(function () {
  "use strict";

  var runs = window.workbookRuns;
  if (!runs || !runs.available) return;

  var COMMAND = /^(?:\$\s+)?cargo\s+run\s+--release\s+--example\s+([a-z][a-z0-9_]*)(?:\s+--(?:\s+(.*))?)?\s*$/;

  // The runnable commands of a block: [{name, flags}], and whether it has
  // other lines (output).
  function commandsOf(text) {
    var found = [];
    var other = false;
    text.split("\n").forEach(function (raw) {
      // A measured file notes repeats after the command: `  # 3 runs`.
      var line = raw.replace(/\s+#[^'"]*$/, "").trim();
      if (!line) return;
      var m = COMMAND.exec(line);
      if (!m) {
        other = true;
        return;
      }
      var flags = (m[2] || "").trim();
      if (runs.splitWords(flags).error) {
        other = true;
        return;
      }
      found.push({ name: m[1], flags: flags });
    });
    return { commands: found, hasOutput: other };
  }

  function control(command, hasOutput) {
    var panel = new runs.Panel({
      kind: "example",
      label: "Run the example " + command.name + " on this machine",
      name: command.name,
      yourMachine: hasOutput,
    });
    var id = runs.uniqueId("flags");
    var label = runs.el("label", { for: id, class: "wb-run-command" });
    label.appendChild(runs.el("span", { class: "wb-run-command-title" }, "Run on this machine: "));
    label.appendChild(runs.el("code", {}, "cargo run --release --example " + command.name + " --"));
    var input = runs.el("input", {
      id: id,
      type: "text",
      class: "wb-run-flags",
      spellcheck: "false",
      autocomplete: "off",
      autocapitalize: "off",
      "data-testid": "run-flags",
    });
    input.value = command.flags;
    input.size = Math.max(12, Math.min(48, command.flags.length + 2));
    var runButton = runs.button("Run", "run-start", "wb-run-start");
    var stopButton = runs.button("Stop", "run-stop");
    panel.bar.appendChild(label);
    panel.bar.appendChild(input);
    panel.bar.appendChild(runButton);
    panel.bar.appendChild(stopButton);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        runButton.click();
      }
    });
    panel.clear();
    new runs.Runner(panel, runButton, stopButton, function () {
      var split = runs.splitWords(input.value);
      if (split.error) return { error: "The flags: " + split.error + "." };
      return { path: "/__workbook/api/run/example", body: { name: command.name, args: split.words } };
    });
    return panel.root;
  }

  // A command often appears twice on a page: in a block that says what to
  // type, and again in the measured file below it. It gets one control: under
  // the measured output, where the learner's run can be read against the
  // book's, or else under its first block. A block in a section the page
  // swaps for the learner's own results (`data-reference`, the scaling chart)
  // gets none: its control would vanish with the run it started.
  function start() {
    var blocks = [];
    Array.prototype.forEach.call(document.querySelectorAll("main pre > code"), function (code) {
      if (code.classList.contains("language-rust") || code.getAttribute("data-workbook-run")) return;
      if (code.closest("[data-reference]")) return;
      var found = commandsOf(code.textContent);
      if (found.commands.length) blocks.push({ code: code, found: found });
    });
    var home = {}; // "name flags" -> the index of the block that gets its control
    blocks.forEach(function (block, i) {
      block.found.commands.forEach(function (command) {
        var key = command.name + " " + command.flags;
        var current = home[key];
        if (current === undefined || (block.found.hasOutput && !blocks[current].found.hasOutput)) home[key] = i;
      });
    });
    blocks.forEach(function (block, i) {
      var own = block.found.commands.filter(function (command) {
        return home[command.name + " " + command.flags] === i;
      });
      block.code.setAttribute("data-workbook-run", "command");
      if (!own.length) return;
      var pre = block.code.parentNode;
      var after = pre.nextSibling;
      var box = runs.el("div", { class: "wb-run-commands" });
      own.forEach(function (command) {
        box.appendChild(control(command, block.found.hasOutput));
      });
      pre.parentNode.insertBefore(box, after);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
