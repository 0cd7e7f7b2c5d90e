// The built workbook in a real browser (Debian's Chromium, headless): every
// page loads cleanly and passes axe-core, math renders, search works, the
// "be the scheduler" widgets behave, quizzes answer, the exercise badge shows
// the learner's progress. Run with `bash tests/browser/run.sh` (or
// `npm test` in tests/browser after `npm ci`). See server.mjs for the
// environment variables that pick the server.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { REPO, startServer } from "./server.mjs";
import {
  SCREENSHOTS,
  addScript,
  axeViolations,
  byTestId,
  describeViolations,
  launchBrowser,
  text,
} from "./browser.mjs";

const INTERACTIVE = path.join(REPO, "book", "interactive");
const INTERACTIVE_FILES = [
  "scheduler.js",
  "puzzles.js",
  "status.js",
  "timeline.js",
  "a11y.js",
  "scheduler.css",
  "status.css",
  "a11y.css",
];

// Chapter pages with something particular to check (see book/TOPICS.md).
const PAGES = {
  amdahl: "part1/03-amdahl-and-overheads",
  race: "part3/11-shared-data",
  deadlock: "part4/19-deadlock-livelock",
  speedup: "part5/24-speed-up",
  models: "part5/24-2-performance-models",
  exercise: "exercises/01_chunks",
};

const PROGRESS = {
  exercises: {
    "01_chunks": { status: "passed" },
    "03_spawn_join": { status: "failed" },
  },
};

let server;
let browser;
let context;
let open; // open(url, { theme }): a page and the problems it reports (browser.mjs)
let pages = []; // absolute URLs of every chapter in the sidebar

const started = Date.now();
const note = (what) => console.error(`# ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);

before(async () => {
  browser = await launchBrowser(); // first: fails at once if Chromium is missing
  ({ context, open } = browser);
  note("Chromium started");
  server = await startServer(PROGRESS);
  note(`serving ${server.url}`);
  pages = await sidebarPages();
  note(`${pages.length} pages in the sidebar`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The chapter links of the rendered sidebar (drafts have no link). */
async function sidebarPages() {
  // Signing in is the first load from the fresh server, strictly: no retry
  // (starts.test.mjs loads a chapter from 20 fresh starts).
  await browser.signIn(server.url);
  const page = await context.newPage();
  await page.goto(server.url, { waitUntil: "load" });
  await page.waitForSelector("mdbook-sidebar-scrollbox a[href], #mdbook-sidebar a[href], .sidebar a[href]", {
    state: "attached",
  });
  const hrefs = await page.$$eval(".sidebar .chapter a[href], mdbook-sidebar-scrollbox a[href]", (as) =>
    as.map((a) => a.href),
  );
  await page.close();
  const unique = [...new Set(hrefs.map((h) => h.split("#")[0]))].filter((h) => h.startsWith(server.url));
  assert.ok(unique.length > 0, "the sidebar lists no pages");
  return unique;
}

/** The URL of a chapter, or a reason to skip its checks: a chapter that is
 * not written yet is skipped; one written but missing from the book fails. */
function chapter(name) {
  const url = new URL(`${name}.html`, server.url).href;
  if (pages.includes(url)) {
    return { url };
  }
  const source = path.join(process.env.WORKBOOK_ROOT || REPO, "book", `${name}.md`);
  assert.ok(!fs.existsSync(source), `book/${name}.md exists but ${name}.html is not in the book's sidebar`);
  return { skip: `book/${name}.md is not written yet` };
}

// ------------------------------------------------------------------- pages

describe("every page", () => {
  test("loads the workbook's scripts and styles (book.toml [output.html])", async () => {
    // The print page holds every chapter, so it keeps every script (a
    // chapter loads only those it uses: workbook/src/book/page_scripts.rs).
    const { page } = await open(new URL("print.html", server.url).href);
    const loaded = await page.evaluate(() =>
      [...document.querySelectorAll("script[src], link[rel=stylesheet]")].map((e) => e.src || e.href),
    );
    const missing = INTERACTIVE_FILES.filter(
      (f) => !loaded.some((u) => new RegExp(`interactive/${f.replace(".", "(-[0-9a-f]+)?\\.")}$`).test(u)),
    );
    assert.deepEqual(
      missing,
      [],
      `add to book.toml's [output.html]: additional-js / additional-css = the files in book/interactive (missing: ${missing.join(", ")})`,
    );
    await page.close();
  });

  test("loads without console errors, failed requests or other hosts, and passes axe", async () => {
    const failures = [];
    for (const url of pages) {
      const { page, problems } = await open(url);
      await page.waitForLoadState("networkidle").catch(() => {});
      const violations = await axeViolations(page);
      if (violations.length) {
        problems.push(`axe:\n  ${describeViolations(violations)}`);
      }
      if (problems.length) {
        failures.push(`${url.slice(server.url.length)}:\n  ${problems.join("\n  ")}`);
      }
      await page.close();
    }
    assert.equal(
      failures.length,
      0,
      `${failures.length} of ${pages.length} pages have problems:\n${failures.join("\n")}`,
    );
  });
});

