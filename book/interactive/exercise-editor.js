/* global workbook */
/* exported workbookEditors */
// The exercise page's editor of the learner's file (exercise.js): mdBook's
// Ace where book.toml's [output.html.playground] `editable = true` ships it,
// else a plain textarea. Both have the same interface:
//
//   getValue(), setValue(text), focus(), goTo(line, column),
//   reveal(line, column, from) (the caret there, its line near the top and
//   no line above `from` unless it must, the focus left where it is: where
//   the page opens the file),
//   position() -> {line, column} (the caret, said in words under the editor),
//   markErrors([{line, column, text}]), and the callbacks the page sets:
//   onChange, onCaret, onSave (Ctrl+S / Cmd+S).
//
// In both, Tab indents; Esc, then Tab or Shift+Tab, leaves the editor (so
// the keyboard is never trapped).

/**
 * @typedef {object} Editor
 * @property {"ace" | "textarea"} kind
 * @property {() => string} getValue
 * @property {(text: string) => void} setValue
 * @property {() => void} focus
 * @property {(line: number, column?: number) => void} goTo
 * @property {(line: number, column: number, from: number) => void} reveal
 * @property {() => {line: number, column: number}} position
 * @property {(errors: Array<{line: number, column: number, text: string}>) => void} markErrors
 * @property {() => void} [onChange]
 * @property {() => void} [onCaret]
 * @property {() => void} [onSave]
 */

/** @typedef {{by: string, describedBy: string}} Label  ids of the editor's name and description */

