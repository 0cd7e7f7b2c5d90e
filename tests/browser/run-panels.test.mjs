// The run panels' reading, in Chromium, with the run's stream played by the
// test (page.route answers the run request; nothing is compiled, so these
// tests take seconds): a report table on a 375-pixel-wide screen keeps its
// numbers whole, shows the telling column without scrolling, says once what
// every run shares, caps its height and sums repeated runs up, and has the
// same columns for one report as for sixty. "Run it yourself" offers a
// control for each of its commands, flags filled in and no dangling `--`,
// and says which lines run in a terminal only. After a `--timeline` run
// from the page, the chapter's timeline shows the learner's run at once,
// its labels readable at desktop width. Screenshots go to
// target/screenshots. Run by tests/browser/run.sh; see server.mjs for the
// environment variables that pick the server.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { REPO, startServer } from "./server.mjs";
import { SCREENSHOTS, axeViolations, describeViolations, launchBrowser } from "./browser.mjs";

const PHONE = { width: 375, height: 800 };
const CHAPTER_5 = "part2/05-os-threads";

let server;
let browser;

before(async () => {
  browser = await launchBrowser();
  server = await startServer({ exercises: {} });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const url = (chapter) => new URL(`${chapter}.html`, server.url).href;
const by = (scope, id) => scope.locator(`[data-testid="${id}"]`);

/** A racy run's report, as the example's side channel sends it. */
function racyReport(i) {
  const lost = i % 3 === 0 ? 0 : 1000 + 37 * i;
  return {
    strategy: "racy",
    a: 0,
    b: 10,
    n: 1000000,
    threads: 2,
    result: 333.3328333335 - lost * 1e-5,
    exact: 333.3333333333333,
    left_sum: 333.3328333335,
    abs_error: 0.0004999998 + lost * 1e-5,
    seconds: 0.0021 + i * 1e-5,
    sequential_seconds: 0.0041,
    lost_updates: lost,
  };
}

/** The stream of a run that sends `reports` and exits with 0. */
function stream(reports) {
  const events = [
    { event: "started", run: 1 },
    { event: "phase", phase: "running" },
    ...reports.map((report) => ({ event: "report", report })),
    {
      event: "done",
      outcome: "exited",
      exit_code: 0,
      message: "exit code 0",
      truncated: false,
      cached: true,
      compile_s: 0,
      run_s: 0.5,
      wall_s: 0.5,
    },
  ];
  return events.map((e) => JSON.stringify(e) + "\n").join("");
}

/** Answers the page's next example runs with these streams, one each. */
async function playRuns(page, ...bodies) {
  const left = [...bodies];
  await page.route("**/__workbook/api/run/example", (route) =>
    route.fulfill({ status: 200, contentType: "application/x-ndjson", body: left.shift() }),
  );
}

async function runAndWait(panel) {
  await by(panel, "run-start").click();
  await panel.page().waitForFunction((el) => el.dataset.state === "done", await panel.elementHandle());
}

/** The table's header keys, and the geometry of its cells and box. */
function tableFacts(panel) {
  return panel.evaluate((p) => {
    const wrap = p.querySelector(".wb-run-table-wrap");
    const heads = [...p.querySelectorAll("thead th")];
    const rows = [...p.querySelectorAll('tbody [data-testid="run-table-row"]')];
    // The lines a cell's visible text takes: the distinct tops of its boxes
    // (the words for screen readers only are left out).
    const lines = (cell) => {
      const tops = new Set();
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest(".wb-run-sr")) {
          continue;
        }
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) {
          tops.add(Math.round(r.top));
        }
      }
      return tops.size;
    };
    const telling = p.querySelector('thead th[data-telling="true"]').getBoundingClientRect();
    return {
      keys: heads.map((h) => h.dataset.key),
      labels: heads.map((h) => h.textContent),
      rows: rows.length,
      mostLines: Math.max(...[...p.querySelectorAll("tbody td, tbody th, tfoot td")].map(lines)),
      tellingRight: telling.right,
      boxHeight: wrap.clientHeight,
      boxScrolls: wrap.scrollHeight > wrap.clientHeight,
      shared: p.querySelector('[data-testid="run-table-shared"]').textContent,
      summary: p.querySelector('[data-testid="run-table-summary"]')?.textContent ?? null,
      flagged: p.querySelectorAll('tbody td[data-flagged="true"][data-key="lost_updates"]').length,
      pageWidth: document.documentElement.scrollWidth,
      wide: [...p.querySelectorAll("*")]
        .filter(
          (e) =>
            e.getBoundingClientRect().right > window.innerWidth + 1 &&
            getComputedStyle(e.parentElement).overflowX === "visible",
        )
        .slice(0, 4)
        .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
    };
  });
}

