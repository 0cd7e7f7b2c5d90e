// Running code from the served book, in Chromium: a program in chapter 5
// runs, is edited and runs again (compiled once, then from the cache); a
// compile error shows rustc's message and code; an example's command block
// runs `threads --threads 2` and streams its report line into a table; Stop
// ends a scaling sweep while a second run waits its turn, visibly; quiz code
// gets its Run button only once answered; the keyboard alone does all of it;
// axe finds nothing serious in the light and navy themes; and a static build
// (file:// or any plain HTTP server) shows no control at all. Screenshots go
// to target/screenshots. Run by tests/browser/run.sh; see server.mjs for the
// environment variables that pick the server.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { REPO, startServer } from "./server.mjs";
import { SCREENSHOTS, axeViolations, describeViolations, launchBrowser } from "./browser.mjs";

const CHAPTER_5 = "part2/05-os-threads";
const SPEED_UP = "part5/24-speed-up";
const QUIZ = "part2/quiz";
const BACK_PRESSURE = "part4/22-1-back-pressure";
// A cold machine compiles the snippet crate's dependencies first (the
// server starts that at once; the first run waits for it in line).
const FIRST_RUN_MS = 900_000;
const RUN_MS = 300_000;

let server;
let browser;
let open;

const started = Date.now();
const note = (what) => console.error(`# ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);

before(async () => {
  browser = await launchBrowser();
  ({ open } = browser);
  server = await startServer({ exercises: {} });
  note(`serving ${server.url}`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const url = (chapter) => new URL(`${chapter}.html`, server.url).href;
const by = (scope, id) => scope.locator(`[data-testid="${id}"]`);

function snippetPanel(page) {
  return page.locator('[data-testid="run-panel"][data-kind="snippet"]').first();
}

/** The example panel for `name` whose flags start as `flags`; with
 * `underOutput`, the one under a block that shows the book's own output. */
async function examplePanel(page, name, flags, { underOutput = false } = {}) {
  const panels = page.locator(`[data-testid="run-panel"][data-kind="example"][data-name="${name}"]`);
  const n = await panels.count();
  for (let i = 0; i < n; i++) {
    const panel = panels.nth(i);
    if ((await by(panel, "run-flags").inputValue()) !== flags) {
      continue;
    }
    if (underOutput && (await panel.getAttribute("data-under-output")) !== "true") {
      continue;
    }
    return panel;
  }
  assert.fail(
    `no "Run on this machine" for ${name} -- ${flags}${underOutput ? " under output" : ""} (${n} for ${name})`,
  );
}

/** Waits until the panel's run has ended; returns its done attributes. */
async function ended(panel, timeout = RUN_MS) {
  await panel
    .page()
    .waitForFunction((el) => el.dataset.state === "done", await panel.elementHandle(), { timeout, polling: 100 });
  const attr = (a) => panel.getAttribute(a);
  return {
    outcome: await attr("data-outcome"),
    exitCode: await attr("data-exit-code"),
    cached: (await attr("data-cached")) === "true",
    compile: Number(await attr("data-compile-s")),
    run: Number(await attr("data-run-s")),
    wall: Number(await attr("data-wall-s")),
    done: (await by(panel, "run-done").textContent()).trim(),
  };
}

async function stdoutOf(panel) {
  const pre = by(panel, "run-stdout");
  return (await pre.count()) ? await pre.textContent() : "";
}

/** Replaces the editor's code (as typing would, without Ace's auto-closing brackets). */
async function replaceCode(page, panel, code) {
  const editor = panel.locator("xpath=preceding-sibling::pre[1]").locator('[data-testid="snippet-editor"]');
  await editor.focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(code);
}

async function screenshotOf(page, locator, file) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await locator.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 320));
  await page.screenshot({ path: path.join(SCREENSHOTS, file) });
}

async function expectNoAxeViolations(page, what) {
  const v = await axeViolations(page);
  assert.equal(v.length, 0, `${what}:\n  ${describeViolations(v)}`);
}

const load = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

describe("snippets", () => {
  test("chapter 5's program runs; edited, it runs the new code, compiled once, then from the cache", async () => {
    const { page, problems } = await open(url(CHAPTER_5));
    const panel = snippetPanel(page);
    assert.equal(await panel.count(), 1, "chapter 5 has no Run button under its program");
    await by(panel, "run-start").click();
    const first = await ended(panel, FIRST_RUN_MS);
    assert.equal(first.outcome, "exited", first.done);
    assert.equal(first.exitCode, "0");
    const out = await stdoutOf(panel);
    for (const line of ["chunk-0 summed its half: 1275", "chunk-1 summed its half: 3775", "total: 5050"]) {
      assert.ok(out.includes(line), `stdout lacks ${JSON.stringify(line)}: ${out}`);
    }
    assert.match(first.done, /^✓ Finished: exit code 0\./);
    await screenshotOf(page, panel, "snippet-output.png");

    // Code never compiled before (a fresh comment in it), then the same again.
    const nonce = crypto.randomUUID();
    await replaceCode(page, panel, `// ${nonce}\nfn main() {\n    println!("edited in the page: {}", 6 * 7);\n}\n`);
    await page.keyboard.press("Control+Enter");
    const fresh = await ended(panel, FIRST_RUN_MS);
    assert.equal(fresh.outcome, "exited", fresh.done);
    assert.equal((await stdoutOf(panel)).trim(), "edited in the page: 42");
    assert.equal(fresh.cached, false, "new code must be compiled");
    assert.ok(fresh.compile > 0, "a compile time");
    await by(panel, "run-start").click();
    const again = await ended(panel);
    assert.equal(again.cached, true, "the same code is not compiled again");
    assert.equal(again.compile, 0);
    assert.match(again.done, /not compiled again/i);
    assert.equal((await stdoutOf(panel)).trim(), "edited in the page: 42");
    const seconds = (r) => `compile_s=${r.compile.toFixed(3)} run_s=${r.run.toFixed(3)} wall_s=${r.wall.toFixed(3)}`;
    note(
      `snippet latency, first run: ${seconds(fresh)}; cached run: ${seconds(again)} (load average ${load()}, ${os.cpus().length} CPUs: ${os.cpus()[0]?.model})`,
    );

    // Undo puts the book's code back.
    await by(panel, "run-undo").click();
    const code = await panel
      .locator("xpath=preceding-sibling::pre[1]/code")
      .evaluate((c) => window.ace.edit(c).getValue());
    assert.match(code, /chunk-\{k\}/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("a compile error shows rustc's message and its code", async () => {
    const { page, problems } = await open(url(CHAPTER_5));
    const panel = snippetPanel(page);
    await replaceCode(page, panel, 'fn main() {\n    let answer: i32 = "forty-two";\n    println!("{answer}");\n}\n');
    await by(panel, "run-start").click();
    const r = await ended(panel, FIRST_RUN_MS);
    assert.equal(r.outcome, "does_not_compile", r.done);
    const error = by(panel, "run-compile-error");
    assert.equal(await error.count(), 1);
    const words = await error.textContent();
    assert.match(words, /error\[E0308\]/);
    assert.match(words, /rustc --explain E0308/);
    assert.match(words, /mismatched types/);
    assert.match(r.done, /Does not compile: error\[E0308\]/);
    assert.equal(await by(panel, "run-stdout").count(), 0, "nothing ran");
    await screenshotOf(page, panel, "snippet-compile-error.png");
    await expectNoAxeViolations(page, "chapter 5 with a compile error (light)");
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("a program that floods stdout is stopped at 1 MiB, and the page says so", async () => {
    const { page, problems } = await open(url(CHAPTER_5));
    const panel = snippetPanel(page);
    await replaceCode(
      page,
      panel,
      'fn main() {\n    loop {\n        println!("again and again and again");\n    }\n}\n',
    );
    await by(panel, "run-start").click();
    const r = await ended(panel, FIRST_RUN_MS);
    assert.equal(r.outcome, "too_much_output", r.done);
    assert.match(r.done, /^✗ Stopped after printing more than 1 MiB/);
    const shown = await by(panel, "run-stdout").evaluate((pre) => pre.textContent.length);
    assert.ok(shown > 0 && shown <= 1 << 20, `${shown} characters shown`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("quiz code gets its Run button once the question is answered", async () => {
    const { page, problems } = await open(url(QUIZ));
    const index = await page.$$eval("form.quiz", (forms) =>
      forms.findIndex((f) => /fn\s+main\s*\(/.test(f.querySelector("pre code.language-rust")?.textContent || "")),
    );
    assert.ok(index >= 0, "part II's quiz has no question with a program");
    const withCode = page.locator("form.quiz").nth(index);
    assert.equal(await by(withCode, "run-panel").count(), 0, "Run before the answer gives the answer away");
    await withCode.locator('input[type="radio"]').first().check();
    await by(withCode, "quiz-check").click();
    await by(withCode, "run-panel").waitFor();
    assert.equal(await by(withCode, "run-start").count(), 1);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("examples", () => {
  test("threads --threads 2 from its command block: the report line streams in, also as a table, under the book's own output", async () => {
    const { page, problems } = await open(url(CHAPTER_5));
    const panel = await examplePanel(page, "threads", "--n 1e9 --threads 2 --compare", { underOutput: true });
    // This block shows the reference machine's output: it stays, and the
    // learner's run is labelled as theirs.
    const block = panel.locator("xpath=ancestor::div[contains(@class,'wb-run-commands')]/preceding-sibling::pre[1]");
    const shipped = await block.textContent();
    assert.match(shipped, /speed-up=/, "the block shows the measured output");
    await by(panel, "run-flags").fill("--threads 2");
    await by(panel, "run-start").click();
    const r = await ended(panel);
    assert.equal(r.outcome, "exited", r.done);
    assert.equal(await block.textContent(), shipped, "the book's output is kept");
    assert.match(await panel.locator(".wb-run-heading").textContent(), /Your machine/);
    const out = await stdoutOf(panel);
    assert.match(out, /^threads +N=\d+ T=2 +result=333\.3\d* +left sum=/m);
    // One report line: a row of the table, what every run shares above it.
    const table = by(panel, "run-table");
    assert.deepEqual(await table.locator("thead th").allTextContents(), ["run", "result", "time", "|error|"]);
    const cells = await by(table, "run-table-row").locator("th, td").allTextContents();
    assert.equal(cells[0], "1");
    assert.match(cells[1], /^333\.3/);
    assert.match(cells[2], /^\d+(\.\d+)? (µs|ms|s)$/);
    assert.match(
      await by(panel, "run-table-shared").textContent(),
      /^Every run: threads, N = [\d\u202f]+, T = 2, left sum = /,
    );
    await screenshotOf(page, panel, "example-table.png");
    await expectNoAxeViolations(page, "chapter 5 after an example run (light)");

    // Bad flags: the example's own one-line error, as it prints it.
    await by(panel, "run-flags").fill("--threads 0");
    await by(panel, "run-start").click();
    const bad = await ended(panel);
    assert.equal(bad.exitCode, "2", bad.done);
    assert.match(await by(panel, "run-stderr").textContent(), /^error: /);
    // Shell syntax is refused in the page: nothing runs.
    await by(panel, "run-flags").fill("--threads 2 | head");
    await by(panel, "run-start").click();
    assert.match(await by(panel, "run-done").textContent(), /`\|` is shell syntax/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("a command shown twice, to type and in the measured output, gets one control, under the output (and one in Run it yourself)", async () => {
    const { page, problems } = await open(url(BACK_PRESSURE));
    const panels = page.locator(
      ':not([data-testid="run-it-yourself"]) > [data-testid="run-panel"][data-kind="example"]',
    );
    const seen = await panels.evaluateAll((ps) =>
      ps.map((p) => ({
        command: p.dataset.name + " " + p.querySelector('[data-testid="run-flags"]').value,
        underOutput: p.dataset.underOutput === "true",
      })),
    );
    const commands = seen.map((p) => p.command);
    assert.deepEqual(commands, [...new Set(commands)], "one control per command");
    for (const flags of ["--n 1e7", "--n 1e7 --bound 16", "--n 1e7 --bound 0"]) {
      assert.ok(
        seen.some((p) => p.command === `back_pressure ${flags}` && p.underOutput),
        `back_pressure ${flags}: ${JSON.stringify(seen)}`,
      );
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("Stop ends a running scaling sweep, whose progress streams, while a second run waits its turn", async () => {
    const sweep = await open(url(SPEED_UP));
    const panel = await examplePanel(sweep.page, "scaling", "--n 1e9 --repeats 3");
    // Its files go elsewhere than the learner's own sweep (target/scaling).
    await by(panel, "run-flags").fill("--n 1e9 --repeats 3 --out target/browser-tests/scaling");
    await by(panel, "run-start").click();
    // The first point's line, long before the sweep ends: streamed.
    await sweep.page.waitForFunction(
      (el) => /\d+\/\d+ runs {2}sequential: /.test(el.querySelector('[data-testid="run-stderr"]')?.textContent || ""),
      await panel.elementHandle(),
      { timeout: RUN_MS, polling: 100 },
    );
    assert.equal(await panel.getAttribute("data-state"), "running");

    // Meanwhile, another page asks for a run: it waits, and says so.
    const other = await open(url(CHAPTER_5), { theme: "navy" });
    const waiting = await examplePanel(other.page, "threads", "--n 1e9 --threads 2 --compare");
    await by(waiting, "run-flags").fill("--n 1e7 --threads 2");
    await by(waiting, "run-start").click();
    await other.page.waitForFunction((el) => el.dataset.state === "waiting", await waiting.elementHandle(), {
      timeout: 30_000,
    });
    assert.match(await by(waiting, "run-status").textContent(), /^Waiting: 1 run ahead of this one\./);
    await screenshotOf(other.page, waiting, "example-queued-navy.png");
    await expectNoAxeViolations(other.page, "a run waiting its turn (navy)");

    await by(panel, "run-stop").click();
    const stopped = await ended(panel);
    assert.equal(stopped.outcome, "stopped", stopped.done);
    assert.match(stopped.done, /^■ Stopped\./);
    const progress = (await by(panel, "run-stderr").textContent()).trim().split("\n");
    assert.ok(progress.length >= 1 && !(await stdoutOf(panel)).includes("strategy"), "stopped before the table");
    await screenshotOf(sweep.page, panel, "example-stopped.png");

    // The waiting run goes next.
    const next = await ended(waiting);
    assert.equal(next.outcome, "exited", next.done);
    assert.match(await stdoutOf(waiting), /T=2/);
    await expectNoAxeViolations(other.page, "chapter 5 after a run (navy)");
    assert.deepEqual(sweep.problems, []);
    assert.deepEqual(other.problems, []);
    await sweep.page.close();
    await other.page.close();
  });
});

test("a sweep run from the page replaces the reference chart with the learner's", async () => {
  // The sweep writes target/scaling/, the learner's own: kept aside and put back.
  const root = process.env.WORKBOOK_ROOT || REPO;
  const dir = path.join(root, "target", "scaling");
  const aside = `${dir}.kept-by-the-browser-tests`;
  const had = fs.existsSync(dir);
  if (had) {
    fs.renameSync(dir, aside);
  }
  try {
    const { page, problems } = await open(url(SPEED_UP));
    const live = page.locator("#scaling-live");
    assert.equal(await live.getAttribute("data-source"), "reference");
    assert.equal(await live.locator('[data-testid="run-panel"]').count(), 0, "no control in the part a run replaces");
    const panel = await examplePanel(page, "scaling", "--n 1e9 --repeats 3");
    await by(panel, "run-flags").fill("--n 1e6 --repeats 1 --max-threads 2 --strategies threads");
    await by(panel, "run-start").click();
    const r = await ended(panel);
    assert.equal(r.outcome, "exited", r.done);
    await page.waitForFunction(() => document.getElementById("scaling-live").dataset.source === "learner", null, {
      timeout: 10_000,
    });
    assert.equal(
      await page.locator('#scaling-live [data-testid="scaling-table"] tr').count(),
      3,
      "a header and T = 1, 2",
    );
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    if (had) {
      fs.renameSync(aside, dir);
    }
  }
});

describe("keyboard and accessibility", () => {
  for (const theme of ["light", "navy"]) {
    test(`every control is keyboard-operable, labelled and shows its focus (${theme})`, async () => {
      const { page, problems } = await open(url(CHAPTER_5), { theme });
      await expectNoAxeViolations(page, `chapter 5 before any run (${theme})`);
      const panel = snippetPanel(page);
      const active = () =>
        page.evaluate(() => document.activeElement?.dataset.testid || document.activeElement?.tagName);
      // Into the editor, and out of it with Tab: no keyboard trap.
      const editor = page.locator('[data-testid="snippet-editor"]').first();
      assert.match(await editor.getAttribute("aria-label"), /code/i);
      await editor.focus();
      await page.keyboard.press("Tab");
      assert.equal(await active(), "run-start", "Tab leaves the editor for Run");
      const outline = await by(panel, "run-start").evaluate(
        (b) => getComputedStyle(b).outlineStyle + " " + getComputedStyle(b).outlineWidth,
      );
      assert.match(outline, /^solid [2-9]/, `focus is visible: ${outline}`);
      await page.keyboard.press("Enter");
      const r = await ended(panel, FIRST_RUN_MS);
      assert.equal(r.outcome, "exited", r.done);
      assert.equal(await active(), "run-start", "the focus stays on Run");
      assert.match(await by(panel, "run-status").getAttribute("aria-live"), /polite/);
      // Escape in the editor goes to Run too.
      await editor.focus();
      await page.keyboard.press("Escape");
      assert.equal(await active(), "run-start");

      // An example: type the flags, Enter runs it.
      const example = await examplePanel(page, "threads", "--n 1e9 --threads 2 --compare");
      const flags = by(example, "run-flags");
      assert.match(
        await flags.evaluate((i) => i.labels[0]?.textContent || ""),
        /Run on this machine: cargo run --release --example threads --/,
      );
      await flags.focus();
      await page.keyboard.press("Control+A");
      await page.keyboard.type("--n 1e6 --threads 2");
      await page.keyboard.press("Enter");
      const e = await ended(example);
      assert.equal(e.outcome, "exited", e.done);
      await page.keyboard.press("Tab");
      assert.equal(await active(), "run-start");
      await page.keyboard.press("Tab");
      assert.equal(await active(), "run-stop");
      assert.equal(await by(example, "run-stop").getAttribute("aria-disabled"), "true", "nothing to stop now");
      // The output boxes scroll, and take the focus to let the keyboard scroll them.
      assert.equal(await by(example, "run-stdout").getAttribute("tabindex"), "0");
      await expectNoAxeViolations(page, `chapter 5 after runs (${theme})`);
      if (theme === "navy") {
        await screenshotOf(page, example, "example-table-navy.png");
      }
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});

describe("a static build", () => {
  test("shows no Run control at all (file:// and a plain HTTP server)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-static-"));
    const out = path.join(dir, "book");
    const [cmd, args] = process.env.WORKBOOK_BIN
      ? [process.env.WORKBOOK_BIN, ["build", "--out", out]]
      : ["cargo", ["workbook", "build", "--out", out]];
    const built = spawnSync(cmd, args, { cwd: process.env.WORKBOOK_ROOT || REPO, encoding: "utf8", timeout: 600_000 });
    assert.equal(built.status, 0, `${cmd} ${args.join(" ")}: ${built.stderr}`);
    const plain = http.createServer((req, res) => {
      const file = path.join(out, decodeURIComponent(new URL(req.url, "http://x").pathname));
      if (!file.startsWith(out) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        res.writeHead(404).end();
        return;
      }
      const type = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" }[
        path.extname(file)
      ];
      res.writeHead(200, type ? { "Content-Type": type } : {}).end(fs.readFileSync(file));
    });
    await new Promise((r) => plain.listen(0, "127.0.0.1", r));
    try {
      for (const where of [
        pathToFileURL(path.join(out, `${CHAPTER_5}.html`)).href,
        `http://127.0.0.1:${plain.address().port}/${CHAPTER_5}.html`,
        `http://127.0.0.1:${plain.address().port}/${SPEED_UP}.html`,
      ]) {
        const { page, problems } = await open(where);
        await page.waitForLoadState("networkidle").catch(() => {});
        assert.equal(
          await page.locator('[data-testid="run-panel"], .wb-run').count(),
          0,
          `${where}: a control that cannot work`,
        );
        const runButtons = await page
          .locator("button")
          .evaluateAll((bs) => bs.filter((b) => /\bRun\b/.test(b.textContent)).length);
        assert.equal(runButtons, 0, `${where}: a Run button`);
        assert.equal(await page.locator("pre.playground").count(), 0);
        // One line says how to run them.
        const notes = page.locator('[data-testid="run-needs-workbook"]');
        assert.equal(await notes.count(), 1, `${where}: one note saying how to run the programs`);
        assert.match(
          await notes.innerText(),
          /^This copy of the book cannot run its programs\. To run them from the page, run cargo workbook /,
        );
        // The program and the commands are still there to read and copy.
        assert.ok((await page.locator("pre code.language-rust").count()) > 0);
        // (A plain server has no /__workbook/*: the speed-up page's
        // "your machine" chart asks, gets a 404 and keeps the book's.)
        const errors = problems.filter((p) => /console error|uncaught/.test(p) && !p.includes("/__workbook/"));
        assert.deepEqual(errors, [], where);
        await page.close();
      }
    } finally {
      plain.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
