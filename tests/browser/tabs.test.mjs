// A learner opens many chapters in tabs. Every served page listens to the
// server's event stream (live reload, changes on disk), and a browser gives
// one host only six HTTP/1.1 connections at a time: with one stream per tab,
// the seventh tab could not even load. The tabs share one stream instead
// (a SharedWorker holds it; see book/interactive/events.js). Here: ten
// tabs of the served book all load, and all ten hear a change on disk; after
// a rebuild, the tabs reload, except one holding unsaved edits, which offers
// a Reload button instead; after a restart of the server, the open tab
// reloads from the new one, still signed in (the checkout's key signs the
// cookie, so a restart on the same port keeps it good).
// Run by tests/browser/run.sh; see server.mjs for the environment variables
// that pick the server (with WORKBOOK_URL there is no progress file to
// change, and this file skips).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { REPO, startServer } from "./server.mjs";
import { SCREENSHOTS, launchBrowser } from "./browser.mjs";

const TABS = 10;
const PAGE = "exercises/01_chunks.html";
// Generous: a load takes well under a second; this only bounds a stall.
const LOAD_MS = 30_000;

let browser;
let server;

before(async () => {
  // Not held: the pages get the real event stream, as in a learner's browser.
  browser = await launchBrowser({ holdReloads: false });
  server = await startServer({ exercises: { "01_chunks": { status: "failed", checked_at: 1700000000 } } });
});

after(async () => {
  await server?.stop();
  await browser?.close();
});

/** The version of the book the server serves now (see events.js). */
async function servedVersion() {
  const html = await (
    await server.fetch(new URL("preface.html", server.url), { signal: AbortSignal.timeout(30_000) })
  ).text();
  return html.match(/<meta name="workbook-version" content="([^"]+)">/)[1];
}

const badge = (page) => page.locator('.exercise-status[data-exercise="01_chunks"]');

test(`${TABS} tabs of the served book all load, and all hear a change on disk`, async (t) => {
  if (!server.startedHere) {
    return t.skip("WORKBOOK_URL given: this run did not write the progress file");
  }
  const tabs = [];
  for (let k = 1; k <= TABS; k++) {
    // open() waits for `load`, for at most Playwright's 30 s.
    const { page, problems } = await browser.open(new URL(PAGE, server.url).href).catch((e) => {
      throw new Error(`tab ${k} did not load, with ${k - 1} tabs open: ${e.message.split("\n")[0]}`);
    });
    await page
      .waitForFunction((el) => /failed/i.test(el.textContent), await badge(page).elementHandle(), { timeout: LOAD_MS })
      .catch(() => {
        throw new Error(`tab ${k} loaded, but its badge never showed the progress, with ${k - 1} tabs open`);
      });
    // Listening: the shared stream has said its version to this tab.
    await page.waitForFunction(() => window.workbookEvents.heard !== null, null, { timeout: LOAD_MS });
    tabs.push({ page, problems });
  }

  // The learner's check passes in a terminal: the progress file changes on
  // disk, the server announces it, and every tab's badge follows.
  fs.writeFileSync(
    server.progressFile,
    JSON.stringify({ exercises: { "01_chunks": { status: "passed", checked_at: 1700000001 } } }),
  );
  for (const [k, { page }] of tabs.entries()) {
    await page
      .waitForFunction((el) => /passed/i.test(el.textContent), await badge(page).elementHandle(), { timeout: LOAD_MS })
      .catch(() => {
        throw new Error(`tab ${k + 1} of ${TABS} did not hear the change`);
      });
  }
  for (const [k, { page, problems }] of tabs.entries()) {
    assert.deepEqual(problems, [], `tab ${k + 1}`);
    await page.close();
  }
});

