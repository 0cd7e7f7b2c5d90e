/* global workbook */
/* exported workbookExerciseWords */
// What the exercise page says about the server's answers (the exercise API
// of contract.js): plain functions of those answers, no DOM, so that
// tests/browser/unit/ checks them against the contract's fixture in Node.
// exercise.js and exercise-check.js show them.

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
   * The places in the learner's file `name`.rs that a compiler message names
   * (`--> exercises/NAME.rs:LINE:COLUMN`), not those in the check's own file.
   * @param {string} rendered @param {string} name
   * @returns {Array<{line: number, column: number}>}
   */
  function errorPlaces(rendered, name) {
    const places = [];
    for (const m of rendered.matchAll(/-->\s+([^\s:]+):(\d+):(\d+)/g)) {
      const path = m[1].replace(/\\/g, "/");
      if (path.split("/").pop() === `${name}.rs` && !/checks\/[^/]+$/.test(path)) {
        places.push({ line: Number(m[2]), column: Number(m[3]) });
      }
    }
    return places;
  }

  return { NO_SERVER, failure, savedWords, resetWords, waitingWords, verdictWords, checkNotes, errorPlaces };
})();
