// runs.js without a browser: a Runner replays the contract's fixture into a
// view (every event reaches it, in order), posts what a page asks, and Stop
// leaves the line or stops the run; the words of every ending (a report as
// a table: report-table.test.mjs).

import { test } from "node:test";
import assert from "node:assert/strict";
import { FIXTURE, NDJSON, load, streamed } from "./load.mjs";

const get = load("core.js", "runs.js");
const runs = get("workbookRuns");

/** A view that writes down what it is told. */
function recorder() {
  const calls = [];
  const view = {};
  for (const name of [
    "clear",
    "stopping",
    "waiting",
    "started",
    "phase",
    "output",
    "compileError",
    "report",
    "done",
    "problem",
    "finished",
  ]) {
    view[name] = (...args) => calls.push([name, ...args]);
  }
  return { view, calls };
}

/** Answers every fetch with `answer(path, init)`; returns the requests made. */
function serve(answer) {
  const asked = [];
  globalThis.fetch = async (path, init) => {
    asked.push({ path, method: init.method, body: init.body && JSON.parse(init.body) });
    return answer(path, init);
  };
  return asked;
}

test("a run replays the fixture's stream into its view, event by event", async () => {
  const asked = serve(() => streamed([NDJSON]));
  const { view, calls } = recorder();
  const changes = [];
  const runner = new runs.Runner(view, (running) => changes.push(running));
  await runner.start({ path: "/__workbook/api/run/example", body: FIXTURE.requests.example });
  assert.deepEqual(asked, [{ path: "/__workbook/api/run/example", method: "POST", body: FIXTURE.requests.example }]);
  const expected = FIXTURE.run_events.map((e) => {
    switch (e.event) {
      case "queued":
        return ["waiting", e.ahead];
      case "started":
        return ["started"];
      case "phase":
        return ["phase", e.phase];
      case "output":
        return ["output", e.stream, e.text];
      case "compile_error":
        return ["compileError", e];
      case "report":
        return ["report", e.report];
      default:
        return ["done", e];
    }
  });
  assert.deepEqual(calls, [["clear"], ...expected, ["finished"]]);
  assert.deepEqual(changes, [true, false]);
  assert.equal(runner.running, false);
});

test("refused, unreachable, broken off: a problem, then finished", async () => {
  const cases = [
    [() => new Response("no example", { status: 404 }), ["problem", "refused", "no example", 404]],
    [
      () => {
        throw new TypeError("fetch failed");
      },
      ["problem", "unreachable"],
    ],
    [() => streamed([NDJSON.split("\n").slice(0, 3).join("\n") + "\n"]), ["problem", "broken-off"]],
  ];
  for (const [answer, problem] of cases) {
    serve(answer);
    const { view, calls } = recorder();
    await new runs.Runner(view).start({ path: "/x" });
    assert.deepEqual(
      calls.filter((c) => c[0] === "problem"),
      [problem],
    );
    assert.deepEqual(calls[calls.length - 1], ["finished"]);
  }
  const { view, calls } = recorder();
  await new runs.Runner(view).start({ path: "/x", error: "The flags: no." });
  assert.deepEqual(calls, [["clear"], ["problem", "invalid", "The flags: no."], ["finished"]]);
});

test("Stop while waiting leaves the line; Stop while running asks the server to stop that run", async () => {
  // Waiting: the answer so far is a `queued` line; Stop aborts the request.
  serve((_, init) => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"event":"queued","ahead":1}\n'));
        init.signal.addEventListener("abort", () => controller.error(new DOMException("aborted", "AbortError")));
      },
    });
    return new Response(body);
  });
  let rec = recorder();
  let runner = new runs.Runner(rec.view);
  let done = runner.start({ path: "/x" });
  await new Promise((r) => setTimeout(r, 10));
  runner.stop();
  await done;
  assert.deepEqual(
    rec.calls.map((c) => c[0]),
    ["clear", "waiting", "stopping", "problem", "finished"],
  );
  assert.equal(rec.calls[3][1], "cancelled");

  // Started: Stop posts the run's id; the stream then ends with `stopped`.
  let finish;
  const asked = serve((path) => {
    if (path === "/__workbook/api/run/stop") {
      finish(
        '{"event":"done","outcome":"stopped","exit_code":null,"message":"stopped","truncated":false,"cached":false,"compile_s":0,"run_s":0,"wall_s":1}\n',
      );
      return new Response("stopping\n");
    }
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"event":"started","run":7}\n'));
        finish = (line) => {
          controller.enqueue(new TextEncoder().encode(line));
          controller.close();
        };
      },
    });
    return new Response(body);
  });
  rec = recorder();
  runner = new runs.Runner(rec.view);
  done = runner.start({ path: "/x" });
  await new Promise((r) => setTimeout(r, 10));
  runner.stop();
  await done;
  assert.deepEqual(asked[1], { path: "/__workbook/api/run/stop", method: "POST", body: FIXTURE.requests.stop });
  assert.deepEqual(
    rec.calls.map((c) => c[0]),
    ["clear", "started", "stopping", "done", "finished"],
  );
});

test("every ending of the fixture reads as a sentence, with its symbol and times", () => {
  const dones = FIXTURE.run_events.filter((e) => e.event === "done");
  const words = Object.fromEntries(dones.map((d) => [d.outcome, runs.doneWords(d, "snippet")]));
  assert.deepEqual(Object.keys(words).sort(), [
    "does_not_compile",
    "error",
    "exited",
    "failed",
    "over_limit",
    "passed",
    "skipped",
    "stopped",
    "timed_out",
    "too_much_output",
  ]);
  assert.deepEqual(words.exited, {
    ok: true,
    symbol: "✓",
    words: "Finished: exit code 0.",
    times: "Compiled in 1.25 s, ran for 500.0 ms, 1.75 s in all.",
    timeoutFlag: null,
    overLimit: false,
    cutShort: false,
  });
  assert.equal(words.stopped.symbol, "■");
  assert.equal(
    words.error.words,
    "Could not run: `|` is shell syntax; the page runs the example without a shell, so leave it out.",
  );
  assert.equal(words.timed_out.timeoutFlag, "--snippet-timeout");
  assert.equal(
    runs.doneWords(
      dones.find((d) => d.outcome === "timed_out"),
      "example",
    ).timeoutFlag,
    "--example-timeout",
  );
  assert.deepEqual(
    [words.over_limit.words, words.over_limit.symbol, words.over_limit.overLimit, words.over_limit.timeoutFlag],
    ["The program used more than 2 GiB of memory and was stopped.", "✗", true, null],
  );
  assert.equal(words.timed_out.overLimit, false);
  assert.match(words.too_much_output.times, /^Not compiled again/);
  assert.equal(words.too_much_output.cutShort, false, "it says so itself");
  assert.match(words.does_not_compile.times, /^The compiler took 750\.0 ms/);
  for (const w of Object.values(words)) {
    assert.match(w.words, /^[A-Z✓✗–].*[.!?]$/);
  }
});

test("the status line while waiting and in each phase", () => {
  assert.match(runs.waitingWords(1, "example"), /^Waiting: 1 run ahead of this one\./);
  assert.match(runs.waitingWords(2, "snippet"), /^Waiting: 2 runs ahead.*first build of the libraries/);
  for (const phase of FIXTURE.run_events.filter((e) => e.event === "phase").map((e) => e.phase)) {
    for (const kind of ["snippet", "example"]) {
      assert.match(runs.phaseWords(phase, kind), /…$/);
    }
  }
  assert.equal(runs.phaseWords("compiling", "example"), "Building the example (cargo build --release)…");
});
