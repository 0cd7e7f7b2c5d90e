// The "be the scheduler" puzzles on their chapter pages, in Chromium: for
// each puzzle, "Show me" replays a schedule that reaches its failure, the
// exhaustive check finds failing schedules in the broken version and none in
// the fixed one, the keyboard alone reaches and works every control, and
// axe-core finds nothing serious. The memory puzzles, in which the reader
// also chooses which value each load reads, are played by hand, by keyboard
// and on a 375-pixel-wide screen. Screenshots go to target/screenshots.
// Run by tests/browser/run.sh after book.test.mjs; see server.mjs for the
// environment variables that pick the server.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startServer } from "./server.mjs";
import { SCREENSHOTS, axeViolations, byTestId, describeViolations, launchBrowser, text } from "./browser.mjs";

// Each puzzle, its chapter, and the words its failure must end in (the
// verdict the widget shows after "Show me").
const PUZZLES = [
  {
    id: "withdraw",
    chapter: "part4/16-locks",
    failure: /^Both threads withdrew 60 from 100: the balance is −20\.$/,
  },
  {
    id: "flag-lock",
    chapter: "part4/18-atomics",
    failure: /^Threads A and B are both in the critical section: the flag kept nobody out\.$/,
  },
  {
    id: "philosophers",
    chapter: "part4/19-deadlock-livelock",
    deadlock: true,
    failure:
      /^Deadlock! A holds fork 0 and waits for fork 1; B holds fork 1 and waits for fork 2; C holds fork 2 and waits for fork 0: none of them can ever proceed\.$/,
  },
  {
    id: "condvar-if",
    chapter: "part4/21-signaling",
    failure: /^Thread A woke up to an empty queue: thread B took item 1 first\./,
  },
  {
    id: "lost-wakeup",
    chapter: "part4/21-signaling",
    // Asleep with nobody left to wake it: not a cycle of lock waits, so not
    // a deadlock (chapter 19's definition).
    stuck: true,
    failure:
      /^Stuck forever! A waits for a notification on signal, and every other thread has finished: nobody is left to wake it\. \(A lost wake-up, not a deadlock: no thread waits for a lock another holds\.\)$/,
  },
  {
    id: "barrier",
    chapter: "part4/21-signaling",
    stuck: true,
    failure:
      /^Stuck forever! A waits for a notification on opened; B waits for a notification on opened: neither can ever proceed, and nobody is left to wake them\. /,
  },
];

// The two older widgets (chapters 11 and 19, mounted by id): no fixed
// version for the race, a Goal, a Hint and "Show me" as the others.
const OLDER = [
  {
    id: "race",
    chapter: "part3/11-shared-data",
    lastStep: true,
    failure: /^Thread B wrote 1 over thread A's 1: an update was lost; the final value is 1, not 2\.$/,
  },
  {
    id: "deadlock",
    chapter: "part4/19-deadlock-livelock",
    deadlock: true,
    failure:
      /^Deadlock! A holds lock 0 and waits for lock 1; B holds lock 1 and waits for lock 0: neither can ever proceed\.$/,
  },
];

// The memory-ordering puzzles: each thread also has a list of the values its
// next load may read. `outcomes`: what "Check every schedule" says the broken
// and the fixed version end in (the outcomes of their loom tests).
const MEMORY = [
  {
    id: "message-passing",
    chapter: "part4/18-1-memory-ordering",
    failure: /^Thread B saw the flag up and read the sum as 0, not 1\.5: the flag arrived before the data\.$/,
    lastStep: true,
    outcomes: {
      broken: "B read the sum 0; B read the sum 1.5; B saw the flag down",
      fixed: "B read the sum 1.5; B saw the flag down",
    },
  },
  {
    id: "store-buffering",
    chapter: "part4/18-3-seqcst-and-fences",
    failure:
      /^Both threads read 0: each missed the other's store, although each had stored first\. No interleaving of the four steps gives that\.$/,
    lastStep: true,
    outcomes: {
      broken: "a = 0, b = 0; a = 0, b = 1; a = 1, b = 0; a = 1, b = 1",
      fixed: "a = 0, b = 1; a = 1, b = 0; a = 1, b = 1",
    },
  },
];

let server;
let browser;
let open;

