/* global workbook */
/* exported workbookScheduler */
// "Be the scheduler": the engine of the book's scheduler puzzles, in which
// the reader decides which thread runs next. No DOM: scheduler.js draws the
// widget, and tests/browser/unit/ runs every puzzle through this engine in
// Node.
//
// A puzzle is data (puzzles.js, puzzles-signaling.js, puzzles-memory.js): a
// few threads, each a list of steps over shared state (variables, locks,
// condition variables, atomics), in a broken and, usually, a fixed version.
// The engine takes a step when the reader asks for one, notices a failure (a
// step that goes wrong, or every remaining thread blocked: a deadlock), and
// checks every schedule of a version by enumerating them all. Playing and
// checking run the same step functions, so what the check proves is about
// the puzzle the reader plays.
//
// Atomics follow Rust's memory model as loom models it, so that a load may
// read an older value than the newest: the reader then also chooses which
// value a load reads, and the check tries every choice (see "the memory").

const workbookScheduler = (() => {
  "use strict";

  const { listWords, plural } = workbook;

  // ---------------------------------------------------------- the model
  //
  // A state is plain data, so that it can be copied and compared:
  //   vars:     the puzzle's shared variables
  //   locks:    lock name -> the thread that holds it, or null
  //   sleepers: condition variable name -> threads asleep on it, in order
  //   threads:  name -> { pc: index of its next step, local: its variables }
  //   steps:    how many steps were taken
  //   failure:  null, or { kind: "fail" | "deadlock" | "stuck", text }
  //             (deadlock: a cycle of lock waits; stuck: nobody can move,
  //             but not for that: asleep, with nobody left to notify)
  //   memory:   atomic name -> its stores, oldest first (see "the memory")
  //   sc:       atomic name -> the index of its newest SeqCst store
  // and each thread also has a `view` (the memory).
  //
  // A step: { label, short, indent, id,
  //           blocked(state, t) -> null or { status, cell, clause, marker },
  //           choices(state, t) -> null or [{ key, value, words }] (a load's),
  //           run(state, t, choice) -> { say, goto, fail, note, mark } }
  // `run` changes the state it is given; `goto` names a step's id, or "end".
  //
  // A move is what the reader (or the check) chooses: a thread's name, and
  // for a step with choices, the choice after a colon ("B:0": thread B's
  // load reads store 0).

  /** @param {any} variant */
  function initialState(variant) {
    const s = {
      vars: variant.init ? variant.init() : {},
      locks: {},
      sleepers: {},
      threads: {},
      steps: 0,
      failure: null,
      memory: {},
      sc: {},
    };
    const atomics = variant.atomics || {};
    for (const [name, value] of Object.entries(atomics)) {
      s.memory[name] = [{ value, by: null, order: null, released: null }];
      s.sc[name] = 0;
    }
    for (const l of variant.locks || []) {
      s.locks[l] = null;
    }
    for (const c of variant.condvars || []) {
      s.sleepers[c] = [];
    }
    for (const t of Object.keys(variant.programs)) {
      const view = Object.fromEntries(Object.keys(atomics).map((a) => [a, 0]));
      s.threads[t] = { pc: 0, local: variant.locals ? variant.locals(t) : {}, view };
    }
    return s;
  }

  /** @template T @param {T} s @returns {T} */
  function copy(s) {
    return JSON.parse(JSON.stringify(s));
  }

  function keyOf(s) {
    return JSON.stringify([s.vars, s.locks, s.sleepers, s.threads, s.memory, s.sc, s.failure && s.failure.kind]);
  }

  function nextStep(variant, s, t) {
    const program = variant.programs[t];
    const pc = s.threads[t].pc;
    return pc < program.length ? program[pc] : null;
  }

  function finished(variant, s, t) {
    return !nextStep(variant, s, t);
  }

  function blockedBy(variant, s, t) {
    const step = nextStep(variant, s, t);
    return step && step.blocked ? step.blocked(s, t) : null;
  }

  /** @returns {string[]} */
  function threadNames(variant) {
    return Object.keys(variant.programs);
  }

  /** The threads that can take a step now. */
  function enabled(variant, s) {
    if (s.failure) {
      return [];
    }
    return threadNames(variant).filter((t) => !finished(variant, s, t) && !blockedBy(variant, s, t));
  }

  /** The locks thread t holds. @returns {string[]} */
  function held(s, t) {
    return Object.keys(s.locks).filter((l) => s.locks[l] === t);
  }

  /**
   * Whether the threads that cannot move include a cycle of lock waits: a
   * thread that waits for a lock held by a thread that waits for a lock ...
   * held by the first. That, and only that, is a deadlock (chapter 19's
   * definition); threads asleep on a condition variable that nobody is left
   * to notify are stuck forever too, but that is a lost wake-up, not a
   * deadlock.
   */
  function lockCycle(variant, s, stuck) {
    return stuck.some((start) => {
      const seen = new Set();
      let t = start;
      while (t && !seen.has(t)) {
        seen.add(t);
        const wait = blockedBy(variant, s, t);
        t = wait && wait.owner;
      }
      return t === start;
    });
  }

  /** Every thread that has not finished is blocked: nobody can ever move.
   * A deadlock if some of them wait for each other's locks in a cycle;
   * otherwise stuck forever (asleep, with nobody left to wake them). */
  function stuckFailure(variant, s) {
    const stuck = threadNames(variant).filter((t) => !finished(variant, s, t));
    const clauses = stuck.map((t) => {
      const holds = held(s, t);
      const clause = blockedBy(variant, s, t).clause;
      return holds.length ? `${t} holds ${listWords(holds)} and ${clause}` : `${t} ${clause}`;
    });
    if (lockCycle(variant, s, stuck)) {
      let end = ": none of them can ever proceed.";
      if (stuck.length === 2) {
        end = ": neither can ever proceed.";
      }
      return { kind: "deadlock", text: `Deadlock! ${clauses.join("; ")}${end}` };
    }
    const end =
      stuck.length === 1
        ? ", and every other thread has finished: nobody is left to wake it"
        : `: ${stuck.length === 2 ? "neither" : "none of them"} can ever proceed, and nobody is left to wake them`;
    return {
      kind: "stuck",
      text: `Stuck forever! ${clauses.join("; ")}${end}. (A lost wake-up, not a deadlock: no thread waits for a lock another holds.)`,
    };
  }

  /** A move's thread and choice. @param {string} move @returns {[string, string | undefined]} */
  function parseMove(move) {
    const at = move.indexOf(":");
    return at < 0 ? [move, undefined] : [move.slice(0, at), move.slice(at + 1)];
  }

  /** What thread t's next step lets the reader choose (a load's values), or null. */
  function choicesOf(variant, s, t) {
    const step = nextStep(variant, s, t);
    return step && step.choices ? step.choices(s, t) : null;
  }

  /** Every move that can be made now: each enabled thread, with each of its choices. @returns {string[]} */
  function moves(variant, s) {
    return enabled(variant, s).flatMap((t) => {
      const choices = choicesOf(variant, s, t);
      return choices ? choices.map((c) => `${t}:${c.key}`) : [t];
    });
  }

  /**
   * Makes a move (its thread must be enabled): thread t's next step, with
   * the choice the move names (none: the step's first). Returns what happened.
   * @param {string} move
   */
  function advance(variant, s, move) {
    const [t, choice] = parseMove(move);
    const program = variant.programs[t];
    const th = s.threads[t];
    const result = program[th.pc].run(s, t, choice) || {};
    if (result.goto === "end") {
      th.pc = program.length;
    } else if (result.goto !== undefined) {
      th.pc = program.findIndex((step) => step.id === result.goto);
    } else {
      th.pc += 1;
    }
    if (th.pc < 0) {
      throw new Error(`no step with id ${result.goto}`);
    }
    s.steps += 1;
    if (result.fail) {
      s.failure = { kind: "fail", text: result.fail };
    } else {
      const done = threadNames(variant).every((u) => finished(variant, s, u));
      if (!done && enabled(variant, s).length === 0) {
        s.failure = stuckFailure(variant, s);
      }
    }
    return result;
  }

  /**
   * Every schedule of a variant, enumerated: a schedule is the sequence of
   * moves made, one per step, until every thread has finished, a step
   * fails, or no thread can move. Identical states are explored once, and
   * their schedules counted by multiplication, so the count is exact without
   * walking every schedule one by one. With `variant.outcome(state)`, also
   * every outcome the schedules end in, sorted.
   * @returns {{schedules: number, failing: number, deadlocks: number, stuck: number, example: string[] | null, states: number, outcomes: string[]}}
   */
  function explore(variant) {
    const memo = new Map();
    const onPath = new Set();
    function visit(s) {
      const key = keyOf(s);
      if (memo.has(key)) {
        return memo.get(key);
      }
      if (onPath.has(key)) {
        throw new Error("a schedule returns to a state it has been in: the count would be infinite");
      }
      onPath.add(key);
      let r;
      // A schedule's outcome, where it ends.
      const ended = () => (variant.outcome ? [variant.outcome(s)] : []);
      if (s.failure) {
        const kind = s.failure.kind;
        r = {
          total: 1,
          failing: 1,
          deadlocks: kind === "deadlock" ? 1 : 0,
          stuck: kind === "stuck" ? 1 : 0,
          example: [],
          outcomes: ended(),
        };
      } else if (enabled(variant, s).length === 0) {
        r = { total: 1, failing: 0, deadlocks: 0, stuck: 0, example: null, outcomes: ended() }; // everyone finished
      } else {
        r = { total: 0, failing: 0, deadlocks: 0, stuck: 0, example: null, outcomes: [] };
        for (const move of moves(variant, s)) {
          const child = copy(s);
          advance(variant, child, move);
          const c = visit(child);
          r.total += c.total;
          r.failing += c.failing;
          r.deadlocks += c.deadlocks;
          r.stuck += c.stuck;
          r.outcomes = [...new Set(r.outcomes.concat(c.outcomes))].sort();
          if (!r.example && c.example) {
            r.example = [move].concat(c.example);
          }
        }
      }
      onPath.delete(key);
      memo.set(key, r);
      return r;
    }
    const result = visit(initialState(variant));
    return {
      schedules: result.total,
      failing: result.failing,
      deadlocks: result.deadlocks,
      stuck: result.stuck,
      example: result.example,
      states: memo.size,
      outcomes: result.outcomes,
    };
  }

  // --------------------------------------------------------- the memory
  //
  // Rust's atomics as loom models them (and as chapters 18.1 and 18.3
  // explain). Each atomic keeps every value stored in it, oldest first: its
  // modification order. Each thread has a *view*: for each atomic, the
  // oldest store it may still read. A load may read that store or any newer
  // one, and moves the thread's view up to what it read (coherence: it never
  // reads older than what it has seen, or stored itself). A Release store
  // carries the storing thread's view with it; an Acquire load that reads
  // it takes that view in: everything before the store happens before
  // everything after the load. SeqCst is Release and Acquire, plus loom's
  // one rule for it: a SeqCst load never reads a store older than the
  // newest SeqCst store to its atomic (a starting value counts as one, as
  // when the chapter's loom test writes it again with SeqCst).

  const releases = (order) => order === "Release" || order === "SeqCst";
  const acquires = (order) => order === "Acquire" || order === "SeqCst";

  /** The indices of the stores of `atomic` that thread t may read with `order`, newest first. */
  function readable(s, t, atomic, order) {
    const from = Math.max(s.threads[t].view[atomic], order === "SeqCst" ? s.sc[atomic] : 0);
    const newest = s.memory[atomic].length - 1;
    return Array.from({ length: newest - from + 1 }, (_, k) => newest - k);
  }

  /** Thread t stores `value` in `atomic` with `order`. */
  function storeAtomic(s, t, atomic, value, order) {
    const history = s.memory[atomic];
    const view = s.threads[t].view;
    view[atomic] = history.length;
    history.push({ value, by: t, order, released: releases(order) ? { ...view } : null });
    if (order === "SeqCst") {
      s.sc[atomic] = view[atomic];
    }
  }

  /** Thread t reads store `index` of `atomic` with `order`; returns its value. */
  function loadAtomic(s, t, atomic, order, index) {
    const store = s.memory[atomic][index];
    const view = s.threads[t].view;
    view[atomic] = Math.max(view[atomic], index);
    if (acquires(order) && store.released) {
      for (const [a, i] of Object.entries(store.released)) {
        view[a] = Math.max(view[a], i);
      }
    }
    return store.value;
  }

  /** A store in words: "1, stored by thread A (Relaxed)", "0, its starting value". */
  function storeWords(store) {
    const value = String(store.value);
    return store.by === null
      ? `${value}, its starting value`
      : `${value}, stored by thread ${store.by} (${store.order})`;
  }

  // ------------------------------------------------------------- words

  /**
   * The verdict under a schedule: its failure, or the puzzle's word for
   * every thread finished, or nothing while it goes on.
   * @param {any} puzzle @param {"broken" | "fixed"} variantName
   */
  function verdictWords(puzzle, variantName, s) {
    const variant = puzzle.variants[variantName];
    if (s.failure) {
      return s.failure.text;
    }
    if (threadNames(variant).every((t) => finished(variant, s, t))) {
      return puzzle.success
        ? puzzle.success(s, variantName)
        : "Every thread finished, and nothing went wrong in this schedule.";
    }
    return "";
  }

  /**
   * Why thread t cannot take a step now (it has finished, or the schedule
   * has failed), or null when it can try. A thread that waits for a lock can
   * try: the try is a step of the log.
   */
  function cannotStep(variant, s, t) {
    if (finished(variant, s, t)) {
      const rest = threadNames(variant).filter((u) => u !== t && !finished(variant, s, u));
      return `Thread ${t} has finished. ${rest.length && !s.failure ? `Step thread ${listWords(rest)}.` : "Press Reset to play again."}`;
    }
    if (s.failure) {
      if (s.failure.kind === "deadlock") {
        return `Thread ${t} cannot move: the threads are deadlocked. Press Reset to start again.`;
      }
      if (s.failure.kind === "stuck") {
        return `Thread ${t} cannot move: no thread can ever move again. Press Reset to start again.`;
      }
      return `This program has already failed: ${s.failure.text} Press Reset to start again.`;
    }
    return null;
  }

  /** A version's name, as the check's result says it. @param {any} puzzle @param {string} name */
  function variantLabel(puzzle, name) {
    const names = puzzle.variantNames || {};
    if (names[name]) {
      return names[name];
    }
    if (!puzzle.variants.fixed) {
      return "These threads";
    }
    return name === "fixed" ? "The fixed version" : "The broken version";
  }

  /**
   * A schedule in words, played from the start: each move's thread, and
   * what a load chose to read ("A", "B reads 0 from x").
   * @param {string[]} schedule @returns {string[]}
   */
  function scheduleWords(variant, schedule) {
    const s = initialState(variant);
    return schedule.map((move) => {
      const [t, choice] = parseMove(move);
      const step = nextStep(variant, s, t);
      const chosen = choice !== undefined && step.choices ? step.choices(s, t).find((c) => c.key === choice) : null;
      advance(variant, s, move);
      return chosen ? `${t} reads ${chosen.value} from ${step.atomic}` : t;
    });
  }

  /** What "Check every schedule" says about explore's result, in plain
   * words: how many orders of the steps there are, that every one was
   * played, and how many of them fail (and how). @param {any} puzzle @param {string} name */
  function checkWords(puzzle, name, r) {
    const variant = puzzle.variants[name];
    const orders = variant.atomics
      ? plural(r.schedules, "possible run", "possible runs") +
        " (every order of the steps, with every value each load may read)"
      : plural(r.schedules, "possible order", "possible orders") + " of the threads' steps";
    let text = `${variantLabel(puzzle, name)}: there ${r.schedules === 1 ? "is" : "are"} ${orders}, and the check played every one. `;
    const outcomes = r.outcomes && r.outcomes.length ? ` What they end in: ${r.outcomes.join("; ")}.` : "";
    if (r.failing === 0) {
      return text + (r.schedules === 1 ? "It does not fail." : "None of them fails.") + outcomes;
    }
    text += r.failing === r.schedules ? "Every one of them fails" : plural(r.failing, "of them fails", "of them fail");
    const how = [
      [r.deadlocks, "by deadlock"],
      [r.stuck || 0, "stuck forever"],
    ].filter(([n]) => n > 0);
    if (how.length === 1 && how[0][0] === r.failing) {
      text += `, all ${how[0][1]}`;
    } else if (how.length) {
      text += ` (${how.map(([n, words]) => `${n} ${words}`).join(", ")})`;
    }
    return `${text}.${outcomes} One that fails: ${scheduleWords(variant, r.example).join(", ")}.`;
  }

  // ---------------------------------------------------- step builders
  //
  // The steps puzzles are made of. Each returns a step object; `label` may be
  // given to say it in the puzzle's own words.

  /** The status of a thread that waits for a lock another holds. */
  function waitsFor(t, lockName, owner, woken) {
    return {
      status: `Thread ${t} waits: ${woken ? "it was woken, but " : ""}${lockName} is held by thread ${owner}. Step thread ${owner} to let it go on.`,
      cell: `${woken ? "woken, blocked" : "blocked"}: waits for ${lockName} (held by thread ${owner})`,
      clause: `waits for ${lockName}`,
      marker: "blocked",
      owner,
    };
  }

  /** What every step has: its label, its short name, its indent and id. */
  const named = (opts, label, short) => ({
    label: opts.label || label,
    short: opts.short || short,
    indent: opts.indent,
    id: opts.id,
  });

  /** A step's result, going on to `opts.goto` if a step gives one. */
  const going = (result, opts) => (opts.goto ? { ...result, goto: opts.goto } : result);

  const steps = {
    // Takes a lock, or waits while another thread holds it. With
    // opts.onlyIf, a thread for which it returns false skips the lock and
    // goes to opts.otherwise (default: the end), saying opts.skip(t).
    lock(name, opts = {}) {
      const applies = (s, t) => !opts.onlyIf || opts.onlyIf(s, t);
      return {
        ...named(opts, `take ${name}`, `take ${name}`),
        blocked(s, t) {
          const owner = s.locks[name];
          return !applies(s, t) || !owner || owner === t ? null : waitsFor(t, name, owner, false);
        },
        run(s, t) {
          if (!applies(s, t)) {
            return { say: opts.skip ? opts.skip(s, t) : `Thread ${t} skips this step.`, goto: opts.otherwise || "end" };
          }
          s.locks[name] = t;
          return { say: `Thread ${t} took ${name}.` };
        },
      };
    },

    // Releases a lock. opts.after(s, t) may return more of the step's
    // result ({ fail, note }): a check made as the thread leaves.
    unlock(name, opts = {}) {
      return {
        ...named(opts, `release ${name}`, `release ${name}`),
        run(s, t) {
          s.locks[name] = null;
          const said = { say: opts.say ? opts.say(s, t) : `Thread ${t} released ${name}.` };
          return Object.assign(going(said, opts), opts.after ? opts.after(s, t) : {});
        },
      };
    },

    // Condvar::wait, first half: if opts.when(s, t) holds (default: always),
    // release the lock and fall asleep on the condition variable; otherwise
    // go to opts.otherwise.
    wait(cv, lockName, opts = {}) {
      return {
        ...named(opts, undefined, "wait"),
        run(s, t) {
          if (opts.when && !opts.when(s, t)) {
            return { say: opts.noWait(s, t), goto: opts.otherwise };
          }
          s.locks[lockName] = null;
          s.sleepers[cv].push(t);
          const why = opts.why ? `${opts.why(s, t)} ` : "";
          return { say: `${why}Thread ${t} calls wait: it releases ${lockName} and sleeps until ${cv} is notified.` };
        },
      };
    },

    // Condvar::wait, second half: asleep until notified, then wait for the
    // lock and take it back. Goes on to opts.goto (a `while` loop's check).
    wake(cv, lockName, opts = {}) {
      return {
        ...named(opts, `woken: take ${lockName} back`, "wake up"),
        blocked(s, t) {
          if (s.sleepers[cv].includes(t)) {
            return {
              status: `Thread ${t} is asleep: it waits for a notification on ${cv}. Step another thread.`,
              cell: `asleep: waits for a notification on ${cv}`,
              clause: `waits for a notification on ${cv}`,
              marker: "asleep",
            };
          }
          const owner = s.locks[lockName];
          return owner && owner !== t ? waitsFor(t, lockName, owner, true) : null;
        },
        run(s, t) {
          s.locks[lockName] = t;
          return going({ say: `Thread ${t} woke up and took ${lockName} back.` }, opts);
        },
      };
    },

    // Condvar::notify_one / notify_all. notify_one wakes the thread that has
    // slept longest, as loom's model does; std does not say which. With
    // opts.onlyIf, a thread for which it returns false goes on to the next
    // step, saying opts.skip(s, t); opts.before(s, t) changes the state first.
    notify(cv, all, opts = {}) {
      const call = all ? "notify_all" : "notify_one";
      return {
        ...named(opts, `\`${call}\``, call),
        run(s, t) {
          if (opts.onlyIf && !opts.onlyIf(s, t)) {
            return { say: opts.skip(s, t) };
          }
          const before = opts.before ? `${opts.before(s, t)} ` : "";
          const woken = all ? s.sleepers[cv].splice(0) : s.sleepers[cv].splice(0, 1);
          const who = listWords(woken.map((u) => `thread ${u}`));
          const said = woken.length
            ? `Thread ${t} calls ${call} on ${cv}: ${who}${woken.length === 1 ? " wakes" : " wake"} up, and will need the lock back.`
            : `Thread ${t} calls ${call} on ${cv}, but nobody is asleep on it: the notification is lost.`;
          return going({ say: before + said }, opts);
        },
      };
    },

    // An atomic store: `atomic.store(value, order)`. `value` may be a
    // function of (s, t).
    store(atomic, value, order, opts = {}) {
      return {
        ...named(opts, `\`${atomic}.store(${value}, ${order})\``, `store ${atomic}`),
        run(s, t) {
          const v = typeof value === "function" ? value(s, t) : value;
          storeAtomic(s, t, atomic, v, order);
          return going({ say: `Thread ${t} stored ${v} in ${atomic} (${order}).` }, opts);
        },
      };
    },

    // An atomic load: `atomic.load(order)`, into the thread's local
    // `opts.into`. Its choices are the stores it may read, newest first;
    // opts.then(s, t, value) may add to the result ({ fail, note, goto }).
    load(atomic, order, opts = {}) {
      return {
        ...named(opts, `\`${atomic}.load(${order})\``, `load ${atomic}`),
        atomic,
        choices: (s, t) =>
          readable(s, t, atomic, order).map((i) => {
            const store = s.memory[atomic][i];
            return { key: String(i), value: String(store.value), words: storeWords(store) };
          }),
        run(s, t, choice) {
          const options = readable(s, t, atomic, order);
          const index = choice === undefined ? options[0] : Number(choice);
          if (!options.includes(index)) {
            throw new Error(`thread ${t} cannot read store ${choice} of ${atomic}`);
          }
          const others = options.filter((i) => i !== index).map((i) => String(s.memory[atomic][i].value));
          const words = storeWords(s.memory[atomic][index]);
          const value = loadAtomic(s, t, atomic, order, index);
          if (opts.into) {
            s.threads[t].local[opts.into] = value;
          }
          const also = others.length ? ` It could also have read ${others.join(" or ")}.` : "";
          const result = going({ say: `Thread ${t} loaded ${atomic} (${order}) and read ${words}.${also}` }, opts);
          const more = opts.then ? opts.then(s, t, value) : {};
          return { ...result, ...more, say: more.say ? `${result.say} ${more.say}` : result.say };
        },
      };
    },

    // Anything else: run(s, t) changes the state and returns { say, ... }.
    act(label, run, opts = {}) {
      return { ...named({ ...opts, label }, label, label), blocked: opts.blocked, run };
    },
  };

  // ------------------------------------------------------- the puzzles

  /** name -> make(root), which returns the puzzle's definition. */
  const puzzles = new Map();
  const listeners = [];

  /** The puzzle scripts call this for each puzzle. @param {string} name @param {(root: Element) => any} make */
  function register(name, make) {
    puzzles.set(name, make);
    for (const listener of listeners) {
      listener(name, make);
    }
  }

  /** The programs of threads A and B that both run `steps`. */
  const both = (steps) => ({ A: steps, B: steps });

  /** A puzzle's two versions, `variant("broken")` and `variant("fixed")`. */
  const versions = (variant) => ({ broken: variant("broken"), fixed: variant("fixed") });

  /** Calls `listener` for every puzzle registered, now and later. */
  function onRegister(listener) {
    listeners.push(listener);
    for (const [name, make] of puzzles) {
      listener(name, make);
    }
  }

  return {
    steps,
    both,
    versions,
    register,
    onRegister,
    puzzles,
    initialState,
    nextStep,
    finished,
    blockedBy,
    threadNames,
    enabled,
    held,
    choicesOf,
    moves,
    parseMove,
    advance,
    explore,
    scheduleWords,
    verdictWords,
    cannotStep,
    checkWords,
  };
})();
