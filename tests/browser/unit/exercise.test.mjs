// The exercise page's words (exercise-words.js) for the exercise API's
// answers of the contract's fixture, without a browser.

import { test } from "node:test";
import assert from "node:assert/strict";
import { FIXTURE, load } from "./load.mjs";

const W = load("core.js", "exercise-words.js")("workbookExerciseWords");
const X = FIXTURE.exercise;
const FILE = X.file.file;

test("a save says what it did, and where the previous version is", () => {
  assert.equal(W.savedWords(X.saved, FILE, false), `Saved ${FILE}. Its previous version is kept as ${X.saved.backup}.`);
  assert.equal(
    W.savedWords(X.saved, FILE, true),
    `Saved ${FILE} over the version on disk, which is kept as ${X.saved.backup}.`,
  );
  assert.equal(W.savedWords(X.unchanged, FILE, false), `Nothing to save: ${FILE} already holds this text.`);
});

test("a reset says what it did", () => {
  assert.equal(
    W.resetWords(X.reset, FILE),
    `Reset: ${FILE} is back as committed. Your version is kept as ${X.reset.backup}.`,
  );
  assert.equal(W.resetWords(X.reset_unchanged, FILE), `${FILE} already was the committed version: nothing changed.`);
});

test("a refusal says why", () => {
  assert.equal(W.failure({ status: 404, body: X.error }), X.error.error);
  assert.equal(W.failure({ status: 500, body: {} }), "HTTP 500");
  assert.equal(
    W.failure({ status: 401, body: { error: "not signed in: open the link …" } }),
    "this browser is not signed in to `cargo workbook`: run `cargo workbook open` to sign in again.",
  );
  assert.equal(W.failure({ status: 403, body: { error: "a foreign Host" } }), "a foreign Host");
  assert.match(W.failure({ status: 413, body: { error: "too big" } }), /^the file is larger than the server accepts/);
});

test("a check's verdict and notes, for every ending of the fixture", () => {
  const dones = Object.fromEntries(FIXTURE.run_events.filter((e) => e.event === "done").map((d) => [d.outcome, d]));
  assert.equal(W.verdictWords(dones.failed), dones.failed.message);
  assert.match(W.verdictWords(dones.stopped), /^Stopped: the check did not finish, and nothing was recorded\./);
  assert.deepEqual(W.checkNotes(dones.passed), ["The solution is open now: press Solution to compare it with yours."]);
  assert.deepEqual(W.checkNotes(dones.failed), [
    `Your progress could not be recorded: ${dones.failed.detail.progress_error}`,
  ]);
  assert.match(W.checkNotes(dones.timed_out)[0], /stopped at its time limit/);
  assert.match(W.checkNotes(dones.too_much_output)[0], /printed more than the server keeps/);
  assert.match(W.waitingWords(1), /^Waiting, 1 run ahead/);
});

test("compile errors name lines of the learner's file, not of the check's", () => {
  const rendered = [
    "error[E0308]: mismatched types",
    "  --> exercises/checks/../08_fix_the_race.rs:31:20",
    "  --> exercises/checks/08_fix_the_race.rs:12:5",
    "  --> exercises/08_fix_the_race.rs:7:1",
  ].join("\n");
  assert.deepEqual(W.errorPlaces(rendered, "08_fix_the_race"), [
    { line: 31, column: 20 },
    { line: 7, column: 1 },
  ]);
  assert.deepEqual(W.errorPlaces(rendered, "05_other"), []);
});
