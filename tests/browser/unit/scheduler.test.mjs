// The scheduler puzzles' engine without a browser: every puzzle of the
// book, played and checked exhaustively as the widget does. Each broken
// version has failing schedules and its "Show me" schedule reaches the
// failure; each fixed version has none; the counts the chapters quote; and
// the memory puzzles end in exactly the outcomes loom finds for their Rust.

import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const E = load(
  "core.js",
  "scheduler-engine.js",
  "puzzles.js",
  "puzzles-signaling.js",
  "puzzles-memory.js",
)("workbookScheduler");
// A puzzle's element: only `deadlock` reads one of its attributes.
const root = { getAttribute: () => null };
const puzzles = Object.fromEntries([...E.puzzles].map(([name, make]) => [name, make(root)]));

/** Plays `schedule` (its moves) on a variant from the start; returns the state. */
function play(variant, schedule) {
  const s = E.initialState(variant);
  for (const move of schedule) {
    const [t, choice] = E.parseMove(move);
    assert.ok(E.enabled(variant, s).includes(t), `thread ${t} cannot move at step ${s.steps + 1}`);
    if (choice !== undefined) {
      assert.ok(E.moves(variant, s).includes(move), `${move}: no such choice at step ${s.steps + 1}`);
    }
    E.advance(variant, s, move);
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
    "message-passing",
    "philosophers",
    "race",
    "store-buffering",
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

test("deadlock: Show me deadlocks at once, and lock ordering removes every deadlock", () => {
  const { variants, showMe } = puzzles.deadlock;
  const s = play(variants.broken, showMe);
  assert.equal(s.failure.kind, "deadlock");
  assert.match(
    s.failure.text,
    /^Deadlock! A holds L1 and waits for L2; B holds L2 and waits for L1: neither can ever proceed\.$/,
  );
  assert.equal(E.explore(variants.fixed).deadlocks, 0);
});

test("no puzzle's button names its answer: the older two have a Goal, a Hint and Show me, as the others", () => {
  for (const [name, p] of Object.entries(puzzles)) {
    assert.ok(p.goal && p.hint && p.showMe, `${name}: a goal, a hint and a failing schedule to show`);
    for (const preset of p.presets || []) {
      const s = play(p.variants[preset.variant || "broken"], preset.schedule);
      assert.equal(s.failure, null, `${name}: the preset "${preset.label}" plays the failure`);
    }
  }
});

test("a lost wake-up is stuck forever, not a deadlock: only a cycle of lock waits is one", () => {
  const lost = puzzles["lost-wakeup"];
  const s = play(lost.variants.broken, lost.showMe);
  assert.equal(s.failure.kind, "stuck");
  assert.match(
    s.failure.text,
    /^Stuck forever! A waits for a notification on signal, and every other thread has finished: nobody is left to wake it\. \(A lost wake-up, not a deadlock: no thread waits for a lock another holds\.\)$/,
  );
  const barrier = puzzles.barrier;
  const both = play(barrier.variants.broken, barrier.showMe);
  assert.equal(both.failure.kind, "stuck");
  assert.doesNotMatch(both.failure.text, /^Deadlock/);
  const r = E.explore(lost.variants.broken);
  assert.equal(r.deadlocks, 0);
  assert.equal(r.stuck, r.failing);
  assert.match(E.checkWords(lost, "broken", r), /, all stuck forever\. One that fails: /);
  const philosophers = puzzles.philosophers;
  assert.equal(play(philosophers.variants.broken, philosophers.showMe).failure.kind, "deadlock");
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
    `These two threads: there are 20 possible orders of the threads' steps, and the check played every one. 18 of them fail. One that fails: ${race.example.join(", ")}.`,
  );
  const fixed = E.explore(puzzles.deadlock.variants.fixed);
  assert.match(
    E.checkWords(puzzles.deadlock, "fixed", fixed),
    /^With lock ordering: there are \d+ possible orders of the threads' steps, and the check played every one\. None of them fails\.$/,
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

// ------------------------------------------------------ the memory puzzles

// The outcomes loom finds for each puzzle's Rust (tests/loom.rs): the test
// named beside each set asserts the same set.
test("store-buffering ends as loom says: all four outcomes with Relaxed, never a = b = 0 with SeqCst", () => {
  const { broken, fixed } = puzzles["store-buffering"].variants;
  // store_buffering_relaxed_lets_both_read_0: ANY_OUTCOME
  assert.deepEqual(E.explore(broken).outcomes, ["a = 0, b = 0", "a = 0, b = 1", "a = 1, b = 0", "a = 1, b = 1"]);
  // seqcst_stores_never_let_both_read_0: SOME_INTERLEAVING
  assert.deepEqual(E.explore(fixed).outcomes, ["a = 0, b = 1", "a = 1, b = 0", "a = 1, b = 1"]);
});

test("message-passing ends as loom says: a stale sum with a Relaxed flag, never with Release and Acquire", () => {
  const { broken, fixed } = puzzles["message-passing"].variants;
  // a_relaxed_flag_can_show_a_stale_sum: NotYet, Fresh, Stale
  assert.deepEqual(E.explore(broken).outcomes, ["B read the sum 0", "B read the sum 1.5", "B saw the flag down"]);
  // release_acquire_never_shows_a_stale_sum: NotYet, Fresh
  assert.deepEqual(E.explore(fixed).outcomes, ["B read the sum 1.5", "B saw the flag down"]);
});

test("a load may read any store not older than what its thread has seen, newest first", () => {
  const v = puzzles["store-buffering"].variants.broken;
  const s = play(v, ["A", "B"]);
  // Both stored: each load may read the other's 1 or the starting 0.
  assert.deepEqual(
    E.choicesOf(v, s, "A").map((c) => [c.key, c.value, c.words]),
    [
      ["1", "1", "1, stored by thread B (Relaxed)"],
      ["0", "0", "0, its starting value"],
    ],
  );
  assert.deepEqual(E.moves(v, s), ["A:1", "A:0", "B:1", "B:0"]);
  // Without a choice, a load reads the newest.
  const newest = play(v, ["A", "B", "A"]);
  assert.equal(newest.threads.A.local.a, 1);
  // A thread's own store is never older than what it may read.
  assert.equal(E.choicesOf(v, play(v, ["A"]), "B"), null, "B's next step is a store");
  const fixed = puzzles["store-buffering"].variants.fixed;
  assert.deepEqual(
    E.choicesOf(fixed, play(fixed, ["A", "B"]), "A").map((c) => c.value),
    ["1"],
    "a SeqCst load never reads older than the newest SeqCst store",
  );
});

test("an Acquire load that reads a Release store sees what came before it", () => {
  const { broken, fixed } = puzzles["message-passing"].variants;
  const sums = (v) =>
    E.choicesOf(v, play(v, ["A", "A", "B:1"]), "B")
      .map((c) => c.value)
      .sort();
  assert.deepEqual(sums(broken), ["0", "1.5"], "a Relaxed flag brings nothing with it");
  assert.deepEqual(sums(fixed), ["1.5"], "the flag's Release store brings the sum's store with it");
  assert.throws(() => play(fixed, ["A", "A", "B:1", "B:0"]), /no such choice/);
});

test("the check's words say which value each load of the failing schedule read, and what the schedules end in", () => {
  const p = puzzles["store-buffering"];
  const r = E.explore(p.variants.broken);
  const words = E.checkWords(p, "broken", r);
  assert.match(
    words,
    /^Relaxed: there are \d+ possible runs \(every order of the steps, with every value each load may read\), and the check played every one\. \d+ of them fail\. What they end in: a = 0, b = 0; a = 0, b = 1; a = 1, b = 0; a = 1, b = 1\. One that fails: /,
  );
  assert.deepEqual(E.scheduleWords(p.variants.broken, p.showMe), ["A", "B", "A reads 0 from y", "B reads 0 from x"]);
  const fixed = E.checkWords(p, "fixed", E.explore(p.variants.fixed));
  assert.match(fixed, /None of them fails\. What they end in: a = 0, b = 1; a = 1, b = 0; a = 1, b = 1\.$/);
});
