// The learner's progress beyond exercises, in Chromium on a 375-pixel-wide
// screen, by keyboard: quiz answers are kept by the server (a reload shows
// them again), a score counts them and "Retry the ones I got wrong" clears
// exactly those; a puzzle made to fail by hand counts as solved; and the
// progress page shows per part the same counts as `cargo workbook list`.
// Screenshots go to target/screenshots. Run by tests/browser/run.sh; see
// server.mjs for the environment variables that pick the server.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { REPO, startServer } from "./server.mjs";
import { SCREENSHOTS, axeViolations, byTestId, describeViolations, launchBrowser } from "./browser.mjs";

const PHONE = { width: 375, height: 800 };

let server;
let browser;

before(async () => {
  browser = await launchBrowser();
  server = await startServer({ exercises: {}, learner: "a field the tool does not know" });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const url = (page) => new URL(page, server.url).href;

/** Nothing wider than the screen. */
async function assertNoSidewaysScroll(page, what) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= PHONE.width, `${what}: the page is ${wide} px wide on a ${PHONE.width} px screen`);
}

/** Answers question `form` with choice `k` by keyboard: Tab to its first
 * choice, arrows to choice k, Enter checks. */
async function answerByKeyboard(page, form, k) {
  await form.locator('input[type="radio"]').first().focus();
  await page.keyboard.press("Space");
  for (let i = 0; i < k; i++) {
    await page.keyboard.press("ArrowDown");
  }
  await page.keyboard.press("Enter");
}