describe("report tables", () => {
  test("at 375 px: whole numbers, lost_updates first and marked, shared fields said once, capped height, a summary; one report or sixty, the same columns", async () => {
    const { page, problems } = await browser.open(url(CHAPTER_5), { viewport: PHONE });
    const sixty = Array.from({ length: 60 }, (_, i) => racyReport(i));
    await playRuns(page, stream([racyReport(1)]), stream(sixty));
    const panel = page.locator('[data-testid="run-panel"][data-kind="example"]').first();

    await runAndWait(panel);
    const one = await tableFacts(panel);
    assert.equal(one.rows, 1);
    assert.equal(one.summary, null, "no summary for one run");

    await runAndWait(panel);
    const many = await tableFacts(panel);
    assert.deepEqual(many.keys, one.keys, "a second report adds rows, never other columns");
    assert.deepEqual(many.labels.slice(0, 3), ["run", "lost_updates", "result"]);
    assert.equal(many.rows, 60);
    assert.ok(
      many.tellingRight <= PHONE.width,
      `lost_updates is seen without scrolling (right edge ${many.tellingRight})`,
    );
    assert.equal(many.mostLines, 1, "no number, and no summary, breaks over two lines");
    assert.match(many.shared, /^Every run: racy, N = 1\u202f000\u202f000, T = 2, left sum = 333\.33283333\d*\.$/);
    assert.ok(many.boxScrolls && many.boxHeight < 450, `the box scrolls inside, ${many.boxHeight} px high`);
    assert.match(many.summary, /40 of 60 runs/);
    assert.match(many.summary, /median 2\.4 ms/);
    assert.equal(many.flagged, 40);
    assert.ok(many.pageWidth <= PHONE.width, `the page is ${many.pageWidth} px wide: ${many.wide}`);

    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await panel.locator(".wb-run-table-wrap").scrollIntoViewIfNeeded();
    await panel.screenshot({ path: path.join(SCREENSHOTS, "report-table-375.png") });
    const v = await axeViolations(page);
    assert.equal(v.length, 0, describeViolations(v));
    assert.deepEqual(problems, []);
    await page.close();

    // On a phone the chart shrinks with the column (the reference run's).
    const phone = await browser.open(url(CHAPTER_5), { viewport: PHONE });
    await phone.page
      .locator('figure[data-timeline="threads"]')
      .first()
      .evaluate((f) => f.scrollIntoView());
    await phone.page.screenshot({ path: path.join(SCREENSHOTS, "timeline-375.png") });
    assert.ok((await phone.page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
    await phone.page.close();
  });
});

describe("Run it yourself", () => {
  /** The controls and the terminal-only lines of a chapter's section. */
  async function section(page) {
    const box = page.locator('[data-testid="run-it-yourself"]');
    assert.equal(await box.count(), 1, "one box under the section's block");
    const block = await box.evaluate((b) => b.previousElementSibling.textContent.trim().split("\n"));
    const controls = await box.locator('[data-testid="run-panel"]').evaluateAll((ps) =>
      ps.map((p) => ({
        command: p.querySelector('[data-testid="run-command"]').textContent,
        flags: p.querySelector('[data-testid="run-flags"]').value,
      })),
    );
    const terminal = await box.locator('[data-testid="run-terminal"] li').allTextContents();
    return { box, block, controls, terminal };
  }

  test("every command of the block has its own Run, flags filled in; the rest is said to be for a terminal", async () => {
    const { page, problems } = await browser.open(url("part1/03-amdahl-and-overheads"), { viewport: PHONE });
    const three = await section(page);
    assert.equal(three.block.length, 3);
    assert.deepEqual(
      three.controls.map((c) => `${c.command} ${c.flags}`),
      three.block,
      "each line of the block, as it is written",
    );
    assert.deepEqual(three.terminal, []);
    await three.box.scrollIntoViewIfNeeded();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "run-it-yourself-375.png") });
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
    await page.close();

    const loom = await browser.open(url("part4/18-1-memory-ordering"));
    const withTest = await section(loom.page);
    assert.deepEqual(withTest.controls, [
      { command: "cargo run --release --example publish --", flags: "--threads 4 --compare" },
    ]);
    assert.deepEqual(withTest.terminal, [
      'RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test --release --test loom',
    ]);
    await loom.page.close();
    assert.deepEqual([...problems, ...loom.problems], []);
  });

  test("a command without flags ends without `--`, which comes back once flags are typed", async () => {
    const { page, problems } = await browser.open(url("part4/17-lock-tools"));
    const { box, controls } = await section(page);
    assert.deepEqual(controls[0], { command: "cargo run --release --example lock_tools", flags: "" });
    const first = box.locator('[data-testid="run-panel"]').first();
    await first.locator('[data-testid="run-flags"]').fill("--show poison");
    assert.equal(
      await first.locator('[data-testid="run-command"]').textContent(),
      "cargo run --release --example lock_tools --",
    );
    const v = await axeViolations(page);
    assert.equal(v.length, 0, describeViolations(v));
    assert.deepEqual(problems, []);
    await page.close();

    // On a phone the chart shrinks with the column (the reference run's).
    const phone = await browser.open(url(CHAPTER_5), { viewport: PHONE });
    await phone.page
      .locator('figure[data-timeline="threads"]')
      .first()
      .evaluate((f) => f.scrollIntoView());
    await phone.page.screenshot({ path: path.join(SCREENSHOTS, "timeline-375.png") });
    assert.ok((await phone.page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
    await phone.page.close();
  });
});

describe("timelines", () => {
  test("a --timeline run from the page replaces the reference timeline as soon as it ends, and its labels are at least 11 px", async () => {
    const { page, problems } = await browser.open(url(CHAPTER_5));
    const figure = page.locator('figure[data-timeline="threads"]').first();
    // The reference's labels, at 1280 px (the content column's width).
    await figure.locator("img").first().scrollIntoViewIfNeeded();
    const smallest = await figure
      .locator("img")
      .first()
      .evaluate(async (img) => {
        const text = await (await fetch(img.currentSrc)).text();
        const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
        const sizes = [...svg.querySelectorAll("text")].map((t) => Number(t.getAttribute("font-size")));
        const scale = img.getBoundingClientRect().width / Number(svg.getAttribute("width"));
        return Math.min(...sizes) * scale;
      });
    assert.ok(smallest >= 11, `the smallest label renders at ${smallest.toFixed(1)} px`);

    // The server has no learner's timeline yet; after the run, it has one.
    let written = false;
    const learner = fs
      .readFileSync(path.join(REPO, "book", "measured", "amd-epyc-2-cores", "timeline-threads.svg"), "utf8")
      .replace(/<title id="tl-title">[^<]*</, '<title id="tl-title">Timeline: the learner\'s run<');
    await page.route("**/__workbook/timelines/threads.svg", (route) =>
      written
        ? route.fulfill({ status: 200, contentType: "image/svg+xml", body: learner })
        : route.fulfill({ status: 204, body: "" }),
    );
    await page.route("**/__workbook/api/run/example", (route) => {
      written = true;
      return route.fulfill({ status: 200, contentType: "application/x-ndjson", body: stream([]) });
    });
    assert.equal(await figure.getAttribute("data-source"), "reference");
    const panel = page.locator('[data-testid="run-panel"][data-kind="example"]').first();
    await by(panel, "run-flags").fill("--n 1e6 --threads 2 --timeline threads");
    await runAndWait(panel);
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('figure[data-timeline="threads"]')].every((f) => f.dataset.source === "learner"),
      null,
      { timeout: 5000 },
    );
    assert.match(await figure.locator("img").first().getAttribute("alt"), /^Timeline: the learner's run/);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await figure.screenshot({ path: path.join(SCREENSHOTS, "timeline-1280.png") });
    assert.deepEqual(problems, []);
    await page.close();

    // On a phone the chart shrinks with the column (the reference run's).
    const phone = await browser.open(url(CHAPTER_5), { viewport: PHONE });
    await phone.page
      .locator('figure[data-timeline="threads"]')
      .first()
      .evaluate((f) => f.scrollIntoView());
    await phone.page.screenshot({ path: path.join(SCREENSHOTS, "timeline-375.png") });
    assert.ok((await phone.page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
    await phone.page.close();
  });
});