describe("book features", () => {
  test("math is rendered on the Amdahl page", async (t) => {
    const c = chapter(PAGES.amdahl);
    if (c.skip) {
      return t.skip(c.skip);
    }
    const { page, problems } = await open(c.url);
    const sizes = await page.$$eval("math", (ms) =>
      ms.map((m) => m.getBoundingClientRect()).map((r) => [r.width, r.height]),
    );
    assert.ok(sizes.length > 0, "no <math> element on the Amdahl page");
    for (const [w, h] of sizes) {
      assert.ok(w > 0 && h > 0, `a <math> element has size ${w}x${h}`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("search finds Mutex", async () => {
    const { page, problems } = await open(server.url);
    await page.click("#mdbook-search-toggle");
    const box = page.locator("#mdbook-searchbar");
    await box.waitFor({ state: "visible" });
    await box.pressSequentially("Mutex"); // mdBook's search listens to key presses
    const results = page.locator("#mdbook-searchresults li");
    await results.first().waitFor({ timeout: 10000 });
    assert.ok((await results.count()) > 0);
    assert.match(await page.locator("#mdbook-searchresults").textContent(), /mutex/i);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("the exercise badge shows the learner's status", async (t) => {
    if (!server.startedHere) {
      return t.skip("WORKBOOK_URL given: this run did not write the progress file");
    }
    const { page, problems } = await open(new URL(`${PAGES.exercise}.html`, server.url).href);
    const badge = page.locator('.exercise-status[data-exercise="01_chunks"]');
    assert.equal(await badge.count(), 1, "exercises/01_chunks.html has no .exercise-status element");
    // A generous bound on status.js's one fetch; on timeout the assertion
    // below says what is likely missing.
    await page
      .waitForFunction(() => document.querySelector(".exercise-status")?.textContent.trim(), null, {
        timeout: 30_000,
      })
      .catch(() => {});
    const words = (await badge.textContent()).trim();
    assert.ok(words, "the badge is empty: is book/interactive/status.js in book.toml's additional-js?");
    assert.match(words, /passed/i);
    assert.equal(await badge.getAttribute("data-status"), "passed");
    assert.deepEqual(problems, []);
    await page.close();

    const other = await open(new URL("exercises/03_spawn_join.html", server.url).href);
    const failed = other.page.locator(".exercise-status");
    await other.page.waitForFunction(() => document.querySelector(".exercise-status")?.textContent.trim());
    assert.match(await failed.textContent(), /failed/i);
    await other.page.close();
    const third = await open(new URL("exercises/04_scoped_sum.html", server.url).href);
    await third.page.waitForFunction(() => document.querySelector(".exercise-status")?.textContent.trim());
    assert.match(await third.page.locator(".exercise-status").textContent(), /not started/i);
    await third.page.close();
  });

  test("every quiz gives feedback after an answer", async (t) => {
    let quizzes = 0;
    for (const url of pages) {
      // Open only the pages whose HTML has a quiz.
      const html = await (await server.fetch(url)).text();
      if (!html.includes('data-testid="quiz"')) {
        continue;
      }
      const { page, problems } = await open(url);
      const found = page.locator('[data-testid="quiz"]');
      const n = await found.count();
      for (let i = 0; i < n; i++) {
        quizzes += 1;
        const quiz = found.nth(i);
        const feedback = quiz.locator('[data-testid="quiz-feedback"]');
        assert.equal(
          await feedback.getAttribute("aria-live"),
          "polite",
          `${url}: quiz ${i + 1}: feedback needs aria-live`,
        );
        await quiz.locator('input[type="radio"]').first().check();
        await quiz.locator('[data-testid="quiz-check"]').click();
        await page.waitForFunction((el) => el.textContent.trim().length > 0, await feedback.elementHandle());
        const words = (await feedback.textContent()).trim();
        assert.match(words, /correct|not quite|try again|right|wrong/i, `${url}: quiz ${i + 1} said "${words}"`);
        assert.match(await quiz.getAttribute("data-answered"), /^(correct|incorrect)$/);
      }
      assert.deepEqual(problems, [], url);
      await page.close();
    }
    if (quizzes === 0) {
      t.skip("no page has a quiz yet");
    }
  });
});

// ---------------------------------------------------------------- widgets

/** Presses a widget's "Show me a failing schedule" and waits for its replay to end. */
async function showMe(page, id) {
  await byTestId(page, `${id}-show-me`).click();
  await page.waitForFunction(
    (w) => !document.querySelector(`[data-testid="${w}-widget"]`).hasAttribute("data-replaying"),
    id,
  );
}

/** The race scenarios, on a page where the race widget is mounted. */
async function checkRaceWidget(page) {
  const names = await byTestId(page, "race-widget").count();
  assert.equal(names, 1, "the race widget is not mounted: does book.toml load book/interactive/scheduler.js?");
  // The no-race preset: A runs all its steps, then B: 2.
  await byTestId(page, "race-preset-no-race").click();
  assert.equal(await text(page, "race-shared"), "2");
  assert.match(await text(page, "race-verdict"), /final value is 2: no update was lost/);
  assert.equal(await page.locator('[data-testid="race-log-row"][data-lost]').count(), 0);

  // Reset, then play the race by hand: A reads, B reads, A adds, B adds, A writes, B writes.
  await byTestId(page, "race-reset").click();
  assert.equal(await text(page, "race-shared"), "0");
  assert.equal(await byTestId(page, "race-log-row").count(), 0);
  for (const t of ["a", "b", "a", "b", "a"]) {
    await byTestId(page, `race-step-${t}`).click();
  }
  assert.equal(await text(page, "race-shared"), "1");
  assert.equal(await text(page, "race-verdict"), "");
  // The keyboard works too: B's last step with Enter.
  await byTestId(page, "race-step-b").focus();
  await page.keyboard.press("Enter");
  assert.equal(await text(page, "race-shared"), "1");
  const verdict = await text(page, "race-verdict");
  assert.equal(verdict, "Thread B wrote 1 over thread A's 1: an update was lost; the final value is 1, not 2.");
  // The status says what the step did; the outcome is the verdict's, once.
  assert.equal(await text(page, "race-status"), "Step 6: Thread B wrote 1 to the shared value.");
  const lost = page.locator('[data-testid="race-log-row"][data-lost="true"]');
  assert.equal(await lost.count(), 1, "exactly one step is marked as the lost update");
  assert.match(await lost.textContent(), /Lost update: thread B overwrote thread A's 1/);
  assert.equal(await lost.locator("td").first().textContent(), "6");
  // Both threads are finished: their buttons say so, and keep focus.
  assert.equal(await byTestId(page, "race-step-a").getAttribute("aria-disabled"), "true");
  await page.keyboard.press("Space");
  assert.match(await text(page, "race-status"), /Thread B has finished/);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "race-step-b");

  // "Show me" reaches the same verdict.
  await byTestId(page, "race-reset").click();
  await showMe(page, "race");
  assert.equal(await text(page, "race-shared"), "1");
  assert.match(await text(page, "race-verdict"), /an update was lost; the final value is 1, not 2/);
  // The state table is a real table with headers.
  const table = byTestId(page, "race-state");
  assert.equal(await table.locator("caption").count(), 1);
  assert.ok((await table.locator('th[scope="col"]').count()) >= 2);
  assert.ok((await table.locator('th[scope="row"]').count()) >= 2);
}

/** The deadlock scenarios, on a page where the deadlock widget is mounted. */
async function checkDeadlockWidget(page) {
  assert.equal(
    await byTestId(page, "deadlock-widget").count(),
    1,
    "the deadlock widget is not mounted: does book.toml load book/interactive/scheduler.js?",
  );
  await byTestId(page, "deadlock-reset").click();
  // A takes its first lock, B takes its first lock: a cycle.
  await byTestId(page, "deadlock-step-a").click();
  await byTestId(page, "deadlock-step-b").click();
  const verdict = await text(page, "deadlock-verdict");
  assert.match(
    verdict,
    /^Deadlock! A holds (.+) and waits for (.+); B holds \2 and waits for \1: neither can ever proceed\.$/,
  );
  assert.match(await text(page, "deadlock-status"), /^Step 2: /);
  for (const col of ["thread-a", "thread-b"]) {
    assert.equal(await byTestId(page, `deadlock-state-state-${col}`).getAttribute("data-state"), "deadlocked");
  }
  // A deadlocked thread's button is aria-disabled (still focusable); pressing
  // it explains. (Pressed with element.click(): Playwright will not click an
  // aria-disabled button, and a forced click lands on a point of the screen.)
  assert.equal(await byTestId(page, "deadlock-step-a").getAttribute("aria-disabled"), "true");
  await byTestId(page, "deadlock-step-a").evaluate((b) => b.click());
  assert.match(await text(page, "deadlock-status"), /deadlocked/);

  // "Show me" shows the same.
  await byTestId(page, "deadlock-reset").click();
  await showMe(page, "deadlock");
  assert.match(await text(page, "deadlock-verdict"), /neither can ever proceed/);

  // Lock ordering: B waits for the lock A holds, then both finish.
  await byTestId(page, "deadlock-ordering").check();
  await byTestId(page, "deadlock-step-a").click();
  await byTestId(page, "deadlock-step-b").click();
  assert.match(await text(page, "deadlock-status"), /^Thread B waits: .+ is held by thread A/);
  assert.equal(await byTestId(page, "deadlock-state-state-thread-b").getAttribute("data-state"), "blocked");
  assert.equal(await text(page, "deadlock-verdict"), "");
  // Every schedule with ordering on finishes: try them all (70 interleavings
  // of the two 4-step programs, with the waiting clicks in between).
  const outcomes = await page.evaluate(() => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    const seen = new Set();
    const results = [];
    function run(schedule) {
      q("deadlock-reset").click();
      for (const t of schedule) {
        q(`deadlock-step-${t}`).click();
      }
      return q("deadlock-verdict").textContent;
    }
    function explore(prefix, a, b) {
      if (a === 4 && b === 4) {
        results.push(run(prefix));
        return;
      }
      if (a < 4) {
        explore(prefix + "a", a + 1, b);
      }
      if (b < 4) {
        explore(prefix + "b", a, b + 1);
      }
    }
    explore("", 0, 0);
    for (const r of results) {
      seen.add(r);
    }
    return { count: results.length, verdicts: [...seen] };
  });
  assert.equal(outcomes.count, 70);
  for (const v of outcomes.verdicts) {
    assert.doesNotMatch(v, /Deadlock/);
  }
  assert.ok(
    outcomes.verdicts.some((v) => /Both threads finished: no deadlock/.test(v)),
    outcomes.verdicts.join(" | "),
  );
  await byTestId(page, "deadlock-ordering").uncheck();
  await byTestId(page, "deadlock-reset").click();
}

/** A book page whose content is replaced by both widgets from the sources in
 * book/interactive: checks the widgets even before book.toml loads them. */
async function widgetsOnABookPage(theme) {
  // A chapter with a puzzle, so that the page loads the engine and the
  // widget's parts (a page loads only the scripts it uses: page_scripts.rs).
  const opened = await open(new URL("part3/11-shared-data.html", server.url).href, { theme });
  await opened.page.evaluate(() => {
    document.querySelector("main").innerHTML =
      '<h1>Widgets</h1><div id="race-scheduler"></div><div id="deadlock-scheduler" data-locks="lock 0,lock 1"></div>';
  });
  await opened.page.addStyleTag({ path: path.join(INTERACTIVE, "scheduler.css") });
  // The widget, then the puzzles it plays (the race and deadlock widgets are two of them).
  await addScript(opened.page, path.join(INTERACTIVE, "scheduler.js"));
  await addScript(opened.page, path.join(INTERACTIVE, "puzzles.js"));
  return opened;
}

describe("be the scheduler", () => {
  test("race and deadlock widgets (from book/interactive), light theme, with axe", async () => {
    const { page, problems } = await widgetsOnABookPage("light");
    await checkRaceWidget(page);
    await checkDeadlockWidget(page);
    await showMe(page, "deadlock");
    assert.deepEqual(await axeViolations(page, "main"), [], "axe on the widgets");
    assert.deepEqual(problems, []);
    await page.close();
  });

  for (const theme of ["navy", "coal", "ayu", "rust"]) {
    test(`widgets keep their contrast in the ${theme} theme`, async () => {
      const { page, problems } = await widgetsOnABookPage(theme);
      assert.equal(
        await page.evaluate(() => document.documentElement.classList.contains(localStorage.getItem("mdbook-theme"))),
        true,
      );
      await showMe(page, "race");
      await showMe(page, "deadlock");
      const v = await axeViolations(page, "main");
      assert.equal(v.length, 0, describeViolations(v));
      if (theme === "navy") {
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        for (const w of ["race", "deadlock"]) {
          await byTestId(page, `${w}-widget`).evaluate((el) =>
            window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 60),
          );
          await page.screenshot({ path: path.join(SCREENSHOTS, `${w}-widget-navy.png`) });
        }
      }
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test("the race chapter mounts the race widget", async (t) => {
    const c = chapter(PAGES.race);
    if (c.skip) {
      return t.skip(c.skip);
    }
    const { page, problems } = await open(c.url);
    assert.equal(await page.locator("#race-scheduler").count(), 1, 'the race chapter has no <div id="race-scheduler">');
    await checkRaceWidget(page);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("the deadlock chapter mounts the deadlock widget", async (t) => {
    const c = chapter(PAGES.deadlock);
    if (c.skip) {
      return t.skip(c.skip);
    }
    const { page, problems } = await open(c.url);
    assert.equal(
      await page.locator("#deadlock-scheduler").count(),
      1,
      'the chapter has no <div id="deadlock-scheduler">',
    );
    await checkDeadlockWidget(page);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("without JavaScript the chapters still read: the widget places stay empty", async () => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });
    for (const name of [PAGES.race, PAGES.deadlock]) {
      const url = new URL(`${name}.html`, server.url).href;
      if (!pages.includes(url)) {
        continue;
      }
      await page.goto(url);
      assert.ok((await page.locator("main h1").count()) >= 1, url);
      assert.equal(await page.locator('[data-testid$="-widget"]').count(), 0, url);
      const empty = await page.$$eval("#race-scheduler, #deadlock-scheduler", (els) =>
        els.every((e) => !e.textContent.trim()),
      );
      assert.ok(empty, url);
    }
    await page.close();
  });
});

// -------------------------------------------------------------- roofline

test("chapter 24.2 draws the learner's own roofline in place of the book's", async (t) => {
  const c = chapter(PAGES.models);
  if (c.skip) {
    return t.skip(c.skip);
  }
  if (!server.startedHere) {
    return t.skip("WORKBOOK_URL given: this run cannot write the server's target/roofline");
  }
  // The learner's own target/roofline: kept aside and put back. The roofs
  // and points are the reference machine's, written where a run of
  // `roofline` writes them.
  const root = process.env.WORKBOOK_ROOT || REPO;
  const dir = path.join(root, "target", "roofline");
  const aside = `${dir}.kept-by-the-browser-tests`;
  const had = fs.existsSync(dir);
  if (had) {
    fs.renameSync(dir, aside);
  }
  try {
    const measured = path.join(REPO, "book", "measured", "amd-epyc-2-cores", "roofline.json");
    const written = JSON.parse(fs.readFileSync(measured, "utf8"));
    written.machine = "the browser test's machine";
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "roofline.json"), JSON.stringify(written));
    const { page, problems } = await open(c.url);
    const live = page.locator("#roofline-live");
    await page.waitForFunction(() => document.getElementById("roofline-live")?.dataset.source === "learner", null, {
      timeout: 10_000,
    });
    const roofs = written.compute.length + written.bandwidth.length;
    assert.equal(await live.locator('[data-testid="roofline-roof"]').count(), roofs, "every roof and ceiling");
    assert.equal(
      await live.locator('[data-testid="roofline-point"]').count(),
      written.points.length,
      "every point of the run (no example ran from the page yet)",
    );
    assert.equal(await live.locator('[data-testid="roofline-table"] tr').count(), written.points.length + 1);
    assert.match(
      await live.locator('[data-testid="roofline-chart"]').getAttribute("aria-label"),
      /the browser test's machine/,
    );
    assert.equal(await live.locator("img").count(), 0, "the book's chart is gone");
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], describeViolations(violations));
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    if (had) {
      fs.renameSync(aside, dir);
    }
  }
});

// ------------------------------------------------------------- screenshots

describe("screenshots (target/screenshots)", () => {
  for (const [name, file] of [
    [PAGES.race, "race-chapter"],
    [PAGES.speedup, "speed-up-chapter"],
    [PAGES.deadlock, "deadlock-chapter"],
  ]) {
    test(`${file}.png`, async (t) => {
      const c = chapter(name);
      if (c.skip) {
        return t.skip(c.skip);
      }
      const { page } = await open(c.url);
      await page.waitForLoadState("networkidle").catch(() => {});
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      // The whole chapter, then the first screen of it.
      await page.screenshot({ path: path.join(SCREENSHOTS, `${file}-full.png`), fullPage: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${file}.png`) });
      const widget = page.locator('[data-testid="race-widget"], [data-testid="deadlock-widget"]').first();
      if (await widget.count()) {
        // Show a failing schedule, then the widget just below the sticky menu bar.
        await showMe(page, (await widget.getAttribute("data-testid")).replace("-widget", ""));
        await widget.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 60));
        await page.screenshot({ path: path.join(SCREENSHOTS, file.replace("-chapter", "-widget") + ".png") });
      }
      await page.close();
    });
  }
});
