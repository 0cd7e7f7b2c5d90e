// "Run" for the book's Rust programs, when `cargo workbook` serves the book
// (runs.js decides; elsewhere this script adds nothing). A Rust block is a
// complete program when it has `fn main`; an excerpt of a longer file that
// shows its `fn main` is marked ```rust,noplayground (mdBook's own word for
// "do not offer to run this"), and workbook/tests/snippets.rs checks that
// every block this script would offer to run compiles and runs.
//
// The block becomes an editor (mdBook's bundled Ace, shipped by
// `[output.html.playground] editable = true` in book.toml), with Run, Stop
// and "Undo changes" under it. The server compiles the code in release mode
// with the learner's own toolchain (it can use `parallel_workbook` and
// `rayon`) and streams what happens into the panel.
//
// A quiz's code offers Run only once the question is answered: running it
// first would give away "does this compile?" and "what does this print?";
// afterwards it lets the learner see the answer happen on their own machine.
(function () {
  "use strict";

  var runs = window.workbookRuns;
  if (!runs || !runs.available) return;

  var MAIN = /^\s*(pub\s+)?fn\s+main\s*\(/m;

  function isProgram(code) {
    var c = code.classList;
    return c.contains("language-rust") && !c.contains("noplayground") && !c.contains("ignore") && MAIN.test(code.textContent);
  }

  function aceTheme() {
    var c = document.documentElement.classList;
    var dark = c.contains("coal") || c.contains("navy") || c.contains("ayu");
    return dark ? "ace/theme/tomorrow_night" : "ace/theme/dawn";
  }

  // The same editor mdBook's editor.js makes of an `editable` block, plus:
  // a label for its text area, Tab and Shift+Tab left to move the focus (so
  // the keyboard can leave the editor; Ctrl+] and Ctrl+[ indent), Ctrl+Enter
  // to run, Escape to go to the Run button.
  function makeEditor(code, label, onRun, onEscape) {
    if (!window.ace || typeof window.ace.edit !== "function") return null;
    code.classList.add("editable"); // mdBook's copy button then copies the edited code
    var editor = window.ace.edit(code);
    editor.setOptions({
      highlightActiveLine: false,
      showPrintMargin: false,
      showLineNumbers: false,
      showGutter: false,
      maxLines: Infinity,
      fontSize: "0.875em",
    });
    editor.$blockScrolling = Infinity;
    editor.getSession().setMode("ace/mode/rust");
    editor.setTheme(aceTheme());
    editor.originalCode = editor.getValue();
    editor.commands.removeCommand("indent");
    editor.commands.removeCommand("outdent");
    editor.commands.addCommand({
      name: "workbookRun",
      bindKey: { win: "Ctrl-Enter", mac: "Ctrl-Enter|Command-Enter" },
      exec: onRun,
    });
    editor.commands.addCommand({
      name: "workbookLeave",
      bindKey: { win: "Esc", mac: "Esc" },
      exec: onEscape,
    });
    // An edited program is marked, so that a rebuild of the book does not
    // reload the page under it (see the server's reload script).
    editor.on("change", function () {
      if (editor.getValue() !== editor.originalCode) code.setAttribute("data-workbook-unsaved", "");
      else code.removeAttribute("data-workbook-unsaved");
    });
    var input = editor.textInput.getElement();
    input.setAttribute("aria-label", label);
    input.setAttribute("data-testid", "snippet-editor");
    // book.js switches the theme of every editor listed here.
    if (Array.isArray(window.editors)) window.editors.push(editor);
    return editor;
  }

  function setUp(code) {
    if (code.getAttribute("data-workbook-run")) return;
    code.setAttribute("data-workbook-run", "snippet");
    var pre = code.parentNode;
    pre.classList.add("wb-run-code");
    var panel = new runs.Panel({ kind: "snippet", label: "Run this program" });
    var runButton = runs.button("Run", "run-start", "wb-run-start");
    var stopButton = runs.button("Stop", "run-stop");
    var undoButton = runs.button("Undo changes", "run-undo");
    var hintId = runs.uniqueId("hint");
    var editor = makeEditor(
      code,
      "The program's code: edit it, then press Ctrl+Enter to run it",
      function () {
        runButton.click();
      },
      function () {
        runButton.focus();
      },
    );
    panel.bar.appendChild(runButton);
    panel.bar.appendChild(stopButton);
    if (editor) {
      panel.bar.appendChild(undoButton);
      panel.bar.appendChild(
        runs.el(
          "span",
          { class: "wb-run-hint", id: hintId },
          "Edit the code above, then Run (Ctrl+Enter in the editor; Tab leaves it).",
        ),
      );
      runButton.setAttribute("aria-describedby", hintId);
      undoButton.addEventListener("click", function () {
        editor.setValue(editor.originalCode, -1);
      });
    }
    pre.parentNode.insertBefore(panel.root, pre.nextSibling);
    panel.clear();
    new runs.Runner(panel, runButton, stopButton, function () {
      return {
        path: "/__workbook/api/run/snippet",
        body: { code: editor ? editor.getValue() : code.textContent },
      };
    });
  }

  // A quiz's code: set up once its question has been answered.
  function whenAnswered(form, code) {
    if (form.getAttribute("data-answered")) {
      setUp(code);
      return;
    }
    var observer = new MutationObserver(function () {
      if (form.getAttribute("data-answered")) {
        observer.disconnect();
        setUp(code);
      }
    });
    observer.observe(form, { attributes: true, attributeFilter: ["data-answered"] });
  }

  function start() {
    var blocks = document.querySelectorAll("main pre > code");
    Array.prototype.forEach.call(blocks, function (code) {
      if (!isProgram(code)) return;
      var form = code.closest("form.quiz");
      if (form) whenAnswered(form, code);
      else setUp(code);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
