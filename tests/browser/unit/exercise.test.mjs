// The exercise page's words (exercise-words.js) for the exercise API's
// answers of the contract's fixture, without a browser.

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { FIXTURE, REPO, load } from "./load.mjs";

const global = load("core.js", "exercise-words.js");
const W = global("workbookExerciseWords");
const { errorPlaces } = global("workbook");
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
  assert.deepEqual(errorPlaces(rendered, "08_fix_the_race.rs"), [
    { line: 31, column: 20 },
    { line: 7, column: 1 },
  ]);
  assert.deepEqual(errorPlaces(rendered, "05_other.rs"), []);
  // A snippet's program is src/main.rs.
  assert.deepEqual(errorPlaces("error: x\n --> src/main.rs:3:9\n  |\nhelp: y", "main.rs"), [{ line: 3, column: 9 }]);
});

/** A Storage of the page's kind, in memory. */
function memoryStorage(entries) {
  const map = new Map(Object.entries(entries));
  return {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
    entries: () => Object.fromEntries(map),
  };
}

test("a draft kept under an exercise's former name moves to its new name, once", () => {
  assert.deepEqual(X.file.formerly, ["04_fix_the_race"], "the server names the former names");
  const name = X.file.name;
  const draft = JSON.stringify({ base: "0123", text: "// mine" });
  const storage = memoryStorage({ [W.draftKey("04_fix_the_race")]: draft, other: "x" });
  assert.equal(W.moveDraft(storage, name, X.file.formerly), "04_fix_the_race");
  assert.deepEqual(storage.entries(), { [W.draftKey(name)]: draft, other: "x" });
  // A second load: nothing left to move, the draft stays.
  assert.equal(W.moveDraft(storage, name, X.file.formerly), null);
  assert.deepEqual(storage.entries(), { [W.draftKey(name)]: draft, other: "x" });
  // The latest former name wins; a draft under the current name is never replaced.
  const chained = memoryStorage({ [W.draftKey("13_x")]: "older", [W.draftKey("07_x")]: "newer" });
  assert.equal(W.moveDraft(chained, "03_x", ["07_x", "13_x"]), "07_x");
  assert.equal(chained.getItem(W.draftKey("03_x")), "newer");
  const kept = memoryStorage({ [W.draftKey("07_x")]: "old", [W.draftKey("03_x")]: "current" });
  assert.equal(W.moveDraft(kept, "03_x", ["07_x"]), null);
  assert.deepEqual(kept.entries(), { [W.draftKey("07_x")]: "old", [W.draftKey("03_x")]: "current" });
});

test("each exercise file opens at its first thing to change, below the statement's markers", () => {
  const dir = path.join(REPO, "exercises");
  const files = fs.readdirSync(dir).filter((f) => /^\d\d_.*\.rs$/.test(f));
  assert.ok(files.length >= 20, `${files.length} exercise files`);
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    const lines = text.split("\n");
    const end = lines.findIndex((l) => l.startsWith("// ANCHOR_END: statement")) + 1;
    const at = W.firstToChange(text);
    assert.equal(at.from, end + 1, `${file}: the first line after the statement`);
    assert.ok(at.line > end, `${file}: line ${at.line} is below the statement (ends at ${end})`);
    assert.match(lines[at.line - 1], /TODO|todo!\(|unimplemented!\(/, `${file}: line ${at.line}`);
    assert.equal(at.column, lines[at.line - 1].search(/\S/) + 1, `${file}: at the line's first character`);
  }
  // A solved file (no TODO left): the first line of code after the statement.
  const solved =
    "// ANCHOR: statement\n//! # 01\n// ANCHOR_END: statement\n\nuse std::ops::Range;\n\n/// Doc.\npub fn f() {}\n";
  assert.deepEqual(W.firstToChange(solved), { line: 8, column: 1, from: 4 });
  assert.deepEqual(W.firstToChange("fn main() {}\n"), { line: 1, column: 1, from: 1 });
});