test("a rebuild reloads every tab, except one with unsaved edits: it offers to", async (t) => {
  if (!server.startedHere) {
    return t.skip("WORKBOOK_URL given: a rebuild here would not reach it");
  }
  const chapters = ["part2/05-os-threads.html", "part3/11-shared-data.html", "preface.html"];
  const tabs = [];
  for (const chapter of chapters) {
    tabs.push(await browser.open(new URL(chapter, server.url).href));
  }
  for (const { page } of tabs) {
    await page.evaluate(() => (window.servedBefore = true));
  }
  // What the exercise page does while its editor holds edits not on disk.
  const held = tabs[2].page;
  await held.evaluate(() => document.body.setAttribute("data-workbook-unsaved", ""));

  // Any file the server watches starts a rebuild; this one is not in the book.
  const touched = path.join(REPO, "tests", "browser", "tabs-test-rebuild.txt");
  fs.writeFileSync(touched, "A rebuild, started by tabs.test.mjs.\n");
  try {
    for (const { page } of tabs.slice(0, 2)) {
      // Reloaded: the mark set before is gone (120 s: the rebuild of the whole book).
      await page.waitForFunction(() => document.readyState === "complete" && window.servedBefore === undefined, null, {
        timeout: 120_000,
        polling: 250,
      });
    }
    await held.locator("#wb-reload-offer").waitFor({ timeout: 30_000 });
    assert.equal(await held.evaluate(() => window.servedBefore), true, "the tab with unsaved edits was not reloaded");
    assert.match(
      await held.locator("#wb-reload-offer").textContent(),
      /The book changed on disk\. Your edits on this page are not saved there\./,
    );
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await held.screenshot({ path: path.join(SCREENSHOTS, "reload-offer.png") });
    for (const [k, { page, problems }] of tabs.entries()) {
      assert.deepEqual(problems, [], chapters[k]);
      // Before the next rebuild: Playwright's close() can hang on a page in
      // the middle of reloading.
      await page.close();
    }
  } finally {
    // Removing the file starts one more rebuild: wait for it, so that it
    // reloads no page of the next test.
    const before = await servedVersion();
    fs.rmSync(touched, { force: true });
    const deadline = Date.now() + 120_000;
    while ((await servedVersion()) === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
});

test("a restart of the server on the same port reloads the open tab", async (t) => {
  if (!server.startedHere) {
    return t.skip("WORKBOOK_URL given: no server to restart here");
  }
  const { page, problems } = await browser.open(new URL("preface.html", server.url).href);
  // Fonts load lazily; a restart under them would cut them off.
  await page.evaluate(() => document.fonts.ready.then(() => (window.servedBefore = true)));
  const versionBefore = await page.locator('meta[name="workbook-version"]').getAttribute("content");
  const { port } = server;
  await server.stop();
  server = await startServer({ exercises: {} }, { port });
  // The worker's stream reconnects by itself (EventSource retries) and
  // hears a new version: the tab reloads, and is the new server's page (the
  // browser stays signed in: the checkout's key signed its cookie).
  await page.waitForFunction(() => document.readyState === "complete" && window.servedBefore === undefined, null, {
    timeout: 60_000,
    polling: 250,
  });
  // Still signed in: the reload is the book (not the sign-in page), and the
  // page's own requests are answered, with no new sign-in.
  assert.doesNotMatch(await page.title(), /Sign in/);
  const versionAfter = await page.locator('meta[name="workbook-version"]').getAttribute("content");
  assert.notEqual(versionAfter, versionBefore, "the page is the new server's");
  assert.equal(
    await page.evaluate(async () => (await fetch("/__workbook/status.json", { cache: "no-store" })).status),
    200,
    "the restarted server answers the tab's requests",
  );
  // The page itself asked for nothing while the server was away: the
  // stream's reconnecting is the worker's.
  assert.deepEqual(problems, []);
  await page.close();
});

test("a page whose worker cannot start opens a stream of its own, and hears the change", async (t) => {
  if (!server.startedHere) {
    return t.skip("WORKBOOK_URL given: this run did not write the progress file");
  }
  const page = await browser.context.newPage();
  // The worker's script is not there (an older server, say).
  await page.addInitScript(() => {
    const Real = window.SharedWorker;
    window.SharedWorker = function (_url, options) {
      return new Real("/__workbook/no-such-worker.js", options);
    };
  });
  const own = [];
  page.on("request", (r) => new URL(r.url()).pathname === "/__workbook/events" && own.push(r.url()));
  // What the page asked of the server and how it went, to say so if the
  // stream stays silent.
  const asked = [];
  page.on("response", (r) => asked.push(`${new URL(r.url()).pathname} ${r.status()}`));
  page.on("requestfailed", (r) => asked.push(`${new URL(r.url()).pathname} failed: ${r.failure()?.errorText}`));
  page.on("console", (m) => asked.push(`console ${m.type()}: ${m.text()}`));
  await browser.signIn(server.url);
  await page.goto(new URL(PAGE, server.url).href, { waitUntil: "load" });
  // Listening: its own stream has said its version.
  await page
    .waitForFunction(() => window.workbookEvents.heard !== null, null, { timeout: LOAD_MS })
    .catch((e) => {
      throw new Error(
        `no version heard (${own.length} streams of its own asked): ${e.message.split("\n")[0]}\n${asked.join("\n")}`,
      );
    });
  await page.waitForFunction(() => document.querySelector(".exercise-status")?.textContent.trim(), null, {
    timeout: LOAD_MS,
  });
  const before = (await badge(page).textContent()).trim();
  const status = /passed/i.test(before) ? "failed" : "passed";
  fs.writeFileSync(
    server.progressFile,
    JSON.stringify({ exercises: { "01_chunks": { status, checked_at: 1700000002 } } }),
  );
  await page.waitForFunction(
    (s) => new RegExp(s, "i").test(document.querySelector(".exercise-status").textContent),
    status,
    {
      timeout: LOAD_MS,
    },
  );
  assert.equal(own.length, 1, "the page opened its own stream");
  await page.close();
});
