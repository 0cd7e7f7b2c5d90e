// Runs from the page: what snippets.js (Rust programs) and commands.js
// (`cargo run --example` command blocks) share. Only a page served by
// `cargo workbook` carries <meta name="workbook-version">; everywhere else (a
// static build, `mdbook serve`, file://) `workbookRuns.available` is false
// and neither script adds a single control.
//
// A run is a POST to the server (the browser's sign-in cookie goes with it;
// the page never sees a secret); the answer is a stream of
// JSON lines (workbook/src/serve/runs.rs documents them: queued, started,
// phase, output, compile_error, done), read as it arrives and shown in a
// panel under the code block: a status line (announced), the program's
// stdout and stderr in two labelled boxes, compile errors as rustc renders
// them, the report lines as a table, and how the run ended. Nothing is sent
// to any other host.
(function () {
  "use strict";

  var served =
    !!document.querySelector('meta[name="workbook-version"]') &&
    /^https?:$/.test(location.protocol) &&
    typeof window.fetch === "function" &&
    typeof window.ReadableStream === "function" &&
    // The print version holds every chapter at once: for paper, not for runs.
    !/\/print\.html$/.test(location.pathname);

  var counter = 0;
  function uniqueId(prefix) {
    counter += 1;
    return "wb-" + prefix + "-" + counter;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, testid, extraClass) {
    var b = el("button", { type: "button", class: "wb-run-button " + (extraClass || ""), "data-testid": testid }, label);
    return b;
  }

  // ------------------------------------------------------------ words

  // Splits a command line into words the way a POSIX shell would (quotes,
  // backslashes, `#` comments), without running one: shell syntax that would
  // need a shell (pipes, redirections, `&`, `;`, `$(…)`, variables) is an
  // error, so what runs is exactly the words shown.
  function splitWords(line) {
    var words = [];
    var word = null;
    var i = 0;
    function add(ch) {
      word = (word || "") + ch;
    }
    function end() {
      if (word !== null) words.push(word);
      word = null;
    }
    while (i < line.length) {
      var c = line[i];
      if (c === " " || c === "\t" || c === "\n") {
        end();
        i += 1;
      } else if (c === "'") {
        var close = line.indexOf("'", i + 1);
        if (close < 0) return { error: "a ' quote is not closed" };
        add(line.slice(i + 1, close));
        i = close + 1;
      } else if (c === '"') {
        var j = i + 1;
        var text = "";
        for (;;) {
          if (j >= line.length) return { error: 'a " quote is not closed' };
          var d = line[j];
          if (d === '"') break;
          if (d === "$" || d === "`") return { error: "`" + d + "` inside double quotes needs a shell; the page runs the example without one" };
          if (d === "\\" && j + 1 < line.length && '"\\$`'.indexOf(line[j + 1]) >= 0) {
            text += line[j + 1];
            j += 2;
          } else {
            text += d;
            j += 1;
          }
        }
        add(text);
        i = j + 1;
      } else if (c === "\\") {
        if (i + 1 >= line.length) return { error: "a \\ at the end of the line" };
        add(line[i + 1]);
        i += 2;
      } else if (c === "#" && word === null) {
        break; // a comment, to the end of the line
      } else if ("|&;<>()$`".indexOf(c) >= 0) {
        return { error: "`" + c + "` is shell syntax; the page runs the example without a shell, so leave it out" };
      } else {
        add(c);
        i += 1;
      }
    }
    end();
    return { words: words };
  }

  // ------------------------------------------------------------ report lines

  // A report line, as every example prints it (src/cli.rs, `Report`):
  //   threads         N=1000 T=2  result=333.3  left sum=333.3  |error|=5.0e-2  time=1.2 ms  speed-up=1.9x (sequential 2.3 ms)
  // The strategy, then fields separated by two spaces; a field holds one or
  // more `key=value` separated by one space, and a value may go on with
  // words that have no `=` ("1.2 ms", "1.9x (sequential 2.3 ms)").
  // Returns [[key, value], …] with "strategy" first, or null.
  function parseReport(line) {
    var m = /^([A-Za-z][\w\/.:-]*) +(\S.*)$/.exec(line.replace(/\s+$/, ""));
    if (!m || m[2].indexOf("=") < 0) return null;
    var fields = [["strategy", m[1]]];
    var segments = m[2].split(/ {2,}/);
    for (var s = 0; s < segments.length; s++) {
      var words = segments[s].split(" ");
      var keyPrefix = [];
      var current = null;
      var depth = 0;
      for (var w = 0; w < words.length; w++) {
        var word = words[w];
        var eq = word.indexOf("=");
        if (depth === 0 && eq > 0) {
          current = [keyPrefix.concat([word.slice(0, eq)]).join(" "), word.slice(eq + 1)];
          keyPrefix = [];
          fields.push(current);
        } else if (current) {
          current[1] += " " + word;
        } else {
          keyPrefix.push(word);
        }
        depth += (word.match(/\(/g) || []).length - (word.match(/\)/g) || []).length;
      }
      // Words before any `key=`: not a report line after all.
      if (keyPrefix.length) return null;
    }
    for (var f = 1; f < fields.length; f++) {
      if (!fields[f][0] || !fields[f][1]) return null;
    }
    return fields.length > 1 ? fields : null;
  }

  // A line of `--json` output: a JSON object, as [[key, value], …].
  function parseJsonLine(line) {
    var t = line.trim();
    if (t[0] !== "{") return null;
    try {
      var obj = JSON.parse(t);
      if (!obj || typeof obj !== "object" || Array.isArray(obj)) return null;
      return Object.keys(obj).map(function (k) {
        var v = obj[k];
        return [k, typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)];
      });
    } catch (e) {
      return null;
    }
  }

  // ------------------------------------------------------------ the panel

  function formatSeconds(s) {
    if (typeof s !== "number" || !isFinite(s)) return "?";
    if (s < 1e-3) return (s * 1e6).toFixed(0) + " µs";
    if (s < 1) return (s * 1e3).toFixed(0) + " ms";
    return s.toFixed(2) + " s";
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function capitalise(text) {
    return text ? text[0].toUpperCase() + text.slice(1) : text;
  }

  function sentence(text) {
    text = capitalise(text.trim());
    return /[.!?]$/.test(text) ? text : text + ".";
  }

  // The part of a panel that shows one run, under the code block.
  // `options`: kind ("snippet" | "example"); label (the group's accessible
  // name); name (what runs); yourMachine (the block shows the book's own
  // output: say that this run is the learner's).
  function Panel(options) {
    this.kind = options.kind;
    this.yourMachine = !!options.yourMachine;
    this.root = el("div", {
      class: "wb-run",
      role: "group",
      "aria-label": options.label,
      "data-testid": "run-panel",
      "data-kind": options.kind,
      "data-state": "idle",
    });
    if (options.name) this.root.setAttribute("data-name", options.name);
    if (this.yourMachine) this.root.setAttribute("data-under-output", "true");
    this.bar = el("div", { class: "wb-run-bar" });
    this.root.appendChild(this.bar);
    this.status = el("p", { class: "wb-run-status", role: "status", "aria-live": "polite", "data-testid": "run-status" });
    this.root.appendChild(this.status);
    this.result = el("div", { class: "wb-run-result", "data-testid": "run-result", hidden: "" });
    this.root.appendChild(this.result);
  }

  Panel.prototype.setState = function (state) {
    this.root.setAttribute("data-state", state);
  };

  // The status line: short, announced to screen readers as it changes.
  Panel.prototype.say = function (words) {
    this.status.textContent = words;
  };

  // Empties the result area for a new run: one slot per kind of thing a
  // run shows, always in this order.
  Panel.prototype.clear = function () {
    while (this.result.firstChild) this.result.removeChild(this.result.firstChild);
    this.result.hidden = true;
    if (this.yourMachine) {
      this.result.appendChild(el("p", { class: "wb-run-heading" }, "Your machine (the output above is the book's reference run):"));
    }
    this.slots = {};
    ["build", "errors", "stdout", "stderr", "table", "done"].forEach(function (name) {
      this.slots[name] = this.result.appendChild(el("div", { class: "wb-run-slot" }));
    }, this);
    this.streams = {};
    this.build = null;
    this.reports = [];
    this.pendingStdout = "";
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.unshown = {};
    ["data-outcome", "data-exit-code", "data-cached", "data-compile-s", "data-run-s", "data-wall-s"].forEach(function (a) {
      this.root.removeAttribute(a);
    }, this);
  };

  Panel.prototype.show = function (slot, node) {
    this.slots[slot].appendChild(node);
    this.result.hidden = false;
    return node;
  };

  var STREAM_LABELS = {
    stdout: "Standard output (stdout)",
    stderr: "Standard error (stderr)",
  };

  // The box for one of the program's streams, made when it first prints.
  Panel.prototype.stream = function (name) {
    if (this.streams[name]) return this.streams[name];
    var id = uniqueId(name);
    var box = el("div", { class: "wb-run-stream wb-run-" + name });
    box.appendChild(el("p", { class: "wb-run-label", id: id }, STREAM_LABELS[name]));
    // Focusable: a long output scrolls, and the keyboard must reach it.
    var pre = el("pre", { tabindex: "0", "aria-labelledby": id, "data-testid": "run-" + name });
    box.appendChild(pre);
    this.show(name, box);
    this.streams[name] = pre;
    return pre;
  };

  // cargo's own lines (building, warnings): folded away, open on request.
  Panel.prototype.buildOutput = function () {
    if (this.build) return this.build;
    var details = el("details", { class: "wb-run-build", "data-testid": "run-build" });
    details.appendChild(el("summary", {}, this.kind === "snippet" ? "Compiler output (warnings)" : "Build output (cargo)"));
    this.build = details.appendChild(el("pre", { tabindex: "0", "aria-label": "Build output" }));
    this.show("build", details);
    return this.build;
  };

  // Output is drawn once per frame, not once per piece: a program that
  // floods stdout sends thousands of pieces a second.
  Panel.prototype.output = function (stream, text) {
    var name = stream === "stderr" || stream === "build" ? stream : "stdout";
    this.unshown[name] = (this.unshown[name] || "") + text;
    if (!this.frame) {
      var self = this;
      this.frame = requestAnimationFrame(function () {
        self.flush();
      });
    }
  };

  Panel.prototype.flush = function () {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = null;
    var unshown = this.unshown;
    this.unshown = {};
    Object.keys(unshown).forEach(function (name) {
      var text = unshown[name];
      if (name === "build") {
        this.buildOutput().appendChild(document.createTextNode(text));
        return;
      }
      var pre = this.stream(name);
      pre.appendChild(document.createTextNode(text));
      pre.scrollTop = pre.scrollHeight;
      if (name === "stdout") this.reportLines(text);
    }, this);
  };

  // Complete stdout lines that are report lines (or JSON objects) become
  // rows of a table, as they arrive.
  Panel.prototype.reportLines = function (text) {
    this.pendingStdout += text;
    var lines = this.pendingStdout.split("\n");
    this.pendingStdout = lines.pop();
    lines.forEach(this.reportLine, this);
  };

  Panel.prototype.reportLine = function (line) {
    var fields = parseJsonLine(line) || parseReport(line);
    if (!fields) return;
    this.reports.push(fields);
    var wrap = this.slots.table;
    while (wrap.firstChild) wrap.removeChild(wrap.firstChild);
    this.show("table", this.reports.length === 1 ? oneReport(fields) : manyReports(this.reports));
  };

  // One report line: a field per row, which fits any width.
  function oneReport(fields) {
    var table = el("table", { class: "wb-run-table", "data-testid": "run-table", "data-shape": "fields" });
    table.appendChild(el("caption", {}, "The report line, field by field"));
    var head = table.appendChild(el("thead")).appendChild(el("tr"));
    head.appendChild(el("th", { scope: "col" }, "field"));
    head.appendChild(el("th", { scope: "col" }, "value"));
    var body = table.appendChild(el("tbody"));
    fields.forEach(function (f) {
      var row = body.appendChild(el("tr", { "data-testid": "run-table-row" }));
      row.appendChild(el("th", { scope: "row" }, f[0]));
      row.appendChild(el("td", {}, f[1]));
    });
    return table;
  }

  // Several (a sweep, repeated runs): a row each, a column per field.
  function manyReports(reports) {
    var columns = [];
    reports.forEach(function (fields) {
      fields.forEach(function (f) {
        if (columns.indexOf(f[0]) < 0) columns.push(f[0]);
      });
    });
    // Focusable: a wide table scrolls sideways.
    var wrap = el("div", { class: "wb-run-table-wrap", tabindex: "0", role: "region", "aria-label": "The report lines as a table" });
    var table = wrap.appendChild(el("table", { class: "wb-run-table", "data-testid": "run-table", "data-shape": "rows" }));
    table.appendChild(el("caption", {}, "The report lines, one row each"));
    var head = table.appendChild(el("thead")).appendChild(el("tr"));
    columns.forEach(function (c) {
      head.appendChild(el("th", { scope: "col" }, c));
    });
    var body = table.appendChild(el("tbody"));
    reports.forEach(function (fields) {
      var values = {};
      fields.forEach(function (f) {
        values[f[0]] = f[1];
      });
      var row = body.appendChild(el("tr", { "data-testid": "run-table-row" }));
      columns.forEach(function (c, k) {
        var v = values[c] === undefined ? "" : values[c];
        row.appendChild(k === 0 ? el("th", { scope: "row" }, v) : el("td", {}, v));
      });
    });
    return wrap;
  }

  Panel.prototype.compileError = function (event) {
    this.flush();
    var code = event.code ? "error[" + event.code + "]" : "an error";
    var box = el("div", { class: "wb-run-compile-error", "data-testid": "run-compile-error" });
    var label = box.appendChild(el("p", { class: "wb-run-label" }));
    label.appendChild(el("span", { "aria-hidden": "true" }, "✗ "));
    label.appendChild(document.createTextNode("The compiler refuses it with " + code));
    if (event.code) {
      label.appendChild(document.createTextNode(" (for the long explanation: "));
      label.appendChild(el("code", {}, "rustc --explain " + event.code));
      label.appendChild(document.createTextNode(")"));
    }
    box.appendChild(el("pre", { tabindex: "0", "aria-label": "The compiler's message, " + code }, event.rendered));
    this.show("errors", box);
  };

  // The last line of a run: how it ended, and how long it took.
  Panel.prototype.done = function (d) {
    this.flush();
    if (this.pendingStdout) {
      this.reportLine(this.pendingStdout);
      this.pendingStdout = "";
    }
    var ok = d.outcome === "exited" && d.exit_code === 0;
    var symbol = ok ? "✓" : d.outcome === "stopped" ? "■" : "✗";
    var words;
    if (ok) words = "Finished: exit code 0.";
    else if (d.outcome === "exited") words = "Ended: " + sentence(d.message);
    else if (d.outcome === "error") words = "Could not run: " + sentence(d.message);
    else words = sentence(d.message || d.outcome);
    var times = [];
    if (d.cached) times.push("not compiled again (the same code was compiled before)");
    else if (d.outcome === "does_not_compile") times.push("the compiler took " + formatSeconds(d.compile_s));
    else if (d.compile_s > 0) times.push((this.kind === "snippet" ? "compiled in " : "built in ") + formatSeconds(d.compile_s));
    if (d.run_s > 0 || d.outcome === "exited") times.push("ran for " + formatSeconds(d.run_s));
    times.push(formatSeconds(d.wall_s) + " in all");
    var line = el("p", { class: "wb-run-done", "data-testid": "run-done", "data-ok": ok ? "true" : "false" });
    line.appendChild(el("span", { "aria-hidden": "true" }, symbol + " "));
    line.appendChild(document.createTextNode(words + " " + sentence(times.join(", "))));
    if (d.outcome === "timed_out") {
      var flag = this.kind === "snippet" ? "--snippet-timeout" : "--example-timeout";
      line.appendChild(document.createTextNode(" To allow longer, start the server with "));
      line.appendChild(el("code", {}, "cargo workbook --" + flag.slice(2) + " SECONDS"));
      line.appendChild(document.createTextNode("."));
    }
    if (d.truncated && d.outcome !== "too_much_output") {
      line.appendChild(document.createTextNode(" The output shown is cut short: the rest was not kept."));
    }
    this.show("done", line);
    this.say(words);
    var r = this.root;
    r.setAttribute("data-outcome", d.outcome);
    if (d.exit_code !== null && d.exit_code !== undefined) r.setAttribute("data-exit-code", String(d.exit_code));
    r.setAttribute("data-cached", d.cached ? "true" : "false");
    r.setAttribute("data-compile-s", String(d.compile_s));
    r.setAttribute("data-run-s", String(d.run_s));
    r.setAttribute("data-wall-s", String(d.wall_s));
    // For the page's other scripts (scaling.js shows a sweep just made).
    document.dispatchEvent(
      new CustomEvent("workbook-run-done", { detail: { kind: this.kind, name: this.root.getAttribute("data-name"), outcome: d.outcome, exitCode: d.exit_code } }),
    );
  };

  // A run that did not get as far as an ending (refused, no server).
  Panel.prototype.problem = function (words, outcome) {
    var line = el("p", { class: "wb-run-done", "data-testid": "run-done", "data-ok": "false" });
    line.appendChild(el("span", { "aria-hidden": "true" }, "✗ "));
    line.appendChild(document.createTextNode(words));
    this.show("done", line);
    this.root.setAttribute("data-outcome", outcome || "refused");
    this.say(words);
  };

  // ------------------------------------------------------------ a run

  var PHASES = {
    snippet: {
      compiling: "Compiling it (release mode)…",
      cached: "Compiled before: running the same program again…",
      running: "Running…",
      preparing: "Preparing…",
    },
    example: {
      compiling: "Building the example (cargo build --release)…",
      cached: "Running…",
      running: "Running…",
      preparing: "Preparing…",
    },
  };

  function post(path, body, signal) {
    return fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      cache: "no-store",
      signal: signal,
    });
  }

  // Wires a panel's Run and Stop buttons to runs of `request()` (which
  // returns {path, body} or {error}). One run per panel at a time; the
  // server puts runs of different panels in line.
  function Runner(panel, runButton, stopButton, request) {
    this.panel = panel;
    this.runButton = runButton;
    this.stopButton = stopButton;
    this.request = request;
    this.active = null;
    var self = this;
    runButton.addEventListener("click", function () {
      self.start();
    });
    stopButton.addEventListener("click", function () {
      self.stop();
    });
    this.idle();
  }

  function setEnabled(b, on) {
    // aria-disabled, not disabled: a button that was just pressed keeps the
    // keyboard focus while it cannot be pressed again.
    b.setAttribute("aria-disabled", on ? "false" : "true");
  }

  Runner.prototype.idle = function () {
    this.active = null;
    setEnabled(this.runButton, true);
    setEnabled(this.stopButton, false);
  };

  Runner.prototype.start = function () {
    if (this.active) return;
    var asked = this.request();
    var panel = this.panel;
    if (asked.error) {
      panel.clear();
      panel.problem(asked.error);
      panel.setState("done");
      return;
    }
    var run = { controller: new AbortController(), id: null, stopping: false };
    this.active = run;
    setEnabled(this.runButton, false);
    setEnabled(this.stopButton, true);
    panel.clear();
    panel.setState("starting");
    panel.say("Starting…");
    var self = this;
    var finished = false;
    function finish() {
      finished = true;
      self.idle();
      panel.setState("done");
    }
    post(asked.path, asked.body, run.controller.signal)
      .then(function (response) {
        if (!response.ok) {
          return response.text().then(function (text) {
            panel.problem("The server refused the run (HTTP " + response.status + "): " + text.trim());
            finish();
          });
        }
        return self.read(response, run).then(function (sawDone) {
          if (!sawDone) panel.problem("The run ended without a result: was `cargo workbook` stopped?");
          finish();
        });
      })
      .catch(function (e) {
        if (finished) return;
        if (e && e.name === "AbortError") {
          panel.problem("Cancelled before it started.", "cancelled");
        } else {
          panel.problem("Cannot reach the workbook server: is `cargo workbook` still running? (Start it again, then reload this page.)");
        }
        finish();
      });
  };

  // Reads the stream of JSON lines; resolves to whether `done` came.
  Runner.prototype.read = function (response, run) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffered = "";
    var sawDone = false;
    var self = this;
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          buffered += decoder.decode();
        } else {
          buffered += decoder.decode(chunk.value, { stream: true });
        }
        var lines = buffered.split("\n");
        buffered = chunk.done ? "" : lines.pop();
        lines.forEach(function (line) {
          if (!line.trim()) return;
          var event;
          try {
            event = JSON.parse(line);
          } catch (e) {
            return;
          }
          if (event.event === "done") sawDone = true;
          self.event(event, run);
        });
        return chunk.done ? sawDone : pump();
      });
    }
    return pump();
  };

  Runner.prototype.event = function (event, run) {
    var panel = this.panel;
    switch (event.event) {
      case "queued":
        panel.setState("waiting");
        panel.say(
          "Waiting: " + plural(event.ahead, "run", "runs") + " ahead of this one. " +
            "The server runs one program at a time, so that timings do not disturb each other." +
            (panel.kind === "snippet"
              ? " (Just after `cargo workbook` starts, the run ahead is the first build of the libraries programs here may use.)"
              : ""),
        );
        break;
      case "started":
        run.id = event.run;
        panel.setState("running");
        if (run.stopping) this.stop();
        break;
      case "phase":
        if (!run.stopping) panel.say((PHASES[panel.kind] || PHASES.example)[event.phase] || event.phase + "…");
        break;
      case "output":
        panel.output(event.stream, event.text);
        break;
      case "compile_error":
        panel.compileError(event);
        break;
      case "done":
        panel.done(event);
        break;
    }
  };

  Runner.prototype.stop = function () {
    var run = this.active;
    if (!run) return;
    run.stopping = true;
    this.panel.say("Stopping…");
    if (run.id === null) {
      // Not started yet (waiting in line): leaving the line is enough.
      run.controller.abort();
      return;
    }
    post("/__workbook/api/run/stop", { run: run.id }).catch(function () {
      /* the run's own stream says how it ended */
    });
  };

  window.workbookRuns = {
    available: served,
    splitWords: splitWords,
    parseReport: parseReport,
    Panel: Panel,
    Runner: Runner,
    button: button,
    el: el,
    uniqueId: uniqueId,
  };
})();
