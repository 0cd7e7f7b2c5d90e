// A program's editor in the served book (book/interactive/snippets.js), in
// Chromium: it has line numbers, as the compiler's messages cite them; a
// compile error marks its line in the gutter and offers "Go to line N",
// which puts the caret there (by mouse and by keyboard); the compiler's
// whole message shows, its `help:` line included; at 375 px too. Run by
// tests/browser/run.sh; see server.mjs for the environment variables that
// pick the server.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startServer } from "./server.mjs";
import { SCREENSHOTS, launchBrowser } from "./browser.mjs";

const CHAPTER_5 = "part2/05-os-threads";
// A cold machine compiles the snippet crate's dependencies first.
const FIRST_RUN_MS = 900_000;

// An error on line 3 whose message ends with a `help:` line.
const WRONG = 'fn main() {\n    let v = vec![1, 2, 3];\n    let n: i32 = v.len();\n    println!("{n}");\n}\n';

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
const by = (scope, id) => scope.locator(`[data-testid="${id}"]`);
const snippetPanel = (page) => page.locator('[data-testid="run-panel"][data-kind="snippet"]').first();
const editorOf = (panel) => panel.locator("xpath=preceding-sibling::pre[1]");

/** The caret's line (from 1) and the lines marked in the gutter. */
async function aceState(panel) {
  return editorOf(panel).evaluate((pre) => {
    const editor = window.ace.edit(pre.querySelector("code"));
    return {
      caretLine: editor.getCursorPosition().row + 1,
      focused: editor.isFocused(),
      marked: editor
        .getSession()
        .getAnnotations()
        .map((a) => a.row + 1),
      numbers: [...pre.querySelectorAll(".ace_gutter-cell")].map((c) => c.textContent.trim()).filter(Boolean),
    };
  });
}

async function runWrongProgram(page) {
  const panel = snippetPanel(page);
  const editor = editorOf(panel).locator('[data-testid="snippet-editor"]');
  await editor.focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(WRONG);
  await by(panel, "run-start").click();
  await page.waitForFunction((el) => el.dataset.state === "done", await panel.elementHandle(), {
    timeout: FIRST_RUN_MS,
    polling: 100,
  });
  assert.equal(await panel.getAttribute("data-outcome"), "does_not_compile");
  return panel;
}

describe("a program's editor", () => {
  for (const width of [1280, 375]) {
    test(`has line numbers, and a compile error goes to its line (${width} px)`, async () => {
      const { page, problems } = await open(url(CHAPTER_5), { viewport: { width, height: 800 } });
      const panel = snippetPanel(page);
      const before = await aceState(panel);
      assert.deepEqual(before.numbers.slice(0, 3), ["1", "2", "3"], "the gutter numbers the lines");

      await runWrongProgram(page);
      const error = by(panel, "run-compile-error");
      assert.equal(await error.count(), 1);
      // The whole message: its `help:` line is there and in view (the box
      // scrolls inside only when the message is longer than it).
      const pre = error.locator("pre");
      const message = await pre.textContent();
      assert.match(message, /error\[E0308\]/);
      assert.match(message, /\n\s*help: /, "rustc's help line");
      const fits = await pre.evaluate((p) => ({
        height: [p.scrollHeight, p.clientHeight],
        width: [p.scrollWidth, p.clientWidth],
      }));
      assert.ok(fits.height[0] <= fits.height[1] + 1, `the message fits its box: ${JSON.stringify(fits)}`);
      assert.ok(fits.width[0] <= fits.width[1] + 1, `no line is cut off at the right: ${JSON.stringify(fits)}`);
      assert.equal(
        await page.evaluate(() => document.documentElement.scrollWidth),
        width,
        "nothing pushes the page sideways",
      );

      // The gutter marks line 3, and "Go to line 3" puts the caret there.
      assert.deepEqual((await aceState(panel)).marked, [3]);
      const go = by(panel, "snippet-goto-line");
      assert.equal(await go.textContent(), "Go to line 3");
      await go.click();
      const after = await aceState(panel);
      assert.equal(after.caretLine, 3);
      assert.equal(after.focused, true, "the editor has the focus");

      // By keyboard: Enter on the button goes there too.
      await page.keyboard.press("Control+Home");
      assert.equal((await aceState(panel)).caretLine, 1);
      await go.focus();
      await page.keyboard.press("Enter");
      assert.equal((await aceState(panel)).caretLine, 3);

      // A new run clears the marks.
      await page.keyboard.press("Control+A");
      await page.keyboard.insertText('fn main() {\n    println!("fixed");\n}\n');
      await by(panel, "run-start").click();
      await page.waitForFunction((el) => el.dataset.state === "done", await panel.elementHandle(), {
        timeout: FIRST_RUN_MS,
        polling: 100,
      });
      assert.deepEqual((await aceState(panel)).marked, []);
      assert.equal(await by(panel, "snippet-goto-line").count(), 0);

      if (width === 375) {
        await runWrongProgram(page);
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        await panel.scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SCREENSHOTS, "snippet-compile-error-375px.png"), fullPage: false });
      }
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});
