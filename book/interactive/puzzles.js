/* global workbook, workbookScheduler */
// The book's "be the scheduler" puzzles of chapters 11 to 19, as data for
// the engine (scheduler-engine.js; scheduler.js draws them). Each one: its
// threads, each a list of steps over shared state, in a broken version and
// (all but the first) a fixed one; a goal, a hint and a failing schedule to
// replay ("Show me": no button names the answer). The Rust code of each puzzle is in examples/puzzles/, and
// tests/loom.rs checks it under every schedule: the model here and the one
// loom runs are meant to agree, step for step. Chapter 21's are in
// puzzles-signaling.js, the memory-ordering ones (chapters 18.1 and 18.3)
// in puzzles-memory.js.
//
//   race           chapter 11   read, add one, write back
//   withdraw       chapter 16   check, then act, across two lock scopes
//   flag-lock      chapter 18   a flag used as a lock vs compare_exchange
//   deadlock       chapter 19   two threads, two locks, opposite orders
//   philosophers   chapter 19   three threads, three locks in a cycle
(() => {
  "use strict";
  const S = workbookScheduler;
  const { lock, unlock, act } = S.steps;
  const { listWords } = workbook;

  /** "thread A and thread B". @param {string[]} names */
  const threadsWord = (names) => listWords(names.map((t) => `thread ${t}`));

  // A negative number with a real minus sign, as a screen reader says it.
  const signed = (n) => (n < 0 ? `−${-n}` : String(n));

  // ------------------------------------------------------ chapter 11: race

  // The race puzzle's versions: their threads and what they share.
  function raceVariants() {
    function program() {
      return [
        act(
          "read the shared value into its local copy",
          (s, t) => {
            const mine = s.threads[t].local;
            mine.copy = s.vars.shared;
            mine.readVersion = s.vars.version;
            return { say: `Thread ${t} read the shared value: its local copy is ${mine.copy}.` };
          },
          { short: "read" },
        ),
        act(
          "add one to its local copy",
          (s, t) => {
            const mine = s.threads[t].local;
            mine.copy += 1;
            return { say: `Thread ${t} added one: its local copy is ${mine.copy}.` };
          },
          { short: "add one" },
        ),
        act(
          "write its local copy back to the shared value",
          (s, t) => {
            const mine = s.threads[t].local;
            const over = s.vars.shared;
            const overBy = s.vars.lastWriter;
            const stale = s.vars.version !== mine.readVersion; // someone wrote since our read
            s.vars.shared = mine.copy;
            s.vars.version += 1;
            s.vars.lastWriter = t;
            const result = { say: `Thread ${t} wrote ${mine.copy} to the shared value.` };
            if (stale && overBy) {
              // The second write is each thread's last step: both are done now.
              result.fail = `Thread ${t} wrote ${mine.copy} over thread ${overBy}'s ${
                over
              }: an update was lost; the final value is ${s.vars.shared}, not 2.`;
              result.note = `Lost update: thread ${t} overwrote thread ${overBy}'s ${over}.`;
              result.mark = "lost";
            }
            return result;
          },
          { short: "write back" },
        ),
      ];
    }
    return {
      broken: {
        init: () => ({ shared: 0, version: 0, lastWriter: null }),
        locals: () => ({ copy: null, readVersion: null }),
        programs: { A: program(), B: program() },
      },
    };
  }

  S.register("race", () => ({
    id: "race",
    title: "Be the scheduler: two threads add one to a shared value",
    help: "The shared value starts at 0. Both threads run the same three steps: read the shared value into a local copy, add one to the copy, write the copy back. You choose which thread takes its next step.",
    goal: "Make the final value something other than 2.",
    hint: "Reading and writing back are two separate steps. What does a thread write back if the other thread read the shared value before it wrote?",
    variants: raceVariants(),
    locals: [{ row: "Local copy", show: (mine) => (mine.copy === null ? "none yet" : String(mine.copy)) }],
    headline: { label: "Shared value", show: (s) => String(s.vars.shared) },
    success: (s) => `Both threads are done and the final value is ${s.vars.shared}: no update was lost.`,
    presets: [
      {
        testid: "preset-no-race",
        label: "No race (A then B)",
        schedule: ["A", "A", "A", "B", "B", "B"],
        announce: (s) => `No race, thread A then thread B: ${s.steps} steps taken.`,
      },
    ],
    showMe: ["A", "B", "A", "B", "A", "B"],
    resetText: "Reset: the shared value is 0 and both threads are at their first step.",
    variantNames: { broken: "These two threads" },
  }));

  // ------------------------------------------------- chapter 16: withdraw

  // The withdraw puzzle's versions: their threads and what they share.
  function withdrawVariants() {
    const L = "the lock";
    const AMOUNT = 60;

    function check() {
      return act(
        "check: does the balance cover 60?",
        (s, t) => {
          const mine = s.threads[t].local;
          mine.enough = s.vars.balance >= AMOUNT;
          return {
            say: `Thread ${t} read the balance, ${signed(s.vars.balance)}: ${mine.enough ? "enough for 60." : "not enough for 60."}`,
          };
        },
        { short: "check" },
      );
    }

    function subtract(s, t) {
      s.vars.balance -= AMOUNT;
      s.threads[t].local.withdrew = true;
      const result = { say: `Thread ${t} subtracted 60: the balance is ${signed(s.vars.balance)}.` };
      if (s.vars.balance < 0) {
        result.fail = `Both threads withdrew 60 from 100: the balance is ${signed(s.vars.balance)}.`;
        result.note = "Overdrawn: both threads withdrew.";
      }
      return result;
    }

    const enough = (s, t) => s.threads[t].local.enough;
    const said = (s, t) => `Thread ${t}'s answer was no: it withdraws nothing.`;
    const program = {
      broken: [
        lock(L),
        check(),
        unlock(L),
        lock(L, {
          label: "if the answer was yes: take the lock again",
          short: "if yes: take the lock",
          onlyIf: enough,
          skip: said,
        }),
        act("subtract 60 from the balance", subtract, { short: "withdraw", indent: 1 }),
        unlock(L, { indent: 1 }),
      ],
      fixed: [
        lock(L),
        check(),
        act(
          "if the answer was yes: subtract 60 from the balance",
          (s, t) => (enough(s, t) ? subtract(s, t) : { say: said(s, t) }),
          { short: "if yes: withdraw" },
        ),
        unlock(L),
      ],
    };
    return S.versions((name) => ({
      init: () => ({ balance: 100 }),
      locals: () => ({ enough: null, withdrew: false }),
      locks: [L],
      programs: S.both(program[name]),
    }));
  }

  S.register("withdraw", () => ({
    id: "withdraw",
    title: "Puzzle: check, then act",
    help: "The balance is 100. Threads A and B each try to withdraw 60. Each takes the lock, checks the balance and releases the lock; then, if the balance was enough, it takes the lock again and subtracts 60. You choose which thread takes its next step.",
    goal: "Make both threads withdraw, so that the balance goes below zero.",
    hint: "A thread decides in its second step and acts in its fifth, and in between the lock is free. Let both threads check before either acts.",
    variants: withdrawVariants(),
    fix: {
      label: "Fixed version: one lock scope, from the check to the withdrawal",
      on: "Fixed version: each thread holds the lock from its check to its withdrawal. Try to make both withdraw, or check every schedule.",
      off: "Broken version again: the check and the withdrawal are two lock scopes.",
    },
    variantNames: { broken: "Two lock scopes", fixed: "One lock scope" },
    locals: [
      {
        row: "Its answer",
        show: (mine) => (mine.enough === null ? "not checked yet" : mine.enough ? "yes, enough" : "no, not enough"),
      },
      { row: "Withdrew", show: (mine) => (mine.withdrew ? "yes" : "no") },
    ],
    headline: { label: "Balance", show: (s) => signed(s.vars.balance) },
    success: function (s) {
      const who = ["A", "B"].filter((t) => s.threads[t].local.withdrew);
      return `Both threads finished: the balance is ${signed(s.vars.balance)}, and only thread ${who.join("")} withdrew.`;
    },
    showMe: ["A", "A", "A", "B", "B", "B", "A", "A", "A", "B", "B"],
    resetText: "Reset: the balance is 100, the lock is free, and both threads are at their first step.",
  }));

  // ------------------------------------------------ chapter 18: flag lock

  // A thread that finds the flag true spins: blocked until it is false.
  function spinning(verb) {
    return function (s, t) {
      if (!s.vars.locked) {
        return null;
      }
      return {
        status: `Thread ${t} spins: its ${verb} finds the flag true (stored by thread ${s.vars.raisedBy}), so it tries again. Step another thread.`,
        cell: "spinning: the flag is true",
        clause: "spins until the flag is false",
        marker: "spinning",
      };
    };
  }

  // What both versions do once they hold the flag: enter, leave, lower it.
  function criticalSection() {
    const enter = act(
      "enter the critical section",
      (s, t) => {
        const already = s.vars.inside.slice();
        s.vars.inside.push(t);
        const result = { say: `Thread ${t} entered the critical section.` };
        if (already.length) {
          result.fail = `Threads ${listWords(already.concat([t]))} are both in the critical section: the flag kept nobody out.`;
          result.note = "Two threads in the critical section.";
        }
        return result;
      },
      { short: "enter", indent: 1 },
    );
    const leave = act(
      "leave the critical section",
      (s, t) => {
        s.vars.inside = s.vars.inside.filter((u) => u !== t);
        return { say: `Thread ${t} left the critical section.` };
      },
      { short: "leave", indent: 1 },
    );
    const release = act(
      "`store(false)`: lower the flag",
      (s, t) => {
        s.vars.locked = false;
        s.vars.raisedBy = null;
        return { say: `Thread ${t} stored false: the lock is free.` };
      },
      { short: "store(false)" },
    );
    return [enter, leave, release];
  }

  // The flag-lock puzzle's versions: their threads and what they share.
  function flagLockVariants() {
    const after = criticalSection();
    const program = {
      broken: [
        act(
          "`load` the flag until it is false",
          (s, t) => ({ say: `Thread ${t} loaded false: the lock looks free.` }),
          { short: "load", blocked: spinning("load") },
        ),
        act(
          "`store(true)`: raise the flag",
          (s, t) => {
            s.vars.locked = true;
            s.vars.raisedBy = t;
            return { say: `Thread ${t} stored true: it thinks it holds the lock.` };
          },
          { short: "store(true)" },
        ),
        ...after,
      ],
      fixed: [
        act(
          "`compare_exchange(false, true)` until it succeeds",
          (s, t) => {
            s.vars.locked = true;
            s.vars.raisedBy = t;
            return {
              say: `Thread ${t}'s compare_exchange found false and stored true, in one step: it holds the lock.`,
            };
          },
          { short: "compare_exchange", blocked: spinning("compare_exchange") },
        ),
        ...after,
      ],
    };
    return S.versions((name) => ({
      init: () => ({ locked: false, raisedBy: null, inside: [] }),
      programs: S.both(program[name]),
    }));
  }

  S.register("flag-lock", () => ({
    id: "flag-lock",
    title: "Puzzle: a flag used as a lock",
    help: "Threads A and B share one atomic flag, locked, that starts false. Each waits until the flag is false, sets it to true, goes through the critical section, and sets the flag back to false. A thread that finds the flag true spins: it tries again until the flag is false.",
    goal: "Get both threads into the critical section at the same time.",
    hint: "Loading the flag and storing true are two separate steps. What happens if both threads load before either stores?",
    variants: flagLockVariants(),
    fix: {
      label: "Fixed version: `compare_exchange(false, true)` checks and raises the flag in one step",
      on: "Fixed version: one compare_exchange checks the flag and raises it. Try to get both threads in, or check every schedule.",
      off: "Broken version again: a load, then a store.",
    },
    variantNames: { broken: "Load, then store", fixed: "compare_exchange" },
    shared: [
      { row: "Flag `locked`", show: (s) => (s.vars.locked ? `true (stored by thread ${s.vars.raisedBy})` : "false") },
    ],
    headline: {
      label: "In the critical section",
      show: (s) => (s.vars.inside.length ? threadsWord(s.vars.inside) : "nobody"),
    },
    success: () => "Both threads finished, one at a time through the critical section.",
    showMe: ["A", "B", "A", "B", "A", "B"],
    resetText: "Reset: the flag is false, and both threads are at their first step.",
  }));

  // ------------------------------------------------- chapter 19: deadlock

  S.register("deadlock", (root) => {
    let names = (root.getAttribute("data-locks") || "L1,L2").split(",").map((x) => x.trim());
    if (names.length !== 2 || !names[0] || !names[1]) {
      names = ["L1", "L2"];
    }
    const first = names[0];
    const second = names[1];
    function program(a, b) {
      return [lock(a), lock(b), unlock(b), unlock(a)];
    }
    return {
      id: "deadlock",
      title: "Be the scheduler: two threads, two locks",
      help: `Each thread takes two locks, then releases them: thread A takes ${first} first, thread B takes ${second} first. A thread whose next lock is held by the other thread waits. You choose which thread takes its next step.`,
      goal: "Make both threads wait forever.",
      hint: "A thread waits only for a lock the other one holds. What if each thread holds one lock when it asks for its second?",
      variants: {
        broken: { locks: [first, second], programs: { A: program(first, second), B: program(second, first) } },
        fixed: { locks: [first, second], programs: { A: program(first, second), B: program(first, second) } },
      },
      fix: {
        testid: "ordering",
        label: `Lock ordering: both take ${first} first`,
        on: `Lock ordering on: thread B now takes ${first} first, like thread A. Try to make them deadlock.`,
        off: `Lock ordering off: thread B takes ${second} first again.`,
      },
      variantNames: { broken: "Without lock ordering", fixed: "With lock ordering" },
      success: (s, variant) =>
        `Both threads finished: no deadlock${variant === "fixed" ? ". With one lock order, none is possible." : " this time."}`,
      showMe: ["A", "B"],
      resetText: "Reset: both locks are free and both threads are at their first step.",
    };
  });

  // --------------------------------------------- chapter 19: philosophers

  S.register("philosophers", () => {
    const forks = ["fork 0", "fork 1", "fork 2"];
    function diner(a, b) {
      return [
        lock(a, { label: `pick up ${a}`, short: `pick up ${a}` }),
        lock(b, { label: `pick up ${b}, and eat`, short: `pick up ${b}` }),
        unlock(b, { label: `put down ${b}`, short: `put down ${b}` }),
        unlock(a, { label: `put down ${a}`, short: `put down ${a}` }),
      ];
    }
    function variant(lastFirst, lastSecond) {
      return {
        locks: forks,
        programs: { A: diner(forks[0], forks[1]), B: diner(forks[1], forks[2]), C: diner(lastFirst, lastSecond) },
      };
    }
    return {
      id: "philosophers",
      title: "Puzzle: three philosophers, three forks",
      help: "Three philosophers sit at a round table, with a fork between each two. To eat, a philosopher needs both forks beside it: A needs forks 0 and 1, B forks 1 and 2, C forks 2 and 0. Each fork is a lock. Each philosopher picks up one fork, then the other, eats, and puts both down.",
      goal: "Make all three philosophers wait forever.",
      hint: "Every philosopher picks up the fork at its own seat first. What if each of them does that before anyone picks up a second fork?",
      roles: { A: "seat 0", B: "seat 1", C: "seat 2" },
      variants: { broken: variant(forks[2], forks[0]), fixed: variant(forks[0], forks[2]) },
      fix: {
        label: "Global order: everyone picks up the lower-numbered fork first (C takes fork 0 before fork 2)",
        on: "Global order on: thread C now picks up fork 0 first. Try to make them deadlock, or check every schedule.",
        off: "Global order off: thread C picks up fork 2 first again.",
      },
      variantNames: { broken: "Own fork first", fixed: "Lower-numbered fork first" },
      success: (s, variant) =>
        `All three philosophers ate: no deadlock${variant === "fixed" ? ". With one fork order, none is possible." : " this time."}`,
      showMe: ["A", "B", "C"],
      resetText: "Reset: every fork is on the table, and every philosopher is at its first step.",
    };
  });
})();
