// The scheduler puzzles' engine without a browser: every puzzle of the
// book, played and checked exhaustively as the widget does. Each broken
// version has failing schedules and its "Show me" schedule reaches the
// failure; each fixed version has none; the counts the chapters quote.

import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const E = load("core.js", "scheduler-engine.js", "puzzles.js", "puzzles-signaling.js")("workbookScheduler");
// A puzzle's element: only `deadlock` reads one of its attributes.
const root = { getAttribute: () => null };
const puzzles = Object.fromEntries([...E.puzzles].map(([name, make]) => [name, make(root)]));

/** Plays `schedule` on a variant from the start; returns the state. */
function play(variant, schedule) {
  const s = E.initialState(variant);
  for (const t of schedule) {
    assert.ok(E.enabled(variant, s).includes(t), `thread ${t} cannot move at step ${s.steps + 1}`);
    E.advance(variant, s, t);
  }
  return s;
}

test("the book's puzzles are all registered", () => {
  assert.deepEqual(Object.keys(puzzles).sort(), [
    "barrier",
    "condvar-if",
    "deadlock",
    "flag-lock",
    "lost-wakeup",
    "philosophers",
    "race",
    "withdraw",
  ]);
});

for (const [name, puzzle] of Object.entries(puzzles)) {
  test(`${name}: the broken version fails in some schedules, the fixed one in none`, () => {
    const broken = E.explore(puzzle.variants.broken);
    assert.ok(broken.failing > 0 && broken.failing <= broken.schedules, JSON.stringify(broken));
    assert.ok(play(puzzle.variants.broken, broken.example).failure, "the example fails when played");
    if (puzzle.variants.fixed) {
      const fixed = E.explore(puzzle.variants.fixed);
      assert.equal(fixed.failing, 0, JSON.stringify(fixed));
      assert.ok(fixed.schedules > 1);
    }
  });

  if (puzzle.showMe) {
    test(`${name}: "Show me" replays a schedule that ends in the failure`, () => {
      const s = play(puzzle.variants.broken, puzzle.showMe);
      assert.ok(s.failure, `${name}: no failure after ${puzzle.showMe.join(", ")}`);
      assert.equal(s.steps, puzzle.showMe.length, "it fails at its last step, not before");
    });
  }
}

test("race: 20 schedules of the six steps, 18 lose an update (chapter 11 says only two are right)", () => {
  const r = E.explore(puzzles.race.variants.broken);
  assert.deepEqual([r.schedules, r.failing], [20, 18]);
});

test("deadlock: the preset deadlocks at once, and lock ordering removes every deadlock", () => {
  const { variants, presets } = puzzles.deadlock;
  const s = play(variants.broken, presets[0].schedule);
  assert.equal(s.failure.kind, "deadlock");
  assert.match(
    s.failure.text,
    /^Deadlock! A holds L1 and waits for L2; B holds L2 and waits for L1: neither can ever proceed\.$/,
  );
  assert.equal(E.explore(variants.fixed).deadlocks, 0);
});

test("a blocked thread cannot move, and says why", () => {
  const v = puzzles.deadlock.variants.broken;
  const s = play(v, ["A"]);
  E.advance(v, s, "B"); // B takes L2
  const wait = E.blockedBy(v, s, "A");
  assert.equal(wait.clause, "waits for L2");
  assert.equal(wait.status, "Thread A waits: L2 is held by thread B. Step thread B to let it go on.");
  assert.deepEqual(E.enabled(v, s), []);
});

test("the check's words: how many schedules, how many fail, and one that does", () => {
  const race = E.explore(puzzles.race.variants.broken);
  assert.equal(
    E.checkWords(puzzles.race, "broken", race),
    `These two threads: checked all 20 schedules (${race.states} distinct states). 18 of them fail. One that fails: ${race.example.join(", ")}.`,
  );
  const fixed = E.explore(puzzles.deadlock.variants.fixed);
  assert.match(
    E.checkWords(puzzles.deadlock, "fixed", fixed),
    /^With lock ordering: checked all \d+ schedules \(\d+ distinct states\)\. None of them fails\.$/,
  );
  const philosophers = E.explore(puzzles.philosophers.variants.broken);
  assert.match(E.checkWords(puzzles.philosophers, "broken", philosophers), /, all by deadlock\. One that fails: /);
});

test("a thread that has finished, or a schedule that failed, says why nothing moves", () => {
  const v = puzzles.race.variants.broken;
  const s = play(v, ["A", "A", "A"]);
  assert.equal(E.cannotStep(v, s, "A"), "Thread A has finished. Step thread B.");
  assert.equal(E.cannotStep(v, s, "B"), null);
  const lost = play(v, ["A", "B", "A", "B", "A", "B"]);
  assert.match(E.cannotStep(v, lost, "A"), /^Thread A has finished\. Press Reset to play again\.$/);
  assert.equal(E.verdictWords(puzzles.race, "broken", lost), lost.failure.text);
  assert.match(E.verdictWords(puzzles.race, "broken", s), /^$/, "nothing while it goes on");
});
