/* global workbookScheduler */
// The book's memory-ordering puzzles, as data for the engine
// (scheduler-engine.js; see puzzles.js for what a puzzle is). In these the
// reader schedules the threads and also chooses which value each load reads,
// among those the orderings allow (the engine's "memory": loom's model).
//
//   message-passing   chapter 18.1   a sum published behind a flag
//   store-buffering   chapter 18.3   raise my flag, look at yours
//
// Their Rust, and loom's proof that the outcomes are these: message-passing
// is examples/publish.rs's slot (Release/Acquire) and tests/loom.rs's
// RelaxedSlot (release_acquire_never_shows_a_stale_sum,
// a_relaxed_flag_can_show_a_stale_sum); store-buffering is
// examples/store_buffering.rs's raise_then_look
// (store_buffering_relaxed_lets_both_read_0,
// seqcst_stores_never_let_both_read_0). tests/browser/unit/scheduler.test.mjs
// checks that the engine finds the same outcomes as those tests.
(() => {
  "use strict";
  const S = workbookScheduler;
  const { store, load } = S.steps;

  // ------------------------------------- chapter 18.1: message passing

  // The worker publishes a sum behind a flag; the reader takes it once.
  function messageVariants() {
    const SUM = 1.5;
    function variant(flagStore, flagLoad) {
      return {
        atomics: { sum: 0, ready: false },
        locals: () => ({ ready: null, sum: null }),
        programs: {
          A: [store("sum", SUM, "Relaxed"), store("ready", true, flagStore)],
          B: [
            load("ready", flagLoad, {
              into: "ready",
              then: (s, t, up) =>
                up ? {} : { say: `Thread ${t} saw the flag down: nothing to take yet.`, goto: "end" },
            }),
            load("sum", "Relaxed", {
              into: "sum",
              label: "if it read `true`: `sum.load(Relaxed)`",
              indent: 1,
              then: (s, t, sum) =>
                sum === SUM
                  ? {}
                  : {
                      fail: `Thread B saw the flag up and read the sum as ${sum}, not ${SUM}: the flag arrived before the data.`,
                      note: "Stale read: the flag without the sum.",
                    },
            }),
          ],
        },
        outcome: (s) => {
          const mine = s.threads.B.local;
          return mine.ready === false ? "B saw the flag down" : `B read the sum ${mine.sum}`;
        },
      };
    }
    return { broken: variant("Relaxed", "Relaxed"), fixed: variant("Release", "Acquire") };
  }

  S.register("message-passing", () => ({
    id: "message-passing",
    title: "Puzzle: the flag before the data",
    help: "Thread A, the worker, stores a partial sum, 1.5, then raises the flag `ready`. Thread B, the reader, loads the flag and, if it is up, loads the sum. You choose which thread steps next, and, for each load, which value it reads: any value the orderings allow, not only the newest.",
    goal: "Make thread B see the flag up and read the sum as 0.",
    hint: "Let thread A store both. Thread B's load of `ready` may read `true`. With `Relaxed` on the flag, does reading `true` stop B's load of `sum` from reading the older 0?",
    roles: { A: "the worker", B: "the reader" },
    variants: messageVariants(),
    fix: {
      label: "Fixed version: `Release` on the flag's store, `Acquire` on its load",
      on: "Fixed version: the flag's store is Release and its load Acquire. Try to make B read 0, or check every schedule.",
      off: "Broken version again: Relaxed everywhere.",
    },
    variantNames: { broken: "Relaxed flag", fixed: "Release and Acquire" },
    locals: [
      {
        row: "Read",
        show: (mine, s, t) => {
          if (t === "A") {
            return "nothing: it only stores";
          }
          return mine.ready === null
            ? "nothing yet"
            : `ready: ${mine.ready}${mine.sum === null ? "" : `, sum: ${mine.sum}`}`;
        },
      },
    ],
    success: (s) => {
      const mine = s.threads.B.local;
      return mine.ready
        ? `Thread B saw the flag up and read the sum, ${mine.sum}.`
        : "Thread B saw the flag down and took nothing: no harm done, and it would try again later.";
    },
    showMe: ["A", "A", "B:1", "B:0"],
    resetText: "Reset: sum is 0, the flag is down, and both threads are at their first step.",
  }));

  // ------------------------------------- chapter 18.3: store buffering

  // Each thread raises its own flag, then looks at the other's.
  function storeBufferingVariants() {
    function variant(order) {
      const side = (mine, theirs, into) => [
        store(mine, 1, order),
        load(theirs, order, {
          into,
          then: (s) => {
            const { a, b } = { a: s.threads.A.local.a, b: s.threads.B.local.b };
            if (a === 0 && b === 0) {
              return {
                fail: "Both threads read 0: each missed the other's store, although each had stored first. No interleaving of the four steps gives that.",
                note: "Store buffering: both read 0.",
              };
            }
            return {};
          },
        }),
      ];
      return {
        atomics: { x: 0, y: 0 },
        locals: (t) => (t === "A" ? { a: null } : { b: null }),
        programs: { A: side("x", "y", "a"), B: side("y", "x", "b") },
        outcome: (s) => `a = ${s.threads.A.local.a}, b = ${s.threads.B.local.b}`,
      };
    }
    return { broken: variant("Relaxed"), fixed: variant("SeqCst") };
  }

  /** A thread's value read, as the threads' table shows it. */
  const readWords = (value) => (value === null ? "nothing yet" : String(value));

  S.register("store-buffering", () => ({
    id: "store-buffering",
    title: "Puzzle: raise my flag, look at yours",
    help: "Threads A and B each raise their own flag (store 1 in x, or in y), then load the other's. You choose which thread steps next, and, for each load, which value it reads: any value the orderings allow, not only the newest.",
    goal: "Make both threads read 0, so that each would think the other had not come yet.",
    hint: "Let both threads store first. With `Relaxed`, a store need not be visible to the other thread yet: its load may still read the starting 0.",
    variants: storeBufferingVariants(),
    fix: {
      label: "Fixed version: `SeqCst` on all four operations",
      on: "Fixed version: SeqCst everywhere. Try to make both read 0, or check every schedule.",
      off: "Broken version again: Relaxed everywhere.",
    },
    variantNames: { broken: "Relaxed", fixed: "SeqCst" },
    locals: [{ row: "Read", show: (mine) => readWords(mine.a === undefined ? mine.b : mine.a) }],
    success: (s) =>
      `Both threads finished: a = ${s.threads.A.local.a}, b = ${s.threads.B.local.b}. At least one saw the other's store.`,
    showMe: ["A", "B", "A:0", "B:0"],
    resetText: "Reset: x and y are 0, and both threads are at their first step.",
  }));
})();