describe("the start page and the keyboard", () => {
  test("the book opens on Start here; a chapter's first Tab skips the sidebar; a focused editor shows it", async () => {
    const start = await browser.open(server.url, { viewport: PHONE });
    assert.equal(await start.page.locator("main h1").first().innerText(), "Start here");
    await assertNoSidewaysScroll(start.page, "the start page");
    await start.page.screenshot({ path: path.join(SCREENSHOTS, "start-here-375.png"), fullPage: true });
    const violations = await axeViolations(start.page);
    assert.deepEqual(violations, [], describeViolations(violations));
    assert.deepEqual(start.problems, []);
    await start.page.close();

    const { page, problems } = await browser.open(url("part2/05-os-threads.html"));
    await page.keyboard.press("Tab");
    const focused = () =>
      page.evaluate(() => document.activeElement?.getAttribute("data-testid") || document.activeElement?.tagName);
    assert.equal(await focused(), "skip-link", "the first Tab reaches the skip link");
    assert.ok(await page.locator('[data-testid="skip-link"]').isVisible(), "and it shows");
    await page.keyboard.press("Enter");
    assert.equal(await focused(), "MAIN", "Enter moves the focus to the content");
    // The next Tabs stay in the content, up to the first snippet editor,
    // which shows a focus ring.
    const editor = page.locator(".ace_editor").first();
    await editor.waitFor();
    await editor.locator("textarea").focus();
    const outline = await editor.evaluate((e) => getComputedStyle(e).outlineStyle);
    assert.equal(outline, "solid", "a focused editor shows a ring");
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("quizzes, puzzles and the progress page", () => {
  test("answers are kept, scored and retried; the progress page and `list` agree", async () => {
    const quizPage = url("part1/quiz.html");
    const { page, problems } = await browser.open(quizPage, { viewport: PHONE });
    const forms = page.locator("form.quiz");
    const count = await forms.count();
    assert.ok(count >= 3, `part1/quiz.html has ${count} questions`);
    const answerOf = async (i) => Number(await forms.nth(i).getAttribute("data-answer"));
    const score = byTestId(page, "quiz-score");
    assert.match(await score.innerText(), new RegExp(`none of the ${count} questions answered`));

    // One right, one wrong, by keyboard; each kept by the server.
    const kept = () =>
      page.waitForResponse((r) => r.url().endsWith("/__workbook/api/progress/quiz") && r.status() === 200);
    let reply = kept();
    await answerByKeyboard(page, forms.nth(0), await answerOf(0));
    await reply;
    const wrongChoice = ((await answerOf(1)) + 1) % (await forms.nth(1).locator('input[type="radio"]').count());
    reply = kept();
    await answerByKeyboard(page, forms.nth(1), wrongChoice);
    await reply;
    // The page's scripts read the progress again after an answer is kept:
    // let them finish before the reload below.
    await page.waitForLoadState("networkidle");
    assert.equal(await forms.nth(0).getAttribute("data-result"), "correct");
    assert.equal(await forms.nth(1).getAttribute("data-result"), "wrong");
    assert.match(await score.innerText(), new RegExp(`Score: 1 of ${count} right \\(2 answered\\)`));
    await page.screenshot({ path: path.join(SCREENSHOTS, "quiz-score-375.png") });

    // A reload shows both answers again, from the server.
    await page.reload({ waitUntil: "load" });
    await page.waitForSelector('form.quiz[data-result="wrong"]');
    assert.equal(await forms.nth(0).getAttribute("data-result"), "correct");
    assert.equal(await forms.nth(1).locator('input[type="radio"]:checked').getAttribute("value"), String(wrongChoice));
    assert.match(await byTestId(page, "quiz-score").innerText(), /Score: 1 of \d+ right \(2 answered\)/);

    // "Retry the one I got wrong", by keyboard: only that one is cleared,
    // and the focus goes to it.
    const retry = byTestId(page, "quiz-retry");
    assert.equal(await retry.innerText(), "Retry the one I got wrong");
    await retry.focus();
    await page.keyboard.press("Enter");
    assert.equal(await forms.nth(1).getAttribute("data-result"), null);
    assert.equal(await forms.nth(1).locator('input[type="radio"]:checked').count(), 0);
    assert.equal(await forms.nth(0).getAttribute("data-result"), "correct");
    assert.ok(
      await forms.nth(1).evaluate((f) => f.contains(document.activeElement)),
      "the focus is on the question to retry",
    );
    await assertNoSidewaysScroll(page, quizPage);
    assert.deepEqual(problems, []);
    await page.close();

    // A puzzle made to fail by hand: the withdraw puzzle of chapter 16.
    const puzzle = await browser.open(url("part4/16-locks.html"), { viewport: PHONE, reducedMotion: "reduce" });
    const verdict = byTestId(puzzle.page, "withdraw-verdict");
    const solved = puzzle.page.waitForResponse((r) => r.url().endsWith("/__workbook/api/progress/puzzle"));
    // Both check before either acts: A takes the lock, checks, lets go; B
    // the same; then each withdraws.
    for (const t of "aaabbbaaabb") {
      await byTestId(puzzle.page, `withdraw-step-${t}`).click();
    }
    assert.match(await verdict.innerText(), /balance is −20/);
    assert.equal((await solved).status(), 200);
    assert.deepEqual(puzzle.problems, []);
    await puzzle.page.close();

    // The progress page, at phone width.
    const progressPage = url("progress.html");
    const progress = await browser.open(progressPage, { viewport: PHONE });
    await progress.page.waitForSelector('[data-testid="progress-part"]');
    const parts = byTestId(progress.page, "progress-part");
    assert.equal(await parts.count(), 6, "one section per part");
    const partOne = await parts.nth(0).innerText();
    assert.match(partOne, /^Part I: Why go parallel\?/);
    assert.match(partOne, new RegExp(`Quiz: 2 of ${count} questions answered, 1 right`));
    const partFour = await parts.nth(3).innerText();
    assert.match(partFour, /Puzzles: 1 of \d+ solved \(withdraw\)/);
    assert.match(await byTestId(progress.page, "progress-total").innerText(), /2 quiz questions answered \(1 right\)/);
    await assertNoSidewaysScroll(progress.page, progressPage);
    const violations = await axeViolations(progress.page);
    assert.deepEqual(violations, [], describeViolations(violations));
    await progress.page.screenshot({ path: path.join(SCREENSHOTS, "progress-375.png"), fullPage: true });
    assert.deepEqual(progress.problems, []);
    await progress.page.close();

    // `cargo workbook list` on the same progress file says the same.
    if (server.progressFile) {
      const [cmd, args] = process.env.WORKBOOK_BIN ? [process.env.WORKBOOK_BIN, []] : ["cargo", ["workbook"]];
      const listed = execFileSync(cmd, [...args, "list"], {
        cwd: REPO,
        env: { ...process.env, WORKBOOK_PROGRESS: server.progressFile },
        encoding: "utf8",
        timeout: 600_000,
      });
      assert.match(
        listed,
        new RegExp(`Part I: Why go parallel\\? — exercises 0/\\d+ passed · quiz 2/${count} answered, 1 right`),
      );
      assert.match(listed, /Part IV: Synchronization — .*puzzles 1\/\d+ solved/);
    }
  });
});
