// Page weight, in Chromium, as a learner's browser loads the served book:
// a chapter without an editor transfers under 300 KiB on a cold load (no
// Ace, the scripts compressed) and under 50 KiB on a repeat visit (the
// content-hashed files come from the browser's cache without a request);
// a page with an editor still gets Ace. The bytes are what Chromium says it
// received (DevTools' encodedDataLength: headers and compressed bodies).
// Run by tests/browser/run.sh; see server.mjs for the environment variables
// that pick the server.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launchBrowser } from "./browser.mjs";

const KIB = 1024;
const COLD_LIMIT = 300 * KIB;
const REPEAT_LIMIT = 50 * KIB;
// A chapter with neither an editor nor a puzzle, and one with programs to run.
const PLAIN = "part1/01-one-fast-core.html";
const WITH_EDITOR = "part2/05-os-threads.html";

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

/**
 * Loads `page` in a new tab and returns what it transferred: the total, and
 * each response (url, bytes, from the cache or not).
 */
async function load(page, { cold = false } = {}) {
  const url = new URL(page, server.url).href;
  await browser.signIn(url);
  const tab = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(tab);
  await cdp.send("Network.enable");
  if (cold) {
    // Signing in opened the book's first page: forget what it brought.
    await cdp.send("Network.clearBrowserCache");
  }
  const urls = new Map();
  const cached = new Set();
  const loaded = [];
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
  cdp.on("Network.requestServedFromCache", (e) => cached.add(e.requestId));
  cdp.on("Network.loadingFinished", (e) =>
    loaded.push({ url: urls.get(e.requestId) || "?", bytes: e.encodedDataLength, cache: cached.has(e.requestId) }),
  );
  await tab.goto(url, { waitUntil: "load" });
  await tab.waitForLoadState("networkidle");
  await tab.close();
  const total = loaded.reduce((sum, r) => sum + r.bytes, 0);
  return { total, loaded };
}

const kib = (bytes) => `${(bytes / KIB).toFixed(1)} KiB`;
const list = (loaded) =>
  loaded
    .sort((a, b) => b.bytes - a.bytes)
    .map((r) => `  ${kib(r.bytes).padStart(10)}  ${r.cache ? "(cache) " : ""}${r.url}`)
    .join("\n");

describe("page weight", () => {
  test(`a chapter without an editor: cold under ${kib(COLD_LIMIT)}, repeat under ${kib(REPEAT_LIMIT)}`, async () => {
    const cold = await load(PLAIN, { cold: true });
    console.error(`# cold load of ${PLAIN}: ${kib(cold.total)}\n${list(cold.loaded)}`);
    assert.ok(
      !cold.loaded.some((r) => /\/(ace|mode-rust|editor)-[0-9a-f]{8}\.js$/.test(r.url)),
      "no Ace without an editor",
    );
    assert.ok(
      !cold.loaded.some((r) => /\/(exercise|scheduler|puzzles)[\w-]*\.js$/.test(r.url)),
      "no exercise or puzzle scripts on a chapter without them",
    );
    assert.ok(cold.total < COLD_LIMIT, `cold load ${kib(cold.total)}, over ${kib(COLD_LIMIT)}:\n${list(cold.loaded)}`);

    const repeat = await load(PLAIN);
    console.error(`# repeat visit of ${PLAIN}: ${kib(repeat.total)}\n${list(repeat.loaded)}`);
    assert.ok(
      repeat.total < REPEAT_LIMIT,
      `repeat visit ${kib(repeat.total)}, over ${kib(REPEAT_LIMIT)}:\n${list(repeat.loaded)}`,
    );
  });

  test("a chapter with programs to run gets Ace, compressed and cached for good", async () => {
    const { loaded } = await load(WITH_EDITOR);
    const ace = loaded.find((r) => /\/ace-[0-9a-f]{8}\.js$/.test(r.url));
    assert.ok(ace, `${WITH_EDITOR} loads Ace`);
    const response = await server.fetch(ace.url, { headers: { "Accept-Encoding": "gzip" } });
    await response.arrayBuffer(); // read to the end: an unread body keeps its connection (and Node) alive
    assert.equal(response.headers.get("content-encoding"), "gzip");
    assert.match(response.headers.get("cache-control"), /max-age=31536000, immutable/);
    const page = await server.fetch(new URL(WITH_EDITOR, server.url).href, { headers: { "Accept-Encoding": "gzip" } });
    await page.arrayBuffer();
    assert.equal(page.headers.get("content-encoding"), "gzip", "pages are compressed");
    assert.match(page.headers.get("cache-control"), /no-store/, "a page is never kept: it carries the book's version");
  });
});
