// core.js without a browser: the one seconds formatter and the words, the
// run-stream reader fed the contract's fixture however the bytes are cut,
// and the progress as the server serves it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { FIXTURE, NDJSON, load, streamed } from "./load.mjs";

const workbook = load("core.js")("workbook");

test("seconds read as the examples print them", () => {
  const f = workbook.formatSeconds;
  assert.equal(f(0.000812), "812 µs");
  assert.equal(f(0.0521), "52.1 ms");
  assert.equal(f(1.234), "1.23 s");
  assert.equal(f(0), "0 µs");
  assert.equal(f(NaN), "?");
  assert.equal(f(undefined), "?");
});

test("words: plurals, lists, sentences", () => {
  assert.equal(workbook.plural(1, "run"), "1 run");
  assert.equal(workbook.plural(3, "run"), "3 runs");
  assert.equal(workbook.plural(1200, "schedule"), "1,200 schedules");
  assert.equal(workbook.plural(2, "of them fails", "of them fail"), "2 of them fail");
  assert.equal(workbook.listWords(["a"]), "a");
  assert.equal(workbook.listWords(["a", "b", "c"]), "a, b and c");
  assert.equal(workbook.sentence("exit code 1"), "Exit code 1.");
  assert.equal(workbook.sentence("done!"), "Done!");
  assert.equal(workbook.plain("call `notify_one`"), "call notify_one");
});

test("the run-stream reader hands on every event of the fixture, in order, however the bytes arrive", async () => {
  const bytes = new TextEncoder().encode(NDJSON);
  // Whole, one byte at a time (cutting lines and the UTF-8 of "✓" and
  // "µ"), and in pieces of 7.
  const cuts = [[bytes], [...bytes].map((b) => new Uint8Array([b])), []];
  for (let i = 0; i < bytes.length; i += 7) {
    cuts[2].push(bytes.slice(i, i + 7));
  }
  for (const pieces of cuts) {
    const seen = [];
    const sawDone = await workbook.readRun(streamed(pieces), (e) => seen.push(e));
    assert.equal(sawDone, true);
    assert.deepEqual(seen, FIXTURE.run_events);
  }
});

test("a stream that breaks off says so: no done, and a cut line is skipped", async () => {
  const seen = [];
  const cut = NDJSON.slice(0, NDJSON.indexOf('"event":"done"') - 5);
  const sawDone = await workbook.readRun(streamed([cut]), (e) => seen.push(e));
  assert.equal(sawDone, false);
  assert.ok(seen.length > 0 && seen.every((e) => e.event !== "done"));
  assert.deepEqual(seen, FIXTURE.run_events.slice(0, seen.length));
});

test("an exercise's status comes from the one progress shape", () => {
  const p = FIXTURE.progress;
  assert.equal(workbook.statusOf(p, "01_chunks"), "passed");
  assert.equal(workbook.statusOf(p, "03_spawn_join"), "failed");
  assert.equal(workbook.statusOf(p, "04_scoped_sum"), "not-started");
  assert.equal(workbook.statusOf(p, "99_not_in_the_table"), "not-started");
  assert.equal(workbook.statusOf(FIXTURE.progress_unreadable, "01_chunks"), "not-started");
});

test("the exercise API's paths", () => {
  assert.equal(workbook.API.exercise("08_fix_the_race"), "/__workbook/api/exercise/08_fix_the_race");
  assert.equal(workbook.API.exercise("08_fix_the_race", "save"), "/__workbook/api/exercise/08_fix_the_race/save");
});

test("a request carries no secret: the browser sends its sign-in cookie by itself", async () => {
  const asked = [];
  globalThis.fetch = async (path, init) => {
    asked.push({ path, ...init });
    return new Response("{}");
  };
  await workbook.send(workbook.API.stop, { method: "POST", json: FIXTURE.requests.stop });
  await workbook.call(workbook.API.progress);
  assert.deepEqual(asked[0].headers, { "Content-Type": "application/json" });
  assert.deepEqual(asked[1].headers, {});
  for (const init of asked) {
    assert.equal(init.credentials, undefined, "the default, same-origin");
  }
  assert.equal(workbook.served(), false, "no page, no version meta: not served");
});
