/* global workbook, workbookRuns, workbookRunPanel */
// "Run" for the book's Rust programs, on a page `cargo workbook` serves
// (core.js, runnable; elsewhere this script adds nothing). A Rust block is a
// complete program when it has `fn main`; an excerpt of a longer file that
// shows its `fn main` is marked ```rust,noplayground (mdBook's own word for
// "do not offer to run this"), and workbook/tests/snippets.rs checks that
// every block this script would offer to run compiles and runs.
//
// The block becomes an editor (mdBook's bundled Ace, shipped by
// `[output.html.playground] editable = true` in book.toml), with line
// numbers, and Run, Stop and "Undo changes" under it. A compile error marks
// its line in the gutter and offers "Go to line N", as the exercise editor
// does (the places are core.js's errorPlaces). The server compiles the code in release mode
// with the learner's own toolchain (it can use `parallel_workbook` and
// `rayon`) and streams what happens into the panel (runs.js, run-panel.js).
//
// A quiz's code offers Run only once the question is answered: running it
// first would give away "does this compile?" and "what does this print?";
// afterwards it lets the learner see the answer happen on their own machine.
(() => {
  "use strict";

  const MAIN = /^\s*(pub\s+)?fn\s+main\s*\(/m;

  /** @param {Element} code */
  function isProgram(code) {
    const c = code.classList;
    return (
      c.contains("language-rust") && !c.contains("noplayground") && !c.contains("ignore") && MAIN.test(code.textContent)
    );
  }

  /**
   * The same editor mdBook's editor.js makes of an `editable` block, plus: a
   * label for its text area, Tab and Shift+Tab left to move the focus (so the
   * keyboard can leave the editor; Ctrl+] and Ctrl+[ indent), Ctrl+Enter to
   * run, Escape to go to the Run button.
   * @param {HTMLElement} code
   * @param {string} label
   * @param {() => void} onRun
   * @param {() => void} onEscape
   */
  function makeEditor(code, label, onRun, onEscape) {
    if (!window.ace || typeof window.ace.edit !== "function") {
      return null;
    }
    code.classList.add("editable"); // mdBook's copy button then copies the edited code
    const editor = window.ace.edit(code);
    workbook.untabAceScrollbars(code);
    editor.setOptions({
      highlightActiveLine: false,
      showPrintMargin: false,
      // The compiler's messages name lines: the gutter shows them.
      showLineNumbers: true,
      showGutter: true,
      maxLines: Infinity,
      fontSize: "0.875em",
    });
    editor.$blockScrolling = Infinity;
    editor.getSession().setMode("ace/mode/rust");
    editor.setTheme(workbook.darkTheme() ? "ace/theme/tomorrow_night" : "ace/theme/dawn");
    editor.originalCode = editor.getValue();
    editor.commands.removeCommand("indent");
    editor.commands.removeCommand("outdent");
    editor.commands.addCommand({
      name: "workbookRun",
      bindKey: { win: "Ctrl-Enter", mac: "Ctrl-Enter|Command-Enter" },
      exec: onRun,
    });
    editor.commands.addCommand({ name: "workbookLeave", bindKey: { win: "Esc", mac: "Esc" }, exec: onEscape });
    // An edited program is marked, so that a rebuild of the book does not
    // reload the page under it (see events.js).
    editor.on("change", () => {
      code.toggleAttribute("data-workbook-unsaved", editor.getValue() !== editor.originalCode);
    });
    const input = editor.textInput.getElement();
    input.setAttribute("aria-label", label);
    input.setAttribute("data-testid", "snippet-editor");
    // book.js switches the theme of every editor listed here.
    if (Array.isArray(window.editors)) {
      window.editors.push(editor);
    }
    return editor;
  }

  /** @param {HTMLElement} code */
  function setUp(code) {
    if (code.getAttribute("data-workbook-run")) {
      return;
    }
    code.setAttribute("data-workbook-run", "snippet");
    const pre = code.parentElement;
    pre.classList.add("wb-run-code");
    const panel = new workbookRunPanel.Panel({ kind: "snippet", label: "Run this program" });
    const runButton = workbookRuns.button("Run", "run-start", "wb-run-start");
    const stopButton = workbookRuns.button("Stop", "run-stop");
    const editor = makeEditor(
      code,
      "The program's code: edit it, then press Ctrl+Enter to run it",
      () => runButton.click(),
      () => runButton.focus(),
    );
    panel.bar.append(runButton, stopButton);
    if (editor) {
      const hintId = workbook.uniqueId("hint");
      const undo = workbookRuns.button("Undo changes", "run-undo");
      undo.addEventListener("click", () => editor.setValue(editor.originalCode, -1));
      const hint = "Edit the code above, then Run (Ctrl+Enter in the editor; Tab leaves it).";
      panel.bar.append(undo, workbook.el("span", { class: "wb-run-hint", id: hintId, text: hint }));
      runButton.setAttribute("aria-describedby", hintId);
    }
    pre.after(panel.root);
    if (editor) {
      markCompileErrors(panel, editor, runButton);
    }
    workbookRuns.wire(new workbookRuns.Runner(panel), runButton, stopButton, () => ({
      path: workbook.API.snippet,
      body: { code: editor ? editor.getValue() : code.textContent },
    }));
  }

  /**
   * Each compile error of a run of this editor's program: shown whole, its
   * line marked in the gutter, and a "Go to line N" button under it (the
   * panel, run-panel.js, shows the message; the program is `src/main.rs`,
   * exactly the editor's text). A new run clears the marks.
   * @param {any} panel @param {any} editor @param {HTMLElement} runButton
   */
  function markCompileErrors(panel, editor, runButton) {
    const session = editor.getSession();
    /** @type {Array<{row: number, column: number, text: string, type: string}>} */
    const marks = [];
    const show = panel.compileError.bind(panel);
    panel.compileError = (/** @type {CompileErrorEvent} */ event) => {
      show(event);
      const place = workbook.errorPlaces(event.rendered, "main.rs")[0];
      const boxes = panel.root.querySelectorAll('[data-testid="run-compile-error"]');
      const box = boxes[boxes.length - 1];
      if (!place || !box) {
        return;
      }
      marks.push({ row: place.line - 1, column: place.column - 1, text: event.rendered.split("\n")[0], type: "error" });
      session.setAnnotations(marks);
      const go = workbookRuns.button(`Go to line ${place.line}`, "snippet-goto-line");
      go.addEventListener("click", () => {
        editor.focus();
        editor.gotoLine(place.line, place.column - 1, true);
      });
      box.append(go);
    };
    runButton.addEventListener("click", () => {
      marks.length = 0;
      session.clearAnnotations();
    });
  }

  /** A quiz's code: set up once its question has been answered. @param {HTMLElement} form @param {HTMLElement} code */
  function whenAnswered(form, code) {
    if (form.getAttribute("data-answered")) {
      setUp(code);
      return;
    }
    const observer = new MutationObserver(() => {
      if (form.getAttribute("data-answered")) {
        observer.disconnect();
        setUp(code);
      }
    });
    observer.observe(form, { attributes: true, attributeFilter: ["data-answered"] });
  }

  /**
   * On a page that is not served (a static copy: `cargo workbook build`, a
   * file), one line before the first program or example command says how
   * to run it.
   */
  function staticNote() {
    // A program, or an example's command (commands.js offers those).
    const command = /^(?:\$\s+)?cargo\s+run\s+--release\s+--example\s/m;
    const first = [...document.querySelectorAll("main pre > code")].find(
      (code) => isProgram(code) || command.test(code.textContent),
    );
    if (!first || /\/print\.html$/.test(location.pathname)) {
      return;
    }
    const note = workbook.el("p", { class: "wb-static-note", "data-testid": "run-needs-workbook" });
    workbook.setRich(
      note,
      "This copy of the book cannot run its programs. To run them from the page, run `cargo workbook` at the root of the repository and open the address it prints (or run the commands in a terminal).",
    );
    first.closest("pre")?.before(note);
  }

  workbook.onReady(() => {
    if (!workbook.served()) {
      staticNote();
    }
    if (!workbook.runnable()) {
      return;
    }
    for (const code of document.querySelectorAll("main pre > code")) {
      if (!isProgram(code)) {
        continue;
      }
      const form = code.closest("form.quiz");
      if (form) {
        whenAnswered(/** @type {HTMLElement} */ (form), /** @type {HTMLElement} */ (code));
      } else {
        setUp(/** @type {HTMLElement} */ (code));
      }
    }
  });
})();