const workbookEditors = (() => {
  "use strict";

  /** The elements a keyboard user reaches with Tab, in order. */
  function focusable() {
    const all = document.querySelectorAll(
      'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])',
    );
    return [...all].filter((node) => {
      const n = /** @type {HTMLElement} */ (node);
      return !(/** @type {HTMLButtonElement} */ (n).disabled) && n.getClientRects().length > 0 && n.tabIndex >= 0;
    });
  }

  /** Moves the focus to the element before or after `from`. @param {Element} from @param {boolean} backwards */
  function focusNeighbour(from, backwards) {
    const order = focusable();
    const i = order.indexOf(from);
    const next = /** @type {HTMLElement | undefined} */ (order[i + (backwards ? -1 : 1)]);
    if (i >= 0 && next) {
      next.focus();
    }
  }

  /** Inserts `text` over the selection, keeping the browser's undo history. @param {HTMLTextAreaElement} area */
  function insert(area, text, from, to) {
    area.setSelectionRange(from, to);
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      area.setRangeText(text, from, to, "end");
    }
  }

  /**
   * Tab and Shift+Tab in the textarea: four spaces at the caret, or every
   * line the selection touches moved by four. Returns whether it changed.
   * @param {HTMLTextAreaElement} area @param {boolean} outdent
   */
  function indent(area, outdent) {
    const start = area.selectionStart;
    const end = area.selectionEnd;
    const value = area.value;
    if (!outdent && !value.slice(start, end).includes("\n")) {
      insert(area, "    ", start, end);
      return true;
    }
    const from = value.lastIndexOf("\n", start - 1) + 1;
    const lines = value.slice(from, end).split("\n");
    const moved = lines.map((line) => (outdent ? line.replace(/^ {1,4}/, "") : `    ${line}`));
    const changed = moved.join("\n");
    if (changed === value.slice(from, end)) {
      return false;
    }
    insert(area, changed, from, end);
    if (start === end) {
      const caret = Math.max(from, start + moved[0].length - lines[0].length);
      area.setSelectionRange(caret, caret);
    } else {
      area.setSelectionRange(from, from + changed.length);
    }
    return true;
  }

  /** The keys of the textarea: Tab indents (unless Esc came first), Ctrl+S saves. */
  function textareaKeys(area, api) {
    let escaped = false;
    area.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        escaped = true;
        return;
      }
      if (e.key === "Tab" && !e.ctrlKey && !e.altKey && !e.metaKey) {
        if (escaped) {
          escaped = false; // the browser moves the focus on
          return;
        }
        e.preventDefault();
        if (indent(area, e.shiftKey)) {
          api.onChange?.();
        }
        return;
      }
      if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === "s" || e.key === "S")) {
        e.preventDefault();
        api.onSave?.();
      }
      if (e.key !== "Shift") {
        escaped = false;
      }
    });
    area.addEventListener("blur", () => {
      escaped = false;
    });
  }

  /** A plain textarea. @param {HTMLElement} host @param {string} text @param {Label} label @returns {Editor} */
  function textareaEditor(host, text, label) {
    const area = /** @type {HTMLTextAreaElement} */ (
      workbook.el("textarea", {
        class: "exercise-editor-text",
        spellcheck: "false",
        autocapitalize: "off",
        autocomplete: "off",
        wrap: "off",
        "aria-labelledby": label.by,
        "aria-describedby": label.describedBy,
        "data-testid": "exercise-editor",
      })
    );
    area.value = text;
    area.setSelectionRange(0, 0);
    // Tall enough to work in, short enough that the buttons under it stay
    // on the screen; a longer file scrolls inside.
    area.rows = Math.max(12, Math.min(text.split("\n").length + 1, 24));
    host.appendChild(area);
    /** @type {Editor} */
    const api = {
      kind: "textarea",
      getValue: () => area.value,
      setValue(value) {
        const caret = Math.min(area.selectionStart, value.length);
        area.value = value;
        area.setSelectionRange(caret, caret);
      },
      focus: () => area.focus(),
      goTo(line, column) {
        const lines = area.value.split("\n");
        const offset =
          lines.slice(0, Math.max(0, line - 1)).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, (column || 1) - 1);
        area.focus();
        area.setSelectionRange(offset, offset);
        // Bring the line into view: textareas scroll to the caret only on input.
        area.scrollTop = Math.max(0, (line - 3) * (area.scrollHeight / Math.max(lines.length, 1)));
        api.onCaret?.();
      },
      reveal(line, column, from) {
        const lines = area.value.split("\n");
        const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
        area.setSelectionRange(offset, offset);
        const top = Math.max(from - 1, line - 5, 0);
        area.scrollTop = top * (area.scrollHeight / Math.max(lines.length, 1));
      },
      position() {
        const before = area.value.slice(0, area.selectionStart).split("\n");
        return { line: before.length, column: before[before.length - 1].length + 1 };
      },
      // A textarea has no gutter: the result lists each error's line, with
      // a button that puts the caret there.
      markErrors() {},
    };
    textareaKeys(area, api);
    area.addEventListener("input", () => api.onChange?.());
    for (const type of ["keyup", "click", "select", "focus"]) {
      area.addEventListener(type, () => api.onCaret?.());
    }
    return api;
  }

  /** Esc, then Tab or Shift+Tab, leaves Ace; Ctrl+S saves. @param {any} editor @param {HTMLElement} input */
  function aceKeys(editor, input, api) {
    let escaped = false;
    editor.commands.addCommand({
      name: "workbookEscape",
      bindKey: { win: "Esc", mac: "Esc" },
      exec() {
        escaped = true;
        return false; // Ace's own Esc (ending a multiple selection) still runs
      },
    });
    // Tried before Ace's indent and outdent: after Esc, Tab and Shift+Tab
    // move the focus on instead.
    for (const [name, key, backwards] of [
      ["workbookLeaveForward", "Tab", false],
      ["workbookLeaveBackward", "Shift-Tab", true],
    ]) {
      editor.commands.addCommand({
        name,
        bindKey: { win: key, mac: key },
        exec() {
          if (!escaped) {
            return false;
          }
          escaped = false;
          focusNeighbour(input, Boolean(backwards));
          return true;
        },
      });
    }
    editor.commands.addCommand({
      name: "workbookSave",
      bindKey: { win: "Ctrl-S", mac: "Command-S" },
      exec: () => api.onSave?.(),
    });
    input.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" && e.key !== "Tab" && e.key !== "Shift") {
        escaped = false;
      }
    });
    editor.on("blur", () => {
      escaped = false;
    });
  }

  /**
   * Ace's Rust mode, with the book's include markers (`// ANCHOR: name`,
   * `// ANCHOR_END: name`: mdBook's `{{#include FILE:name}}` needs them, so
   * they stay in the file and are saved as they are) as a token of their own,
   * `comment.anchor`, which exercise.css shows faint: they are build
   * plumbing, not the learner's code. Plain Rust mode if Ace's parts are not
   * there.
   */
  function rustWithFaintAnchors() {
    const aceRequire = window.ace.require;
    const Rust = aceRequire?.("ace/mode/rust")?.Mode;
    const Tokenizer = aceRequire?.("ace/tokenizer")?.Tokenizer;
    if (!Rust || !Tokenizer) {
      return "ace/mode/rust";
    }
    const mode = new Rust();
    const rules = new mode.HighlightRules().getRules();
    rules.start.unshift({ token: "comment.anchor", regex: "^\\s*// ANCHOR(?:_END)?:.*$" });
    mode.$tokenizer = new Tokenizer(rules);
    return mode;
  }

  /** mdBook's Ace. @param {HTMLElement} host @param {string} text @param {Label} label @returns {Editor} */
  function aceEditor(host, text, label) {
    const box = host.appendChild(
      workbook.el("div", { class: "exercise-editor-ace", "data-testid": "exercise-editor-ace" }),
    );
    const editor = window.ace.edit(box);
    workbook.untabAceScrollbars(box);
    editor.$blockScrolling = Infinity;
    editor.setOptions({
      minLines: 12,
      maxLines: 24,
      showPrintMargin: false,
      highlightActiveLine: false,
      showLineNumbers: true,
      showGutter: true,
      fontSize: "0.875em",
    });
    const session = editor.getSession();
    session.setMode(rustWithFaintAnchors());
    session.setTabSize(4);
    session.setUseSoftTabs(true);
    editor.setTheme(workbook.darkTheme() ? "ace/theme/tomorrow_night" : "ace/theme/dawn");
    // book.js switches the theme of every editor in this list.
    window.editors?.push(editor);
    editor.setValue(text, -1);
    session.getUndoManager().reset();
    const input = editor.textInput.getElement();
    input.setAttribute("aria-labelledby", label.by);
    input.setAttribute("aria-describedby", label.describedBy);
    input.setAttribute("data-testid", "exercise-editor");
    /** @type {Editor} */
    const api = {
      kind: "ace",
      getValue: () => editor.getValue(),
      setValue(value) {
        const at = editor.getCursorPosition();
        editor.setValue(value, -1);
        editor.moveCursorToPosition(at);
        editor.clearSelection();
      },
      focus: () => editor.focus(),
      goTo(line, column) {
        editor.focus();
        editor.gotoLine(line, Math.max(0, (column || 1) - 1), true);
        api.onCaret?.();
      },
      reveal(line, column, from) {
        editor.moveCursorTo(line - 1, column - 1);
        editor.clearSelection();
        editor.scrollToLine(Math.max(from - 1, line - 5, 0), false, false);
      },
      // The caret's line and column, said in words as in the textarea (a
      // screen reader hears no gutter).
      position() {
        const at = editor.getCursorPosition();
        return { line: at.row + 1, column: at.column + 1 };
      },
      markErrors(errors) {
        session.setAnnotations(
          errors.map((e) => ({ row: e.line - 1, column: (e.column || 1) - 1, text: e.text, type: "error" })),
        );
      },
    };
    aceKeys(editor, input, api);
    editor.on("change", () => api.onChange?.());
    editor.selection.on("changeCursor", () => api.onCaret?.());
    return api;
  }

  /**
   * The editor for `text` in `host`: Ace where mdBook ships it, else a textarea.
   * @param {HTMLElement} host @param {string} text @param {Label} label
   */
  function create(host, text, label) {
    return window.ace && window.ace.edit ? aceEditor(host, text, label) : textareaEditor(host, text, label);
  }

  return { create, indent };
})();