before(async () => {
  browser = await launchBrowser();
  ({ open } = browser);
  server = await startServer({ exercises: {} });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const url = (chapter) => new URL(`${chapter}.html`, server.url).href;

/** A chapter with its puzzles; "Show me" runs at once (reduced motion). */
async function openChapter(chapter, options = {}) {
  const opened = await open(url(chapter), { reducedMotion: "reduce", ...options });
  return opened;
}

/** The thread names of a widget, from its step buttons. */
async function threadsOf(page, id) {
  return page.$$eval(`[data-testid^="${id}-step-"]`, (bs) => bs.map((b) => b.textContent.replace("Step thread ", "")));
}

/** Presses "Check every schedule"; returns its result. */
async function checkEverySchedule(page, id) {
  await byTestId(page, `${id}-check-all`).click();
  const result = byTestId(page, `${id}-check-result`);
  return {
    variant: await result.getAttribute("data-variant"),
    schedules: Number(await result.getAttribute("data-schedules")),
    failing: Number(await result.getAttribute("data-failing")),
    words: (await result.textContent()).trim(),
  };
}

async function expectFailureShown(page, p) {
  const verdict = await text(page, `${p.id}-verdict`);
  assert.match(verdict, p.failure, `${p.id}: the verdict after "Show me"`);
  assert.match(await text(page, `${p.id}-status`), /failing schedule|Deadlock|fail/i);
  const failedRows = page.locator(`[data-testid="${p.id}-log-row"][data-failure="true"]`);
  assert.equal(await failedRows.count(), 1, `${p.id}: one log row marks the failure`);
  assert.match(await failedRows.textContent(), /⚠/);
  for (const t of await threadsOf(page, p.id)) {
    const step = byTestId(page, `${p.id}-step-${t.toLowerCase()}`);
    assert.equal(
      await step.getAttribute("aria-disabled"),
      "true",
      `${p.id}: thread ${t} can still step after the failure`,
    );
  }
  const states = await page.$$eval(`[data-testid^="${p.id}-state-state-"]`, (cells) =>
    cells.map((c) => c.getAttribute("data-state")),
  );
  // The step at which the program failed is marked as that place (and
  // current): it ran, so it is never said to have failed itself.
  const waits = p.deadlock || p.stuck;
  const failedSteps = byTestId(page, `${p.id}-widget`).locator('li[data-failed="true"]');
  assert.equal(await failedSteps.count(), waits ? 0 : 1, `${p.id}: the failed step in the program listing`);
  assert.doesNotMatch(await byTestId(page, `${p.id}-widget`).textContent(), /✗ failed/);
  if (!waits) {
    assert.match(
      await failedSteps.textContent(),
      /^⚠ done, and the program failed here: /,
      `${p.id}: the failing step's mark`,
    );
    assert.equal(await failedSteps.getAttribute("aria-current"), "step");
  }
  // The outcome is said once: in the verdict, not again in the status line.
  assert.ok(!(await text(page, `${p.id}-status`)).includes(verdict), `${p.id}: the outcome said twice`);
  if (waits) {
    const word = p.deadlock ? "deadlocked" : "stuck";
    assert.ok(states.includes(word), `${p.id}: no thread is marked ${word}: ${states}`);
    assert.ok(
      states.every((s) => s === word || s === "finished"),
      `${p.id}: ${states}`,
    );
  } else if (p.lastStep) {
    // It fails at the last step of both threads: both have finished.
    assert.ok(
      states.every((s) => s === "finished"),
      `${p.id}: ${states}`,
    );
  } else {
    assert.ok(states.includes("stopped"), `${p.id}: no thread is marked stopped: ${states}`);
    assert.ok(
      states.every((s) => s === "stopped" || s === "finished"),
      `${p.id}: ${states}`,
    );
  }
}

describe("every puzzle", () => {
  for (const p of PUZZLES) {
    test(`${p.id}: "Show me" reaches the failure, and the fix box starts unticked`, async () => {
      const { page, problems } = await openChapter(p.chapter);
      assert.equal(await byTestId(page, `${p.id}-widget`).count(), 1, `${p.chapter} has no ${p.id} puzzle`);
      assert.equal(await byTestId(page, `${p.id}-fixed`).isChecked(), false);
      assert.ok((await text(page, `${p.id}-goal`)).startsWith("Goal:"));
      await byTestId(page, `${p.id}-show-me`).click();
      await expectFailureShown(page, p);
      // Reset clears it.
      await byTestId(page, `${p.id}-reset`).click();
      assert.equal(await text(page, `${p.id}-verdict`), "");
      assert.equal(await byTestId(page, `${p.id}-log-row`).count(), 0);
      assert.deepEqual(problems, []);
      await page.close();
    });

    test(`${p.id}: every schedule checked: some fail in the broken version, none in the fixed one`, async () => {
      const { page, problems } = await openChapter(p.chapter);
      const broken = await checkEverySchedule(page, p.id);
      assert.equal(broken.variant, "broken");
      assert.ok(broken.failing > 0 && broken.failing <= broken.schedules, broken.words);
      assert.match(broken.words, /One that fails: /);
      // The schedule the check names fails too, played by hand.
      const example = broken.words.match(/One that fails: ([A-Z, ]+)\./)[1].split(", ");
      for (const t of example) {
        await byTestId(page, `${p.id}-step-${t.toLowerCase()}`).click();
      }
      assert.match(
        await text(page, `${p.id}-verdict`),
        p.deadlock ? /^Deadlock!/ : p.stuck ? /^Stuck forever!/ : /./,
        example.join(""),
      );
      assert.equal(await page.locator(`[data-testid="${p.id}-log-row"][data-failure="true"]`).count(), 1);

      await byTestId(page, `${p.id}-fixed`).check();
      assert.equal(await text(page, `${p.id}-check-result`), "", "a new version clears the old result");
      const fixed = await checkEverySchedule(page, p.id);
      assert.equal(fixed.variant, "fixed");
      assert.ok(fixed.schedules > 1, fixed.words);
      assert.equal(fixed.failing, 0, fixed.words);
      assert.match(fixed.words, /None of them fails\.$/);
      // The failing schedule of the broken version does not fail here: play
      // it (a thread that must wait just waits) and finish every thread.
      // Each press goes to the button itself (element.click()), not to a
      // point on the screen: a forced mouse click at the button's position
      // can land on whatever covers it (mdBook's sticky menu bar, while the
      // page scrolls), and once that was the fix box, which flipped the
      // puzzle back to its broken version half-way through.
      const threads = await threadsOf(page, p.id);
      for (let round = 0; round < 40; round++) {
        for (const t of threads) {
          await byTestId(page, `${p.id}-step-${t.toLowerCase()}`).evaluate((b) => b.click());
        }
      }
      assert.equal(await byTestId(page, `${p.id}-fixed`).isChecked(), true, "still the fixed version");
      const done = await page.$$eval(`[data-testid^="${p.id}-state-state-"]`, (cells) =>
        cells.map((c) => c.getAttribute("data-state")),
      );
      assert.ok(
        done.every((s) => s === "finished"),
        `${p.id} fixed, round robin: ${done}`,
      );
      assert.doesNotMatch(await text(page, `${p.id}-verdict`), /^Deadlock!|^Stuck|fail/);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test("the replay steps one at a time (no reduced motion) and ends at the same failure", async () => {
    const p = PUZZLES[0];
    const { page, problems } = await open(url(p.chapter));
    const widget = byTestId(page, `${p.id}-widget`);
    // Click and look in one task of the page: the first step comes from a
    // timer, which cannot run in between however slow the machine is.
    const [replaying, rows] = await widget.evaluate((w, id) => {
      w.querySelector(`[data-testid="${id}-show-me"]`).click();
      return [w.getAttribute("data-replaying"), w.querySelectorAll(`[data-testid="${id}-log-row"]`).length];
    }, p.id);
    assert.equal(replaying, "true");
    assert.equal(rows, 0);
    await page.waitForFunction(
      (id) => !document.querySelector(`[data-testid="${id}-widget"]`).hasAttribute("data-replaying"),
      p.id,
      {
        timeout: 30000,
      },
    );
    await expectFailureShown(page, p);
    assert.match(await text(page, `${p.id}-status`), /replayed/);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("the first two widgets count their schedules too", () => {
  for (const p of OLDER) {
    test(`${p.id}: a Goal and a Hint, no button that names the answer, and "Show me" reaches the failure`, async () => {
      const { page, problems } = await openChapter(p.chapter);
      assert.ok((await text(page, `${p.id}-goal`)).startsWith("Goal:"));
      assert.equal(await byTestId(page, `${p.id}-hint`).locator("summary").textContent(), "Hint");
      const buttons = await byTestId(page, `${p.id}-widget`).locator("button").allTextContents();
      for (const words of buttons) {
        assert.doesNotMatch(
          words,
          /reads, B|takes .*, B takes|show a deadlock|^race \(/i,
          `the button "${words}" gives it away`,
        );
      }
      await byTestId(page, `${p.id}-show-me`).click();
      await expectFailureShown(page, p);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test("race: 20 schedules of the six steps, 18 lose an update (chapter 11 says only two are right)", async () => {
    const { page, problems } = await openChapter("part3/11-shared-data");
    const r = await checkEverySchedule(page, "race");
    assert.deepEqual([r.schedules, r.failing], [20, 18], r.words);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("deadlock: without lock ordering some schedules deadlock, with it none", async () => {
    const { page, problems } = await openChapter("part4/19-deadlock-livelock");
    const broken = await checkEverySchedule(page, "deadlock");
    assert.ok(broken.failing > 0, broken.words);
    assert.match(broken.words, /all by deadlock/);
    await byTestId(page, "deadlock-ordering").check();
    const fixed = await checkEverySchedule(page, "deadlock");
    assert.equal(fixed.failing, 0, fixed.words);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("keyboard only", () => {
  for (const p of PUZZLES) {
    test(`${p.id}: Tab reaches every control in order, Enter and Space work them`, async () => {
      const { page, problems } = await openChapter(p.chapter);
      const controls = await page.$$eval(
        `[data-testid="${p.id}-widget"] :is(button, input, summary, a[href], [tabindex])`,
        (els) => els.map((e) => e.dataset.testid || e.closest("[data-testid]").dataset.testid),
      );
      const active = () =>
        page.evaluate(() => {
          const e = document.activeElement;
          return e?.dataset.testid || e?.closest("[data-testid]")?.dataset.testid || e?.tagName;
        });
      // Focus the widget's first control, then Tab through the rest.
      await page.evaluate((id) => {
        document.querySelector(`[data-testid="${id}-widget"] :is(button, input, summary, a[href], [tabindex])`).focus();
      }, p.id);
      const reached = [await active()];
      for (let i = 1; i < controls.length; i++) {
        await page.keyboard.press("Tab");
        reached.push(await active());
      }
      // One more Tab leaves the widget: nothing in it is skipped or trapped.
      await page.keyboard.press("Tab");
      assert.ok(!controls.includes(await active()), "Tab after the last control stays in the widget");
      await page.keyboard.press("Shift+Tab");
      assert.deepEqual(reached, controls, `${p.id}: the Tab order`);
      const hint = controls.indexOf(`${p.id}-hint`);
      assert.ok(hint >= 0, `${p.id}: the hint is not reachable`);

      // Walk back to the hint and open it with Enter.
      const go = async (testid) => {
        const from = controls.indexOf(await active());
        const to = controls.indexOf(testid);
        const key = to > from ? "Tab" : "Shift+Tab";
        for (let k = 0; k < Math.abs(to - from); k++) {
          await page.keyboard.press(key);
        }
        assert.equal(await active(), testid);
      };
      await go(`${p.id}-hint`);
      await page.keyboard.press("Enter");
      assert.equal(await byTestId(page, `${p.id}-hint`).getAttribute("open"), "");
      // "Show me" with Enter reaches the failure.
      await go(`${p.id}-show-me`);
      await page.keyboard.press("Enter");
      assert.match(await text(page, `${p.id}-verdict`), p.failure);
      // Reset with Space, then one step with Space.
      await go(`${p.id}-reset`);
      await page.keyboard.press("Space");
      assert.equal(await text(page, `${p.id}-verdict`), "");
      const firstStep = controls.find((c) => c.startsWith(`${p.id}-step-`));
      await go(firstStep);
      await page.keyboard.press("Space");
      assert.equal(await byTestId(page, `${p.id}-log-row`).count(), 1);
      // The fix box with Space, then the check with Enter.
      await go(`${p.id}-fixed`);
      await page.keyboard.press("Space");
      assert.equal(await byTestId(page, `${p.id}-fixed`).isChecked(), true);
      await go(`${p.id}-check-all`);
      await page.keyboard.press("Enter");
      assert.match(await text(page, `${p.id}-check-result`), /None of them fails\.$/);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});

describe("the memory puzzles", () => {
  /** The values thread t's next load may read, as its list offers them. */
  const offered = (page, id, t) =>
    byTestId(page, `${id}-reads-${t}`).evaluate((select) => [...select.options].map((o) => o.textContent));

  for (const p of MEMORY) {
    test(`${p.id}: "Show me" reaches the failure; every schedule and every value checked`, async () => {
      const { page, problems } = await openChapter(p.chapter);
      assert.equal(await byTestId(page, `${p.id}-widget`).count(), 1, `${p.chapter} has no ${p.id} puzzle`);
      await byTestId(page, `${p.id}-show-me`).click();
      await expectFailureShown(page, p);
      for (const t of ["a", "b"]) {
        assert.equal(
          await byTestId(page, `${p.id}-reads-${t}`).isDisabled(),
          true,
          "no load to choose for after a failure",
        );
      }
      const broken = await checkEverySchedule(page, p.id);
      assert.ok(broken.failing > 0, broken.words);
      assert.match(broken.words, /every value each load may read/);
      assert.ok(broken.words.includes(`What they end in: ${p.outcomes.broken}.`), broken.words);
      await byTestId(page, `${p.id}-fixed`).check();
      const fixed = await checkEverySchedule(page, p.id);
      assert.equal(fixed.failing, 0, fixed.words);
      assert.ok(fixed.words.endsWith(`What they end in: ${p.outcomes.fixed}.`), fixed.words);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test("store-buffering by hand: both store, then each load is told to read the older 0", async () => {
    const id = "store-buffering";
    const { page, problems } = await openChapter("part4/18-3-seqcst-and-fences");
    assert.equal(await byTestId(page, `${id}-reads-a`).isDisabled(), true, "A's next step is a store");
    await byTestId(page, `${id}-step-a`).click();
    await byTestId(page, `${id}-step-b`).click();
    // Both stored: each load may read the other's 1 or the starting 0, newest first.
    assert.deepEqual(await offered(page, id, "a"), ["1, stored by thread B (Relaxed)", "0, its starting value"]);
    assert.equal(
      await text(page, `${id}-state-its-next-load-may-read-thread-a`),
      "1, stored by thread B (Relaxed); or 0, its starting value",
    );
    assert.match(
      await text(page, `${id}-shared-state-x-its-stores-oldest-first-now`),
      /^0 \(start\), then 1 \(A, Relaxed\)$/,
    );
    await byTestId(page, `${id}-reads-a`).selectOption({ label: "0, its starting value" });
    await byTestId(page, `${id}-step-a`).click();
    assert.match(await text(page, `${id}-status`), /read 0, its starting value\. It could also have read 1\./);
    await byTestId(page, `${id}-reads-b`).selectOption({ label: "0, its starting value" });
    await byTestId(page, `${id}-step-b`).click();
    assert.match(await text(page, `${id}-verdict`), MEMORY[1].failure);

    // The same moves in the fixed version: the older 0 is not offered.
    await byTestId(page, `${id}-fixed`).check();
    await byTestId(page, `${id}-step-a`).click();
    await byTestId(page, `${id}-step-b`).click();
    assert.deepEqual(await offered(page, id, "a"), ["1, stored by thread B (SeqCst)"]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("message-passing with the keyboard alone: Tab to a thread's list, choose with the arrow keys, step with Enter", async () => {
    const id = "message-passing";
    const { page, problems } = await openChapter("part4/18-1-memory-ordering");
    const focus = (testid) => byTestId(page, testid).focus();
    const active = () => page.evaluate(() => document.activeElement?.dataset.testid);
    await focus(`${id}-step-a`);
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter"); // A stored the sum, then raised the flag
    // A has finished, so its list is disabled and Tab skips it: from A's
    // button to B's, then to B's list (B's next step is a load).
    await page.keyboard.press("Tab");
    assert.equal(await active(), `${id}-step-b`);
    await page.keyboard.press("Tab");
    assert.equal(await active(), `${id}-reads-b`);
    assert.deepEqual(await offered(page, id, "b"), ["true, stored by thread A (Relaxed)", "false, its starting value"]);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter"); // B reads the newest: true
    await page.keyboard.press("Tab");
    assert.equal(await active(), `${id}-reads-b`);
    await page.keyboard.press("ArrowDown"); // the older sum, 0
    assert.equal(await byTestId(page, `${id}-reads-b`).inputValue(), "0");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    assert.match(await text(page, `${id}-verdict`), MEMORY[0].failure);
    assert.deepEqual(problems, []);
    await page.close();
  });

  for (const p of [...OLDER, ...PUZZLES, ...MEMORY]) {
    test(`${p.id} at 375 pixels wide: nothing sticks out, and "Show me" still plays`, async () => {
      // As a phone opens it: mdBook hides its sidebar on a narrow screen.
      const { page, problems } = await openChapter(p.chapter, { viewport: { width: 375, height: 800 } });
      await byTestId(page, `${p.id}-show-me`).click();
      await expectFailureShown(page, p);
      const widget = byTestId(page, `${p.id}-widget`);
      await widget.scrollIntoViewIfNeeded();
      const box = await widget.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 375 + 0.5, `the widget spans ${box.x}..${box.x + box.width}`);
      const wider = await widget.evaluate((w) =>
        [...w.querySelectorAll("button, select, table, p, li")]
          .filter((e) => e.getBoundingClientRect().right > w.getBoundingClientRect().right + 0.5)
          .map((e) => `${e.tagName} ${e.dataset.testid || e.textContent.slice(0, 40)}`),
      );
      assert.deepEqual(wider, [], "these stick out of the widget");
      // Nothing in it pushes the page sideways, the log included.
      const inside = await widget.evaluate((w) =>
        [w, w.querySelector(".sched-log-wrap")].map((e) => Math.max(0, e.scrollWidth - e.clientWidth)),
      );
      assert.deepEqual(inside, [0, 0], "the widget and its log are no wider than the widget");
      // The state sits right under the Step buttons.
      const gap = await widget.evaluate((w, id) => {
        const buttons = w.querySelector(`[data-testid^="${id}-step-"]`).closest(".sched-controls");
        const state = w.querySelector(`[data-testid="${id}-state"]`);
        return state.getBoundingClientRect().top - buttons.getBoundingClientRect().bottom;
      }, p.id);
      assert.ok(gap >= 0 && gap < 120, `${p.id}: the state is ${gap} px below the Step buttons`);
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await widget.screenshot({ path: path.join(SCREENSHOTS, `puzzle-${p.id}-375px.png`) });
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});

describe("accessibility and looks", () => {
  const chapters = [...new Set(PUZZLES.concat(MEMORY).map((p) => p.chapter))];
  for (const theme of ["light", "navy"]) {
    for (const chapter of chapters) {
      test(`axe on ${chapter} (${theme}) with its puzzles failed and checked`, async () => {
        const { page, problems } = await openChapter(chapter, { theme });
        for (const p of PUZZLES.concat(MEMORY).filter((q) => q.chapter === chapter)) {
          await byTestId(page, `${p.id}-show-me`).click();
          await checkEverySchedule(page, p.id);
          await page.locator(`[data-testid="${p.id}-hint"] summary`).click();
        }
        // The whole page in mdBook's default theme; in navy only the puzzles
        // (mdBook's own navy links are too faint for axe, and not ours).
        const v = await axeViolations(page, theme === "light" ? null : ".sched");
        assert.equal(v.length, 0, describeViolations(v));
        assert.deepEqual(problems, []);
        await page.close();
      });
    }
  }

  test("without JavaScript the puzzle places stay empty and the chapters read", async () => {
    await browser.signIn(server.url);
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });
    for (const chapter of chapters) {
      await page.goto(url(chapter));
      assert.ok((await page.locator("main h1").count()) >= 1, chapter);
      assert.equal(await page.locator('[data-testid$="-widget"]').count(), 0, chapter);
      const empty = await page.$$eval(
        "[data-puzzle]",
        (els) => els.length > 0 && els.every((e) => !e.textContent.trim()),
      );
      assert.ok(empty, chapter);
    }
    await page.close();
  });

  test("screenshots of every puzzle: failed, and fixed and checked", async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    for (const p of PUZZLES.concat(MEMORY)) {
      for (const theme of p.id === "condvar-if" ? ["light", "navy"] : ["light"]) {
        const { page } = await openChapter(p.chapter, { theme });
        // mdBook's menu bar sticks to the top of the window and would cover
        // part of a tall widget in an element screenshot.
        await page.addStyleTag({ content: "#mdbook-menu-bar, #menu-bar { position: static !important; }" });
        const widget = byTestId(page, `${p.id}-widget`);
        await byTestId(page, `${p.id}-show-me`).click();
        await page.locator(`[data-testid="${p.id}-hint"] summary`).click();
        const suffix = theme === "light" ? "" : `-${theme}`;
        await widget.screenshot({ path: path.join(SCREENSHOTS, `puzzle-${p.id}-failed${suffix}.png`) });
        await byTestId(page, `${p.id}-fixed`).check();
        await checkEverySchedule(page, p.id);
        await widget.screenshot({ path: path.join(SCREENSHOTS, `puzzle-${p.id}-fixed${suffix}.png`) });
        await page.close();
      }
    }
  });
});
