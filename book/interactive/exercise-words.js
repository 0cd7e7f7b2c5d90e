/* global workbook */
/* exported workbookExerciseWords */
// What the exercise page says about the server's answers (the exercise API
// of contract.js): plain functions of those answers, no DOM, so that
// tests/browser/unit/ checks them against the contract's fixture in Node.
// exercise.js and exercise-check.js show them. Also the name a draft is kept
// under, and its move after a renumbering (plain functions of a Storage).

const workbookExerciseWords = (() => {
  "use strict";

  const { plural } = workbook;

  const NO_SERVER = "the workbook server does not answer. Is `cargo workbook` still running?";

  /** Why a request failed, in one sentence. @param {{status: number, body: any}} reply */
  function failure(reply) {
    const why = (reply.body && reply.body.error) || `HTTP ${reply.status}`;
    if (reply.status === 401) {
      return workbook.NOT_SIGNED_IN;
    }
    if (reply.status === 413) {
      return `the file is larger than the server accepts (${why}).`;
    }
    return why;
  }

  /** What a save says. @param {Saved} saved @param {string} file @param {boolean} over */
  function savedWords(saved, file, over) {
    if (saved.unchanged) {
      return `Nothing to save: ${file} already holds this text.`;
    }
    if (over) {
      return `Saved ${file} over the version on disk, which is kept as ${saved.backup}.`;
    }
    return saved.backup ? `Saved ${file}. Its previous version is kept as ${saved.backup}.` : `Saved ${file}.`;
  }

  /** What a reset says. @param {ResetReply} reply @param {string} file */
  function resetWords(reply, file) {
    return reply.outcome === "unchanged"
      ? `${file} already was the committed version: nothing changed.`
      : `Reset: ${file} is back as committed. Your version is kept as ${reply.backup}.`;
  }

  /** The verdict line while a check waits its turn. @param {number} ahead */
  function waitingWords(ahead) {
    return `Waiting, ${plural(ahead, "run")} ahead: the server runs one at a time.`;
  }

  /** The verdict line of a check that ended. @param {Done} done */
  function verdictWords(done) {
    if (done.outcome === "stopped") {
      return "Stopped: the check did not finish, and nothing was recorded. Every process it had started was ended.";
    }
    return done.message || done.outcome;
  }

  /** The notes under a check's verdict. @param {Done} done @returns {string[]} */
  function checkNotes(done) {
    const notes = [];
    if (done.outcome === "timed_out") {
      notes.push(
        "The check was stopped at its time limit, with every process it had started. A thread that waits for something that never comes (a lock, a message, a signal) or a loop that never ends keeps a check from finishing.",
      );
    }
    if (done.outcome === "passed") {
      notes.push("The solution is open now: press Solution to compare it with yours.");
    }
    if (done.truncated) {
      notes.push("The check printed more than the server keeps: its verdict was read from the end of the output.");
    }
    if (done.detail && done.detail.progress_error) {
      notes.push(`Your progress could not be recorded: ${done.detail.progress_error}`);
    }
    return notes;
  }

  /**
   * Where the learner's file asks for a change first, to open the editor
   * there: the first `todo!(`, `unimplemented!(` or TODO after the statement
   * (which ends at the book's `// ANCHOR_END: statement` marker), else the
   * first line of code after it, else the top. `from` is the first line
   * after the statement (1 without one): the editor shows no line above it
   * unless it must.
   * @param {string} text
   * @returns {{line: number, column: number, from: number}}
   */
  function firstToChange(text) {
    const lines = text.split("\n");
    const start = lines.findIndex((l) => /^\s*\/\/\s*ANCHOR_END:\s*statement\b/.test(l)) + 1;
    const at = (/** @type {number} */ i) => ({
      line: i + 1,
      column: lines[i].search(/\S|$/) + 1,
      from: start + 1,
    });
    const asks = /\b(?:todo|unimplemented)!\s*\(|\bTODO\b/;
    const ask = lines.findIndex((l, i) => i >= start && asks.test(l));
    if (ask >= 0) {
      return at(ask);
    }
    const code = lines.findIndex((l, i) => i >= start && /\S/.test(l) && !/^\s*(?:\/\/|use\s)/.test(l));
    return code >= 0 ? at(code) : { line: 1, column: 1, from: 1 };
  }

  /** The sessionStorage key of the unsaved draft of exercise `name`. @param {string} name */
  function draftKey(name) {
    return `workbook-draft:${name}`;
  }

  /**
   * Moves a draft kept under a former name of the exercise (the renumbering's
   * `[[renamed]]` rows, latest first) to its current name, once: the latest
   * such draft moves, unless one is kept under the current name already (then
   * nothing moves, and nothing is dropped).
   * @param {Pick<Storage, "getItem" | "setItem" | "removeItem">} storage
   * @param {string} name
   * @param {string[]} formerly
   * @returns {string | null} the former name whose draft moved
   */
  function moveDraft(storage, name, formerly) {
    if (storage.getItem(draftKey(name)) !== null) {
      return null;
    }
    for (const old of formerly) {
      const draft = storage.getItem(draftKey(old));
      if (draft !== null) {
        storage.setItem(draftKey(name), draft);
        storage.removeItem(draftKey(old));
        return old;
      }
    }
    return null;
  }

  return {
    NO_SERVER,
    failure,
    savedWords,
    resetWords,
    waitingWords,
    verdictWords,
    checkNotes,
    firstToChange,
    draftKey,
    moveDraft,
  };
})();
