/* global workbook, workbookScheduler */
// The book's "be the scheduler" puzzles of chapter 21 (signaling), as data
// for the engine (scheduler-engine.js); see puzzles.js for what a puzzle is.
//
//   condvar-if     chapter 21   a Condvar wait under `if`, two consumers
//   lost-wakeup    chapter 21   notify before the wait, no flag
//   barrier        chapter 21   a counter-and-flag barrier used twice
(() => {
  "use strict";
  const S = workbookScheduler;
  const { lock, unlock, wait, wake, notify, act } = S.steps;
  const { listWords } = workbook;

  /** "thread A and thread B". @param {string[]} names */
  const threadsWord = (names) => listWords(names.map((t) => `thread ${t}`));

  // ----------------------------------------------- chapter 21: condvar if

  // The condvar-if puzzle's versions: their threads and what they share.
  function queueVariants() {
    const L = "the lock";
    const CV = "not_empty";
    function consumer(loop) {
      return [
        lock(L, { label: "lock the queue", short: "lock" }),
        wait(CV, L, {
          id: "check",
          label: `${loop ? "`while`" : "`if`"} the queue is empty: \`wait\` (release the lock and sleep)`,
          short: loop ? "while empty: wait" : "if empty: wait",
          when: (s) => s.vars.queue.length === 0,
          otherwise: "take",
          why: (s, t) => `Thread ${t} found the queue empty.`,
          noWait: (s, t) => `Thread ${t} found item ${s.vars.queue[0]} in the queue: no need to wait.`,
        }),
        wake(CV, L, {
          label: `woken: take the lock back${loop ? ", then check again" : ""}`,
          indent: 1,
          goto: loop ? "check" : undefined,
        }),
        act(
          "take the front item",
          (s, t) => {
            if (s.vars.queue.length === 0) {
              const taker = s.vars.lastTaker
                ? `thread ${s.vars.lastTaker} took item ${s.vars.lastItem} first`
                : "no item has come";
              return {
                say: `Thread ${t} looked for the front item: the queue is empty.`,
                fail: `Thread ${t} woke up to an empty queue: ${taker}. In Rust, \`pop_front\` returns \`None\` here and \`expect\` panics.`,
                note: "Woke up to an empty queue.",
              };
            }
            const item = s.vars.queue.shift();
            s.threads[t].local.took = item;
            s.vars.lastTaker = t;
            s.vars.lastItem = item;
            return { say: `Thread ${t} took item ${item}.` };
          },
          { id: "take", short: "pop_front" },
        ),
        unlock(L, { label: "unlock the queue", short: "unlock" }),
      ];
    }
    function push(item) {
      return notify(CV, false, {
        label: `push item ${item}, then \`notify_one\``,
        short: `push ${item}, notify_one`,
        before: function (s, t) {
          s.vars.queue.push(item);
          return `Thread ${t} pushed item ${item}.`;
        },
      });
    }
    const producer = [
      lock(L, { label: "lock the queue", short: "lock" }),
      push(1),
      unlock(L, { label: "unlock the queue", short: "unlock" }),
      lock(L, { label: "lock the queue", short: "lock" }),
      push(2),
      unlock(L, { label: "unlock the queue", short: "unlock" }),
    ];
    function variant(loop) {
      return {
        init: () => ({ queue: [], lastTaker: null, lastItem: null }),
        locals: () => ({ took: null }),
        locks: [L],
        condvars: [CV],
        programs: { A: consumer(loop), B: consumer(loop), P: producer },
      };
    }
    return { broken: variant(false), fixed: variant(true) };
  }

  S.register("condvar-if", () => ({
    id: "condvar-if",
    title: "Puzzle: `if` or `while` around `wait`",
    help: "The queue starts empty. Thread P, the producer, pushes two items, one at a time, and calls `notify_one` after each. Threads A and B each take one item: each locks the queue and, if it is empty, waits on the condition variable `not_empty`. Waiting releases the lock; a woken thread must take the lock back before it goes on. `notify_one` here wakes the thread that has slept longest.",
    goal: "Make a consumer wake up to an empty queue.",
    hint: "A woken thread does not run at once: it needs the lock back first. Who else could take the lock, and the item, before it does?",
    roles: { A: "a consumer", B: "a consumer", P: "the producer" },
    variants: queueVariants(),
    fix: {
      label: "Fixed version: `while` the queue is empty, wait (check again after every wake-up)",
      on: "Fixed version: a woken consumer checks the queue again, and sleeps again if it is empty. Try to break it, or check every schedule.",
      off: "Broken version again: a consumer waits at most once, under if.",
    },
    variantNames: { broken: "Wait under if", fixed: "Wait in a while loop" },
    locals: [
      {
        row: "Took",
        show: (mine, s, t) => (t === "P" ? "—" : mine.took === null ? "nothing yet" : `item ${mine.took}`),
      },
    ],
    shared: [
      {
        row: "Queue",
        show: (s) => (s.vars.queue.length ? s.vars.queue.map((i) => `item ${i}`).join(", ") : "empty"),
      },
    ],
    success: () => "Every thread finished: each consumer took one item.",
    showMe: ["A", "A", "P", "P", "P", "B", "B", "B", "B", "A", "A"],
    resetText: "Reset: the queue is empty, the lock is free, and every thread is at its first step.",
  }));

  // ---------------------------------------------- chapter 21: lost wake-up

  // The lost-wakeup puzzle's versions: their threads and what they share.
  function lostWakeupVariants() {
    const L = "the lock";
    const CV = "signal";
    const program = {
      broken: {
        A: [
          lock(L),
          wait(CV, L, { label: "`wait`: release the lock and sleep until notified" }),
          wake(CV, L),
          unlock(L),
        ],
        B: [lock(L), notify(CV, false), unlock(L)],
      },
      fixed: {
        A: [
          lock(L),
          wait(CV, L, {
            id: "check",
            label: "`while !sent`: `wait` (release the lock and sleep)",
            short: "while !sent: wait",
            when: (s) => !s.vars.sent,
            otherwise: "done",
            why: (s, t) => `Thread ${t} found sent = false.`,
            noWait: (s, t) => `Thread ${t} found sent = true: the signal came already, no need to wait.`,
          }),
          wake(CV, L, { label: "woken: take the lock back, then check again", indent: 1, goto: "check" }),
          unlock(L, { id: "done" }),
        ],
        B: [
          lock(L),
          act(
            "`sent = true`",
            (s, t) => {
              s.vars.sent = true;
              return { say: `Thread ${t} set sent = true.` };
            },
            { short: "sent = true" },
          ),
          notify(CV, false),
          unlock(L),
        ],
      },
    };
    return S.versions((name) => ({
      init: () => ({ sent: false }),
      locks: [L],
      condvars: [CV],
      programs: program[name],
    }));
  }

  S.register("lost-wakeup", () => ({
    id: "lost-wakeup",
    title: "Puzzle: the lost wake-up",
    help: "Thread A waits for a signal from thread B. In the broken version there is no flag, only the condition variable `signal`: A takes the lock and calls `wait`, which releases the lock and sleeps until a notification comes. B takes the lock, calls `notify_one` and releases the lock.",
    goal: "Make thread A sleep forever.",
    hint: "`notify_one` wakes a thread that is asleep now. What if thread B runs first?",
    roles: { A: "waits for the signal", B: "sends it" },
    variants: lostWakeupVariants(),
    fix: {
      label: "Fixed version: a flag, `sent`, set under the lock, and a `while` loop around `wait`",
      on: "Fixed version: thread B sets sent = true before it notifies, and thread A waits only while sent is false. Try to make A sleep forever, or check every schedule.",
      off: "Broken version again: a notification and nothing to remember it.",
    },
    variantNames: { broken: "Notification only", fixed: "Flag and notification" },
    shared: [{ row: "Flag `sent`", only: "fixed", show: (s) => String(s.vars.sent) }],
    success: () => "Both threads finished: thread A got the signal.",
    showMe: ["B", "B", "B", "A", "A"],
    resetText: "Reset: nobody is asleep, the lock is free, and both threads are at their first step.",
  }));

  // -------------------------------------------------- chapter 21: barrier

  // The barrier: a lock, a condition variable, two threads.
  const BARRIER_LOCK = "the lock";
  const OPENED = "opened";
  const BARRIER_THREADS = 2;

  // Through the barrier, with its promise checked as the thread passes:
  // the other thread has arrived for this round too (as the loom test
  // asserts).
  function through(round, id) {
    return unlock(BARRIER_LOCK, {
      id: id,
      label: "release the lock: through the barrier",
      short: "through",
      indent: 1,
      say: (s, t) => `Thread ${t} released the lock and passed round ${round}.`,
      after: function (s, t) {
        const behind = Object.keys(s.threads).filter((u) => s.threads[u].local.arrivals < round);
        if (!behind.length) {
          return {};
        }
        return {
          fail: `Thread ${t} passed round ${round} before ${threadsWord(behind)} arrived.`,
          note: "Passed the barrier too early.",
        };
      },
    });
  }

  // What differs between the two barriers: how a thread arrives, what the
  // last one does, and what a waiter waits for.
  const BARRIERS = {
    // Broken: a count and a gate flag.
    broken: {
      arrive: "if first to arrive, close the gate (`open = false`); then `arrived += 1`",
      arrived(s, t) {
        const first = s.vars.arrived === 0;
        if (first) {
          s.vars.open = false;
        }
        return `Thread ${t} arrived${first ? " first, and closed the gate" : ""}: arrived = ${s.vars.arrived + 1}.`;
      },
      last: ["if last (`arrived == 2`): `arrived = 0`, open the gate, `notify_all`", "if last: open"],
      open(s, t) {
        s.vars.open = true;
        return `Thread ${t} arrived last: it set arrived = 0 and opened the gate.`;
      },
      wait: ["`while` the gate is closed: `wait`", "while closed: wait"],
      waits: (s) => !s.vars.open,
      why: (s, t) => `Thread ${t} found the gate closed.`,
      noWait: (s, t) => `Thread ${t} found the gate open.`,
    },
    // Fixed: a count and a round number.
    fixed: {
      arrive: "`mine = round`; then `arrived += 1`",
      arrived(s, t) {
        s.threads[t].local.mine = s.vars.round;
        return `Thread ${t} arrived in round number ${s.vars.round}: arrived = ${s.vars.arrived + 1}.`;
      },
      last: ["if last (`arrived == 2`): `arrived = 0`, `round += 1`, `notify_all`", "if last: next round"],
      open(s, t) {
        s.vars.round += 1;
        return `Thread ${t} arrived last: it set arrived = 0 and round = ${s.vars.round}.`;
      },
      wait: ["`while round == mine`: `wait`", "while round == mine: wait"],
      waits: (s, t) => s.vars.round === s.threads[t].local.mine,
      why: (s, t) => `Thread ${t} found round still ${s.vars.round}.`,
      noWait: (s, t) => `Thread ${t} found round = ${s.vars.round}: its round is over.`,
    },
  };

  /** One round of a barrier: arrive, open it if last, else wait; then through. */
  function barrierRound(kind, round) {
    const b = BARRIERS[kind];
    const tag = `r${round}`;
    const arrive = (s, t) => {
      const say = b.arrived(s, t);
      s.vars.arrived += 1;
      s.threads[t].local.arrivals += 1;
      return { say };
    };
    return [
      lock(BARRIER_LOCK, { label: `round ${round}: take the lock`, short: `round ${round}: lock` }),
      act(b.arrive, arrive, { short: "arrive", indent: 1 }),
      notify(OPENED, true, {
        label: b.last[0],
        short: b.last[1],
        indent: 1,
        onlyIf: (s) => s.vars.arrived === BARRIER_THREADS,
        skip: (s, t) => `Thread ${t} is not the last to arrive.`,
        before(s, t) {
          s.vars.arrived = 0;
          return b.open(s, t);
        },
        goto: `${tag}-out`,
      }),
      wait(OPENED, BARRIER_LOCK, {
        id: `${tag}-check`,
        label: b.wait[0],
        short: b.wait[1],
        indent: 1,
        when: b.waits,
        otherwise: `${tag}-out`,
        why: b.why,
        noWait: b.noWait,
      }),
      wake(OPENED, BARRIER_LOCK, {
        label: "woken: take the lock back, then check again",
        indent: 2,
        goto: `${tag}-check`,
      }),
      through(round, `${tag}-out`),
    ];
  }

  // The barrier puzzle's versions: their threads and what they share.
  function barrierVariants() {
    function variant(name) {
      const program = barrierRound(name, 1).concat(barrierRound(name, 2));
      return {
        init: () => (name === "broken" ? { arrived: 0, open: false } : { arrived: 0, round: 0 }),
        locals: () => ({ arrivals: 0, mine: null }),
        locks: [BARRIER_LOCK],
        condvars: [OPENED],
        programs: S.both(program),
      };
    }
    return S.versions(variant);
  }

  S.register("barrier", () => ({
    id: "barrier",
    title: "Puzzle: a barrier used twice",
    help: "Threads A and B meet at a barrier, then meet there again. The broken barrier has a count, arrived, and a gate flag, open, both under one lock. The first thread of a round closes the gate, the last one opens it and wakes the others with `notify_all`, and a thread that is not last waits while the gate is closed.",
    goal: "Make both threads wait forever.",
    hint: "Let one thread be last in round 1 and run straight on into round 2, while the other is still asleep.",
    variants: barrierVariants(),
    fix: {
      label: "Fixed version: a round number instead of a gate flag; wait while the round is the one you arrived in",
      on: "Fixed version: a waiter sleeps until the round it arrived in is over, which stays true. Try to make both wait forever, or check every schedule.",
      off: "Broken version again: a count and a gate flag.",
    },
    variantNames: { broken: "Count and gate flag", fixed: "Count and round number" },
    locals: [
      { row: "Arrivals so far", show: (mine) => String(mine.arrivals) },
      { row: "Its round, `mine`", show: (mine) => (mine.mine === null ? "—" : String(mine.mine)) },
    ],
    shared: [
      { row: "`arrived`", show: (s) => String(s.vars.arrived) },
      { row: "Gate `open`", only: "broken", show: (s) => String(s.vars.open) },
      { row: "`round`", only: "fixed", show: (s) => String(s.vars.round) },
    ],
    success: () => "Both threads passed the barrier twice, together each time.",
    showMe: ["A", "A", "A", "A", "B", "B", "B", "B", "B", "B", "B", "B", "A", "A"],
    resetText: "Reset: nobody has arrived, the lock is free, and both threads are at their first step.",
  }));
})();
