// The first page load from a freshly started `cargo workbook serve` never
// stalls. The server before axum (tiny_http 0.12) lost a wake-up in its
// thread pool: in about one fresh start in three, Chromium's first burst of
// connections left some requests (stylesheets) unanswered until another
// connection closed, and the browser tests had to retry. Here: 20 fresh
// starts in a row, each loading a chapter completely — every request
// answered — with one try each, with the live-reload stream open, as in a
// learner's browser. Run by tests/browser/run.sh; see server.mjs for the
// environment variables that pick the server (with WORKBOOK_URL there is no
// fresh start to test, and this file skips).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launchBrowser, lostByDevTools } from "./browser.mjs";

const STARTS = 20;
const CHAPTER = "part2/05-os-threads.html";
// Generous: a load takes well under a second; this only bounds a stall.
const LOAD_MS = 30_000;

let browser;

const started = Date.now();
const note = (what) => console.error(`# ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);

before(async () => {
  browser = await launchBrowser({ holdReloads: false });
});

after(async () => {
  await browser?.close();
});

test(`${STARTS} fresh server starts in a row: each loads a chapter completely, first try`, async (t) => {
  if (process.env.WORKBOOK_URL) {
    return t.skip("WORKBOOK_URL given: no server is started here");
  }
  const failures = [];
  const times = [];
  for (let k = 1; k <= STARTS; k++) {
    const server = await startServer({ exercises: {} });
    try {
      // Signing in (through the redirect file, as a learner's browser does)
      // loads the book's first page: it must not stall either.
      await browser.signIn(server.url);
      const result = await firstLoad(new URL(CHAPTER, server.url).href);
      times.push(result.ms);
      if (result.stalled || result.pending.length || result.problems.length || !result.chapterShown) {
        failures.push(
          `start ${k}: ${result.stalled || "loaded"}; unanswered: ${result.pending.join(", ") || "none"}; ` +
            `problems: ${result.problems.join("; ") || "none"}`,
        );
      }
    } finally {
      await server.stop();
    }
  }
  times.sort((a, b) => a - b);
  note(
    `${STARTS} fresh starts: every request of the first load answered after ${times[0]}–${times[times.length - 1]} ms (median ${times[times.length >> 1]} ms); ${failures.length} failed`,
  );
  assert.deepEqual(
    failures,
    [],
    `${failures.length} of ${STARTS} fresh starts did not load completely:\n${failures.join("\n")}`,
  );
});

/** The very first load of `url` from a fresh server, in a new page, one
 * try; returns its time, whether it stalled, and what no answer came for. */
async function firstLoad(url) {
  const context = browser.context;
  const page = await context.newPage();
  const problems = [];
  const unanswered = new Map();
  page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  let lastRequest = Date.now();
  page.on("request", (r) => {
    if (lostByDevTools(r)) {
      return;
    } // answered to the worker, out of the page's sight
    unanswered.set(r, r.url());
    lastRequest = Date.now();
  });
  let lastAnswer = Date.now();
  page.on("requestfinished", (r) => {
    unanswered.delete(r);
    lastAnswer = Date.now();
  });
  page.on("requestfailed", (r) => {
    unanswered.delete(r);
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) {
      problems.push(`HTTP ${r.status()}: ${r.url()}`);
    }
    // The live-reload stream (the page's own where there is no shared
    // worker) stays open by design: its answer is its headers.
    if (new URL(r.url()).pathname === "/__workbook/events") {
      unanswered.delete(r.request());
    }
  });
  const t0 = Date.now();
  let stalled = null;
  try {
    await page.goto(url, { waitUntil: "load", timeout: LOAD_MS });
    // What is asked for after `load` (the favicon, scripts' requests) must
    // be answered too: wait until nothing is pending and nothing new was
    // asked for 1.5 s (a busy machine may hold a script's late request back
    // for a moment; a request cut off by closing the page counts as failed).
    const deadline = Date.now() + LOAD_MS;
    while ((unanswered.size || Date.now() - lastRequest < 1500) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
    }
  } catch (e) {
    stalled = `stalled: ${e.message.split("\n")[0]}`;
  }
  const ms = lastAnswer - t0;
  const chapterShown = !stalled && (await page.locator("main h1").count()) > 0;
  await page.close();
  return { ms, stalled, pending: [...unanswered.values()], problems, chapterShown };
}
