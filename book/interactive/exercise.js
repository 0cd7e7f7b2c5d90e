// The exercise page as the learner's own file, when `cargo workbook` serves
// the book. On a page with
//   <div class="exercise-status" data-exercise="04_fix_the_race"></div>
// that carries the server's <meta name="workbook-version">, the book's listing
// of the file's first lines becomes the whole file, `exercises/NAME.rs`, in
// an editor: mdBook's Ace where book.toml's [output.html.playground]
// `editable = true` ships it, else a plain textarea. Under it: Save, Check
// (and Stop while one runs), Hint, Solution (once the check passes, as on
// the command line) and Reset.
// The server's side, and its API, is workbook/src/serve/exercise.rs; a check
// is a run of workbook/src/serve/runs.rs (a stream of JSON lines).
//
// A learner's text is never lost: Save never writes over a version of the
// file the page has not seen (the server answers 409, and the page offers to
// load the disk version, keeping its own text to copy, or to save over it,
// the disk version becoming a backup); an edit made in the learner's own
// editor comes into the page when the page has no unsaved edits, and is
// offered the same way when it has; unsaved edits outlive a reload of the
// tab (the browser's sessionStorage keeps them until they are saved).
//
// A static copy of the book (no version) shows the page as written: the
// statement and the commands to type, and no control that cannot work.
(function () {
  "use strict";

  var API = "/__workbook/api/exercise/";
  // The most of a check's output the page keeps (its end); the verdict and
  // the failures come separately, whole.
  var LOG_LIMIT = 200000;

  /** Whether `cargo workbook` serves this page (a static copy has no version). */
  function served() {
    return !!document.querySelector('meta[name="workbook-version"]');
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function code(text) {
    return el("code", { text: text });
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /** Sets a sentence of the page's own, where `a command` reads as code. */
  function setText(node, text) {
    clear(node);
    String(text)
      .split("`")
      .forEach(function (part, i) {
        if (part) node.appendChild(i % 2 ? code(part) : document.createTextNode(part));
      });
  }

  function isDarkTheme() {
    var html = document.documentElement.classList;
    return html.contains("coal") || html.contains("navy") || html.contains("ayu");
  }

  // ------------------------------------------------------------ the server

  /** A request to the exercise API: resolves to {status, ok, body}, where
   * body is the JSON answer, or {error: text} for a plain-text refusal. */
  function request(path, options) {
    var opts = options || {};
    var init = { method: opts.method || "GET", cache: "no-store", headers: {} };
    if (opts.json !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(opts.json);
    }
    return fetch(path, init).then(function (response) {
      return response.text().then(function (text) {
        var body;
        try {
          body = JSON.parse(text);
        } catch (_) {
          body = { error: text.trim() };
        }
        return { status: response.status, ok: response.ok, body: body };
      });
    });
  }

  /** Why a request failed, in one sentence for the page. */
  function failure(reply) {
    var why = (reply.body && reply.body.error) || "HTTP " + reply.status;
    if (reply.status === 401) return "this browser is not signed in to `cargo workbook`: run `cargo workbook open`.";
    if (reply.status === 413) return "the file is larger than the server accepts (" + why + ").";
    return why;
  }

  var NO_SERVER = "the workbook server does not answer. Is `cargo workbook` still running?";

  /** Reads a run's stream of JSON lines, calling onEvent for each. */
  function readRun(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var pending = "";
    function pump() {
      return reader.read().then(function (chunk) {
        pending += decoder.decode(chunk.value || new Uint8Array(), { stream: !chunk.done });
        var lines = pending.split("\n");
        pending = chunk.done ? "" : lines.pop();
        lines.forEach(function (line) {
          if (!line.trim()) return;
          try {
            onEvent(JSON.parse(line));
          } catch (_) {
            // A line cut by a dropped connection: the done event decides.
          }
        });
        if (!chunk.done) return pump();
      });
    }
    return pump();
  }

  // ------------------------------------------------------------ the editors
  //
  // Both editors: getValue, setValue, focus, goTo(line, column), onChange,
  // onSave (Ctrl+S / Cmd+S), position() (the caret's line and column, or
  // null where the editor shows it itself), and markErrors. In both, Tab
  // indents; Esc, then Tab or Shift+Tab, leaves the editor.

  /** The elements a keyboard user reaches with Tab, in order. */
  function focusable() {
    var all = document.querySelectorAll(
      'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])',
    );
    return Array.prototype.filter.call(all, function (node) {
      return !node.disabled && node.getClientRects().length > 0 && node.tabIndex >= 0;
    });
  }

  function focusNeighbour(from, backwards) {
    var order = focusable();
    var i = order.indexOf(from);
    var next = order[i + (backwards ? -1 : 1)];
    if (i >= 0 && next) next.focus();
  }

  function textareaEditor(host, text, label) {
    var area = el("textarea", {
      className: "exercise-editor-text",
      spellcheck: "false",
      autocapitalize: "off",
      autocomplete: "off",
      wrap: "off",
      "aria-labelledby": label.by,
      "aria-describedby": label.describedBy,
      "data-testid": "exercise-editor",
    });
    area.value = text;
    area.setSelectionRange(0, 0);
    var lines = text.split("\n").length;
    // Tall enough to work in, short enough that the buttons under it stay
    // on the screen; a longer file scrolls inside.
    area.rows = Math.max(12, Math.min(lines + 1, 24));
    host.appendChild(area);
    var escaped = false;
    var api = { kind: "textarea" };

    function indent(outdent) {
      var start = area.selectionStart;
      var end = area.selectionEnd;
      var value = area.value;
      var multiLine = value.slice(start, end).indexOf("\n") >= 0;
      if (!outdent && !multiLine) {
        // insertText keeps the browser's undo history.
        if (!document.execCommand || !document.execCommand("insertText", false, "    "))
          area.setRangeText("    ", start, end, "end");
        return;
      }
      // Every line the selection touches (or the caret's line) moves.
      var from = value.lastIndexOf("\n", start - 1) + 1;
      var lines = value.slice(from, end).split("\n");
      var firstShift = 0;
      var changed = lines
        .map(function (line, i) {
          var moved = outdent ? line.replace(/^ {1,4}/, "") : "    " + line;
          if (i === 0) firstShift = moved.length - line.length;
          return moved;
        })
        .join("\n");
      if (changed === value.slice(from, end)) return;
      area.setSelectionRange(from, end);
      if (!document.execCommand || !document.execCommand("insertText", false, changed))
        area.setRangeText(changed, from, end, "end");
      if (start === end) {
        var caret = Math.max(from, start + firstShift);
        area.setSelectionRange(caret, caret);
      } else {
        area.setSelectionRange(from, from + changed.length);
      }
      if (api.onChange) api.onChange();
    }

    area.addEventListener("keydown", function (e) {
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
        indent(e.shiftKey);
        return;
      }
      if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === "s" || e.key === "S")) {
        e.preventDefault();
        if (api.onSave) api.onSave();
      }
      if (e.key !== "Shift") escaped = false;
    });
    area.addEventListener("blur", function () {
      escaped = false;
    });
    area.addEventListener("input", function () {
      if (api.onChange) api.onChange();
    });
    ["keyup", "click", "select", "focus"].forEach(function (type) {
      area.addEventListener(type, function () {
        if (api.onCaret) api.onCaret();
      });
    });

    api.getValue = function () {
      return area.value;
    };
    api.setValue = function (value) {
      var caret = area.selectionStart;
      area.value = value;
      area.setSelectionRange(Math.min(caret, value.length), Math.min(caret, value.length));
    };
    api.focus = function () {
      area.focus();
    };
    api.goTo = function (line, column) {
      var lines = area.value.split("\n");
      var offset = 0;
      for (var i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1;
      offset += Math.max(0, (column || 1) - 1);
      area.focus();
      area.setSelectionRange(offset, offset);
      // Bring the line into view: textareas scroll to the caret only on input.
      var lineHeight = area.scrollHeight / Math.max(lines.length, 1);
      area.scrollTop = Math.max(0, (line - 3) * lineHeight);
      if (api.onCaret) api.onCaret();
    };
    api.position = function () {
      var before = area.value.slice(0, area.selectionStart).split("\n");
      return { line: before.length, column: before[before.length - 1].length + 1 };
    };
    api.markErrors = function () {
      // A textarea has no gutter: the result lists each error's line, with a
      // button that puts the caret there.
    };
    return api;
  }

  function aceEditor(host, text, label) {
    var box = el("div", { className: "exercise-editor-ace", "data-testid": "exercise-editor-ace" });
    host.appendChild(box);
    var editor = window.ace.edit(box);
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
    editor.getSession().setMode("ace/mode/rust");
    editor.getSession().setTabSize(4);
    editor.getSession().setUseSoftTabs(true);
    editor.setTheme(isDarkTheme() ? "ace/theme/tomorrow_night" : "ace/theme/dawn");
    // book.js switches the theme of every editor in this list.
    if (Array.isArray(window.editors)) window.editors.push(editor);
    editor.setValue(text, -1);
    editor.getSession().getUndoManager().reset();
    var input = editor.textInput.getElement();
    input.setAttribute("aria-labelledby", label.by);
    input.setAttribute("aria-describedby", label.describedBy);
    input.setAttribute("data-testid", "exercise-editor");
    var escaped = false;
    var api = { kind: "ace" };

    editor.commands.addCommand({
      name: "workbookEscape",
      bindKey: { win: "Esc", mac: "Esc" },
      exec: function () {
        escaped = true;
        return false; // Ace's own Esc (ending a multiple selection) still runs
      },
    });
    // Tried before Ace's indent and outdent: after Esc, Tab and Shift+Tab
    // move the focus on instead.
    [
      ["workbookLeaveForward", "Tab", false],
      ["workbookLeaveBackward", "Shift-Tab", true],
    ].forEach(function (leave) {
      editor.commands.addCommand({
        name: leave[0],
        bindKey: { win: leave[1], mac: leave[1] },
        exec: function () {
          if (!escaped) return false;
          escaped = false;
          focusNeighbour(input, leave[2]);
          return true;
        },
      });
    });
    editor.commands.addCommand({
      name: "workbookSave",
      bindKey: { win: "Ctrl-S", mac: "Command-S" },
      exec: function () {
        if (api.onSave) api.onSave();
      },
    });
    input.addEventListener("keydown", function (e) {
      if (e.key !== "Escape" && e.key !== "Tab" && e.key !== "Shift") escaped = false;
    });
    editor.on("blur", function () {
      escaped = false;
    });
    editor.on("change", function () {
      if (api.onChange) api.onChange();
    });

    api.getValue = function () {
      return editor.getValue();
    };
    api.setValue = function (value) {
      var at = editor.getCursorPosition();
      editor.setValue(value, -1);
      editor.moveCursorToPosition(at);
      editor.clearSelection();
    };
    api.focus = function () {
      editor.focus();
    };
    api.goTo = function (line, column) {
      editor.focus();
      editor.gotoLine(line, Math.max(0, (column || 1) - 1), true);
      if (api.onCaret) api.onCaret();
    };
    // The caret's line and column, said in words as in the textarea (Ace
    // shows no gutter here, and a screen reader hears no gutter anyway).
    api.position = function () {
      var at = editor.getCursorPosition();
      return { line: at.row + 1, column: at.column + 1 };
    };
    editor.selection.on("changeCursor", function () {
      if (api.onCaret) api.onCaret();
    });
    api.markErrors = function (errors) {
      editor.getSession().setAnnotations(
        errors.map(function (e) {
          return { row: e.line - 1, column: (e.column || 1) - 1, text: e.text, type: "error" };
        }),
      );
    };
    return api;
  }

  // ------------------------------------------------------------ the page

  /** The book's listing of the file's first lines (and the sentence that
   * introduces it), which the editor replaces. */
  function findListing(badge, file) {
    var main = badge.closest("main") || document.body;
    var blocks = main.querySelectorAll("pre");
    for (var i = 0; i < blocks.length; i++) {
      var pre = blocks[i];
      if (!(badge.compareDocumentPosition(pre) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
      var inner = pre.querySelector("code.language-rust");
      if (!inner || inner.textContent.indexOf("//! # ") !== 0) continue;
      var intro = pre.previousElementSibling;
      var names = intro && intro.tagName === "P" ? intro.querySelectorAll("code") : [];
      var introduces = Array.prototype.some.call(names, function (c) {
        return c.textContent.trim() === file;
      });
      return { pre: pre, intro: introduces ? intro : null };
    }
    return null;
  }

  function build(badge, loaded) {
    var name = loaded.name;
    var file = loaded.file;
    var ids = {
      heading: "exercise-file-" + name,
      keys: "exercise-keys-" + name,
      hint: "exercise-hint-" + name,
      solution: "exercise-solution-" + name,
      solutionNote: "exercise-solution-note-" + name,
      result: "exercise-result-" + name,
    };
    var state = {
      version: loaded.version, // of the file on disk, as the page last saw it
      saved: loaded.content, // the text of that version
      passed: loaded.status === "passed",
      saving: false,
      checking: false,
      resetting: false,
      deferred: null, // a notice that came while a save or reset was on its way
      conflict: null, // {content, version} of the disk, when it differs from the page
    };

    // ---- the elements
    var heading = el("h2", { id: ids.heading, className: "exercise-file-heading" }, ["Your file: ", code(file)]);
    var intro = el("p", {}, [
      "This is your file as it is on disk now. Edit it here or in your own editor; the page and the file keep in step. ",
      el("strong", { text: "Save" }),
      " writes it, and keeps its previous version as a backup. ",
      el("strong", { text: "Check" }),
      " saves, then runs exactly what ",
      code("cargo workbook check " + name),
      " runs in a terminal.",
    ]);
    var keys = el("p", { id: ids.keys, className: "exercise-keys" }, [
      "Keyboard: in the editor, Tab indents. To leave the editor, press Esc, then Tab (or Shift+Tab). Ctrl+S saves.",
    ]);
    var editorHost = el("div", { className: "exercise-editor" });
    var where = el("p", { className: "exercise-where", "data-testid": "exercise-where" });
    var saveButton = el("button", { type: "button", className: "exercise-button", "data-testid": "exercise-save", text: "Save" });
    var checkButton = el("button", { type: "button", className: "exercise-button", "data-testid": "exercise-check", text: "Check" });
    var stopButton = el("button", {
      type: "button",
      className: "exercise-button",
      "data-testid": "exercise-stop",
      text: "Stop",
    });
    // Shown only while a check runs, so that it is never a dead stop for the Tab key.
    stopButton.hidden = true;
    var hintButton = el("button", {
      type: "button",
      className: "exercise-button",
      "data-testid": "exercise-hint",
      "aria-expanded": "false",
      "aria-controls": ids.hint,
      text: "Hint",
    });
    var solutionButton = el("button", {
      type: "button",
      className: "exercise-button",
      "data-testid": "exercise-solution",
      "aria-controls": ids.solution,
      "aria-expanded": "false",
      text: "Solution",
    });
    var resetButton = el("button", { type: "button", className: "exercise-button", "data-testid": "exercise-reset", text: "Reset…" });
    var solutionNote = el("span", { id: ids.solutionNote, className: "exercise-solution-note", "data-testid": "exercise-solution-note" });
    var actions = el("div", { className: "exercise-actions", role: "group", "aria-label": "Work on " + file }, [
      saveButton,
      checkButton,
      stopButton,
      hintButton,
      solutionButton,
      resetButton,
      solutionNote,
    ]);
    var message = el("p", { className: "exercise-message", role: "status", "data-testid": "exercise-message" });

    var conflictText = el("p", { "data-testid": "exercise-conflict-text" });
    var loadDisk = el("button", { type: "button", className: "exercise-button", "data-testid": "exercise-load-disk", text: "Load the version on disk" });
    var overwrite = el("button", { type: "button", className: "exercise-button", "data-testid": "exercise-overwrite", text: "Save the page's version over it" });
    var conflictBox = el("div", { className: "exercise-conflict", role: "alert", "data-testid": "exercise-conflict" });
    var conflictBody = el("div", { hidden: "" }, [
      el("p", { className: "exercise-conflict-title", "data-testid": "exercise-conflict-title" }, [el("span", { "aria-hidden": "true", text: "⚠ " }), "Changed on disk"]),
      conflictText,
      el("div", { className: "exercise-actions" }, [loadDisk, overwrite]),
    ]);
    conflictBox.appendChild(conflictBody);

    var keptArea = el("textarea", {
      className: "exercise-kept-text",
      readonly: "",
      rows: "8",
      wrap: "off",
      spellcheck: "false",
      "aria-label": "Your earlier text from the page (not saved)",
      "data-testid": "exercise-kept-text",
    });
    var keptWhy = el("p", {});
    var restoreKept = el("button", { type: "button", className: "exercise-button", text: "Put it back in the editor" });
    var dismissKept = el("button", { type: "button", className: "exercise-button", text: "Dismiss" });
    var kept = el("div", { className: "exercise-kept", hidden: "", "data-testid": "exercise-kept" }, [
      keptWhy,
      keptArea,
      el("div", { className: "exercise-actions" }, [restoreKept, dismissKept]),
    ]);

    var confirmReset = el("button", { type: "button", className: "exercise-button", "data-testid": "exercise-reset-confirm", text: "Reset the file" });
    var cancelReset = el("button", { type: "button", className: "exercise-button", "data-testid": "exercise-reset-cancel", text: "Keep my file" });
    var resetText = el("p", {});
    var resetBox = el("div", { className: "exercise-confirm", hidden: "", role: "group", "aria-label": "Reset " + file + "?", "data-testid": "exercise-reset-box" }, [
      resetText,
      el("div", { className: "exercise-actions" }, [confirmReset, cancelReset]),
    ]);

    var hintBox = el("div", { id: ids.hint, className: "exercise-panel", hidden: "", "data-testid": "exercise-hint-box" });
    var solutionBox = el("div", { id: ids.solution, className: "exercise-panel", hidden: "", "data-testid": "exercise-solution-box" });

    var verdict = el("p", { className: "exercise-verdict", "aria-live": "polite", "data-testid": "exercise-verdict" });
    var resultBody = el("div", { "data-testid": "exercise-result-body" });
    var logText = el("pre", { className: "exercise-log", tabindex: "0", "aria-label": "Output of the check" });
    var logSummary = el("summary", { text: "Output of the check" });
    var log = el("details", { className: "exercise-log-box", hidden: "", "data-testid": "exercise-log" }, [logSummary, logText]);
    var result = el("div", { id: ids.result, className: "exercise-result", hidden: "", "data-testid": "exercise-result" }, [
      el("h3", { text: "Result of the check" }),
      verdict,
      resultBody,
      log,
    ]);

    var missing = loaded.missing
      ? el("p", { className: "exercise-missing", "data-testid": "exercise-missing" }, [
          el("strong", { text: "On this machine the check is skipped: " }),
          el("span"),
        ])
      : null;
    if (missing) setText(missing.lastChild, loaded.missing);

    var section = el("section", { className: "exercise-workspace", "aria-labelledby": ids.heading, "data-testid": "exercise-workspace" }, [
      heading,
      intro,
      keys,
    ]);
    if (missing) section.appendChild(missing);
    // The notice that the file changed on disk goes above the editor, where
    // it is seen; the controls and what they answer below it.
    [conflictBox, editorHost, where, actions, resetBox, message, kept, result, hintBox, solutionBox].forEach(function (n) {
      section.appendChild(n);
    });

    // ---- where it goes: in place of the listing, or under the badge
    var listing = findListing(badge, file);
    if (listing) {
      listing.pre.parentNode.insertBefore(section, listing.pre);
      listing.pre.hidden = true;
      if (listing.intro) listing.intro.hidden = true;
    } else {
      var after = badge.nextElementSibling || badge;
      after.parentNode.insertBefore(section, after.nextSibling);
    }

    var label = { by: ids.heading, describedBy: ids.keys };
    var editor = window.ace && window.ace.edit ? aceEditor(editorHost, loaded.content, label) : textareaEditor(editorHost, loaded.content, label);
    section.setAttribute("data-editor", editor.kind);

    // ---- what the page says
    function say(text) {
      setText(message, text);
    }

    function dirty() {
      return editor.getValue() !== state.saved;
    }

    function showWhere() {
      var parts = [];
      if (state.conflict) parts.push("Not saved: the file changed on disk (see the notice above the editor)");
      else if (dirty()) parts.push("Unsaved edits");
      else parts.push("Saved: the page shows the file on disk");
      var at = editor.position();
      if (at) parts.push("line " + at.line + ", column " + at.column);
      where.textContent = parts.join(" · ");
      where.setAttribute("data-state", state.conflict ? "conflict" : dirty() ? "unsaved" : "saved");
    }

    function showSolutionState() {
      if (state.passed) {
        solutionButton.removeAttribute("aria-disabled");
        solutionButton.removeAttribute("aria-describedby");
        solutionNote.textContent = "";
      } else {
        solutionButton.setAttribute("aria-disabled", "true");
        solutionButton.setAttribute("aria-describedby", ids.solutionNote);
        solutionNote.textContent = "The solution opens once your file passes its check.";
        solutionBox.hidden = true;
        clear(solutionBox);
        solutionButton.setAttribute("aria-expanded", "false");
      }
    }

    function setBusy(button, busy, busyText, idleText) {
      if (busy) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
      button.setAttribute("aria-busy", busy ? "true" : "false");
      button.textContent = busy ? busyText : idleText;
    }

    // ---- unsaved edits outlive a reload of the tab (the server's live
    // reload, or the learner's). sessionStorage is the tab's own: a second
    // tab on the same exercise does not take the first one's edits.
    var draftKey = "workbook-draft:" + name;
    var draftTimer = null;
    function writeDraft() {
      draftTimer = null;
      try {
        if (dirty()) sessionStorage.setItem(draftKey, JSON.stringify({ base: state.version, text: editor.getValue() }));
        else sessionStorage.removeItem(draftKey);
      } catch (_) {
        // No storage (a private window): edits live as long as the page.
      }
    }
    function keepDraft() {
      clearTimeout(draftTimer);
      draftTimer = setTimeout(writeDraft, 250);
    }
    // A reload within the 250 ms after the last key would lose those keys:
    // a draft still waiting for its timer is written as the page goes.
    window.addEventListener("pagehide", function () {
      if (draftTimer !== null) {
        clearTimeout(draftTimer);
        writeDraft();
      }
    });
    function dropDraft() {
      clearTimeout(draftTimer);
      draftTimer = null;
      try {
        sessionStorage.removeItem(draftKey);
      } catch (_) {
        // as above
      }
    }

    function keep(text, why) {
      keptWhy.textContent = why;
      keptArea.value = text;
      kept.hidden = false;
    }

    // ---- a file on disk that differs from what the page holds
    function showConflict(content, version, why) {
      state.conflict = { content: content, version: version };
      conflictText.textContent =
        why +
        " Your text in the page is not saved. Load the version on disk (your text stays on this page, to copy or put back), or save your text over it (the version on disk is kept as a backup).";
      conflictBody.hidden = false;
      showWhere();
    }
    function endConflict() {
      state.conflict = null;
      conflictBody.hidden = true;
      showWhere();
    }

    function takeDisk(content, version) {
      state.saved = content;
      state.version = version;
      editor.setValue(content);
      dropDraft();
      endConflict();
    }

    loadDisk.addEventListener("click", function () {
      if (!state.conflict) return;
      var mine = editor.getValue();
      takeDisk(state.conflict.content, state.conflict.version);
      keep(mine, "Your text from the page, before you loaded the version on disk (not saved anywhere):");
      say("The page now shows " + file + " as it is on disk. Your earlier text from the page is below.");
      editor.focus();
    });
    overwrite.addEventListener("click", function () {
      save(true).then(function (ok) {
        if (ok) editor.focus();
      });
    });
    restoreKept.addEventListener("click", function () {
      editor.setValue(keptArea.value);
      kept.hidden = true;
      showWhere();
      keepDraft();
      say("Your earlier text is back in the editor, not saved yet.");
      editor.focus();
    });
    dismissKept.addEventListener("click", function () {
      kept.hidden = true;
      keptArea.value = "";
      say("");
      saveButton.focus();
    });

    // ---- Save
    function save(over) {
      if (state.saving) return Promise.resolve(false);
      var text = editor.getValue();
      state.saving = true;
      setBusy(saveButton, true, "Saving…", "Save");
      say("Saving " + file + "…");
      var body = { content: text, base: state.version, overwrite: !!over };
      return request(API + name + "/save", { method: "POST", json: body })
        .then(function (reply) {
          if (reply.ok) {
            var r = reply.body;
            state.version = r.version;
            state.saved = text;
            if (editor.getValue() === text) dropDraft();
            endConflict();
            if (r.unchanged) say("Nothing to save: " + file + " already holds this text.");
            else if (over) say("Saved " + file + " over the version on disk, which is kept as " + r.backup + ".");
            else if (r.backup) say("Saved " + file + ". Its previous version is kept as " + r.backup + ".");
            else say("Saved " + file + ".");
            return true;
          }
          if (reply.status === 409) {
            showConflict(reply.body.disk_content, reply.body.disk_version, "Not saved: " + reply.body.error + ".");
            say("Not saved: " + file + " changed on disk since the page loaded it.");
            return false;
          }
          say("Not saved: " + failure(reply));
          return false;
        })
        .catch(function () {
          say("Not saved: " + NO_SERVER);
          return false;
        })
        .then(function (ok) {
          state.saving = false;
          setBusy(saveButton, false, "", "Save");
          showWhere();
          afterWrite();
          return ok;
        });
    }
    saveButton.addEventListener("click", function () {
      if (saveButton.getAttribute("aria-disabled") === "true") return;
      save(false);
    });
    editor.onSave = function () {
      save(false);
    };

    // ---- an edit on disk (the learner's own editor, a terminal, a reset)
    function onFileNotice(notice) {
      if (state.saving || state.resetting) {
        state.deferred = notice; // looked at once the write is answered
        return;
      }
      if (notice.version === state.version) return; // the page's own save
      request(API + name)
        .then(function (reply) {
          if (!reply.ok) return;
          var disk = reply.body;
          state.passed = disk.status === "passed";
          showSolutionState();
          if (disk.version === state.version) return;
          if (disk.content === editor.getValue()) {
            // The disk now holds what the page holds.
            state.version = disk.version;
            state.saved = disk.content;
            dropDraft();
            endConflict();
          } else if (!dirty() && !state.conflict) {
            takeDisk(disk.content, disk.version);
            say(file + " changed on disk (in another editor?): the page now shows the new version.");
          } else {
            showConflict(disk.content, disk.version, file + " changed on disk while you had unsaved edits here.");
            say(file + " changed on disk: see the notice above the editor.");
          }
        })
        .catch(function () {
          // The server went away; the live reload will bring the page back.
        });
    }
    function afterWrite() {
      var notice = state.deferred;
      state.deferred = null;
      if (notice) onFileNotice(notice);
    }

    function onProgressNotice() {
      request(API + name)
        .then(function (reply) {
          if (!reply.ok) return;
          state.passed = reply.body.status === "passed";
          showSolutionState();
        })
        .catch(function () {});
    }

    if (window.workbookEvents && window.workbookEvents.addEventListener) {
      window.workbookEvents.addEventListener("notice", function (e) {
        var notice;
        try {
          notice = JSON.parse(e.data);
        } catch (_) {
          return;
        }
        if (notice.kind === "exercise" && notice.name === name) onFileNotice(notice);
        else if (notice.kind === "progress") onProgressNotice();
      });
    }

    // ---- Check
    var checkStarted = 0;
    // The check now running: its id once the server has started it, and
    // whether Stop was pressed (before it started, leaving the line is enough).
    var checkRun = null;
    function check() {
      if (state.checking) return;
      state.checking = true;
      setBusy(checkButton, true, "Checking…", "Check");
      var before = dirty() ? save(false) : Promise.resolve(true);
      before
        .then(function (saved) {
          if (!saved) {
            say("Not checked: the check tests the file on disk, and your edits are not saved.");
            return null;
          }
          return runCheck();
        })
        .catch(function () {
          showVerdict("error", "The check did not finish: " + NO_SERVER);
        })
        .then(function () {
          state.checking = false;
          checkRun = null;
          var hadFocus = document.activeElement === stopButton;
          stopButton.hidden = true;
          stopButton.removeAttribute("aria-disabled");
          setBusy(checkButton, false, "", "Check");
          if (hadFocus) checkButton.focus();
        });
    }
    checkButton.addEventListener("click", function () {
      if (checkButton.getAttribute("aria-disabled") === "true") return;
      check();
    });

    function stopCheck() {
      var run = checkRun;
      if (!run || run.stopping) return;
      run.stopping = true;
      stopButton.setAttribute("aria-disabled", "true");
      showVerdict("running", "Stopping the check…");
      if (run.id === null) {
        run.controller.abort();
        return;
      }
      fetch("/__workbook/api/run/stop", {
        method: "POST",
        cache: "no-store",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ run: run.id }),
      }).catch(function () {
        /* the check's own stream says how it ended */
      });
    }
    stopButton.addEventListener("click", function () {
      if (stopButton.getAttribute("aria-disabled") === "true") return;
      stopCheck();
    });

    function showVerdict(outcome, text) {
      result.hidden = false;
      setText(verdict, text);
      result.setAttribute("data-outcome", outcome);
    }

    function appendLog(text) {
      var now = logText.textContent + text;
      if (now.length > LOG_LIMIT) now = "[… the start is cut: only the end is shown here]\n" + now.slice(now.length - LOG_LIMIT);
      logText.textContent = now;
      log.hidden = false;
    }

    /** The learner's file's lines named in a compiler message. */
    function errorPlaces(rendered) {
      var places = [];
      var pattern = /-->\s+([^\s:]+):(\d+):(\d+)/g;
      var m;
      while ((m = pattern.exec(rendered))) {
        var path = m[1].replace(/\\/g, "/");
        var base = path.split("/").pop();
        if (base === name + ".rs" && !/checks\/[^/]+$/.test(path)) places.push({ line: Number(m[2]), column: Number(m[3]) });
      }
      return places;
    }

    function runCheck() {
      checkStarted = performance.now();
      result.hidden = false;
      result.removeAttribute("data-wall-s");
      clear(resultBody);
      logText.textContent = "";
      log.hidden = true;
      log.open = false;
      editor.markErrors([]);
      showVerdict("running", "Checking " + name + "…");
      say("");
      var compileErrors = [];
      var testLines = 0;
      var queuedAt = 0;
      result.removeAttribute("data-queued-s");
      var run = { id: null, stopping: false, controller: new AbortController() };
      checkRun = run;
      stopButton.hidden = false;
      return fetch(API + name + "/check", {
        method: "POST",
        cache: "no-store",
        signal: run.controller.signal,
      }).then(function (response) {
        if (!response.ok) {
          return response.text().then(function (text) {
            showVerdict("error", "The check did not start: " + failure({ status: response.status, body: { error: text.trim() } }));
          });
        }
        var finished = false;
        return readRun(response, function (event) {
          if (event.event === "queued") {
            queuedAt = queuedAt || performance.now();
            var n = event.ahead;
            showVerdict("queued", "Waiting, " + n + (n === 1 ? " run" : " runs") + " ahead: the server runs one at a time.");
          } else if (event.event === "started") {
            run.id = event.run;
            if (queuedAt) result.setAttribute("data-queued-s", ((performance.now() - queuedAt) / 1000).toFixed(2));
            if (run.stopping) {
              run.stopping = false;
              stopCheck();
              return;
            }
            showVerdict("running", "Checking " + name + "…");
          } else if (event.event === "phase" && event.phase === "compiling") {
            if (!run.stopping) showVerdict("running", "Compiling the check (the first check after a change takes longest)…");
          } else if (event.event === "output") {
            // The first line of the tests themselves (cargo's come first).
            if (event.stream !== "build" && testLines === 0 && !run.stopping) showVerdict("running", "Running the check's tests…");
            if (event.stream !== "build") testLines += 1;
            appendLog(event.text);
          } else if (event.event === "compile_error") {
            compileErrors.push(event);
          } else if (event.event === "done") {
            finished = true;
            showDone(event, compileErrors);
          }
        }).then(function () {
          if (!finished) showVerdict("error", "The check's answer broke off before its verdict: " + NO_SERVER);
        });
      }).catch(function (e) {
        if (!(e && e.name === "AbortError")) throw e;
        showVerdict("stopped", "Stopped before it started: nothing was checked, and nothing recorded.");
      });
    }

    function showDone(done, compileErrors) {
      var detail = done.detail || {};
      var outcome = done.outcome;
      showVerdict(outcome, done.message || outcome);
      result.setAttribute("data-wall-s", String(done.wall_s));
      result.setAttribute("data-page-s", ((performance.now() - checkStarted) / 1000).toFixed(2));
      var failures = detail.failures || [];
      if (failures.length) {
        resultBody.appendChild(el("p", { text: failures.length === 1 ? "The check that failed, and why:" : "The checks that failed, and why:" }));
        var list = el("ul", { className: "exercise-failures", "data-testid": "exercise-failures" });
        failures.forEach(function (f) {
          list.appendChild(
            el("li", {}, [
              code(f.test),
              el("pre", { className: "exercise-failure-message", tabindex: "0", "aria-label": "Why " + f.test + " failed", text: f.message }),
            ]),
          );
        });
        resultBody.appendChild(list);
      }
      if (compileErrors.length) {
        var marks = [];
        resultBody.appendChild(
          el("p", { text: compileErrors.length === 1 ? "The compiler's error:" : "The compiler's " + compileErrors.length + " errors:" }),
        );
        var errors = el("ol", { className: "exercise-compile-errors", "data-testid": "exercise-compile-errors" });
        compileErrors.forEach(function (error) {
          var item = el("li", {}, [el("pre", { tabindex: "0", "aria-label": "Compiler error " + (error.code || ""), text: error.rendered })]);
          errorPlaces(error.rendered).slice(0, 1).forEach(function (place) {
            marks.push({ line: place.line, column: place.column, text: error.rendered.split("\n")[0] });
            var go = el("button", {
              type: "button",
              className: "exercise-button exercise-goto",
              "data-testid": "exercise-goto-line",
              text: "Go to line " + place.line,
            });
            go.addEventListener("click", function () {
              editor.goTo(place.line, place.column);
            });
            item.appendChild(go);
          });
          errors.appendChild(item);
        });
        resultBody.appendChild(errors);
        editor.markErrors(marks);
      }
      var notes = [];
      if (outcome === "stopped")
        showVerdict("stopped", "Stopped: the check did not finish, and nothing was recorded. Every process it had started was ended.");
      if (outcome === "timed_out")
        notes.push(
          "The check was stopped at its time limit, with every process it had started. A thread that waits for something that never comes (a lock, a message, a signal) or a loop that never ends keeps a check from finishing.",
        );
      if (outcome === "passed") notes.push("The solution is open now: press Solution to compare it with yours.");
      if (done.truncated) notes.push("The check printed more than the server keeps: its verdict was read from the end of the output.");
      if (detail.progress_error) notes.push("Your progress could not be recorded: " + detail.progress_error);
      notes.forEach(function (text) {
        resultBody.appendChild(el("p", { className: "exercise-note", text: text }));
      });
      var took = typeof done.wall_s === "number" ? " (" + done.wall_s.toFixed(1) + " s)" : "";
      logSummary.textContent = "Output of the check" + took;
      if (typeof detail.status === "string") {
        state.passed = detail.status === "passed";
        showSolutionState();
      }
      document.dispatchEvent(new CustomEvent("workbook:progress"));
    }

    // ---- Hint
    hintButton.addEventListener("click", function () {
      if (!hintBox.hidden) {
        hintBox.hidden = true;
        hintButton.setAttribute("aria-expanded", "false");
        return;
      }
      request(API + name + "/hint")
        .then(function (reply) {
          clear(hintBox);
          if (!reply.ok) {
            say("No hint: " + failure(reply));
            return;
          }
          hintBox.appendChild(el("h3", { text: "Hint" }));
          hintBox.appendChild(el("p", { className: "exercise-hint-text", "data-testid": "exercise-hint-text", text: reply.body.hint }));
          hintBox.hidden = false;
          hintButton.setAttribute("aria-expanded", "true");
        })
        .catch(function () {
          say("No hint: " + NO_SERVER);
        });
    });

    // ---- Solution
    solutionButton.addEventListener("click", function () {
      if (!state.passed) {
        say("The solution opens once your file passes its check, as with `cargo workbook solution " + name + "`.");
        return;
      }
      if (!solutionBox.hidden) {
        solutionBox.hidden = true;
        solutionButton.setAttribute("aria-expanded", "false");
        return;
      }
      request(API + name + "/solution")
        .then(function (reply) {
          clear(solutionBox);
          if (!reply.ok) {
            say("No solution: " + failure(reply));
            return;
          }
          var block = el("code", { className: "language-rust", text: reply.body.content });
          solutionBox.appendChild(el("h3", { text: "A solution, to compare with yours" }));
          solutionBox.appendChild(el("pre", { tabindex: "0", "aria-label": "A solution of " + name, "data-testid": "exercise-solution-code" }, [block]));
          if (window.hljs && window.hljs.highlightBlock) {
            try {
              window.hljs.highlightBlock(block);
            } catch (_) {
              // Plain text reads as well.
            }
          }
          solutionBox.hidden = false;
          solutionButton.setAttribute("aria-expanded", "true");
        })
        .catch(function () {
          say("No solution: " + NO_SERVER);
        });
    });

    // ---- Reset
    resetButton.addEventListener("click", function () {
      resetText.textContent =
        "Put " +
        file +
        " back as it was committed in git? Your version is kept as a backup first" +
        (dirty() ? ", and your unsaved text stays on this page to copy." : ".");
      resetBox.hidden = false;
      cancelReset.focus();
    });
    cancelReset.addEventListener("click", function () {
      resetBox.hidden = true;
      say("Nothing was reset.");
      resetButton.focus();
    });
    confirmReset.addEventListener("click", function () {
      if (state.resetting) return;
      resetBox.hidden = true;
      var mine = editor.getValue();
      var unsaved = dirty();
      state.resetting = true;
      say("Resetting " + file + "…");
      request(API + name + "/reset", { method: "POST" })
        .then(function (reply) {
          if (!reply.ok) {
            say("Not reset: " + failure(reply));
            return;
          }
          var r = reply.body;
          takeDisk(r.content, r.version);
          if (unsaved) keep(mine, "Your unsaved text from the page, before the reset (not saved anywhere):");
          state.passed = false;
          showSolutionState();
          result.hidden = true;
          if (r.outcome === "unchanged") say(file + " already was the committed version: nothing changed.");
          else say("Reset: " + file + " is back as committed. Your version is kept as " + r.backup + ".");
          document.dispatchEvent(new CustomEvent("workbook:progress"));
        })
        .catch(function () {
          say("Not reset: " + NO_SERVER);
        })
        .then(function () {
          state.resetting = false;
          resetButton.focus();
          afterWrite();
        });
    });

    // ---- start
    editor.onChange = function () {
      showWhere();
      keepDraft();
    };
    editor.onCaret = showWhere;
    showSolutionState();
    var draft = null;
    try {
      draft = JSON.parse(sessionStorage.getItem(draftKey) || "null");
    } catch (_) {
      draft = null;
    }
    if (draft && typeof draft.text === "string" && draft.text !== loaded.content) {
      editor.setValue(draft.text);
      if (draft.base === loaded.version) {
        say("Your unsaved edits from before the page was reloaded are back in the editor (not saved yet).");
      } else {
        state.version = draft.base;
        showConflict(
          loaded.content,
          loaded.version,
          "The editor holds your unsaved edits from before the page was reloaded, and " + file + " changed on disk since.",
        );
      }
    } else if (draft) {
      dropDraft();
    }
    if (!loaded.exists && !draft)
      say(file + " does not exist (deleted or moved?): Reset restores it, or Save writes what the editor holds.");
    showWhere();
  }

  function start() {
    var badge = document.querySelector(".exercise-status[data-exercise]");
    if (!badge || !served() || !window.fetch || !/^https?:$/.test(location.protocol)) return;
    var name = badge.getAttribute("data-exercise");
    request(API + encodeURIComponent(name))
      .then(function (reply) {
        if (reply.ok && reply.body && typeof reply.body.content === "string") build(badge, reply.body);
      })
      .catch(function () {
        // An older server without the exercise API: the page stays as written.
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
