// The book's "be the scheduler" puzzles, as data for the engine in
// scheduler.js. Each one: its threads, each a list of steps over shared
// state, in a broken version and (all but the first) a fixed one; a goal, a
// hint and a failing schedule to replay. The Rust code of each puzzle is in
// examples/puzzles/, and tests/loom.rs checks it under every schedule: the
// model here and the one loom runs are meant to agree, step for step.
//
//   race           chapter 11   read, add one, write back
//   withdraw       chapter 16   check, then act, across two lock scopes
//   flag-lock      chapter 18   a flag used as a lock vs compare_exchange
//   deadlock       chapter 19   two threads, two locks, opposite orders
//   philosophers   chapter 19   three threads, three locks in a cycle
//   condvar-if     chapter 21   a Condvar wait under `if`, two consumers
//   lost-wakeup    chapter 21   notify before the wait, no flag
//   barrier        chapter 21   a counter-and-flag barrier used twice
(function () {
  "use strict";
  var S = window.WorkbookScheduler;
  if (!S) return;
  var lock = S.steps.lock;
  var unlock = S.steps.unlock;
  var wait = S.steps.wait;
  var wake = S.steps.wake;
  var notify = S.steps.notify;
  var act = S.steps.act;

  function listWords(items) {
    if (items.length <= 1) return items.join("");
    return items.slice(0, -1).join(", ") + " and " + items[items.length - 1];
  }

  function threadsWord(names) {
    return listWords(names.map(function (t) { return "thread " + t; }));
  }

  // A negative number with a real minus sign, as a screen reader says it.
  function signed(n) {
    return n < 0 ? "−" + -n : String(n);
  }

  // ------------------------------------------------------ chapter 11: race

  S.register("race", function () {
    function program() {
      return [
        act("read the shared value into its local copy", function (s, t) {
          var mine = s.threads[t].local;
          mine.copy = s.vars.shared;
          mine.readVersion = s.vars.version;
          return { say: "Thread " + t + " read the shared value: its local copy is " + mine.copy + "." };
        }, { short: "read" }),
        act("add one to its local copy", function (s, t) {
          var mine = s.threads[t].local;
          mine.copy += 1;
          return { say: "Thread " + t + " added one: its local copy is " + mine.copy + "." };
        }, { short: "add one" }),
        act("write its local copy back to the shared value", function (s, t) {
          var mine = s.threads[t].local;
          var over = s.vars.shared;
          var overBy = s.vars.lastWriter;
          var stale = s.vars.version !== mine.readVersion; // someone wrote since our read
          s.vars.shared = mine.copy;
          s.vars.version += 1;
          s.vars.lastWriter = t;
          var result = { say: "Thread " + t + " wrote " + mine.copy + " to the shared value." };
          if (stale && overBy) {
            // The second write is each thread's last step: both are done now.
            result.fail = "Thread " + t + " wrote " + mine.copy + " over thread " + overBy + "'s " + over +
              ": an update was lost; the final value is " + s.vars.shared + ", not 2.";
            result.note = "Lost update: thread " + t + " overwrote thread " + overBy + "'s " + over + ".";
            result.mark = "lost";
          }
          return result;
        }, { short: "write back" }),
      ];
    }
    return {
      id: "race",
      title: "Be the scheduler: two threads add one to a shared value",
      help: "Both threads run the same three steps. You choose which thread takes its next step. Can you make the final value something other than 2?",
      variants: {
        broken: {
          init: function () { return { shared: 0, version: 0, lastWriter: null }; },
          locals: function () { return { copy: null, readVersion: null }; },
          programs: { A: program(), B: program() },
        },
      },
      locals: [{ row: "Local copy", show: function (mine) { return mine.copy === null ? "none yet" : String(mine.copy); } }],
      headline: { label: "Shared value", show: function (s) { return String(s.vars.shared); } },
      success: function (s) { return "Both threads are done and the final value is " + s.vars.shared + ": no update was lost."; },
      presets: [
        {
          testid: "preset-no-race",
          label: "No race (A then B)",
          schedule: ["A", "A", "A", "B", "B", "B"],
          announce: function (s) { return "No race, thread A then thread B: " + s.steps + " steps taken."; },
        },
        {
          testid: "preset-race",
          label: "Race (A reads, B reads, A writes, B writes)",
          schedule: ["A", "B", "A", "B", "A", "B"],
          announce: function (s) { return "Race: A reads, B reads, A adds, B adds, A writes, B writes: " + s.steps + " steps taken."; },
        },
      ],
      resetText: "Reset: the shared value is 0 and both threads are at their first step.",
      variantNames: { broken: "These two threads" },
    };
  });

  // ------------------------------------------------- chapter 16: withdraw

  S.register("withdraw", function () {
    var L = "the lock";
    var AMOUNT = 60;

    function check() {
      return act("check: does the balance cover 60?", function (s, t) {
        var mine = s.threads[t].local;
        mine.enough = s.vars.balance >= AMOUNT;
        return { say: "Thread " + t + " read the balance, " + signed(s.vars.balance) + ": " + (mine.enough ? "enough for 60." : "not enough for 60.") };
      }, { short: "check" });
    }

    function subtract(s, t) {
      s.vars.balance -= AMOUNT;
      s.threads[t].local.withdrew = true;
      var result = { say: "Thread " + t + " subtracted 60: the balance is " + signed(s.vars.balance) + "." };
      if (s.vars.balance < 0) {
        result.fail = "Both threads withdrew 60 from 100: the balance is " + signed(s.vars.balance) + ".";
        result.note = "Overdrawn: both threads withdrew.";
      }
      return result;
    }

    var enough = function (s, t) { return s.threads[t].local.enough; };
    var said = function (s, t) { return "Thread " + t + "'s answer was no: it withdraws nothing."; };
    var program = {
      broken: [
        lock(L),
        check(),
        unlock(L),
        lock(L, { label: "if the answer was yes: take the lock again", short: "if yes: take the lock", onlyIf: enough, skip: said }),
        act("subtract 60 from the balance", subtract, { short: "withdraw", indent: 1 }),
        unlock(L, { indent: 1 }),
      ],
      fixed: [
        lock(L),
        check(),
        act("if the answer was yes: subtract 60 from the balance", function (s, t) {
          return enough(s, t) ? subtract(s, t) : { say: said(s, t) };
        }, { short: "if yes: withdraw" }),
        unlock(L),
      ],
    };
    function variant(name) {
      return {
        init: function () { return { balance: 100 }; },
        locals: function () { return { enough: null, withdrew: false }; },
        locks: [L],
        programs: { A: program[name], B: program[name] },
      };
    }
    return {
      id: "withdraw",
      title: "Puzzle: check, then act",
      help: "The balance is 100. Threads A and B each try to withdraw 60. Each takes the lock, checks the balance and releases the lock; then, if the balance was enough, it takes the lock again and subtracts 60. You choose which thread takes its next step.",
      goal: "Make both threads withdraw, so that the balance goes below zero.",
      hint: "A thread decides in its second step and acts in its fifth, and in between the lock is free. Let both threads check before either acts.",
      variants: { broken: variant("broken"), fixed: variant("fixed") },
      fix: {
        label: "Fixed version: one lock scope, from the check to the withdrawal",
        on: "Fixed version: each thread holds the lock from its check to its withdrawal. Try to make both withdraw, or check every schedule.",
        off: "Broken version again: the check and the withdrawal are two lock scopes.",
      },
      variantNames: { broken: "Two lock scopes", fixed: "One lock scope" },
      locals: [
        { row: "Its answer", show: function (mine) { return mine.enough === null ? "not checked yet" : mine.enough ? "yes, enough" : "no, not enough"; } },
        { row: "Withdrew", show: function (mine) { return mine.withdrew ? "yes" : "no"; } },
      ],
      headline: { label: "Balance", show: function (s) { return signed(s.vars.balance); } },
      success: function (s) {
        var who = ["A", "B"].filter(function (t) { return s.threads[t].local.withdrew; });
        return "Both threads finished: the balance is " + signed(s.vars.balance) + ", and only thread " + who.join("") + " withdrew.";
      },
      showMe: ["A", "A", "A", "B", "B", "B", "A", "A", "A", "B", "B"],
      resetText: "Reset: the balance is 100, the lock is free, and both threads are at their first step.",
    };
  });

  // ------------------------------------------------ chapter 18: flag lock

  S.register("flag-lock", function () {
    var spinning = function (verb) {
      return function (s, t) {
        if (!s.vars.locked) return null;
        return {
          status: "Thread " + t + " spins: its " + verb + " finds the flag true (stored by thread " + s.vars.raisedBy + "), so it tries again. Step another thread.",
          cell: "spinning: the flag is true",
          clause: "spins until the flag is false",
          marker: "spinning",
        };
      };
    };
    var enter = act("enter the critical section", function (s, t) {
      var already = s.vars.inside.slice();
      s.vars.inside.push(t);
      var result = { say: "Thread " + t + " entered the critical section." };
      if (already.length) {
        result.fail = "Threads " + listWords(already.concat([t])) + " are both in the critical section: the flag kept nobody out.";
        result.note = "Two threads in the critical section.";
      }
      return result;
    }, { short: "enter", indent: 1 });
    var leave = act("leave the critical section", function (s, t) {
      s.vars.inside = s.vars.inside.filter(function (u) { return u !== t; });
      return { say: "Thread " + t + " left the critical section." };
    }, { short: "leave", indent: 1 });
    var release = act("`store(false)`: lower the flag", function (s, t) {
      s.vars.locked = false;
      s.vars.raisedBy = null;
      return { say: "Thread " + t + " stored false: the lock is free." };
    }, { short: "store(false)" });
    var program = {
      broken: [
        act("`load` the flag until it is false", function (s, t) {
          return { say: "Thread " + t + " loaded false: the lock looks free." };
        }, { short: "load", blocked: spinning("load") }),
        act("`store(true)`: raise the flag", function (s, t) {
          s.vars.locked = true;
          s.vars.raisedBy = t;
          return { say: "Thread " + t + " stored true: it thinks it holds the lock." };
        }, { short: "store(true)" }),
        enter,
        leave,
        release,
      ],
      fixed: [
        act("`compare_exchange(false, true)` until it succeeds", function (s, t) {
          s.vars.locked = true;
          s.vars.raisedBy = t;
          return { say: "Thread " + t + "'s compare_exchange found false and stored true, in one step: it holds the lock." };
        }, { short: "compare_exchange", blocked: spinning("compare_exchange") }),
        enter,
        leave,
        release,
      ],
    };
    function variant(name) {
      return {
        init: function () { return { locked: false, raisedBy: null, inside: [] }; },
        programs: { A: program[name], B: program[name] },
      };
    }
    return {
      id: "flag-lock",
      title: "Puzzle: a flag used as a lock",
      help: "Threads A and B share one atomic flag, locked, that starts false. Each waits until the flag is false, sets it to true, goes through the critical section, and sets the flag back to false. A thread that finds the flag true spins: it tries again until the flag is false.",
      goal: "Get both threads into the critical section at the same time.",
      hint: "Loading the flag and storing true are two separate steps. What happens if both threads load before either stores?",
      variants: { broken: variant("broken"), fixed: variant("fixed") },
      fix: {
        label: "Fixed version: `compare_exchange(false, true)` checks and raises the flag in one step",
        on: "Fixed version: one compare_exchange checks the flag and raises it. Try to get both threads in, or check every schedule.",
        off: "Broken version again: a load, then a store.",
      },
      variantNames: { broken: "Load, then store", fixed: "compare_exchange" },
      shared: [
        { row: "Flag `locked`", show: function (s) { return s.vars.locked ? "true (stored by thread " + s.vars.raisedBy + ")" : "false"; } },
      ],
      headline: { label: "In the critical section", show: function (s) { return s.vars.inside.length ? threadsWord(s.vars.inside) : "nobody"; } },
      success: function () { return "Both threads finished, one at a time through the critical section."; },
      showMe: ["A", "B", "A", "B", "A", "B"],
      resetText: "Reset: the flag is false, and both threads are at their first step.",
    };
  });

  // ------------------------------------------------- chapter 19: deadlock

  S.register("deadlock", function (root) {
    var names = (root.getAttribute("data-locks") || "L1,L2").split(",").map(function (x) { return x.trim(); });
    if (names.length !== 2 || !names[0] || !names[1]) names = ["L1", "L2"];
    var first = names[0];
    var second = names[1];
    function program(a, b) {
      return [lock(a), lock(b), unlock(b), unlock(a)];
    }
    return {
      id: "deadlock",
      title: "Be the scheduler: two threads, two locks",
      help: "Each thread takes two locks, then releases them. A thread whose next lock is held by the other thread waits. You choose which thread takes its next step. Can you make both wait forever?",
      variants: {
        broken: { locks: [first, second], programs: { A: program(first, second), B: program(second, first) } },
        fixed: { locks: [first, second], programs: { A: program(first, second), B: program(first, second) } },
      },
      fix: {
        testid: "ordering",
        label: "Lock ordering: both take " + first + " first",
        on: "Lock ordering on: thread B now takes " + first + " first, like thread A. Try to make them deadlock.",
        off: "Lock ordering off: thread B takes " + second + " first again.",
      },
      variantNames: { broken: "Without lock ordering", fixed: "With lock ordering" },
      success: function (s, variant) {
        return "Both threads finished: no deadlock" + (variant === "fixed" ? ". With one lock order, none is possible." : " this time.");
      },
      presets: [{
        testid: "preset",
        label: "Show a deadlock (A takes " + first + ", B takes " + second + ")",
        schedule: ["A", "B"],
        announce: function () { return "Thread A took " + first + ", thread B took " + second + "."; },
      }],
      resetText: "Reset: both locks are free and both threads are at their first step.",
    };
  });

  // --------------------------------------------- chapter 19: philosophers

  S.register("philosophers", function () {
    var forks = ["fork 0", "fork 1", "fork 2"];
    function diner(a, b) {
      return [
        lock(a, { label: "pick up " + a, short: "pick up " + a }),
        lock(b, { label: "pick up " + b + ", and eat", short: "pick up " + b }),
        unlock(b, { label: "put down " + b, short: "put down " + b }),
        unlock(a, { label: "put down " + a, short: "put down " + a }),
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
      success: function (s, variant) {
        return "All three philosophers ate: no deadlock" + (variant === "fixed" ? ". With one fork order, none is possible." : " this time.");
      },
      showMe: ["A", "B", "C"],
      resetText: "Reset: every fork is on the table, and every philosopher is at its first step.",
    };
  });

  // ----------------------------------------------- chapter 21: condvar if

  S.register("condvar-if", function () {
    var L = "the lock";
    var CV = "not_empty";
    function consumer(loop) {
      return [
        lock(L, { label: "lock the queue", short: "lock" }),
        wait(CV, L, {
          id: "check",
          label: (loop ? "`while`" : "`if`") + " the queue is empty: `wait` (release the lock and sleep)",
          short: loop ? "while empty: wait" : "if empty: wait",
          when: function (s) { return s.vars.queue.length === 0; },
          otherwise: "take",
          why: function (s, t) { return "Thread " + t + " found the queue empty."; },
          noWait: function (s, t) { return "Thread " + t + " found item " + s.vars.queue[0] + " in the queue: no need to wait."; },
        }),
        wake(CV, L, {
          label: "woken: take the lock back" + (loop ? ", then check again" : ""),
          indent: 1,
          goto: loop ? "check" : undefined,
        }),
        act("take the front item", function (s, t) {
          if (s.vars.queue.length === 0) {
            var taker = s.vars.lastTaker ? "thread " + s.vars.lastTaker + " took item " + s.vars.lastItem + " first" : "no item has come";
            return {
              say: "Thread " + t + " looked for the front item: the queue is empty.",
              fail: "Thread " + t + " woke up to an empty queue: " + taker + ". In Rust, `pop_front` returns `None` here and `expect` panics.",
              note: "Woke up to an empty queue.",
            };
          }
          var item = s.vars.queue.shift();
          s.threads[t].local.took = item;
          s.vars.lastTaker = t;
          s.vars.lastItem = item;
          return { say: "Thread " + t + " took item " + item + "." };
        }, { id: "take", short: "pop_front" }),
        unlock(L, { label: "unlock the queue", short: "unlock" }),
      ];
    }
    function push(item) {
      return notify(CV, false, {
        label: "push item " + item + ", then `notify_one`",
        short: "push " + item + ", notify_one",
        before: function (s, t) {
          s.vars.queue.push(item);
          return "Thread " + t + " pushed item " + item + ".";
        },
      });
    }
    var producer = [
      lock(L, { label: "lock the queue", short: "lock" }),
      push(1),
      unlock(L, { label: "unlock the queue", short: "unlock" }),
      lock(L, { label: "lock the queue", short: "lock" }),
      push(2),
      unlock(L, { label: "unlock the queue", short: "unlock" }),
    ];
    function variant(loop) {
      return {
        init: function () { return { queue: [], lastTaker: null, lastItem: null }; },
        locals: function () { return { took: null }; },
        locks: [L],
        condvars: [CV],
        programs: { A: consumer(loop), B: consumer(loop), P: producer },
      };
    }
    return {
      id: "condvar-if",
      title: "Puzzle: `if` or `while` around `wait`",
      help: "The queue starts empty. Thread P, the producer, pushes two items, one at a time, and calls `notify_one` after each. Threads A and B each take one item: each locks the queue and, if it is empty, waits on the condition variable `not_empty`. Waiting releases the lock; a woken thread must take the lock back before it goes on. `notify_one` here wakes the thread that has slept longest.",
      goal: "Make a consumer wake up to an empty queue.",
      hint: "A woken thread does not run at once: it needs the lock back first. Who else could take the lock, and the item, before it does?",
      roles: { A: "a consumer", B: "a consumer", P: "the producer" },
      variants: { broken: variant(false), fixed: variant(true) },
      fix: {
        label: "Fixed version: `while` the queue is empty, wait (check again after every wake-up)",
        on: "Fixed version: a woken consumer checks the queue again, and sleeps again if it is empty. Try to break it, or check every schedule.",
        off: "Broken version again: a consumer waits at most once, under if.",
      },
      variantNames: { broken: "Wait under if", fixed: "Wait in a while loop" },
      locals: [{ row: "Took", show: function (mine, s, t) { return t === "P" ? "—" : mine.took === null ? "nothing yet" : "item " + mine.took; } }],
      shared: [{ row: "Queue", show: function (s) { return s.vars.queue.length ? s.vars.queue.map(function (i) { return "item " + i; }).join(", ") : "empty"; } }],
      success: function () { return "Every thread finished: each consumer took one item."; },
      showMe: ["A", "A", "P", "P", "P", "B", "B", "B", "B", "A", "A"],
      resetText: "Reset: the queue is empty, the lock is free, and every thread is at its first step.",
    };
  });

  // ---------------------------------------------- chapter 21: lost wake-up

  S.register("lost-wakeup", function () {
    var L = "the lock";
    var CV = "signal";
    var program = {
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
            when: function (s) { return !s.vars.sent; },
            otherwise: "done",
            why: function (s, t) { return "Thread " + t + " found sent = false."; },
            noWait: function (s, t) { return "Thread " + t + " found sent = true: the signal came already, no need to wait."; },
          }),
          wake(CV, L, { label: "woken: take the lock back, then check again", indent: 1, goto: "check" }),
          unlock(L, { id: "done" }),
        ],
        B: [
          lock(L),
          act("`sent = true`", function (s, t) {
            s.vars.sent = true;
            return { say: "Thread " + t + " set sent = true." };
          }, { short: "sent = true" }),
          notify(CV, false),
          unlock(L),
        ],
      },
    };
    function variant(name) {
      return {
        init: function () { return { sent: false }; },
        locks: [L],
        condvars: [CV],
        programs: program[name],
      };
    }
    return {
      id: "lost-wakeup",
      title: "Puzzle: the lost wake-up",
      help: "Thread A waits for a signal from thread B. In the broken version there is no flag, only the condition variable `signal`: A takes the lock and calls `wait`, which releases the lock and sleeps until a notification comes. B takes the lock, calls `notify_one` and releases the lock.",
      goal: "Make thread A sleep forever.",
      hint: "`notify_one` wakes a thread that is asleep now. What if thread B runs first?",
      roles: { A: "waits for the signal", B: "sends it" },
      variants: { broken: variant("broken"), fixed: variant("fixed") },
      fix: {
        label: "Fixed version: a flag, `sent`, set under the lock, and a `while` loop around `wait`",
        on: "Fixed version: thread B sets sent = true before it notifies, and thread A waits only while sent is false. Try to make A sleep forever, or check every schedule.",
        off: "Broken version again: a notification and nothing to remember it.",
      },
      variantNames: { broken: "Notification only", fixed: "Flag and notification" },
      shared: [{ row: "Flag `sent`", only: "fixed", show: function (s) { return String(s.vars.sent); } }],
      success: function () { return "Both threads finished: thread A got the signal."; },
      showMe: ["B", "B", "B", "A", "A"],
      resetText: "Reset: nobody is asleep, the lock is free, and both threads are at their first step.",
    };
  });

  // -------------------------------------------------- chapter 21: barrier

  S.register("barrier", function () {
    var L = "the lock";
    var CV = "opened";
    var N = 2;

    // Through the barrier, with its promise checked as the thread passes:
    // the other thread has arrived for this round too (as the loom test
    // asserts).
    function through(round, id) {
      return unlock(L, {
        id: id,
        label: "release the lock: through the barrier",
        short: "through",
        indent: 1,
        say: function (s, t) { return "Thread " + t + " released the lock and passed round " + round + "."; },
        after: function (s, t) {
          var behind = Object.keys(s.threads).filter(function (u) { return s.threads[u].local.arrivals < round; });
          if (!behind.length) return {};
          return { fail: "Thread " + t + " passed round " + round + " before " + threadsWord(behind) + " arrived.", note: "Passed the barrier too early." };
        },
      });
    }
    function arrive(s, t) {
      s.threads[t].local.arrivals += 1;
    }

    function gateRound(round) {
      var tag = "r" + round;
      return [
        lock(L, { label: "round " + round + ": take the lock", short: "round " + round + ": lock" }),
        act("if first to arrive, close the gate (`open = false`); then `arrived += 1`", function (s, t) {
          var first = s.vars.arrived === 0;
          if (first) s.vars.open = false;
          s.vars.arrived += 1;
          arrive(s, t);
          return { say: "Thread " + t + " arrived" + (first ? " first, and closed the gate" : "") + ": arrived = " + s.vars.arrived + "." };
        }, { short: "arrive", indent: 1 }),
        notify(CV, true, {
          label: "if last (`arrived == 2`): `arrived = 0`, open the gate, `notify_all`",
          short: "if last: open",
          indent: 1,
          onlyIf: function (s) { return s.vars.arrived === N; },
          skip: function (s, t) { return "Thread " + t + " is not the last to arrive."; },
          before: function (s, t) {
            s.vars.arrived = 0;
            s.vars.open = true;
            return "Thread " + t + " arrived last: it set arrived = 0 and opened the gate.";
          },
          goto: tag + "-out",
        }),
        wait(CV, L, {
          id: tag + "-check",
          label: "`while` the gate is closed: `wait`",
          short: "while closed: wait",
          indent: 1,
          when: function (s) { return !s.vars.open; },
          otherwise: tag + "-out",
          why: function (s, t) { return "Thread " + t + " found the gate closed."; },
          noWait: function (s, t) { return "Thread " + t + " found the gate open."; },
        }),
        wake(CV, L, { label: "woken: take the lock back, then check again", indent: 2, goto: tag + "-check" }),
        through(round, tag + "-out"),
      ];
    }

    function roundRound(round) {
      var tag = "r" + round;
      return [
        lock(L, { label: "round " + round + ": take the lock", short: "round " + round + ": lock" }),
        act("`mine = round`; then `arrived += 1`", function (s, t) {
          s.threads[t].local.mine = s.vars.round;
          s.vars.arrived += 1;
          arrive(s, t);
          return { say: "Thread " + t + " arrived in round number " + s.vars.round + ": arrived = " + s.vars.arrived + "." };
        }, { short: "arrive", indent: 1 }),
        notify(CV, true, {
          label: "if last (`arrived == 2`): `arrived = 0`, `round += 1`, `notify_all`",
          short: "if last: next round",
          indent: 1,
          onlyIf: function (s) { return s.vars.arrived === N; },
          skip: function (s, t) { return "Thread " + t + " is not the last to arrive."; },
          before: function (s, t) {
            s.vars.arrived = 0;
            s.vars.round += 1;
            return "Thread " + t + " arrived last: it set arrived = 0 and round = " + s.vars.round + ".";
          },
          goto: tag + "-out",
        }),
        wait(CV, L, {
          id: tag + "-check",
          label: "`while round == mine`: `wait`",
          short: "while round == mine: wait",
          indent: 1,
          when: function (s, t) { return s.vars.round === s.threads[t].local.mine; },
          otherwise: tag + "-out",
          why: function (s, t) { return "Thread " + t + " found round still " + s.vars.round + "."; },
          noWait: function (s, t) { return "Thread " + t + " found round = " + s.vars.round + ": its round is over."; },
        }),
        wake(CV, L, { label: "woken: take the lock back, then check again", indent: 2, goto: tag + "-check" }),
        through(round, tag + "-out"),
      ];
    }

    function variant(name) {
      var makeRound = name === "broken" ? gateRound : roundRound;
      var program = makeRound(1).concat(makeRound(2));
      return {
        init: function () { return name === "broken" ? { arrived: 0, open: false } : { arrived: 0, round: 0 }; },
        locals: function () { return { arrivals: 0, mine: null }; },
        locks: [L],
        condvars: [CV],
        programs: { A: program, B: program },
      };
    }
    return {
      id: "barrier",
      title: "Puzzle: a barrier used twice",
      help: "Threads A and B meet at a barrier, then meet there again. The broken barrier has a count, arrived, and a gate flag, open, both under one lock. The first thread of a round closes the gate, the last one opens it and wakes the others with `notify_all`, and a thread that is not last waits while the gate is closed.",
      goal: "Make both threads wait forever.",
      hint: "Let one thread be last in round 1 and run straight on into round 2, while the other is still asleep.",
      variants: { broken: variant("broken"), fixed: variant("fixed") },
      fix: {
        label: "Fixed version: a round number instead of a gate flag; wait while the round is the one you arrived in",
        on: "Fixed version: a waiter sleeps until the round it arrived in is over, which stays true. Try to make both wait forever, or check every schedule.",
        off: "Broken version again: a count and a gate flag.",
      },
      variantNames: { broken: "Count and gate flag", fixed: "Count and round number" },
      locals: [
        { row: "Arrivals so far", show: function (mine) { return String(mine.arrivals); } },
        { row: "Its round, `mine`", show: function (mine) { return mine.mine === null ? "—" : String(mine.mine); } },
      ],
      shared: [
        { row: "`arrived`", show: function (s) { return String(s.vars.arrived); } },
        { row: "Gate `open`", only: "broken", show: function (s) { return String(s.vars.open); } },
        { row: "`round`", only: "fixed", show: function (s) { return String(s.vars.round); } },
      ],
      success: function () { return "Both threads passed the barrier twice, together each time."; },
      showMe: ["A", "A", "A", "A", "B", "B", "B", "B", "B", "B", "B", "B", "A", "A"],
      resetText: "Reset: nobody has arrived, the lock is free, and both threads are at their first step.",
    };
  });
})();
