// "Be the scheduler": two small widgets in which the reader decides which
// thread runs next.
//
//   <div id="race-scheduler"></div>      two threads, "read, add one, write back"
//   <div id="deadlock-scheduler"></div>  two threads, two locks, opposite orders
//
// Each widget fills its (empty) element; a page without JavaScript keeps the
// empty element and reads as before. Plain DOM, nothing fetched, no framework.
// Optional: data-locks="lock 0,lock 1" on the deadlock element names the
// locks (default "L1,L2").
(function () {
  "use strict";

  // A small element builder: h("p", {class: "x"}, ["text", child]).
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") el.textContent = value;
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

  function button(label, testid, onclick) {
    return h("button", { type: "button", class: "sched-button", "data-testid": testid, onclick: onclick, text: label });
  }

  // Marks a button unavailable without taking it out of the tab order, so
  // keyboard focus is never lost; pressing it explains why nothing happens.
  function setUnavailable(btn, unavailable) {
    if (unavailable) btn.setAttribute("aria-disabled", "true");
    else btn.removeAttribute("aria-disabled");
  }

  // A status line read out by screen readers after each step.
  function statusRegion(testid) {
    return h("p", { class: "sched-status", role: "status", "aria-live": "polite", "data-testid": testid });
  }

  // A table with a caption, column headers and row headers.
  function stateTable(caption, columns, rowNames, testid) {
    var cells = {};
    var head = h("tr", {}, columns.map(function (c, i) {
      return h("th", { scope: "col", text: c || (i === 0 ? "" : c) });
    }));
    var body = h("tbody", {}, rowNames.map(function (row) {
      cells[row] = [];
      var tds = columns.slice(1).map(function (col) {
        var td = h("td", { "data-testid": testid + "-" + slug(row) + "-" + slug(col) });
        cells[row].push(td);
        return td;
      });
      return h("tr", {}, [h("th", { scope: "row", text: row })].concat(tds));
    }));
    var table = h("table", { class: "sched-table", "data-testid": testid }, [
      h("caption", { text: caption }),
      h("thead", {}, [head]),
      body,
    ]);
    return { table: table, cells: cells };
  }

  function slug(text) {
    return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  }

  // ---------------------------------------------------------------- race

  var RACE_STEPS = [
    { name: "read", label: "read the shared value into its local copy", short: "read" },
    { name: "add", label: "add one to its local copy", short: "add one" },
    { name: "write", label: "write its local copy back to the shared value", short: "write back" },
  ];

  function raceWidget(root) {
    var state;
    var status = statusRegion("race-status");
    var verdict = h("p", { class: "sched-verdict", "data-testid": "race-verdict" });
    var shared = h("strong", { class: "sched-shared", "data-testid": "race-shared" });
    var table = stateTable("State now", ["", "Thread A", "Thread B"], ["Next step", "Local copy"], "race-state");
    var programs = {};
    var logBody = h("tbody", { "data-testid": "race-log-body" });
    var stepA = button("Step thread A", "race-step-a", function () { step("A"); });
    var stepB = button("Step thread B", "race-step-b", function () { step("B"); });

    function program(name) {
      var items = RACE_STEPS.map(function (s, i) {
        return h("li", { "data-step": String(i) }, [h("span", { class: "sched-marker", "aria-hidden": "true" }), s.label]);
      });
      programs[name] = items;
      return h("div", { class: "sched-program" }, [
        h("p", { class: "sched-program-title", text: "Thread " + name + " runs:" }),
        h("ol", {}, items),
      ]);
    }

    function reset() {
      state = {
        shared: 0,
        version: 0, // how many writes the shared value has seen
        lastWriter: null,
        threads: {
          A: { pc: 0, local: null, readVersion: null },
          B: { pc: 0, local: null, readVersion: null },
        },
        steps: 0,
        lost: null,
      };
      clear(logBody);
      verdict.textContent = "";
      render();
    }

    function done(t) {
      return state.threads[t].pc >= RACE_STEPS.length;
    }

    // One step of thread t; returns the sentence describing it.
    function step(t, quiet) {
      var other = t === "A" ? "B" : "A";
      var th = state.threads[t];
      if (done(t)) {
        announce("Thread " + t + " has finished all three steps. Step thread " + other + (done(other) ? ", or press Reset." : "."));
        return;
      }
      var s = RACE_STEPS[th.pc];
      var sentence;
      var lostNote = null;
      if (s.name === "read") {
        th.local = state.shared;
        th.readVersion = state.version;
        sentence = "Thread " + t + " read the shared value: its local copy is " + th.local + ".";
      } else if (s.name === "add") {
        th.local += 1;
        sentence = "Thread " + t + " added one: its local copy is " + th.local + ".";
      } else {
        var overwritten = state.shared;
        var overwrittenBy = state.lastWriter;
        var stale = state.version !== th.readVersion;
        state.shared = th.local;
        state.version += 1;
        state.lastWriter = t;
        sentence = "Thread " + t + " wrote " + th.local + " to the shared value.";
        if (stale && overwrittenBy) {
          state.lost = { thread: t, value: th.local, over: overwrittenBy, overValue: overwritten };
          lostNote = "Lost update: thread " + t + " overwrote thread " + overwrittenBy + "'s " + overwritten + ".";
        }
      }
      th.pc += 1;
      state.steps += 1;
      logBody.appendChild(logRow(t, s, th.local, lostNote));
      var finalWords = verdictText();
      verdict.textContent = finalWords;
      if (!quiet) announce("Step " + state.steps + ": " + sentence + (finalWords ? " " + finalWords : ""));
      render();
    }

    function verdictText() {
      if (state.lost) {
        var l = state.lost;
        var text = "Thread " + l.thread + " wrote " + l.value + " over thread " + l.over + "'s " + l.overValue +
          ": an update was lost";
        if (done("A") && done("B")) text += "; the final value is " + state.shared + ", not 2.";
        else text += ".";
        return text;
      }
      if (done("A") && done("B")) {
        return "Both threads are done and the final value is " + state.shared + ": no update was lost.";
      }
      return "";
    }

    function logRow(t, s, local, lostNote) {
      var row = h("tr", { class: lostNote ? "sched-lost" : null, "data-testid": "race-log-row", "data-lost": lostNote ? "true" : null }, [
        h("td", { text: String(state.steps) }),
        h("td", { text: "Thread " + t }),
        h("td", { text: s.short }),
        h("td", { text: String(local) }),
        h("td", { text: String(state.shared) }),
        h("td", {}, lostNote ? [h("strong", { text: "⚠ " + lostNote })] : []),
      ]);
      return row;
    }

    function announce(text) {
      status.textContent = text;
    }

    function render() {
      ["A", "B"].forEach(function (t) {
        var th = state.threads[t];
        table.cells["Next step"][t === "A" ? 0 : 1].textContent = done(t) ? "finished" : RACE_STEPS[th.pc].label;
        table.cells["Local copy"][t === "A" ? 0 : 1].textContent = th.local === null ? "none yet" : String(th.local);
        programs[t].forEach(function (li, i) {
          var marker = li.querySelector(".sched-marker");
          if (i === th.pc) {
            li.setAttribute("aria-current", "step");
            marker.textContent = "▶ next: ";
          } else if (i < th.pc) {
            li.removeAttribute("aria-current");
            marker.textContent = "✓ done: ";
          } else {
            li.removeAttribute("aria-current");
            marker.textContent = "";
          }
        });
      });
      shared.textContent = String(state.shared);
      setUnavailable(stepA, done("A"));
      setUnavailable(stepB, done("B"));
    }

    function preset(order, label) {
      reset();
      order.forEach(function (t) { step(t, true); });
      announce(label + ": " + state.steps + " steps taken. " + verdictText());
    }

    var noRace = button("No race (A then B)", "race-preset-no-race", function () {
      preset(["A", "A", "A", "B", "B", "B"], "No race, thread A then thread B");
    });
    var race = button("Race (A reads, B reads, A writes, B writes)", "race-preset-race", function () {
      preset(["A", "B", "A", "B", "A", "B"], "Race: A reads, B reads, A adds, B adds, A writes, B writes");
    });
    var resetButton = button("Reset", "race-reset", function () {
      reset();
      announce("Reset: the shared value is 0 and both threads are at their first step.");
    });

    var log = h("table", { class: "sched-table sched-log", "data-testid": "race-log" }, [
      h("caption", { text: "Steps taken, in order" }),
      h("thead", {}, [h("tr", {}, ["#", "Thread", "Step", "Local copy after", "Shared value after", "Note"].map(function (c) {
        return h("th", { scope: "col", text: c });
      }))]),
      logBody,
    ]);

    clear(root);
    root.appendChild(h("section", { class: "sched", "aria-labelledby": "race-scheduler-title", "data-testid": "race-widget" }, [
      h("h3", { id: "race-scheduler-title", class: "sched-title", text: "Be the scheduler: two threads add one to a shared value" }),
      h("p", { class: "sched-help", text: "Both threads run the same three steps. You choose which thread takes its next step. Can you make the final value something other than 2?" }),
      h("div", { class: "sched-programs" }, [program("A"), program("B")]),
      h("div", { class: "sched-controls", role: "group", "aria-label": "Choose the next step" }, [stepA, stepB]),
      h("div", { class: "sched-controls", role: "group", "aria-label": "Presets" }, [noRace, race, resetButton]),
      h("p", { class: "sched-shared-line" }, ["Shared value: ", shared]),
      table.table,
      status,
      verdict,
      log,
    ]));
    reset();
  }

  // ------------------------------------------------------------ deadlock

  function deadlockWidget(root) {
    var names = (root.getAttribute("data-locks") || "L1,L2").split(",").map(function (s) { return s.trim(); });
    if (names.length !== 2 || !names[0] || !names[1]) names = ["L1", "L2"];
    var L = { first: names[0], second: names[1] };
    var state;
    var ordered = false;
    var status = statusRegion("deadlock-status");
    var verdict = h("p", { class: "sched-verdict", "data-testid": "deadlock-verdict" });
    var table = stateTable("Threads now", ["", "Thread A", "Thread B"], ["Next step", "Holds", "State"], "deadlock-state");
    var locks = stateTable("Locks now", ["", "Held by"], [L.first, L.second], "deadlock-locks");
    var programLists = { A: h("ol", {}), B: h("ol", {}) };
    var logList = h("ol", { class: "sched-steps", "data-testid": "deadlock-log" });
    var stepA = button("Step thread A", "deadlock-step-a", function () { step("A"); });
    var stepB = button("Step thread B", "deadlock-step-b", function () { step("B"); });

    function programFor(t) {
      var a = L.first, b = L.second;
      if (t === "B" && !ordered) { a = L.second; b = L.first; }
      return [
        { op: "lock", lock: a },
        { op: "lock", lock: b },
        { op: "unlock", lock: b },
        { op: "unlock", lock: a },
      ];
    }

    function opLabel(s) {
      return (s.op === "lock" ? "take " : "release ") + s.lock;
    }

    function reset() {
      state = {
        owner: {},
        threads: { A: { pc: 0, program: programFor("A") }, B: { pc: 0, program: programFor("B") } },
        steps: 0,
        deadlock: false,
      };
      state.owner[L.first] = null;
      state.owner[L.second] = null;
      ["A", "B"].forEach(function (t) {
        clear(programLists[t]);
        state.threads[t].program.forEach(function (s) {
          programLists[t].appendChild(h("li", {}, [h("span", { class: "sched-marker", "aria-hidden": "true" }), opLabel(s)]));
        });
      });
      clear(logList);
      verdict.textContent = "";
      render();
    }

    function next(t) {
      var th = state.threads[t];
      return th.pc < th.program.length ? th.program[th.pc] : null;
    }

    function held(t) {
      return [L.first, L.second].filter(function (l) { return state.owner[l] === t; });
    }

    // The lock thread t waits for, or null if it can take its next step.
    function waitsFor(t) {
      var s = next(t);
      if (s && s.op === "lock" && state.owner[s.lock] && state.owner[s.lock] !== t) return s.lock;
      return null;
    }

    function step(t, quiet) {
      var other = t === "A" ? "B" : "A";
      var s = next(t);
      var sentence;
      if (state.deadlock) {
        announce("Thread " + t + " cannot move: the threads are deadlocked. Press Reset to start again.");
        return;
      }
      if (!s) {
        announce("Thread " + t + " has finished. Step thread " + other + (next(other) ? "." : ", or press Reset."));
        return;
      }
      var wait = waitsFor(t);
      if (wait) {
        sentence = "Thread " + t + " waits: " + wait + " is held by thread " + other + ". Step thread " + other + " to let it go on.";
        addLog("Thread " + t + " tries to take " + s.lock + " and waits: thread " + other + " holds it.", false);
        if (!quiet) announce(sentence);
        render();
        return;
      }
      if (s.op === "lock") state.owner[s.lock] = t;
      else state.owner[s.lock] = null;
      state.threads[t].pc += 1;
      state.steps += 1;
      sentence = "Thread " + t + (s.op === "lock" ? " took " : " released ") + s.lock + ".";
      addLog(sentence, false);
      if (waitsFor("A") && waitsFor("B")) {
        state.deadlock = true;
        addLog("Deadlock: both threads wait for each other.", true);
      }
      var words = verdictText();
      verdict.textContent = words;
      if (!quiet) announce(sentence + (words ? " " + words : ""));
      render();
    }

    function verdictText() {
      if (state.deadlock) {
        var a = held("A")[0], b = held("B")[0];
        return "Deadlock! A holds " + a + " and waits for " + waitsFor("A") + "; B holds " + b +
          " and waits for " + waitsFor("B") + ": neither can ever proceed.";
      }
      if (!next("A") && !next("B")) {
        return "Both threads finished: no deadlock" + (ordered ? ". With one lock order, none is possible." : " this time.");
      }
      return "";
    }

    function addLog(text, bad) {
      logList.appendChild(h("li", { class: bad ? "sched-lost" : null }, bad ? [h("strong", { text: "⚠ " + text })] : [text]));
    }

    function announce(text) {
      status.textContent = text;
    }

    function render() {
      ["A", "B"].forEach(function (t, col) {
        var s = next(t);
        var wait = waitsFor(t);
        var holds = held(t);
        table.cells["Next step"][col].textContent = s ? opLabel(s) : "none";
        table.cells.Holds[col].textContent = holds.length ? holds.join(" and ") : "nothing";
        var words = !s ? "finished" : wait ? "blocked: waits for " + wait + " (held by thread " + (t === "A" ? "B" : "A") + ")" : "ready";
        if (state.deadlock) words = "deadlocked: waits for " + wait + " forever";
        var cell = table.cells.State[col];
        cell.textContent = words;
        cell.setAttribute("data-state", !s ? "finished" : state.deadlock ? "deadlocked" : wait ? "blocked" : "ready");
        cell.className = wait ? "sched-blocked" : "";
        var items = programLists[t].children;
        for (var i = 0; i < items.length; i++) {
          var marker = items[i].querySelector(".sched-marker");
          if (i === state.threads[t].pc) {
            items[i].setAttribute("aria-current", "step");
            marker.textContent = wait ? "▶ blocked: " : "▶ next: ";
          } else {
            items[i].removeAttribute("aria-current");
            marker.textContent = i < state.threads[t].pc ? "✓ done: " : "";
          }
        }
        setUnavailable(t === "A" ? stepA : stepB, !s || state.deadlock);
      });
      [L.first, L.second].forEach(function (l) {
        locks.cells[l][0].textContent = state.owner[l] ? "thread " + state.owner[l] : "free";
      });
    }

    var ordering = h("input", {
      type: "checkbox",
      id: "deadlock-ordering",
      "data-testid": "deadlock-ordering",
      onchange: function () {
        ordered = ordering.checked;
        reset();
        announce(ordered
          ? "Lock ordering on: thread B now takes " + L.first + " first, like thread A. Try to make them deadlock."
          : "Lock ordering off: thread B takes " + L.second + " first again.");
      },
    });
    var presetDeadlock = button("Show a deadlock (A takes " + L.first + ", B takes " + L.second + ")", "deadlock-preset", function () {
      ordering.checked = false;
      ordered = false;
      reset();
      step("A", true);
      step("B", true);
      announce("Thread A took " + L.first + ", thread B took " + L.second + ". " + verdictText());
    });
    var resetButton = button("Reset", "deadlock-reset", function () {
      reset();
      announce("Reset: both locks are free and both threads are at their first step.");
    });

    clear(root);
    root.appendChild(h("section", { class: "sched", "aria-labelledby": "deadlock-scheduler-title", "data-testid": "deadlock-widget" }, [
      h("h3", { id: "deadlock-scheduler-title", class: "sched-title", text: "Be the scheduler: two threads, two locks" }),
      h("p", { class: "sched-help", text: "Each thread takes two locks, then releases them. A thread whose next lock is held by the other thread waits. You choose which thread takes its next step. Can you make both wait forever?" }),
      h("div", { class: "sched-programs" }, ["A", "B"].map(function (t) {
        return h("div", { class: "sched-program" }, [
          h("p", { class: "sched-program-title", text: "Thread " + t + " runs:" }),
          programLists[t],
        ]);
      })),
      h("p", { class: "sched-option" }, [
        ordering,
        h("label", { for: "deadlock-ordering", text: " Lock ordering: both take " + L.first + " first" }),
      ]),
      h("div", { class: "sched-controls", role: "group", "aria-label": "Choose the next step" }, [stepA, stepB]),
      h("div", { class: "sched-controls", role: "group", "aria-label": "Presets" }, [presetDeadlock, resetButton]),
      h("div", { class: "sched-tables" }, [table.table, locks.table]),
      status,
      verdict,
      h("p", { class: "sched-log-title", id: "deadlock-log-title", text: "Steps taken, in order:" }),
      logList,
    ]));
    logList.setAttribute("aria-labelledby", "deadlock-log-title");
    reset();
  }

  function start() {
    var race = document.getElementById("race-scheduler");
    if (race) raceWidget(race);
    var deadlock = document.getElementById("deadlock-scheduler");
    if (deadlock) deadlockWidget(deadlock);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
