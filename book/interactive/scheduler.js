// "Be the scheduler": the engine of the book's scheduler puzzles, in which the
// reader decides which thread runs next.
//
// A puzzle is data (book/interactive/puzzles.js): a few threads, each a list
// of steps over shared state (variables, locks, condition variables), in a
// broken and, usually, a fixed version. This file plays them: it draws the
// widget, runs a step when the reader asks for it, notices a failure (a step
// that goes wrong, or every remaining thread blocked: a deadlock), replays a
// failing schedule ("Show me"), and checks every schedule of a version by
// enumerating them all. Playing and checking run the same step functions, so
// what the check proves is about the puzzle the reader plays.
//
// A page places a puzzle with an empty element:
//
//   <div class="sched-mount" data-puzzle="withdraw"></div>
//   <div id="race-scheduler"></div>       (the older ids still work:
//   <div id="deadlock-scheduler"></div>    race and deadlock)
//
// Without JavaScript the element stays empty and the chapter reads as before.
// Plain DOM, nothing fetched, no framework.
(function () {
  "use strict";

  // ------------------------------------------------------------ the DOM

  // A small element builder: h("p", {class: "x"}, ["text", child]).
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") el.textContent = value;
      else if (key === "rich") setRich(el, value);
      else if (key === "onclick") el.addEventListener("click", value);
      else if (key === "onchange") el.addEventListener("change", value);
      else el.setAttribute(key, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  // Text in which `backticks` mark code: "call `notify_one`".
  function setRich(el, text) {
    clear(el);
    String(text).split("`").forEach(function (part, i) {
      if (!part) return;
      el.appendChild(i % 2 ? h("code", { text: part }) : document.createTextNode(part));
    });
  }

  // The same text as a screen reader and a test see it: without backticks.
  function plain(text) {
    return String(text).replace(/`/g, "");
  }

  function button(label, testid, onclick) {
    return h("button", { type: "button", class: "sched-button", "data-testid": testid, onclick: onclick, text: label });
  }

  // Marks a button unavailable without taking it out of the tab order, so
  // keyboard focus is never lost; pressing it explains why nothing happens.
  function setUnavailable(btn, unavailable) {
    if (unavailable) btn.setAttribute("aria-disabled", "true");
    else btn.removeAttribute("aria-disabled");
  }

  function slug(text) {
    return plain(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  }

  // A table with a caption, column headers and row headers; cells[row][col].
  function stateTable(caption, columns, rowNames, testid) {
    var cells = {};
    var head = h("tr", {}, columns.map(function (c) {
      return h("th", { scope: "col", rich: c });
    }));
    var body = h("tbody", {}, rowNames.map(function (row) {
      cells[row] = columns.slice(1).map(function (col) {
        return h("td", { "data-testid": testid + "-" + slug(row) + "-" + slug(col) });
      });
      return h("tr", {}, [h("th", { scope: "row", rich: capitalized(row) })].concat(cells[row]));
    }));
    var table = h("table", { class: "sched-table", "data-testid": testid }, [
      h("caption", { text: caption }),
      h("thead", {}, [head]),
      body,
    ]);
    return { table: table, cells: cells };
  }

  function capitalized(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function listWords(items) {
    if (items.length <= 1) return items.join("");
    return items.slice(0, -1).join(", ") + " and " + items[items.length - 1];
  }

  function count(n, one, many) {
    return n.toLocaleString("en") + " " + (n === 1 ? one : many || one + "s");
  }

  // ---------------------------------------------------------- the model
  //
  // A state is plain data, so that it can be copied and compared:
  //   vars:     the puzzle's shared variables
  //   locks:    lock name -> the thread that holds it, or null
  //   sleepers: condition variable name -> threads asleep on it, in order
  //   threads:  name -> { pc: index of its next step, local: its variables }
  //   steps:    how many steps were taken
  //   failure:  null, or { kind: "fail" | "deadlock", text }
  //
  // A step: { label, short, indent, id,
  //           blocked(state, t) -> null or { status, cell, clause, marker },
  //           run(state, t) -> { say, goto, fail, note, mark } }
  // `run` changes the state it is given; `goto` names a step's id, or "end".

  function initialState(variant) {
    var s = { vars: variant.init ? variant.init() : {}, locks: {}, sleepers: {}, threads: {}, steps: 0, failure: null };
    (variant.locks || []).forEach(function (l) { s.locks[l] = null; });
    (variant.condvars || []).forEach(function (c) { s.sleepers[c] = []; });
    Object.keys(variant.programs).forEach(function (t) {
      s.threads[t] = { pc: 0, local: variant.locals ? variant.locals(t) : {} };
    });
    return s;
  }

  function copy(s) {
    return JSON.parse(JSON.stringify(s));
  }

  function keyOf(s) {
    return JSON.stringify([s.vars, s.locks, s.sleepers, s.threads, s.failure && s.failure.kind]);
  }

  function nextStep(variant, s, t) {
    var program = variant.programs[t];
    var pc = s.threads[t].pc;
    return pc < program.length ? program[pc] : null;
  }

  function finished(variant, s, t) {
    return !nextStep(variant, s, t);
  }

  function blockedBy(variant, s, t) {
    var step = nextStep(variant, s, t);
    return step && step.blocked ? step.blocked(s, t) : null;
  }

  function threadNames(variant) {
    return Object.keys(variant.programs);
  }

  function enabled(variant, s) {
    if (s.failure) return [];
    return threadNames(variant).filter(function (t) {
      return !finished(variant, s, t) && !blockedBy(variant, s, t);
    });
  }

  function held(s, t) {
    return Object.keys(s.locks).filter(function (l) { return s.locks[l] === t; });
  }

  // Every thread that has not finished is blocked: nobody can ever move.
  function deadlockText(variant, s) {
    var stuck = threadNames(variant).filter(function (t) { return !finished(variant, s, t); });
    var clauses = stuck.map(function (t) {
      var holds = held(s, t);
      var clause = blockedBy(variant, s, t).clause;
      return holds.length ? t + " holds " + listWords(holds) + " and " + clause : t + " " + clause;
    });
    var end = stuck.length === 1
      ? ", and every other thread has finished: it can never proceed."
      : stuck.length === 2 ? ": neither can ever proceed." : ": none of them can ever proceed.";
    return "Deadlock! " + clauses.join("; ") + end;
  }

  // Takes thread t's next step (it must be enabled); returns what happened.
  function advance(variant, s, t) {
    var program = variant.programs[t];
    var th = s.threads[t];
    var result = program[th.pc].run(s, t) || {};
    if (result.goto === "end") th.pc = program.length;
    else if (result.goto !== undefined) th.pc = program.findIndex(function (step) { return step.id === result.goto; });
    else th.pc += 1;
    if (th.pc < 0) throw new Error("no step with id " + result.goto);
    s.steps += 1;
    if (result.fail) s.failure = { kind: "fail", text: result.fail };
    else {
      var all = threadNames(variant);
      var done = all.every(function (u) { return finished(variant, s, u); });
      if (!done && enabled(variant, s).length === 0) s.failure = { kind: "deadlock", text: deadlockText(variant, s) };
    }
    return result;
  }

  // Every schedule of a variant, enumerated: a schedule is the sequence of
  // threads chosen, one per step, until every thread has finished, a step
  // fails, or no thread can move. Identical states are explored once, and
  // their schedules counted by multiplication, so the count is exact without
  // walking every schedule one by one.
  function explore(variant) {
    var memo = new Map();
    var onPath = new Set();
    function visit(s) {
      var key = keyOf(s);
      if (memo.has(key)) return memo.get(key);
      if (onPath.has(key)) throw new Error("a schedule returns to a state it has been in: the count would be infinite");
      onPath.add(key);
      var r;
      if (s.failure) {
        r = { total: 1, failing: 1, deadlocks: s.failure.kind === "deadlock" ? 1 : 0, example: [] };
      } else {
        var next = enabled(variant, s);
        if (next.length === 0) {
          r = { total: 1, failing: 0, deadlocks: 0, example: null }; // everyone finished
        } else {
          r = { total: 0, failing: 0, deadlocks: 0, example: null };
          next.forEach(function (t) {
            var child = copy(s);
            advance(variant, child, t);
            var c = visit(child);
            r.total += c.total;
            r.failing += c.failing;
            r.deadlocks += c.deadlocks;
            if (!r.example && c.example) r.example = [t].concat(c.example);
          });
        }
      }
      onPath.delete(key);
      memo.set(key, r);
      return r;
    }
    var result = visit(initialState(variant));
    return { schedules: result.total, failing: result.failing, deadlocks: result.deadlocks, example: result.example, states: memo.size };
  }

  // ---------------------------------------------------- step builders
  //
  // The steps puzzles are made of. Each returns a step object; `label` may be
  // given to say it in the puzzle's own words.

  var steps = {
    // Takes a lock, or waits while another thread holds it. With
    // opts.onlyIf, a thread for which it returns false skips the lock and
    // goes to opts.otherwise (default: the end), saying opts.skip(t).
    lock: function (name, opts) {
      opts = opts || {};
      var applies = function (s, t) { return !opts.onlyIf || opts.onlyIf(s, t); };
      return {
        label: opts.label || "take " + name,
        short: opts.short || "take " + name,
        indent: opts.indent,
        id: opts.id,
        blocked: function (s, t) {
          var owner = s.locks[name];
          if (!applies(s, t) || !owner || owner === t) return null;
          return {
            status: "Thread " + t + " waits: " + name + " is held by thread " + owner + ". Step thread " + owner + " to let it go on.",
            cell: "blocked: waits for " + name + " (held by thread " + owner + ")",
            clause: "waits for " + name,
            marker: "blocked",
          };
        },
        run: function (s, t) {
          if (!applies(s, t)) return { say: opts.skip ? opts.skip(s, t) : "Thread " + t + " skips this step.", goto: opts.otherwise || "end" };
          s.locks[name] = t;
          return { say: "Thread " + t + " took " + name + "." };
        },
      };
    },

    // Releases a lock. opts.after(s, t) may return more of the step's
    // result ({ fail, note }): a check made as the thread leaves.
    unlock: function (name, opts) {
      opts = opts || {};
      return {
        label: opts.label || "release " + name,
        short: opts.short || "release " + name,
        indent: opts.indent,
        id: opts.id,
        run: function (s, t) {
          s.locks[name] = null;
          var result = { say: opts.say ? opts.say(s, t) : "Thread " + t + " released " + name + "." };
          if (opts.goto) result.goto = opts.goto;
          return Object.assign(result, opts.after ? opts.after(s, t) : {});
        },
      };
    },

    // Condvar::wait, first half: if opts.when(s, t) holds (default: always),
    // release the lock and fall asleep on the condition variable; otherwise
    // go to opts.otherwise.
    wait: function (cv, lockName, opts) {
      opts = opts || {};
      return {
        label: opts.label,
        short: opts.short || "wait",
        indent: opts.indent,
        id: opts.id,
        run: function (s, t) {
          if (opts.when && !opts.when(s, t)) return { say: opts.noWait(s, t), goto: opts.otherwise };
          s.locks[lockName] = null;
          s.sleepers[cv].push(t);
          return { say: (opts.why ? opts.why(s, t) + " " : "") + "Thread " + t + " calls wait: it releases " + lockName + " and sleeps until " + cv + " is notified." };
        },
      };
    },

    // Condvar::wait, second half: asleep until notified, then wait for the
    // lock and take it back. Goes on to opts.goto (a `while` loop's check).
    wake: function (cv, lockName, opts) {
      opts = opts || {};
      return {
        label: opts.label || "woken: take " + lockName + " back",
        short: opts.short || "wake up",
        indent: opts.indent,
        id: opts.id,
        blocked: function (s, t) {
          if (s.sleepers[cv].indexOf(t) >= 0) {
            return {
              status: "Thread " + t + " is asleep: it waits for a notification on " + cv + ". Step another thread.",
              cell: "asleep: waits for a notification on " + cv,
              clause: "waits for a notification on " + cv,
              marker: "asleep",
            };
          }
          var owner = s.locks[lockName];
          if (owner && owner !== t) {
            return {
              status: "Thread " + t + " waits: it was woken, but " + lockName + " is held by thread " + owner + ". Step thread " + owner + " to let it go on.",
              cell: "woken, blocked: waits for " + lockName + " (held by thread " + owner + ")",
              clause: "waits for " + lockName,
              marker: "blocked",
            };
          }
          return null;
        },
        run: function (s, t) {
          s.locks[lockName] = t;
          var result = { say: "Thread " + t + " woke up and took " + lockName + " back." };
          if (opts.goto) result.goto = opts.goto;
          return result;
        },
      };
    },

    // Condvar::notify_one / notify_all. notify_one wakes the thread that has
    // slept longest, as loom's model does; std does not say which. With
    // opts.onlyIf, a thread for which it returns false goes on to the next
    // step, saying opts.skip(s, t); opts.before(s, t) changes the state first.
    notify: function (cv, all, opts) {
      opts = opts || {};
      return {
        label: opts.label || (all ? "`notify_all`" : "`notify_one`"),
        short: opts.short || (all ? "notify_all" : "notify_one"),
        indent: opts.indent,
        id: opts.id,
        run: function (s, t) {
          if (opts.onlyIf && !opts.onlyIf(s, t)) return { say: opts.skip(s, t) };
          var before = opts.before ? opts.before(s, t) + " " : "";
          var woken = all ? s.sleepers[cv].splice(0) : s.sleepers[cv].splice(0, 1);
          var call = all ? "notify_all" : "notify_one";
          var result = {
            say: before + (woken.length
              ? "Thread " + t + " calls " + call + " on " + cv + ": " + listWords(woken.map(function (u) { return "thread " + u; })) + (woken.length === 1 ? " wakes" : " wake") + " up, and will need the lock back."
              : "Thread " + t + " calls " + call + " on " + cv + ", but nobody is asleep on it: the notification is lost."),
          };
          if (opts.goto) result.goto = opts.goto;
          return result;
        },
      };
    },

    // Anything else: run(s, t) changes the state and returns { say, ... }.
    act: function (label, run, opts) {
      opts = opts || {};
      return { label: label, short: opts.short || label, indent: opts.indent, id: opts.id, blocked: opts.blocked, run: run };
    },
  };

  // --------------------------------------------------------- the widget

  var reducedMotion = function () {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  };

  var REPLAY_MS = 650;

  function widget(root, puzzle) {
    var id = puzzle.id;
    var variantName = "broken";
    var variant = puzzle.variants.broken;
    var state;
    var ran; // thread -> the indices of the steps it has taken (for the ✓ marks)
    var failedAt; // { t, i }: the step whose run failed the schedule, or null
    var replayTimer = null;
    var threads = threadNames(variant);
    var anyLocks = Object.keys(puzzle.variants).some(function (v) { return (puzzle.variants[v].locks || []).length; });

    var status = h("p", { class: "sched-status", role: "status", "aria-live": "polite", "data-testid": id + "-status" });
    var verdict = h("p", { class: "sched-verdict", "data-testid": id + "-verdict" });
    var checkResult = h("p", { class: "sched-check-result", role: "status", "aria-live": "polite", "data-testid": id + "-check-result" });
    var headline = puzzle.headline ? h("strong", { class: "sched-shared", "data-testid": id + "-shared" }) : null;
    var threadRows = ["Next step"].concat((puzzle.locals || []).map(function (l) { return l.row; }), anyLocks ? ["Holds"] : [], ["State"]);
    var threadTable = stateTable("Threads now", [""].concat(threads.map(function (t) { return "Thread " + t; })), threadRows, id + "-state");
    var sharedTable = null; // rebuilt with the variant: its locks and condvars differ
    var sharedBox = h("div", { class: "sched-shared-box" });
    var programBox = h("div", { class: "sched-programs" });
    var programItems = {};
    var logBody = h("tbody", { "data-testid": id + "-log-body" });
    var stepButtons = {};
    threads.forEach(function (t) {
      stepButtons[t] = button("Step thread " + t, id + "-step-" + slug(t), function () { stopReplay(); step(t); });
    });

    function sharedRows() {
      var rows = (puzzle.shared || []).filter(function (r) { return !r.only || r.only === variantName; }).map(function (r) { return r.row; });
      (variant.locks || []).forEach(function (l) { rows.push(l); });
      (variant.condvars || []).forEach(function (c) { rows.push("Asleep on `" + c + "`"); });
      return rows;
    }

    function buildVariant() {
      clear(programBox);
      programItems = {};
      threads.forEach(function (t) {
        var items = variant.programs[t].map(function (s, i) {
          var label = h("span", { rich: s.label });
          return h("li", { "data-step": String(i), class: s.indent ? "sched-indent-" + s.indent : null }, [
            h("span", { class: "sched-marker", "aria-hidden": "true" }),
            label,
          ]);
        });
        programItems[t] = items;
        var role = puzzle.roles && puzzle.roles[t] ? " (" + puzzle.roles[t] + ")" : "";
        programBox.appendChild(h("div", { class: "sched-program" }, [
          h("p", { class: "sched-program-title", text: "Thread " + t + role + " runs:" }),
          h("ol", {}, items),
        ]));
      });
      var rows = sharedRows();
      clear(sharedBox);
      sharedTable = rows.length ? stateTable("Shared state now", ["", "Now"], rows, id + "-shared-state") : null;
      if (sharedTable) sharedBox.appendChild(sharedTable.table);
    }

    function setVariant(name) {
      variantName = name;
      variant = puzzle.variants[name];
      if (fixBox) fixBox.checked = name === "fixed";
      buildVariant();
    }

    function reset() {
      state = initialState(variant);
      ran = {};
      failedAt = null;
      threads.forEach(function (t) { ran[t] = {}; });
      clear(logBody);
      verdict.textContent = "";
      render();
    }

    function announce(text) {
      setRich(status, text);
    }

    function verdictText() {
      if (state.failure) return state.failure.text;
      var all = threads.every(function (t) { return finished(variant, state, t); });
      if (all) return puzzle.success ? puzzle.success(state, variantName) : "Every thread finished, and nothing went wrong in this schedule.";
      return "";
    }

    function others(t) {
      return threads.filter(function (u) { return u !== t && !finished(variant, state, u); });
    }

    // One step of thread t, as the reader asked for it.
    function step(t, quiet) {
      if (finished(variant, state, t)) {
        var rest = others(t);
        announce("Thread " + t + " has finished. " + (rest.length && !state.failure
          ? "Step thread " + listWords(rest) + "."
          : "Press Reset to play again."));
        return;
      }
      if (state.failure) {
        announce(state.failure.kind === "deadlock"
          ? "Thread " + t + " cannot move: the threads are deadlocked. Press Reset to start again."
          : "This schedule has already failed: " + state.failure.text + " Press Reset to start again.");
        return;
      }
      var wait = blockedBy(variant, state, t);
      if (wait) {
        addLog(null, t, nextStep(variant, state, t).short, wait.status, null);
        if (!quiet) announce(wait.status);
        render();
        return;
      }
      var short = nextStep(variant, state, t).short;
      var pc = state.threads[t].pc;
      var result = advance(variant, state, t);
      // A failing step is marked as the place it failed, not as done.
      if (result.fail) failedAt = { t: t, i: pc };
      else ran[t][pc] = true;
      addLog(state.steps, t, short, result.say, result);
      if (state.failure && state.failure.kind === "deadlock") {
        addLog("", "—", "", state.failure.text, { fail: true, note: "Deadlock" });
      }
      var words = verdictText();
      setRich(verdict, words);
      if (!quiet) announce("Step " + state.steps + ": " + result.say + (words ? " " + words : ""));
      render();
    }

    function addLog(number, t, short, say, result) {
      var failed = result && result.fail;
      var note = result && result.note;
      var row = h("tr", {
        class: failed ? "sched-lost" : null,
        "data-testid": id + "-log-row",
        "data-failure": failed ? "true" : null,
        "data-waited": number === null ? "true" : null,
      }, [
        h("td", { text: number === null ? "–" : String(number) }),
        h("td", { text: t }),
        h("td", { rich: short }),
        h("td", { rich: say }),
        h("td", {}, note ? [h("strong", { rich: "⚠ " + note })] : []),
      ]);
      if (result && result.mark) row.setAttribute("data-" + result.mark, "true");
      logBody.appendChild(row);
    }

    function render() {
      threads.forEach(function (t, col) {
        var th = state.threads[t];
        var next = nextStep(variant, state, t);
        var wait = next ? blockedBy(variant, state, t) : null;
        var failedHere = failedAt && failedAt.t === t;
        setRich(threadTable.cells["Next step"][col], failedHere ? "none: its last step failed" : next ? next.label : "finished");
        (puzzle.locals || []).forEach(function (l) {
          setRich(threadTable.cells[l.row][col], l.show(th.local, state, t));
        });
        if (anyLocks) {
          var holds = held(state, t);
          threadTable.cells.Holds[col].textContent = holds.length ? listWords(holds) : "nothing";
        }
        var cell = threadTable.cells.State[col];
        var failed = state.failure && state.failure.kind;
        var kind = !next ? "finished" : failed === "deadlock" ? "deadlocked" : failed ? "stopped" : wait ? "blocked" : "ready";
        var words = {
          finished: "finished",
          deadlocked: wait && "deadlocked: " + wait.clause + " forever",
          stopped: "stopped: the schedule has failed",
          blocked: wait && wait.cell,
          ready: "ready",
        }[kind];
        setRich(cell, words);
        cell.setAttribute("data-state", kind);
        cell.className = wait ? "sched-blocked" : "";
        programItems[t].forEach(function (li, i) {
          var marker = li.querySelector(".sched-marker");
          if (failedHere && i === failedAt.i) li.setAttribute("data-failed", "true");
          else li.removeAttribute("data-failed");
          if (failedHere) {
            if (i === failedAt.i) li.setAttribute("aria-current", "step");
            else li.removeAttribute("aria-current");
            marker.textContent = i === failedAt.i ? "✗ failed: " : ran[t][i] ? "✓ done: " : "";
          } else if (i === th.pc) {
            li.setAttribute("aria-current", "step");
            marker.textContent = "▶ " + (kind === "stopped" ? "stopped" : wait ? wait.marker : "next") + ": ";
          } else {
            li.removeAttribute("aria-current");
            marker.textContent = ran[t][i] ? "✓ done: " : "";
          }
        });
        setUnavailable(stepButtons[t], !next || !!state.failure);
      });
      if (headline) headline.textContent = puzzle.headline.show(state);
      if (sharedTable) {
        (puzzle.shared || []).forEach(function (r) {
          if (sharedTable.cells[r.row]) setRich(sharedTable.cells[r.row][0], r.show(state));
        });
        (variant.locks || []).forEach(function (l) {
          sharedTable.cells[l][0].textContent = state.locks[l] ? "held by thread " + state.locks[l] : "free";
        });
        (variant.condvars || []).forEach(function (c) {
          var who = state.sleepers[c];
          sharedTable.cells["Asleep on `" + c + "`"][0].textContent = who.length ? listWords(who.map(function (u) { return "thread " + u; })) : "nobody";
        });
      }
      root.setAttribute("data-variant", variantName);
    }

    // ----------------------------------------------------- presets, replay

    function stopReplay() {
      if (replayTimer !== null) {
        clearInterval(replayTimer);
        replayTimer = null;
      }
      section.removeAttribute("data-replaying");
    }

    function runPreset(p) {
      stopReplay();
      setVariant(p.variant || "broken");
      reset();
      var words = function () {
        return (p.announce ? p.announce(state) : p.label + ": " + count(state.steps, "step") + " taken.") + " " + verdictText();
      };
      if (!p.replay || reducedMotion()) {
        p.schedule.forEach(function (t) { step(t, true); });
        announce(words());
        return;
      }
      // Replay: one step at a time, so the reader sees the markers and the
      // tables move. Any other button stops it.
      announce("Replaying a failing schedule, one step at a time: " + p.schedule.join(", ") + ".");
      section.setAttribute("data-replaying", "true");
      var i = 0;
      replayTimer = setInterval(function () {
        if (i < p.schedule.length && !state.failure) {
          step(p.schedule[i], true);
          i += 1;
        }
        if (i >= p.schedule.length || state.failure) {
          stopReplay();
          announce(words());
        }
      }, REPLAY_MS);
    }

    var presets = (puzzle.presets || []).slice();
    if (puzzle.showMe) {
      presets.push({
        testid: "show-me",
        label: "Show me a failing schedule",
        schedule: puzzle.showMe,
        replay: true,
        announce: function (s) { return "A failing schedule of the broken version, replayed: " + count(s.steps, "step") + "."; },
      });
    }
    var presetButtons = presets.map(function (p) {
      return button(p.label, id + "-" + p.testid, function () { runPreset(p); });
    });

    var resetButton = button("Reset", id + "-reset", function () {
      stopReplay();
      reset();
      announce(puzzle.resetText || "Reset: every thread is back at its first step.");
    });

    function variantLabel(name) {
      var names = puzzle.variantNames || {};
      if (names[name]) return names[name];
      if (!puzzle.variants.fixed) return "These threads";
      return name === "fixed" ? "The fixed version" : "The broken version";
    }

    var checkButton = button("Check every schedule", id + "-check-all", function () {
      var r;
      try {
        r = explore(variant);
      } catch (e) {
        setRich(checkResult, "The check could not finish: " + e.message);
        return;
      }
      var text = variantLabel(variantName) + ": checked all " + count(r.schedules, "schedule") + " (" + count(r.states, "distinct state") + "). ";
      if (r.failing === 0) {
        text += r.schedules === 1 ? "It does not fail." : "None of them fails.";
      } else {
        text += (r.failing === r.schedules ? "Every one of them fails" : count(r.failing, "of them fails", "of them fail"));
        if (r.deadlocks) text += r.deadlocks === r.failing ? ", all by deadlock" : " (" + count(r.deadlocks, "by deadlock") + ")";
        text += ". One that fails: " + r.example.join(", ") + ".";
      }
      checkResult.setAttribute("data-schedules", String(r.schedules));
      checkResult.setAttribute("data-failing", String(r.failing));
      checkResult.setAttribute("data-variant", variantName);
      setRich(checkResult, text);
    });

    var fixBox = null;
    var fixLine = null;
    if (puzzle.variants.fixed) {
      var fix = puzzle.fix || {};
      var boxId = id + "-" + (fix.testid || "fixed");
      fixBox = h("input", {
        type: "checkbox",
        id: boxId,
        "data-testid": boxId,
        onchange: function () {
          stopReplay();
          setVariant(fixBox.checked ? "fixed" : "broken");
          reset();
          setRich(checkResult, "");
          announce(fixBox.checked
            ? fix.on || "The fixed version: try to make it fail, or check every schedule."
            : fix.off || "The broken version again.");
        },
      });
      fixLine = h("p", { class: "sched-option" }, [fixBox, h("label", { for: boxId, rich: " " + (fix.label || "Fixed version") })]);
    }

    var log = h("table", { class: "sched-table sched-log", "data-testid": id + "-log" }, [
      h("caption", { text: "Steps taken, in order" }),
      h("thead", {}, [h("tr", {}, ["#", "Thread", "Step", "What happened", "Note"].map(function (c) {
        return h("th", { scope: "col", text: c });
      }))]),
      logBody,
    ]);

    var intro = [h("p", { class: "sched-help", rich: puzzle.help })];
    if (puzzle.goal) intro.push(h("p", { class: "sched-goal", "data-testid": id + "-goal" }, [h("strong", { text: "Goal: " }), h("span", { rich: puzzle.goal })]));
    if (puzzle.hint) {
      intro.push(h("details", { class: "sched-hint", "data-testid": id + "-hint" }, [
        h("summary", { text: "Hint" }),
        h("p", { rich: puzzle.hint }),
      ]));
    }

    var section = h("section", { class: "sched", "aria-labelledby": id + "-scheduler-title", "data-testid": id + "-widget" }, [].concat(
      [h("h3", { id: id + "-scheduler-title", class: "sched-title", rich: puzzle.title })],
      intro,
      [programBox],
      fixLine ? [fixLine] : [],
      [
        h("div", { class: "sched-controls", role: "group", "aria-label": "Choose the next step" }, threads.map(function (t) { return stepButtons[t]; })),
        h("div", { class: "sched-controls", role: "group", "aria-label": "Presets" }, presetButtons.concat([resetButton])),
      ],
      headline ? [h("p", { class: "sched-shared-line" }, [puzzle.headline.label + ": ", headline])] : [],
      [
        h("div", { class: "sched-tables" }, [threadTable.table, sharedBox]),
        status,
        verdict,
        h("div", { class: "sched-controls", role: "group", "aria-label": "Check" }, [checkButton]),
        checkResult,
        log,
      ]
    ));

    clear(root);
    root.appendChild(section);
    buildVariant();
    reset();
  }

  // ------------------------------------------------------------ mounting

  var registry = {};
  var started = false;
  // The element ids of the first two widgets, from before puzzles had names.
  var LEGACY_IDS = { race: "race-scheduler", deadlock: "deadlock-scheduler" };

  function mountAll(name) {
    var make = registry[name];
    var roots = Array.prototype.slice.call(document.querySelectorAll('[data-puzzle="' + name + '"]'));
    var legacy = LEGACY_IDS[name] && document.getElementById(LEGACY_IDS[name]);
    if (legacy && roots.indexOf(legacy) < 0) roots.push(legacy);
    roots.forEach(function (root) {
      if (root.getAttribute("data-mounted")) return;
      root.setAttribute("data-mounted", "true");
      widget(root, make(root));
    });
  }

  // puzzles.js calls this for each puzzle: make(root) returns its definition.
  function register(name, make) {
    registry[name] = make;
    if (started) mountAll(name);
  }

  function start() {
    started = true;
    Object.keys(registry).forEach(mountAll);
  }

  // register and steps for puzzles.js; explore to check a puzzle from the console.
  window.WorkbookScheduler = { register: register, steps: steps, explore: explore };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
