/* global workbook, workbookRuns, workbookEditors, workbookExerciseLayout, workbookExerciseCheck, workbookExerciseWords */
// The exercise page as the learner's own file, when `cargo workbook` serves
// the book. On a page with
//   <div class="exercise-status" data-exercise="08_fix_the_race"></div>
// the book's listing of the file's first lines becomes the whole file,
// `exercises/NAME.rs`, in an editor (exercise-editor.js), with Save, Check
// (and Stop while one runs), Hint, Solution (once the check passes, as on
// the command line) and Reset under it (exercise-layout.js). The server's
// side, and its API, is workbook/src/serve/exercise.rs; a check is a run
// (runs.js) shown by exercise-check.js.
//
// A learner's text is never lost: Save never writes over a version of the
// file the page has not seen (the server answers 409, and the page offers to
// load the disk version, keeping its own text to copy, or to save over it,
// the disk version becoming a backup); an edit made in the learner's own
// editor comes into the page when the page has no unsaved edits, and is
// offered the same way when it has; unsaved edits outlive a reload of the
// tab (the browser's sessionStorage keeps them until they are saved).
//
// A static copy of the book shows the page as written: the statement and
// the commands to type, and no control that cannot work.
(() => {
  "use strict";

  const { API, call, el, setRich, clear, setUnavailable, isUnavailable } = workbook;
  const W = workbookExerciseWords;

  /** One exercise page: the file it holds, and what its buttons do. */
  class ExercisePage {
    /** @param {Element} badge @param {ExerciseFile} loaded */
    constructor(badge, loaded) {
      this.name = loaded.name;
      this.file = loaded.file;
      this.state = {
        version: loaded.version, // of the file on disk, as the page last saw it
        saved: loaded.content, // the text of that version
        passed: loaded.status === "passed",
        saving: false,
        checking: false,
        resetting: false,
        deferred: null, // a notice that came while a save or reset was on its way
        conflict: null, // {content, version} of the disk, when it differs from the page
      };
      this.draftKey = W.draftKey(this.name);
      this.draftTimer = null;
      this.parts = workbookExerciseLayout.build(loaded);
      workbookExerciseLayout.place(badge, this.file, this.parts.section);
      const label = { by: this.parts.ids.heading, describedBy: this.parts.ids.keys };
      this.editor = workbookEditors.create(this.parts.editorHost, loaded.content, label);
      this.parts.section.setAttribute("data-editor", this.editor.kind);
      this.checkRunner = this.makeCheckRunner();
      this.wire();
      this.restoreDraft(loaded);
      this.openAtFirstChange();
      this.showSolutionState();
      this.showWhere();
    }

    /** A sentence of the page's own, where `a command` reads as code. @param {string} text */
    say(text) {
      setRich(this.parts.message, text);
    }

    dirty() {
      return this.editor.getValue() !== this.state.saved;
    }

    /** Whether the text is saved, and where the caret is. */
    showWhere() {
      const { state } = this;
      const parts = [];
      if (state.conflict) {
        parts.push("Not saved: the file changed on disk (see the notice above the editor)");
      } else {
        parts.push(this.dirty() ? "Unsaved edits" : "Saved: the page shows the file on disk");
      }
      const at = this.editor.position();
      parts.push(`line ${at.line}, column ${at.column}`);
      const where = this.parts.where;
      where.textContent = parts.join(" · ");
      where.setAttribute("data-state", state.conflict ? "conflict" : this.dirty() ? "unsaved" : "saved");
    }

    showSolutionState() {
      const { solution } = this.parts.actions.buttons;
      const note = this.parts.actions.solutionNote;
      setUnavailable(solution, !this.state.passed);
      if (this.state.passed) {
        solution.removeAttribute("aria-describedby");
        note.textContent = "";
      } else {
        solution.setAttribute("aria-describedby", this.parts.ids.solutionNote);
        note.textContent = "The solution opens once your file passes its check.";
        this.parts.solutionBox.hidden = true;
        clear(this.parts.solutionBox);
        solution.setAttribute("aria-expanded", "false");
      }
    }

    /** @param {HTMLElement} button @param {boolean} busy @param {string} busyText @param {string} idleText */
    setBusy(button, busy, busyText, idleText) {
      setUnavailable(button, busy);
      button.setAttribute("aria-busy", busy ? "true" : "false");
      button.textContent = busy ? busyText : idleText;
    }

    // ---- unsaved edits outlive a reload of the tab (the server's live
    // reload, or the learner's). sessionStorage is the tab's own: a second
    // tab on the same exercise does not take the first one's edits.

    writeDraft() {
      this.draftTimer = null;
      try {
        if (this.dirty()) {
          sessionStorage.setItem(
            this.draftKey,
            JSON.stringify({ base: this.state.version, text: this.editor.getValue() }),
          );
        } else {
          sessionStorage.removeItem(this.draftKey);
        }
      } catch {
        // No storage (a private window): edits live as long as the page.
      }
    }

    keepDraft() {
      clearTimeout(this.draftTimer);
      this.draftTimer = setTimeout(() => this.writeDraft(), 250);
    }

    dropDraft() {
      clearTimeout(this.draftTimer);
      this.draftTimer = null;
      try {
        sessionStorage.removeItem(this.draftKey);
      } catch {
        // as above
      }
    }

    /** The draft of an earlier load of this tab, back in the editor. @param {ExerciseFile} loaded */
    restoreDraft(loaded) {
      const draft = (() => {
        try {
          // Kept under the exercise's name before a renumbering: now its own.
          W.moveDraft(sessionStorage, this.name, loaded.formerly || []);
          return JSON.parse(sessionStorage.getItem(this.draftKey) || "null");
        } catch {
          return null;
        }
      })();
      if (draft && typeof draft.text === "string" && draft.text !== loaded.content) {
        this.editor.setValue(draft.text);
        if (draft.base === loaded.version) {
          this.say("Your unsaved edits from before the page was reloaded are back in the editor (not saved yet).");
        } else {
          this.state.version = draft.base;
          const why = `The editor holds your unsaved edits from before the page was reloaded, and ${this.file} changed on disk since.`;
          this.showConflict(loaded.content, loaded.version, why);
        }
      } else if (draft) {
        this.dropDraft();
      }
      if (!loaded.exists && !draft) {
        this.say(
          `${this.file} does not exist (deleted or moved?): Reset restores it, or Save writes what the editor holds.`,
        );
      }
    }

    /** The caret and the view at the first thing the file asks to change
     * (not at the statement's build markers on line 1). */
    openAtFirstChange() {
      const at = W.firstToChange(this.editor.getValue());
      this.editor.reveal(at.line, at.column, at.from);
    }

    /** Text of the learner's set aside, to copy or put back. @param {string} text @param {string} why */
    keep(text, why) {
      const kept = this.parts.kept;
      kept.why.textContent = why;
      kept.area.value = text;
      kept.box.hidden = false;
    }

    // ---- a file on disk that differs from what the page holds

    showConflict(content, version, why) {
      const c = this.parts.conflict;
      this.state.conflict = { content, version };
      c.text.textContent = `${why} Your text in the page is not saved. Load the version on disk (your text stays on this page, to copy or put back), or save your text over it (the version on disk is kept as a backup).`;
      c.body.hidden = false;
      this.showWhere();
    }

    endConflict() {
      this.state.conflict = null;
      this.parts.conflict.body.hidden = true;
      this.showWhere();
    }

    takeDisk(content, version) {
      this.state.saved = content;
      this.state.version = version;
      this.editor.setValue(content);
      this.dropDraft();
      this.endConflict();
    }

    // ---- Save

    /** Saves the editor's text; `over` the version on disk too. @param {boolean} over @returns {Promise<boolean>} */
    async save(over) {
      const { state, file } = this;
      if (state.saving) {
        return false;
      }
      const text = this.editor.getValue();
      const button = this.parts.actions.buttons.save;
      state.saving = true;
      this.setBusy(button, true, "Saving…", "Save");
      this.say(`Saving ${file}…`);
      let ok = false;
      try {
        const reply = await call(API.exercise(this.name, "save"), {
          method: "POST",
          json: { content: text, base: state.version, overwrite: over },
        });
        if (reply.ok) {
          state.version = reply.body.version;
          state.saved = text;
          if (this.editor.getValue() === text) {
            this.dropDraft();
          }
          this.endConflict();
          this.say(W.savedWords(reply.body, file, over));
          ok = true;
        } else if (reply.status === 409) {
          this.showConflict(reply.body.disk_content, reply.body.disk_version, `Not saved: ${reply.body.error}.`);
          this.say(`Not saved: ${file} changed on disk since the page loaded it.`);
        } else {
          this.say(`Not saved: ${W.failure(reply)}`);
        }
      } catch {
        this.say(`Not saved: ${W.NO_SERVER}`);
      }
      state.saving = false;
      this.setBusy(button, false, "", "Save");
      this.showWhere();
      this.afterWrite();
      return ok;
    }

    // ---- an edit on disk (the learner's own editor, a terminal, a reset)

    /** @param {{name: string, version: string}} notice */
    async onFileNotice(notice) {
      const { state, file } = this;
      if (state.saving || state.resetting) {
        state.deferred = notice; // looked at once the write is answered
        return;
      }
      if (notice.version === state.version) {
        return; // the page's own save
      }
      const reply = await call(API.exercise(this.name)).catch(() => null);
      if (!reply || !reply.ok) {
        return; // the server went away; the live reload will bring the page back
      }
      /** @type {ExerciseFile} */
      const disk = reply.body;
      if (disk.version === state.version) {
        return;
      }
      if (disk.content === this.editor.getValue()) {
        // The disk now holds what the page holds.
        state.version = disk.version;
        state.saved = disk.content;
        this.dropDraft();
        this.endConflict();
      } else if (!this.dirty() && !state.conflict) {
        this.takeDisk(disk.content, disk.version);
        this.say(`${file} changed on disk (in another editor?): the page now shows the new version.`);
      } else {
        this.showConflict(disk.content, disk.version, `${file} changed on disk while you had unsaved edits here.`);
        this.say(`${file} changed on disk: see the notice above the editor.`);
      }
    }

    afterWrite() {
      const notice = this.state.deferred;
      this.state.deferred = null;
      if (notice) {
        this.onFileNotice(notice);
      }
    }

    // ---- Check

    makeCheckRunner() {
      const result = this.parts.result;
      const buttons = this.parts.actions.buttons;
      const view = new workbookExerciseCheck.CheckView(
        { name: this.name, ...result, result: result.box, stopButton: buttons.stop, editor: this.editor },
        (done) => {
          if (done.detail) {
            this.state.passed = done.detail.status === "passed";
            this.showSolutionState();
          }
          workbook.progressChanged();
        },
      );
      return new workbookRuns.Runner(view, (running) => {
        const stop = buttons.stop;
        const hadFocus = document.activeElement === stop;
        stop.hidden = !running;
        stop.removeAttribute("aria-disabled");
        if (!running && hadFocus) {
          buttons.check.focus();
        }
      });
    }

    /** Check: saves unsaved edits first (the check tests the file on disk). */
    async check() {
      const { state } = this;
      const button = this.parts.actions.buttons.check;
      if (state.checking) {
        return;
      }
      state.checking = true;
      this.setBusy(button, true, "Checking…", "Check");
      if (!this.dirty() || (await this.save(false))) {
        this.say("");
        await this.checkRunner.start({ path: API.exercise(this.name, "check") });
      } else {
        this.say("Not checked: the check tests the file on disk, and your edits are not saved.");
      }
      state.checking = false;
      this.setBusy(button, false, "", "Check");
    }

    // ---- Hint and Solution: each opens a box, and closes it again

    /**
     * Opens `box` with what `action` of the exercise API answers (`fill`
     * puts it in), or closes it if it is open.
     * @param {HTMLElement} button @param {HTMLElement} box @param {string} action
     * @param {string} what  the noun of a refusal ("No hint: ...")
     * @param {(body: any) => Node[]} fill
     */
    async toggle(button, box, action, what, fill) {
      if (!box.hidden) {
        box.hidden = true;
        button.setAttribute("aria-expanded", "false");
        return;
      }
      const reply = await call(API.exercise(this.name, action)).catch(() => null);
      clear(box);
      if (!reply || !reply.ok) {
        this.say(`No ${what}: ${reply ? W.failure(reply) : W.NO_SERVER}`);
        return;
      }
      box.append(...fill(reply.body));
      box.hidden = false;
      button.setAttribute("aria-expanded", "true");
    }

    toggleHint() {
      return this.toggle(this.parts.actions.buttons.hint, this.parts.hintBox, "hint", "hint", (hint) => [
        el("h3", { text: "Hint" }),
        el("p", { class: "exercise-hint-text", "data-testid": "exercise-hint-text", rich: hint.hint }),
      ]);
    }

    toggleSolution() {
      if (!this.state.passed) {
        this.say(
          `Not yet: press Check first. Once your file passes, Solution shows it here, and \`cargo workbook solution ${this.name}\` prints it.`,
        );
        return;
      }
      return this.toggle(
        this.parts.actions.buttons.solution,
        this.parts.solutionBox,
        "solution",
        "solution",
        (solution) => {
          const block = el("code", { class: "language-rust", text: solution.content });
          try {
            window.hljs?.highlightBlock?.(block);
          } catch {
            // Plain text reads as well.
          }
          const label = `A solution of ${this.name}`;
          return [
            el("h3", { text: "A solution, to compare with yours" }),
            el("pre", { tabindex: "0", "aria-label": label, "data-testid": "exercise-solution-code" }, [block]),
          ];
        },
      );
    }

    // ---- Reset: asks first, keeps a backup

    askReset() {
      const { text, box, cancel } = this.parts.reset;
      const unsaved = this.dirty() ? ", and your unsaved text stays on this page to copy." : ".";
      text.textContent = `Put ${this.file} back as it was committed in git? Your version is kept as a backup first${unsaved} The exercise's status goes back to "not started" until you check it again.`;
      box.hidden = false;
      cancel.focus();
    }

    async reset() {
      const { state, file } = this;
      if (state.resetting) {
        return;
      }
      this.parts.reset.box.hidden = true;
      const mine = this.editor.getValue();
      const unsaved = this.dirty();
      state.resetting = true;
      this.say(`Resetting ${file}…`);
      const reply = await call(API.exercise(this.name, "reset"), { method: "POST" }).catch(() => null);
      if (!reply) {
        this.say(`Not reset: ${W.NO_SERVER}`);
      } else if (!reply.ok) {
        this.say(`Not reset: ${W.failure(reply)}`);
      } else {
        this.takeDisk(reply.body.content, reply.body.version);
        if (unsaved) {
          this.keep(mine, "Your unsaved text from the page, before the reset (not saved anywhere):");
        }
        state.passed = false;
        this.showSolutionState();
        this.parts.result.box.hidden = true;
        this.say(W.resetWords(reply.body, file));
        workbook.progressChanged();
      }
      state.resetting = false;
      this.parts.actions.buttons.reset.focus();
      this.afterWrite();
    }

    // ---- the wiring

    wire() {
      const { buttons } = this.parts.actions;
      const { conflict, kept, reset } = this.parts;
      const editor = this.editor;
      /** A button that does nothing while it is marked unavailable. */
      const onPress = (button, action) => button.addEventListener("click", () => !isUnavailable(button) && action());
      onPress(buttons.save, () => this.save(false));
      onPress(buttons.check, () => this.check());
      onPress(buttons.stop, () => this.checkRunner.stop());
      buttons.hint.addEventListener("click", () => this.toggleHint());
      buttons.solution.addEventListener("click", () => this.toggleSolution());
      buttons.reset.addEventListener("click", () => this.askReset());
      reset.cancel.addEventListener("click", () => {
        reset.box.hidden = true;
        this.say("Nothing was reset.");
        buttons.reset.focus();
      });
      reset.confirm.addEventListener("click", () => this.reset());
      conflict.load.addEventListener("click", () => this.loadDisk());
      conflict.overwrite.addEventListener("click", async () => (await this.save(true)) && editor.focus());
      kept.restore.addEventListener("click", () => {
        editor.setValue(kept.area.value);
        kept.box.hidden = true;
        this.showWhere();
        this.keepDraft();
        this.say("Your earlier text is back in the editor, not saved yet.");
        editor.focus();
      });
      kept.dismiss.addEventListener("click", () => {
        kept.box.hidden = true;
        kept.area.value = "";
        this.say("");
        buttons.save.focus();
      });
      this.wireEditor();
    }

    /** The editor's keys and edits, the server's notices, the tab going away. */
    wireEditor() {
      const editor = this.editor;
      editor.onSave = () => this.save(false);
      editor.onChange = () => {
        this.showWhere();
        this.keepDraft();
      };
      editor.onCaret = () => this.showWhere();
      // A reload within the 250 ms after the last key would lose those keys:
      // a draft still waiting for its timer is written as the page goes.
      window.addEventListener("pagehide", () => {
        if (this.draftTimer !== null) {
          clearTimeout(this.draftTimer);
          this.writeDraft();
        }
      });
      workbook.onNotice((notice) => {
        if (notice.kind === "exercise" && notice.name === this.name) {
          this.onFileNotice(notice);
        }
      });
      workbook.watchProgress((progress) => {
        this.state.passed = workbook.statusOf(progress, this.name) === "passed";
        this.showSolutionState();
      });
    }

    /** "Load the version on disk": the page's text is kept aside. */
    loadDisk() {
      const { state, file } = this;
      if (!state.conflict) {
        return;
      }
      const mine = this.editor.getValue();
      this.takeDisk(state.conflict.content, state.conflict.version);
      this.keep(mine, "Your text from the page, before you loaded the version on disk (not saved anywhere):");
      this.say(`The page now shows ${file} as it is on disk. Your earlier text from the page is below.`);
      this.editor.focus();
    }
  }

  workbook.onReady(() => {
    const badge = document.querySelector(".exercise-status[data-exercise]");
    if (!badge || !workbook.runnable()) {
      return;
    }
    call(API.exercise(badge.getAttribute("data-exercise")))
      .then((reply) => {
        if (reply.ok && reply.body && typeof reply.body.content === "string") {
          new ExercisePage(badge, reply.body);
        }
      })
      .catch(() => {
        // No server any more: the page stays as written.
      });
  });
})();
